package notify_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/notify"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// world is a real SQLite store, the Code's policy, and a clock the test
// moves.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *sqldb.DB
	p     *policy.Policy
	cal   *calendar.Calendar
	clock time.Time
	relay *notify.Relay
	users map[string]store.User
}

const (
	officer  = "olu@landlord.example"
	officer2 = "priya@landlord.example"
	reviewer = "rita@landlord.example"
	manager  = "mo@landlord.example"
	admin    = "ann@landlord.example"
	viewer   = "vic@landlord.example"
)

func newWorld(t *testing.T, start time.Time) *world {
	t.Helper()
	ctx := context.Background()
	db := testdb.Open(t, sqldb.Options{})
	p, cal := policytest.Code(t)
	w := &world{t: t, ctx: ctx, db: db, p: p, cal: cal, clock: start, users: map[string]store.User{}}
	for _, u := range []store.User{
		{Email: officer, Name: "Olu Officer", Role: "officer"},
		{Email: officer2, Name: "Priya Officer", Role: "officer"},
		{Email: reviewer, Name: "Rita Reviewer", Role: "reviewer"},
		{Email: manager, Name: "Mo Manager", Role: "manager"},
		{Email: admin, Name: "Ann Admin", Role: "admin"},
		{Email: viewer, Name: "Vic Viewer", Role: "viewer"},
	} {
		u, err := db.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		w.users[u.Email] = u
	}
	w.relay = &notify.Relay{
		Store: db, Now: func() time.Time { return w.clock }, Calendar: cal, Policy: p,
		BaseURL: "https://complaints.example/", ServiceName: "Complaints team",
	}
	return w
}

func (w *world) env(actor string, nr store.NewReference) complaint.Env {
	return complaint.Env{Now: w.clock, Actor: complaint.Actor{Email: actor, Role: w.users[actor].Role}, Policy: w.p, Calendar: w.cal, NewReference: nr}
}

func (w *world) create(cmd complaint.Create) complaint.Case {
	w.t.Helper()
	c, err := w.db.CreateCase(w.ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, w.env(officer, nr))
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) do(ref, actor string, cmd complaint.Command) complaint.Case {
	w.t.Helper()
	c, err := w.db.UpdateCase(w.ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env(actor, nr))
	})
	if err != nil {
		w.t.Fatalf("%T: %v", cmd, err)
	}
	return c
}

// relayAfterHold moves the clock past the relay's hold and runs it.
func (w *world) relayAfterHold() int {
	w.t.Helper()
	w.clock = w.clock.Add(notify.DefaultHold + time.Minute)
	n, err := w.relay.RunOnce(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func adaComplaint(channel complaint.Channel) complaint.Create {
	return complaint.Create{
		Kind: complaint.KindComplaint, Channel: channel,
		Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Phone: "07700 900123"},
		Summary:     "Mould in the back bedroom", Description: "My son has asthma and the mould is back",
	}
}

// sent is an outbox message as the tests compare it.
type sent struct{ kind, to, subject string }

func outbox(t *testing.T, w *world, ref string) []store.OutboundMessage {
	t.Helper()
	ms, err := w.db.Outbox(w.ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func summarise(ms []store.OutboundMessage) []sent {
	var out []sent
	for _, m := range ms {
		out = append(out, sent{m.Kind, m.To, m.Subject})
	}
	return out
}

// TestRelayNotifiesEachStepOnceThroughTwoStages drives a complaint from
// receipt to a closed stage 2 through the real store, relaying after each
// step, and checks the outbox holds exactly the notices due, then that
// neither a rerun nor a replay from the start (a cursor lost in a crash)
// queues any twice, and that the survey link answers once.
func TestRelayNotifiesEachStepOnceThroughTwoStages(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London))
	c := w.create(adaComplaint("web"))
	ref := c.Reference
	steps := []struct {
		actor string
		cmd   complaint.Command
		want  int
	}{
		{"", nil, 1}, // the confirmation of the complaint created above
		{manager, complaint.Assign{Handler: officer, HandlerRole: "officer"}, 1},
		{officer, complaint.Acknowledge{Points: []string{"The mould was not treated"}}, 1},
		{officer, complaint.Extend{WorkingDays: 5, Reason: "Waiting for a damp survey", OmbudsmanDetailsGiven: true}, 1},
		{officer, complaint.Note{Text: "Survey booked"}, 0},
		// Recording the decisions is a draft no one hears of; the response
		// letter, sent by post, is the response.
		{officer, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "We were slow"}}}, 0},
		{officer, letterCmd("stage1_response", "print"), 1},
		{officer, complaint.Escalate{Reason: "The mould is back"}, 1},
		{manager, complaint.Assign{Handler: reviewer, HandlerRole: "reviewer"}, 1},
		{reviewer, complaint.Assign{Handler: reviewer, HandlerRole: "reviewer"}, 0}, // already theirs, and by themselves
		{reviewer, complaint.Acknowledge{Points: []string{"The mould came back after the repair"}}, 1},
		{reviewer, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "partly_upheld", Reasons: "The repair was poor"}}}, 0},
		{reviewer, letterCmd("stage2_response", "print"), 1},
		{reviewer, complaint.Close{}, 1},
	}
	total := 0
	for i, st := range steps {
		if st.cmd != nil {
			w.clock = w.clock.Add(24 * time.Hour)
			w.do(ref, st.actor, st.cmd)
		}
		// Within the hold nothing is decided.
		if n, err := w.relay.RunOnce(w.ctx); err != nil || n != 0 {
			t.Fatalf("step %d (%T) within the hold: queued %d, %v", i, st.cmd, n, err)
		}
		if n := w.relayAfterHold(); n != st.want {
			t.Fatalf("step %d (%T): queued %d notices, want %d", i, st.cmd, n, st.want)
		}
		total += st.want
	}
	ada := `"Ada Resident" <ada@example.org>`
	want := []sent{
		{"notice_created", ada, "We have received your complaint (C-2026-000001)"},
		{"notice_assigned", `"Olu Officer" <olu@landlord.example>`, "Case C-2026-000001 has been assigned to you"},
		{"notice_acknowledged", ada, "We have acknowledged your complaint (C-2026-000001)"},
		{"notice_extended", ada, "We need more time to respond to your complaint (C-2026-000001)"},
		{"notice_responded", ada, "We have responded to your complaint (C-2026-000001)"},
		{"notice_escalated", ada, "Your complaint has moved to stage 2 (C-2026-000001)"},
		{"notice_assigned", `"Rita Reviewer" <rita@landlord.example>`, "Case C-2026-000001 has been assigned to you"},
		{"notice_acknowledged", ada, "We have acknowledged your complaint (C-2026-000001)"},
		{"notice_responded", ada, "Our final response to your complaint (C-2026-000001)"},
		{"notice_closed", ada, "We have closed your complaint: tell us how we did (C-2026-000001)"},
	}
	ms := outbox(t, w, ref)
	if got := summarise(ms); !slices.Equal(got, want) || total != len(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", lines(got), lines(want))
	}
	for _, m := range ms {
		if testing.Verbose() {
			t.Logf("To: %s\nSubject: %s\n\n%s", m.To, m.Subject, m.TextBody)
		}
		if m.CaseRef != ref || m.Status != store.OutboxQueued || !strings.HasPrefix(m.DedupeKey, "notice:") {
			t.Errorf("message %d: case %q, status %s, key %q", m.ID, m.CaseRef, m.Status, m.DedupeKey)
		}
		if strings.Contains(m.TextBody, "Mould") || strings.Contains(m.TextBody, "asthma") || strings.Contains(m.TextBody, "07700") {
			t.Errorf("message %q holds the complaint's words or the resident's phone:\n%s", m.Subject, m.TextBody)
		}
	}

	// A rerun finds nothing; a replay from the first event (as if the
	// cursor were lost) queues nothing new either.
	if n, err := w.relay.RunOnce(w.ctx); err != nil || n != 0 {
		t.Fatalf("rerun queued %d, %v", n, err)
	}
	if err := w.db.SetNotifyCursor(w.ctx, 0, w.clock); err != nil {
		t.Fatal(err)
	}
	replay := *w.relay
	replay.MaxAge = -1 // every event in reach, however old
	if n, err := replay.RunOnce(w.ctx); err != nil || n != 0 {
		t.Fatalf("replay queued %d, %v", n, err)
	}
	if got := summarise(outbox(t, w, ref)); !slices.Equal(got, want) {
		t.Fatalf("after the replay the outbox is:\n%s", lines(got))
	}
	if cur, err := w.db.NotifyCursor(w.ctx); err != nil || cur == 0 {
		t.Fatalf("cursor %d after the replay, %v", cur, err)
	}

	// The closed notice's survey link answers once.
	closed := ms[len(ms)-1].TextBody
	i := strings.Index(closed, "https://complaints.example/survey/")
	if i < 0 {
		t.Fatalf("no survey link in:\n%s", closed)
	}
	token := strings.Fields(closed[i+len("https://complaints.example/survey/"):])[0]
	sum := sha256.Sum256([]byte(token))
	hash := hex.EncodeToString(sum[:])
	if hash != notify.SurveyTokenHash(token) {
		t.Fatal("SurveyTokenHash is not the SHA-256 of the token")
	}
	inv, err := w.db.SurveyInviteByHash(w.ctx, hash)
	if err != nil || inv.CaseRef != ref || inv.ExpiresAt.Sub(inv.CreatedAt) != notify.DefaultSurveyValidFor {
		t.Fatalf("invitation %+v, %v", inv, err)
	}
	if _, err := w.db.AnswerSurvey(w.ctx, hash, "fairly_satisfied", "", w.clock); err != nil {
		t.Fatalf("answering the survey: %v", err)
	}
	if _, err := w.db.AnswerSurvey(w.ctx, hash, "very_satisfied", "", w.clock); complaint.ErrorCode(err) != complaint.Conflict {
		t.Fatalf("answering twice: %v", err)
	}
}

// TestRelayLetsAnEmailedLetterStandForItsNotice issues the stage 1
// acknowledgement letter by email just after acknowledging: the resident
// gets the letter and no notice besides.
func TestRelayLetsAnEmailedLetterStandForItsNotice(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London))
	ref := w.create(adaComplaint("email")).Reference
	w.relayAfterHold()
	w.clock = w.clock.Add(24 * time.Hour)
	w.do(ref, officer, complaint.Acknowledge{Points: []string{"The mould was not treated"}})
	w.clock = w.clock.Add(5 * time.Minute)
	pdf := []byte("%PDF-1.7 acknowledgement")
	sum := sha256.Sum256(pdf)
	hash := hex.EncodeToString(sum[:])
	l := store.Letter{Kind: "acknowledgement", Title: "Acknowledgement", Stage: 1, IssuedAt: w.clock, IssuedBy: officer,
		Channel: "email", Recipient: "Ada Resident", Subject: "Your complaint", Body: "Dear Ada", PDF: pdf, SHA256: hash}
	m := &store.OutboundMessage{To: "ada@example.org", Subject: "Your complaint (" + ref + ")", TextBody: "Dear Ada", Kind: "letter", DedupeKey: "letter:" + hash}
	if _, _, err := w.db.IssueLetter(w.ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: hash}, w.env(officer, nr))
	}, l, m); err != nil {
		t.Fatal(err)
	}
	if n := w.relayAfterHold(); n != 0 {
		t.Fatalf("queued %d notices beside the letter", n)
	}
	want := []sent{
		{"notice_created", `"Ada Resident" <ada@example.org>`, "We have received your complaint (C-2026-000001)"},
		{"letter", "ada@example.org", "Your complaint (C-2026-000001)"},
	}
	if got := summarise(outbox(t, w, ref)); !slices.Equal(got, want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", lines(got), lines(want))
	}
}

// TestRelayHoldsRecentEventsInOrder checks that an event still within
// its hold stops the relay without being skipped, and goes later.
func TestRelayHoldsRecentEventsInOrder(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London))
	first := w.create(adaComplaint("phone")).Reference
	w.clock = w.clock.Add(10 * time.Minute)
	second := w.create(adaComplaint("letter")).Reference
	// Three minutes later the first is past a five-minute hold, the
	// second not.
	w.clock = w.clock.Add(3 * time.Minute)
	w.relay.Hold = 5 * time.Minute
	if n, err := w.relay.RunOnce(w.ctx); err != nil || n != 1 {
		t.Fatalf("queued %d, %v; want the first case's notice only", n, err)
	}
	if len(outbox(t, w, first)) != 1 || len(outbox(t, w, second)) != 0 {
		t.Fatalf("outboxes: %d and %d messages", len(outbox(t, w, first)), len(outbox(t, w, second)))
	}
	w.clock = w.clock.Add(5 * time.Minute)
	if n, err := w.relay.RunOnce(w.ctx); err != nil || n != 1 || len(outbox(t, w, second)) != 1 {
		t.Fatalf("queued %d, %v; want the second case's notice", n, err)
	}
	// A crash that lost the cursor: both notices are decided again, and
	// their keys keep them from being queued twice.
	if err := w.db.SetNotifyCursor(w.ctx, 0, w.clock); err != nil {
		t.Fatal(err)
	}
	if n, err := w.relay.RunOnce(w.ctx); err != nil || n != 0 || len(outbox(t, w, first)) != 1 || len(outbox(t, w, second)) != 1 {
		t.Fatalf("replay queued %d, %v", n, err)
	}
}

// TestRelayReadsInBatches checks a backlog larger than a batch is read
// through to the end in one run.
func TestRelayReadsInBatches(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London))
	for range 7 {
		w.create(adaComplaint("phone"))
	}
	w.relay.Batch = 3
	if n := w.relayAfterHold(); n != 7 {
		t.Fatalf("queued %d, want 7", n)
	}
}

func lines(ss []sent) string {
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "  %s to %s: %s\n", s.kind, s.to, s.subject)
	}
	return b.String()
}

// TestRunSendsTheDigestFromItsHour runs the loop once before the digest
// hour and once after: notices go at once, the digest only from 07:00
// London time.
func TestRunSendsTheDigestFromItsHour(t *testing.T) {
	w := newWorld(t, time.Date(2026, 12, 1, 6, 30, 0, 0, calendar.London))
	cmd := adaComplaint("phone")
	received := time.Date(2026, 11, 26, 10, 0, 0, 0, calendar.London)
	cmd.ReceivedAt = &received
	ref := w.create(cmd).Reference
	w.do(ref, manager, complaint.Assign{Handler: officer, HandlerRole: "officer"})
	queued := make(chan struct{}, 10)
	w.relay.Queued = func() { queued <- struct{}{} }
	// runOnce runs the loop for one turn: its interval is longer than the
	// test, and it is stopped as soon as it has queued something.
	runOnce := func() {
		t.Helper()
		ctx, cancel := context.WithCancel(w.ctx)
		done := make(chan struct{})
		go func() { w.relay.Run(ctx, time.Hour); close(done) }()
		select {
		case <-queued:
		case <-time.After(mailtest.Bound):
			cancel()
			<-done
			t.Fatalf("the relay queued nothing within %s", mailtest.Bound)
		}
		cancel()
		<-done
	}
	w.clock = w.clock.Add(20 * time.Minute) // 06:50: the notices, no digest
	runOnce()
	if got := len(outbox(t, w, ref)); got != 2 {
		t.Fatalf("%d notices, want the confirmation and the assignment", got)
	}
	if got := claimDigests(t, w); len(got) != 0 {
		t.Fatalf("a digest before 07:00")
	}
	w.clock = w.clock.Add(15 * time.Minute) // 07:05
	runOnce()
	if got := claimDigests(t, w); len(got) != 1 || addrOf(got[0].To) != officer {
		t.Fatalf("digests after 07:00: %+v", got)
	}
}

// letterCmd records a letter issued on a case, as issuing it would.
func letterCmd(kind, channel string) complaint.RecordLetter {
	return complaint.RecordLetter{Kind: kind, Title: kind, Channel: channel, SHA256: strings.Repeat("cd", 32)}
}
