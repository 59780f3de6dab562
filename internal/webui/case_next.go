package webui

import (
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
)

// nextStep is what a case needs now under the Code and the policy: the
// one thing the case page puts first, with the form or the letter that
// does it. Everything else an officer may do is a secondary action.
type nextStep struct {
	// Form is the case page form the step is done with ("acknowledge",
	// "assign", "respond", "close", "convert"), or "" where the step is
	// a letter or nothing is needed.
	Form string
	// Letter is the letter the step is, where it is one.
	Letter letters.Kind
	// Title says the step in a few words; Why says what it is for or
	// what rule asks for it.
	Title, Why string
	// Due is when the step is due, if it has a deadline.
	Due calendar.Date
	// Anchor is the id of the part of the case page the step is done in,
	// where it is neither a main form nor a letter.
	Anchor string
}

// nextStepOf works out the next step of c, naming its kind as the
// policy does (kindNamer). It holds no rules of its own: it reads where
// the domain has put the case; the letters still to send are the letters
// section's (newLetterSection). reviewBy names who must review the
// findings before the response letter (complaint.AwaitingSignOff), or is
// "" when no review is awaited.
func nextStepOf(c complaint.Case, kindName func(any) string, reviewBy string) nextStep {
	kind := strings.ToLower(kindName(c.Kind))
	st := c.Current()
	if next, ok := memberNextStep(c); ok {
		return next
	}
	if c.Kind != complaint.KindComplaint {
		if !c.Status.Open() {
			return nextStep{Title: "Nothing to do", Why: "The " + kind + " is " + string(c.Status) + "."}
		}
		if c.Kind == complaint.KindServiceRequest {
			return nextStep{Form: "close", Title: "Resolve the request", Due: c.ResolveBy,
				Why: "Close it once it is done. If the resident is unhappy with how it is being handled, treat it as a complaint instead (Code 1.5)."}
		}
		return nextStep{Form: "close", Title: "Close the " + kind, Why: "Close it once it has been dealt with. If the resident is unhappy, treat it as a complaint instead."}
	}
	// Stage 2 is handled by someone not involved at stage 1 (Code 6.13):
	// until such a person has it, finding them is the next step, since
	// they are the one to acknowledge and answer it.
	if c.Stage == 2 && (c.Status == complaint.StatusReceived || c.Status == complaint.StatusAcknowledged) && (c.Handler == "" || c.ActedOnStage1(c.Handler)) {
		due := st.AcknowledgeBy
		if c.Status == complaint.StatusAcknowledged {
			due = st.RespondBy
		}
		return nextStep{Form: "assign", Title: "Assign a stage 2 reviewer", Due: due,
			Why: "Stage 2 must be handled by someone not involved at stage 1 (Code 6.13)."}
	}
	switch c.Status {
	case complaint.StatusReceived:
		return nextStep{Form: "acknowledge", Title: "Acknowledge and define the complaint", Due: st.AcknowledgeBy,
			Why: "Set out the complaint as you understand it, point by point: each point will need a decision with reasons (Code 5.1, 6.2)."}
	case complaint.StatusAcknowledged:
		if len(st.Decisions) == 0 {
			return nextStep{Form: "respond", Title: "Record the decisions", Due: st.RespondBy,
				Why: "Decide every point, with reasons, and what will put things right. This drafts the response; it is sent by issuing the response letter."}
		}
		if reviewBy != "" {
			return nextStep{Anchor: "within-stage", Title: "Have the findings reviewed by the " + reviewBy, Due: st.RespondBy,
				Why: "The policy asks the " + reviewBy + " to review the findings before the response letter is sent. The review must not delay the letter: if it cannot happen in time, record why the letter goes without it, then send the letter."}
		}
		k := complaint.ResponseLetterKind(c.Stage)
		return nextStep{Letter: letters.Kind(k), Title: "Send the stage " + strconv.Itoa(c.Stage) + " response letter", Due: st.RespondBy,
			Why: "The decisions are recorded as a draft: the resident has not had the response. It counts, and the deadline is met, when the letter is issued."}
	case complaint.StatusResponded:
		if c.Stage == 1 {
			why := "The response has gone. Close the case; the resident can still ask for stage 2"
			if !st.EscalateBy.IsZero() {
				why += " until " + formatDate(st.EscalateBy)
			}
			return nextStep{Form: "close", Title: "Close the case", Why: why + "."}
		}
		return nextStep{Form: "close", Title: "Close the case", Why: "The final response has gone. The resident can refer the complaint to the Housing Ombudsman."}
	}
	open := 0
	for _, r := range c.Remedies {
		if r.Outstanding() {
			open++
		}
	}
	if open > 0 {
		owed := strconv.Itoa(open) + " of its remedies are"
		if open == 1 {
			owed = "one of its remedies is"
		}
		return nextStep{Title: "Follow through the remedies", Why: "The case is " + string(c.Status) + ", but " + owed + " still owed to the resident. Mark each done when it is."}
	}
	return nextStep{Title: "Nothing to do", Why: "The case is " + string(c.Status) + "."}
}

// lettersToSend is the letters the case is waiting for besides the one
// the next step is: the next-step panel names them, so that an officer
// working down the panel never leaves the resident untold.
func lettersToSend(due []letters.Kind, next nextStep) []letters.Kind {
	var out []letters.Kind
	for _, k := range due {
		if k != next.Letter {
			out = append(out, k)
		}
	}
	return out
}
