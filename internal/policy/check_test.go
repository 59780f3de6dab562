package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
)

// summary is a finding without its prose, for comparing.
func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", f.Severity, f.Provision, f.Step))
	}
	return out
}

// The findings on the five documents are the ones a complaints manager
// reading them would raise; the README's table is this table.
func TestCheckPresets(t *testing.T) {
	want := map[string][]string{
		"code-2024": nil,
		"gentoo": {
			"warning 6.5 stage 1 extension", "warning 6.16 stage 2 extension",
			"note 6.4 stage 1 extension", "note 6.15 stage 2 extension",
			`warning 5.2, 1.4 "Own it, fix it" (service request)`,
			"warning 2.2, 2.5 exclusion anti_social_behaviour", "warning 2.2 exclusions",
			"note 6.10 escalation window",
		},
		"customer-feedback": {
			"breach 6.12 escalation", "breach 6.10 escalation",
			"warning 6.11 stage 2 acknowledge",
			"warning 6.4 stage 1 extension", "warning 6.5 stage 1 extension",
			"warning 6.15 stage 2 extension", "warning 6.16 stage 2 extension",
			`warning 5.2, 1.4 "There and then" (service request)`, "warning 2.2 exclusions",
			"warning 2.2, 2.5 exclusion property_pool_plus_banding",
			"note 6.3 stage 1 respond", "note 6.10 escalation window",
		},
		"greatwell-homes": {
			"breach 6.5 stage 1 extension", "breach 6.16 stage 2 extension",
			"warning 6.11 stage 2 acknowledge",
			`warning 5.2, 1.4 "Customer concern" (service request)`,
			"warning 2.2, 2.5 exclusion vexatious", "warning 2.2 exclusions",
			"note 6.2 stage 1 acknowledge", "note 6.3 stage 1 respond", "note 6.14 stage 2 respond",
			"note 6.15 stage 2 extension", "note 6.10 escalation window",
		},
		"feedback-policy-2018": {
			`breach 5.2, 1.4 "Concern" (service request)`,
			"warning 6.2 stage 1 acknowledge", "warning 6.11 stage 2 acknowledge",
			"warning 6.5 stage 1 extension", "warning 6.16 stage 2 extension",
			"warning 2.2, 2.5 exclusion not_our_responsibility", "warning 2.2, 2.5 exclusion neighbour_dispute",
			"warning 2.2, 2.5 exclusion insurance_claim",
			"note 6.3 stage 1 respond", "note 6.14 stage 2 respond",
			"note 6.4 stage 1 extension", "note 6.15 stage 2 extension",
		},
		"five-steps": {
			"warning 6.3 stage 1 respond", "warning 6.11 stage 2 acknowledge", "warning 6.14 stage 2 respond",
			"warning 6.4 stage 1 extension", "warning 6.5 stage 1 extension",
			"warning 6.15 stage 2 extension", "warning 6.16 stage 2 extension",
			"warning 2.2 exclusions",
			"note 6.2 stage 1 acknowledge",
		},
	}
	for _, name := range Presets() {
		got := summary(Check(mustPreset(t, name)))
		w, ok := want[name]
		if !ok {
			t.Errorf("preset %s has no expected findings in this test", name)
			continue
		}
		if !slices.Equal(sorted(got), sorted(w)) {
			t.Errorf("%s findings:\n got  %q\n want %q", name, got, w)
		}
		if HasBreach(Check(mustPreset(t, name))) != slices.ContainsFunc(w, func(s string) bool { return strings.HasPrefix(s, "breach") }) {
			t.Errorf("%s: HasBreach disagrees", name)
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Policy)
		want   string // one finding summary that must appear; "" means no findings
	}{
		{"the Code itself", func(p *Policy) {}, ""},
		{"slower acknowledgement", func(p *Policy) { p.Stage1.Acknowledge.Within = 7 }, "breach 6.2 stage 1 acknowledge"},
		{"faster acknowledgement", func(p *Policy) { p.Stage1.Acknowledge.Within = 2 }, "note 6.2 stage 1 acknowledge"},
		{"acknowledge within 48 hours", func(p *Policy) {
			p.Stage1.Acknowledge = Step{Within: 48, Unit: calendar.Hours, From: Received}
		}, "note 6.2 stage 1 acknowledge"},
		{"respond within 14 calendar days can be slower than 10 working days", func(p *Policy) {
			p.Stage1.Respond = Step{Within: 14, Unit: calendar.CalendarDays, From: Acknowledged}
		}, "breach 6.3 stage 1 respond"},
		{"respond within 12 calendar days never is", func(p *Policy) {
			p.Stage1.Respond = Step{Within: 12, Unit: calendar.CalendarDays, From: Acknowledged}
		}, "note 6.3 stage 1 respond"},
		{"stage 2 in 25 working days", func(p *Policy) { p.Stage2.Respond.Within = 25 }, "breach 6.14 stage 2 respond"},
		{"stage 2 acknowledgement in 6 working days", func(p *Policy) { p.Stage2.Acknowledge.Within = 6 }, "breach 6.11 stage 2 acknowledge"},
		{"longer stage 1 extension", func(p *Policy) { p.Stage1.Extension.CapWorkingDays = 15 }, "breach 6.4 stage 1 extension"},
		{"longer stage 2 extension", func(p *Policy) { p.Stage2.Extension.CapWorkingDays = 21 }, "breach 6.15 stage 2 extension"},
		{"Ombudsman details only when not agreed", func(p *Policy) { p.Stage2.Extension.OmbudsmanDetails = OmbudsmanWhenNotAgreed }, "breach 6.16 stage 2 extension"},
		{"a stage 3", func(p *Policy) { p.ExtraStages = []ExtraStage{{Name: "Panel review", Position: "after_stage2"}} }, "breach 5.3 stages"},
		{"a stage 0", func(p *Policy) { p.ExtraStages = []ExtraStage{{Name: "Informal complaint", Position: "before_stage1"}} }, "breach 5.2 stages"},
		{"a stage 1.5", func(p *Policy) { p.ExtraStages = []ExtraStage{{Name: "Manager review", Position: "between"}} }, "breach 5.2 stages"},
		{"six-month time limit", func(p *Policy) {
			if len(p.Exclusions) > 0 {
				p.Exclusions[0].Months = 6
			}
		}, "breach 2.3 exclusion older_than_12_months"},
		{"no exclusions at all", func(p *Policy) { p.Exclusions = nil }, "warning 2.2 exclusions"},
		{"reasons demanded for stage 2", func(p *Policy) { p.Escalation.RequiresReasons = true }, "breach 6.12 escalation"},
		{"concern that converts only when unresolved", func(p *Policy) {
			p.Kinds = append(p.Kinds, Kind{Kind: KindServiceRequest, Name: "Concern", HandlesDissatisfaction: true, ConvertsWhenUnresolved: true})
		}, `breach 5.2, 1.4 "Concern" (service request)`},
		{"assumed step", func(p *Policy) { p.Stage1.Respond.Assumed = true }, "warning 6.3 stage 1 respond"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustPreset(t, "code-2024")
			tt.change(p)
			got := summary(Check(p))
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("findings %q, want none", got)
				}
				return
			}
			if !slices.Contains(got, tt.want) {
				t.Errorf("findings %q, want %q among them", got, tt.want)
			}
			if strings.HasPrefix(tt.want, "breach") && len(got) > 0 && got[0] != tt.want && !strings.HasPrefix(got[0], "breach") {
				t.Errorf("breaches are not listed first: %q", got)
			}
		})
	}
}

// The bound used to compare calendar days with working days must be
// exact: every anchor meets it, and one day more fails for some anchor.
func TestCalendarDaysBoundIsExact(t *testing.T) {
	cal, err := calendar.New(nil, calendar.EnglandAndWales, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []int{5, 10, 20} {
		bound := m + 2*((m-1)/5)
		c := codeStep{step: Step{Within: m, Unit: calendar.WorkingDays, From: Received}}
		if !fasterOrEqual(Step{Within: bound, Unit: calendar.CalendarDays}, c) || fasterOrEqual(Step{Within: bound + 1, Unit: calendar.CalendarDays}, c) {
			t.Fatalf("m=%d: bound %d not used", m, bound)
		}
		slowerSomewhere := false
		for d := calendar.MustParseDate("2026-01-01"); d.Year() == 2026; d = d.AddDays(1) {
			due, err := cal.AddWorkingDays(d, m)
			if err != nil {
				t.Fatal(err)
			}
			if d.AddDays(bound).After(due) {
				t.Fatalf("%d calendar days from %s ends after %d working days (%s)", bound, d, m, due)
			}
			if d.AddDays(bound + 1).After(due) {
				slowerSomewhere = true
			}
		}
		if !slowerSomewhere {
			t.Errorf("m=%d: %d calendar days is never slower, so the bound is not tight", m, bound+1)
		}
	}
}
