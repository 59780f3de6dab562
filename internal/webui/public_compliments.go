package webui

import (
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// publicCompliment is one compliment as a landlord publishes it: the
// month, the service area, whom it praised (a colleague by first name
// unless the policy allows surnames) and the words staff wrote for
// publishing, never the resident's own words, name or reference.
type publicCompliment struct {
	Month       string
	ServiceArea string
	Praised     []string
	Quote       string
}

// publicComplimentsShown is how many recent compliments the page shows.
const publicComplimentsShown = 20

// publicCompliments is the page of recent compliments a landlord can
// publish (003 §2: compliments are "publicised in recognition of the
// outstanding customer service delivered by our teams"), where the policy
// says so (compliments.publish); elsewhere there is no such page. It
// needs no sign-in, so it holds nothing personal: see publicCompliment.
func (s *Server) publicCompliments(w http.ResponseWriter, r *http.Request) error {
	c := s.Policy.Compliments
	if !c.Publish {
		return complaint.Errorf(complaint.NotFound, "this landlord does not publish compliments")
	}
	cs, _, err := s.Store.ListCases(r.Context(), store.CaseFilter{Kind: complaint.KindCompliment,
		ReceivedFrom: s.Now().AddDate(-1, 0, 0), Limit: 200})
	if err != nil {
		return err
	}
	var rows []publicCompliment
	for _, k := range cs {
		if k.Praise == nil || k.Confidential || len(rows) == publicComplimentsShown {
			continue
		}
		rows = append(rows, publicComplimentOf(k, c.StaffSurnames))
	}
	s.render(w, r, http.StatusOK, "public-compliments", map[string]any{"Title": "Compliments from our residents", "Compliments": rows})
	return nil
}

// publicComplimentOf is a compliment passed on as it may be published.
func publicComplimentOf(c complaint.Case, surnames bool) publicCompliment {
	p := publicCompliment{Month: calendar.DateOf(c.ReceivedAt).Start().Format("January 2006"), ServiceArea: c.ServiceArea, Quote: c.Praise.Quote}
	for _, x := range c.Praise.Praised {
		name := x.Name
		if x.Kind == complaint.PraisedColleague && !surnames {
			name, _, _ = strings.Cut(strings.TrimSpace(name), " ")
		}
		p.Praised = append(p.Praised, name)
	}
	return p
}
