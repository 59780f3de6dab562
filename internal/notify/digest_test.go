package notify_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestDigestListsWhatIsDueOncePerWorkingDay sets up cases overdue, due
// today, due within two working days and due later, for two officers,
// nobody, and a handler who is not a user, and checks each user who can
// act gets one digest with their items, managers also what nobody
// handles, confidential cases without their reference; and that a second
// run the same day, a Saturday and a bank holiday queue nothing.
func TestDigestListsWhatIsDueOncePerWorkingDay(t *testing.T) {
	day := calendar.MustParseDate("2026-12-01") // a Tuesday
	w := newWorld(t, time.Date(2026, 12, 1, 8, 0, 0, 0, calendar.London))
	received := func(d string) complaint.Create {
		dd := calendar.MustParseDate(d)
		at := time.Date(dd.Year(), dd.Month(), dd.Day(), 10, 0, 0, 0, calendar.London)
		c := adaComplaint("phone")
		c.ReceivedAt = &at
		return c
	}
	assign := func(ref, to string) {
		w.do(ref, manager, complaint.Assign{Handler: to, HandlerRole: "officer"})
	}
	overdue := w.create(received("2026-11-23")).Reference // acknowledge by Mon 30 Nov
	assign(overdue, officer)
	today := w.create(received("2026-11-24")).Reference // by Tue 1 Dec
	assign(today, officer)
	soon := w.create(received("2026-11-26")).Reference // by Thu 3 Dec
	assign(soon, officer2)
	later := w.create(received("2026-11-27")).Reference // by Fri 4 Dec: beyond two working days
	assign(later, officer)
	nobody := w.create(received("2026-11-23")).Reference
	secretCmd := received("2026-11-25") // by Wed 2 Dec
	secretCmd.Confidential = true
	secret := w.create(secretCmd).Reference
	assign(secret, officer2)
	// A closed complaint whose action, due Wed 2 Dec, is still open.
	closed := w.create(received("2026-11-10")).Reference
	w.do(closed, officer, complaint.Acknowledge{Points: []string{"Mould"}})
	w.do(closed, officer, complaint.Respond{
		Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "We were slow"}},
		Remedies:  []complaint.RemedyInput{{Kind: complaint.RemedyAction, Description: "Treat the mould at 12 High Street", Owner: "Repairs", Due: "2026-12-02"}},
	})
	w.do(closed, officer, letterCmd("stage1_response", "print"))
	w.do(closed, officer, complaint.Close{})
	gone := w.create(received("2026-11-24")).Reference // handled by someone who is not a user
	assign(gone, "gone@landlord.example")

	n, err := w.relay.Digest(w.ctx, day)
	if err != nil || n != 3 {
		t.Fatalf("Digest queued %d, %v; want 3 (two officers and the manager)", n, err)
	}
	digests := claimDigests(t, w)
	if len(digests) != 3 {
		t.Fatalf("%d digests in the outbox", len(digests))
	}
	tests := []struct {
		to, subject string
		has, hasNot []string
	}{
		{
			to: `"Olu Officer" <olu@landlord.example>`, subject: "Due on Tue 1 Dec 2026: 1 overdue, 1 due today, 1 due by Thu 3 Dec 2026",
			has: []string{
				"Overdue:\n- " + overdue + ": acknowledge stage 1 complaint, due Mon 30 Nov 2026\n  https://complaints.example/cases/" + overdue,
				"Due today:\n- " + today + ": acknowledge stage 1 complaint, due Tue 1 Dec 2026",
				closed + ": complete action 1, due Wed 2 Dec 2026",
				"https://complaints.example/cases?sort=due&handler=olu%40landlord.example",
			},
			hasNot: []string{later, "High Street", "no handler"},
		},
		{
			to: `"Priya Officer" <priya@landlord.example>`, subject: "Due on Tue 1 Dec 2026: 2 due by Thu 3 Dec 2026",
			has:    []string{soon + ": acknowledge stage 1 complaint, due Thu 3 Dec 2026", "- a confidential case: acknowledge stage 1 complaint, due Wed 2 Dec 2026", "listed without their reference"},
			hasNot: []string{secret},
		},
		{
			to: `"Mo Manager" <mo@landlord.example>`, subject: "Due on Tue 1 Dec 2026: 1 overdue, 1 due today",
			has:    []string{"Cases with no handler who can act on them", nobody + ": acknowledge stage 1 complaint, due Mon 30 Nov 2026", gone + ": acknowledge stage 1 complaint, due Tue 1 Dec 2026"},
			hasNot: []string{"Cases you handle", overdue + ":", today + ":"},
		},
	}
	for i, tt := range tests {
		m := digests[i]
		if m.To != tt.to || m.Subject != tt.subject || m.CaseRef != "" || m.DedupeKey != "digest:2026-12-01:"+strings.ToLower(addrOf(tt.to)) {
			t.Errorf("digest %d: to %q, subject %q, case %q, key %q; want to %q, subject %q", i, m.To, m.Subject, m.CaseRef, m.DedupeKey, tt.to, tt.subject)
		}
		for _, s := range tt.has {
			if !strings.Contains(m.TextBody, s) {
				t.Errorf("digest to %s lacks %q:\n%s", tt.to, s, m.TextBody)
			}
		}
		for _, s := range append(tt.hasNot, "Ada", "Mould", "ada@example.org") {
			if strings.Contains(m.TextBody, s) {
				t.Errorf("digest to %s holds %q:\n%s", tt.to, s, m.TextBody)
			}
		}
	}

	// Again the same day, later: nothing new.
	w.clock = w.clock.Add(3 * time.Hour)
	if n, err := w.relay.Digest(w.ctx, day); err != nil || n != 0 {
		t.Fatalf("second digest the same day queued %d, %v", n, err)
	}
	// Not on a Saturday, nor on Christmas Day.
	for _, d := range []string{"2026-12-05", "2026-12-25"} {
		if n, err := w.relay.Digest(w.ctx, calendar.MustParseDate(d)); err != nil || n != 0 {
			t.Fatalf("digest on %s queued %d, %v", d, n, err)
		}
	}
	if got := claimDigests(t, w); len(got) != 0 {
		t.Fatalf("%d more digests in the outbox", len(got))
	}
	// The next working day is a new day.
	w.clock = w.clock.Add(24 * time.Hour)
	if n, err := w.relay.Digest(w.ctx, day.AddDays(1)); err != nil || n != 3 {
		t.Fatalf("next day's digest queued %d, %v", n, err)
	}
}

// claimDigests claims every due message, as a sender would, and returns
// the digests by recipient: Olu, Priya, Mo.
func claimDigests(t *testing.T, w *world) []store.OutboundMessage {
	t.Helper()
	// A long lease, so that what is claimed stays claimed.
	ms, err := w.db.ClaimDue(w.ctx, w.clock, 1000, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.OutboundMessage
	for _, m := range ms {
		if m.Kind == "digest" {
			out = append(out, m)
		}
	}
	order := map[string]int{officer: 0, officer2: 1, manager: 2}
	sort.Slice(out, func(i, j int) bool { return order[addrOf(out[i].To)] < order[addrOf(out[j].To)] })
	return out
}

func addrOf(to string) string {
	if i := strings.LastIndex(to, "<"); i >= 0 {
		return strings.TrimSuffix(to[i+1:], ">")
	}
	return to
}
