package notify

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Issue 19, item 5: a compliment passed on is emailed to everyone it
// praises who has an address and to their manager, once each (000: "we
// offer individual feedback to colleagues when a compliment is received";
// 003 §2: "Feedback on compliments is given to staff").
func TestComplimentPassedOnIsEmailedToThosePraisedAndTheirManager(t *testing.T) {
	s := newSim(t, code2024(t), resident(func(c *complaint.Create) {
		c.Kind, c.Summary = complaint.KindCompliment, "Sam fixed my boiler on Christmas Eve"
	}))
	seq := s.do(officer, complaint.PassOnCompliment{
		Praised: []complaint.Praised{
			{Kind: complaint.PraisedColleague, Name: "Sam Jones", Email: "sam@landlord.example"},
			{Kind: complaint.PraisedTeam, Name: "Repairs"}, // no mailbox: named, not emailed
			{Kind: complaint.PraisedContractor, Name: "Acme Roofing", Email: "office@acme.example"},
		},
		Manager: manager,
	})
	f := s.facts(seq)
	f.Manager = store.User{Email: manager, Name: "Mo Manager"}
	ns, skipped := Notices(f, settings())
	if len(skipped) > 0 {
		t.Fatalf("skipped: %v", skipped)
	}
	var to []string
	for _, n := range ns {
		to = append(to, n.Message.To)
		m := n.Message
		if n.Audience != Colleague || m.Kind != "notice_compliment_notice" || m.Subject != "A resident has complimented you (C-2026-000001)" {
			t.Errorf("notice %+v", m)
		}
		for _, w := range []string{"Sam fixed my boiler on Christmas Eve", "C-2026-000001", "praises Sam Jones, Repairs and Acme Roofing"} {
			if !strings.Contains(m.TextBody, w) {
				t.Errorf("the notice to %s lacks %q:\n%s", m.To, w, m.TextBody)
			}
		}
		if strings.Contains(m.TextBody, "Ada Resident") || strings.Contains(m.TextBody, residentPhone) {
			t.Errorf("the notice to %s names the resident:\n%s", m.To, m.TextBody)
		}
		if err := store.CheckOutbound(m); err != nil {
			t.Errorf("the outbox refuses the notice to %s: %v", m.To, err)
		}
	}
	want := []string{`"Sam Jones" <sam@landlord.example>`, `"Acme Roofing" <office@acme.example>`, `"Mo Manager" <mo@landlord.example>`}
	if strings.Join(to, "|") != strings.Join(want, "|") {
		t.Errorf("notices to %v, want %v", to, want)
	}
	if !strings.Contains(ns[2].Message.TextBody, "Dear Mo Manager") {
		t.Errorf("the manager's notice is not addressed to them:\n%s", ns[2].Message.TextBody)
	}
}

// The resident's thanks promises to pass the compliment on only where the
// policy makes that promise (000, 003 §2); elsewhere it promises nothing
// the landlord has not undertaken.
func TestComplimentThanksPromisesPassingOnOnlyWhereThePolicyDoes(t *testing.T) {
	for _, passOn := range []bool{true, false} {
		s := newSim(t, code2024(t), resident(func(c *complaint.Create) { c.Kind = complaint.KindCompliment }))
		set := settings()
		set.PassOnCompliments = passOn
		ns, _ := Notices(s.facts(1), set)
		if len(ns) != 1 {
			t.Fatalf("pass on %v: %d notices", passOn, len(ns))
		}
		if got := strings.Contains(ns[0].Message.TextBody, "We will pass it on"); got != passOn {
			t.Errorf("pass on %v: the thanks promises it: %v\n%s", passOn, got, ns[0].Message.TextBody)
		}
	}
}
