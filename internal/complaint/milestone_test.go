package complaint

import (
	"testing"
)

// Issue 12, rule 10, 001 ("customer feedback"): a manager calls the
// resident within five working days of the first contact. The case
// carries the call's due date beside its deadlines, and records when it
// was made.
func TestRule10TheManagersCallIsDueAndRecordedOnce(t *testing.T) {
	f := newFixture(t, "customer-feedback")
	c := f.received() // Mon 21 Dec 2026
	if len(c.Stages[0].Milestones) != 1 {
		t.Fatalf("stage 1 milestones = %+v, want the manager's call", c.Stages[0].Milestones)
	}
	// Acknowledged Wed 23 Dec: the call is due 5 working days later, 24,
	// 29, 30, 31 Dec, 4 Jan (25, 28 Dec and 1 Jan are bank holidays).
	c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	m := c.Stages[0].Milestones[0]
	if m.Code != "manager_call" || m.Due != date("2027-01-04") || !m.MetAt.IsZero() {
		t.Fatalf("milestone %+v, want manager_call due 2027-01-04, not met", m)
	}
	tests := []struct {
		name  string
		c     Case
		cmd   RecordMilestone
		code  string
		field string
	}{
		{"an unknown milestone", c, RecordMilestone{Code: "home_visit"}, Invalid, "code"},
		{"no milestone named", c, RecordMilestone{}, Invalid, "code"},
		{"not a complaint", f.serviceRequest(), RecordMilestone{Code: "manager_call"}, Conflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2027-01-04 10:00", reviewer, tt.cmd)
			if tt.field != "" {
				wantError(t, err, tt.code, tt.field)
			} else {
				wantError(t, err, tt.code)
			}
		})
	}
	met, ev, err := f.decide(c, "2027-01-04 11:00", reviewer, RecordMilestone{Code: "manager_call", Note: "Spoke to Ada"})
	if err != nil {
		t.Fatal(err)
	}
	got := met.Stages[0].Milestones[0]
	if !got.MetAt.Equal(london("2027-01-04 11:00")) || got.MetBy != reviewer.Email || got.Due != date("2027-01-04") || ev.Kind != "milestone_met" {
		t.Errorf("met %+v, event %s", got, ev.Kind)
	}
	// Met once; and a later deadline change keeps it met.
	if _, _, err := f.decide(met, "2027-01-05 10:00", reviewer, RecordMilestone{Code: "manager_call"}); err == nil {
		t.Error("the call was recorded as met twice")
	}
	ext := f.must(met, "2027-01-05 10:00", officer, Extend{WorkingDays: 2, Reason: "Survey", OmbudsmanDetailsGiven: true})
	if ext.Stages[0].Milestones[0].MetAt.IsZero() {
		t.Error("an extension forgot the call was made")
	}
	// A policy without milestones has none.
	g := newFixture(t, "code-2024")
	if ms := g.received().Stages[0].Milestones; len(ms) != 0 {
		t.Errorf("code-2024 milestones = %+v, want none", ms)
	}
	if _, _, err := g.decide(g.acknowledged(), "2027-01-04 10:00", officer, RecordMilestone{Code: "manager_call"}); err == nil {
		t.Error("a milestone the policy does not set was recorded")
	}
}
