package calendar

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Calendar answers working-day questions for one division and one
// landlord: Monday to Friday, less the division's bank holidays, less the
// landlord's own closure days.
//
// Every question is answered in O(log h) time, h being the number of
// weekday holidays and closures it holds (about 400 for 41 years), with no
// loop over days: weekdays are counted by formula and the days off are
// found by binary search. A Calendar is immutable and safe for concurrent
// use.
type Calendar struct {
	division Division
	holidays *Holidays
	// off holds every weekday that is not a working day, as a day number,
	// in ascending order and without repeats.
	off []int32
	// offRank[i] is the number of working days on or before off[i]. It
	// never decreases, which is what lets AddWorkingDays binary-search it.
	offRank []int32
	// names says why a day is off, for people reading a deadline.
	names map[Date]string
	// known holds the runs of consecutive days whose bank holidays are
	// known, in order, so checking a span is one binary search.
	known []dayRun
}

// dayRun is the days lo to hi inclusive, as day numbers.
type dayRun struct{ lo, hi int32 }

// New returns the calendar of div using the bank holidays in h (BuiltIn()
// if nil) and the landlord's closure days.
func New(h *Holidays, div Division, closures []Date) (*Calendar, error) {
	if _, err := ParseDivision(string(div)); err != nil {
		return nil, err
	}
	if h == nil {
		h = BuiltIn()
	}
	c := &Calendar{division: div, holidays: h, names: map[Date]string{}}
	for _, hol := range h.days[div] {
		c.names[hol.Date] = hol.Title
		if isWeekday(hol.Date) {
			c.off = append(c.off, hol.Date.n)
		}
	}
	for _, d := range closures {
		if d.IsZero() {
			return nil, fmt.Errorf("closure day is empty")
		}
		if _, ok := c.names[d]; !ok {
			c.names[d] = "Closure day"
		}
		if isWeekday(d) {
			c.off = append(c.off, d.n)
		}
	}
	slices.Sort(c.off)
	c.off = slices.Compact(c.off)
	first, last := h.Years(div)
	for y := first; y <= last && first > 0; y++ {
		if !h.Covers(div, y) {
			continue
		}
		lo, hi := NewDate(y, time.January, 1).n, NewDate(y, time.December, 31).n
		if k := len(c.known); k > 0 && c.known[k-1].hi+1 == lo {
			c.known[k-1].hi = hi
		} else {
			c.known = append(c.known, dayRun{lo, hi})
		}
	}
	c.offRank = make([]int32, len(c.off))
	for i, n := range c.off {
		c.offRank[i] = weekdayRank(n) - int32(i+1)
	}
	return c, nil
}

// Division returns the division whose bank holidays the calendar uses.
func (c *Calendar) Division() Division { return c.division }

// Holidays returns the holiday table the calendar was built from.
func (c *Calendar) Holidays() *Holidays { return c.holidays }

// NotCoveredError says that a date falls in a year whose bank holidays
// Redress does not know, so no working-day answer can be trusted.
type NotCoveredError struct {
	Division Division
	Year     int
}

func (e *NotCoveredError) Error() string {
	return fmt.Sprintf("bank holidays for %s in %d are not known: load a newer bank-holidays file", e.Division, e.Year)
}

// Covers reports whether the bank holidays of d's year are known.
func (c *Calendar) Covers(d Date) bool { return c.holidays.Covers(c.division, d.Year()) }

// checkCovered returns a *NotCoveredError unless every day in (a, b] lies
// in a year whose holidays are known.
func (c *Calendar) checkCovered(a, b Date) error {
	if !b.After(a) {
		return nil
	}
	first := a.n + 1
	i := sort.Search(len(c.known), func(i int) bool { return c.known[i].hi >= first })
	if i < len(c.known) && c.known[i].lo <= first && b.n <= c.known[i].hi {
		return nil
	}
	// Name the first year that is missing.
	for y := a.AddDays(1).Year(); y < b.Year(); y++ {
		if !c.holidays.Covers(c.division, y) {
			return &NotCoveredError{Division: c.division, Year: y}
		}
	}
	return &NotCoveredError{Division: c.division, Year: b.Year()}
}

// IsWorkingDay reports whether d is a working day. Outside the years whose
// holidays are known it knows only weekends and closures; use Covers to
// tell.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if !isWeekday(d) {
		return false
	}
	_, off := slices.BinarySearch(c.off, d.n)
	return !off
}

// Why returns the name of the holiday or closure that d is, or "Saturday"
// or "Sunday", or "" for a working day.
func (c *Calendar) Why(d Date) string {
	if name, ok := c.names[d]; ok {
		return name
	}
	if !isWeekday(d) {
		return d.Weekday().String()
	}
	return ""
}

// AddWorkingDays returns the nth working day strictly after d. The day d
// itself is never counted, whether or not it is a working day, so five
// working days from a Saturday end on the Friday after. AddWorkingDays(d,
// 0) is d.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, fmt.Errorf("working days to add is %d; want 0 or more", n)
	}
	if n == 0 {
		return d, nil
	}
	target := c.workingRank(d) + int32(n)
	// The holidays before the target day are those with fewer than target
	// working days on or before them.
	j := sort.Search(len(c.offRank), func(i int) bool { return c.offRank[i] >= target })
	due := weekdayAt(target + int32(j))
	if err := c.checkCovered(d, due); err != nil {
		return Date{}, err
	}
	return due, nil
}

// WorkingDaysBetween returns the number of working days in (a, b]: the
// working days left from a until a deadline b, counting b but not a. It is
// negative when b is before a.
func (c *Calendar) WorkingDaysBetween(a, b Date) (int, error) {
	lo, hi := a, b
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	if err := c.checkCovered(lo, hi); err != nil {
		return 0, err
	}
	return int(c.workingRank(b) - c.workingRank(a)), nil
}

// workingRank returns the number of working days from day 1 to d inclusive.
func (c *Calendar) workingRank(d Date) int32 {
	offBefore, found := slices.BinarySearch(c.off, d.n)
	if found {
		offBefore++
	}
	return weekdayRank(d.n) - int32(offBefore)
}

func isWeekday(d Date) bool {
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// weekdayRank returns the number of weekdays from day 1 (a Monday) to day
// n inclusive.
func weekdayRank(n int32) int32 {
	m := n - 1
	r := m % 7
	return m/7*5 + min(r, 4) + 1
}

// weekdayAt returns the weekday whose weekdayRank is k (k >= 1).
func weekdayAt(k int32) Date {
	q, r := (k-1)/5, (k-1)%5
	return Date{n: 1 + q*7 + r}
}
