package complaint

import (
	"strings"
	"testing"
)

func TestPreviouslyConsideredIsNoGroundToRefuseStage2(t *testing.T) {
	tests := []struct {
		name      string
		policy    string
		c         func(*fixture) Case
		exclusion string
		code      string // "" when the refusal stands
	}{
		{"previously considered refuses stage 1", "code-2024", (*fixture).received, "previously_considered", ""},
		{"previously considered cannot refuse stage 2", "code-2024", (*fixture).escalated, "previously_considered", Conflict},
		{"nor an acknowledged stage 2", "code-2024", (*fixture).stage2Acknowledged, "previously_considered", Conflict},
		{"whatever the policy calls it", "feedback-policy-2018", (*fixture).escalated, "previously_considered", Conflict},
		{"the time limit refuses stage 1", "code-2024", (*fixture).acknowledged, "older_than_12_months", ""},
		{"the time limit cannot refuse stage 2: the escalation window governs", "code-2024", (*fixture).escalated, "older_than_12_months", Conflict},
		{"legal proceedings may start after stage 1", "code-2024", (*fixture).escalated, "legal_proceedings", ""},
		{"a landlord's own ground may refuse stage 2", "feedback-policy-2018", (*fixture).escalated, "not_our_responsibility", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			next, _, err := f.decide(tt.c(f), "2027-01-14 10:00", reviewer, Refuse{Exclusion: tt.exclusion, Explanation: "Considered"})
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if next.Status != StatusRefused || next.Exclusion != tt.exclusion {
					t.Errorf("status %s, exclusion %q", next.Status, next.Exclusion)
				}
				return
			}
			wantError(t, err, tt.code, "exclusion")
			if msg := err.Error(); !strings.Contains(msg, "stage 2") || !strings.Contains(msg, tt.exclusion) {
				t.Errorf("error %q does not say why", msg)
			}
		})
	}
}

func TestStage2RefusalOffersOnlyGroundsThatCanRefuseIt(t *testing.T) {
	f := newFixture(t, "code-2024")
	codes := func(c Case) string {
		var s []string
		for _, x := range RefusalExclusions(c, f.env.Policy) {
			s = append(s, x.Code)
		}
		return strings.Join(s, " ")
	}
	if got, want := codes(f.received()), "older_than_12_months legal_proceedings previously_considered"; got != want {
		t.Errorf("stage 1 offers %q, want %q", got, want)
	}
	if got, want := codes(f.escalated()), "legal_proceedings"; got != want {
		t.Errorf("stage 2 offers %q, want %q", got, want)
	}
}
