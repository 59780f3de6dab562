package webui

import (
	"slices"
	"testing"
	"time"
)

// The triage prompt (issue 14) names the hazards a case's words mention
// and only those; it prompts an officer, it never classifies.
func TestHazardMentionsPromptTriageOnlyForHazardWords(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"nothing", []string{"Rude call handler", "I waited on hold for an hour"}, nil},
		{"damp and mould", []string{"Black mould in my son's bedroom", "The walls are damp and he has asthma"}, []string{"damp", "mould"}},
		{"American spelling and plural", []string{"Mold everywhere; dampness in the hall"}, []string{"damp", "mould"}},
		{"condensation", []string{"Condensation on every window"}, []string{"condensation"}},
		{"gas", []string{"I can smell GAS by the cooker"}, []string{"gas"}},
		{"not gas inside a word", []string{"We went to Las Vegas; the gasket is fine"}, nil},
		{"electrics and wiring", []string{"The electrics trip", "exposed wiring"}, []string{"electrics", "wiring"}},
		{"electrical and sparks", []string{"An electrical socket sparking"}, []string{"electrics", "sparks"}},
		{"leak and flood", []string{"Leaking pipe", "the kitchen flooded"}, []string{"leak", "flood"}},
		{"no heating", []string{"No heating since Friday"}, []string{"no heating"}},
		{"boiler broken", []string{"The boiler has broken down? no: the boiler is broken"}, []string{"no heating"}},
		{"no hot water", []string{"no hot water with a baby at home"}, []string{"no hot water"}},
		{"asbestos", []string{"Asbestos tiles cracked"}, []string{"asbestos"}},
		{"fire and smoke", []string{"Smoke from the fuse box"}, []string{"fire"}},
		{"carbon monoxide", []string{"The carbon monoxide alarm keeps going off"}, []string{"carbon monoxide"}},
		{"a note added later", []string{"Repair not done", "", "Resident called: water leaking onto the light fitting"}, []string{"leak"}},
		{"fired is not fire", []string{"The contractor was fired"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hazardMentions(tt.texts...); !slices.Equal(got, tt.want) {
				t.Errorf("hazardMentions(%q) = %v, want %v", tt.texts, got, tt.want)
			}
		})
	}
}

// An emergency's time left is in hours and minutes.
func TestHoursLeftIsInHoursAndMinutes(t *testing.T) {
	for d, want := range map[int]string{0: "0 minutes", 1: "1 minute", 60: "1 hour", 61: "1 hour 1 minute", 125: "2 hours 5 minutes", 1439: "23 hours 59 minutes"} {
		if got := hoursLeft(time.Duration(d) * time.Minute); got != want {
			t.Errorf("hoursLeft(%d minutes) = %q, want %q", d, got, want)
		}
	}
}
