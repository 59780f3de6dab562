package store

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
)

// TestAnImportedCaseCarriedOnRebuildsFromItsEvents: a complaint a log
// left unanswered is imported open, an officer responds to it in Redress,
// and the audit's rebuild makes the same case from the import event and
// the officer's, with the import event first.
func TestAnImportedCaseCarriedOnRebuildsFromItsEvents(t *testing.T) {
	p, cal := policytest.Code(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ref := func(int) (string, error) { return "C-2026-000001", nil }
	c, ev, err := complaint.NewImportedCase(complaint.ImportCase{
		OriginalRef: "OLD-7", FileSHA256: strings.Repeat("0f", 32), Line: 9, RowSHA256: strings.Repeat("1e", 32),
		Received: calendar.MustParseDate("2026-11-02"), Acknowledged: calendar.MustParseDate("2026-11-04"), Tenure: "low_cost_rental",
	}, complaint.Env{Now: now, Actor: complaint.Actor{Email: complaint.ImportActor}, Policy: p, Calendar: cal, NewReference: ref})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != complaint.StatusAcknowledged || c.Handler != "" {
		t.Fatalf("the open imported case is %s, handled by %q", c.Status, c.Handler)
	}
	ev.Seq = 1
	officer := complaint.Actor{Email: "olu@landlord.example", Role: "officer"}
	next, ev2, err := complaint.Decide(c, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The repair was late"}}},
		complaint.Env{Now: now.Add(time.Hour), Actor: officer, Policy: p, Calendar: cal, NewReference: ref})
	if err != nil {
		t.Fatalf("responding to an open imported case: %v", err)
	}
	ev2.Seq = 2
	next.Version = 2
	var rb Rebuilder
	if _, problems := rb.CheckCase(next, []complaint.Event{ev, ev2}); len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
	// The import event is where the case begins: after another event it
	// is no creation.
	if _, err := rb.Rebuild(next, []complaint.Event{ev2, ev}); err == nil {
		t.Error("a trail that does not begin with its creation or import rebuilt")
	}
}
