package webui

import (
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
)

// trackingCode is the case's tracking code as people read it, made the
// first time it is needed. Staff read it to a resident without email who
// rings to follow their case online, and the acknowledgement letter
// prints it (see store.TrackingStore and the residents' pages).
func (s *Server) trackingCode(r *http.Request, c complaint.Case) (string, error) {
	return s.cases().TrackingCode(r.Context(), c)
}
