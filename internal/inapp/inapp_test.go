package inapp_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/inapp"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var ctx = context.Background()

// world is a real SQLite store, the code-2024 policy and a clock the test
// moves: the processor and every command read the same now.
type world struct {
	t     *testing.T
	st    *sqldb.DB
	dsn   string
	p     *policy.Policy
	cal   *calendar.Calendar
	now   time.Time
	users map[string]store.User
	proc  *inapp.Processor
}

// The people of the tests, by role.
const (
	officer  = "officer@example.org"  // logs the cases
	ann      = "ann@example.org"      // an officer who handles them
	bob      = "bob@example.org"      // another officer
	boss     = "boss@example.org"     // a manager
	boss2    = "boss2@example.org"    // another manager
	reviewer = "reviewer@example.org" // a reviewer, who is not told of unhandled stage 2s
)

func newWorld(t *testing.T, start time.Time) *world {
	t.Helper()
	dsn := testdb.SQLiteDSN(t)
	st, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, cal := policytest.Code(t)
	w := &world{t: t, st: st, dsn: dsn, p: p, cal: cal, now: start, users: map[string]store.User{}}
	for email, role := range map[string]string{officer: "officer", ann: "officer", bob: "officer", boss: "manager", boss2: "manager", reviewer: "reviewer"} {
		u, err := st.CreateUser(ctx, store.User{Email: email, Name: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		w.users[email] = u
	}
	w.proc = &inapp.Processor{Store: st, Calendar: cal, Now: func() time.Time { return w.now }, Batch: 3}
	return w
}

func (w *world) env(actor string, ref store.NewReference) complaint.Env {
	return complaint.Env{Now: w.now, Actor: complaint.Actor{Email: actor, Role: "officer"}, Policy: w.p, Calendar: w.cal, NewReference: ref}
}

func (w *world) create(confidential bool) complaint.Case {
	w.t.Helper()
	received := w.now
	cmd := complaint.Create{
		Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received, Confidential: confidential,
		Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Postcode: "SR3 3XR"},
		Summary:     "Leaking roof not repaired", ServiceArea: "repairs",
	}
	if confidential {
		cmd.LineManager = bob // a policy that keeps confidential cases to the people they name needs one
	}
	c, err := w.st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, w.env(officer, ref))
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) do(ref, actor string, cmd complaint.Command) complaint.Case {
	w.t.Helper()
	c, err := w.st.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env(actor, nr))
	})
	if err != nil {
		w.t.Fatalf("%T on %s: %v", cmd, ref, err)
	}
	return c
}

// toStage2 acknowledges, responds to (with the response letter issued)
// and escalates c, as actor.
func (w *world) toStage2(ref, actor string) complaint.Case {
	w.t.Helper()
	w.do(ref, actor, complaint.Acknowledge{Points: []string{"the roof"}})
	c := w.do(ref, actor, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault"}}})
	pdf := []byte("%PDF-1.3 the stage 1 response to " + ref)
	sum := sha256.Sum256(pdf)
	l := store.Letter{Kind: complaint.ResponseLetterKind(1), Title: "Stage 1 response", Stage: 1, IssuedAt: w.now, IssuedBy: actor,
		Channel: "print", Recipient: "Ada Resident", Subject: "Our response", Body: "Dear resident", PDF: pdf, SHA256: hex.EncodeToString(sum[:])}
	if _, _, err := w.st.IssueLetter(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}, w.env(actor, nr))
	}, l, nil); err != nil {
		w.t.Fatal(err)
	}
	return w.do(ref, actor, complaint.Escalate{Reason: "Still leaking"})
}

// run runs the processor once, as the app does every few seconds.
func (w *world) run() int {
	w.t.Helper()
	n, err := w.proc.RunOnce(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// notices lists what email's user has, as "kind ref" strings, oldest
// first, as a user who sees every case would see them.
func (w *world) notices(email string) []string {
	w.t.Helper()
	ns, err := w.st.StaffNotices(ctx, w.users[email].ID, store.Viewer{Email: email, AllConfidential: true}, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	out := []string{}
	for _, n := range slices.Backward(ns) {
		s := string(n.Kind) + " " + n.CaseRef
		if !n.Due.IsZero() {
			s += " " + n.Due.String()
		}
		out = append(out, s)
	}
	return out
}

func (w *world) want(email string, want ...string) {
	w.t.Helper()
	if want == nil {
		want = []string{}
	}
	if got := w.notices(email); !slices.Equal(got, want) {
		w.t.Errorf("%s has notices %q, want %q", email, got, want)
	}
}

// start is a Monday morning in London; the tests move their clock from
// it, so they pass whatever the date they run on.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestAssigningACaseTellsTheAssigneeButNotWhoAssignedThemselves(t *testing.T) {
	w := newWorld(t, start)
	c := w.create(false)
	d := w.create(false)
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	w.do(d.Reference, bob, complaint.Assign{Handler: bob, HandlerRole: "officer"}) // "assign to me"
	if n := w.run(); n != 1 {
		t.Errorf("the processor added %d notices, want 1", n)
	}
	w.want(ann, "assigned "+c.Reference)
	w.want(bob)
	w.want(boss)
}

func TestNewInformationFromTheResidentTellsTheHandler(t *testing.T) {
	w := newWorld(t, start)
	c := w.create(false)
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	w.do(c.Reference, "resident", complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "Photos of the ceiling"})
	w.do(c.Reference, "inbound", complaint.AddInformation{Source: "email", From: "ada@example.org", Text: "It is worse"})
	// What staff add is not news from the resident.
	w.do(c.Reference, bob, complaint.AddInformation{Source: "staff", From: "Ada Resident", Text: "Said on the phone"})
	// A case nobody handles has nobody to tell.
	d := w.create(false)
	w.do(d.Reference, "resident", complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "Any news?"})
	w.run()
	w.want(ann, "assigned "+c.Reference, "new_information "+c.Reference, "new_information "+c.Reference)
	w.want(bob)
	w.want(boss)
}

func TestStageTwoRequestTellsTheHandlerOrWhenThereIsNoneTheManagers(t *testing.T) {
	w := newWorld(t, start)
	// Escalation leaves stage 2 with no handler: the managers are told,
	// but not the one who escalated it.
	c := w.create(false)
	w.toStage2(c.Reference, boss)
	w.run()
	w.want(boss)
	w.want(boss2, "stage2_requested "+c.Reference)
	w.want(reviewer)
	w.want(ann)
	// Once stage 2 has a handler, new information goes to them.
	w.do(c.Reference, boss2, complaint.Assign{Handler: reviewer, HandlerRole: "reviewer"})
	w.do(c.Reference, "resident", complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "More photos"})
	w.run()
	w.want(reviewer, "assigned "+c.Reference, "new_information "+c.Reference)
}

func TestStageTwoRequestGoesToTheHandlerWhenTheCaseHasOne(t *testing.T) {
	w := newWorld(t, start)
	c := w.create(false)
	w.toStage2(c.Reference, officer)
	// Assigned before the processor runs: the escalation is told to the
	// handler the case has when its notices are decided.
	w.do(c.Reference, boss, complaint.Assign{Handler: reviewer, HandlerRole: "reviewer"})
	w.run()
	w.want(reviewer, "stage2_requested "+c.Reference, "assigned "+c.Reference)
	w.want(boss)
	w.want(boss2)
}

func TestProcessingTheSameEventsTwiceMakesEachNoticeOnce(t *testing.T) {
	w := newWorld(t, start)
	var refs []string
	for range 4 {
		c := w.create(false)
		w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
		refs = append(refs, c.Reference)
	}
	// Batches of three: the processor goes on until it is caught up.
	if n := w.run(); n != 4 {
		t.Fatalf("first run added %d, want 4", n)
	}
	if n := w.run(); n != 0 {
		t.Errorf("second run added %d, want 0", n)
	}
	// A cursor set back (a restore, a crash before it moved) reads the
	// same events again and adds nothing.
	raw, err := sqldb.OpenRaw(w.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `UPDATE staff_notice_cursor SET last_event_id = 0`); err != nil {
		t.Fatal(err)
	}
	if n := w.run(); n != 0 {
		t.Errorf("a run from the start again added %d, want 0", n)
	}
	var want []string
	for _, r := range refs {
		want = append(want, "assigned "+r)
	}
	w.want(ann, want...)
	// Two processors at once (two instances) make each notice once too.
	c := w.create(false)
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	other := *w.proc
	errs := make(chan error, 2)
	for _, p := range []*inapp.Processor{w.proc, &other} {
		go func() { _, err := p.RunOnce(ctx); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	w.want(ann, append(want, "assigned "+c.Reference)...)
}

func TestANoticeNeverRevealsAConfidentialCase(t *testing.T) {
	w := newWorld(t, start)
	w.p.Confidential.NamedViewersOnly = true // managers see only the confidential cases that name them
	w.proc.NamedOnly = true
	c := w.create(true)
	w.toStage2(c.Reference, officer)
	w.run()
	// Neither manager is named on it, so neither is told of it, though
	// the stage 2 is unhandled.
	w.want(boss)
	w.want(boss2)
	// The handler it is assigned to is named by it, and told; a viewer it
	// does not name is neither shown nor counted the notice.
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	w.run()
	w.want(ann, "assigned "+c.Reference)
	ns, err := w.st.StaffNotices(ctx, w.users[ann].ID, store.Viewer{Email: "someone.else@example.org"}, 10)
	if err != nil || len(ns) != 0 {
		t.Errorf("a viewer the confidential case does not name sees %d of its notices (%v)", len(ns), err)
	}
	if n, err := w.st.UnreadStaffNotices(ctx, w.users[ann].ID, store.Viewer{Email: "someone.else@example.org"}); err != nil || n != 0 {
		t.Errorf("a viewer the confidential case does not name counts %d unread (%v)", n, err)
	}
}

// TestDueTomorrowIsToldOnceOnTheWorkingDayBefore sweeps every day from a
// case's receipt to its acknowledgement's deadline, as the app does once
// a day, twice each day: its handler is told once, on the working day
// before (or on a weekend day with no working day between), and never
// for a case with someone else's or no handler.
func TestDueTomorrowIsToldOnceOnTheWorkingDayBefore(t *testing.T) {
	// Cases received on a Monday, on a Friday and in the week of Easter
	// 2026 (Good Friday 3 April, Easter Monday 6 April), so that
	// deadlines after a weekend and after bank holidays are swept.
	for _, received := range []time.Time{start, start.AddDate(0, 0, 4), time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)} {
		t.Run(calendar.DateOf(received).String(), func(t *testing.T) {
			w := newWorld(t, received)
			c := w.create(false)
			w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
			w.create(false) // nobody handles it
			w.run()
			ackBy := c.Stages[0].AcknowledgeBy
			var toldOn []calendar.Date
			for day := calendar.DateOf(received); !day.After(ackBy); day = day.AddDays(1) {
				w.now = day.Start().Add(7 * time.Hour)
				for range 2 {
					n, err := w.proc.SweepDue(ctx, day)
					if err != nil {
						t.Fatal(err)
					}
					if n > 0 {
						toldOn = append(toldOn, day)
					}
				}
			}
			if len(toldOn) != 1 {
				t.Fatalf("told on %v, want once", toldOn)
			}
			if next, _ := w.cal.AddWorkingDays(toldOn[0], 1); next != ackBy {
				t.Errorf("told on %s, whose next working day is %s, not the deadline %s", toldOn[0], next, ackBy)
			}
			w.want(ann, "assigned "+c.Reference, "due_tomorrow "+c.Reference+" "+ackBy.String())
			w.want(boss)
		})
	}
}

// TestDueTomorrowFollowsTheResponseDeadlineToo: once acknowledged, the
// next deadline is the response's, told once on the working day before.
func TestDueTomorrowFollowsTheResponseDeadlineToo(t *testing.T) {
	w := newWorld(t, start)
	c := w.create(false)
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	c = w.do(c.Reference, ann, complaint.Acknowledge{Points: []string{"the roof"}})
	w.run()
	respondBy := c.Stages[0].RespondBy
	day := respondBy.AddDays(-1)
	for !w.cal.IsWorkingDay(day) {
		day = day.AddDays(-1)
	}
	for _, d := range []calendar.Date{day.AddDays(-1), day, day} {
		if _, err := w.proc.SweepDue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	w.want(ann, "assigned "+c.Reference, fmt.Sprintf("due_tomorrow %s %s", c.Reference, respondBy))
}

// TestRunMakesEventNoticesAndSweepsTheDay: Run, as the app starts it,
// both reads the events and sweeps the deadlines of its clock's day.
func TestRunMakesEventNoticesAndSweepsTheDay(t *testing.T) {
	w := newWorld(t, start)
	c := w.create(false)
	w.do(c.Reference, boss, complaint.Assign{Handler: ann, HandlerRole: "officer"})
	ackBy := c.Stages[0].AcknowledgeBy
	day := ackBy.AddDays(-1)
	for !w.cal.IsWorkingDay(day) {
		day = day.AddDays(-1)
	}
	w.now = day.Start().Add(8 * time.Hour) // set before Run reads it, never after
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.proc.Run(runCtx, 10*time.Millisecond); close(done) }()
	defer func() { stop(); <-done }()
	want := []string{"assigned " + c.Reference, "due_tomorrow " + c.Reference + " " + ackBy.String()}
	for range 500 { // waiting, not timing: up to five seconds
		got := w.notices(ann)
		slices.Sort(got)
		if slices.Equal(got, want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("Run made %q, want %q", w.notices(ann), want)
}
