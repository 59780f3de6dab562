package webui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// registerSearch is the new-contact page's search of the register of
// tenancies (issue 20): a GET form of its own above the contact form, so
// it works without JavaScript, and a link per tenancy found that opens
// the page again with the tenancy's reference, tenure, address and
// postcode filled in. It is meant to come first, as an officer on the
// phone asks for the tenancy before the complaint: searching again
// starts the form again.
type registerSearch struct {
	Q       string
	Results []tenancyRow
	// Searched is true when a search was made, so that "nothing found"
	// is said only then.
	Searched bool
}

// registerFromQuery runs the search the page's query asks for, and fills
// form from the tenancy it names, if any. A problem is an error on the
// search field, never a failed page.
func (s *Server) registerFromQuery(ctx context.Context, q url.Values, form url.Values) (registerSearch, []fieldError, error) {
	rs := registerSearch{Q: strings.TrimSpace(q.Get("register_q"))}
	// The search box is drawn from the form's values, as every field is;
	// it is its own GET form, so it is never sent with the contact.
	form.Set("register_q", rs.Q)
	if ref := strings.TrimSpace(q.Get("tenancy")); ref != "" {
		t, h, err := s.Store.GetTenancy(ctx, ref)
		if complaint.ErrorCode(err) == complaint.NotFound {
			return rs, []fieldError{{"register_q", "There is no tenancy " + ref + " in the register"}}, nil
		}
		if err != nil {
			return rs, nil, err
		}
		form.Set("complainant.tenancy_ref", t.Ref)
		form.Set("tenure", string(t.Tenure.CaseTenure()))
		form.Set("complainant.address", h.AddressText())
		form.Set("complainant.postcode", h.Postcode)
	}
	if rs.Q == "" {
		if q.Has("register_q") {
			return rs, []fieldError{{"register_q", "Enter a tenancy reference, postcode, email or name to search the register for"}}, nil
		}
		return rs, nil, nil
	}
	found, err := s.cases().SearchRegister(ctx, rs.Q)
	if e := (*complaint.Error)(nil); errors.As(err, &e) && e.Code == complaint.Invalid {
		return rs, []fieldError{{"register_q", "The search " + e.Fields["q"]}}, nil
	}
	if err != nil {
		return rs, nil, err
	}
	rs.Searched = true
	for _, c := range found {
		var names []string
		for _, p := range c.Tenancy.People {
			names = append(names, p.Name)
		}
		rs.Results = append(rs.Results, tenancyRow{Ref: c.Tenancy.Ref, Address: c.Home.AddressText(), Postcode: c.Home.Postcode,
			Tenure: tenureWords(string(c.Tenancy.Tenure.CaseTenure())), MatchedBy: strings.Join(names, ", ")})
	}
	return rs, nil, nil
}
