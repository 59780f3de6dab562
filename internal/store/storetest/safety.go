package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testSafety holds a store to store.SafetyStore (issue 12, rule 10; 003):
// the dashboard's list of contacts flagged as a health-and-safety risk
// that no senior manager has acknowledged, open or closed, only those
// the viewer may see; and every flagging, at creation or later, pending
// for the relay's alert from the moment it is recorded until its alert is
// queued, once.
func testSafety(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	manager := complaint.Actor{Email: "mo@example.org", Role: "manager"}
	officer := complaint.Actor{Email: "officer@example.org", Role: "officer"}
	do := func(ref string, actor complaint.Actor, cmd complaint.Command) complaint.Case {
		t.Helper()
		c, err := s.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			env := w.env(actor.Email, nr)
			env.Actor = actor
			return complaint.Decide(c, cmd, env)
		})
		if err != nil {
			t.Fatalf("%T on %s: %v", cmd, ref, err)
		}
		return c
	}
	flaggedCmd := func(summary string, received time.Time) complaint.Create {
		cmd := complaintCmd(summary, received)
		cmd.HealthAndSafety = true
		return cmd
	}
	day := func(n int) time.Time { return w.now.AddDate(0, 0, -n) }

	ordinary := w.create(t, s, complaintCmd("Fence", day(30)))
	createdFlagged := w.create(t, s, flaggedCmd("Gas smell", day(10)))
	flaggedLater := w.create(t, s, complaintCmd("Old leak", day(400)))
	flaggedLater = do(flaggedLater.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true, Reason: "Now sparking"})
	acknowledged := w.create(t, s, flaggedCmd("Loose stair rail", day(5)))
	acknowledged = do(acknowledged.Reference, manager, complaint.AcknowledgeHealthAndSafety{Note: "Joiner sent"})
	withdrawn := w.create(t, s, flaggedCmd("No heating, baby at home", day(20)))
	withdrawn = do(withdrawn.Reference, officer, complaint.Withdraw{Reason: "Resident moved out"})
	cleared := w.create(t, s, flaggedCmd("Smoke alarm", day(3)))
	cleared = do(cleared.Reference, manager, complaint.FlagHealthAndSafety{Flagged: false, Reason: "Tested and working"})
	secret := flaggedCmd("Officer ignored the gas smell", day(2))
	secret.Confidential = true
	confidential := w.create(t, s, secret)

	refs := func(cs []complaint.Case) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Reference)
		}
		return out
	}
	t.Run("TheWaitingListHoldsEveryFlaggedUnacknowledgedContactItsViewerMaySee", func(t *testing.T) {
		got, err := s.SafetyWaiting(ctx, store.Viewer{Email: "someone.else@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		// Longest received first; the withdrawn one still waits; the
		// confidential one is not this viewer's to see.
		want := []string{flaggedLater.Reference, withdrawn.Reference, createdFlagged.Reference}
		if !slices.Equal(refs(got), want) {
			t.Errorf("waiting = %v, want %v", refs(got), want)
		}
		for _, c := range got {
			if !c.SafetyWaiting() || c.ID == 0 {
				t.Errorf("%s is listed but not waiting (or has no id): %+v", c.Reference, c)
			}
		}
		all, err := s.SafetyWaiting(ctx, store.Viewer{Email: "admin@example.org", AllConfidential: true})
		if err != nil {
			t.Fatal(err)
		}
		// Who may see a confidential case is the visibility rule's
		// business; whoever may see it sees it waiting.
		for _, ref := range want {
			if !slices.Contains(refs(all), ref) {
				t.Errorf("waiting for a viewer of every confidential case = %v, without %s", refs(all), ref)
			}
		}
		for _, c := range []complaint.Case{ordinary, acknowledged, cleared} {
			if slices.Contains(refs(all), c.Reference) {
				t.Errorf("%s (%s) is listed as waiting", c.Reference, c.Summary)
			}
		}
	})

	t.Run("SettingTheFlagAgainPutsItBackOnTheList", func(t *testing.T) {
		again := do(acknowledged.Reference, officer, complaint.FlagHealthAndSafety{Flagged: false, Reason: "Rail fixed"})
		again = do(again.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true, Reason: "Rail loose again"})
		got, err := s.SafetyWaiting(ctx, store.Viewer{Email: "someone.else@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(refs(got), again.Reference) {
			t.Errorf("flagged again, %s is not waiting: %v", again.Reference, refs(got))
		}
		do(again.Reference, manager, complaint.AcknowledgeHealthAndSafety{})
	})

	t.Run("EveryFlaggingIsPendingUntilItsAlertIsQueuedOnce", func(t *testing.T) {
		pending, err := s.PendingSafetyFlags(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		type flagging struct {
			ref  string
			kind complaint.EventKind
		}
		var got []flagging
		for i, ce := range pending {
			got = append(got, flagging{ce.CaseRef, ce.Event.Kind})
			if i > 0 && ce.ID <= pending[i-1].ID {
				t.Errorf("pending flaggings are not oldest first: %d after %d", ce.ID, pending[i-1].ID)
			}
			if ce.Event.RecordedAt.IsZero() || ce.Event.Actor == "" {
				t.Errorf("pending flagging %d lacks its times or actor: %+v", ce.ID, ce.Event)
			}
		}
		want := []flagging{
			{createdFlagged.Reference, complaint.EventCreated},
			{flaggedLater.Reference, complaint.EventSafetyFlagSet},
			{acknowledged.Reference, complaint.EventCreated},
			{withdrawn.Reference, complaint.EventCreated},
			{cleared.Reference, complaint.EventCreated},
			{confidential.Reference, complaint.EventCreated},
			{acknowledged.Reference, complaint.EventSafetyFlagSet}, // flagged again
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pending flaggings:\n got %v\nwant %v", got, want)
		}

		if _, err := s.PendingSafetyFlags(ctx, 0); complaint.ErrorCode(err) != complaint.Invalid {
			t.Errorf("a limit of 0: %v, want invalid", err)
		}
		first, _ := s.PendingSafetyFlags(ctx, 2)
		if len(first) != 2 || first[0].ID != pending[0].ID {
			t.Fatalf("the first two pending: %+v", first)
		}

		alert := func(ce store.CaseEvent) store.OutboundMessage {
			return store.OutboundMessage{CaseRef: ce.CaseRef, To: "mo@example.org", Kind: "safety_alert",
				Subject: "Health and safety: " + ce.CaseRef, TextBody: "Please look today.",
				DedupeKey: fmt.Sprintf("safety:%d:mo@example.org", ce.ID)}
		}
		// A message the outbox refuses marks nothing.
		bad := alert(first[0])
		bad.DedupeKey = ""
		if _, err := s.RecordSafetyAlerts(ctx, []int64{first[0].ID}, []store.OutboundMessage{bad}, w.now); err == nil {
			t.Error("an alert without a dedupe key was queued")
		}
		if again, _ := s.PendingSafetyFlags(ctx, 100); len(again) != len(pending) {
			t.Errorf("a refused alert marked flaggings alerted: %d pending, want %d", len(again), len(pending))
		}

		n, err := s.RecordSafetyAlerts(ctx, []int64{first[0].ID, first[1].ID}, []store.OutboundMessage{alert(first[0]), alert(first[1])}, w.now)
		if err != nil || n != 2 {
			t.Fatalf("recording two alerts: %d, %v", n, err)
		}
		// Queued once: the same alerts again queue nothing.
		if n, err := s.RecordSafetyAlerts(ctx, []int64{first[0].ID}, []store.OutboundMessage{alert(first[0])}, w.now); err != nil || n != 0 {
			t.Errorf("recording an alert again: %d, %v; want 0", n, err)
		}
		// A flagging marked with no message (say, cleared before its
		// alert went) is no longer pending either.
		if _, err := s.RecordSafetyAlerts(ctx, []int64{pending[2].ID}, nil, w.now); err != nil {
			t.Fatal(err)
		}
		rest, err := s.PendingSafetyFlags(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != len(pending)-3 || rest[0].ID != pending[3].ID {
			t.Errorf("pending after three were dealt with: %d from %d, want %d from %d", len(rest), rest[0].ID, len(pending)-3, pending[3].ID)
		}
		out, err := s.Outbox(ctx, createdFlagged.Reference)
		if err != nil || len(out) != 1 || out[0].Kind != "safety_alert" {
			t.Errorf("the alert of %s in its outbox: %+v, %v", createdFlagged.Reference, out, err)
		}

		// A new flagging is pending at once.
		do(ordinary.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true})
		latest, _ := s.PendingSafetyFlags(ctx, 100)
		if last := latest[len(latest)-1]; last.CaseRef != ordinary.Reference || last.Event.Kind != complaint.EventSafetyFlagSet {
			t.Errorf("the newest pending flagging is %s %s, want %s's", last.CaseRef, last.Event.Kind, ordinary.Reference)
		}
	})
}
