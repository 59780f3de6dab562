package webui

import (
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// The case page forms for what happens within a stage: the review of its
// findings before the response (002 §2.3), the reason the response goes
// without it, and mediation (003).
const (
	formSignOff       = "sign-off"
	formSignOffWaiver = "sign-off-waiver"
	formMediation     = "mediation"
	formAdditional    = "additional-complaint"
)

// signOffWarnDays is how many working days before the response is due
// the case page warns that a decided response is still waiting for its
// review: the review must not delay the letter (002 §2.3), so the
// officer is told while there is still time to send it either way.
const signOffWarnDays = 2

// withinStageView is what the case page shows of the review and of
// mediation at the current stage, and which of their forms it offers.
type withinStageView struct {
	// SignOffAsked is true where the policy asks for a review of the
	// current stage's findings; ByRole is who reviews them.
	SignOffAsked bool
	ByRole       string
	SignOff      complaint.SignOff
	// Awaiting is true while a decided response waits for the review;
	// Warn adds that it is due within signOffWarnDays working days or
	// is past due, and DaysLeft how many working days are left.
	Awaiting  bool
	Warn      bool
	Overdue   bool
	DaysLeft  int
	RespondBy calendar.Date
	// CanReview is true while the review may be recorded: the decisions
	// are recorded and the letter has not gone.
	CanReview bool

	// MediationOffered is true where the policy offers mediation.
	MediationOffered bool
	Mediation        complaint.Mediation
	// The step of mediation the page offers next, if any.
	CanOffer, CanAnswer, CanOutcome bool
	Results, Answers, Outcomes      []option

	// CanLogAdditional is true while new issues may be logged as an
	// additional complaint (Code 6.8); Responded says the stage's
	// response has gone, so no reason is needed.
	CanLogAdditional bool
	Responded        bool
}

// newWithinStageView describes the current stage's review and mediation
// for the case page on the day today.
func (s *Server) newWithinStageView(c complaint.Case, today calendar.Date) withinStageView {
	st := c.Current()
	p := s.Policy
	v := withinStageView{
		Results:  []option{{complaint.SignOffAgreed, "Agreed with the findings"}, {complaint.SignOffChangesAsked, "Asked for changes"}},
		Answers:  []option{{complaint.MediationAccepted, "Accepted"}, {complaint.MediationDeclined, "Declined"}},
		Outcomes: []option{{complaint.MediationResolved, "Resolved"}, {complaint.MediationNotResolved, "Not resolved"}},
	}
	if c.Kind != complaint.KindComplaint || st == nil {
		return v
	}
	v.CanLogAdditional, v.Responded = c.Status.Open(), c.Status == complaint.StatusResponded
	v.SignOffAsked, v.ByRole, v.SignOff = p.SignOff.ReviewBefore(c.Stage), strings.TrimSpace(p.SignOff.ByRole), st.SignOff
	if v.ByRole == "" {
		v.ByRole = "reviewer"
	}
	v.CanReview = v.SignOffAsked && c.Status == complaint.StatusAcknowledged && len(st.Decisions) > 0
	v.Awaiting, v.RespondBy = complaint.AwaitingSignOff(c, p), st.RespondBy
	if v.Awaiting {
		v.DaysLeft, _ = s.Calendar.WorkingDaysBetween(today, st.RespondBy)
		v.Overdue = today.After(st.RespondBy)
		v.Warn = v.Overdue || v.DaysLeft <= signOffWarnDays
	}
	v.MediationOffered, v.Mediation = p.Mediation.Offered || !st.Mediation.OfferedAt.IsZero(), st.Mediation
	open := c.Status.Open() && p.Mediation.Offered
	m := st.Mediation
	v.CanOffer = open && m.OfferedAt.IsZero()
	v.CanAnswer = open && !m.OfferedAt.IsZero() && m.Answer == ""
	v.CanOutcome = open && m.Answer == complaint.MediationAccepted && m.Outcome == ""
	return v
}

// withinStageCommand builds the command a review or mediation form asks
// for. The forms hold no rules: the domain decides, as for the API.
func withinStageCommand(r *http.Request, name string) complaint.Command {
	f := r.PostForm
	switch name {
	case formSignOff:
		return complaint.RecordSignOff{Reviewer: f.Get("reviewer"), ReviewerRole: f.Get("reviewer_role"), Result: f.Get("result"), Comments: f.Get("comments")}
	case formSignOffWaiver:
		return complaint.WaiveSignOff{Reason: f.Get("reason")}
	case formAdditional:
		return complaint.LogAdditionalComplaint{Summary: f.Get("summary"), Issues: f.Get("issues"), Reason: f.Get("reason")}
	}
	return complaint.RecordMediation{Step: f.Get("step"), Mediator: f.Get("mediator"), Outcome: f.Get("outcome"), Summary: f.Get("summary")}
}

// withinStageDone is the banner after a review or mediation form.
func withinStageDone(form string) string {
	switch form {
	case formSignOff:
		return "The review of the findings is recorded. The response letter may go."
	case formSignOffWaiver:
		return "The reason is recorded. The response letter may go without the review."
	case formAdditional:
		return "The new issues are logged as this new stage 1 complaint, linked to the complaint they were raised in."
	}
	return "The mediation is recorded. The response deadline is unchanged."
}

// withinStageDetail describes a review or mediation event for the
// timeline.
func withinStageDetail(kind complaint.EventKind, m map[string]any) []string {
	var out []string
	add := func(label, key string) {
		if v := strings.TrimSpace(toString(m[key])); v != "" {
			out = append(out, label+": "+v)
		}
	}
	switch kind {
	case complaint.EventSignOffRecorded:
		add("Reviewed by", "reviewer")
		add("Role", "reviewer_role")
		out = append(out, "Result: "+signOffResultText(toString(m["result"])))
		add("Comments", "comments")
	case complaint.EventSignOffWaived:
		out = append(out, "The response letter goes without the review")
		add("Why", "reason")
	case complaint.EventAdditionalComplaint:
		add("Logged as a new complaint", "reference")
		add("Summary", "summary")
		add("Why not added to this complaint", "reason")
	case complaint.EventMediationRecorded:
		out = append(out, "Mediation: "+strings.ReplaceAll(toString(m["step"]), "_", " "))
		add("Mediator", "mediator")
		if o := toString(m["outcome"]); o != "" {
			out = append(out, "Outcome: "+strings.ReplaceAll(o, "_", " "))
		}
		add("Summary", "summary")
	}
	return out
}

func signOffResultText(r string) string {
	if r == complaint.SignOffChangesAsked {
		return "changes asked"
	}
	return r
}

// MediationState says what the stage's mediation has come to, in words.
func (v withinStageView) MediationState() string {
	m := v.Mediation
	switch {
	case m.Outcome != "":
		return "Mediation ended: " + strings.ReplaceAll(m.Outcome, "_", " ")
	case m.Answer == complaint.MediationDeclined:
		return "Mediation offered; the resident declined"
	case m.Answer == complaint.MediationAccepted:
		return "Mediation accepted; the outcome is not yet recorded"
	case !m.OfferedAt.IsZero():
		return "Mediation offered; waiting for the resident's answer"
	}
	return "Mediation has not been offered at this stage"
}

// radioGroup is one set of radios on a review or mediation form: the
// field as cf made it, and its options.
type radioGroup struct {
	F       formField
	Options []option
}

// Radios pairs a field with its options for the within-stage-radios
// template.
func (withinStageView) Radios(f formField, opts []option) radioGroup {
	return radioGroup{F: f, Options: opts}
}

// MediationAction is the title of the mediation form the page offers.
func (v withinStageView) MediationAction() string {
	switch {
	case v.CanOffer:
		return "Offer mediation"
	case v.CanAnswer:
		return "Record the resident's answer to mediation"
	}
	return "Record the outcome of mediation"
}

// The definition page's confirmation, with new points, that adding them
// will not unreasonably delay the response (Code 6.8, 002 §2.3).
const (
	noDelayLabel   = "Adding the new points will not unreasonably delay the response"
	noDelayHint    = "Needed only with new points. If it would, log them as an additional complaint from the case page instead (Code 6.8)"
	noDelayMessage = "Confirm that adding the new points will not unreasonably delay the response, or log them as an additional complaint from the case page instead"
)
