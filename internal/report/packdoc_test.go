package report

import (
	"fmt"
	"strings"
	"testing"
)

// packInput is a quarter with complaints, refusals, compensation,
// learning and hazards, against a quieter one a year before.
func packInput(t *testing.T, period string) PackInput {
	t.Helper()
	p, err := ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	cur := Management{
		ByCategory:    []Row{{"damp and mould", 6}, {"repairs", 6}, {"noise", 1}},
		ByServiceArea: []Row{{"maintenance", 9}},
		Stages: []StageFigures{
			{Stage: 1, Received: 13, AcknowledgedOnTime: RateOf(12, 13), Respond: Times{N: 10, Median: 8}, Extended: 2,
				Refusals: []Row{{"older than 12 months", 2}, {"legal proceedings", 1}}},
			{Stage: 2, Received: 3, Refusals: []Row{{"older than 12 months", 1}}},
		},
		Compensation: []Money{{Label: "time_and_trouble", Offered: 2, OfferedPence: 20000, Paid: 1, PaidPence: 15000}},
		ActionsDone:  4, ActionsOpen: 2, ActionsOverdue: 1,
		Learning: []Learning{{Reference: "C-2026-000042", Stage: 1, ServiceArea: "maintenance", Text: "Book damp surveys within five days"}},
	}
	prev := Management{ByCategory: []Row{{"repairs", 9}}, Stages: []StageFigures{{Stage: 1, Received: 11}}}
	tsm := TSM{From: "2026-04-01", To: "2026-09-30", Figures: []Figure{{ID: CH02Stage1, Title: "Stage 1 on time", Unit: "%", Value: 84.5, Valid: true, Numerator: 11, Denominator: 13, DenominatorLabel: "responses"}},
		Notes: []string{"A note on the measures."}}
	rv := Review{Year: 2026,
		Assessments:  []Assessment{{Provision: "6.3", Complies: "no", Commentary: "Staffing"}},
		Improvements: []Improvement{{ServiceArea: "Repairs", YouSaid: "Damp was slow", WeDid: "Surveys in five days"}},
	}
	return PackInput{Period: p, TSM: tsm, Current: cur, PreviousMgmt: prev, Review: rv,
		Hazards: HazardSummary{Reported: 2, Emergency: 1, Significant: 1, ViaComplaint: 2, Met: 1, Running: 1}}
}

// flatten writes a section's blocks as lines of text, one a paragraph,
// table row, chart bar or list item, so a test can look for figures.
func flatten(s PackSection) string {
	var b strings.Builder
	for _, bl := range s.Blocks {
		switch bl := bl.(type) {
		case PackParagraph:
			fmt.Fprintf(&b, "%s\n", bl.Text)
		case PackTable:
			fmt.Fprintf(&b, "[%s] %s\n", bl.Caption, strings.Join(bl.Header, "|"))
			for _, r := range bl.Rows {
				fmt.Fprintf(&b, "%s\n", strings.Join(r, "|"))
			}
		case PackBarChart:
			for i, l := range bl.Labels {
				fmt.Fprintf(&b, "bar %s=%s\n", l, bl.Texts[i])
			}
			fmt.Fprintf(&b, "%s", flatten(PackSection{Blocks: []PackBlock{bl.Data}}))
		case PackList:
			fmt.Fprintf(&b, "%s: %s\n", bl.Heading, strings.Join(bl.Items, "; "))
		}
	}
	return b.String()
}

// The document holds every section the pack has, in order, with its
// figures; the annual report adds the self-assessment and the response.
func TestPackDocumentHoldsEverySectionInOrderWithItsFigures(t *testing.T) {
	quarter := []string{"tsm", "trends", "themes", "refusals", "hazards", "ombudsman", "putting-right", "learning", "restrictions", "notes"}
	annual := []string{"tsm", "trends", "themes", "refusals", "hazards", "ombudsman", "putting-right", "learning", "restrictions", "self-assessment", "response", "member", "notes"}
	tests := []struct {
		period, title string
		sections      []string
		want          map[string][]string // section id: lines it must hold
	}{
		{"2026-Q2", "Complaints board pack, Q2 2026/27 (July to September 2026)", quarter, map[string][]string{
			"tsm":           {"[2026/27: 1 April 2026 to 30 September 2026] Measure|All homes|Low-cost rental|Low-cost home ownership", "CH02(1)\nStage 1 on time|84.5%\n11 of 13 responses|"},
			"trends":        {"Stage 1 complaints received|11|13|+2 (up)", "Compensation paid|£0.00|£150.00|+£150.00 (up)", "Stage 1 acknowledged within 5 working days|–|92.3%|no comparison"},
			"themes":        {"bar damp and mould=6", "[Complaints by category] Category|Q2 2026/27 (July to September 2026)|Q2 2025/26 (July to September 2025)", "repairs|6|9", "[Complaints by service area] Service area|", "maintenance|9|0"},
			"refusals":      {"[Refusals by the exclusion in the policy, both stages] Reason|", "older than 12 months|3|0"},
			"hazards":       {"[Hazards reported in 2026/27 so far] \n", "Reported|2", "Statutory clocks still running|1"},
			"putting-right": {"Time and trouble|2, £200.00|1, £150.00", "Actions promised to residents: 4 done, 2 open, of which 1 overdue at the end of the period."},
			"learning":      {"Repairs|Damp was slow|Surveys in five days", "Learning recorded on responses, Q2 2026/27 (July to September 2026): maintenance, stage 1: Book damp surveys within five days"},
			"notes":         {"A rise in complaints is not in itself a bad sign", "A note on the measures."},
		}},
		{"2026", "Annual complaints performance and service improvement report 2026/27", annual, map[string][]string{
			"self-assessment": {"0 met, 0 partly met, 1 not met, and ", "[Provisions not fully met] Provision|Complies|Explanation", "6.3|no|Staffing"},
			"response":        {"Not yet recorded. The Code (8.2) requires the governing body's response to be published with this report."},
		}},
	}
	for _, tt := range tests {
		doc := BuildPack(packInput(t, tt.period)).Document()
		if doc.Title != tt.title {
			t.Errorf("%s: title %q, want %q", tt.period, doc.Title, tt.title)
		}
		var ids []string
		byID := map[string]PackSection{}
		for _, s := range doc.Sections {
			ids = append(ids, s.ID)
			byID[s.ID] = s
			if s.Heading == "" || len(s.Blocks) == 0 {
				t.Errorf("%s: section %q has no heading or nothing in it", tt.period, s.ID)
			}
		}
		if strings.Join(ids, " ") != strings.Join(tt.sections, " ") {
			t.Errorf("%s: sections %q, want %q", tt.period, ids, tt.sections)
		}
		for id, lines := range tt.want {
			text := flatten(byID[id])
			for _, l := range lines {
				if !strings.Contains(text, l) {
					t.Errorf("%s: section %q lacks %q; it holds\n%s", tt.period, id, l, text)
				}
			}
		}
		if text := fmt.Sprint(doc); strings.Contains(text, "C-2026-000042") {
			t.Errorf("%s: the document names a case", tt.period)
		}
	}
}

// A pack with nothing to report says so in each section rather than
// showing empty tables.
func TestPackDocumentSaysWhenASectionHasNothing(t *testing.T) {
	p, _ := ParsePeriod("2026")
	doc := BuildPack(PackInput{Period: p}).Document()
	want := map[string]string{
		"themes":        "No complaints were categorised in either period.",
		"refusals":      "No complaint was refused in either period.",
		"hazards":       "No hazard was reported in 2026/27 so far.",
		"putting-right": "No compensation was offered in 2026/27.",
		"learning":      "No service improvements are recorded for 2026/27 yet.",
	}
	for _, s := range doc.Sections {
		if w, ok := want[s.ID]; ok && !strings.Contains(flatten(s), w) {
			t.Errorf("section %q = %q, want %q", s.ID, flatten(s), w)
		}
		if s.ID == "response" {
			if p, ok := s.Blocks[0].(PackParagraph); !ok || !p.Warning || p.Missing != "response" {
				t.Errorf("a missing response is %+v, want a warning leading to the response", s.Blocks[0])
			}
		}
	}
}

// A period with nothing to measure shows a dash; a real zero shows as
// zero, whatever the other period holds. (Moved from webui's
// TestTrendRowsShowEachPeriodOnItsOwnData with its assertions.)
func TestTrendTextsShowEachPeriodOnItsOwnData(t *testing.T) {
	trends := []Trend{
		{Label: "CH02(1)", Unit: "%", Previous: 0, PreviousValid: true, Current: 0, CurrentValid: false},
		{Label: "median", Unit: "working days", Previous: 0, PreviousValid: false, Current: 8, CurrentValid: true},
		{Label: "paid", Unit: "£", Previous: 50, PreviousValid: true, Current: 175.5, CurrentValid: true},
	}
	want := [][3]string{
		{"0.0%", "–", "no comparison"},
		{"–", "8 working days", "no comparison"},
		{"£50.00", "£175.50", "+£125.50 (up)"},
	}
	for i, tr := range trends {
		prev, cur, change := tr.Texts()
		if got := [3]string{prev, cur, change}; got != want[i] {
			t.Errorf("%s: %q, want %q", tr.Label, got, want[i])
		}
	}
}
