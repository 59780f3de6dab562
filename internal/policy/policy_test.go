package policy

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
)

func mustPreset(t testing.TB, name string) *Policy {
	t.Helper()
	p, err := Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// firstKind is the policy's first kind of contact other than a complaint,
// or the zero Kind if it lists none.
func firstKind(p *Policy) Kind {
	if len(p.Kinds) == 0 {
		return Kind{}
	}
	return p.Kinds[0]
}

// resolveWithin is a kind's resolution target as text, or "none".
func resolveWithin(k Kind) string {
	if k.ResolveWithin == nil {
		return "none"
	}
	return k.ResolveWithin.String()
}

func TestEveryPresetLoadsAndCitesItsSource(t *testing.T) {
	names := Presets()
	want := []string{"code-2024", "customer-feedback", "feedback-policy-2018", "five-steps", "gentoo", "greatwell-homes"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("Presets() = %v, want %v", names, want)
	}
	for _, name := range names {
		p := mustPreset(t, name)
		if p.Name != name {
			t.Errorf("preset %s is named %q inside", name, p.Name)
		}
		raw, err := PresetYAML(name)
		if err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		if name != Default {
			if !strings.HasPrefix(p.Source, "shared/policies/") || !strings.Contains(string(raw), "# Source: "+p.Source) {
				t.Errorf("preset %s does not cite its source document in a comment and in source:", name)
			}
		}
		for _, st := range []Stage{p.Stage1, p.Stage2} {
			for _, s := range []Step{st.Acknowledge, st.Respond} {
				if s.Source == "" {
					t.Errorf("preset %s: step %s says nothing of where it comes from", name, s)
				}
			}
		}
	}
	if _, err := Preset("nope"); err == nil || !strings.Contains(err.Error(), "code-2024") {
		t.Errorf("unknown preset error %v does not list the presets", err)
	}
	if _, err := PresetYAML("../presets/code-2024"); err == nil {
		t.Error("preset name with a path accepted")
	}
}

// Each preset encodes its document's own quirks.
func TestPresetsEncodeTheirDocuments(t *testing.T) {
	step := func(n int, u calendar.Unit, from Anchor) string { return Step{Within: n, Unit: u, From: from}.String() }
	tests := []struct {
		preset string
		got    func(p *Policy) string
		want   string
	}{
		{"code-2024", func(p *Policy) string { return p.Stage1.Acknowledge.String() }, step(5, calendar.WorkingDays, Received)},
		{"code-2024", func(p *Policy) string { return p.Stage2.Respond.String() }, step(20, calendar.WorkingDays, Acknowledged)},
		{"code-2024", func(p *Policy) string { return fmt.Sprint(p.Escalation.Window) }, "<nil>"},
		{"gentoo", func(p *Policy) string { return p.Escalation.Window.String() }, step(15, calendar.WorkingDays, Responded)},
		{"gentoo", func(p *Policy) string { return fmt.Sprint(p.Stage2.NewReference) }, "true"},
		{"gentoo", func(p *Policy) string { return firstKind(p).Name }, "Own it, fix it"},
		{"customer-feedback", func(p *Policy) string { return p.Escalation.Window.String() }, step(28, calendar.CalendarDays, Responded)},
		{"customer-feedback", func(p *Policy) string { return p.Stage1.Respond.String() }, step(10, calendar.WorkingDays, Received)},
		{"greatwell-homes", func(p *Policy) string { return p.Stage1.Acknowledge.String() }, step(3, calendar.WorkingDays, Received)},
		{"greatwell-homes", func(p *Policy) string { return resolveWithin(firstKind(p)) }, step(3, calendar.WorkingDays, Received)},
		{"greatwell-homes", func(p *Policy) string { return fmt.Sprint(p.Stage2.Extension.CapWorkingDays) }, "10"},
		{"feedback-policy-2018", func(p *Policy) string { return resolveWithin(firstKind(p)) }, step(24, calendar.Hours, Received)},
		{"feedback-policy-2018", func(p *Policy) string { return p.Stage2.Respond.String() }, step(7, calendar.CalendarDays, EscalationRequested)},
		{"feedback-policy-2018", func(p *Policy) string { return p.Stage1.Respond.String() }, step(5, calendar.WorkingDays, Received)},
		{"feedback-policy-2018", func(p *Policy) string { return fmt.Sprint(len(p.Exclusions)) }, "6"},
		{"five-steps", func(p *Policy) string { return p.Stage1.Acknowledge.String() }, step(1, calendar.WorkingDays, Received)},
		{"five-steps", func(p *Policy) string { return fmt.Sprint(p.Stage1.Respond.Assumed) }, "true"},
	}
	for _, tt := range tests {
		if got := tt.got(mustPreset(t, tt.preset)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.preset, got, tt.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	scotland := mustPreset(t, "code-2024")
	scotland.Division = calendar.Scotland
	day := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return calendar.MustParseDate(s).Start().Add(10 * time.Hour)
	}
	tests := []struct {
		name                    string
		policy                  *Policy
		stage                   int
		received, ack, resp     string
		ext                     int
		wantAck, wantResp, wEsc string
		wantOverCap             bool
	}{
		{"Code stage 1 before Christmas, acknowledgement assumed on its last day", mustPreset(t, "code-2024"), 1, "2026-12-21", "", "", 0, "2026-12-30", "2027-01-14", "", false},
		{"Code stage 1 acknowledged next day", mustPreset(t, "code-2024"), 1, "2026-12-21", "2026-12-22", "", 0, "2026-12-30", "2027-01-08", "", false},
		{"Code stage 1 in Scotland", scotland, 1, "2026-12-21", "", "", 0, "2026-12-30", "2027-01-15", "", false},
		{"extension within the cap counts from the due date", mustPreset(t, "code-2024"), 1, "2026-12-21", "2026-12-22", "", 10, "2026-12-30", "2027-01-22", "", false},
		{"extension over the cap is flagged", mustPreset(t, "code-2024"), 1, "2026-12-21", "2026-12-22", "", 11, "2026-12-30", "2027-01-25", "", true},
		{"Code sets no escalation window", mustPreset(t, "code-2024"), 1, "2026-12-01", "2026-12-02", "2026-12-23", 0, "2026-12-08", "2026-12-16", "", false},
		{"Gentoo: 15 working days to escalate", mustPreset(t, "gentoo"), 1, "2026-12-01", "2026-12-02", "2026-12-23", 0, "2026-12-08", "2026-12-16", "2027-01-18", false},
		{"28 calendar days to escalate", mustPreset(t, "customer-feedback"), 1, "2026-12-01", "2026-12-02", "2026-12-23", 0, "2026-12-08", "2026-12-15", "2027-01-20", false},
		{"Greatwell: 3 days to acknowledge, 10 from receipt", mustPreset(t, "greatwell-homes"), 1, "2026-12-22", "", "", 0, "2026-12-29", "2027-01-08", "", false},
		{"Greatwell: stage 2 cap is 10", mustPreset(t, "greatwell-homes"), 2, "2027-01-04", "", "", 11, "2027-01-11", "2027-02-16", "", true},
		{"Code stage 2", mustPreset(t, "code-2024"), 2, "2027-01-04", "", "", 0, "2027-01-11", "2027-02-08", "", false},
		{"stage 2 has no escalation date", mustPreset(t, "gentoo"), 2, "2027-01-04", "2027-01-05", "2027-01-20", 0, "2027-01-11", "2027-02-02", "", false},
		{"7-day stage 2 counts calendar days", mustPreset(t, "feedback-policy-2018"), 2, "2027-01-04", "", "", 0, "2027-01-11", "2027-01-11", "", false},
		{"1 working day acknowledgement over Christmas", mustPreset(t, "five-steps"), 1, "2026-12-24", "", "", 0, "2026-12-29", "2027-01-13", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := tt.policy.Calendar(nil)
			if err != nil {
				t.Fatal(err)
			}
			dl, err := tt.policy.Deadlines(cal, tt.stage, Timeline{Received: day(tt.received), Acknowledged: day(tt.ack), Responded: day(tt.resp), ExtensionDays: tt.ext})
			if err != nil {
				t.Fatal(err)
			}
			got := [3]string{dl.AcknowledgeBy.Date.String(), dl.RespondBy.Date.String(), dl.EscalateBy.Date.String()}
			want := [3]string{tt.wantAck, tt.wantResp, tt.wEsc}
			if got != want || dl.OverCap != tt.wantOverCap {
				t.Errorf("acknowledge, respond, escalate by = %v over cap %v; want %v over cap %v", got, dl.OverCap, want, tt.wantOverCap)
			}
		})
	}
}

func TestDeadlinesRefuseNonsense(t *testing.T) {
	p := mustPreset(t, "code-2024")
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deadlines(cal, 3, Timeline{Received: clock.Wall()}); err == nil {
		t.Error("stage 3 accepted")
	}
	if _, err := p.Deadlines(cal, 1, Timeline{}); err == nil {
		t.Error("no received time accepted")
	}
	if _, err := p.Deadlines(cal, 1, Timeline{Received: clock.Wall(), ExtensionDays: -1}); err == nil {
		t.Error("negative extension accepted")
	}
	var nc *calendar.NotCoveredError
	if _, err := p.Deadlines(cal, 1, Timeline{Received: calendar.MustParseDate("2040-12-20").Start()}); !errors.As(err, &nc) {
		t.Errorf("deadline into 2041 gave %v", err)
	}
}

// A policy written out as YAML and read back is the same policy.
func TestPresetsRoundTripThroughYAML(t *testing.T) {
	for _, name := range Presets() {
		p := mustPreset(t, name)
		p.ClosureDays = []calendar.Date{calendar.MustParseDate("2026-12-29")}
		p.Homes = []Homes{{Year: 2026, LowCostRental: 12000, LowCostHomeOwnership: 800}}
		data, err := yaml.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(name, data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, data)
		}
		if !reflect.DeepEqual(p, back) {
			t.Errorf("%s changed on a round trip through YAML", name)
		}
		if h, ok := back.HomesIn(2026); !ok || h.LowCostRental != 12000 {
			t.Errorf("%s: homes lost", name)
		}
	}
}
