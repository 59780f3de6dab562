package complaint

import (
	"testing"
)

// Issue 12, rule 1: a response is the written response, sent. Recording
// the decisions is a draft; the stage is responded when its response
// letter is issued, and only then do the clock stop, the case close and
// the escalation window start.
func TestRule1ADraftResponseIsNotAResponse(t *testing.T) {
	f := newFixture(t, "gentoo")
	drafted := f.must(f.acknowledged(), "2027-01-05 10:00", officer, respondCmd())
	st := drafted.Stages[0]
	if drafted.Status != StatusAcknowledged || !st.RespondedAt.IsZero() || !st.EscalateBy.IsZero() {
		t.Fatalf("after recording decisions: status %s, responded_at %v, escalate_by %s; want still acknowledged, not responded, no window", drafted.Status, st.RespondedAt, st.EscalateBy)
	}
	if got := drafted.NextDue(); got != date("2027-01-11") {
		t.Errorf("NextDue = %s, want the response deadline 2027-01-11 still running", got)
	}
	if f := drafted.Facts()[0]; !f.Responded.IsZero() || f.WithinCode {
		t.Errorf("the stage's fact counts a draft as responded: %+v", f)
	}
	tests := []struct {
		name string
		cmd  Command
		code string
	}{
		{"a draft does not let the case close", Close{}, Conflict},
		{"a draft cannot be escalated", Escalate{Reason: "x"}, Conflict},
		{"a stage 2 letter does not fit stage 1", responseLetter(2, "email"), Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(drafted, "2027-01-06 10:00", officer, tt.cmd)
			wantError(t, err, tt.code)
		})
	}

	// The draft may be recorded again: the new decisions and remedies
	// replace it, numbered after the old.
	redrafted := f.must(drafted, "2027-01-06 10:00", officer, Respond{
		Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Closed without a visit"}, {Point: 2, Outcome: "upheld", Reasons: "On reflection, yes"}},
		Remedies:  []RemedyInput{{Kind: RemedyApology, Description: "Apology"}},
	})
	if len(redrafted.Remedies) != 1 || redrafted.Remedies[0].ID != 4 || redrafted.Stages[0].Decisions[1].Outcome != "upheld" {
		t.Errorf("redrafted remedies %+v, decisions %+v: want the draft replaced, the remedy numbered 4", redrafted.Remedies, redrafted.Stages[0].Decisions)
	}

	// Sent on Thu 7 Jan: responded then; gentoo's 15-working-day window
	// counts from the sending: 8, 11-15, 18-22, 25-29 Jan.
	sent := f.must(redrafted, "2027-01-07 09:00", officer, responseLetter(1, "print"))
	st = sent.Stages[0]
	if sent.Status != StatusResponded || !st.RespondedAt.Equal(london("2027-01-07 09:00")) || st.EscalateBy != date("2027-01-28") {
		t.Errorf("after the letter: status %s, responded_at %v, escalate_by %s; want responded 2027-01-07, window to 2027-01-28", sent.Status, st.RespondedAt, st.EscalateBy)
	}
	// Decisions cannot change once the response has gone.
	if _, _, err := f.decide(sent, "2027-01-07 10:00", officer, respondCmd()); err == nil {
		t.Error("decisions were recorded again after the response was sent")
	}
	// A copy sent again is recorded but the stage was responded when the
	// first went.
	again := f.must(sent, "2027-01-08 09:00", officer, responseLetter(1, "email"))
	if !again.Stages[0].RespondedAt.Equal(st.RespondedAt) {
		t.Errorf("a second copy moved responded_at to %v", again.Stages[0].RespondedAt)
	}
	closed := f.must(again, "2027-01-08 10:00", officer, Close{})
	if closed.Status != StatusClosed {
		t.Errorf("status = %s, want closed", closed.Status)
	}
}

func TestRule1AResponseLetterNeedsDecisions(t *testing.T) {
	tests := []struct {
		name string
		c    func(*fixture) Case
		l    RecordLetter
	}{
		{"acknowledged, no decisions", (*fixture).acknowledged, responseLetter(1, "email")},
		{"received", (*fixture).received, responseLetter(1, "email")},
		{"not a complaint", (*fixture).serviceRequest, responseLetter(1, "email")},
		{"stage 2 with no decisions", (*fixture).stage2Acknowledged, responseLetter(2, "email")},
		{"a stage 1 letter at stage 2", (*fixture).stage2Acknowledged, responseLetter(1, "email")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", reviewer, tt.l)
			wantError(t, err, Conflict)
		})
	}
	// Other letters are recorded without touching the response.
	f := newFixture(t, "code-2024")
	c := f.must(f.acknowledged(), "2027-01-04 10:00", officer, RecordLetter{Kind: "acknowledgement", Title: "Acknowledgement", Channel: "email", SHA256: responseLetter(1, "").SHA256})
	if c.Status != StatusAcknowledged || !c.Stages[0].RespondedAt.IsZero() {
		t.Errorf("an acknowledgement letter changed the response: %s, %v", c.Status, c.Stages[0].RespondedAt)
	}
}

// A response recorded before rule 1, as a "responded" event, replays as
// the response it then was, and only a replay may give it.
func TestRule1LegacyRespondedEventsReplay(t *testing.T) {
	f := newFixture(t, "code-2024")
	_, _, err := f.decide(f.acknowledged(), "2027-01-05 10:00", officer, LegacyRespond{respondCmd()})
	wantError(t, err, Internal)
	f.env.Replay = true
	c := f.must(f.acknowledged(), "2027-01-05 10:00", officer, LegacyRespond{respondCmd()})
	if c.Status != StatusResponded || !c.Stages[0].RespondedAt.Equal(london("2027-01-05 10:00")) || len(c.Remedies) != 3 {
		t.Errorf("replayed legacy response: status %s, responded_at %v, %d remedies", c.Status, c.Stages[0].RespondedAt, len(c.Remedies))
	}
}

// Issue 12, rule 6: stage 2 is handled by someone not involved at stage
// 1 (Code 6.13). Whoever acted on stage 1 in any of these ways may not be
// assigned stage 2, nor acknowledge, extend, respond or issue letters at
// stage 2; notes stay open to them.
func TestRule6NobodyInvolvedAtStage1ActsOnStage2(t *testing.T) {
	sam := Actor{Email: "sam@landlord.example", Role: "officer"}
	involvements := []struct {
		name string
		act  func(f *fixture, c Case) Case
	}{
		{"acknowledged stage 1 for someone else's case", func(f *fixture, c Case) Case {
			c = f.must(c, "2026-12-21 11:00", officer, Assign{Handler: officer.Email, HandlerRole: "officer"})
			return f.must(c, "2026-12-23 10:00", sam, Acknowledge{Points: []string{"The repair was not done"}})
		}},
		{"extended stage 1", func(f *fixture, c Case) Case {
			c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"The repair was not done"}})
			return f.must(c, "2026-12-24 10:00", sam, Extend{WorkingDays: 2, Reason: "Survey", OmbudsmanDetailsGiven: true})
		}},
		{"recorded stage 1's decisions", func(f *fixture, c Case) Case {
			c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"The repair was not done"}})
			return f.must(c, "2027-01-04 10:00", sam, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
		}},
		{"issued a stage 1 letter", func(f *fixture, c Case) Case {
			c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"The repair was not done"}})
			return f.must(c, "2026-12-23 11:00", sam, RecordLetter{Kind: "acknowledgement", Title: "Acknowledgement", Channel: "print", SHA256: responseLetter(1, "").SHA256})
		}},
		{"handled stage 1 and was reassigned away", func(f *fixture, c Case) Case {
			c = f.must(c, "2026-12-21 11:00", officer, Assign{Handler: sam.Email, HandlerRole: "officer"})
			c = f.must(c, "2026-12-21 12:00", officer, Assign{Handler: officer.Email, HandlerRole: "officer"})
			return f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"The repair was not done"}})
		}},
	}
	stage2Steps := []struct {
		name string
		c    func(f *fixture, esc Case) Case
		cmd  Command
	}{
		{"be assigned", func(f *fixture, esc Case) Case { return esc }, Assign{Handler: sam.Email, HandlerRole: "officer"}},
		{"acknowledge", func(f *fixture, esc Case) Case { return esc }, Acknowledge{Points: []string{"Too slow"}}},
		{"extend", func(f *fixture, esc Case) Case {
			return f.must(esc, "2027-01-13 10:00", reviewer, Acknowledge{Points: []string{"Too slow"}})
		}, Extend{WorkingDays: 2, Reason: "x", OmbudsmanDetailsGiven: true}},
		{"respond", func(f *fixture, esc Case) Case {
			return f.must(esc, "2027-01-13 10:00", reviewer, Acknowledge{Points: []string{"Too slow"}})
		}, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}}},
		{"issue the final response", func(f *fixture, esc Case) Case {
			c := f.must(esc, "2027-01-13 10:00", reviewer, Acknowledge{Points: []string{"Too slow"}})
			return f.must(c, "2027-01-14 10:00", reviewer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
		}, responseLetter(2, "email")},
	}
	for _, inv := range involvements {
		for _, step := range stage2Steps {
			t.Run(inv.name+" may not "+step.name, func(t *testing.T) {
				f := newFixture(t, "code-2024")
				c := inv.act(f, f.received())
				if !c.ActedOnStage1(sam.Email) {
					t.Fatalf("%s is not recorded as involved at stage 1: handlers %v, involved %v", sam.Email, c.Stages[0].Handlers, c.Stages[0].Involved)
				}
				if len(c.Stages[0].Decisions) == 0 {
					c = f.must(c, "2027-01-05 09:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
				}
				c = f.must(c, "2027-01-05 10:00", officer, responseLetter(1, "email"))
				esc := f.must(c, "2027-01-11 10:00", officer, Escalate{Reason: "Too slow"})
				at := step.c(f, esc)
				actor := sam
				if _, ok := step.cmd.(Assign); ok {
					actor = reviewer
				}
				_, _, err := f.decide(at, "2027-01-20 10:00", actor, step.cmd)
				wantError(t, err, Conflict)
				// A note is always open to them.
				f.must(at, "2027-01-20 10:00", sam, Note{Text: "Background for the reviewer"})
			})
		}
	}
	// Someone not involved does all of it.
	f := newFixture(t, "code-2024")
	c := f.respond(f.acknowledged(), "2027-01-05 10:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}, {Point: 2, Outcome: "upheld", Reasons: "Yes"}}})
	c = f.must(c, "2027-01-11 10:00", officer, Escalate{})
	c = f.must(c, "2027-01-11 11:00", reviewer, Assign{Handler: sam.Email, HandlerRole: "officer"})
	c = f.must(c, "2027-01-13 10:00", sam, Acknowledge{Points: []string{"Too slow"}})
	c = f.respond(c, "2027-01-20 10:00", sam, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
	if c.Status != StatusResponded || c.Stage != 2 {
		t.Errorf("status %s at stage %d, want responded at stage 2", c.Status, c.Stage)
	}
}

// 004 ("Five steps"): the response date may be agreed with the resident
// and be sooner than the policy's; the Code's own deadline, which CH02
// measures, does not move.
func TestAgreedResponseDateSoonerThanThePolicys(t *testing.T) {
	tests := []struct {
		name, agreed string
		field        string
		respondBy    string
	}{
		// Acknowledged Wed 23 Dec 2026: the policy's date is Mon 11 Jan.
		{"none agreed", "", "", "2027-01-11"},
		{"agreed sooner", "2027-01-06", "", "2027-01-06"},
		{"agreed on the policy's date", "2027-01-11", "", "2027-01-11"},
		{"later is an extension, not an agreement", "2027-01-12", "respond_by", ""},
		{"not before the day it was agreed", "2026-12-22", "respond_by", ""},
		{"a date", "next week", "respond_by", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "five-steps")
			next, _, err := f.decide(f.received(), "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}, RespondBy: tt.agreed})
			if tt.field != "" {
				wantError(t, err, Invalid, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st := next.Stages[0]
			if st.RespondBy != date(tt.respondBy) {
				t.Errorf("respond_by = %s, want %s", st.RespondBy, tt.respondBy)
			}
			if st.CodeRespondBy != date("2027-01-11") {
				t.Errorf("code_respond_by = %s, want the Code's 2027-01-11 whatever was agreed", st.CodeRespondBy)
			}
		})
	}
	// An extension counts from the agreed date: 2 working days from
	// Wed 6 Jan are 7, 8 Jan.
	f := newFixture(t, "five-steps")
	c := f.must(f.received(), "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}, RespondBy: "2027-01-06"})
	c = f.must(c, "2027-01-05 10:00", officer, Extend{WorkingDays: 2, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true})
	if got := c.Stages[0].RespondBy; got != date("2027-01-08") {
		t.Errorf("respond_by after extension = %s, want 2027-01-08", got)
	}
}
