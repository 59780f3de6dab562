package report

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/policy"
)

// Every bad field of a TP09 result is named, as the form names it.
func TestTP09ResultNamesEachBadField(t *testing.T) {
	good := TP09Result{Year: 2026, LowCostRental: TP09Count{300, 420}, LowCostHomeOwnership: TP09Count{20, 40}}
	for _, tt := range []struct {
		name   string
		change func(*TP09Result)
		fields []string
	}{
		{"good", func(*TP09Result) {}, nil},
		{"no low-cost home ownership respondents", func(r *TP09Result) { r.LowCostHomeOwnership = TP09Count{} }, nil},
		{"year out of range", func(r *TP09Result) { r.Year = 1999 }, []string{"year"}},
		{"more satisfied than respondents", func(r *TP09Result) { r.LowCostRental.Satisfied = 421 }, []string{"lcra_satisfied"}},
		{"negative counts", func(r *TP09Result) { r.LowCostHomeOwnership = TP09Count{-1, -1} }, []string{"lcho_respondents"}},
		{"negative satisfied", func(r *TP09Result) { r.LowCostHomeOwnership.Satisfied = -1 }, []string{"lcho_satisfied"}},
		{"implausibly many", func(r *TP09Result) { r.LowCostRental.Respondents = 20_000_000 }, []string{"lcra_respondents"}},
		{"no respondents at all", func(r *TP09Result) { r.LowCostRental, r.LowCostHomeOwnership = TP09Count{}, TP09Count{} }, []string{"lcra_respondents"}},
	} {
		r := good
		tt.change(&r)
		got := slices.Sorted(maps.Keys(r.Validate()))
		if !slices.Equal(got, tt.fields) {
			t.Errorf("%s: bad fields %q, want %q (%v)", tt.name, got, tt.fields, r.Validate())
		}
	}
}

// TP09 comes only from the recorded perception survey: without it the
// figure has no value and a note says so, whatever Redress's own survey
// found, which is reported under its own name.
func TestTP09IsNeverTakenFromRedresssOwnSurvey(t *testing.T) {
	c := TSMCounts{Survey: map[string]ByTenure{"very_satisfied": {"low_cost_rental": 3}, "very_dissatisfied": {"low_cost_rental": 1}},
		Outcome: map[string]ByTenure{"fairly_satisfied": {"low_cost_rental": 1}, "fairly_dissatisfied": {"low_cost_rental": 3}}}
	tsm := ComputeTSM(2026, c, policy.Homes{Year: 2026, LowCostRental: 100}, true)
	tsm.SetTP09(TP09Result{}, false)
	if f, _ := tsm.Find(TP09, ""); f.Valid || f.Numerator != 0 || f.Denominator != 0 {
		t.Errorf("TP09 without a recorded result = %+v, want no value", f)
	}
	if f, _ := tsm.Find(SurveyHandling, ""); !f.Valid || f.Numerator != 3 || f.Denominator != 4 || f.Value != 75 ||
		!strings.Contains(f.Title, "Redress's own survey") {
		t.Errorf("satisfaction with handling from the survey = %+v", f)
	}
	if f, _ := tsm.Find(SurveyOutcome, "low_cost_rental"); !f.Valid || f.Numerator != 1 || f.Denominator != 4 || f.Value != 25 {
		t.Errorf("satisfaction with the outcome from the survey = %+v", f)
	}
	notes := strings.Join(tsm.Notes, " ")
	for _, must := range []string{"TP09 is not recorded for 2026/27", "is not TP09", "about its outcome"} {
		if !strings.Contains(notes, must) {
			t.Errorf("notes do not say %q:\n%s", must, notes)
		}
	}

	tsm = ComputeTSM(2026, c, policy.Homes{Year: 2026, LowCostRental: 100}, true)
	tsm.SetTP09(TP09Result{Year: 2026, LowCostRental: TP09Count{300, 400}, LowCostHomeOwnership: TP09Count{10, 40},
		RecordedBy: "m@example.org", RecordedAt: time.Date(2027, 4, 20, 23, 30, 0, 0, time.UTC)}, true)
	for _, w := range []struct {
		tenure   string
		num, den int
		value    float64
	}{{"", 310, 440, 70.5}, {"low_cost_rental", 300, 400, 75}, {"low_cost_home_ownership", 10, 40, 25}} {
		f, _ := tsm.Find(TP09, complaintTenure(w.tenure))
		if !f.Valid || f.Numerator != w.num || f.Denominator != w.den || f.Value != w.value {
			t.Errorf("TP09 %q = %+v, want %d of %d, %v", w.tenure, f, w.num, w.den, w.value)
		}
	}
	if f, _ := tsm.Find(TP09, "other"); f.Valid {
		t.Errorf("TP09 for other tenures = %+v; the Regulator's tenures only", f)
	}
	if notes := strings.Join(tsm.Notes, " "); !strings.Contains(notes, "recorded by m@example.org on 21 April 2027") {
		t.Errorf("notes do not say who recorded TP09 and when (in London):\n%s", notes)
	}
}

// Beside each CH02 figure, the same responses against the landlord's own
// deadlines.
func TestPolicyFiguresCountCH02sResponsesAgainstTheLandlordsDeadlines(t *testing.T) {
	var c TSMCounts
	c.Responded[1] = ByTenure{"low_cost_rental": 10, "low_cost_home_ownership": 2, "other": 1}
	c.WithinCode[1] = ByTenure{"low_cost_rental": 9, "low_cost_home_ownership": 2, "other": 1}
	c.WithinPolicy[1] = ByTenure{"low_cost_rental": 6, "low_cost_home_ownership": 1}
	tsm := ComputeTSM(2026, c, policy.Homes{}, false)
	for _, w := range []struct {
		id, tenure string
		num, den   int
		value      float64
		valid      bool
	}{
		{PolicyStage1, "", 7, 12, 58.3, true},
		{CH02Stage1, "", 11, 12, 91.7, true},
		{PolicyStage1, "low_cost_home_ownership", 1, 2, 50, true},
		{PolicyStage1, "other", 0, 1, 0, true},
		{PolicyStage2, "", 0, 0, 0, false},
	} {
		f, _ := tsm.Find(w.id, complaintTenure(w.tenure))
		if f.Numerator != w.num || f.Denominator != w.den || f.Value != w.value || f.Valid != w.valid {
			t.Errorf("%s %q = %+v", w.id, w.tenure, f)
		}
	}
	if id, ok := PolicyFigureOf(CH02Stage2); !ok || id != PolicyStage2 {
		t.Errorf("PolicyFigureOf(CH02(2)) = %q, %v", id, ok)
	}
	if _, ok := PolicyFigureOf(CH01Stage1); ok {
		t.Error("CH01 has a policy figure")
	}
	if notes := strings.Join(tsm.Notes, " "); !strings.Contains(notes, "against the deadline of the landlord's own policy") {
		t.Errorf("notes do not say what the policy figures count:\n%s", notes)
	}
}
