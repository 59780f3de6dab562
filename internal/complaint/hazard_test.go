package complaint

import (
	"testing"
	"time"
)

var (
	manager = Actor{Email: "mo@landlord.example", Role: "manager"}
	admin   = Actor{Email: "ann@landlord.example", Role: "admin"}
	viewer  = Actor{Email: "vic@landlord.example", Role: "viewer"}
	noRole  = Actor{Email: "someone@landlord.example"}
)

// TestHealthAndSafetyFlagCanBeSetAtAnyTimeAndOnlyASeniorManagerAcknowledgesIt
// is 003's rule as issue 12 (rule 10) reads it: the flag can be set at
// any time, not only when the contact is logged, in any status; a
// flagged contact waits until a senior manager (a manager or admin)
// acknowledges it; only a senior manager may clear a flag nobody senior
// has seen; and setting it again asks for a new acknowledgement.
func TestHealthAndSafetyFlagCanBeSetAtAnyTimeAndOnlyASeniorManagerAcknowledgesIt(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	received := f.create(validCreate(), "2026-12-21 09:00")
	closed := f.must(f.must(received, "2026-12-22 10:00", officer, Withdraw{Reason: "Sorted on the phone"}), "", officer, Note{Text: "Closed off"})
	risky := validCreate()
	risky.HealthAndSafety = true
	createdFlagged := f.create(risky, "2026-12-21 09:00")
	flagged := f.must(received, "2026-12-22 10:00", officer, FlagHealthAndSafety{Flagged: true, Reason: "Gas smell reported on a second call"})
	acked := f.must(flagged, "2026-12-22 11:00", manager, AcknowledgeHealthAndSafety{Note: "Gas engineer sent"})
	clearedAfterAck := f.must(acked, "2026-12-23 11:00", officer, FlagHealthAndSafety{Flagged: false, Reason: "Made safe"})

	type want struct {
		flagged bool
		ackBy   string
		ackAt   string // London "2006-01-02 15:04", "" for none
	}
	tests := []struct {
		name     string
		c        Case
		actor    Actor
		cmd      Command
		at       string
		want     want
		wantCode string   // "" for success
		fields   []string // the fields an invalid command names
	}{
		// Setting the flag.
		{name: "an officer flags a received complaint", c: received, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: true}, want: want{flagged: true}},
		{name: "a withdrawn contact can be flagged: a hazard outlives the complaint", c: closed, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: true, Reason: "Seen on a visit"}, want: want{flagged: true}},
		{name: "a manager may flag too", c: received, actor: manager,
			cmd: FlagHealthAndSafety{Flagged: true}, want: want{flagged: true}},
		{name: "flagging a flagged case is a conflict", c: createdFlagged, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: true}, wantCode: Conflict},
		{name: "flagging with a reason of control characters is invalid", c: received, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: true, Reason: "bad\x00"}, wantCode: Invalid, fields: []string{"reason"}},

		// Acknowledging.
		{name: "a manager acknowledges a contact created flagged", c: createdFlagged, actor: manager, at: "2026-12-21 09:30",
			cmd: AcknowledgeHealthAndSafety{}, want: want{flagged: true, ackBy: manager.Email, ackAt: "2026-12-21 09:30"}},
		{name: "an admin acknowledges a flag set later", c: flagged, actor: admin, at: "2026-12-22 10:05",
			cmd: AcknowledgeHealthAndSafety{Note: "Seen"}, want: want{flagged: true, ackBy: admin.Email, ackAt: "2026-12-22 10:05"}},
		{name: "an officer may not acknowledge", c: flagged, actor: officer,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "a reviewer may not acknowledge", c: flagged, actor: Actor{Email: "rex@landlord.example", Role: "reviewer"},
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "a viewer may not acknowledge", c: flagged, actor: viewer,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "someone with no role may not acknowledge", c: flagged, actor: noRole,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "an unflagged case has nothing to acknowledge", c: received, actor: manager,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "a flag is acknowledged once", c: acked, actor: admin,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},
		{name: "a cleared flag has nothing to acknowledge", c: clearedAfterAck, actor: manager,
			cmd: AcknowledgeHealthAndSafety{}, wantCode: Conflict},

		// Clearing the flag.
		{name: "an officer may not clear a flag no senior manager has seen", c: flagged, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: false, Reason: "False alarm"}, wantCode: Conflict},
		{name: "a manager may clear a flag not yet acknowledged", c: flagged, actor: manager,
			cmd: FlagHealthAndSafety{Flagged: false, Reason: "False alarm: checked with the resident"}, want: want{}},
		{name: "an officer may clear an acknowledged flag, which keeps its acknowledgement", c: acked, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: false, Reason: "Made safe"}, want: want{ackBy: manager.Email, ackAt: "2026-12-22 11:00"}},
		{name: "clearing needs a reason", c: acked, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: false, Reason: "  "}, wantCode: Invalid, fields: []string{"reason"}},
		{name: "clearing an unflagged case is a conflict", c: received, actor: manager,
			cmd: FlagHealthAndSafety{Flagged: false, Reason: "Nothing"}, wantCode: Conflict},

		// Flagging again.
		{name: "setting the flag again clears the acknowledgement", c: clearedAfterAck, actor: officer,
			cmd: FlagHealthAndSafety{Flagged: true, Reason: "The smell is back"}, want: want{flagged: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(tt.c, tt.at, tt.actor, tt.cmd)
			if tt.wantCode != "" {
				wantError(t, err, tt.wantCode, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var wantAt time.Time
			if tt.want.ackAt != "" {
				wantAt = london(tt.want.ackAt)
			}
			if next.HealthAndSafety != tt.want.flagged || next.SafetyAcknowledgedBy != tt.want.ackBy || !next.SafetyAcknowledgedAt.Equal(wantAt) {
				t.Errorf("flagged %v, acknowledged by %q at %v; want %v, %q at %v",
					next.HealthAndSafety, next.SafetyAcknowledgedBy, next.SafetyAcknowledgedAt, tt.want.flagged, tt.want.ackBy, wantAt)
			}
			if next.SafetyWaiting() != (tt.want.flagged && tt.want.ackBy == "") {
				t.Errorf("SafetyWaiting = %v for flagged %v acknowledged by %q", next.SafetyWaiting(), tt.want.flagged, tt.want.ackBy)
			}
			if ev.Kind != tt.cmd.event() || ev.Actor != tt.actor.Email {
				t.Errorf("event %s by %s, want %s by %s", ev.Kind, ev.Actor, tt.cmd.event(), tt.actor.Email)
			}
			if next.Status != tt.c.Status || next.Version != tt.c.Version {
				t.Errorf("the flag changed the case's course: status %s, want %s", next.Status, tt.c.Status)
			}
		})
	}
}

// TestAContactCreatedFlaggedWaitsForASeniorManager: a contact logged as
// a health-and-safety risk waits, unacknowledged, from its creation.
func TestAContactCreatedFlaggedWaitsForASeniorManager(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	risky := validCreate()
	risky.HealthAndSafety = true
	if c := f.create(risky, "2026-12-21 09:00"); !c.SafetyWaiting() {
		t.Errorf("created flagged: waiting = false, acknowledged by %q", c.SafetyAcknowledgedBy)
	}
	if c := f.create(validCreate(), "2026-12-21 09:00"); c.SafetyWaiting() {
		t.Error("created unflagged: waiting = true")
	}
}

// TestHealthAndSafetyEventsReplayWithoutTheActorsRole: storage replays
// events with no role (none is recorded), so a senior manager's
// acknowledgement and clearing replay to the case they made, and the
// recorded reason and note are trimmed as kept.
func TestHealthAndSafetyEventsReplayWithoutTheActorsRole(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	c := f.create(validCreate(), "2026-12-21 09:00")
	flagged, ev1, err := f.decide(c, "2026-12-21 10:00", officer, FlagHealthAndSafety{Flagged: true, Reason: "  Exposed wiring  "})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev1.Data.(FlagHealthAndSafety).Reason; got != "Exposed wiring" {
		t.Errorf("recorded reason %q, want it trimmed", got)
	}
	acked, ev2, err := f.decide(flagged, "2026-12-21 10:30", manager, AcknowledgeHealthAndSafety{Note: " Electrician booked "})
	if err != nil {
		t.Fatal(err)
	}
	cleared, ev3, err := f.decide(flagged, "2026-12-21 10:30", manager, FlagHealthAndSafety{Reason: "Not a risk after all"})
	if err != nil {
		t.Fatal(err)
	}
	replay := f.env
	replay.Replay = true
	for _, r := range []struct {
		name string
		from Case
		ev   Event
		want Case
	}{{"acknowledged", flagged, ev2, acked}, {"cleared unacknowledged", flagged, ev3, cleared}} {
		env := replay
		env.Actor, env.At, env.Now = Actor{Email: r.ev.Actor}, r.ev.At, r.ev.RecordedAt
		got, _, err := Decide(r.from, r.ev.Data.(Command), env)
		if err != nil {
			t.Fatalf("%s: replayed without a role: %v", r.name, err)
		}
		if got.HealthAndSafety != r.want.HealthAndSafety || got.SafetyAcknowledgedBy != r.want.SafetyAcknowledgedBy || !got.SafetyAcknowledgedAt.Equal(r.want.SafetyAcknowledgedAt) {
			t.Errorf("%s: replayed to %v/%q/%v, want %v/%q/%v", r.name, got.HealthAndSafety, got.SafetyAcknowledgedBy, got.SafetyAcknowledgedAt,
				r.want.HealthAndSafety, r.want.SafetyAcknowledgedBy, r.want.SafetyAcknowledgedAt)
		}
	}
}
