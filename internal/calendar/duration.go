package calendar

import (
	"fmt"
	"github.com/redresshq/redress/internal/enum"
	"time"
)

// Unit is the unit a Duration counts in.
type Unit string

// The units a policy may count a step in.
const (
	WorkingDays  Unit = "working_days"
	CalendarDays Unit = "calendar_days"
	Hours        Unit = "hours"
)

// Units lists every unit, for messages and validation.
var Units = []Unit{WorkingDays, CalendarDays, Hours}

// ParseUnit checks that s names a unit.
func ParseUnit(s string) (Unit, error) { return enum.Parse(s, Units, "a unit") }

// Duration is a length of time in one unit, such as 10 working days.
type Duration struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

// String returns the duration as people write it: "10 working days".
func (d Duration) String() string {
	word := map[Unit][2]string{
		WorkingDays:  {"working day", "working days"},
		CalendarDays: {"calendar day", "calendar days"},
		Hours:        {"hour", "hours"},
	}[d.Unit]
	if word[0] == "" {
		return fmt.Sprintf("%d %s", d.N, d.Unit)
	}
	if d.N == 1 {
		return "1 " + word[0]
	}
	return fmt.Sprintf("%d %s", d.N, word[1])
}

// Deadline is when something is due. Every deadline has a Date; one
// counted in hours also has the exact instant At.
type Deadline struct {
	Date Date      `json:"date"`
	At   time.Time `json:"at,omitzero"`
}

// Met reports whether an event at t meets the deadline: its date in London
// is on or before the due date. Hour-counted deadlines are judged the same
// way, by date, as the design's one rule for every deadline says.
func (dl Deadline) Met(t time.Time) bool { return !DateOf(t).After(dl.Date) }

// Due returns the deadline that falls d after an anchor event at the
// instant from. Working and calendar days count from the anchor's date in
// London, never counting that date itself; hours count from the instant.
func (c *Calendar) Due(from time.Time, d Duration) (Deadline, error) {
	if d.N < 0 {
		return Deadline{}, fmt.Errorf("duration %s is negative", d)
	}
	anchor := DateOf(from)
	switch d.Unit {
	case WorkingDays:
		due, err := c.AddWorkingDays(anchor, d.N)
		return Deadline{Date: due}, err
	case CalendarDays:
		return Deadline{Date: anchor.AddDays(d.N)}, nil
	case Hours:
		at := from.Add(time.Duration(d.N) * time.Hour).In(London)
		return Deadline{Date: DateOf(at), At: at}, nil
	}
	return Deadline{}, fmt.Errorf("duration unit %q is not known", d.Unit)
}

// DueFromDate is Due for an anchor known only by its date. An hour-counted
// duration then counts from the start of that day in London.
func (c *Calendar) DueFromDate(anchor Date, d Duration) (Deadline, error) {
	return c.Due(anchor.Start(), d)
}
