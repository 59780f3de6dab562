package httpapi

import (
	"net/http"
)

// sendGroupCopies sends a copy of the current stage's issued response to
// every member of the case's group who has not had one, by email where
// they gave one, and records every copy, by post for the rest (003:
// "Where we provide a written response we will make this available to
// all petitioners"; casework.SendGroupCopies). The body is empty; the
// version may be given in If-Match.
func (s *Server) sendGroupCopies(w http.ResponseWriter, r *http.Request) error {
	var body struct{}
	if err := decode(r, &body, true); err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	c, err := s.cases().SendGroupCopies(r.Context(), userOf(r), r.PathValue("ref"), version)
	if err != nil {
		return err
	}
	return writeCase(w, http.StatusOK, c)
}
