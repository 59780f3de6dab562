package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// Check says what is wrong with the filter, if anything: the period is
// required and runs forwards, and the stage is 1, 2 or 0 for both.
func (f Filter) Check() error {
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return complaint.InvalidField("from", "the period needs a first and a last day")
	case f.To.Before(f.From):
		return complaint.InvalidField("to", "%s is before the first day, %s", f.To, f.From)
	case f.Stage < 0 || f.Stage > 2:
		return complaint.InvalidField("stage", "%d is not a stage: want 1, 2 or none for both", f.Stage)
	}
	if f.Tenure != nil && *f.Tenure != "" && !slices.Contains(complaint.Tenures, *f.Tenure) {
		return complaint.InvalidField("tenure", "%q is not a tenure", *f.Tenure)
	}
	return nil
}

// Stages lists the stages the filter asks for: its one stage, or both.
func (f Filter) Stages() []int {
	if f.Stage != 0 {
		return []int{f.Stage}
	}
	return []int{1, 2}
}

// Percentiles sets t.N, t.Median and t.P90 from t.Histogram.
//
// The method is nearest rank: with the N values in order, the p-th
// percentile is the value at rank ceil(p/100 × N), the smallest value
// that at least p% of the cases do not exceed. It is always a number of
// working days some case actually took, never an interpolation, so "90th
// percentile 12" reads as "nine in ten were done within 12 working days".
// For an even N the median is the lower of the two middle values. With
// no cases every field is zero. Counts of zero or less are ignored.
func Percentiles(t *Times) {
	t.N, t.Median, t.P90 = 0, 0, 0
	days := make([]int, 0, len(t.Histogram))
	for d, n := range t.Histogram {
		if n > 0 {
			days = append(days, d)
			t.N += n
		}
	}
	if t.N == 0 {
		return
	}
	slices.Sort(days)
	at := func(p int) float64 {
		rank := (p*t.N + 99) / 100 // ceil(p × N / 100), at least 1 when N > 0
		seen := 0
		for _, d := range days {
			seen += t.Histogram[d]
			if seen >= rank {
				return float64(d)
			}
		}
		return float64(days[len(days)-1])
	}
	t.Median, t.P90 = at(50), at(90)
}

// RateOf is num out of den, with its value as a percentage to one
// decimal place (rounded half up, as the measures are); 0 when den is 0.
func RateOf(num, den int) Rate {
	r := Rate{Num: num, Den: den}
	if den > 0 {
		r.Value = round1(float64(num) * 100 / float64(den))
	}
	return r
}

// RowsOf turns counts into rows, largest first and, among equals, by
// label; empty counts are left out. It never returns nil, so that an
// empty table is [] in JSON.
func RowsOf(counts map[string]int) []Row {
	rows := []Row{}
	for label, n := range counts {
		if n > 0 {
			rows = append(rows, Row{Label: label, N: n})
		}
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label))
	})
	return rows
}

// MonthRows turns counts by month ("2026-04") into one row for every
// month the period from..to touches, in order, with zeros for months
// with nothing: a chart by month needs its empty months.
func MonthRows(counts map[string]int, from, to calendar.Date) []Row {
	rows := []Row{}
	if to.Before(from) {
		return rows
	}
	y, m := from.Year(), int(from.Month())
	for {
		label := fmt.Sprintf("%04d-%02d", y, m)
		rows = append(rows, Row{Label: label, N: counts[label]})
		if y == to.Year() && m == int(to.Month()) {
			return rows
		}
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
}

// MoneyOf orders lines of compensation by the kinds of compensation in
// the order of the Ombudsman's remedies guidance (complaint.
// CompensationKinds), any other kind after them by name, and leaves out
// kinds with nothing offered. It never returns nil.
func MoneyOf(lines map[string]Money) []Money {
	out := []Money{}
	for _, k := range slices.Sorted(maps.Keys(lines)) {
		if m := lines[k]; m.Offered > 0 {
			m.Label = k
			out = append(out, m)
		}
	}
	rank := func(k string) int {
		if i := slices.Index(complaint.CompensationKinds, k); i >= 0 {
			return i
		}
		return len(complaint.CompensationKinds)
	}
	slices.SortStableFunc(out, func(a, b Money) int { return cmp.Compare(rank(a.Label), rank(b.Label)) })
	return out
}

// CodeAcknowledgeDays is the Code's time to acknowledge a complaint at
// either stage: five working days from receipt (6.2) or from the
// escalation request (6.11).
const CodeAcknowledgeDays = 5

// AcknowledgedOnTime is the share of the acknowledgements in t's
// histogram made within the Code's five working days, whatever the
// landlord's own policy allows.
func AcknowledgedOnTime(t Times) Rate {
	num, den := 0, 0
	for days, n := range t.Histogram {
		if n <= 0 {
			continue
		}
		den += n
		if days <= CodeAcknowledgeDays {
			num += n
		}
	}
	return RateOf(num, den)
}
