package report

import (
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// WithinPolicy reports whether a response sent on responded met the
// landlord's own deadline for the stage, respondBy (the stage's
// RespondBy: counted from the actual acknowledgement, with every
// extension the policy allowed), the figure reported beside CH02. A
// deadline is met on its last day; a stage not responded to, or with no
// deadline, has not met it.
func WithinPolicy(responded, respondBy calendar.Date) bool {
	return !responded.IsZero() && !respondBy.IsZero() && !responded.After(respondBy)
}

// RecordedLateAfter is how many working days an event may be dated
// before it was recorded without being listed as possibly backdated: one
// covers the ordinary case of a Friday's phone call logged on Monday.
const RecordedLateAfter = 1

// RecordedLate reports how many working days (by the landlord's
// calendar, in London) an event dated at was recorded after, and whether
// that is more than RecordedLateAfter, so that backdating, which can move
// a response into the Code's timescale or into another reporting year,
// is visible to a manager. The days counted are those after the event's
// date up to and including the day it was recorded; an event recorded on
// its own date, or dated after it was recorded, is 0 and never late.
//
// Where the calendar does not cover the dates (it knows bank holidays
// for a fixed span of years), weekdays are counted instead, so an event
// is never left off the list for want of a holiday table.
func RecordedLate(cal *calendar.Calendar, at, recordedAt time.Time) (days int, late bool) {
	dated, recorded := calendar.DateOf(at), calendar.DateOf(recordedAt)
	if !recorded.After(dated) {
		return 0, false
	}
	n, err := cal.WorkingDaysBetween(dated, recorded)
	if err != nil {
		n = 0
		for d := dated.AddDays(1); !d.After(recorded); d = d.AddDays(1) {
			if w := d.Weekday(); w != time.Saturday && w != time.Sunday {
				n++
			}
		}
	}
	return n, n > RecordedLateAfter
}
