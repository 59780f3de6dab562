package complaint

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
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
}

// Command is something a person asks to happen to a case.
type Command interface {
	// event names the event the command records.
	event() EventKind
}

// Acknowledge records the complaint definition: the numbered points and
// the outcomes the resident wants.
type Acknowledge struct {
	Points         []string `json:"points"`
	OutcomesSought []string `json:"outcomes_sought"`
	// RespondBy is a response date agreed with the resident sooner than
	// the policy's (004, "Five steps": the date "may be agreed with the
	// customer"). It becomes the landlord's working deadline; the Code's
	// own deadline, which CH02 measures, is not moved by it. A later date
	// is an extension, with its reasons, not an agreement here.
	RespondBy string `json:"respond_by,omitempty"`
}

// Assign makes a user the handler. The caller resolves the user and
// passes their email and role.
type Assign struct {
	Handler     string `json:"handler"`
	HandlerRole string `json:"-"`
}

// Extend extends the current stage's response deadline.
type Extend struct {
	WorkingDays           int    `json:"working_days"`
	Reason                string `json:"reason"`
	AgreedWithResident    bool   `json:"agreed_with_resident"`
	OmbudsmanDetailsGiven bool   `json:"ombudsman_details_given"`
	// GoodReason is required when the stage's extensions would total more
	// than the Code's cap (Code 6.4, 6.15: no more than 10 (20) working
	// days "without good reason"). With it, the whole extension counts
	// towards the Code's deadline.
	GoodReason string `json:"good_reason,omitempty"`
}

// RemedyInput is a remedy as given in a response.
type RemedyInput struct {
	Kind        RemedyKind `json:"kind"`
	Description string     `json:"description"`
	AmountPence int64      `json:"amount_pence"`
	// CompensationKind says what compensation is for; see
	// CompensationKinds.
	CompensationKind string `json:"compensation_kind"`
	Owner            string `json:"owner"`
	Due              string `json:"due"`
}

// Respond records the decision on every point and the remedies: the
// response as drafted. A response is the written response, sent: the
// stage counts as responded only when its response letter is issued
// (RecordLetter of the stage's response kind), and until then the
// decisions may be recorded again, replacing the draft. Recording them
// neither stops the clock nor lets the case close (issue 12, rule 1).
type Respond struct {
	Decisions []Decision    `json:"decisions"`
	Remedies  []RemedyInput `json:"remedies"`
	// Learning is what the landlord learnt and will change, for the
	// learning log and the annual report's "you said, we did".
	Learning string `json:"learning"`
}

// LegacyRespond is a "responded" event recorded before a response had to
// be sent to count: recording the decisions then responded to the stage.
// Storage decodes such events into it to replay them; it is never given
// as a new command.
type LegacyRespond struct {
	Respond
}

// Escalate moves a stage 1 complaint to stage 2. Reason is optional, as
// the Code says; LateReason is required after the policy's window.
type Escalate struct {
	Reason     string `json:"reason"`
	LateReason string `json:"late_reason"`
}

// Close closes a case that has been responded to, or any other contact.
type Close struct{}

// Withdraw records that the resident withdrew.
type Withdraw struct {
	Reason string `json:"reason"`
}

// Refuse declines to take a complaint on one of the policy's exclusions.
type Refuse struct {
	Exclusion   string `json:"exclusion"`
	Explanation string `json:"explanation"`
}

// Convert turns another kind of contact into a stage 1 complaint, keeping
// its history. The complaint dates from when the resident expressed
// dissatisfaction (Code 1.5 and 2.1; 003 on unresolved concerns keeping
// their receipt date): by default the contact's receipt; an officer may
// give a later time, never one after the conversion. Its deadlines and
// the CH01 year follow that date. A service request is not converted: it
// keeps its own target and stays open, and a linked complaint is opened
// beside it (casework.Service.Convert does both).
type Convert struct {
	DissatisfiedAt time.Time `json:"dissatisfied_at,omitzero"`
}

// Note adds a note to the case record.
type Note struct {
	Text string `json:"text"`
}

// Link links another case, for recurring issues. The caller checks the
// other case exists and may be seen.
type Link struct {
	Reference string `json:"reference"`
}

// CompleteRemedy marks a remedy or action done. Actions stay open after a
// case closes until this is given.
type CompleteRemedy struct {
	ID   int    `json:"id"`
	Note string `json:"note"`
}

// RecordLetter records on the case a letter issued to the resident: its
// kind, how it went, and the SHA-256 of the exact bytes sent. The letter
// is stored beside the case; this event puts its hash on the audit
// chain, so a letter changed afterwards no longer matches its record.
type RecordLetter struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Channel string `json:"channel"` // email or print
	SHA256  string `json:"sha256"`
}

// AddInformation records information a resident (or someone for them)
// sends about a case after it was made: through the resident's pages, by
// email, or handed to staff. Files come with it as attachments, stored
// beside the case; the event names each with its SHA-256.
type AddInformation struct {
	// Source is how it came: portal, email or staff.
	Source string `json:"source"`
	// From is who sent it, as they gave it: a name or an email address.
	From        string          `json:"from"`
	Text        string          `json:"text"`
	Attachments []AttachmentRef `json:"attachments,omitempty"`
}

// AttachmentRef names a file stored with a case.
type AttachmentRef struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// InformationSources are where added information may come from.
var InformationSources = []string{"portal", "email", "staff"}

func (Acknowledge) event() EventKind    { return EventAcknowledged }
func (Assign) event() EventKind         { return EventAssigned }
func (Extend) event() EventKind         { return EventExtended }
func (Respond) event() EventKind        { return EventDecisionsRecorded }
func (LegacyRespond) event() EventKind  { return EventResponded }
func (Escalate) event() EventKind       { return EventEscalated }
func (Close) event() EventKind          { return EventClosed }
func (Withdraw) event() EventKind       { return EventWithdrawn }
func (Refuse) event() EventKind         { return EventRefused }
func (Convert) event() EventKind        { return EventConverted }
func (Note) event() EventKind           { return EventNoteAdded }
func (Link) event() EventKind           { return EventLinked }
func (CompleteRemedy) event() EventKind { return EventRemedyDone }
func (RecordLetter) event() EventKind   { return EventLetterIssued }
func (AddInformation) event() EventKind { return EventInformationAdded }

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
		return Case{}, Event{}, err
	}
	next := clone(c)
	st := next.Current()
	fe := newFieldErrors(env)
	// recorded is the command as its event keeps it: a rule that fills
	// in a default records the value it chose, so that replaying the
	// event never depends on when it is replayed.
	recorded := cmd

	switch cmd := cmd.(type) {
	case Acknowledge:
		if err := requireStatus(&c, "acknowledge", StatusReceived); err != nil {
			return fail(err)
		}
		if c.Kind != KindComplaint {
			return fail(Errorf(Conflict, "only a complaint is acknowledged; convert this %s first", c.Kind))
		}
		checkList(fe, "points", cmd.Points, true)
		checkList(fe, "outcomes_sought", cmd.OutcomesSought, false)
		agreed := checkAgreedDate(fe, cmd.RespondBy, calendar.DateOf(at))
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if err := notInvolvedAtStage1(&c, env, "acknowledge"); err != nil {
			return fail(err)
		}
		// Whoever acknowledges takes the case on. (Before the Code's rule
		// covered everyone who acted on stage 1, a stage 1 handler could
		// log a stage 2 acknowledgement without taking it on; such an
		// event replays so.)
		if next.Handler == "" && !(env.Replay && c.Stage == 2 && handledStage1(&c, env.Actor.Email)) {
			takeOn(&next, env.Actor.Email)
		}
		st.AcknowledgedAt = at
		st.Points = trimAll(cmd.Points)
		st.OutcomesSought = trimAll(cmd.OutcomesSought)
		st.AgreedRespondBy = agreed
		next.Status = StatusAcknowledged

	case Assign:
		if !c.Status.Open() {
			return fail(Errorf(Conflict, "the case is %s: there is nothing left to handle", c.Status))
		}
		// A handler of " " once passed as someone; the handler is
		// compared with users' emails, so it is trimmed before it counts.
		if !env.Replay {
			cmd.Handler = strings.TrimSpace(cmd.Handler)
		}
		if cmd.Handler == "" || (!env.Replay && blank(cmd.Handler)) {
			fe.add("handler", "is required: a user id or email")
			return fail(fe.err())
		}
		if !env.Replay {
			checkLine(fe, "handler", cmd.Handler, maxShort, true)
		}
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if cmd.HandlerRole == "viewer" {
			return fail(Errorf(Conflict, "%s is a viewer and cannot handle cases", cmd.Handler))
		}
		if c.Stage == 2 && (c.ActedOnStage1(cmd.Handler) && !env.Replay || handledStage1(&c, cmd.Handler)) {
			return fail(Errorf(Conflict, "%s acted on this complaint at stage 1; the Code (6.13) requires someone not involved at stage 1 to handle stage 2", cmd.Handler))
		}
		takeOn(&next, cmd.Handler)

	case Extend:
		if c.Kind != KindComplaint {
			return fail(Errorf(Conflict, "only a complaint's response can be extended"))
		}
		if err := requireStatus(&c, "extend", StatusReceived, StatusAcknowledged); err != nil {
			return fail(err)
		}
		if cmd.WorkingDays < 1 || cmd.WorkingDays > 260 {
			fe.add("working_days", "%d is not allowed: want 1 to 260", cmd.WorkingDays)
		}
		checkText(fe, "reason", cmd.Reason, maxText, true)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if err := notInvolvedAtStage1(&c, env, "extend"); err != nil {
			return fail(err)
		}
		if !cmd.OmbudsmanDetailsGiven {
			return fail(Errorf(Conflict, "the resident must be given the Ombudsman's contact details with an extension (Code 6.5 and 6.16); set ombudsman_details_given once they have been"))
		}
		ps, _ := env.Policy.StageOf(c.Stage)
		total := st.ExtensionDays() + cmd.WorkingDays
		overCap := total > ps.Extension.CapWorkingDays
		if overCap && !cmd.AgreedWithResident {
			return fail(Errorf(Conflict, "extensions would total %d working days, over the policy's %d without the resident's agreement; agree it with the resident first", total, ps.Extension.CapWorkingDays))
		}
		if err := checkGoodReason(fe, st, cmd, total); err != nil {
			return fail(err)
		}
		st.Extensions = append(st.Extensions, Extension{
			WorkingDays: cmd.WorkingDays, Reason: strings.TrimSpace(cmd.Reason),
			AgreedWithResident: cmd.AgreedWithResident, OmbudsmanDetailsGiven: true,
			At: at, By: env.Actor.Email, OverCap: overCap,
			GoodReason: strings.TrimSpace(cmd.GoodReason),
			// Code 6.4, 6.15: an extension given once the Code's deadline
			// has passed is recorded, but cannot bring a late response
			// back within the Code's timescale.
			Late: !st.CodeRespondBy.IsZero() && calendar.DateOf(at).After(st.CodeRespondBy),
		})

	case Respond:
		if c.Kind != KindComplaint {
			return fail(Errorf(Conflict, "only a complaint gets a response; close this %s instead", c.Kind))
		}
		if c.Status == StatusReceived {
			return fail(Errorf(Conflict, "the complaint must be acknowledged, with its points defined, before it is responded to"))
		}
		if err := requireStatus(&c, "respond to", StatusAcknowledged); err != nil {
			return fail(err)
		}
		if env.Replay && c.Stage == 2 && handledStage1(&c, env.Actor.Email) {
			return fail(Errorf(Conflict, "%s handled this complaint at stage 1; the Code (6.13) requires a different person to respond at stage 2", env.Actor.Email))
		}
		if err := notInvolvedAtStage1(&c, env, "respond"); err != nil {
			return fail(err)
		}
		// Decisions recorded again replace the draft: the stage's
		// remedies not yet done go, and the new ones are numbered after
		// every remedy the case has had.
		next.Remedies = slices.DeleteFunc(next.Remedies, func(r Remedy) bool { return r.Stage == c.Stage && !r.Done })
		// Remedies are checked first so that the caller hears of their
		// problems together with the decisions' (checkDecisions returns
		// every field problem collected so far).
		remedies := checkRemedies(fe, cmd.Remedies, c.Stage, maxRemedyID(c.Remedies), calendar.DateOf(c.ReceivedAt), calendar.DateOf(env.Now))
		decisions, err := checkDecisions(fe, cmd.Decisions, len(st.Points))
		if err != nil {
			return fail(err)
		}
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if next.Handler == "" {
			takeOn(&next, env.Actor.Email)
		}
		checkText(fe, "learning", cmd.Learning, maxText, false)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		st.Decisions = decisions
		st.Learning = strings.TrimSpace(cmd.Learning)
		next.Remedies = append(next.Remedies, remedies...)
		involve(st, env.Actor.Email)

	case LegacyRespond:
		// Before a response had to be sent to count, recording the
		// decisions was the response. Only a replay of such an event
		// applies it.
		if !env.Replay {
			return fail(Errorf(Internal, "a responded event is replayed only: record the decisions, then issue the response letter"))
		}
		drafted, _, err := Decide(c, cmd.Respond, env)
		if err != nil {
			return fail(err)
		}
		next = drafted
		st = next.Current()
		st.RespondedAt = at
		next.Status = StatusResponded

	case Escalate:
		if c.Kind != KindComplaint || c.Stage != 1 {
			return fail(Errorf(Conflict, "only a stage 1 complaint can be escalated; there is no stage 3 (Code 5.3)"))
		}
		if c.Status != StatusResponded && c.Status != StatusClosed {
			return fail(Errorf(Conflict, "the complaint is %s: it can be escalated once stage 1 has been responded to", c.Status))
		}
		checkText(fe, "reason", cmd.Reason, maxText, false)
		checkText(fe, "late_reason", cmd.LateReason, maxText, false)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if !st.EscalateBy.IsZero() && calendar.DateOf(at).After(st.EscalateBy) && strings.TrimSpace(cmd.LateReason) == "" {
			return fail(Errorf(Conflict, "the escalation window ended on %s; record a late_reason to accept the request", st.EscalateBy))
		}
		// Stage 2 keeps the case's reference unless the policy gives it
		// a new one, linked to the first.
		ref := c.Reference
		if env.Policy.Stage2.NewReference {
			if ref, err = env.NewReference(calendar.DateOf(at).Year()); err != nil {
				return fail(err)
			}
		}
		next.Stages = append(next.Stages, Stage{
			Stage: 2, Reference: ref, ReceivedAt: at, Handlers: []string{}, Extensions: []Extension{},
			Reason: strings.TrimSpace(cmd.Reason), LateReason: strings.TrimSpace(cmd.LateReason),
		})
		next.Stage = 2
		next.Status = StatusReceived
		next.Handler = ""
		next.ClosedAt = time.Time{}

	case Close:
		if c.Kind == KindComplaint {
			if err := requireStatus(&c, "close", StatusResponded); err != nil {
				return fail(Errorf(Conflict, "the complaint is %s: it is closed after its response (withdraw or refuse it otherwise)", c.Status))
			}
		} else if !c.Status.Open() {
			return fail(Errorf(Conflict, "the %s is already %s", c.Kind, c.Status))
		}
		next.Status = StatusClosed
		next.ClosedAt = at

	case Withdraw:
		if !c.Status.Open() {
			return fail(Errorf(Conflict, "the case is %s and cannot be withdrawn", c.Status))
		}
		checkText(fe, "reason", cmd.Reason, maxText, true)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		next.Status = StatusWithdrawn
		next.EndReason = strings.TrimSpace(cmd.Reason)
		next.ClosedAt = at

	case Refuse:
		if c.Kind != KindComplaint {
			return fail(Errorf(Conflict, "only a complaint can be refused"))
		}
		if err := requireStatus(&c, "refuse", StatusReceived, StatusAcknowledged); err != nil {
			return fail(err)
		}
		codes := make([]string, len(env.Policy.Exclusions))
		for i, x := range env.Policy.Exclusions {
			codes[i] = x.Code
		}
		if _, err := enum.Parse(cmd.Exclusion, codes, "one of the policy's exclusions"); err != nil {
			fe.add("exclusion", "%v", err)
		}
		checkText(fe, "explanation", cmd.Explanation, maxText, true)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if err := stage2RefusalGround(c, env.Policy, cmd.Exclusion); err != nil {
			return fail(err)
		}
		next.Status = StatusRefused
		next.Exclusion = cmd.Exclusion
		next.EndReason = strings.TrimSpace(cmd.Explanation)
		next.ClosedAt = at

	case Convert:
		if c.Kind == KindComplaint {
			return fail(Errorf(Conflict, "the case is already a complaint"))
		}
		if !c.Status.Open() {
			return fail(Errorf(Conflict, "the %s is %s; log a new complaint instead", c.Kind, c.Status))
		}
		if c.Kind == KindServiceRequest && !env.Replay {
			return fail(Errorf(Conflict, "a service request keeps its own target and stays open until it is done (Code 1.5): open a complaint linked to it instead"))
		}
		dissatisfied, err := DissatisfiedAt(c, cmd, at, env.Replay)
		if err != nil {
			return fail(err)
		}
		cmd.DissatisfiedAt = dissatisfied
		recorded = cmd
		next.Kind = KindComplaint
		next.Stage = 1
		next.Status = StatusReceived
		next.ResolveBy = calendar.Date{}
		next.Stages = []Stage{{Stage: 1, Reference: c.Reference, ReceivedAt: dissatisfied, Handlers: []string{}, Extensions: []Extension{}}}
		if c.Handler != "" {
			next.Stages[0].Handlers = []string{c.Handler}
		}

	case Note:
		checkText(fe, "text", cmd.Text, maxText, true)
		if err := fe.err(); err != nil {
			return fail(err)
		}

	case AddInformation:
		if !slices.Contains(InformationSources, cmd.Source) {
			fe.add("source", "must be one of: %s", strings.Join(InformationSources, ", "))
		}
		checkLine(fe, "from", cmd.From, maxShort, false)
		checkText(fe, "text", cmd.Text, maxText, len(cmd.Attachments) == 0)
		if len(cmd.Attachments) > maxList {
			fe.add("attachments", "at most %d files at once", maxList)
		}
		for i, a := range cmd.Attachments {
			f := fmt.Sprintf("attachments[%d]", i)
			if fe.blank(a.Name) || len(a.SHA256) != 64 || a.Size <= 0 {
				fe.add(f, "needs a name, a size and its SHA-256")
			}
			if !env.Replay {
				checkLine(fe, f+".name", a.Name, maxShort, false)
			}
		}
		if err := fe.err(); err != nil {
			return fail(err)
		}

	case RecordLetter:
		checkLine(fe, "kind", cmd.Kind, maxShort, true)
		checkLine(fe, "title", cmd.Title, maxShort, true)
		if cmd.Channel != "email" && cmd.Channel != "print" {
			fe.add("channel", "must be email or print")
		}
		if len(cmd.SHA256) != 64 || strings.Trim(cmd.SHA256, "0123456789abcdef") != "" {
			fe.add("sha256", "must be the letter's SHA-256 in lower-case hex")
		}
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if c.Kind == KindComplaint {
			if err := notInvolvedAtStage1(&c, env, "issue letters"); err != nil {
				return fail(err)
			}
			involve(st, env.Actor.Email)
		}
		// A hazard summary letter meets the Awaab's Law summary clock.
		if err := hazardSummaryLetter(&next, cmd, at, env); err != nil {
			return fail(err)
		}
		sent, err := sendsResponse(&c, cmd)
		if err != nil {
			return fail(err)
		}
		if sent {
			// The written response has gone to the resident: the stage is
			// responded from today, and its escalation window counts
			// from it (Code 5.1, 6.1; issue 12, rule 1).
			st.RespondedAt = at
			next.Status = StatusResponded
			if err := deadlines(&next, env); err != nil {
				return fail(err)
			}
		}

	case EditDetails:
		// A correction records its old and new values in its event.
		edited, err := editDetails(c, &next, cmd, fe, env)
		if err != nil {
			return fail(err)
		}
		next.LastEventAt = at
		return next, Event{Kind: edited.event(), Actor: env.Actor.Email, At: at, RecordedAt: env.Now, Data: edited}, nil

	case Link:
		ref := strings.TrimSpace(cmd.Reference)
		checkLine(fe, "reference", ref, maxShort, true)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		if slices.Contains(c.References(), ref) {
			return fail(Errorf(Conflict, "a case cannot be linked to itself"))
		}
		if slices.Contains(c.Links, ref) {
			return fail(Errorf(Conflict, "the case is already linked to %s", ref))
		}
		next.Links = append(next.Links, ref)

	case ClassifyHazard:
		classified, err := classifyHazard(c, &next, cmd, at, env, fe)
		if err != nil {
			return fail(err)
		}
		recorded = classified

	case RecordHazardStep:
		if err := recordHazardStep(c, &next, cmd, at, env, fe); err != nil {
			return fail(err)
		}

	case RecordAccommodation:
		if err := recordAccommodation(&next, cmd, at, env, fe); err != nil {
			return fail(err)
		}

	case RecordMilestone:
		if err := recordMilestone(c, &next, cmd, at, env, fe); err != nil {
			return fail(err)
		}

	case CompleteRemedy:
		i := slices.IndexFunc(next.Remedies, func(r Remedy) bool { return r.ID == cmd.ID })
		if i < 0 {
			return fail(Errorf(NotFound, "the case has no remedy %d", cmd.ID))
		}
		if next.Remedies[i].Done {
			return fail(Errorf(Conflict, "remedy %d is already done", cmd.ID))
		}
		checkText(fe, "note", cmd.Note, maxText, false)
		if err := fe.err(); err != nil {
			return fail(err)
		}
		next.Remedies[i].Done = true
		next.Remedies[i].DoneAt = at
		next.Remedies[i].DoneNote = strings.TrimSpace(cmd.Note)

	case FlagHealthAndSafety:
		if recorded, err = flagHealthAndSafety(c, &next, cmd, env, fe); err != nil {
			return fail(err)
		}
	case AcknowledgeHealthAndSafety:
		if recorded, err = acknowledgeHealthAndSafety(c, &next, cmd, env, at, fe); err != nil {
			return fail(err)
		}

	default:
		return fail(Errorf(Internal, "unknown command %T", cmd))
	}

	// Only a change to a stage's timeline moves its deadlines: a note or
	// an assignment never does, even if the policy in force has changed
	// since.
	switch cmd.(type) {
	case Acknowledge, Extend, Respond, LegacyRespond, Escalate, Convert:
		if err := deadlines(&next, env); err != nil {
			return fail(err)
		}
	}
	switch cmd.(type) {
	case Acknowledge, Extend:
		involve(next.Current(), env.Actor.Email)
	}
	next.LastEventAt = at
	return next, Event{Kind: cmd.event(), Actor: env.Actor.Email, At: at, RecordedAt: env.Now, Data: recorded}, nil
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

// maxRemedyID is the highest remedy number the case has used.
func maxRemedyID(rs []Remedy) int {
	n := 0
	for _, r := range rs {
		n = max(n, r.ID)
	}
	return n
}

// ResponseLetterKind is the kind of letter that is stage n's written
// response: issuing it is what responds to the stage.
func ResponseLetterKind(n int) string { return fmt.Sprintf("stage%d_response", n) }

// sendsResponse reports whether the letter is the current stage's
// written response going out for the first time, or says why a response
// letter may not go.
func sendsResponse(c *Case, l RecordLetter) (bool, error) {
	n := 0
	for _, s := range []int{1, 2} {
		if l.Kind == ResponseLetterKind(s) {
			n = s
		}
	}
	if n == 0 {
		return false, nil
	}
	st := c.Current()
	switch {
	case c.Kind != KindComplaint || st == nil:
		return false, Errorf(Conflict, "the case is a %s, not a complaint: it has no stage response", c.Kind)
	case c.Stage != n:
		return false, Errorf(Conflict, "the complaint is at stage %d: a stage %d response letter does not fit it", c.Stage, n)
	case c.Status == StatusAcknowledged && len(st.Decisions) == 0:
		return false, Errorf(Conflict, "stage %d has no decisions yet: record the decision on every point before its response letter is issued", n)
	case c.Status == StatusAcknowledged:
		return true, nil
	case c.Status == StatusResponded || (c.Status == StatusClosed && !st.RespondedAt.IsZero()):
		// A copy sent again (by post as well as email, say) is
		// recorded; the stage was responded when the first went.
		return false, nil
	}
	return false, Errorf(Conflict, "the complaint is %s: there is no response to send", c.Status)
}

// DissatisfiedAt is when a contact being converted became a complaint:
// when the resident expressed dissatisfaction, by default the contact's
// receipt, or a later time an officer gives, never after the conversion
// at. A conversion recorded before this rule was dated when it was made,
// and replays so.
func DissatisfiedAt(c Case, cmd Convert, at time.Time, replay bool) (time.Time, error) {
	t := cmd.DissatisfiedAt
	switch {
	case t.IsZero() && replay:
		return at, nil
	case t.IsZero():
		return c.ReceivedAt, nil
	case t.Before(c.ReceivedAt):
		return time.Time{}, InvalidField("dissatisfied_at", "is before the %s was received on %s", c.Kind, c.ReceivedAt.Format(time.RFC3339))
	case t.After(at):
		return time.Time{}, InvalidField("dissatisfied_at", "is after the conversion at %s", at.Format(time.RFC3339))
	}
	return t, nil
}

// checkAgreedDate reads a response date agreed with the resident, which
// may not be before the day it was agreed.
func checkAgreedDate(fe fieldErrors, s string, today calendar.Date) calendar.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	switch {
	case err != nil:
		fe.add("respond_by", "%v", err)
	case d.Before(today):
		fe.add("respond_by", "%s is before the day it was agreed, %s", d, today)
	}
	return d
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

// checkDecisions requires one decision, with reasons, for every point.
func checkDecisions(fe fieldErrors, ds []Decision, points int) ([]Decision, error) {
	seen := map[int]bool{}
	for i, d := range ds {
		f := fmt.Sprintf("decisions[%d]", i)
		if d.Point < 1 || d.Point > points {
			fe.add(f+".point", "%d is not one of the complaint's points 1 to %d", d.Point, points)
		} else if seen[d.Point] {
			fe.add(f+".point", "point %d is decided twice", d.Point)
		}
		seen[d.Point] = true
		if _, err := enum.Parse(string(d.Outcome), Outcomes, "an outcome"); err != nil {
			fe.add(f+".outcome", "%v", err)
		}
		checkText(fe, f+".reasons", d.Reasons, maxText, true)
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	for p := 1; p <= points; p++ {
		if !seen[p] {
			return nil, Errorf(Conflict, "point %d of the complaint has no decision; every point needs a decision with reasons (Code 6.7)", p)
		}
	}
	out := slices.Clone(ds)
	slices.SortFunc(out, func(a, b Decision) int { return a.Point - b.Point })
	for i := range out {
		out[i].Reasons = strings.TrimSpace(out[i].Reasons)
	}
	return out, nil
}

// maxDueYears is how far ahead a remedy may fall due. A landlord plans
// works years ahead at most; a date beyond that is a typing mistake
// (9999 for 2029) that would keep an action open, and never overdue, for
// ever.
const maxDueYears = 5

// checkRemedies checks the remedies of a response to a case received on
// received, given on today, and returns them numbered after the existing
// ones.
func checkRemedies(fe fieldErrors, rs []RemedyInput, stage, existing int, received, today calendar.Date) []Remedy {
	if len(rs) > maxList {
		fe.add("remedies", "has more than %d entries", maxList)
	}
	var out []Remedy
	for i, r := range rs {
		f := fmt.Sprintf("remedies[%d]", i)
		if _, err := enum.Parse(string(r.Kind), RemedyKinds, "a remedy kind"); err != nil {
			fe.add(f+".kind", "%v", err)
		}
		checkText(fe, f+".description", r.Description, maxText, true)
		switch {
		case r.Kind == RemedyCompensation && (r.AmountPence <= 0 || r.AmountPence > 100_000_000):
			fe.add(f+".amount_pence", "compensation needs an amount in pence, 1 to 100000000")
		case r.Kind != RemedyCompensation && r.AmountPence != 0:
			fe.add(f+".amount_pence", "only compensation has an amount")
		}
		switch {
		case r.Kind == RemedyCompensation && r.CompensationKind == "":
		case r.Kind == RemedyCompensation:
			if _, err := enum.Parse(r.CompensationKind, CompensationKinds, "a kind of compensation"); err != nil {
				fe.add(f+".compensation_kind", "%v", err)
			}
		case r.CompensationKind != "":
			fe.add(f+".compensation_kind", "only compensation has a kind of compensation")
		}
		var due calendar.Date
		if r.Due != "" {
			d, err := calendar.ParseDate(strings.TrimSpace(r.Due))
			latest := calendar.NewDate(today.Year()+maxDueYears, today.Month(), today.Day())
			switch {
			case err != nil:
				fe.add(f+".due", "%v", err)
			case fe.replay:
			case d.Before(received):
				fe.add(f+".due", "%s is before the case was received on %s", d, received)
			case d.After(latest):
				fe.add(f+".due", "%s is more than %d years ahead: give a date by %s", d, maxDueYears, latest)
			}
			due = d
		}
		if r.Kind == RemedyAction {
			checkLine(fe, f+".owner", r.Owner, maxShort, true)
			if strings.TrimSpace(r.Due) == "" {
				fe.add(f+".due", "an action needs a due date")
			}
		}
		out = append(out, Remedy{
			ID: existing + i + 1, Stage: stage, Kind: r.Kind, Description: strings.TrimSpace(r.Description),
			AmountPence: r.AmountPence, CompensationKind: compensationKind(r), Owner: strings.TrimSpace(r.Owner), Due: due,
		})
	}
	return out
}

// compensationKind defaults compensation of no stated kind to
// "goodwill", the usual word for a discretionary payment.
func compensationKind(r RemedyInput) string {
	if r.Kind == RemedyCompensation && r.CompensationKind == "" {
		return "goodwill"
	}
	return r.CompensationKind
}

// clone returns a deep copy of c, so Decide never changes its argument.
func clone(c Case) Case {
	n := c
	n.Categories = slices.Clone(c.Categories)
	n.Adjustments = slices.Clone(c.Adjustments)
	n.Vulnerabilities = slices.Clone(c.Vulnerabilities)
	n.Links = slices.Clone(c.Links)
	n.Remedies = slices.Clone(c.Remedies)
	if c.Representative != nil {
		r := *c.Representative
		n.Representative = &r
	}
	if c.Group != nil {
		g := *c.Group
		n.Group = &g
	}
	n.Hazard = cloneHazard(c.Hazard)
	n.Stages = make([]Stage, len(c.Stages))
	for i, st := range c.Stages {
		st.Extensions = slices.Clone(st.Extensions)
		st.Handlers = slices.Clone(st.Handlers)
		st.Points = slices.Clone(st.Points)
		st.Involved = slices.Clone(st.Involved)
		st.Milestones = slices.Clone(st.Milestones)
		st.OutcomesSought = slices.Clone(st.OutcomesSought)
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
