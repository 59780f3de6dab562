package storetest

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testSupersededRemediesAreNotOpen holds the follow-through of remedies
// to Remedy.Outstanding: a stage 1 remedy that stage 2 superseded is no
// longer owed, so it leaves the actions tracker, the management figures'
// open actions and the compensation offered (its replacement is the
// offer), and the case's stored count of open remedies still agrees with
// its events when audited.
func testSupersededRemediesAreNotOpen(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	w.now = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	ref := w.story(t, s, "low_cost_rental", false, "2026-04-13",
		step{"2026-04-15", ack},
		// Remedies 1 and 2.
		step{"2026-04-24", respond("", []complaint.RemedyInput{compensation(5000, "time_and_trouble"), action("2026-05-15")}, "upheld")},
		step{"2026-04-27", escalate}, step{"2026-04-28", ack},
		// Remedy 3, which replaces remedy 1; remedy 2 is put right
		// another way, with nothing in its place.
		step{"2026-05-12", respond("", []complaint.RemedyInput{compensation(15000, "time_and_trouble")}, "upheld")},
		step{"2026-05-13", complaint.SupersedeRemedy{ID: 1, Reason: "Stage 2 found it too low", ReplacedBy: 3}},
		step{"2026-05-13", complaint.SupersedeRemedy{ID: 2, Reason: "The repair was redone under the insurance claim"}})

	open, err := s.OpenActions(ctx, store.Viewer{AllConfidential: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, a := range open {
		if a.Reference == ref {
			ids = append(ids, a.Remedy.ID)
		}
	}
	if len(ids) != 1 || ids[0] != 3 {
		t.Errorf("open remedies of %s: %v, want only remedy 3: superseded remedies are no longer owed", ref, ids)
	}

	d := calendar.MustParseDate
	m, err := s.ManagementFigures(ctx, report.Filter{From: d("2026-04-01"), To: d("2026-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	if m.ActionsOpen != 0 || m.ActionsOverdue != 0 {
		t.Errorf("actions open %d, overdue %d; want 0 and 0: the only action was superseded", m.ActionsOpen, m.ActionsOverdue)
	}
	var offered int
	var pence int64
	for _, money := range m.Compensation {
		offered, pence = offered+money.Offered, pence+money.OfferedPence
	}
	if offered != 1 || pence != 15000 {
		t.Errorf("compensation offered: %d offers of %d pence in all, want 1 of 15000: the superseded offer was replaced, not added to", offered, pence)
	}

	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("the audit of a case with superseded remedies: %+v, %v", rep, err)
	}
}
