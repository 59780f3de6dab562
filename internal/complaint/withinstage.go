package complaint

import (
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// What happens within a stage besides its steps: the review of the
// stage's findings before its response goes (002 §2.3), and mediation
// (003). Neither stops or moves the stage's clock: the Code has
// extensions, not paused clocks, and the documents say so themselves
// ("this must not delay the Stage 1 outcome letter").

// The results of a review of a stage's findings.
const (
	SignOffAgreed       = "agreed"
	SignOffChangesAsked = "changes_asked"
)

// SignOffResults lists the results a review may record, for forms and
// errors.
var SignOffResults = []string{SignOffAgreed, SignOffChangesAsked}

// SignOff is the review of a stage's findings before its response letter
// goes, as the policy asks (policy.SignOff): who reviewed them, in what
// role, when, with what result and comments; or, where the review has not
// happened, why the letter went without it. The response stays the
// officer's own and impartial (002 §2.3): the review informs it, and a
// review asking for changes does not stop the letter.
type SignOff struct {
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
	// RecordedBy is the user who recorded the review, usually the
	// officer who discussed the findings; Reviewer is who reviewed them.
	RecordedBy   string `json:"recorded_by,omitempty"`
	Reviewer     string `json:"reviewer,omitempty"`
	ReviewerRole string `json:"reviewer_role,omitempty"`
	Result       string `json:"result,omitempty"`
	Comments     string `json:"comments,omitempty"`
	// WaivedAt, WaivedBy and WaiveReason record that the response letter
	// may go without the review, and why.
	WaivedAt    time.Time `json:"waived_at,omitzero"`
	WaivedBy    string    `json:"waived_by,omitempty"`
	WaiveReason string    `json:"waive_reason,omitempty"`
}

// Done reports whether the review was recorded or the letter allowed to
// go without it.
func (s SignOff) Done() bool { return !s.ReviewedAt.IsZero() || !s.WaivedAt.IsZero() }

// RecordSignOff records that the stage's findings were reviewed before
// its response letter, as the policy asks: Greatwell Homes' complaints
// officer "will discuss their findings ... with the relevant Service
// Manager before the Stage 1 outcome letter is issued" (002 §2.3). The
// review is of the findings, so the decisions must be recorded first, and
// it comes before the response letter. It may be recorded again (a
// second discussion after changes were asked); the events keep each.
type RecordSignOff struct {
	// Reviewer is who reviewed the findings: a name or an email, since
	// the Service Manager need not be a user of Redress.
	Reviewer string `json:"reviewer"`
	// ReviewerRole defaults to the policy's by_role.
	ReviewerRole string `json:"reviewer_role,omitempty"`
	// Result is agreed or changes_asked; comments are required with
	// changes_asked, so the record says what was asked.
	Result   string `json:"result"`
	Comments string `json:"comments,omitempty"`
}

func (RecordSignOff) event() EventKind { return EventSignOffRecorded }

func (cmd RecordSignOff) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	st := d.stage()
	if err := signOffApplies(c, env); err != nil {
		return err
	}
	checkLine(fe, "reviewer", cmd.Reviewer, maxShort, true)
	checkLine(fe, "reviewer_role", cmd.ReviewerRole, maxShort, false)
	if cmd.Result != SignOffAgreed && cmd.Result != SignOffChangesAsked {
		fe.add("result", "must be agreed or changes_asked")
	}
	checkText(fe, "comments", cmd.Comments, maxText, cmd.Result == SignOffChangesAsked)
	if !env.Replay && strings.EqualFold(strings.TrimSpace(cmd.Reviewer), env.Actor.Email) {
		fe.add("reviewer", "is you: the findings are reviewed by the %s, not by the officer who made them (002 §2.3)", SignOffRole(env.Policy))
	}
	if err := fe.err(); err != nil {
		return err
	}
	if c.Status != StatusAcknowledged {
		return Errorf(Conflict, "the complaint is %s: the review comes before stage %d's response letter is issued", c.Status, c.Stage)
	}
	if len(st.Decisions) == 0 {
		return Errorf(Conflict, "stage %d has no decisions yet: the review is of the findings, so record the decisions first", c.Stage)
	}
	cmd.Reviewer = strings.TrimSpace(cmd.Reviewer)
	cmd.ReviewerRole = strings.TrimSpace(cmd.ReviewerRole)
	if cmd.ReviewerRole == "" {
		cmd.ReviewerRole = SignOffRole(env.Policy)
	}
	cmd.Comments = strings.TrimSpace(cmd.Comments)
	d.recorded = cmd
	waived := st.SignOff
	st.SignOff = SignOff{ReviewedAt: d.at, RecordedBy: env.Actor.Email, Reviewer: cmd.Reviewer, ReviewerRole: cmd.ReviewerRole,
		Result: cmd.Result, Comments: cmd.Comments, WaivedAt: waived.WaivedAt, WaivedBy: waived.WaivedBy, WaiveReason: waived.WaiveReason}
	involve(st, env.Actor.Email)
	return nil
}

// WaiveSignOff records why the stage's response letter goes without the
// review of its findings. The document that asks for the review also says
// it "must not delay the Stage 1 outcome letter" (002 §2.3), so the
// review is never a reason to hold the letter past its due date: where it
// has not happened, the officer says why and sends the letter. The
// deadline does not move.
type WaiveSignOff struct {
	Reason string `json:"reason"`
}

func (WaiveSignOff) event() EventKind { return EventSignOffWaived }

func (cmd WaiveSignOff) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	st := d.stage()
	if err := signOffApplies(c, env); err != nil {
		return err
	}
	checkText(fe, "reason", cmd.Reason, maxText, true)
	if err := fe.err(); err != nil {
		return err
	}
	if c.Status != StatusAcknowledged {
		return Errorf(Conflict, "the complaint is %s: there is no response letter waiting for the review", c.Status)
	}
	if !st.SignOff.ReviewedAt.IsZero() {
		return Errorf(Conflict, "the findings were reviewed on %s: the response letter may go", st.SignOff.ReviewedAt.In(calendar.London).Format("2 January 2006"))
	}
	if !st.SignOff.WaivedAt.IsZero() {
		return Errorf(Conflict, "%s already recorded on %s why the response letter goes without the review", st.SignOff.WaivedBy, st.SignOff.WaivedAt.In(calendar.London).Format("2 January 2006"))
	}
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	d.recorded = cmd
	st.SignOff.WaivedAt, st.SignOff.WaivedBy, st.SignOff.WaiveReason = d.at, env.Actor.Email, cmd.Reason
	involve(st, env.Actor.Email)
	return nil
}

// signOffApplies refuses a review where there is nothing for it to
// review: not a complaint, or a stage the policy asks no review of. A
// review recorded while the policy asked for one replays after the
// policy stops asking.
func signOffApplies(c *Case, env Env) error {
	if c.Kind != KindComplaint || c.Current() == nil {
		return Errorf(Conflict, "the case is a %s: only a complaint's findings are reviewed", c.Kind)
	}
	if !env.Replay && !env.Policy.SignOff.ReviewBefore(c.Stage) {
		return Errorf(Conflict, "the policy asks for no review of stage %d's findings before its response", c.Stage)
	}
	return nil
}

// SignOffRole is who reviews the findings under the policy: its
// sign_off.by_role, else "reviewer".
func SignOffRole(p *policy.Policy) string {
	if r := strings.TrimSpace(p.SignOff.ByRole); r != "" {
		return r
	}
	return "reviewer"
}

// reviewedOrWaived refuses the stage's response letter while the policy
// asks for a review of the findings and neither the review nor the
// reason to go without it is recorded. The letter is never held for the
// review: the officer may record why it goes without one at any time. A
// letter issued before the policy asked for reviews replays.
func reviewedOrWaived(c *Case, env Env) error {
	st := c.Current()
	if env.Replay || st == nil || !env.Policy.SignOff.ReviewBefore(c.Stage) || st.SignOff.Done() {
		return nil
	}
	return Errorf(Conflict, "the %s has not reviewed stage %d's findings (the policy, 002 §2.3): record the review, or, because the review must not delay the letter (due %s), record why it goes without it", SignOffRole(env.Policy), c.Stage, st.RespondBy.Start().Format("2 January 2006"))
}

// AwaitingSignOff reports whether the current stage's response is decided
// and waiting for the review of its findings: the decisions are recorded,
// the letter not yet issued, and neither the review nor a reason to go
// without it recorded. The case page warns when the response is due soon.
func AwaitingSignOff(c Case, p *policy.Policy) bool {
	st := c.Current()
	return c.Kind == KindComplaint && st != nil && c.Status == StatusAcknowledged && len(st.Decisions) > 0 &&
		p.SignOff.ReviewBefore(c.Stage) && !st.SignOff.Done()
}

// The steps of mediation within a stage.
const (
	MediationOffered  = "offered"
	MediationAccepted = "accepted"
	MediationDeclined = "declined"
	MediationOutcome  = "outcome"
)

// MediationSteps lists the steps in their order, for forms and errors.
var MediationSteps = []string{MediationOffered, MediationAccepted, MediationDeclined, MediationOutcome}

// The outcomes of mediation.
const (
	MediationResolved    = "resolved"
	MediationNotResolved = "not_resolved"
)

// Mediation is mediation offered within a stage (003: "we will happily
// offer free mediation services to customers where appropriate"): who
// offered it and when, the resident's answer, and the outcome with a
// summary. It is a route within the stage, never a pause: the stage's
// deadlines run on whatever happens.
type Mediation struct {
	OfferedAt time.Time `json:"offered_at,omitzero"`
	OfferedBy string    `json:"offered_by,omitempty"`
	// Mediator is who will mediate, if known when it is offered.
	Mediator string `json:"mediator,omitempty"`
	// Answer is the resident's: accepted or declined.
	Answer     string    `json:"answer,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	// Outcome is resolved or not_resolved, with its summary.
	Outcome   string    `json:"outcome,omitempty"`
	OutcomeAt time.Time `json:"outcome_at,omitzero"`
	Summary   string    `json:"summary,omitempty"`
	// Notes are what was said with each step (why declined, say).
	Notes []string `json:"notes,omitempty"`
}

// RecordMediation records one step of mediation within the current
// stage: offered, then accepted or declined by the resident, then, if
// accepted, its outcome. Mediation is offered once a stage; it never
// moves a deadline.
type RecordMediation struct {
	Step string `json:"step"`
	// Mediator, with offered, is who will mediate (optional).
	Mediator string `json:"mediator,omitempty"`
	// Outcome, with outcome, is resolved or not_resolved.
	Outcome string `json:"outcome,omitempty"`
	// Summary is what happened: required with the outcome, optional
	// with the other steps (why the resident declined, say).
	Summary string `json:"summary,omitempty"`
}

func (RecordMediation) event() EventKind { return EventMediationRecorded }

func (cmd RecordMediation) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	st := d.stage()
	if c.Kind != KindComplaint || st == nil {
		return Errorf(Conflict, "the case is a %s: mediation is offered within a complaint's stage", c.Kind)
	}
	if !env.Policy.Mediation.Offered && !env.Replay {
		return Errorf(Conflict, "the policy does not offer mediation")
	}
	switch cmd.Step {
	case MediationOffered, MediationAccepted, MediationDeclined:
		if cmd.Outcome != "" {
			fe.add("outcome", "is given only with the outcome step")
		}
	case MediationOutcome:
		if cmd.Outcome != MediationResolved && cmd.Outcome != MediationNotResolved {
			fe.add("outcome", "must be resolved or not_resolved")
		}
	default:
		fe.add("step", "must be offered, accepted, declined or outcome")
	}
	if cmd.Mediator != "" && cmd.Step != MediationOffered {
		fe.add("mediator", "is given only when mediation is offered")
	}
	checkLine(fe, "mediator", cmd.Mediator, maxShort, false)
	checkText(fe, "summary", cmd.Summary, maxText, cmd.Step == MediationOutcome)
	if err := fe.err(); err != nil {
		return err
	}
	if !c.Status.Open() {
		return Errorf(Conflict, "the complaint is %s", c.Status)
	}
	m := &st.Mediation
	stamp := d.at.In(calendar.London).Format("2 January 2006")
	switch cmd.Step {
	case MediationOffered:
		if !m.OfferedAt.IsZero() {
			return Errorf(Conflict, "mediation was offered at stage %d on %s; it is offered once a stage", c.Stage, m.OfferedAt.In(calendar.London).Format("2 January 2006"))
		}
		m.OfferedAt, m.OfferedBy, m.Mediator = d.at, env.Actor.Email, strings.TrimSpace(cmd.Mediator)
	case MediationAccepted, MediationDeclined:
		switch {
		case m.OfferedAt.IsZero():
			return Errorf(Conflict, "mediation has not been offered at stage %d: record the offer first", c.Stage)
		case m.Answer != "":
			return Errorf(Conflict, "the resident already %s mediation", m.Answer)
		}
		m.Answer, m.AnsweredAt = cmd.Step, d.at
	case MediationOutcome:
		switch {
		case m.Answer != MediationAccepted:
			return Errorf(Conflict, "mediation has no outcome until the resident has accepted it")
		case m.Outcome != "":
			return Errorf(Conflict, "the mediation's outcome was recorded: %s", strings.ReplaceAll(m.Outcome, "_", " "))
		}
		m.Outcome, m.OutcomeAt, m.Summary = cmd.Outcome, d.at, strings.TrimSpace(cmd.Summary)
	}
	if s := strings.TrimSpace(cmd.Summary); s != "" && cmd.Step != MediationOutcome {
		// Clipped, so that the append never writes into the array the
		// case before the command shares (clone copies the stage, not
		// its mediation's notes).
		m.Notes = append(slices.Clip(m.Notes), stamp+", "+cmd.Step+": "+s)
	}
	return nil
}
