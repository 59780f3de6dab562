package portal

import (
	"net/http"
	"strings"
)

// Awaab's Law (issue 14): the form asks every resident whether anything
// in their home is a danger to health or safety now. A yes flags the case
// for the senior managers, puts the resident's words about the danger at
// the top of its description for staff to triage, and shows at once,
// on every page after the question and on the confirmation, whom to call:
// the form is not the way to report an emergency, and nobody should wait
// for a reply to it while in danger.

// emergency is whom a resident in danger should call now.
type emergency struct {
	// Landlord are the lines that reach the landlord's emergency repairs,
	// or none where the portal knows none.
	Landlord []string
}

// withDanger adds the emergency contact details to p when the answers
// say something in the home is a danger now.
func (s *Server) withDanger(r *http.Request, a *answers, p *page) *page {
	if a != nil && a.InDanger() {
		p.Emergency = &emergency{Landlord: s.emergencyContacts(r)}
	}
	return p
}

// emergencyContacts are the landlord's lines for emergency repairs: the
// server's setting, or else the letterhead's contact lines, read as the
// landlord keeps them now. A failure to read the letterhead is logged and
// the page shown without them: the national numbers matter more than a
// page that fails.
func (s *Server) emergencyContacts(r *http.Request) []string {
	if c := strings.TrimSpace(s.EmergencyContact); c != "" {
		return []string{c}
	}
	lh, ok, err := s.Store.Letterhead(r.Context())
	if err != nil {
		s.Log.Error("letterhead for the emergency contact details", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	var out []string
	for _, l := range lh.Contact {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
