package report

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/restriction"
)

// Period is what a board pack covers: one quarter of a reporting year,
// or the whole year for the annual report.
type Period struct {
	Year    Year
	Quarter int // 1 (April to June) to 4 (January to March); 0 is the whole year
}

var periodPattern = regexp.MustCompile(`^(\d{4})(?:-Q([1-4]))?$`)

// ParsePeriod reads "2026" (the year 2026/27) or "2026-Q2" (its second
// quarter, July to September 2026).
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("%q is not a period: want a reporting year such as 2026, or a quarter such as 2026-Q2", s)
	}
	y, _ := strconv.Atoi(m[1])
	p := Period{Year: Year(y)}
	if m[2] != "" {
		p.Quarter, _ = strconv.Atoi(m[2])
	}
	if err := CheckYear(p.Year); err != nil {
		return Period{}, fmt.Errorf("%q: the year %w", s, err)
	}
	return p, nil
}

// LastQuarter is the reporting quarter that ended most recently before
// today: the period a board pack is for when none is named.
func LastQuarter(today calendar.Date) Period {
	y := YearOf(today)
	q := (int(today.Month())+8)%12/3 + 1 // April is quarter 1
	if q == 1 {
		return Period{Year: y - 1, Quarter: 4}
	}
	return Period{Year: y, Quarter: q - 1}
}

// Value is the period as ParsePeriod reads it.
func (p Period) Value() string {
	if p.Quarter == 0 {
		return strconv.Itoa(int(p.Year))
	}
	return fmt.Sprintf("%d-Q%d", int(p.Year), p.Quarter)
}

// Dates returns the period's first and last days.
func (p Period) Dates() (from, to calendar.Date) {
	from, to = p.Year.Dates()
	if p.Quarter == 0 {
		return from, to
	}
	start := time.Date(int(p.Year), time.April+time.Month(3*(p.Quarter-1)), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 3, -1)
	return calendar.NewDate(start.Year(), start.Month(), 1), calendar.NewDate(end.Year(), end.Month(), end.Day())
}

// YearToDate returns the reporting year from 1 April to the period's
// last day: the Tenant Satisfaction Measures are yearly figures, so a
// quarter's pack shows them for the year so far.
func (p Period) YearToDate() (from, to calendar.Date) {
	from, _ = p.Year.Dates()
	_, to = p.Dates()
	return from, to
}

// Previous is the same period a year earlier, which trends compare with.
func (p Period) Previous() Period { return Period{Year: p.Year - 1, Quarter: p.Quarter} }

// String names the period for a heading: "2026/27" or "Q2 2026/27
// (July to September 2026)".
func (p Period) String() string {
	if p.Quarter == 0 {
		return p.Year.String()
	}
	from, to := p.Dates()
	return fmt.Sprintf("Q%d %s (%s to %s %d)", p.Quarter, p.Year, from.Month(), to.Month(), to.Year())
}

// PackInput is what storage provides for a pack: the measures for the
// year to date and the management figures for the period, each for this
// period and the same one a year before, and what people wrote for the
// year's review.
type PackInput struct {
	Period                Period
	TSM, PreviousTSM      TSM
	Current, PreviousMgmt Management
	Review                Review
	// Hazards are the reporting year's hazards under Awaab's Law so far.
	Hazards HazardSummary
}

// Pack is a board pack: a quarter's, or the year's annual complaints
// performance and service improvement report. It names no resident and
// no case, so it may be published as it is.
type Pack struct {
	Period, Previous Period
	TSM, PreviousTSM TSM
	Trends           []Trend
	Themes           []Theme // categories, most complained about first
	ServiceAreas     []Theme
	Refusals         []Theme // by exclusion, both stages
	Current          Management
	Learning         []Learning // with references removed
	Review           Review
	SelfAssessment   SelfAssessment
	// Hazards are the year's hazards under Awaab's Law so far, counted
	// without references.
	Hazards HazardSummary
	// Ombudsman is the Housing Ombudsman's findings and orders (ombudsman.go).
	Ombudsman OmbudsmanSummary
	Notes     []string
	// Restrictions count the restrictions register over the period
	// (restrictions.go); the reports service fills them in.
	Restrictions restriction.Counts
	// Summary is the executive summary a manager wrote for the period,
	// SignOff its latest sign-off (nil if none), and Member the year's
	// Member Responsible for Complaints (signoff.go). The pages fill
	// them in from storage.
	Summary PackSummary
	SignOff *PackSignOff
	Member  ComplaintsMember
}

// Trend is one measure this period against the same period a year
// before.
type Trend struct {
	Label             string
	Previous, Current float64
	Unit              string // "", "%", "working days", "£" or "per 1,000 homes"
	// CurrentValid and PreviousValid are false for a period with nothing
	// to measure (a share of no responses, a median of none).
	CurrentValid, PreviousValid bool
	// Better says which way is an improvement: +1 higher, -1 lower, 0
	// neither. Volumes are 0: the Code (3.3) warns against reading
	// more complaints as worse.
	Better int
}

// Valid reports whether the periods can be compared: both have data.
func (t Trend) Valid() bool { return t.CurrentValid && t.PreviousValid }

// Change is Current less Previous.
func (t Trend) Change() float64 { return round1(t.Current - t.Previous) }

// Verdict says in words whether the measure improved.
func (t Trend) Verdict() string {
	switch c := t.Change(); {
	case !t.Valid():
		return "no comparison"
	case c == 0:
		return "no change"
	case t.Better == 0 && c > 0:
		return "up"
	case t.Better == 0:
		return "down"
	case (c > 0) == (t.Better > 0):
		return "better"
	default:
		return "worse"
	}
}

// Theme is a count this period beside the same period a year before.
type Theme struct {
	Label             string
	Current, Previous int
}

// SelfAssessment summarises the review's self-assessment against every
// provision of the Code.
type SelfAssessment struct {
	Rows                         []AssessmentRow // every provision, in Code order
	Yes, Partly, No, NotAssessed int
	NotMet                       []AssessmentRow // partly or not met, to draw the board's eye
}

// AssessmentRow is one provision with its assessment, if any.
type AssessmentRow struct {
	Provision
	Assessment Assessment
	Assessed   bool
}

// BuildPack assembles a pack from its inputs. It is pure: the same
// inputs give the same pack.
func BuildPack(in PackInput) Pack {
	p := Pack{
		Period: in.Period, Previous: in.Period.Previous(),
		TSM: in.TSM, PreviousTSM: in.PreviousTSM,
		Current: in.Current, Review: in.Review, Hazards: in.Hazards,
	}
	p.Trends = trends(in)
	p.Themes = themes(in.Current.ByCategory, in.PreviousMgmt.ByCategory)
	p.ServiceAreas = themes(in.Current.ByServiceArea, in.PreviousMgmt.ByServiceArea)
	p.Refusals = themes(refusalRows(in.Current), refusalRows(in.PreviousMgmt))
	for _, l := range in.Current.Learning {
		l.Reference = ""
		p.Learning = append(p.Learning, l)
	}
	p.SelfAssessment = selfAssessment(in.Review)
	from, to := in.Period.YearToDate()
	p.Notes = []string{
		fmt.Sprintf("The Tenant Satisfaction Measures are for the reporting year to date, %s to %s, against the same part of %s.", LongDate(from), LongDate(to), p.Previous.Year),
		fmt.Sprintf("Every other figure is for %s, against %s.", in.Period, p.Previous),
		"A rise in complaints is not in itself a bad sign: the Code (3.3) asks landlords to read high volumes as residents trusting the process.",
		fmt.Sprintf("Hazards under Awaab's Law are counted for the reporting year %s so far, by when the landlord became aware of them; a clock is met when its step was done in time, and missed when it ran out or the step came late.", in.Period.Year),
		"The pack names no resident and no case, so that it can be published.",
	}
	return p
}

func trends(in PackInput) []Trend {
	var out []Trend
	add := func(label, unit string, better int, cur, prev float64, curValid, prevValid bool) {
		out = append(out, Trend{Label: label, Unit: unit, Better: better, Current: cur, Previous: prev, CurrentValid: curValid, PreviousValid: prevValid})
	}
	for stage := 1; stage <= 2; stage++ {
		c, pr := stageOf(in.Current, stage), stageOf(in.PreviousMgmt, stage)
		add(fmt.Sprintf("Stage %d complaints received", stage), "", 0, float64(c.Received), float64(pr.Received), true, true)
	}
	for _, id := range []string{CH01Stage1, CH01Stage2, CH02Stage1, CH02Stage2, TP09} {
		c, _ := in.TSM.Find(id, "")
		pr, _ := in.PreviousTSM.Find(id, "")
		better := 1
		if id == CH01Stage1 || id == CH01Stage2 {
			better = 0
		}
		label := id
		if c.Title != "" {
			label += " " + c.Title
		}
		add(label, c.Unit, better, c.Value, pr.Value, c.Valid, pr.Valid)
	}
	for stage := 1; stage <= 2; stage++ {
		c, pr := stageOf(in.Current, stage), stageOf(in.PreviousMgmt, stage)
		add(fmt.Sprintf("Stage %d acknowledged within 5 working days", stage), "%", 1,
			c.AcknowledgedOnTime.Value, pr.AcknowledgedOnTime.Value, c.AcknowledgedOnTime.Den > 0, pr.AcknowledgedOnTime.Den > 0)
		add(fmt.Sprintf("Stage %d median time to respond", stage), "working days", -1,
			c.Respond.Median, pr.Respond.Median, c.Respond.N > 0, pr.Respond.N > 0)
		add(fmt.Sprintf("Stage %d responses extended", stage), "", -1, float64(c.Extended), float64(pr.Extended), true, true)
	}
	add("Compensation paid", "£", 0, float64(paidPence(in.Current))/100, float64(paidPence(in.PreviousMgmt))/100, true, true)
	add("Actions overdue at the period's end", "", -1, float64(in.Current.ActionsOverdue), float64(in.PreviousMgmt.ActionsOverdue), true, true)
	add("Residents who complained more than once", "", 0, float64(in.Current.RepeatComplainants), float64(in.PreviousMgmt.RepeatComplainants), true, true)
	return out
}

func stageOf(m Management, stage int) StageFigures {
	for _, s := range m.Stages {
		if s.Stage == stage {
			return s
		}
	}
	return StageFigures{Stage: stage}
}

func paidPence(m Management) int64 {
	var p int64
	for _, c := range m.Compensation {
		p += c.PaidPence
	}
	return p
}

func refusalRows(m Management) []Row {
	counts := map[string]int{}
	for _, s := range m.Stages {
		for _, r := range s.Refusals {
			counts[r.Label] += r.N
		}
	}
	return RowsOf(counts)
}

// themes puts this period's counts beside last year's: every label of
// either period, largest now first, then by name.
func themes(cur, prev []Row) []Theme {
	byLabel := map[string]*Theme{}
	var out []*Theme
	get := func(label string) *Theme {
		if t, ok := byLabel[label]; ok {
			return t
		}
		t := &Theme{Label: label}
		byLabel[label] = t
		out = append(out, t)
		return t
	}
	for _, r := range cur {
		get(r.Label).Current += r.N
	}
	for _, r := range prev {
		get(r.Label).Previous += r.N
	}
	slices.SortFunc(out, func(a, b *Theme) int {
		return cmp.Or(cmp.Compare(b.Current, a.Current), cmp.Compare(b.Previous, a.Previous), cmp.Compare(a.Label, b.Label))
	})
	res := make([]Theme, len(out))
	for i, t := range out {
		res[i] = *t
	}
	return res
}

func selfAssessment(rv Review) SelfAssessment {
	var sa SelfAssessment
	for _, pr := range CodeProvisions() {
		row := AssessmentRow{Provision: pr}
		row.Assessment, row.Assessed = rv.Find(pr.Number)
		switch row.Assessment.Complies {
		case "yes":
			sa.Yes++
		case "partly":
			sa.Partly++
			sa.NotMet = append(sa.NotMet, row)
		case "no":
			sa.No++
			sa.NotMet = append(sa.NotMet, row)
		default:
			sa.NotAssessed++
		}
		sa.Rows = append(sa.Rows, row)
	}
	return sa
}
