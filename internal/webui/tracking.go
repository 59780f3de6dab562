package webui

import (
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// trackingCode is the case's tracking code as people read it, made the
// first time it is needed. Staff read it to a resident without email who
// rings to follow their case online, and the acknowledgement letter
// prints it (see store.TrackingStore and the residents' pages).
func (s *Server) trackingCode(r *http.Request, c complaint.Case) (string, error) {
	code, err := s.Store.TrackingCode(r.Context(), c.Reference, s.Now())
	if err != nil {
		return "", err
	}
	return store.FormatTrackingCode(code), nil
}
