package report

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
)

func TestPeriods(t *testing.T) {
	tests := []struct {
		in, from, to, ytdFrom, name, previous string
	}{
		{"2026", "2026-04-01", "2027-03-31", "2026-04-01", "2026/27", "2025"},
		{"2026-Q1", "2026-04-01", "2026-06-30", "2026-04-01", "Q1 2026/27 (April to June 2026)", "2025-Q1"},
		{"2026-Q2", "2026-07-01", "2026-09-30", "2026-04-01", "Q2 2026/27 (July to September 2026)", "2025-Q2"},
		{"2026-Q3", "2026-10-01", "2026-12-31", "2026-04-01", "Q3 2026/27 (October to December 2026)", "2025-Q3"},
		{"2027-Q4", "2028-01-01", "2028-03-31", "2027-04-01", "Q4 2027/28 (January to March 2028)", "2026-Q4"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		from, to := p.Dates()
		yf, yt := p.YearToDate()
		if from.String() != tt.from || to.String() != tt.to || yf.String() != tt.ytdFrom || yt != to {
			t.Errorf("%s: dates %s..%s, year to date %s..%s", tt.in, from, to, yf, yt)
		}
		if p.String() != tt.name || p.Previous().Value() != tt.previous || p.Value() != tt.in {
			t.Errorf("%s: named %q, previous %q, value %q", tt.in, p, p.Previous().Value(), p.Value())
		}
	}
	for _, bad := range []string{"", "26", "2026-Q5", "2026-Q0", "2026Q1", "1999", "2026-q1", "2026-Q1 "} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

func TestTrendVerdicts(t *testing.T) {
	tests := []struct {
		t    Trend
		want string
	}{
		{Trend{Current: 90, Previous: 80, Better: 1, CurrentValid: true, PreviousValid: true}, "better"},
		{Trend{Current: 70, Previous: 80, Better: 1, CurrentValid: true, PreviousValid: true}, "worse"},
		{Trend{Current: 7, Previous: 9, Better: -1, CurrentValid: true, PreviousValid: true}, "better"},
		{Trend{Current: 12, Previous: 9, Better: -1, CurrentValid: true, PreviousValid: true}, "worse"},
		{Trend{Current: 120, Previous: 90, Better: 0, CurrentValid: true, PreviousValid: true}, "up"},
		{Trend{Current: 60, Previous: 90, Better: 0, CurrentValid: true, PreviousValid: true}, "down"},
		{Trend{Current: 5, Previous: 5, Better: 1, CurrentValid: true, PreviousValid: true}, "no change"},
		{Trend{Current: 5, Previous: 0, Better: 1, CurrentValid: true, PreviousValid: false}, "no comparison"},
	}
	for _, tt := range tests {
		if got := tt.t.Verdict(); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.t, got, tt.want)
		}
	}
}

func TestBuildPack(t *testing.T) {
	p, err := ParsePeriod("2026-Q2")
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
		Compensation:   []Money{{Label: "time and trouble", PaidPence: 15000}, {Label: "costs", PaidPence: 2550}},
		ActionsOverdue: 1,
		Learning:       []Learning{{Reference: "C-2026-000042", Stage: 1, ServiceArea: "maintenance", Text: "Book damp surveys within five days"}},
	}
	prev := Management{
		ByCategory:     []Row{{"repairs", 9}, {"estate services", 2}},
		Stages:         []StageFigures{{Stage: 1, Received: 11, AcknowledgedOnTime: RateOf(11, 11), Respond: Times{N: 9, Median: 9}, Extended: 4}},
		Compensation:   []Money{{Label: "time and trouble", PaidPence: 5000}},
		ActionsOverdue: 3,
	}
	tsm := func(ch02 float64) TSM {
		return TSM{Figures: []Figure{{ID: CH02Stage1, Title: "Stage 1 on time", Unit: "%", Value: ch02, Valid: true}}}
	}
	rv := Review{Year: 2026, Assessments: []Assessment{
		{Provision: "1.2", Complies: "yes"},
		{Provision: "6.2", Complies: "partly", Commentary: "Late in August"},
		{Provision: "6.3", Complies: "no", Commentary: "Staffing"},
	}}
	pk := BuildPack(PackInput{Period: p, TSM: tsm(84.5), PreviousTSM: tsm(90), Current: cur, PreviousMgmt: prev, Review: rv})

	got := map[string]string{}
	for _, tr := range pk.Trends {
		got[tr.Label] = tr.Verdict()
	}
	for label, want := range map[string]string{
		"Stage 1 complaints received":                "up",
		"Stage 2 complaints received":                "up",
		"CH02(1) Stage 1 on time":                    "worse",
		"Stage 1 acknowledged within 5 working days": "worse",
		"Stage 1 median time to respond":             "better",
		"Stage 1 responses extended":                 "better",
		"Stage 2 median time to respond":             "no comparison",
		"Compensation paid":                          "up",
		"Actions overdue at the period's end":        "better",
		"Residents who complained more than once":    "no change",
		"CH01(1)": "no comparison",
	} {
		if got[label] != want {
			t.Errorf("trend %q = %q, want %q", label, got[label], want)
		}
	}
	for _, tr := range pk.Trends {
		if tr.Label == "Compensation paid" && (tr.Current != 175.5 || tr.Previous != 50) {
			t.Errorf("compensation paid = %v against %v, want 175.5 against 50", tr.Current, tr.Previous)
		}
	}

	wantThemes := []Theme{{"repairs", 6, 9}, {"damp and mould", 6, 0}, {"noise", 1, 0}, {"estate services", 0, 2}}
	if len(pk.Themes) != len(wantThemes) {
		t.Fatalf("themes = %+v", pk.Themes)
	}
	for i, w := range wantThemes {
		if pk.Themes[i] != w {
			t.Errorf("theme %d = %+v, want %+v", i, pk.Themes[i], w)
		}
	}
	if len(pk.Refusals) != 2 || pk.Refusals[0] != (Theme{"older than 12 months", 3, 0}) || pk.Refusals[1] != (Theme{"legal proceedings", 1, 0}) {
		t.Errorf("refusals = %+v", pk.Refusals)
	}
	if len(pk.Learning) != 1 || pk.Learning[0].Reference != "" || pk.Learning[0].Text != "Book damp surveys within five days" {
		t.Errorf("learning = %+v; the pack must name no case", pk.Learning)
	}
	if cur.Learning[0].Reference == "" {
		t.Error("BuildPack changed its input")
	}

	sa := pk.SelfAssessment
	if sa.Yes != 1 || sa.Partly != 1 || sa.No != 1 || sa.NotAssessed != len(CodeProvisions())-3 || len(sa.Rows) != len(CodeProvisions()) {
		t.Errorf("self-assessment counts = %d yes, %d partly, %d no, %d not assessed, %d rows", sa.Yes, sa.Partly, sa.No, sa.NotAssessed, len(sa.Rows))
	}
	if len(sa.NotMet) != 2 || sa.NotMet[0].Number != "6.2" || sa.NotMet[1].Number != "6.3" {
		t.Errorf("not met = %+v", sa.NotMet)
	}
	if !strings.Contains(strings.Join(pk.Notes, " "), "1 April 2026 to 30 September 2026") {
		t.Errorf("notes = %q", pk.Notes)
	}
}

func TestABoardPackIsForTheQuarterThatEndedLast(t *testing.T) {
	tests := []struct {
		today string
		want  Period
	}{
		{"2026-04-01", Period{Year: 2025, Quarter: 4}},
		{"2026-06-30", Period{Year: 2025, Quarter: 4}},
		{"2026-07-01", Period{Year: 2026, Quarter: 1}},
		{"2026-12-02", Period{Year: 2026, Quarter: 2}},
		{"2027-01-01", Period{Year: 2026, Quarter: 3}},
		{"2027-03-31", Period{Year: 2026, Quarter: 3}},
	}
	for _, tt := range tests {
		if got := LastQuarter(calendar.MustParseDate(tt.today)); got != tt.want {
			t.Errorf("LastQuarter(%s) = %+v, want %+v", tt.today, got, tt.want)
		}
	}
}
