package restriction

import "github.com/redresshq/redress/internal/calendar"

// Counts are the register's figures over a period, for the manager's
// oversight pages and the annual report (issue 19): how contact was
// managed, never who. Each counts by the London date of the thing it
// counts.
type Counts struct {
	// Warnings given in the period.
	Warnings int `json:"warnings"`
	// Decided are restrictions put in force in the period, and
	// WithoutWarning those of them decided with no warning first.
	Decided        int `json:"decided"`
	WithoutWarning int `json:"without_warning"`
	// Reviews held in the period.
	Reviews int `json:"reviews"`
	// Lifted are warnings and restrictions lifted in the period.
	Lifted int `json:"lifted"`
	// InForceAtEnd are restrictions in force at the end of the period's
	// last day: decided by then and not lifted by then.
	InForceAtEnd int `json:"in_force_at_end"`
}

// Count counts rs over the London dates from..to, both included.
func Count(rs []Restriction, from, to calendar.Date) Counts {
	var c Counts
	in := func(d calendar.Date) bool { return !d.Before(from) && !d.After(to) }
	for _, r := range rs {
		if r.Warning != nil && in(calendar.DateOf(r.Warning.At)) {
			c.Warnings++
		}
		if r.Decision != nil {
			decided := calendar.DateOf(r.Decision.At)
			if in(decided) {
				c.Decided++
				if r.Decision.WithoutWarning != "" {
					c.WithoutWarning++
				}
			}
			if !decided.After(to) && (r.Lift == nil || calendar.DateOf(r.Lift.At).After(to)) {
				c.InForceAtEnd++
			}
		}
		for _, rv := range r.Reviews {
			if in(calendar.DateOf(rv.At)) {
				c.Reviews++
			}
		}
		if r.Lift != nil && in(calendar.DateOf(r.Lift.At)) {
			c.Lifted++
		}
	}
	return c
}
