package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Issue 12, rule 10: the policies as their documents say. Each preset
// carries the document's own promises as settings, with its source.
func TestRule10EachPresetCarriesItsDocumentsPromises(t *testing.T) {
	tests := []struct {
		preset string
		what   string
		got    func(p *Policy) string
		want   string
	}{
		// gentoo (000), Stage 1 and Stage 2 complaints: the new date is a
		// mutually agreed resolution date, so extensions need agreement.
		{"gentoo", "stage 1 extension cap", func(p *Policy) string {
			return fmt.Sprint(p.Stage1.Extension.CapWorkingDays, p.Stage1.Extension.Assumed)
		}, "0 false"},
		{"gentoo", "stage 2 extension cap", func(p *Policy) string {
			return fmt.Sprint(p.Stage2.Extension.CapWorkingDays, p.Stage2.Extension.Assumed)
		}, "0 false"},
		// gentoo: "Customers are offered a copy of the full complaints
		// policy at both stages within their complaint."
		{"gentoo", "letters offer the policy", func(p *Policy) string { return fmt.Sprint(p.Letters.OfferPolicyCopy) }, "true"},
		{"gentoo", "kind name", func(p *Policy) string { n, _ := p.KindName(KindServiceRequest); return n }, "Own it, fix it"},
		// customer-feedback (001), Who can make a complaint?: banding on
		// Property Pool Plus is the local authority's.
		{"customer-feedback", "Property Pool Plus exclusion", func(p *Policy) string {
			i := slices.IndexFunc(p.Exclusions, func(x Exclusion) bool { return x.Code == "property_pool_plus_banding" })
			if i < 0 {
				return "none"
			}
			x := p.Exclusions[i]
			return fmt.Sprint(x.Ground, " ", strings.Contains(x.Reason, "Property Pool Plus"), " ", strings.Contains(x.Reason, "local authority"))
		}, "other true true"},
		// customer-feedback, Stage one: a manager calls within five working
		// days of the team's first contact.
		{"customer-feedback", "manager's call", func(p *Policy) string {
			if len(p.Milestones) != 1 {
				return fmt.Sprint(len(p.Milestones), " milestones")
			}
			m := p.Milestones[0]
			return fmt.Sprintf("%s stage %d: %s", m.Code, m.Stage, m.Due)
		}, "manager_call stage 1: 5 working days from acknowledged"},
		// customer-feedback, Stage one: "findings, actions and learnings".
		{"customer-feedback", "learning", func(p *Policy) string { return fmt.Sprint(p.Letters.LearningAtStages) }, "[1]"},
		// five-steps (004), 3. Resolve and 4. Review.
		{"five-steps", "learning", func(p *Policy) string { return fmt.Sprint(p.Letters.LearningAtStages) }, "[1 2]"},
		{"five-steps", "routes besides the Ombudsman", func(p *Policy) string { return strings.Join(p.Letters.FinalResponseRoutes, "; ") }, "your MP; your local councillor"},
		// greatwell-homes (002), 2.1.2: a "Customer concern".
		{"greatwell-homes", "kind name", func(p *Policy) string { n, _ := p.KindName(KindServiceRequest); return n }, "Customer concern"},
		// The Code promises none of these.
		{"code-2024", "no letter promises", func(p *Policy) string {
			return fmt.Sprint(p.Letters.OfferPolicyCopy, len(p.Letters.LearningAtStages), len(p.Letters.FinalResponseRoutes), len(p.Milestones))
		}, "false 0 0 0"},
	}
	for _, tt := range tests {
		t.Run(tt.preset+"/"+tt.what, func(t *testing.T) {
			p := mustPreset(t, tt.preset)
			if got := tt.got(p); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	// Every setting cites where its document says so.
	for _, name := range []string{"gentoo", "customer-feedback", "five-steps"} {
		p := mustPreset(t, name)
		if p.Letters.Source == "" {
			t.Errorf("%s: letters settings cite no source", name)
		}
		for _, m := range p.Milestones {
			if m.Due.Source == "" {
				t.Errorf("%s: milestone %s cites no source", name, m.Code)
			}
		}
	}
}

// The presets that met the Code before rule 10 still do: gentoo's cap of 0
// is stricter than the Code, and the new exclusion is a warning.
func TestRule10PresetsThatPassedTheCheckStillPass(t *testing.T) {
	for _, name := range []string{"code-2024", "gentoo", "five-steps"} {
		if fs := Check(mustPreset(t, name)); HasBreach(fs) {
			t.Errorf("%s now breaches the Code: %q", name, summary(fs))
		}
	}
}

// The customer-feedback manager's call is due five working days after the
// acknowledgement, or after the day it was due while it has not happened;
// no other stage or policy has it.
func TestRule10ManagersCallIsDueFiveWorkingDaysAfterTheFirstContact(t *testing.T) {
	at := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return calendar.MustParseDate(s).Start().Add(10 * time.Hour)
	}
	tests := []struct {
		name          string
		preset        string
		stage         int
		received, ack string
		lateNoTime    bool
		want          string // code=date, or "" for no milestone
	}{
		{"acknowledged next day", "customer-feedback", 1, "2026-12-01", "2026-12-02", false, "manager_call=2026-12-09"},
		{"not yet acknowledged: from the last day allowed", "customer-feedback", 1, "2026-12-01", "", false, "manager_call=2026-12-15"},
		{"over Christmas", "customer-feedback", 1, "2026-12-21", "2026-12-23", false, "manager_call=2027-01-04"},
		{"late acknowledgement counted for the Code buys no time", "customer-feedback", 1, "2026-12-01", "2026-12-14", true, "manager_call=2026-12-15"},
		{"stage 2 has none", "customer-feedback", 2, "2027-01-04", "", false, ""},
		{"the Code has none", "code-2024", 1, "2026-12-01", "2026-12-02", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustPreset(t, tt.preset)
			cal, err := p.Calendar(nil)
			if err != nil {
				t.Fatal(err)
			}
			dl, err := p.Deadlines(cal, tt.stage, Timeline{Received: at(tt.received), Acknowledged: at(tt.ack), AcknowledgedNoLaterThanDue: tt.lateNoTime})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range dl.Milestones {
				got = append(got, m.Code+"="+m.Due.Date.String())
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("milestones %q, want %q", got, tt.want)
			}
		})
	}
}

// Milestones and letter settings are refused, with their field, when they
// cannot mean anything.
func TestRule10BadMilestonesAndLetterSettingsAreRefused(t *testing.T) {
	milestone := func(code, stage, from string) string {
		return "milestones:\n  - code: " + code + "\n    name: Call\n    stage: " + stage + "\n    due:\n      within: 5\n      unit: working_days\n      from: " + from + "\n\nombudsman:"
	}
	tests := []struct {
		name, insert, field, message string
	}{
		{"milestone at stage 3", milestone("call", "3", "received"), "milestones[0].stage", "3 is not a stage"},
		{"stage 2 milestone from receipt", milestone("call", "2", "received"), "milestones[0].due.from", `"received" is not allowed here`},
		{"milestone code with spaces", milestone("manager call", "1", "acknowledged"), "milestones[0].code", "must be 1 to 63"},
		{"learning at stage 3", "letters:\n  learning_at_stages: [1, 3]\n\nombudsman:", "letters.learning_at_stages[1]", "3 is not a stage"},
		{"learning at stage 1 twice", "letters:\n  learning_at_stages: [1, 1]\n\nombudsman:", "letters.learning_at_stages[1]", "listed twice"},
		{"empty route", "letters:\n  final_response_routes: [\"your MP\", \" \"]\n\nombudsman:", "letters.final_response_routes[1]", "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test", edit(t, "ombudsman:", tt.insert))
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("Parse = %v, want an InvalidError", err)
			}
			if !slices.ContainsFunc(inv.Fields, func(f FieldError) bool {
				return f.Field == tt.field && strings.Contains(f.Message, tt.message) && f.Line > 0
			}) {
				t.Errorf("errors %v, want %s: %s with a line", inv.Fields, tt.field, tt.message)
			}
		})
	}
}

// KindName falls back to "not listed" for a kind the policy does not
// name, so the pages can show the plain name.
func TestRule10KindNameIsThePoliciesOwnOrNone(t *testing.T) {
	p := mustPreset(t, "gentoo")
	if n, ok := p.KindName(KindEnquiry); ok || n != "" {
		t.Errorf("gentoo names enquiries %q, want none", n)
	}
	if n, ok := p.KindName(KindCompliment); !ok || n != "Compliment" {
		t.Errorf("gentoo compliment %q %v", n, ok)
	}
}
