package report

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

func TestReportingYearRunsAprilToMarch(t *testing.T) {
	from, to := Year(2026).Dates()
	if from.String() != "2026-04-01" || to.String() != "2027-03-31" || Year(2026).String() != "2026/27" {
		t.Errorf("2026 = %s to %s, %s", from, to, Year(2026))
	}
	for date, want := range map[string]Year{"2026-03-31": 2025, "2026-04-01": 2026, "2027-01-15": 2026, "2099-12-31": 2099} {
		if got := YearOf(calendar.MustParseDate(date)); got != want {
			t.Errorf("YearOf(%s) = %d, want %d", date, got, want)
		}
	}
}

func TestComputeTSM(t *testing.T) {
	c := TSMCounts{Survey: map[string]ByTenure{}}
	for s := 1; s <= 2; s++ {
		c.Received[s], c.Responded[s], c.WithinCode[s] = ByTenure{}, ByTenure{}, ByTenure{}
	}
	c.Received[1] = ByTenure{"low_cost_rental": 30, "low_cost_home_ownership": 5, "": 2, "other": 4}
	c.Received[2] = ByTenure{"low_cost_rental": 3}
	c.Responded[1] = ByTenure{"low_cost_rental": 20, "low_cost_home_ownership": 4, "other": 2, "": 1}
	c.WithinCode[1] = ByTenure{"low_cost_rental": 19, "low_cost_home_ownership": 1, "other": 0, "": 1}
	c.Survey["very_satisfied"] = ByTenure{"low_cost_rental": 1}
	c.Survey["fairly_satisfied"] = ByTenure{"low_cost_home_ownership": 1}
	c.Survey["very_dissatisfied"] = ByTenure{"low_cost_rental": 2}
	tsm := ComputeTSM(2026, c, policy.Homes{Year: 2026, LowCostRental: 9000, LowCostHomeOwnership: 1000}, true)
	for _, w := range []struct {
		id       string
		tenure   string
		num, den int
		value    float64
		valid    bool
	}{
		// All is LCRA and LCHO only: the 2 without a tenure and the
		// leaseholder's 4 are not divided by homes they are not in.
		{"CH01(1)", "", 35, 10000, 3.5, true},
		{"CH01(1)", "low_cost_rental", 30, 9000, 3.3, true},
		{"CH01(1)", "low_cost_home_ownership", 5, 1000, 5, true},
		{"CH01(2)", "", 3, 10000, 0.3, true},
		{"CH02(1)", "", 20, 24, 83.3, true},
		{"CH02(1)", "low_cost_home_ownership", 1, 4, 25, true},
		{"CH02(2)", "", 0, 0, 0, false},
		{SurveyHandling, "", 2, 4, 50, true},
		{SurveyHandling, "low_cost_home_ownership", 1, 1, 100, true},
		// TP09 is only ever recorded from the perception survey.
		{TP09, "", 0, 0, 0, false},
		// Beside the measures: a count with no rate for CH01, and their
		// own CH02.
		{"CH01(1)", "other", 4, 0, 0, false},
		{"CH01(1)", "not_recorded", 2, 0, 0, false},
		{"CH02(1)", "other", 0, 2, 0, true},
		{"CH02(1)", "not_recorded", 1, 1, 100, true},
	} {
		f, ok := tsm.Find(w.id, complaintTenure(w.tenure))
		if !ok || f.Numerator != w.num || f.Denominator != w.den || f.Value != w.value || f.Valid != w.valid {
			t.Errorf("%s %q = %+v", w.id, w.tenure, f)
		}
	}
	if len(tsm.Figures) != 45 {
		t.Errorf("%d figures, want 9 figures by 3 tenures and 2 lines beside them", len(tsm.Figures))
	}
	for _, f := range tsm.Figures {
		if (f.Tenure == "other" || f.Tenure == NotRecorded) && f.ID[:4] == "CH01" && (f.Unit != "complaints" || f.Valid) {
			t.Errorf("%s %s is a rate (%+v); a tenure with no homes is a count", f.ID, f.Tenure, f)
		}
	}
	notes := strings.Join(tsm.Notes, " ")
	for _, must := range []string{"Refused complaints are not counted; withdrawn ones are", "extension beyond the cap", "after 31 March",
		"low-cost rental and low-cost home ownership together", "other tenures", "not recorded"} {
		if !strings.Contains(notes, must) {
			t.Errorf("notes do not state %q", must)
		}
	}
}

func TestCH01NeedsHomes(t *testing.T) {
	c := TSMCounts{Survey: map[string]ByTenure{}}
	c.Received[1] = ByTenure{"low_cost_rental": 3}
	tsm := ComputeTSM(2026, c, policy.Homes{}, false)
	f, _ := tsm.Find("CH01(1)", "")
	if f.Valid || f.Numerator != 3 {
		t.Errorf("CH01 without homes: %+v", f)
	}
	if !strings.Contains(strings.Join(tsm.Notes, " "), "No homes are recorded for 2026/27") {
		t.Error("no note says the homes are missing")
	}
}
