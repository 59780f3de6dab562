// Package restriction is the register of people whose contact with the
// landlord is managed because of unacceptable, unreasonably persistent or
// vexatious behaviour (Greatwell Homes, 002 §2.7; Peabody's 2018 policy,
// 003 §7 and §10). It holds the lifecycle of one restriction: the warning
// (the person is told the landlord is considering it, with the behaviour
// of concern, an action plan and a chance to change), the decision by a
// head of service or operational manager with reasons and the reasonable
// adjustments considered, the restricted contact arrangements, reviews on
// a set date, and lifting.
//
// Like package complaint it is pure: a restriction, a command and an Env
// (time, actor, policy) give the next restriction and the event that
// records it, or an error. A restriction limits how contact happens,
// never whether a new complaint is logged and assessed on its merits, so
// nothing here is consulted when a case is created.
package restriction

import (
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// Status is where a restriction is in its lifecycle.
type Status string

// The statuses. A warning is not yet a restriction: contact goes on as
// usual while the person has the chance to change (002 §2.7).
const (
	Warned  Status = "warned"
	InForce Status = "in_force"
	Lifted  Status = "lifted"
)

// Statuses lists every status, for filters.
var Statuses = []Status{Warned, InForce, Lifted}

// Channels a restriction may leave open.
var Channels = []string{"email", "letter", "phone", "in_person", "online_form"}

// Restriction is one entry in the register: one person, the case their
// behaviour arose on, and what has been decided.
type Restriction struct {
	ID      int64  `json:"id"`
	Version int    `json:"version"`
	Status  Status `json:"status"`
	// PersonKey is complaint.Person.Key() of the person: every case
	// whose complainant has the same key shows the restriction.
	PersonKey  string `json:"person_key"`
	PersonName string `json:"person_name"`
	// CaseRef is the case the restriction arose from; its letters are
	// filed there.
	CaseRef string `json:"case_ref"`

	Warning      *Warning      `json:"warning,omitempty"`
	Decision     *Decision     `json:"decision,omitempty"`
	Arrangements *Arrangements `json:"arrangements,omitempty"`
	// ReviewDue is when the restriction in force must next be reviewed.
	ReviewDue calendar.Date `json:"review_due,omitzero"`
	// DecidedBy is who made the decision (or the latest review): the
	// person reminded before the review.
	DecidedBy string   `json:"decided_by,omitempty"`
	Reviews   []Review `json:"reviews,omitempty"`
	Lift      *Lift    `json:"lift,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Warning is the first stage: 002 §2.7 "We will advise any customer where
// we are considering this categorisation, providing them with an
// opportunity to address their behaviour and an action plan".
type Warning struct {
	At         time.Time `json:"at"`
	By         string    `json:"by"`
	Behaviour  string    `json:"behaviour"`
	ActionPlan string    `json:"action_plan"`
}

// Decision records a restriction put in force: by whom, why, and which
// reasonable adjustments were considered (002 §2.7 "made sensitively
// taking account of customer needs, including if we have applied our
// reasonable adjustment principles").
type Decision struct {
	At                    time.Time `json:"at"`
	By                    string    `json:"by"`
	Reasons               string    `json:"reasons"`
	AdjustmentsConsidered string    `json:"adjustments_considered"`
	// WithoutWarning says why no warning came first (such as threats to
	// staff); empty where one did.
	WithoutWarning string `json:"without_warning,omitempty"`
}

// Arrangements are the restricted contact arrangements the decision
// letter details (002 §2.7): one named contact, the channels left open,
// set times, and anything else.
type Arrangements struct {
	NamedContact string   `json:"named_contact"`
	Channels     []string `json:"channels"`
	Times        string   `json:"times,omitempty"`
	Other        string   `json:"other,omitempty"`
}

// Outcome is what a review decides.
type Outcome string

// The outcomes of a review.
const (
	Continue Outcome = "continue"
	Vary     Outcome = "vary"
	LiftIt   Outcome = "lift"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{Continue, Vary, LiftIt}

// Review records one review of a restriction in force.
type Review struct {
	At         time.Time     `json:"at"`
	By         string        `json:"by"`
	Outcome    Outcome       `json:"outcome"`
	Reasons    string        `json:"reasons"`
	NextReview calendar.Date `json:"next_review,omitzero"`
	// Arrangements are the new arrangements of a review that varies them.
	Arrangements *Arrangements `json:"arrangements,omitempty"`
}

// Lift records a restriction (or a warning) ended.
type Lift struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Reasons string    `json:"reasons"`
}

// Active reports whether the restriction is a warning or in force: both
// are shown on every case of the person.
func (r Restriction) Active() bool { return r.Status == Warned || r.Status == InForce }

// ReminderDue reports whether the review of a restriction in force is
// within remindDays of today or past: the decision-maker is reminded.
func (r Restriction) ReminderDue(today calendar.Date, remindDays int) bool {
	return r.Status == InForce && !r.ReviewDue.IsZero() && !r.ReviewDue.After(today.AddDays(remindDays))
}

// Env is everything a rule may depend on besides the restriction and the
// command.
type Env struct {
	Now    time.Time
	Actor  complaint.Actor
	Policy *policy.Policy
}

// EventKind names what happened to a restriction.
type EventKind string

// The event kinds, one per command.
const (
	EventWarned   EventKind = "restriction_warned"
	EventDecided  EventKind = "restriction_decided"
	EventReviewed EventKind = "restriction_reviewed"
	EventLifted   EventKind = "restriction_lifted"
)

// EventKinds lists every event kind.
var EventKinds = []EventKind{EventWarned, EventDecided, EventReviewed, EventLifted}

// Event is the audited record of one command: who, when, and what.
type Event struct {
	Seq        int       `json:"seq"`
	Kind       EventKind `json:"kind"`
	Actor      string    `json:"actor"`
	At         time.Time `json:"at"`
	Data       Command   `json:"data"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Command is something a person asks to happen to a restriction.
type Command interface {
	event() EventKind
	decide(r *Restriction, env Env, fe fields) error
}

// Subject names who a new restriction is about, taken from the case it
// arose from rather than typed, so that it matches that person's other
// cases.
type Subject struct {
	PersonKey  string
	PersonName string
	CaseRef    string
}

// Start begins a restriction about s with cmd, which must be a Warn or a
// Decide.
func Start(s Subject, cmd Command, env Env) (Restriction, Event, error) {
	switch cmd.(type) {
	case Warn, Decide:
	default:
		return Restriction{}, Event{}, complaint.Errorf(complaint.Conflict, "a restriction starts with a warning or a decision")
	}
	if s.PersonKey == "" {
		return Restriction{}, Event{}, complaint.ConflictField("case_ref", "the case's complainant cannot be identified",
			"the complainant of %s has no email, tenancy reference or phone number to recognise them by on other cases: add one first", s.CaseRef)
	}
	r := Restriction{PersonKey: s.PersonKey, PersonName: s.PersonName, CaseRef: s.CaseRef, CreatedAt: env.Now}
	return Apply(r, cmd, env)
}

// Apply applies cmd to r and returns the new restriction and the event
// that records it, or a *complaint.Error saying why it may not happen. r
// is not changed.
func Apply(r Restriction, cmd Command, env Env) (Restriction, Event, error) {
	if !mayAct(env.Actor.Role) {
		return Restriction{}, Event{}, complaint.Errorf(complaint.Forbidden, "your role may not change the restrictions register")
	}
	next := clone(r)
	fe := fields{}
	if err := cmd.decide(&next, env, fe); err != nil {
		return Restriction{}, Event{}, err
	}
	if err := fe.err(); err != nil {
		return Restriction{}, Event{}, err
	}
	next.UpdatedAt = env.Now
	return next, Event{Kind: cmd.event(), Actor: env.Actor.Email, At: env.Now, RecordedAt: env.Now, Data: cmd}, nil
}

func mayAct(role string) bool { return role != "" && role != "viewer" }

func clone(r Restriction) Restriction {
	n := r
	if r.Warning != nil {
		w := *r.Warning
		n.Warning = &w
	}
	if r.Decision != nil {
		d := *r.Decision
		n.Decision = &d
	}
	if r.Arrangements != nil {
		a := r.Arrangements.clone()
		n.Arrangements = &a
	}
	if r.Lift != nil {
		l := *r.Lift
		n.Lift = &l
	}
	n.Reviews = slices.Clone(r.Reviews)
	return n
}

func (a Arrangements) clone() Arrangements {
	a.Channels = slices.Clone(a.Channels)
	return a
}

// fields collects invalid fields so that the user hears of every problem
// at once.
type fields map[string]string

func (f fields) add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

func (f fields) text(field, s string, required, multiLine bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			f.add(field, "is required")
		}
	case len(s) > 20000:
		f.add(field, "is too long: at most 20,000 characters")
	default:
		if p := complaint.TextProblem(s, multiLine); p != "" {
			f.add(field, p)
		}
	}
}

func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return &complaint.Error{Code: complaint.Invalid, Message: "the request has invalid fields", Fields: f}
}

func requireDecider(env Env, what string) error {
	if !env.Policy.Restrictions.MayDecide(env.Actor.Role) {
		return complaint.Errorf(complaint.Forbidden, "only %s may %s a restriction: 002 §2.7 gives it to a head of service or operational manager",
			strings.Join(env.Policy.Restrictions.Deciders(), " or "), what)
	}
	return nil
}

// DefaultReview returns the review date a decision or review made at now
// takes unless one is given: the policy's review period later.
func DefaultReview(p *policy.Policy, now time.Time) calendar.Date {
	d := calendar.DateOf(now)
	months := p.Restrictions.ReviewPeriod()
	return calendar.NewDate(d.Year(), d.Month()+time.Month(months), d.Day())
}

func reviewDate(f fields, field string, d calendar.Date, env Env) calendar.Date {
	if d.IsZero() {
		return DefaultReview(env.Policy, env.Now)
	}
	today := calendar.DateOf(env.Now)
	if !d.After(today) {
		f.add(field, "must be after today: a review date is when the restriction is next looked at")
	} else if d.After(today.AddDays(366)) {
		f.add(field, "is more than a year away: a restriction must be reviewed at least yearly")
	}
	return d
}

func (a Arrangements) check(f fields, prefix string) Arrangements {
	f.text(prefix+"named_contact", a.NamedContact, true, false)
	if len(a.Channels) == 0 {
		f.add(prefix+"channels", "is required: choose at least one way the person may still make contact")
	}
	seen := map[string]bool{}
	for _, c := range a.Channels {
		if !slices.Contains(Channels, c) {
			f.add(prefix+"channels", "\""+c+"\" is not a channel: want one of "+strings.Join(Channels, ", "))
		} else if seen[c] {
			f.add(prefix+"channels", "\""+c+"\" is listed twice")
		}
		seen[c] = true
	}
	f.text(prefix+"times", a.Times, false, false)
	f.text(prefix+"other", a.Other, false, true)
	a.NamedContact = strings.TrimSpace(a.NamedContact)
	a.Times = strings.TrimSpace(a.Times)
	a.Other = strings.TrimSpace(a.Other)
	return a.clone()
}
