package letters

import (
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/poppler"
)

// Mould reported with the complaint received Mon 21 Dec 2026 and
// investigated Tue 5 Jan 2027: the safety work and the further works are
// due Tue 12 Jan (5 working days), the summary Fri 8 Jan.
const (
	mouldFindings  = "The bathroom extractor fan has failed, so the back bedroom wall stays damp."
	notPracticable = "The wall needs a damp-proof course from a specialist contractor."
)

func (f *fixture) significantHazard() complaint.Case {
	f.t.Helper()
	return f.do(f.received(), "2026-12-21 11:00", officer, complaint.ClassifyHazard{Class: complaint.HazardSignificant, Description: "Black mould in the back bedroom"})
}

func (f *fixture) hazardInvestigated() complaint.Case {
	f.t.Helper()
	return f.do(f.significantHazard(), "2027-01-05 15:00", officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: mouldFindings})
}

// The default summary letter says what was found, the works' dates and
// the resident's rights, passes Check, and renders.
func TestHazardSummaryLetterSaysTheFindingsTheDatesAndTheRights(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		name  string
		c     func() complaint.Case
		today string
		want  []string
		not   []string
	}{
		{"works due", f.hazardInvestigated, "2027-01-06", []string{
			mouldFindings, "Black mould in the back bedroom", "5 January 2027",
			"We will do the work to make your home safe by Tuesday 12 January 2027",
			"by Tuesday 12 January 2027", "Awaab's Law", "SI 2025/1042", "right to complain", f.p.Ombudsman,
		}, []string{"late"}},
		{"further works not practicable: within 12 weeks", func() complaint.Case {
			return f.do(f.hazardInvestigated(), "2027-01-06 10:00", officer, complaint.RecordHazardStep{Step: complaint.StepPreventativeNotPracticable, Note: notPracticable})
		}, "2027-01-06", []string{notPracticable, "by Tuesday 30 March 2027 at the latest"}, nil},
		{"safety work done", func() complaint.Case {
			return f.do(f.hazardInvestigated(), "2027-01-07 10:00", officer, complaint.RecordHazardStep{Step: complaint.StepMadeSafe})
		}, "2027-01-08", []string{"We did the work to make your home safe on Thursday 7 January 2027"}, nil},
		// Sent late, after the works' date: never "we will" by a day gone.
		{"works late", f.hazardInvestigated, "2027-01-14", []string{"was due by Tuesday 12 January 2027 and is late", "was due to begin by Tuesday 12 January 2027 and is late"}, []string{"We will do the work"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			l := f.draft(HazardSummary, tt.c(), tt.today)
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Fatalf("Check found missing elements in the default letter: %+v\n%s", missing, l.Body)
			}
			if l.Subject != "Summary of our hazard investigation" {
				t.Errorf("subject %q", l.Subject)
			}
			body := poppler.Squash(l.Body)
			for _, w := range tt.want {
				if !strings.Contains(body, poppler.Squash(w)) {
					t.Errorf("the body lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, poppler.Squash(w)) {
					t.Errorf("the body says %q", w)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", l.Body)
			}
			if _, err := Render(l, letterhead); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Check names each element of the summary an officer's edit leaves out.
func TestCheckNamesWhatAHazardSummaryLeavesOut(t *testing.T) {
	f := newFixture(t, "code-2024")
	remove := func(s string) func(string) string {
		return func(body string) string { return strings.ReplaceAll(body, s, "") }
	}
	waiting := func() complaint.Case {
		return f.do(f.hazardInvestigated(), "2027-01-06 10:00", officer, complaint.RecordHazardStep{Step: complaint.StepPreventativeNotPracticable, Note: notPracticable})
	}
	tests := []struct {
		name    string
		c       func() complaint.Case
		edit    func(string) string
		code    string
		message string
	}{
		{"without the findings", f.hazardInvestigated, remove(mouldFindings), "findings", "what the investigation found"},
		// With the further works not practicable in 5 working days, the
		// two works have different dates, so each is checked alone.
		{"without the safety work's date", waiting, remove("We will do the work to make your home safe by Tuesday 12 January 2027."), "safety_works_date", "the date the safety work is due by (12 January 2027) is missing"},
		{"without the further works' date", waiting, remove("and by Tuesday 30 March 2027 at the latest"), "further_works_date", "the date the further works is due by (30 March 2027) is missing"},
		{"without why the further works wait", waiting, remove(notPracticable), "not_practicable", "why the further works cannot begin sooner"},
		{"without the right to complain", f.hazardInvestigated, remove("you have the right to complain to us"), "right_to_complain", "may complain"},
		{"without Awaab's Law", f.hazardInvestigated, remove("Awaab's Law"), "awaabs_law", "Awaab's Law sets these times"},
		{"without the Ombudsman", f.hazardInvestigated, remove(f.p.Ombudsman), "ombudsman", "the Housing Ombudsman's contact details are missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			l := f.draft(HazardSummary, tt.c(), "2027-01-06")
			edited := tt.edit(l.Body)
			if edited == l.Body {
				t.Fatalf("the edit changed nothing: the default letter has changed under the test\n%s", l.Body)
			}
			got := Check(HazardSummary, l.Data, edited)
			if len(got) != 1 || got[0].Code != tt.code || !strings.Contains(got[0].Message, tt.message) {
				t.Errorf("Check = %+v\nwant one %s naming %q", got, tt.code, tt.message)
			}
		})
	}
}

// A case whose hazard has no findings or dates cannot have a summary
// pass Check, however it is worded.
func TestCheckNamesWhatAHazardSummaryCaseLacks(t *testing.T) {
	got := Check(HazardSummary, Data{Ombudsman: "Housing Ombudsman"}, "complain Awaab's Law Housing Ombudsman")
	var codes []string
	for _, m := range got {
		codes = append(codes, m.Code)
	}
	if want := []string{"case.findings", "case.hazard_clocks", "case.hazard_clocks"}; !slices.Equal(codes, want) {
		t.Errorf("Check codes = %v, want %v", codes, want)
	}
}

// The summary is offered only for a significant hazard that has been
// investigated and whose summary has not been sent, on any kind of
// contact.
func TestHazardSummaryAppliesToAnInvestigatedSignificantHazard(t *testing.T) {
	f := newFixture(t, "code-2024")
	tests := []struct {
		name string
		c    func() complaint.Case
		want bool
	}{
		{"no hazard", f.received, false},
		{"not yet investigated", f.significantHazard, false},
		{"investigated", f.hazardInvestigated, true},
		{"summary sent", func() complaint.Case {
			return f.do(f.hazardInvestigated(), "2027-01-06 10:00", officer, complaint.RecordLetter{Kind: string(HazardSummary), Title: HazardSummary.Title(), Channel: "email", SHA256: strings.Repeat("ab", 32)})
		}, false},
		{"an emergency", func() complaint.Case {
			c := f.do(f.received(), "2026-12-21 11:00", officer, complaint.ClassifyHazard{Class: complaint.HazardEmergency})
			return f.do(c, "2026-12-21 15:00", officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Gas leak at the meter"})
		}, false},
		{"found not to be a hazard", func() complaint.Case {
			return f.do(f.hazardInvestigated(), "2027-01-06 10:00", officer, complaint.ClassifyHazard{Class: complaint.HazardNone, Reason: "Condensation only"})
		}, false},
		{"reported in a service request", func() complaint.Case {
			cmd := complaintCmd()
			cmd.Kind = complaint.KindServiceRequest
			c := f.do(f.create(cmd, "2026-12-21 10:00"), "2026-12-21 11:00", officer, complaint.ClassifyHazard{Class: complaint.HazardSignificant})
			return f.do(c, "2027-01-05 15:00", officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: mouldFindings})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			c := tt.c()
			if got := HazardSummary.Applies(c); got != tt.want {
				t.Errorf("Applies = %v, want %v", got, tt.want)
			}
			if got := slices.Contains(Applicable(c), HazardSummary); got != tt.want {
				t.Errorf("Applicable contains it = %v, want %v", got, tt.want)
			}
			if _, err := Draft(HazardSummary, c, f.p, f.cal, letterhead, nil, day("2027-01-06")); (err == nil) != tt.want {
				t.Errorf("Draft error = %v, want one only when it does not apply", err)
			}
		})
	}
}
