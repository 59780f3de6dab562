package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testOmbudsman holds a store to store.OmbudsmanStore (issue 19, item 4):
// the dashboard's lists hold the cases the viewer may see with evidence
// for the Ombudsman not yet sent, or an order past its due date and not
// met, soonest first, each case once; a case leaves them once its
// evidence is sent or its order met; the annual report finds every
// referred case.
func testOmbudsman(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	const reviewer = "reviewer@example.org"
	today := calendar.DateOf(w.now)
	referred := func(summary string, confidential bool) complaint.Case {
		t.Helper()
		cmd := complaintCmd(summary, w.now.Add(-time.Hour))
		cmd.Confidential = confidential
		if confidential {
			cmd.LineManager = "lm@example.org"
		}
		c := w.create(t, s, cmd)
		w.do(t, s, c.Reference, officer, complaint.Acknowledge{Points: []string{summary}})
		w.respond(t, s, c.Reference, officer, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault"}}})
		w.do(t, s, c.Reference, officer, complaint.Escalate{})
		w.do(t, s, c.Reference, reviewer, complaint.Acknowledge{Points: []string{summary}})
		w.respond(t, s, c.Reference, reviewer, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault"}}})
		return w.do(t, s, c.Reference, reviewer, complaint.ReferToOmbudsman{Reference: "HOS-" + summary, NotifiedOn: today})
	}
	w.create(t, s, complaintCmd("Never referred", w.now.Add(-time.Hour)))
	late := referred("Late evidence", false)
	w.do(t, s, late.Reference, reviewer, complaint.RequestOmbudsmanEvidence{What: "Repairs log", Due: today.AddDays(3)})
	w.do(t, s, late.Reference, reviewer, complaint.RequestOmbudsmanEvidence{What: "Photos", Due: today.AddDays(1)})
	sent := referred("Evidence sent", false)
	w.do(t, s, sent.Reference, reviewer, complaint.RequestOmbudsmanEvidence{What: "Repairs log", Due: today})
	w.do(t, s, sent.Reference, reviewer, complaint.SendOmbudsmanEvidence{SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
	secret := referred("Secret", true)
	w.do(t, s, secret.Reference, reviewer, complaint.RequestOmbudsmanEvidence{What: "Staff notes", Due: today.AddDays(2)})
	ordered := referred("Ordered", false)
	w.do(t, s, ordered.Reference, reviewer, complaint.RecordOmbudsmanDetermination{DeterminedOn: today,
		Findings: []complaint.OmbudsmanFinding{{Point: "Repairs", Finding: complaint.FindingMaladministration, Reasons: "Slow"}},
		Orders: []complaint.OmbudsmanOrder{
			{Kind: complaint.KindOrder, Description: "Pay £100", Due: today.AddDays(5)},
			{Kind: complaint.KindRecommendation, Description: "Train staff", Due: today.AddDays(9)},
		}})

	refs := func(kinds []string, before calendar.Date, v store.Viewer) []string {
		t.Helper()
		got, err := s.OmbudsmanDue(ctx, v, kinds, before)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range got {
			out = append(out, c.Reference)
		}
		return out
	}
	someone := store.Viewer{Email: "someone.else@example.org"}
	all := store.Viewer{Email: "admin@example.org", AllConfidential: true}
	evidence := []string{"evidence"}
	orders := []string{"order", "recommendation"}

	if got, want := refs(evidence, calendar.Date{}, all), []string{late.Reference, secret.Reference}; !slices.Equal(got, want) {
		t.Errorf("evidence due = %v, want %v: the soonest first, each case once, none answered", got, want)
	}
	if got := refs(evidence, calendar.Date{}, someone); slices.Contains(got, secret.Reference) {
		t.Errorf("a viewer not named on the confidential %s sees it: %v", secret.Reference, got)
	}
	if got := refs(orders, today.AddDays(6), all); !slices.Equal(got, []string{ordered.Reference}) {
		t.Errorf("orders overdue on day 6 = %v, want %s", got, ordered.Reference)
	}
	if got := refs(orders, today.AddDays(5), all); len(got) != 0 {
		t.Errorf("orders overdue on the day they are due = %v, want none", got)
	}
	w.do(t, s, ordered.Reference, reviewer, complaint.RecordOmbudsmanCompliance{Order: 1, Evidence: "Paid", Met: true})
	w.do(t, s, ordered.Reference, reviewer, complaint.RecordOmbudsmanCompliance{Order: 2, Evidence: "Trained", Met: true})
	if got := refs(orders, today.AddDays(30), all); len(got) != 0 {
		t.Errorf("orders overdue once met = %v, want none", got)
	}
	referredAll, err := s.OmbudsmanReferred(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(referredAll) != 4 {
		t.Errorf("%d referred cases, want 4", len(referredAll))
	}
}
