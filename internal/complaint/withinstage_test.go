package complaint

import (
	"testing"
)

// decidedGreatwell is the standard complaint under greatwell-homes with
// its stage 1 decisions recorded and its response letter not yet issued.
func decidedGreatwell(t *testing.T) (*fixture, Case) {
	t.Helper()
	f := newFixture(t, "greatwell-homes")
	return f, f.must(f.acknowledged(), "2027-01-04 10:00", officer, respondCmd())
}

// 002 §2.3: the complaints officer discusses the findings with the
// Service Manager before the stage 1 outcome letter is issued. The
// review is of the findings, comes before the letter, names who reviewed
// and with what result, and is refused where there is nothing to review.
func TestStage1FindingsAreReviewedBeforeTheResponseLetter(t *testing.T) {
	f, decided := decidedGreatwell(t)
	agreed := RecordSignOff{Reviewer: "Sam Patel", Result: SignOffAgreed}
	code := newFixture(t, "code-2024")
	tests := []struct {
		name   string
		f      *fixture
		c      Case
		cmd    RecordSignOff
		code   string
		fields []string
	}{
		{"no reviewer, no result", f, decided, RecordSignOff{}, Invalid, []string{"reviewer", "result"}},
		{"an unknown result", f, decided, RecordSignOff{Reviewer: "Sam Patel", Result: "approved"}, Invalid, []string{"result"}},
		{"changes asked without saying which", f, decided, RecordSignOff{Reviewer: "Sam Patel", Result: SignOffChangesAsked}, Invalid, []string{"comments"}},
		{"the officer reviewing their own findings", f, decided, RecordSignOff{Reviewer: officer.Email, Result: SignOffAgreed}, Invalid, []string{"reviewer"}},
		{"a reviewer's name on two lines", f, decided, RecordSignOff{Reviewer: "Sam\nPatel", Result: SignOffAgreed}, Invalid, []string{"reviewer"}},
		{"no decisions yet: nothing to review", f, f.acknowledged(), agreed, Conflict, nil},
		{"not yet acknowledged", f, f.received(), agreed, Conflict, nil},
		{"after the response letter", f, f.responded(), agreed, Conflict, nil},
		{"a service request", f, f.serviceRequest(), agreed, Conflict, nil},
		{"a policy that asks for no review", code, code.must(code.acknowledged(), "2027-01-04 10:00", officer, respondCmd()), agreed, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.f.decide(tt.c, "2027-01-05 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}

	reviewed, ev, err := f.decide(decided, "2027-01-05 10:00", officer, RecordSignOff{Reviewer: " Sam Patel ", Result: SignOffChangesAsked, Comments: "Say what the surveyor found"})
	if err != nil {
		t.Fatal(err)
	}
	got := reviewed.Stages[0].SignOff
	if got.Reviewer != "Sam Patel" || got.ReviewerRole != "Service Manager" || got.Result != SignOffChangesAsked ||
		got.RecordedBy != officer.Email || !got.ReviewedAt.Equal(london("2027-01-05 10:00")) || got.Comments != "Say what the surveyor found" {
		t.Errorf("review %+v", got)
	}
	if ev.Kind != EventSignOffRecorded {
		t.Errorf("event %s, want %s", ev.Kind, EventSignOffRecorded)
	}
	if rec, ok := ev.Data.(RecordSignOff); !ok || rec.ReviewerRole != "Service Manager" {
		t.Errorf("the event records %+v, want the role filled in from the policy", ev.Data)
	}
	// A second discussion is recorded in its place.
	again := f.must(reviewed, "2027-01-06 10:00", officer, RecordSignOff{Reviewer: "Sam Patel", ReviewerRole: "Deputy Service Manager", Result: SignOffAgreed})
	if s := again.Stages[0].SignOff; s.Result != SignOffAgreed || s.ReviewerRole != "Deputy Service Manager" {
		t.Errorf("the second review: %+v", s)
	}
}

// 002 §2.3: the review "must not delay the Stage 1 outcome letter". The
// response letter waits for the review or for a recorded reason to go
// without it; the deadline never moves for either.
func TestTheReviewNeverDelaysTheResponseLetterNorMovesTheDeadline(t *testing.T) {
	f, decided := decidedGreatwell(t)
	due := decided.Stages[0].RespondBy
	if !AwaitingSignOff(decided, f.env.Policy) {
		t.Error("a decided response with no review is not reported as waiting for it")
	}
	_, _, err := f.decide(decided, "2027-01-05 10:00", officer, responseLetter(1, "email"))
	wantError(t, err, Conflict)

	tests := []struct {
		name string
		cmd  Command
	}{
		{"reviewed", RecordSignOff{Reviewer: "Sam Patel", Result: SignOffAgreed}},
		{"reviewed with changes asked", RecordSignOff{Reviewer: "Sam Patel", Result: SignOffChangesAsked, Comments: "Add the dates"}},
		{"sent without the review, with the reason", WaiveSignOff{Reason: "The Service Manager is on leave until after the response is due"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ready := f.must(decided, "2027-01-05 10:00", officer, tt.cmd)
			if ready.Stages[0].RespondBy != due || ready.Status != StatusAcknowledged {
				t.Errorf("respond by %s, status %s; want %s and still acknowledged", ready.Stages[0].RespondBy, ready.Status, due)
			}
			if AwaitingSignOff(ready, f.env.Policy) {
				t.Error("still reported as waiting for the review")
			}
			sent := f.must(ready, "2027-01-05 11:00", officer, responseLetter(1, "email"))
			if sent.Status != StatusResponded || sent.Stages[0].RespondBy != due {
				t.Errorf("after the letter: status %s, respond by %s", sent.Status, sent.Stages[0].RespondBy)
			}
		})
	}
	// Where the policy asks for no review, the letter goes as before.
	code := newFixture(t, "code-2024")
	if c := code.respond(code.acknowledged(), "2027-01-05 10:00", officer, respondCmd()); c.Status != StatusResponded {
		t.Errorf("code-2024: status %s, want responded", c.Status)
	}
}

// The reason to send without the review is recorded once, only while the
// review has not happened, and only while a letter is waiting.
func TestGoingWithoutTheReviewNeedsAReasonAndNoReview(t *testing.T) {
	f, decided := decidedGreatwell(t)
	reviewed := f.must(decided, "2027-01-05 10:00", officer, RecordSignOff{Reviewer: "Sam Patel", Result: SignOffAgreed})
	waived := f.must(decided, "2027-01-05 10:00", officer, WaiveSignOff{Reason: "On leave"})
	tests := []struct {
		name   string
		c      Case
		cmd    WaiveSignOff
		code   string
		fields []string
	}{
		{"no reason", decided, WaiveSignOff{Reason: "  "}, Invalid, []string{"reason"}},
		{"already reviewed", reviewed, WaiveSignOff{Reason: "On leave"}, Conflict, nil},
		{"already recorded", waived, WaiveSignOff{Reason: "On leave"}, Conflict, nil},
		{"the letter has gone", f.responded(), WaiveSignOff{Reason: "On leave"}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2027-01-06 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	if s := waived.Stages[0].SignOff; s.WaiveReason != "On leave" || s.WaivedBy != officer.Email || !s.ReviewedAt.IsZero() {
		t.Errorf("waived: %+v", s)
	}
	// The review may still be recorded after the reason, and keeps it.
	late := f.must(waived, "2027-01-06 10:00", officer, RecordSignOff{Reviewer: "Sam Patel", Result: SignOffAgreed})
	if s := late.Stages[0].SignOff; s.ReviewedAt.IsZero() || s.WaiveReason != "On leave" {
		t.Errorf("a review after the reason: %+v", s)
	}
}

// 003: mediation is offered within a stage, accepted or declined by the
// resident, and ends with an outcome; it never stops or moves the
// stage's clock, and it is offered only where the policy offers it.
func TestMediationIsARouteWithinAStageThatNeverMovesTheClock(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	ack := f.acknowledged()
	due := ack.Stages[0].RespondBy
	offered := f.must(ack, "2027-01-04 10:00", officer, RecordMediation{Step: MediationOffered, Mediator: "Community Mediation Service"})
	accepted := f.must(offered, "2027-01-05 10:00", officer, RecordMediation{Step: MediationAccepted})
	declined := f.must(offered, "2027-01-05 10:00", officer, RecordMediation{Step: MediationDeclined, Summary: "Would rather have a written answer"})
	code := newFixture(t, "code-2024")
	tests := []struct {
		name   string
		f      *fixture
		c      Case
		cmd    RecordMediation
		code   string
		fields []string
	}{
		{"no step", f, ack, RecordMediation{}, Invalid, []string{"step"}},
		{"an unknown step", f, ack, RecordMediation{Step: "paused"}, Invalid, []string{"step"}},
		{"an outcome that is neither", f, accepted, RecordMediation{Step: MediationOutcome, Outcome: "partly", Summary: "x"}, Invalid, []string{"outcome"}},
		{"an outcome with no summary", f, accepted, RecordMediation{Step: MediationOutcome, Outcome: MediationResolved}, Invalid, []string{"summary"}},
		{"an outcome with the offer", f, ack, RecordMediation{Step: MediationOffered, Outcome: MediationResolved}, Invalid, []string{"outcome"}},
		{"a mediator with the answer", f, offered, RecordMediation{Step: MediationAccepted, Mediator: "X"}, Invalid, []string{"mediator"}},
		{"accepted before it was offered", f, ack, RecordMediation{Step: MediationAccepted}, Conflict, nil},
		{"offered twice at a stage", f, offered, RecordMediation{Step: MediationOffered}, Conflict, nil},
		{"answered twice", f, accepted, RecordMediation{Step: MediationDeclined}, Conflict, nil},
		{"an outcome after it was declined", f, declined, RecordMediation{Step: MediationOutcome, Outcome: MediationResolved, Summary: "x"}, Conflict, nil},
		{"a service request", f, f.serviceRequest(), RecordMediation{Step: MediationOffered}, Conflict, nil},
		{"a policy that does not offer it", code, code.acknowledged(), RecordMediation{Step: MediationOffered}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.f.decide(tt.c, "2027-01-06 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	done, ev, err := f.decide(accepted, "2027-01-06 10:00", officer, RecordMediation{Step: MediationOutcome, Outcome: MediationResolved, Summary: "Agreed a date for the repair"})
	if err != nil {
		t.Fatal(err)
	}
	m := done.Stages[0].Mediation
	if m.OfferedBy != officer.Email || m.Mediator != "Community Mediation Service" || m.Answer != MediationAccepted ||
		m.Outcome != MediationResolved || m.Summary != "Agreed a date for the repair" || ev.Kind != EventMediationRecorded {
		t.Errorf("mediation %+v, event %s", m, ev.Kind)
	}
	for _, c := range []Case{offered, accepted, declined, done} {
		if c.Stages[0].RespondBy != due || c.Status != StatusAcknowledged {
			t.Errorf("mediation moved the clock: respond by %s (want %s), status %s", c.Stages[0].RespondBy, due, c.Status)
		}
	}
	if n := declined.Stages[0].Mediation.Notes; len(n) != 1 || offered.Stages[0].Mediation.Notes != nil {
		t.Errorf("notes: declined %q, offered %q", n, offered.Stages[0].Mediation.Notes)
	}
	// Each stage has its own: stage 2 may offer it again.
	f2 := newFixture(t, "feedback-policy-2018")
	st2 := f2.stage2Acknowledged()
	if st2.Stages[0].Mediation.OfferedAt.IsZero() == false {
		t.Fatal("the standard case has mediation at stage 1")
	}
	c := f2.must(f2.must(f2.must(f2.acknowledged(), "2027-01-04 09:00", officer, RecordMediation{Step: MediationOffered}), "2027-01-04 10:00", officer, respondCmd()), "2027-01-05 10:00", officer, responseLetter(1, "email"))
	c = f2.must(c, "2027-01-11 10:00", officer, Escalate{})
	c = f2.must(c, "2027-01-12 10:00", reviewer, RecordMediation{Step: MediationOffered})
	if c.Stages[1].Mediation.OfferedAt.IsZero() || c.Stages[0].Mediation.OfferedAt.IsZero() {
		t.Errorf("stage 2 mediation: %+v / %+v", c.Stages[0].Mediation, c.Stages[1].Mediation)
	}
}

// A review or mediation recorded under a policy that asked for it
// replays after the policy stops asking, so that a policy change is never
// reported as tampering with the record.
func TestReviewsAndMediationReplayUnderAPolicyThatNoLongerAsks(t *testing.T) {
	_, decided := decidedGreatwell(t)
	code := newFixture(t, "code-2024")
	env := code.env
	env.Replay, env.At = true, london("2027-01-05 10:00")
	for _, cmd := range []Command{
		RecordSignOff{Reviewer: "Sam Patel", ReviewerRole: "Service Manager", Result: SignOffAgreed},
		WaiveSignOff{Reason: "On leave"},
		RecordMediation{Step: MediationOffered},
	} {
		if _, _, err := Decide(decided, cmd, env); err != nil {
			t.Errorf("%T replayed under code-2024: %v", cmd, err)
		}
	}
}
