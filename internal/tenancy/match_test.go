package tenancy_test

import (
	"fmt"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// cand makes a candidate tenancy of one person in a home at postcode.
func cand(ref, name, email, phone, postcode, end string) tenancy.Candidate {
	t := tenancy.Tenancy{Ref: ref, HomeRef: "H" + ref, Tenure: tenancy.LowCostRental, Start: calendar.MustParseDate("2020-04-01"),
		People: []tenancy.Person{{Name: name, Email: email, Phone: phone}}}
	if end != "" {
		t.End = calendar.MustParseDate(end)
	}
	return tenancy.Candidate{Tenancy: t, Home: tenancy.Home{Ref: "H" + ref, Address: []string{"1 Street"}, Postcode: postcode}}
}

func TestRankPutsReferenceBeforeEmailBeforePhoneBeforePostcodeAndName(t *testing.T) {
	today := calendar.MustParseDate("2026-06-01")
	byPostcode := cand("T4", "Jane Smith", "", "", "NE1 4AB", "")
	byPhone := cand("T3", "Someone Else", "", "0191 000 0003", "NE9 9ZZ", "")
	byEmail := cand("T2", "Someone Else", "jane@example.org", "", "NE9 9ZZ", "")
	byRef := cand("T1", "Someone Else", "", "", "NE9 9ZZ", "")
	neighbour := cand("T5", "Ann Jones", "", "", "NE1 4AB", "")
	moved := cand("T6", "Jane Smith", "jane@example.org", "", "NE2 2AA", "2024-01-31")
	all := []tenancy.Candidate{neighbour, byPostcode, byPhone, byEmail, byRef, moved}
	person := complaint.Person{Name: "mrs  J. SMITH", Email: "Jane@Example.org", Phone: "+44 191 000 0003", Postcode: "ne14ab", TenancyRef: "t 1"}

	tests := []struct {
		name  string
		p     complaint.Person
		cands []tenancy.Candidate
		want  string
	}{
		{"every way at once, best first; a live tenancy before an ended one", person, all,
			"T1:reference T2:email T6:email T3:phone T4:postcode_name"},
		{"no reference: email first", withRef(person, ""), all, "T2:email T6:email T3:phone T4:postcode_name"},
		{"a phone written nationally matches one written with +44", complaint.Person{Name: "X", Phone: "01910000003"}, all, "T3:phone"},
		{"a postcode with no name in common matches nothing", complaint.Person{Name: "Bob Brown", Postcode: "NE1 4AB"}, all, ""},
		{"surname alone is enough", complaint.Person{Name: "J Jones", Postcode: "NE1 4AB"}, all, "T5:postcode_name"},
		{"a name with no postcode matches nothing", complaint.Person{Name: "Jane Smith"}, all, ""},
		{"a reference not among them matches nothing", complaint.Person{Name: "Q", TenancyRef: "T9"}, all, ""},
		{"a candidate given twice is ranked once", complaint.Person{Name: "Q", TenancyRef: "T1"}, []tenancy.Candidate{byRef, byRef}, "T1:reference"},
		{"nothing to match by", complaint.Person{Name: "Q"}, all, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			for i, m := range tenancy.Rank(tc.p, tc.cands, today) {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%s:%s", m.Tenancy.Ref, m.By)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func withRef(p complaint.Person, ref string) complaint.Person { p.TenancyRef = ref; return p }

func TestRankReturnsAtMostMaxCandidates(t *testing.T) {
	var cs []tenancy.Candidate
	for i := range 25 {
		cs = append(cs, cand(fmt.Sprintf("T%02d", i), "A Smith", "", "", "NE1 4AB", ""))
	}
	if got := tenancy.Rank(complaint.Person{Name: "Smith", Postcode: "NE1 4AB"}, cs, calendar.MustParseDate("2026-06-01")); len(got) != tenancy.MaxCandidates {
		t.Errorf("%d matches, want %d", len(got), tenancy.MaxCandidates)
	}
}

func TestMatchForCountsLeaseholdAsOtherAndJoinsTheAddress(t *testing.T) {
	c := cand("T1", "A", "", "", "NE1 4AB", "")
	c.Tenancy.Tenure = tenancy.Leasehold
	c.Home.Address = []string{"Flat 2", "", "1 Street", "Newtown"}
	m := tenancy.MatchFor(c.Tenancy, c.Home, tenancy.ByEmail)
	if m.Tenure != "other" || m.RegisterTenure != "leasehold" || m.Address != "Flat 2\n1 Street\nNewtown" || m.Postcode != "NE1 4AB" ||
		m.MatchedBy != "email" || m.Confirmed || m.HomeRef != "HT1" {
		t.Errorf("%+v", m)
	}
}
