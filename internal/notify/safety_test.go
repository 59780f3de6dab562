package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/notify"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// A contact flagged as a health-and-safety risk reaches the senior
// manager at once, not after the hold, and only once; other contacts
// raise no alert.
func TestHealthAndSafetyEscalatesAtOnce(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	ordinary := w.create(adaComplaint("phone"))
	risky := adaComplaint("phone")
	risky.HealthAndSafety = true
	risky.ServiceArea = "repairs"
	c := w.create(risky)

	// Within the hold: nothing else goes, but the alert does.
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	alerts := func(ref string) []string {
		out, err := w.db.Outbox(w.ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range out {
			got = append(got, m.Kind+" to "+m.To)
		}
		return got
	}
	if got := alerts(c.Reference); !slices.Equal(got, []string{`safety_alert to "Mo Manager" <mo@landlord.example>`}) {
		t.Errorf("within the hold, the flagged case's mail = %q, want only the alert to the manager", got)
	}
	if got := alerts(ordinary.Reference); len(got) != 0 {
		t.Errorf("an ordinary case raised %q within the hold", got)
	}
	out, _ := w.db.Outbox(w.ctx, c.Reference)
	body := out[0].TextBody
	for _, want := range []string{c.Reference, "health and safety risk", "Service area: repairs", "Handler: not yet assigned", "https://complaints.example/cases/" + c.Reference} {
		if !strings.Contains(body, want) {
			t.Errorf("the alert does not say %q:\n%s", want, body)
		}
	}
	for _, private := range []string{"Ada", "asthma", "Mould", "07700"} {
		if strings.Contains(body, private) || strings.Contains(out[0].Subject, private) {
			t.Errorf("the alert holds %q, which belongs on the case page", private)
		}
	}

	// Running again within the hold, and after it, sends it no second time.
	w.relay.RunOnce(w.ctx)
	w.relayAfterHold()
	got := alerts(c.Reference)
	if n := strings.Count(strings.Join(got, "\n"), "safety_alert"); n != 1 {
		t.Errorf("alerts after the hold: %q", got)
	}
	if !slices.Contains(got, "notice_created to \"Ada Resident\" <ada@example.org>") {
		t.Errorf("the resident's confirmation did not follow: %q", got)
	}

	// Named contacts take the place of the managers.
	w.relay.SafetyContacts = []string{"Head of Repairs <head.repairs@landlord.example>"}
	risky.Complainant.Email = "bo@example.org"
	c2 := w.create(risky)
	w.relay.RunOnce(w.ctx)
	if got := alerts(c2.Reference); !slices.Equal(got, []string{"safety_alert to Head of Repairs <head.repairs@landlord.example>"}) {
		t.Errorf("with a named contact: %q", got)
	}
}

// backlog records n ordinary contacts in one transaction, each a created
// event waiting for the relay, at the world's clock.
func (w *world) backlog(n int) {
	w.t.Helper()
	decides := make([]func(store.NewReference) (complaint.Case, complaint.Event, error), n)
	for i := range decides {
		cmd := adaComplaint("web")
		cmd.Complainant.Email = fmt.Sprintf("resident%d@example.org", i)
		decides[i] = func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(cmd, w.env(officer, nr))
		}
	}
	if err := w.db.ImportCases(w.ctx, decides); err != nil {
		w.t.Fatal(err)
	}
}

// safetyAlerts lists the safety alerts in a case's outbox.
func (w *world) safetyAlerts(ref string) []store.OutboundMessage {
	w.t.Helper()
	var out []store.OutboundMessage
	for _, m := range outbox(w.t, w, ref) {
		if m.Kind == "safety_alert" {
			out = append(out, m)
		}
	}
	return out
}

// firstRead is the relay's store, which notes whether the alert of ref
// was already in the outbox when the relay first read the event log for
// ordinary notices, and then ends the run: what happens after does not
// matter to the order.
type firstRead struct {
	*sqldb.DB
	w       *world
	ref     string
	stop    context.CancelFunc
	reads   int
	alerted bool
}

func (f *firstRead) EventsAfter(ctx context.Context, after int64, limit int) ([]store.CaseEvent, error) {
	if f.reads++; f.reads == 1 {
		f.alerted = len(f.w.safetyAlerts(f.ref)) > 0
		f.stop()
	}
	return f.DB.EventsAfter(ctx, after, limit)
}

// TestAFlagIsAlertedAheadOfEveryEventWaitingInTheRelay is 003's rule as
// issue 12 (rule 10) reads it: a contact flagged as a health-and-safety
// risk is alerted to the senior managers within a minute of being
// flagged, whenever it was received and however many other events are
// waiting. Through the real relay and a real SQLite store: thousands of
// events wait, then a case received two years ago is flagged, and a case
// received three years ago is logged flagged; one run of the relay
// queues both alerts, though it reaches none of the waiting events (they
// are inside the hold). Then, with the backlog past the hold and ready to
// be read, a further flag is alerted before the relay reads the first of
// them.
func TestAFlagIsAlertedAheadOfEveryEventWaitingInTheRelay(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	w.clock = start.AddDate(-3, 0, 0)
	threeYearsAgo := w.clock
	w.clock = start.AddDate(-2, 0, 0)
	old := w.create(adaComplaint("phone"))
	older := w.create(adaComplaint("letter"))
	w.clock = start
	w.relayAfterHold() // the old cases' own events are dealt with
	w.clock = w.clock.Add(time.Hour)

	const waiting = 2000
	w.backlog(waiting)
	cursor, err := w.db.NotifyCursor(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.clock = w.clock.Add(time.Second)
	flagged := w.do(old.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true, Reason: "Wiring exposed"})
	risky := adaComplaint("letter")
	risky.ReceivedAt = &threeYearsAgo // logged today from a letter found three years late
	risky.HealthAndSafety = true
	loggedFlagged := w.create(risky)

	begun := clock.Wall()
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	if took := clock.Wall().Sub(begun); took > 10*time.Second {
		t.Errorf("one run of the relay took %s with %d events waiting", took, waiting)
	}
	for _, c := range []complaint.Case{flagged, loggedFlagged} {
		if got := w.safetyAlerts(c.Reference); len(got) != 1 || got[0].To != `"Mo Manager" <mo@landlord.example>` {
			t.Errorf("%s: alerts after one run with %d events waiting = %+v, want one to the manager", c.Reference, waiting, got)
		}
	}
	if body := w.safetyAlerts(flagged.Reference); len(body) == 1 && !strings.Contains(body[0].TextBody, "received on 23 November 2024, was flagged as a health and safety risk on 23 November 2026") {
		t.Errorf("the alert of a flag set later does not say when the case came and when it was flagged:\n%s", body[0].TextBody)
	}
	if now, _ := w.db.NotifyCursor(w.ctx); now != cursor {
		t.Errorf("the relay moved its cursor from %d to %d: the waiting events were inside the hold", cursor, now)
	}

	// The backlog is past its hold, ready to be read; a case is flagged
	// behind it.
	w.clock = w.clock.Add(notify.DefaultHold + time.Minute)
	w.do(older.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true})
	ctx, stop := context.WithCancel(w.ctx)
	defer stop()
	fr := &firstRead{DB: w.db, w: w, ref: older.Reference, stop: stop}
	relay := *w.relay
	relay.Store = fr
	relay.RunOnce(ctx)
	if fr.reads == 0 || !fr.alerted {
		t.Errorf("the relay read the event log %d times; the alert was queued before the first: %v", fr.reads, fr.alerted)
	}

	// Once per flagging: runs again alert no one again.
	w.relay.RunOnce(w.ctx)
	for _, c := range []complaint.Case{flagged, loggedFlagged, older} {
		if got := w.safetyAlerts(c.Reference); len(got) != 1 {
			t.Errorf("%s: %d alerts after runs again, want 1", c.Reference, len(got))
		}
	}
}

// TestEachFlaggingAlertsOnceAndAFlagDealtWithBeforeItsAlertAlertsNoOne:
// a flag cleared or acknowledged before the relay runs needs no alert;
// a flag set again after it was cleared is a new flagging and alerts
// again; the same flagging never alerts twice.
func TestEachFlaggingAlertsOnceAndAFlagDealtWithBeforeItsAlertAlertsNoOne(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	risky := adaComplaint("phone")
	risky.HealthAndSafety = true
	cleared := w.create(risky)
	w.do(cleared.Reference, manager, complaint.FlagHealthAndSafety{Flagged: false, Reason: "Logged as a risk by mistake"})
	risky.Complainant.Email = "bo@example.org"
	acked := w.create(risky)
	w.do(acked.Reference, manager, complaint.AcknowledgeHealthAndSafety{Note: "On it"})
	again := w.create(adaComplaint("web"))
	w.do(again.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true})

	w.relay.RunOnce(w.ctx)
	for ref, want := range map[string]int{cleared.Reference: 0, acked.Reference: 0, again.Reference: 1} {
		if got := len(w.safetyAlerts(ref)); got != want {
			t.Errorf("%s: %d alerts, want %d", ref, got, want)
		}
	}
	if pending, err := w.db.PendingSafetyFlags(w.ctx, 10); err != nil || len(pending) != 0 {
		t.Errorf("flaggings still pending after a run: %+v, %v", pending, err)
	}

	w.clock = w.clock.Add(time.Hour)
	w.do(again.Reference, manager, complaint.AcknowledgeHealthAndSafety{})
	w.do(again.Reference, officer, complaint.FlagHealthAndSafety{Flagged: false, Reason: "Made safe"})
	w.relay.RunOnce(w.ctx)
	if got := len(w.safetyAlerts(again.Reference)); got != 1 {
		t.Errorf("acknowledged and cleared: %d alerts, want still 1", got)
	}
	w.clock = w.clock.Add(time.Hour)
	w.do(again.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true, Reason: "Sparking again"})
	w.relay.RunOnce(w.ctx)
	w.relay.RunOnce(w.ctx)
	if got := len(w.safetyAlerts(again.Reference)); got != 2 {
		t.Errorf("flagged a second time: %d alerts, want 2", got)
	}
}

// TestRunAlertsAFlagWithoutWaitingForTheNextRunOfNotices: while the
// relay runs, a flag is alerted within SafetyEvery, though the next run
// of notices is an hour away.
func TestRunAlertsAFlagWithoutWaitingForTheNextRunOfNotices(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	c := w.create(adaComplaint("phone"))
	w.relay.SafetyEvery = 20 * time.Millisecond
	ctx, stop := context.WithCancel(w.ctx)
	done := make(chan struct{})
	go func() { w.relay.Run(ctx, time.Hour); close(done) }()
	defer func() { stop(); <-done }()

	w.do(c.Reference, officer, complaint.FlagHealthAndSafety{Flagged: true})
	deadline := clock.Wall().Add(5 * time.Second)
	for len(w.safetyAlerts(c.Reference)) == 0 {
		if clock.Wall().After(deadline) {
			t.Fatal("no alert 5 seconds after the flag, with SafetyEvery 20ms")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A hazard classed under Awaab's Law on a contact not flagged flags it,
// and the senior managers hear of it at once, as of any flagging; a
// second classification of the same hazard does not alert again.
func TestAHazardClassedIsAlertedAsAFlagging(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	c := w.create(adaComplaint("phone"))
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	c = w.do(c.Reference, officer, complaint.ClassifyHazard{Class: complaint.HazardEmergency, Description: "Exposed wiring"})
	if !c.HealthAndSafety || !c.SafetyWaiting() {
		t.Fatalf("classing a hazard did not flag the case: flagged %v", c.HealthAndSafety)
	}
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	var alerts []store.OutboundMessage
	out, err := w.db.Outbox(w.ctx, c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range out {
		if m.Kind == "safety_alert" {
			alerts = append(alerts, m)
		}
	}
	if len(alerts) != 1 || !strings.Contains(alerts[0].TextBody, "an emergency hazard under Awaab's Law") {
		t.Fatalf("alerts after classing = %+v, want one naming the emergency", alerts)
	}
	// Reclassed: already flagged, so no new flagging and no new alert.
	w.do(c.Reference, officer, complaint.ClassifyHazard{Class: complaint.HazardSignificant})
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	out, _ = w.db.Outbox(w.ctx, c.Reference)
	n := 0
	for _, m := range out {
		if m.Kind == "safety_alert" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d alerts after reclassing, want still 1", n)
	}
}
