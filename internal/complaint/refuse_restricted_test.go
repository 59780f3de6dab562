package complaint

import (
	"strings"
	"testing"
)

func TestVexatiousExclusionNeedsARestrictionInForce(t *testing.T) {
	tests := []struct {
		name       string
		inForce    string
		exclusion  string
		sent       string // what the caller put in Refuse.Restriction
		wantField  bool
		wantReason string
	}{
		{"RefusedWithoutARestrictionInForceNamingExclusion", "", "vexatious", "", true, ""},
		{"ACallerCannotClaimARestrictionTheRegisterDoesNotHold", "", "vexatious", "restriction 9", true, ""},
		{"AllowedWhileOneIsInForceAndTheRefusalSaysSo", "restriction 3, in force since 2 March 2026", "vexatious", "", false, "restriction 3, in force since 2 March 2026"},
		{"OtherExclusionsNeedNoRestriction", "", "legal_proceedings", "restriction 9", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "greatwell-homes")
			f.env.RestrictionInForce = tt.inForce
			next, ev, err := f.decide(f.received(), "2026-12-22 10:00", officer, Refuse{Exclusion: tt.exclusion, Explanation: "Refused", Restriction: tt.sent})
			if tt.wantField {
				wantError(t, err, Invalid, "exclusion")
				if !strings.Contains(err.Error(), "002 §2.7") {
					t.Errorf("error %q should cite 002 §2.7", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rec := ev.Data.(Refuse)
			if rec.Restriction != tt.wantReason {
				t.Errorf("recorded restriction %q, want %q", rec.Restriction, tt.wantReason)
			}
			if tt.wantReason != "" && !strings.Contains(next.EndReason, tt.wantReason) {
				t.Errorf("refusal reason %q does not name the restriction", next.EndReason)
			}
			if tt.wantReason == "" && strings.Contains(next.EndReason, "restriction") {
				t.Errorf("refusal reason %q names a restriction", next.EndReason)
			}
			// A replay gives the same case without the register.
			env := f.env
			env.RestrictionInForce, env.Replay, env.At = "", true, ev.At
			again, _, err := Decide(f.received(), rec, env)
			if err != nil || again.EndReason != next.EndReason {
				t.Errorf("replay: %v, reason %q want %q", err, again.EndReason, next.EndReason)
			}
		})
	}
}
