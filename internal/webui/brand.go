package webui

import (
	"context"
	"net/http"
)

// brandLogo serves the landlord's logo, from the letterhead, to anyone:
// the residents' pages show it in their header too, signed out.
func (s *Server) brandLogo(w http.ResponseWriter, r *http.Request) error {
	s.Brand.ServeLogo(w, r)
	return nil
}

// brandName is the landlord's name as every page shows it, for the
// documents made here (the evidence pack, a person's export, the board
// pack) to carry the same name as the header they were made under.
func (s *Server) brandName(ctx context.Context) string {
	return s.Brand.Name(ctx)
}
