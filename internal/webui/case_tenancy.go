package webui

import (
	"context"
	"net/url"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// formTenancy is the case page's form that confirms, changes or clears
// the tenancy a case is matched to (complaint.ConfirmTenancy).
const formTenancy = "tenancy"

// tenancyCommand reads the tenancy form: a tenancy reference (the one
// suggested, one of the others found, or one typed), or clear.
func tenancyCommand(f url.Values) complaint.Command {
	return complaint.ConfirmTenancy{Ref: f.Get("ref"), Clear: f.Get("clear") == "yes", Reason: f.Get("reason")}
}

// tenancyView is what the case page shows of the case's tenancy: the
// match on the case (suggested or confirmed) and the other tenancies in
// the register the complainant matches, for an officer to choose from.
type tenancyView struct {
	Match  *complaint.TenancyMatch
	Others []tenancyRow
}

// tenancyRow is one tenancy the complainant matches.
type tenancyRow struct {
	Ref, Address, Postcode, Tenure, MatchedBy string
}

// matchedByWords says how a tenancy was found, for the page.
var matchedByWords = map[string]string{
	string(tenancy.ByReference): "the tenancy reference", string(tenancy.ByEmail): "email address",
	string(tenancy.ByPhone): "phone number", string(tenancy.ByPostcodeName): "postcode and name",
	complaint.MatchedByOfficer: "an officer's choice",
}

func matchedBy(s string) string {
	if w, ok := matchedByWords[s]; ok {
		return w
	}
	return s
}

// newTenancyView looks the complainant up in the register, for staff who
// may act on the case; the look-up is a few index reads.
func (s *Server) newTenancyView(ctx context.Context, c complaint.Case, canAct bool) (tenancyView, error) {
	v := tenancyView{Match: c.Tenancy}
	if !canAct {
		return v, nil
	}
	ms, err := s.cases().TenancyMatches(ctx, c)
	if err != nil {
		return v, err
	}
	for _, m := range ms {
		if c.Tenancy != nil && c.Tenancy.Ref == m.Tenancy.Ref {
			continue
		}
		v.Others = append(v.Others, tenancyRow{Ref: m.Tenancy.Ref, Address: m.Home.AddressText(), Postcode: m.Home.Postcode,
			Tenure: tenureWords(string(m.Tenancy.Tenure.CaseTenure())), MatchedBy: matchedBy(string(m.By))})
	}
	return v, nil
}
