package report

import (
	"reflect"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

func TestPercentilesByNearestRank(t *testing.T) {
	tests := []struct {
		name      string
		histogram map[int]int
		n         int
		median    float64
		p90       float64
	}{
		{"no cases", nil, 0, 0, 0},
		{"one case", map[int]int{3: 1}, 1, 3, 3},
		{"two cases: the median is the lower middle value", map[int]int{1: 1, 2: 1}, 2, 1, 2},
		{"one to ten, once each", map[int]int{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1}, 10, 5, 9},
		{"one to eleven: ranks 6 and 10", map[int]int{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1}, 11, 6, 10},
		{"same-day acknowledgements count as zero days", map[int]int{0: 5, 4: 4, 20: 1}, 10, 0, 4},
		{"rank 3.6 rounds up to 4", map[int]int{5: 3, 12: 1}, 4, 5, 12},
		{"exactly 90% within one day", map[int]int{1: 900, 30: 100}, 1000, 1, 1},
		{"just under 90% within one day", map[int]int{1: 899, 30: 101}, 1000, 1, 30},
		{"empty and negative counts are ignored", map[int]int{3: 0, 7: 2, 9: -1}, 2, 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Earlier values are overwritten, not added to.
			tm := Times{N: 99, Median: 99, P90: 99, Histogram: tt.histogram}
			Percentiles(&tm)
			if tm.N != tt.n || tm.Median != tt.median || tm.P90 != tt.p90 {
				t.Errorf("N %d, median %v, P90 %v; want %d, %v, %v", tm.N, tm.Median, tm.P90, tt.n, tt.median, tt.p90)
			}
		})
	}
}

func TestRateIsAPercentageToOneDecimalPlace(t *testing.T) {
	tests := []struct {
		num, den int
		value    float64
	}{
		{0, 0, 0},
		{3, 0, 0},
		{0, 4, 0},
		{1, 3, 33.3},
		{2, 3, 66.7},
		{1, 8, 12.5},
		{1, 16, 6.3}, // 6.25 rounds half up
		{5, 5, 100},
	}
	for _, tt := range tests {
		if got := RateOf(tt.num, tt.den); got != (Rate{Num: tt.num, Den: tt.den, Value: tt.value}) {
			t.Errorf("RateOf(%d, %d) = %+v, want value %v", tt.num, tt.den, got, tt.value)
		}
	}
}

func TestAcknowledgedOnTimeMeansWithinFiveWorkingDays(t *testing.T) {
	tests := []struct {
		histogram map[int]int
		want      Rate
	}{
		{nil, Rate{}},
		{map[int]int{0: 2, 5: 1, 6: 1}, Rate{Num: 3, Den: 4, Value: 75}},
		{map[int]int{6: 3, 20: 1}, Rate{Num: 0, Den: 4, Value: 0}},
		{map[int]int{1: 1, 4: 0, 9: -2}, Rate{Num: 1, Den: 1, Value: 100}},
	}
	for _, tt := range tests {
		if got := AcknowledgedOnTime(Times{Histogram: tt.histogram}); got != tt.want {
			t.Errorf("AcknowledgedOnTime(%v) = %+v, want %+v", tt.histogram, got, tt.want)
		}
	}
}

func TestRowsAreLargestFirstThenByLabel(t *testing.T) {
	got := RowsOf(map[string]int{"phone": 3, "email": 5, "letter": 3, "web": 0, "": 1})
	want := []Row{{"email", 5}, {"letter", 3}, {"phone", 3}, {"", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RowsOf = %v, want %v", got, want)
	}
	if got := RowsOf(nil); got == nil || len(got) != 0 {
		t.Errorf("RowsOf(nil) = %#v, want an empty, non-nil slice", got)
	}
}

func TestMonthRowsCoverEveryMonthOfThePeriod(t *testing.T) {
	d := calendar.MustParseDate
	tests := []struct {
		name     string
		from, to string
		want     []Row
	}{
		{"across the year end, with empty months", "2026-11-15", "2027-02-01",
			[]Row{{"2026-11", 4}, {"2026-12", 0}, {"2027-01", 2}, {"2027-02", 0}}},
		{"one day", "2026-12-31", "2026-12-31", []Row{{"2026-12", 0}}},
		{"backwards", "2027-01-01", "2026-12-31", []Row{}},
	}
	counts := map[string]int{"2026-11": 4, "2027-01": 2, "2027-03": 7}
	for _, tt := range tests {
		if got := MonthRows(counts, d(tt.from), d(tt.to)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	from, to := Year(2026).Dates()
	if rows := MonthRows(nil, from, to); len(rows) != 12 || rows[0].Label != "2026-04" || rows[11].Label != "2027-03" {
		t.Errorf("a reporting year gives %v", rows)
	}
}

func TestMoneyFollowsTheOrderOfTheRemediesGuidance(t *testing.T) {
	got := MoneyOf(map[string]Money{
		"financial_loss":   {Offered: 1, OfferedPence: 5000},
		"goodwill":         {Offered: 2, OfferedPence: 7500, Paid: 1, PaidPence: 2500},
		"bespoke":          {Offered: 1, OfferedPence: 100},
		"time_and_trouble": {},
	})
	want := []Money{
		{Label: "goodwill", Offered: 2, OfferedPence: 7500, Paid: 1, PaidPence: 2500},
		{Label: "financial_loss", Offered: 1, OfferedPence: 5000},
		{Label: "bespoke", Offered: 1, OfferedPence: 100},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MoneyOf = %+v, want %+v", got, want)
	}
}

func TestFilterNeedsAPeriodAndAStage(t *testing.T) {
	d := calendar.MustParseDate
	bad := complaint.Tenure("council")
	none := complaint.Tenure("")
	tests := []struct {
		name  string
		f     Filter
		valid bool
	}{
		{"a year", Filter{From: d("2026-04-01"), To: d("2027-03-31")}, true},
		{"one day, stage 2, no tenure recorded", Filter{From: d("2026-04-01"), To: d("2026-04-01"), Stage: 2, Tenure: &none}, true},
		{"no first day", Filter{To: d("2027-03-31")}, false},
		{"no last day", Filter{From: d("2026-04-01")}, false},
		{"backwards", Filter{From: d("2027-04-01"), To: d("2027-03-31")}, false},
		{"stage 3", Filter{From: d("2026-04-01"), To: d("2027-03-31"), Stage: 3}, false},
		{"unknown tenure", Filter{From: d("2026-04-01"), To: d("2027-03-31"), Tenure: &bad}, false},
	}
	for _, tt := range tests {
		err := tt.f.Check()
		if (err == nil) != tt.valid || (err != nil && complaint.ErrorCode(err) != complaint.Invalid) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if got := (Filter{}).Stages(); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("no stage gives %v, want both", got)
	}
	if got := (Filter{Stage: 2}).Stages(); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("stage 2 gives %v", got)
	}
}
