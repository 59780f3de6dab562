package letters

import (
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// Issue 12, rule 1 as letters see it: a stage response letter is drafted
// from the stage's decisions while the case is still acknowledged, since
// issuing that letter is what responds to the stage.
func TestStageResponseLetterIsDraftableOnceTheStageHasDecisions(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		name string
		kind Kind
		c    func() complaint.Case
	}{
		{"stage 1 decided, not sent", Stage1Response, f.decided},
		{"stage 2 decided, not sent", Stage2Response, f.stage2Decided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			c := tt.c()
			if c.Status != complaint.StatusAcknowledged || !c.Current().RespondedAt.IsZero() {
				t.Fatalf("the case is %s, responded at %v: want acknowledged with a draft response", c.Status, c.Current().RespondedAt)
			}
			if !tt.kind.Applies(c) || !slices.Contains(Applicable(c), tt.kind) {
				t.Errorf("%s does not apply to a stage with decisions", tt.kind)
			}
			l := f.draft(tt.kind, c, "2027-02-03")
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Errorf("the draft misses %+v", missing)
			}
		})
	}
}

// withLearning returns c with learning recorded on its current stage.
func withLearning(c complaint.Case, learning string) complaint.Case {
	c.Stages = slices.Clone(c.Stages)
	c.Stages[len(c.Stages)-1].Learning = learning
	return c
}

// Issue 12, rule 10: each policy's promises about its letters are printed
// by the built-in templates and required by Check. Each row drafts a
// letter under a preset, looks for the promised text, then removes it and
// expects Check to name exactly that.
func TestRule10LettersKeepThePoliciesPromises(t *testing.T) {
	const learnt = "Missed appointments are now reported to the repairs manager every week."
	const offer = "a copy of our full complaints policy"
	type row struct {
		name   string
		preset string
		kind   Kind
		c      func(f *fixture) complaint.Case
		today  string
		text   string // what the letter must say; "" when it must not say absent
		absent string // what it must not say
		code   string // what Check names once text is removed
	}
	learning1 := func(f *fixture) complaint.Case { return withLearning(f.decided(), learnt) }
	learning2 := func(f *fixture) complaint.Case { return withLearning(f.stage2Decided(), learnt) }
	tests := []row{
		// gentoo (000): "Customers are offered a copy of the full
		// complaints policy at both stages within their complaint."
		{"gentoo acknowledgement offers the policy", "gentoo", Acknowledgement, (*fixture).acknowledged, "2026-12-23", offer, "", "policy_copy"},
		{"gentoo stage 1 response offers the policy", "gentoo", Stage1Response, (*fixture).decided, "2027-01-05", offer, "", "policy_copy"},
		{"gentoo stage 2 acknowledgement offers the policy", "gentoo", Stage2Acknowledgement, (*fixture).stage2Acknowledged, "2027-01-13", offer, "", "policy_copy"},
		{"gentoo stage 2 response offers the policy", "gentoo", Stage2Response, (*fixture).stage2Decided, "2027-02-03", offer, "", "policy_copy"},
		{"gentoo refusal offers the policy", "gentoo", Refusal, (*fixture).refused, "2026-12-22", offer, "", "policy_copy"},
		{"the Code promises no copy", "code-2024", Acknowledgement, (*fixture).acknowledged, "2026-12-23", "", offer, ""},
		// customer-feedback (001), Stage one: "findings, actions and
		// learnings"; stage two promises findings and actions only.
		{"customer-feedback stage 1 prints the learning", "customer-feedback", Stage1Response, learning1, "2027-01-05", learnt, "", "learning"},
		{"customer-feedback stage 2 does not promise it", "customer-feedback", Stage2Response, learning2, "2027-02-03", "", learnt, ""},
		// five-steps (004), 3. Resolve: "an idea of what we've learnt".
		{"five-steps stage 1 prints the learning", "five-steps", Stage1Response, learning1, "2027-01-05", learnt, "", "learning"},
		{"five-steps stage 2 prints the learning", "five-steps", Stage2Response, learning2, "2027-02-03", learnt, "", "learning"},
		// five-steps, 4. Review: "refer your complaint to your MP, local
		// councillor or the Housing Ombudsman".
		{"five-steps final response names the MP", "five-steps", Stage2Response, (*fixture).stage2Decided, "2027-02-03", "your MP", "", "other_route"},
		{"five-steps final response names the councillor", "five-steps", Stage2Response, (*fixture).stage2Decided, "2027-02-03", "your local councillor", "", "other_route"},
		{"the Code names no other route", "code-2024", Stage2Response, (*fixture).stage2Decided, "2027-02-03", "", "your MP", ""},
		{"the Code prints no learning", "code-2024", Stage1Response, learning1, "2027-01-05", "", learnt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.preset)
			l := f.draft(tt.kind, tt.c(f), tt.today)
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Fatalf("the default letter misses %+v\n%s", missing, l.Body)
			}
			if tt.absent != "" && strings.Contains(l.Body, tt.absent) {
				t.Errorf("the letter says %q, which the policy does not promise:\n%s", tt.absent, l.Body)
			}
			if tt.text == "" {
				return
			}
			if !strings.Contains(l.Body, tt.text) {
				t.Fatalf("the letter does not say %q:\n%s", tt.text, l.Body)
			}
			got := Check(l.Kind, l.Data, strings.ReplaceAll(l.Body, tt.text, ""))
			if len(got) != 1 || got[0].Code != tt.code {
				t.Errorf("without %q, Check = %+v; want one %s", tt.text, got, tt.code)
			}
		})
	}
}

// Issue 12, rule 10: an action-update letter never says "we will do this
// by" a date already past. An action due before the letter's date is
// worded as late, and Check refuses a body that promises it by that date
// or does not say it is late.
func TestRule10ActionUpdateWordsOverdueActionsHonestly(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.actionsUpdated() // the stage 2 action is due 31 March 2027 and open
	tests := []struct {
		name    string
		today   string
		overdue bool
		want    string
	}{
		{"before the due date", "2027-03-01", false, "we will do this by Wednesday 31 March 2027"},
		{"on the due date", "2027-03-31", false, "we will do this by Wednesday 31 March 2027"},
		{"after the due date", "2027-04-06", true, "this was due by Wednesday 31 March 2027 and is late"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			l := f.draft(ActionUpdate, c, tt.today)
			if len(l.Data.OpenActions) != 1 || l.Data.OpenActions[0].Overdue != tt.overdue {
				t.Fatalf("open actions %+v, want one with overdue %v", l.Data.OpenActions, tt.overdue)
			}
			if !strings.Contains(l.Body, tt.want) {
				t.Errorf("the letter does not say %q:\n%s", tt.want, l.Body)
			}
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Errorf("the default letter misses %+v", missing)
			}
			if !tt.overdue {
				return
			}
			for _, edit := range []struct{ name, body string }{
				{"promises a past date", strings.ReplaceAll(l.Body, "this was due by", "we will do this by")},
				{"promises it in other words", strings.ReplaceAll(l.Body, "this was due by Wednesday 31 March 2027 and is late", "we will finish this on 31 March 2027")},
			} {
				got := Check(l.Kind, l.Data, edit.body)
				if len(got) != 1 || got[0].Code != "action_late" {
					t.Errorf("%s: Check = %+v, want one action_late", edit.name, got)
				}
			}
		})
	}
}

// The stage responses word an overdue action from stage 1 as late too.
func TestRule10StageTwoResponseWordsAnOverdueStageOneActionAsLate(t *testing.T) {
	f := newFixture(t, "code-2024")
	l := f.draft(Stage2Response, f.stage2Decided(), "2027-02-03") // stage 1's action was due 29 January
	if want := "this was due by Friday 29 January 2027 and is late"; !strings.Contains(l.Body, want) {
		t.Errorf("the final response does not say %q:\n%s", want, l.Body)
	}
	if strings.Contains(l.Body, "we will do this by Friday 29 January 2027") {
		t.Errorf("the final response promises a past date:\n%s", l.Body)
	}
}
