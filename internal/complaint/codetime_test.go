package complaint

import (
	"testing"
)

// withGoodReason records a good reason on an extension, as one beyond the
// Code's cap needs (Code 6.4, 6.15).
func withGoodReason(e Extend) Extend {
	e.GoodReason = "A structural engineer's report is needed before the repair can be decided"
	return e
}

// extend5 is a five-working-day extension within every cap.
var extend5 = Extend{WorkingDays: 5, Reason: "Waiting for a damp survey", OmbudsmanDetailsGiven: true}

// decideAll upholds every point of st.
func decideAll(st *Stage) Respond {
	var r Respond
	for i := range st.Points {
		r.Decisions = append(r.Decisions, Decision{Point: i + 1, Outcome: "upheld", Reasons: "It was not done"})
	}
	return r
}

// stageFact returns the reports' fact for stage n of c.
func stageFact(t *testing.T, c Case, n int) StageFact {
	t.Helper()
	for _, f := range c.Facts() {
		if f.Stage == n {
			return f
		}
	}
	t.Fatalf("case has no fact for stage %d", n)
	return StageFact{}
}

// Code 6.2 with 6.3 (stage 1) and 6.11 with 6.14 (stage 2): the Code's
// response deadline counts from the acknowledgement or from the day it was
// due, whichever is earlier. The landlord's own deadline counts from the
// actual acknowledgement.
func TestLateAcknowledgementBuysNoTimeUnderTheCode(t *testing.T) {
	tests := []struct {
		name         string
		stage        int
		acknowledged string
		respondBy    string // the landlord's, from the actual acknowledgement
		codeBy       string // the Code's
		responded    string
		withinCode   bool
	}{
		// Received Mon 21 Dec 2026, acknowledgement due Wed 30 Dec.
		{"stage 1 acknowledged early", 1, "2026-12-23 10:00", "2027-01-11", "2027-01-11", "2027-01-11 16:00", true},
		{"stage 1 acknowledged on the day due", 1, "2026-12-30 16:00", "2027-01-14", "2027-01-14", "2027-01-14 16:00", true},
		// Acknowledged Mon 4 Jan, two working days late (31 Dec, 4 Jan):
		// the landlord's 10 days run 5-8, 11-15, 18 Jan; the Code's still
		// run from 30 Dec: 31, 4-8, 11-14 Jan.
		{"stage 1 acknowledged late, responded by the Code's date", 1, "2027-01-04 10:00", "2027-01-18", "2027-01-14", "2027-01-14 16:00", true},
		{"stage 1 acknowledged late, responded by the landlord's date", 1, "2027-01-04 10:00", "2027-01-18", "2027-01-14", "2027-01-18 16:00", false},
		// Acknowledged Thu 7 Jan: 8, 11-15, 18-21 Jan for the landlord.
		{"stage 1 acknowledged very late", 1, "2027-01-07 10:00", "2027-01-21", "2027-01-14", "2027-01-15 10:00", false},
		// Escalated Mon 11 Jan 2027, acknowledgement due Mon 18 Jan.
		{"stage 2 acknowledged early", 2, "2027-01-13 10:00", "2027-02-10", "2027-02-10", "2027-02-10 16:00", true},
		// Acknowledged Wed 20 Jan, two working days late: the landlord's
		// 20 days run 21, 22, 25-29 Jan, 1-5, 8-12, 15-17 Feb; the Code's
		// from 18 Jan: 19-22, 25-29 Jan, 1-5, 8-12, 15 Feb.
		{"stage 2 acknowledged late, responded by the Code's date", 2, "2027-01-20 10:00", "2027-02-17", "2027-02-15", "2027-02-15 16:00", true},
		{"stage 2 acknowledged late, responded by the landlord's date", 2, "2027-01-20 10:00", "2027-02-17", "2027-02-15", "2027-02-16 10:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			c, actor := f.received(), officer
			if tt.stage == 2 {
				c, actor = f.escalated(), reviewer
			}
			c = f.must(c, tt.acknowledged, actor, Acknowledge{Points: []string{"The repair was not done"}})
			st := c.Stages[tt.stage-1]
			if st.RespondBy != date(tt.respondBy) || st.CodeRespondBy != date(tt.codeBy) {
				t.Errorf("acknowledged %s: respond_by %s, code_respond_by %s; want %s and %s", tt.acknowledged, st.RespondBy, st.CodeRespondBy, tt.respondBy, tt.codeBy)
			}
			c = f.respond(c, tt.responded, actor, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "It was not done"}}})
			if got := stageFact(t, c, tt.stage).WithinCode; got != tt.withinCode {
				t.Errorf("responded %s: within the Code = %v, want %v", tt.responded, got, tt.withinCode)
			}
		})
	}
}

// Code 6.4 and 6.15: an extension is decided before the response is due.
// One given after the Code's deadline has passed is recorded, and the
// resident's new date stands, but the Code's deadline does not move.
func TestExtensionAfterTheDeadlineIsRecordedButLateUnderTheCode(t *testing.T) {
	type step struct {
		at   string
		days int
	}
	tests := []struct {
		name         string
		acknowledged string // stage 1; received Mon 21 Dec 2026
		extensions   []step
		late         []bool
		respondBy    string
		codeBy       string
	}{
		// Acknowledged 23 Dec: respond by Mon 11 Jan; five more days
		// are 12-15, 18 Jan.
		{"before the due date", "2026-12-23 10:00", []step{{"2027-01-08 10:00", 5}}, []bool{false}, "2027-01-18", "2027-01-18"},
		{"on the due date", "2026-12-23 10:00", []step{{"2027-01-11 17:30", 5}}, []bool{false}, "2027-01-18", "2027-01-18"},
		{"the day after the due date", "2026-12-23 10:00", []step{{"2027-01-12 09:00", 5}}, []bool{true}, "2027-01-18", "2027-01-11"},
		// A second extension, after the first's date of 18 Jan: 19-21 Jan.
		{"a second extension after the first ran out", "2026-12-23 10:00", []step{{"2027-01-08 10:00", 5}, {"2027-01-19 10:00", 3}}, []bool{false, true}, "2027-01-21", "2027-01-18"},
		// Acknowledged late on Mon 4 Jan: the landlord's date is 18 Jan,
		// the Code's 14 Jan (Code 6.2, 6.3). An extension on 15 Jan is
		// before the landlord's date but after the Code's: 19-22, 25 Jan.
		{"after the Code's date, before the landlord's", "2027-01-04 10:00", []step{{"2027-01-15 10:00", 5}}, []bool{true}, "2027-01-25", "2027-01-14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			c := f.must(f.received(), tt.acknowledged, officer, Acknowledge{Points: []string{"The repair was not done"}})
			for _, s := range tt.extensions {
				e := extend5
				e.WorkingDays = s.days
				c = f.must(c, s.at, officer, e)
			}
			st := c.Stages[0]
			needExtensions(t, st, len(tt.late))
			for i, want := range tt.late {
				if st.Extensions[i].Late != want {
					t.Errorf("extension %d at %s: late = %v, want %v", i, tt.extensions[i].at, st.Extensions[i].Late, want)
				}
			}
			if st.RespondBy != date(tt.respondBy) || st.CodeRespondBy != date(tt.codeBy) {
				t.Errorf("respond_by %s, code_respond_by %s; want %s and %s", st.RespondBy, st.CodeRespondBy, tt.respondBy, tt.codeBy)
			}
			// A response on the resident's new date is late under the
			// Code whenever an extension was late.
			c = f.respond(c, tt.respondBy+" 16:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "It was not done"}}})
			if got, want := stageFact(t, c, 1).WithinCode, tt.respondBy == tt.codeBy; got != want {
				t.Errorf("responded on %s: within the Code = %v, want %v", tt.respondBy, got, want)
			}
		})
	}
}

// Code 6.4 and 6.15 allow no more than 10 (stage 1) or 20 (stage 2)
// working days of extension "without good reason". Beyond that, Redress
// asks for the good reason as well as what the policy asks (the
// resident's agreement beyond its cap); with it the whole extension
// counts towards the Code's deadline.
func TestExtensionBeyondTheCapNeedsAGoodReason(t *testing.T) {
	tests := []struct {
		name      string
		policy    string
		stage     int
		cmd       Extend
		replay    bool
		code      string   // the error's code, "" for accepted
		fields    []string // for Invalid
		respondBy string
		codeBy    string
	}{
		// Stage 1 acknowledged 23 Dec: respond by Mon 11 Jan. Ten more
		// working days are 12-15, 18-22, 25 Jan; fifteen run to 1 Feb.
		{"within the cap", "code-2024", 1, Extend{WorkingDays: 10, Reason: "Survey", OmbudsmanDetailsGiven: true}, false, "", nil, "2027-01-25", "2027-01-25"},
		{"beyond the cap, agreed, no good reason", "code-2024", 1, Extend{WorkingDays: 15, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, false, Invalid, []string{"good_reason"}, "", ""},
		{"beyond the cap, agreed, a blank good reason", "code-2024", 1, Extend{WorkingDays: 15, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true, GoodReason: "  "}, false, Invalid, []string{"good_reason"}, "", ""},
		{"a good reason with a control character", "code-2024", 1, Extend{WorkingDays: 5, Reason: "Survey", OmbudsmanDetailsGiven: true, GoodReason: "Survey\x00"}, false, Invalid, []string{"good_reason"}, "", ""},
		{"beyond the cap, agreed, with a good reason", "code-2024", 1, withGoodReason(Extend{WorkingDays: 15, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}), false, "", nil, "2027-02-01", "2027-02-01"},
		{"beyond the cap with a good reason but not agreed", "code-2024", 1, withGoodReason(Extend{WorkingDays: 15, Reason: "Survey", OmbudsmanDetailsGiven: true}), false, Conflict, nil, "", ""},
		// An extension recorded before good reasons were: replayed as it
		// was, counted to the Code's cap only.
		{"replayed from before good reasons", "code-2024", 1, Extend{WorkingDays: 15, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, true, "", nil, "2027-02-01", "2027-01-25"},
		// The 2018 policy caps extensions at 0 without agreement; five
		// agreed days are within the Code's cap and need no good reason.
		{"a policy stricter than the Code", "feedback-policy-2018", 1, Extend{WorkingDays: 5, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, false, "", nil, "", "2027-01-18"},
		// Stage 2 acknowledged 13 Jan: respond by Wed 10 Feb; 25 more
		// working days are 11, 12, 15-19, 22-26 Feb, 1-5, 8-12, 15-17 Mar.
		{"stage 2 beyond the cap without a good reason", "code-2024", 2, Extend{WorkingDays: 25, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, false, Invalid, []string{"good_reason"}, "", ""},
		{"stage 2 beyond the cap with a good reason", "code-2024", 2, withGoodReason(Extend{WorkingDays: 25, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}), false, "", nil, "2027-03-17", "2027-03-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			f.env.Replay = tt.replay
			f.env.Now = london("2027-04-01 12:00") // after every response
			c, actor := f.acknowledged(), officer
			if tt.stage == 2 {
				c, actor = f.stage2Acknowledged(), reviewer
			}
			next, _, err := f.decide(c, "2027-01-20 10:00", actor, tt.cmd)
			if tt.stage == 1 {
				next, _, err = f.decide(c, "2027-01-08 10:00", actor, tt.cmd)
			}
			if tt.code != "" {
				wantError(t, err, tt.code, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st := next.Current()
			if tt.respondBy != "" && st.RespondBy != date(tt.respondBy) {
				t.Errorf("respond_by = %s, want %s", st.RespondBy, tt.respondBy)
			}
			if st.CodeRespondBy != date(tt.codeBy) {
				t.Errorf("code_respond_by = %s, want %s", st.CodeRespondBy, tt.codeBy)
			}
			if got, want := st.Extensions[0].GoodReason, tt.cmd.GoodReason; got != want {
				t.Errorf("good_reason = %q, want %q", got, want)
			}
			// A response on the Code's date counts within it.
			next = f.respond(next, tt.codeBy+" 16:00", actor, decideAll(st))
			if !stageFact(t, next, tt.stage).WithinCode {
				t.Errorf("a response on %s is not within the Code", tt.codeBy)
			}
		})
	}
}
