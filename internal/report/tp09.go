package report

import (
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// TP09Title is the Regulator's wording of TP09, shortened only by
// leaving out who is asked (the respondents who had complained).
const TP09Title = "Satisfaction with the landlord's approach to complaints handling, from our tenant perception survey"

// TP09Count is one tenure's TP09 result from the landlord's perception
// survey: of the Respondents who had made a complaint in the last 12
// months, how many were very or fairly Satisfied with its handling.
type TP09Count struct {
	Satisfied   int `json:"satisfied"`
	Respondents int `json:"respondents"`
}

// TP09Result is a reporting year's TP09 as a manager recorded it from the
// landlord's own perception survey. Redress's post-closure survey never
// feeds it: the Regulator asks a sample of all tenants, not those whose
// complaint has just closed, and the two figures are not comparable.
type TP09Result struct {
	Year Year `json:"year"`
	// LowCostRental and LowCostHomeOwnership are the result for each of
	// the Regulator's tenures; a tenure with no respondents is 0 of 0.
	LowCostRental        TP09Count `json:"low_cost_rental"`
	LowCostHomeOwnership TP09Count `json:"low_cost_home_ownership"`
	// RecordedBy and RecordedAt say who recorded it and when, so a
	// figure sent to the Regulator can be traced to a person.
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// maxRespondents bounds a count, so that a mistyped figure is caught
// rather than sent to the Regulator.
const maxRespondents = 10_000_000

// Validate checks a result and returns a message for each bad field,
// named as the form names it (year, lcra_satisfied, lcra_respondents,
// lcho_satisfied, lcho_respondents); nil means it is good.
func (r TP09Result) Validate() map[string]string {
	fields := map[string]string{}
	if r.Year < 2000 || r.Year > 2100 {
		fields["year"] = "must be a reporting year from 2000 to 2100"
	}
	for _, t := range []struct {
		prefix, what string
		c            TP09Count
	}{{"lcra", "low-cost rental", r.LowCostRental}, {"lcho", "low-cost home ownership", r.LowCostHomeOwnership}} {
		switch {
		case t.c.Respondents < 0 || t.c.Respondents > maxRespondents:
			fields[t.prefix+"_respondents"] = fmt.Sprintf("must be a number of %s respondents from 0 to 10,000,000", t.what)
		case t.c.Satisfied < 0:
			fields[t.prefix+"_satisfied"] = fmt.Sprintf("must be a number of satisfied %s respondents, 0 or more", t.what)
		case t.c.Satisfied > t.c.Respondents:
			fields[t.prefix+"_satisfied"] = fmt.Sprintf("must be no more than the %d %s respondents who had complained", t.c.Respondents, t.what)
		}
	}
	if len(fields) == 0 && r.LowCostRental.Respondents+r.LowCostHomeOwnership.Respondents == 0 {
		fields["lcra_respondents"] = "must be more than 0 for at least one tenure: a survey with no respondents who had complained has no TP09"
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// countOf returns the result for a tenure: "" is the two tenures'
// respondents together.
func (r TP09Result) countOf(tenure complaint.Tenure) (TP09Count, bool) {
	switch tenure {
	case "":
		return TP09Count{r.LowCostRental.Satisfied + r.LowCostHomeOwnership.Satisfied,
			r.LowCostRental.Respondents + r.LowCostHomeOwnership.Respondents}, true
	case "low_cost_rental":
		return r.LowCostRental, true
	case "low_cost_home_ownership":
		return r.LowCostHomeOwnership, true
	}
	return TP09Count{}, false
}

// SetTP09 puts a recorded TP09 result into the year's measures, for each
// of the Regulator's tenures and "All" (their respondents together,
// unweighted), and says so in the notes. Without one (recorded false),
// TP09 stays without a value and a note says why: it is never taken
// from Redress's own survey.
func (t *TSM) SetTP09(r TP09Result, recorded bool) {
	if !recorded {
		t.Notes = append(t.Notes, fmt.Sprintf("TP09 is not recorded for %s, so it is left blank here and in the return until the result of the landlord's tenant perception survey is recorded (on the measures page).", t.Year))
		return
	}
	for i := range t.Figures {
		f := &t.Figures[i]
		if f.ID != TP09 {
			continue
		}
		c, ok := r.countOf(f.Tenure)
		if !ok {
			continue
		}
		f.Numerator, f.Denominator = c.Satisfied, c.Respondents
		percent(f)
	}
	t.Notes = append(t.Notes, fmt.Sprintf("TP09 for %s is the perception survey's result recorded by %s on %s. \"All\" is the low-cost rental and low-cost home ownership respondents together, unweighted.",
		t.Year, r.RecordedBy, r.RecordedAt.In(calendar.London).Format("2 January 2006")))
}
