package complaint

import (
	"errors"
	"fmt"
	"net/mail"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// Actor is the person giving a command.
type Actor struct {
	Email string
	Role  string
}

// Env is everything a rule may depend on besides the case and the
// command. Now is the real time; At is when the caller says the thing
// happened (zero means now), which may be in the past for something done
// on paper, never in the future.
type Env struct {
	Now      time.Time
	At       time.Time
	Actor    Actor
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	// NewReference allocates the next reference for a year. Storage
	// supplies it, inside the transaction that saves the case, so that a
	// failed command never uses up a number.
	NewReference func(year int) (string, error)
	// Replay is set when storage rebuilds a case from its recorded
	// events to check the stored case against them. Each event was
	// accepted under the rules of its day, and the rules about what
	// people may type have since been tightened: the characters free
	// text may hold, one-line identifiers, identifiers that only look
	// blank, a handler trimmed, how far ahead a remedy may fall due. An
	// event recorded before then must replay to the case it made, not be
	// reported as tampering, so a replay applies only the input rules of
	// the first release. The rules of the lifecycle and the Code apply
	// in full.
	Replay bool
	// RestrictionInForce describes the restriction of the complainant's
	// contact in force now ("" if none), which case work looks up in the
	// register: the policy's restricted-contact exclusion applies only
	// while one is (002 §2.7; refuse_restricted.go).
	RestrictionInForce string
}

// Command is something a person asks to happen to a case. Each command
// carries its own rules, beside its type, so that Decide need not know
// one command from another: a new command is its type with these two
// methods, and its event kind in event.go (EventKinds, and the list
// DecodeCommand replays from).
type Command interface {
	// event names the event the command records.
	event() EventKind
	// decide checks the command against d.before and applies it to
	// d.next. It returns an *Error saying why the command may not
	// happen; d.next is then thrown away.
	decide(d *decision) error
}

// decision is what a command's rules work on: the case as it was, the
// copy being changed, and what the rules may depend on. It is built once
// by Decide, so that a command's rule holds only what is particular to
// that command.
type decision struct {
	// before is the case as given to Decide; it is never changed.
	before Case
	// next is a deep copy of before, changed by the rule.
	next *Case
	env  Env
	// at is when the command happened (see when).
	at time.Time
	// fe collects the invalid fields, so that the caller hears of every
	// problem at once.
	fe fieldErrors
	// recorded is the command as its event keeps it: a rule that fills
	// in a default records the value it chose, so that replaying the
	// event never depends on when it is replayed. Decide sets it to the
	// command as given.
	recorded Command
}

// stage returns the current stage of the case being changed, or nil for a
// contact with no stages. It is looked up each time because a rule may
// add a stage or replace the case whole.
func (d *decision) stage() *Stage { return d.next.Current() }

// deadlines recomputes the current stage's due dates: only a change to a
// stage's timeline calls it, so a note or an assignment never moves a
// deadline, even if the policy in force has changed since.
func (d *decision) deadlines() error { return deadlines(d.next, d.env) }

// Length limits on free text, so one field cannot fill the database.
const (
	maxShort = 200
	maxText  = 20000
	maxList  = 50
)

// Decide applies cmd to c and returns the new case and the event that
// records it, or an *Error saying why the command may not happen. c is not
// changed. The caller saves both in one transaction.
func Decide(c Case, cmd Command, env Env) (Case, Event, error) {
	at, err := when(&c, env)
	if err != nil {
		return fail(err)
	}
	// Commands are values: storage decodes them so, and an event must
	// record the command itself, not a pointer the caller still holds.
	if k := reflect.ValueOf(cmd).Kind(); k == reflect.Invalid || k == reflect.Pointer {
		return fail(Errorf(Internal, "unknown command %T", cmd))
	}
	next := clone(c)
	d := &decision{before: c, next: &next, env: env, at: at, fe: newFieldErrors(env), recorded: cmd}
	if err := cmd.decide(d); err != nil {
		return fail(err)
	}
	next.LastEventAt = at
	return next, Event{Kind: cmd.event(), Actor: env.Actor.Email, At: at, RecordedAt: env.Now, Data: d.recorded}, nil
}

func fail(err error) (Case, Event, error) { return Case{}, Event{}, err }

// when returns when the command happened: env.At, or now. It may not be
// in the future, nor before the case's latest event, so the record reads
// in the order things happened.
func when(c *Case, env Env) (time.Time, error) {
	at := env.At
	if at.IsZero() {
		at = env.Now
	}
	if at.After(env.Now) {
		return time.Time{}, InvalidField("at", "is in the future")
	}
	if at.Year() < 2000 {
		return time.Time{}, InvalidField("at", "is before the year 2000")
	}
	if at.Before(c.LastEventAt) {
		return time.Time{}, InvalidField("at", "is before the case's latest event at %s", c.LastEventAt.Format(time.RFC3339))
	}
	return at, nil
}

// ActedOnStage1 reports whether email acted on stage 1 of the complaint:
// handled it, acknowledged it, extended it, recorded its decisions or
// issued a letter while it was at stage 1. The Code (6.13) requires
// stage 2 to be handled by someone not involved at stage 1.
func (c *Case) ActedOnStage1(email string) bool {
	if len(c.Stages) == 0 || email == "" {
		return false
	}
	st := &c.Stages[0]
	same := func(s string) bool { return strings.EqualFold(s, email) }
	return slices.ContainsFunc(st.Handlers, same) || slices.ContainsFunc(st.Involved, same)
}

// notInvolvedAtStage1 refuses a stage 2 step by someone who acted on
// stage 1 (Code 6.13). Notes stay open to everyone who may see the case.
// An event recorded before the rule covered everyone who acted on stage
// 1 was accepted under the rule of its day, and replays.
func notInvolvedAtStage1(c *Case, env Env, verb string) error {
	if c.Stage == 2 && !env.Replay && c.ActedOnStage1(env.Actor.Email) {
		return Errorf(Conflict, "%s acted on this complaint at stage 1, so may not %s at stage 2: the Code (6.13) requires someone not involved at stage 1", env.Actor.Email, verb)
	}
	return nil
}

// handledStage1 reports whether email was one of stage 1's handlers,
// the rule before everyone who acted on stage 1 counted.
func handledStage1(c *Case, email string) bool {
	return len(c.Stages) > 0 && email != "" && slices.Contains(c.Stages[0].Handlers, email)
}

// involve records that email acted on the stage.
func involve(st *Stage, email string) {
	if st != nil && email != "" && !slices.Contains(st.Involved, email) {
		st.Involved = append(st.Involved, email)
	}
}

// takeOn makes email the case's handler and records them on the stage.
func takeOn(c *Case, email string) {
	c.Handler = email
	if st := c.Current(); st != nil && !slices.Contains(st.Handlers, email) {
		st.Handlers = append(st.Handlers, email)
	}
}

func requireStatus(c *Case, verb string, allowed ...Status) error {
	if slices.Contains(allowed, c.Status) {
		return nil
	}
	return Errorf(Conflict, "cannot %s a case that is %s", verb, c.Status)
}

// deadlines recomputes the current stage's due dates from its timeline.
func deadlines(c *Case, env Env) error {
	st := c.Current()
	if st == nil {
		return nil
	}
	dl, err := env.Policy.Deadlines(env.Calendar, st.Stage, policy.Timeline{
		Received: st.ReceivedAt, Acknowledged: st.AcknowledgedAt, Responded: st.RespondedAt,
		ExtensionDays: st.ExtensionDays(),
	})
	if err != nil {
		var nc *calendar.NotCoveredError
		if errors.As(err, &nc) {
			return Errorf(Unavailable, "%v", err)
		}
		return err
	}
	st.AcknowledgeBy = dl.AcknowledgeBy.Date
	st.RespondBy = dl.RespondBy.Date
	if a := st.AgreedRespondBy; !a.IsZero() {
		if a.After(dl.RespondByOriginal.Date) {
			return InvalidField("respond_by", "%s is later than the policy's response date %s: a later date is an extension, given with its reasons", a, dl.RespondByOriginal.Date)
		}
		if st.RespondBy, err = env.Calendar.AddWorkingDays(a, st.ExtensionDays()); err != nil {
			return Errorf(Unavailable, "%v", err)
		}
	}
	st.EscalateBy = dl.EscalateBy.Date

	// The same stage measured against the Code, for the reports.
	code := policy.Code()
	cdl, err := code.Deadlines(env.Calendar, st.Stage, policy.Timeline{
		Received: st.ReceivedAt, Acknowledged: st.AcknowledgedAt, Responded: st.RespondedAt,
		ExtensionDays: codeExtensionDays(st),
		// Code 6.2 with 6.3, 6.11 with 6.14: a late acknowledgement buys
		// no time under the Code.
		AcknowledgedNoLaterThanDue: true,
	})
	if err != nil {
		return Errorf(Unavailable, "%v", err)
	}
	st.CodeRespondBy = cdl.RespondBy.Date
	received := calendar.DateOf(st.ReceivedAt)
	if !st.AcknowledgedAt.IsZero() {
		st.AcknowledgeWorkingDays, _ = env.Calendar.WorkingDaysBetween(received, calendar.DateOf(st.AcknowledgedAt))
	}
	if !st.RespondedAt.IsZero() {
		st.RespondWorkingDays, _ = env.Calendar.WorkingDaysBetween(received, calendar.DateOf(st.RespondedAt))
	}
	var due []Milestone
	for _, m := range dl.Milestones {
		due = append(due, Milestone{Code: m.Code, Name: m.Name, Due: m.Due.Date})
	}
	st.Milestones = milestones(st.Milestones, due)
	if n := len(st.Extensions); n > 0 && st.Extensions[n-1].NewRespondBy.IsZero() {
		st.Extensions[n-1].NewRespondBy = dl.RespondBy.Date
	}
	return nil
}

func checkList(fe fieldErrors, field string, items []string, required bool) {
	if required && len(items) == 0 {
		fe.add(field, "needs at least one entry")
	}
	if len(items) > maxList {
		fe.add(field, "has more than %d entries", maxList)
	}
	for i, s := range items {
		checkText(fe, fmt.Sprintf("%s[%d]", field, i), s, maxText, true)
	}
}

func trimAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// clone returns a deep copy of c, so Decide never changes its argument.
func clone(c Case) Case {
	n := c
	n.Categories = slices.Clone(c.Categories)
	n.Adjustments = slices.Clone(c.Adjustments)
	n.Vulnerabilities = slices.Clone(c.Vulnerabilities)
	n.Links = slices.Clone(c.Links)
	n.Remedies = slices.Clone(c.Remedies)
	n.GroupCopies = slices.Clone(c.GroupCopies)
	if c.Representative != nil {
		r := *c.Representative
		n.Representative = &r
	}
	if c.Group != nil {
		g := *c.Group
		n.Group = &g
	}
	n.Hazard = cloneHazard(c.Hazard)
	n.Ombudsman = cloneOmbudsman(c.Ombudsman)
	if c.Member != nil {
		m := *c.Member
		n.Member = &m
	}
	n.Stages = make([]Stage, len(c.Stages))
	for i, st := range c.Stages {
		st.Extensions = slices.Clone(st.Extensions)
		st.Handlers = slices.Clone(st.Handlers)
		st.Points = slices.Clone(st.Points)
		st.Involved = slices.Clone(st.Involved)
		st.Milestones = slices.Clone(st.Milestones)
		st.OutcomesSought = slices.Clone(st.OutcomesSought)
		st.Withdrawn = slices.Clone(st.Withdrawn)
		st.Decisions = slices.Clone(st.Decisions)
		n.Stages[i] = st
	}
	return n
}

// ValidEmail reports whether s is a plain email address, such as
// jo@example.org: no display name, no spaces, and a dot in the domain, so
// that a reply can reach it.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
