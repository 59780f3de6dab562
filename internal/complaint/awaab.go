package complaint

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
)

// Awaab's Law (issue 14): a hazard in a social rented home starts
// statutory clocks when the landlord becomes aware of it, however it
// hears of it; a complaint is often exactly that. The clocks run beside
// the complaint's own and nothing in the complaint moves them: not an
// extension, not a stage. The times are the policy's (policy.Hazards),
// which may be faster than the regulations (SI 2025/1042), never slower.

// HazardClass is how serious a hazard is under the regulations.
type HazardClass string

// The classes. An emergency hazard poses an imminent and significant risk
// of harm (one a reasonable landlord would make safe within 24 hours); a
// significant hazard a significant risk of harm to be dealt with urgently
// (in the regulations' first phase, damp and mould). None records that a
// hazard once classed was found not to be one.
const (
	HazardEmergency   HazardClass = "emergency"
	HazardSignificant HazardClass = "significant"
	HazardNone        HazardClass = "none"
)

// HazardClasses lists the classes a hazard may be given.
var HazardClasses = []HazardClass{HazardEmergency, HazardSignificant, HazardNone}

// HazardSteps are the steps that meet the clocks.
const (
	// StepInvestigated: the investigation has ended, with its findings.
	// It meets the investigation clock and anchors the others.
	StepInvestigated = "investigated"
	// StepSummarySent: the written summary of the findings went to the
	// tenant (significant hazards).
	StepSummarySent = "summary_sent"
	// StepMadeSafe: the hazard was made safe (an emergency) or the
	// safety work was done (a significant hazard).
	StepMadeSafe = "made_safe"
	// StepPreventativeBegun: further, preventative works have begun.
	StepPreventativeBegun = "preventative_begun"
	// StepPreventativeNotPracticable: beginning the further works within
	// the short time is not reasonably practicable; they must then begin
	// as soon as it is, and within the longer limit. It needs a reason.
	StepPreventativeNotPracticable = "preventative_not_practicable"
)

// HazardStepNames lists the steps a RecordHazardStep may give.
var HazardStepNames = []string{StepInvestigated, StepSummarySent, StepMadeSafe, StepPreventativeBegun, StepPreventativeNotPracticable}

// Accommodation offers are recorded when offered, accepted or declined.
var AccommodationStatuses = []string{"offered", "accepted", "declined"}

// Hazard is what a case knows of a hazard reported in it.
type Hazard struct {
	Class HazardClass `json:"class"`
	// AwareAt is when the landlord became aware of the hazard: by default
	// when the contact was received; earlier where it was first mentioned
	// before the case was logged.
	AwareAt      time.Time `json:"aware_at"`
	Description  string    `json:"description,omitempty"`
	ClassifiedBy string    `json:"classified_by"`
	ClassifiedAt time.Time `json:"classified_at"`
	// The steps, each zero until recorded.
	InvestigatedAt time.Time           `json:"investigated_at,omitzero"`
	Findings       string              `json:"findings,omitempty"`
	SummarySentAt  time.Time           `json:"summary_sent_at,omitzero"`
	MadeSafeAt     time.Time           `json:"made_safe_at,omitzero"`
	PreventativeAt time.Time           `json:"preventative_begun_at,omitzero"`
	NotPracticable string              `json:"preventative_not_practicable,omitempty"`
	Accommodation  []AccommodationStep `json:"accommodation,omitempty"`
	// Clocks are the statutory deadlines as the policy computes them
	// from the steps so far; kept with the case so that lists can sort
	// by them.
	Clocks []HazardClock `json:"clocks,omitempty"`
}

// AccommodationStep is suitable alternative accommodation offered,
// accepted or declined.
type AccommodationStep struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Note   string    `json:"note,omitempty"`
}

// HazardClock is one statutory deadline of a hazard.
type HazardClock struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Due is the instant the time runs out: for a clock in hours the
	// exact instant; for one in working days or weeks the end of its due
	// day in London. DueDate is that day.
	Due     time.Time     `json:"due"`
	DueDate calendar.Date `json:"due_date"`
	Hours   bool          `json:"hours,omitempty"`
	// MetAt is when the step that meets it was recorded as done; zero
	// while it is not.
	MetAt time.Time `json:"met_at,omitzero"`
}

// Met reports whether the step was done in time. A clock in hours is met
// by the instant; one in days by the day in London, as every deadline in
// days is.
func (k HazardClock) Met() bool {
	if k.MetAt.IsZero() {
		return false
	}
	if k.Hours {
		return !k.MetAt.After(k.Due)
	}
	return !calendar.DateOf(k.MetAt).After(k.DueDate)
}

// Missed reports whether the clock ran out, at now, without its step
// done in time.
func (k HazardClock) Missed(now time.Time) bool {
	if !k.MetAt.IsZero() {
		return !k.Met()
	}
	return now.After(k.Due)
}

// Statutory reports whether Awaab's Law applies to the case's hazard: it
// applies to social rented tenancies, not to leaseholders or shared
// owners (whose landlord's other hazard duties still apply). A case whose
// tenure is not yet recorded is treated as rented until it is, so that
// no clock is missed for want of a tenure.
func (c *Case) Statutory() bool {
	return c.Hazard != nil && c.Hazard.Class != HazardNone && (c.Tenure == "" || c.Tenure == "low_cost_rental")
}

// ClassifyHazard sets or changes the hazard class of a case, or records
// that what was thought a hazard is not one (class none, with a reason).
// AwareAt defaults to when the contact was received (or, on a change, to
// the awareness already recorded); it may be earlier, where the hazard
// was first mentioned before the case was logged, never later than now.
type ClassifyHazard struct {
	Class       HazardClass `json:"class"`
	AwareAt     *time.Time  `json:"aware_at,omitempty"`
	Description string      `json:"description,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	// Flagged is set by Decide, never by the caller: true when the
	// classification flagged a case not yet flagged as a health-and-safety
	// risk, which alerts the senior managers and lists it on every
	// dashboard until one acknowledges it (the escalation of 003).
	Flagged bool `json:"flagged,omitempty"`
}

// RecordHazardStep records a step taken on the case's hazard.
type RecordHazardStep struct {
	Step string `json:"step"`
	// Findings are what the investigation found; required for
	// "investigated".
	Findings string `json:"findings,omitempty"`
	Note     string `json:"note,omitempty"`
}

// RecordAccommodation records suitable alternative accommodation
// offered, accepted or declined, where the home cannot be made safe in
// time.
type RecordAccommodation struct {
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

func (ClassifyHazard) event() EventKind      { return EventHazardClassified }
func (RecordHazardStep) event() EventKind    { return EventHazardStep }
func (RecordAccommodation) event() EventKind { return EventAccommodationRecorded }

// decide records the awareness chosen and whether it flagged the case.
func (cmd ClassifyHazard) decide(d *decision) error {
	c, next, at, env, fe := d.before, d.next, d.at, d.env, d.fe
	if _, err := enum.Parse(string(cmd.Class), HazardClasses, "a hazard class"); err != nil {
		fe.add("class", "%v", err)
	}
	checkText(fe, "description", cmd.Description, maxText, false)
	checkText(fe, "reason", cmd.Reason, maxText, cmd.Class == HazardNone)
	aware := c.ReceivedAt
	if c.Hazard != nil {
		aware = c.Hazard.AwareAt
	}
	if cmd.AwareAt != nil {
		aware = *cmd.AwareAt
		switch {
		case aware.After(at):
			fe.add("aware_at", "is after now: the landlord cannot have become aware of it later than it is recorded")
		case aware.Year() < 2000:
			fe.add("aware_at", "is before the year 2000")
		}
	}
	if err := fe.err(); err != nil {
		return err
	}
	if c.Hazard == nil && cmd.Class == HazardNone {
		return Errorf(Conflict, "the case has no hazard to record as none")
	}
	h := Hazard{}
	if c.Hazard != nil {
		h = *c.Hazard
	}
	h.Class, h.AwareAt = cmd.Class, aware
	if d := strings.TrimSpace(cmd.Description); d != "" {
		h.Description = d
	}
	h.ClassifiedBy, h.ClassifiedAt = env.Actor.Email, at
	next.Hazard = &h
	// A hazard is a health-and-safety risk: classing one flags the case,
	// so the senior managers hear of it at once, however it came in.
	cmd.Flagged = false
	if cmd.Class != HazardNone && !c.HealthAndSafety {
		next.HealthAndSafety = true
		next.SafetyAcknowledgedBy, next.SafetyAcknowledgedAt = "", time.Time{}
		cmd.Flagged = true
	}
	// The event records the awareness chosen, so that a replay never
	// depends on the default.
	cmd.AwareAt = &aware
	d.recorded = cmd
	return hazardClocks(next, env)
}

func (cmd RecordHazardStep) decide(d *decision) error {
	next, at, env, fe := d.next, d.at, d.env, d.fe
	if !slices.Contains(HazardStepNames, cmd.Step) {
		fe.add("step", "must be one of %s", strings.Join(HazardStepNames, ", "))
	}
	checkText(fe, "findings", cmd.Findings, maxText, cmd.Step == StepInvestigated)
	checkText(fe, "note", cmd.Note, maxText, cmd.Step == StepPreventativeNotPracticable)
	if err := fe.err(); err != nil {
		return err
	}
	h := next.Hazard
	if h == nil || h.Class == HazardNone {
		return Errorf(Conflict, "the case has no hazard: classify it first")
	}
	done := func(t time.Time, what string) error {
		if !t.IsZero() {
			return Errorf(Conflict, "%s was already recorded on %s", what, t.In(calendar.London).Format("2 January 2006 at 15:04"))
		}
		return nil
	}
	var err error
	switch cmd.Step {
	case StepInvestigated:
		if err = done(h.InvestigatedAt, "the investigation"); err == nil {
			h.InvestigatedAt, h.Findings = at, strings.TrimSpace(cmd.Findings)
		}
	case StepSummarySent:
		switch {
		case h.Class != HazardSignificant:
			err = Errorf(Conflict, "a written summary is the significant hazard's step; an emergency is made safe")
		case h.InvestigatedAt.IsZero():
			err = Errorf(Conflict, "the summary is of the investigation's findings: record the investigation first")
		default:
			if err = done(h.SummarySentAt, "the written summary"); err == nil {
				h.SummarySentAt = at
			}
		}
	case StepMadeSafe:
		if err = done(h.MadeSafeAt, "making it safe"); err == nil {
			h.MadeSafeAt = at
		}
	case StepPreventativeBegun, StepPreventativeNotPracticable:
		switch {
		case h.Class != HazardSignificant:
			err = Errorf(Conflict, "further preventative works are a significant hazard's step")
		case h.InvestigatedAt.IsZero():
			err = Errorf(Conflict, "further works follow the investigation: record the investigation first")
		case cmd.Step == StepPreventativeBegun:
			if err = done(h.PreventativeAt, "beginning the further works"); err == nil {
				h.PreventativeAt = at
			}
		case h.NotPracticable != "":
			err = Errorf(Conflict, "it is already recorded that the further works could not begin in the short time")
		default:
			h.NotPracticable = strings.TrimSpace(cmd.Note)
		}
	}
	if err != nil {
		return err
	}
	return hazardClocks(next, env)
}

func (cmd RecordAccommodation) decide(d *decision) error {
	next, at, env, fe := d.next, d.at, d.env, d.fe
	if !slices.Contains(AccommodationStatuses, cmd.Status) {
		fe.add("status", "must be one of %s", strings.Join(AccommodationStatuses, ", "))
	}
	checkText(fe, "note", cmd.Note, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	h := next.Hazard
	if h == nil || h.Class == HazardNone {
		return Errorf(Conflict, "the case has no hazard: classify it first")
	}
	if cmd.Status != "offered" && !slices.ContainsFunc(h.Accommodation, func(a AccommodationStep) bool { return a.Status == "offered" }) {
		return Errorf(Conflict, "accommodation is %s once it has been offered: record the offer first", cmd.Status)
	}
	h.Accommodation = append(slices.Clone(h.Accommodation), AccommodationStep{Status: cmd.Status, At: at, By: env.Actor.Email, Note: strings.TrimSpace(cmd.Note)})
	return nil
}

// hazardClocks computes the hazard's clocks from the policy's times and
// the steps so far. A clock anchored on the investigation's end waits,
// with no due time, until it has ended.
func hazardClocks(c *Case, env Env) error {
	h := c.Hazard
	if h == nil {
		return nil
	}
	h.Clocks = nil
	if h.Class == HazardNone {
		return nil
	}
	rules := env.Policy.HazardRules()
	var err error
	add := func(code, name string, from time.Time, d calendar.Duration, met time.Time) {
		if err != nil || from.IsZero() {
			return
		}
		var dl calendar.Deadline
		if dl, err = env.Calendar.Due(from, d); err != nil {
			err = Errorf(Unavailable, "%v", err)
			return
		}
		k := HazardClock{Code: code, Name: name, DueDate: dl.Date, MetAt: met}
		if d.Unit == calendar.Hours {
			k.Due, k.Hours = dl.At, true
		} else {
			k.Due = dl.Date.AddDays(1).Start().Add(-time.Nanosecond)
		}
		h.Clocks = append(h.Clocks, k)
	}
	days := func(n int) calendar.Duration { return calendar.Duration{N: n, Unit: calendar.WorkingDays} }
	switch h.Class {
	case HazardEmergency:
		in := calendar.Duration{N: rules.Emergency.MakeSafeHours, Unit: calendar.Hours}
		add("investigate", fmt.Sprintf("Investigate within %s", in), h.AwareAt, in, h.InvestigatedAt)
		add("make_safe", fmt.Sprintf("Make safe within %s", in), h.AwareAt, in, h.MadeSafeAt)
	case HazardSignificant:
		s := rules.Significant
		add("investigate", fmt.Sprintf("Investigate within %s of becoming aware", days(s.InvestigateWorkingDays)), h.AwareAt, days(s.InvestigateWorkingDays), h.InvestigatedAt)
		add("summary", fmt.Sprintf("Written summary within %s of the investigation", days(s.SummaryWorkingDays)), h.InvestigatedAt, days(s.SummaryWorkingDays), h.SummarySentAt)
		add("safety_works", fmt.Sprintf("Safety work within %s of the investigation", days(s.SafetyWorksWorkingDays)), h.InvestigatedAt, days(s.SafetyWorksWorkingDays), h.MadeSafeAt)
		if h.NotPracticable == "" {
			add("preventative_works", fmt.Sprintf("Begin further works within %s of the investigation", days(s.PreventativeBeginWorkingDays)), h.InvestigatedAt, days(s.PreventativeBeginWorkingDays), h.PreventativeAt)
		} else {
			weeks := calendar.Duration{N: 7 * s.PreventativeLatestWeeks, Unit: calendar.CalendarDays}
			add("preventative_works", fmt.Sprintf("Begin further works as soon as practicable, within %d weeks of the investigation", s.PreventativeLatestWeeks), h.InvestigatedAt, weeks, h.PreventativeAt)
		}
	}
	return err
}

// cloneHazard returns a deep copy of h.
func cloneHazard(h *Hazard) *Hazard {
	if h == nil {
		return nil
	}
	n := *h
	n.Accommodation = slices.Clone(h.Accommodation)
	n.Clocks = slices.Clone(h.Clocks)
	return &n
}
