// Package report computes the figures landlords report to their boards,
// their residents and the Regulator of Social Housing: the Tenant
// Satisfaction Measures on complaints (CH01, CH02, and TP09 as the
// landlord records it from its own perception survey), the figures from
// Redress's own post-closure survey, reported under their own names, and
// the management figures behind them.
//
// The package is pure. Storage counts; this package turns counts into
// figures, each with its numerator and denominator, and says how it
// counted.
package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// Year is a reporting year, named by the year it starts: 2026 is 1 April
// 2026 to 31 March 2027.
type Year int

// Dates returns the first and last days of the year.
func (y Year) Dates() (from, to calendar.Date) {
	return calendar.NewDate(int(y), time.April, 1), calendar.NewDate(int(y)+1, time.March, 31)
}

// String names the year as landlords do: "2026/27".
func (y Year) String() string { return fmt.Sprintf("%d/%02d", int(y), (int(y)+1)%100) }

// YearOf returns the reporting year a date falls in.
func YearOf(d calendar.Date) Year {
	if d.Month() >= time.April {
		return Year(d.Year())
	}
	return Year(d.Year() - 1)
}

// ByTenure is a count for each tenure; "" holds cases whose tenure was not
// recorded.
type ByTenure map[complaint.Tenure]int

// Total adds up every tenure.
func (b ByTenure) Total() int {
	n := 0
	for _, v := range b {
		n += v
	}
	return n
}

// SurveyAnswers are the answers to each question of Redress's own
// post-closure survey, most satisfied first.
var SurveyAnswers = []string{"very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied"}

// CaseMeasures are the figures with cases behind them: all but TP09,
// which comes from the landlord's perception survey.
var CaseMeasures = []string{CH01Stage1, CH01Stage2, CH02Stage1, CH02Stage2, PolicyStage1,
	PolicyStage2, SurveyHandling, SurveyOutcome}

// TSMCounts is what storage counts for the measures over a period.
type TSMCounts struct {
	// Received[s]: stage s complaints received in the period, refused
	// ones left out.
	Received [3]ByTenure
	// Responded[s]: stage s responses made in the period; WithinCode[s]
	// those that met the Code's timescale, and WithinPolicy[s] those
	// that met the landlord's own (often faster) deadline for the stage.
	Responded    [3]ByTenure
	WithinCode   [3]ByTenure
	WithinPolicy [3]ByTenure
	// Survey: answers given in the period to the post-closure survey's
	// question about the handling of the complaint, by answer. It is not
	// TP09, which comes from the landlord's perception survey.
	Survey map[string]ByTenure
	// Outcome: answers given in the period to the post-closure survey's
	// question about the outcome of the complaint, by answer. Answers
	// given before the survey asked it have none.
	Outcome map[string]ByTenure
}

// Tenures the measures are split by, as the Regulator asks. The "All"
// figures are these two together, never more: CH01 divides by their
// homes, so a complaint from any other tenure in the numerator would
// overstate the rate.
var Tenures = []complaint.Tenure{"low_cost_rental", "low_cost_home_ownership"}

// NotRecorded is the tenure key of the figures for complaints whose
// tenure has not been recorded yet (their ByTenure key is ""). They are
// in no tenure's measures, "All" included, until an officer sets it.
const NotRecorded complaint.Tenure = "not_recorded"

// Outside are the lines counted beside the Regulator's measures, never
// in them: complaints from other tenures (leaseholders and the like),
// and those with no tenure recorded. CH01 is a plain count for these:
// there is no number of homes to divide by.
var Outside = []complaint.Tenure{"other", NotRecorded}

// Figure is one measure for one tenure ("" for all).
type Figure struct {
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	Tenure      complaint.Tenure `json:"tenure"`
	Numerator   int              `json:"numerator"`
	Denominator int              `json:"denominator"`
	// Value is the figure: per 1,000 homes for CH01, a percentage for the
	// others. Valid is false when the denominator is zero.
	Value float64 `json:"value"`
	Valid bool    `json:"valid"`
	Unit  string  `json:"unit"`
	// NumeratorLabel and DenominatorLabel say what was counted.
	NumeratorLabel   string `json:"numerator_label"`
	DenominatorLabel string `json:"denominator_label"`
}

// TSM is the year's Tenant Satisfaction Measures on complaints.
type TSM struct {
	Year    Year     `json:"year"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Figures []Figure `json:"figures"`
	// Notes state every counting choice, as the Regulator asks.
	Notes []string `json:"notes"`
}

// Measure names. The first five are the Regulator's; the others are
// reported beside them and never in the Regulator's return.
const (
	CH01Stage1 = "CH01(1)"
	CH01Stage2 = "CH01(2)"
	CH02Stage1 = "CH02(1)"
	CH02Stage2 = "CH02(2)"
	// TP09 is the Regulator's perception measure, "satisfaction with the
	// landlord's approach to complaints handling", which only the
	// landlord's own perception survey can give: a manager records it
	// (TP09Result), and it is never computed from Redress's survey.
	TP09 = "TP09"
	// PolicyStage1 and PolicyStage2 are CH02's responses measured against
	// the landlord's own response deadline instead of the Code's.
	PolicyStage1 = "Policy(1)"
	PolicyStage2 = "Policy(2)"
	// SurveyHandling and SurveyOutcome are satisfaction with the handling
	// and with the outcome of the complaint, from Redress's own survey
	// sent after closure.
	SurveyHandling = "Survey(handling)"
	SurveyOutcome  = "Survey(outcome)"
)

// PolicyFigureOf returns the id of the figure that measures CH02's
// responses against the landlord's own deadline, for a CH02 id, and
// false for any other.
func PolicyFigureOf(id string) (string, bool) {
	switch id {
	case CH02Stage1:
		return PolicyStage1, true
	case CH02Stage2:
		return PolicyStage2, true
	}
	return "", false
}

// ComputeTSM turns the year's counts and the landlord's homes into the
// measures, for all homes and for each tenure.
func ComputeTSM(y Year, c TSMCounts, homes policy.Homes, haveHomes bool) TSM {
	from, to := y.Dates()
	t := TSM{Year: y, From: from.String(), To: to.String()}
	homesOf := map[complaint.Tenure]int{
		"":                        homes.LowCostRental + homes.LowCostHomeOwnership,
		"low_cost_rental":         homes.LowCostRental,
		"low_cost_home_ownership": homes.LowCostHomeOwnership,
	}
	count := func(b ByTenure, tenure complaint.Tenure) int {
		switch tenure {
		case "":
			n := 0
			for _, t := range Tenures {
				n += b[t]
			}
			return n
		case NotRecorded:
			return b[""]
		}
		return b[tenure]
	}
	for _, tenure := range append(append([]complaint.Tenure{""}, Tenures...), Outside...) {
		outside := slices.Contains(Outside, tenure)
		for stage := 1; stage <= 2; stage++ {
			n := count(c.Received[stage], tenure)
			f := Figure{
				ID: fmt.Sprintf("CH01(%d)", stage), Tenure: tenure, Unit: "per 1,000 homes",
				Title:     fmt.Sprintf("Stage %d complaints received per 1,000 homes", stage),
				Numerator: n, Denominator: homesOf[tenure],
				NumeratorLabel:   fmt.Sprintf("stage %d complaints received", stage),
				DenominatorLabel: "homes owned",
			}
			if outside {
				f.Unit, f.DenominatorLabel = "complaints", ""
			}
			if haveHomes && f.Denominator > 0 {
				f.Value, f.Valid = round1(float64(n)*1000/float64(f.Denominator)), true
			}
			t.Figures = append(t.Figures, f)
		}
		// CH02, and the same responses against the landlord's own
		// deadlines beside it.
		for _, m := range []struct {
			id, title, label string
			within           [3]ByTenure
		}{
			{"CH02", "within the Code's timescale", "responded to within the Code's timescale", c.WithinCode},
			{"Policy", "within our own policy's timescale", "responded to by our own policy's deadline", c.WithinPolicy},
		} {
			for stage := 1; stage <= 2; stage++ {
				f := Figure{
					ID: fmt.Sprintf("%s(%d)", m.id, stage), Tenure: tenure, Unit: "%",
					Title:            fmt.Sprintf("Stage %d complaints responded to %s", stage, m.title),
					Numerator:        count(m.within[stage], tenure),
					Denominator:      count(c.Responded[stage], tenure),
					NumeratorLabel:   m.label,
					DenominatorLabel: fmt.Sprintf("stage %d responses", stage),
				}
				percent(&f)
				t.Figures = append(t.Figures, f)
			}
		}
		// TP09 is not known until a manager records it (SetTP09).
		t.Figures = append(t.Figures, Figure{ID: TP09, Tenure: tenure, Unit: "%", Title: TP09Title,
			NumeratorLabel: "respondents satisfied", DenominatorLabel: "respondents who had complained"})
		for _, q := range []struct {
			id, title string
			answers   map[string]ByTenure
		}{
			{SurveyHandling, "Satisfaction with complaint handling, from Redress's own survey", c.Survey},
			{SurveyOutcome, "Satisfaction with the outcome of the complaint, from Redress's own survey", c.Outcome},
		} {
			f := Figure{ID: q.id, Tenure: tenure, Unit: "%", Title: q.title,
				NumeratorLabel: "very or fairly satisfied", DenominatorLabel: "survey answers"}
			for _, a := range SurveyAnswers {
				n := count(q.answers[a], tenure)
				f.Denominator += n
				if a == "very_satisfied" || a == "fairly_satisfied" {
					f.Numerator += n
				}
			}
			percent(&f)
			t.Figures = append(t.Figures, f)
		}
	}
	t.Notes = []string{
		fmt.Sprintf("The reporting year is %s, 1 April to 31 March, by the date in London.", y),
		"CH01 counts complaints by the date each stage was received: stage 1 when the complaint was received (or a contact became a complaint), stage 2 when the escalation request was received. Refused complaints are not counted; withdrawn ones are.",
		"A complaint escalated in the year counts in CH01(2) whatever year its stage 1 began, and a stage 2 received in the year but answered after 31 March counts in this year's CH01(2) and next year's CH02(2).",
		"CH02 counts responses by the date they were sent. A response is within the Code's timescale if it was sent within 10 (stage 1) or 20 (stage 2) working days of acknowledgement, plus any extension given in time (Code 6.3, 6.4, 6.14, 6.15).",
		// Code 6.2 with 6.3, 6.11 with 6.14.
		"A late acknowledgement buys no time: the Code's timescale counts from the acknowledgement or from the day it was due (5 working days after receipt), whichever is earlier, even though the landlord's own deadline shown on the case counts from the actual acknowledgement.",
		// Code 6.4, 6.15.
		"An extension counts only if it was given before the deadline it extends: one recorded after the Code's deadline had passed still gives the resident a new date, but the response is already outside the Code's timescale and counts as late.",
		"Extensions count up to the Code's cap of 10 (stage 1) or 20 (stage 2) working days; an extension beyond the cap counts in full only with a recorded good reason, which Redress requires before it accepts one (as well as the resident's agreement where the policy asks for it). Extensions recorded before good reasons were asked for count up to the cap only.",
		"The Code's timescales are measured whatever the landlord's own policy says; a faster policy does not change the figure.",
		"CH02 beside our own policy (Policy(1), Policy(2)) counts the same responses as CH02, but against the deadline of the landlord's own policy shown on each case: counted from the actual acknowledgement, with every extension the policy allowed. A faster policy gives a lower figure than CH02; neither is sent to the Regulator in place of the other.",
		"TP09 is the Regulator's perception measure: the share of respondents to the landlord's own tenant perception survey who had made a complaint in the last 12 months and were very or fairly satisfied with the landlord's approach to complaints handling. Redress cannot count it; a manager records the survey's result for the year, by tenure, and the measures and the return carry only that.",
		"Satisfaction from Redress's own survey (Survey(handling), Survey(outcome)) is not TP09: it counts answers given in the year to the two questions of the survey sent to residents after their complaint closed, about how it was handled and about its outcome, very or fairly satisfied over all answers to that question. Answers given before the survey asked about the outcome count only for the handling.",
		"\"All\" is low-cost rental and low-cost home ownership together, the tenures the Regulator's measures cover: CH01 divides their complaints by their homes.",
		"Complaints from other tenures (such as leaseholders) are counted on their own line and in no measure, since there are no homes of theirs to divide by.",
		"Complaints whose tenure is not recorded are counted on their own line and in no measure, \"All\" included, until an officer records it: the measures page lists them.",
	}
	if !haveHomes {
		t.Notes = append(t.Notes, fmt.Sprintf("No homes are recorded for %s, so CH01 cannot be divided per 1,000 homes: record them in the policy's homes.", y))
	}
	return t
}

func percent(f *Figure) {
	if f.Denominator > 0 {
		f.Value, f.Valid = round1(float64(f.Numerator)*100/float64(f.Denominator)), true
	}
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

// Find returns the figure with id for tenure.
func (t TSM) Find(id string, tenure complaint.Tenure) (Figure, bool) {
	i := slices.IndexFunc(t.Figures, func(f Figure) bool { return f.ID == id && f.Tenure == tenure })
	if i < 0 {
		return Figure{}, false
	}
	return t.Figures[i], true
}
