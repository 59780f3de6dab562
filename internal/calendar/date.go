// Package calendar knows which days are working days in each of the United
// Kingdom's three bank-holiday divisions, and counts deadlines in working
// days, calendar days and hours exactly as the Complaint Handling Code and
// Redress's design define them.
//
// The package is pure: it reads no clock, no files of its own and no
// network. Callers pass dates, timestamps and holiday tables in, so every
// rule here is a table test.
package calendar

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo.
)

// London is the time zone every date in Redress is taken in. Complaint
// deadlines are local dates in the UK, whatever the server's own zone.
var London = mustLoadLondon()

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// time/tzdata is linked in, so this cannot happen short of a
		// broken toolchain; failing loudly beats computing UTC deadlines.
		panic("calendar: Europe/London: " + err.Error())
	}
	return loc
}

// rataDieUnix is the day number of 1970-01-01 counting 0001-01-01 as day 1.
const rataDieUnix = 719163

// Date is a civil date with no time of day and no zone. It is stored as a
// day number (0001-01-01 is day 1) so that adding days and comparing dates
// are integer operations; the zero Date means "no date".
type Date struct {
	n int32
}

// NewDate returns the date year-month-day. Out-of-range days normalise as
// time.Date does (31 April is 1 May); use ParseDate to refuse them.
func NewDate(year int, month time.Month, day int) Date {
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	return Date{n: int32(t.Unix()/86400 + rataDieUnix)}
}

// DateOf returns the date that instant falls on in London.
func DateOf(t time.Time) Date {
	y, m, d := t.In(London).Date()
	return NewDate(y, m, d)
}

// ParseDate parses a YYYY-MM-DD date and refuses impossible ones such as
// 2026-02-30, which time.Parse would also refuse.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if t.Year() < 1 {
		return Date{}, fmt.Errorf("%q is before year 1", s)
	}
	return NewDate(t.Date()), nil
}

// MustParseDate is ParseDate for literals in tests and tables; it panics on
// a bad date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date, meaning "no date".
func (d Date) IsZero() bool { return d.n == 0 }

func (d Date) utc() time.Time {
	return time.Unix(int64(d.n-rataDieUnix)*86400, 0).UTC()
}

// Year returns the year of d.
func (d Date) Year() int { return d.utc().Year() }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.utc().Month() }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.utc().Day() }

// Weekday returns the day of the week of d. Day 1 (0001-01-01) was a
// Monday in the proleptic Gregorian calendar, which the arithmetic in this
// package relies on.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((int(d.n)-1)%7+1) % 7
}

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// Sub returns the number of calendar days from e to d.
func (d Date) Sub(e Date) int { return int(d.n - e.n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// Start returns the instant d begins in London.
func (d Date) Start() time.Time {
	y, m, day := d.utc().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, London)
}

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(time.DateOnly)
}

// MarshalText encodes d as YYYY-MM-DD; the zero Date encodes as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD; "" decodes as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
