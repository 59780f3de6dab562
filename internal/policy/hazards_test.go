package policy

import (
	"strings"
	"testing"
)

// Every preset carries the regulations' times (issue 14, item 7).
func TestEveryPresetCarriesTheHazardTimes(t *testing.T) {
	for _, name := range Presets() {
		p, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if law := StatutoryHazards(); p.Hazards.Emergency != law.Emergency || p.Hazards.Significant != law.Significant {
			t.Errorf("%s: hazard times %+v, want the regulations'", name, p.Hazards)
		}
		if !strings.Contains(p.Hazards.Source, "SI 2025/1042") {
			t.Errorf("%s: hazard source %q does not cite the regulations", name, p.Hazards.Source)
		}
	}
}

// Awaab's Law's times are the longest a policy may set: slower is a
// breach of the regulations, faster is noted, and unset is the
// regulations' own.
func TestHazardTimesAgainstTheRegulations(t *testing.T) {
	base, err := Preset("code-2024")
	if err != nil {
		t.Fatal(err)
	}
	if got := base.HazardRules(); got.Emergency.MakeSafeHours != 24 || got.Significant.InvestigateWorkingDays != 10 ||
		got.Significant.SummaryWorkingDays != 3 || got.Significant.SafetyWorksWorkingDays != 5 ||
		got.Significant.PreventativeBeginWorkingDays != 5 || got.Significant.PreventativeLatestWeeks != 12 {
		t.Errorf("unset hazard times = %+v, want the regulations'", got)
	}
	tests := []struct {
		name     string
		set      func(*Hazards)
		severity Severity
		step     string
	}{
		{"an emergency in 48 hours", func(h *Hazards) { h.Emergency.MakeSafeHours = 48 }, Breach, "emergency hazard: investigate and make safe"},
		{"an investigation in 15 working days", func(h *Hazards) { h.Significant.InvestigateWorkingDays = 15 }, Breach, "significant hazard: investigate"},
		{"further works at the latest in 16 weeks", func(h *Hazards) { h.Significant.PreventativeLatestWeeks = 16 }, Breach, "significant hazard: begin further works at the latest"},
		{"an emergency in 12 hours", func(h *Hazards) { h.Emergency.MakeSafeHours = 12 }, Note, "emergency hazard: investigate and make safe"},
		{"a summary in 2 working days", func(h *Hazards) { h.Significant.SummaryWorkingDays = 2 }, Note, "significant hazard: written summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := *base
			tt.set(&p.Hazards)
			var found []Finding
			for _, f := range Check(&p) {
				if f.Provision == "Awaab's Law" {
					found = append(found, f)
				}
			}
			if len(found) != 1 || found[0].Severity != tt.severity || found[0].Step != tt.step {
				t.Errorf("findings %+v, want one %s on %q", found, tt.severity, tt.step)
			}
		})
	}
	// A negative time does not load, naming the field.
	_, err = Parse("bad", []byte(strings.Replace(mustPresetYAML(t, "code-2024"), "make_safe_within_hours: 24", "make_safe_within_hours: -1", 1)))
	if err == nil || !strings.Contains(err.Error(), "hazards.emergency.make_safe_within_hours") {
		t.Errorf("a negative hazard time: %v", err)
	}
}

// mustPresetYAML is a preset's file as shipped.
func mustPresetYAML(t *testing.T, name string) string {
	t.Helper()
	data, err := presetFiles.ReadFile("presets/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
