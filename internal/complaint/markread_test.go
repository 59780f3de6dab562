package complaint

import (
	"encoding/json"
	"testing"
	"time"
)

// Issue 16, item 2: something new from the resident since the handler
// last looked tags the case "new from resident" until it is marked read.

func TestInformationFromOutsideIsUnreadUntilMarkedRead(t *testing.T) {
	f := newFixture(t, "code-2024")
	acked := f.acknowledged()
	portal := AddInformation{Source: "portal", From: "Ada Lovelace", Text: "Photos of the mould"}
	email := AddInformation{Source: "email", From: "ada@example.org", Text: "Another leak"}
	staff := AddInformation{Source: "staff", From: "olu@landlord.example", Text: "Notes from the visit"}
	fromPortal := f.must(acked, "2026-12-24 10:00", officer, portal)
	closed := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})

	tests := []struct {
		name string
		c    Case
		// steps are given in order, each a day after the last.
		steps []Command
		want  time.Time
	}{
		{name: "information sent through the resident's pages is unread", c: acked,
			steps: []Command{portal}, want: london("2027-01-04 10:00")},
		{name: "information sent by email is unread", c: acked,
			steps: []Command{email}, want: london("2027-01-04 10:00")},
		{name: "information staff add themselves is not", c: acked,
			steps: []Command{staff}},
		{name: "the oldest unread is kept", c: acked,
			steps: []Command{portal, email}, want: london("2027-01-04 10:00")},
		{name: "marking read clears it", c: fromPortal,
			steps: []Command{MarkRead{}}},
		{name: "information after a reading is unread again from when it came", c: fromPortal,
			steps: []Command{MarkRead{}, email}, want: london("2027-01-05 10:00")},
		{name: "a resident writing after the case closed is unread", c: closed,
			steps: []Command{portal}, want: london("2027-01-07 10:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			day := london("2027-01-04 10:00")
			if tt.c.Status == StatusClosed {
				day = london("2027-01-07 10:00")
			}
			for _, cmd := range tt.steps {
				next, ev, err := Decide(c, cmd, Env{Now: testNow, At: day, Actor: officer, Policy: f.env.Policy, Calendar: f.env.Calendar})
				if err != nil {
					t.Fatalf("%T: %v", cmd, err)
				}
				if r, ok := ev.Data.(MarkRead); ok && !r.Since.Equal(c.UnreadFromResident) {
					t.Errorf("the reading records since %s, want %s", r.Since, c.UnreadFromResident)
				}
				c, day = next, day.AddDate(0, 0, 1)
			}
			if !c.UnreadFromResident.Equal(tt.want) {
				t.Errorf("UnreadFromResident = %s, want %s", c.UnreadFromResident, tt.want)
			}
		})
	}
}

func TestMarkReadWithNothingUnreadIsAConflictAndChangesNothing(t *testing.T) {
	f := newFixture(t, "code-2024")
	for _, c := range []Case{f.received(), f.must(f.acknowledged(), "2026-12-24 10:00", officer, AddInformation{Source: "staff", From: "Olu", Text: "Visit notes"})} {
		before := clone(c)
		next, _, err := f.decide(c, "", officer, MarkRead{})
		wantRefused(t, err, Conflict)
		refusedChangesNothing(t, before, c, next)
	}
}

func TestMarkReadIsRecordedAndReplays(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.acknowledged(), "2026-12-24 10:00", officer, AddInformation{Source: "portal", From: "Ada", Text: "More"})
	next, ev, err := f.decide(c, "2026-12-29 09:00", officer2, MarkRead{Since: london("2020-01-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != EventInformationRead || ev.Actor != officer2.Email {
		t.Errorf("event = %s by %s, want %s by %s", ev.Kind, ev.Actor, EventInformationRead, officer2.Email)
	}
	// Since is the rules', never the caller's.
	if got := ev.Data.(MarkRead).Since; !got.Equal(london("2026-12-24 10:00")) {
		t.Errorf("the event records since %s, want when the information came", got)
	}
	data, err := json.Marshal(ev.Data)
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := DecodeCommand(ev.Kind, data)
	if err != nil {
		t.Fatal(err)
	}
	env := f.env
	env.At, env.Replay = london("2026-12-29 09:00"), true
	replayed, _, err := Decide(c, cmd, env)
	if err != nil {
		t.Fatalf("replaying: %v", err)
	}
	if !replayed.UnreadFromResident.IsZero() || !next.UnreadFromResident.IsZero() {
		t.Errorf("after marking read: UnreadFromResident %s, replayed %s; want zero", next.UnreadFromResident, replayed.UnreadFromResident)
	}
}
