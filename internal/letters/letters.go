// Package letters writes every letter the complaint lifecycle needs: it
// fills a draft from the case, checks a draft (as drafted or as an officer
// edited it) against what the Complaint Handling Code requires that letter
// to say, and renders it as a PDF for post and as plain text for email.
//
// The package is pure, like the domain packages it reads: no storage, no
// HTTP, no clock. The letter's date is a parameter, and the same letter
// always renders to the same bytes.
//
// A letter goes through four steps, and this package owns the middle two:
//
//  1. Draft fills the kind's template from the case, the policy and the
//     landlord's letterhead.
//  2. The officer edits the body (plain text with a tiny markup: "# " for a
//     heading, "- " for a bullet, a blank line between paragraphs) and
//     previews it with Render.
//  3. Check lists what the final body leaves out that the Code requires,
//     and what the case itself still lacks.
//  4. Code elsewhere issues the letter only if Check returns nothing.
//
// Landlords change the wording of each kind's template (ParseTemplate) and
// their letterhead without a release. Templates are Go text/template run in
// a sandbox: their data is plain values, their functions are pure
// formatting, and their work and output are bounded. A template is refused
// when it is saved, not when a letter is due: if it does not parse, does
// not run, or leaves out what the Code requires, ParseTemplate says so and
// names the line or the element.
package letters

import (
	"fmt"
	"slices"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
)

// Kind is a kind of letter.
type Kind string

// The kinds of letter.
const (
	Acknowledgement       Kind = "acknowledgement"
	Extension             Kind = "extension"
	Stage1Response        Kind = "stage1_response"
	Stage2Acknowledgement Kind = "stage2_acknowledgement"
	Stage2Response        Kind = "stage2_response"
	Refusal               Kind = "refusal"
	EscalationRefusal     Kind = "escalation_refusal"
	Withdrawal            Kind = "withdrawal"
	ActionUpdate          Kind = "action_update"
	ComplimentThanks      Kind = "compliment_thanks"
	// HazardSummary is the written summary of a significant hazard's
	// investigation that Awaab's Law requires (issue 14); issuing it
	// records the summary as sent (complaint.LetterHazardSummary).
	HazardSummary Kind = complaint.LetterHazardSummary
	// The restriction letters (restriction.go; 002 §2.7), written from the
	// restrictions register and filed on the case the restriction arose on.
	RestrictionWarning  Kind = "restriction_warning"
	RestrictionDecision Kind = "restriction_decision"
	RestrictionReview   Kind = "restriction_review"
)

// Kinds lists every kind of letter in the order a complaint meets them.
var Kinds = []Kind{
	Acknowledgement, Extension, Stage1Response, Stage2Acknowledgement, Stage2Response,
	Refusal, EscalationRefusal, Withdrawal, ActionUpdate, ComplimentThanks, HazardSummary,
	RestrictionWarning, RestrictionDecision, RestrictionReview,
	MemberResponse, MemberResponseCopy,
	ComplimentNotice,
}

// ParseKind returns s as a Kind, or an error listing the kinds.
func ParseKind(s string) (Kind, error) { return enum.Parse(s, Kinds, "a kind of letter") }

// kindInfo is what staff and residents call each kind.
var kindInfo = map[Kind]struct{ title, subject string }{
	Acknowledgement:       {"Acknowledgement", "We have received your complaint"},
	Extension:             {"Extension notice", "We need more time to reply to your complaint"},
	Stage1Response:        {"Stage 1 response", "Our stage 1 response to your complaint"},
	Stage2Acknowledgement: {"Stage 2 acknowledgement", "We have received your request for stage 2"},
	Stage2Response:        {"Stage 2 final response", "Our final response to your complaint"},
	Refusal:               {"Refusal to accept a complaint", "Why we cannot accept your complaint"},
	EscalationRefusal:     {"Refusal to escalate", "Why we cannot take your complaint to stage 2"},
	Withdrawal:            {"Withdrawal confirmation", "Your complaint has been withdrawn"},
	ActionUpdate:          {"Action update", "An update on putting things right"},
	ComplimentThanks:      {"Compliment thanks", "Thank you for your compliment"},
	HazardSummary:         {"Summary of our hazard investigation", "Summary of our hazard investigation"},
	RestrictionWarning:    {"Restriction warning", "How you contact us: a warning"},
	RestrictionDecision:   {"Restriction decision", "How you contact us: our decision"},
	RestrictionReview:     {"Restriction review", "How you contact us: our review"},
	MemberResponse:        {"Response to an MP or councillor", "Our response to your enquiry"},
	MemberResponseCopy:    {"Copy of the response to an MP or councillor", "A copy of our response to your MP or councillor"},
	ComplimentNotice:      {"Compliment notice", "A resident has complimented you"},
}

// Title is the kind's name as staff see it in lists and buttons, such as
// "Stage 1 response".
func (k Kind) Title() string { return kindInfo[k].title }

// Applies reports whether the case's current position calls for a letter of
// kind k, which is when Draft will draft one. It answers for the case as it
// is now: a stage 1 response is not offered once the complaint is at
// stage 2, because the letter that matters then is the stage 2 one.
func (k Kind) Applies(c complaint.Case) bool { return k.applies(&c) == nil }

// Applicable lists the kinds of letter the case's current position calls
// for, in the order of Kinds.
func Applicable(c complaint.Case) []Kind {
	var out []Kind
	for _, k := range Kinds {
		if k.applies(&c) == nil {
			out = append(out, k)
		}
	}
	return out
}

// applies returns nil if k applies to c, or a conflict error saying why
// not, for Draft to return.
func (k Kind) applies(c *complaint.Case) error {
	no := func(format string, args ...any) error {
		return complaint.Errorf(complaint.Conflict, "no %s letter for %s: %s", k.Title(), c.Reference, fmt.Sprintf(format, args...))
	}
	if _, ok := kindInfo[k]; !ok {
		_, err := ParseKind(string(k))
		return complaint.Errorf(complaint.Invalid, "%v", err)
	}
	if restrictionKinds[k] {
		return no("a restriction letter is written from the restrictions register")
	}
	if k == HazardSummary {
		// A hazard may be reported in any contact, not only a complaint,
		// so the summary is offered wherever the hazard calls for it.
		h := c.Hazard
		switch {
		case h == nil || h.Class == complaint.HazardNone:
			return no("the case has no hazard")
		case h.Class != complaint.HazardSignificant:
			return no("the hazard is an emergency: a written summary is a significant hazard's step")
		case h.InvestigatedAt.IsZero():
			return no("the hazard has not been investigated: record the investigation and its findings first")
		case !h.SummarySentAt.IsZero():
			return no("the summary was already sent")
		}
		return nil
	}
	if k == MemberResponse || k == MemberResponseCopy {
		return memberApplies(k, c, no)
	}
	if k == ComplimentThanks || k == ComplimentNotice {
		return complimentApplies(k, c, no)
	}
	if c.Kind != complaint.KindComplaint || len(c.Stages) == 0 {
		return no("the case is a %s, not a complaint", c.Kind)
	}
	st := c.Current()
	switch k {
	case Acknowledgement, Stage2Acknowledgement:
		n := stageOf(k)
		switch {
		case c.Stage != n:
			return no("the complaint is at stage %d", c.Stage)
		case st.AcknowledgedAt.IsZero():
			return no("stage %d has not been acknowledged: record the complaint definition first", n)
		case !c.Status.Open():
			return no("the complaint is %s", c.Status)
		}
	case Extension:
		switch {
		case len(st.Extensions) == 0:
			return no("stage %d has not been extended", c.Stage)
		case c.Status != complaint.StatusReceived && c.Status != complaint.StatusAcknowledged:
			return no("the complaint is %s, so it is no longer waiting for a response", c.Status)
		}
	case Stage1Response, Stage2Response:
		n := stageOf(k)
		switch {
		case c.Stage != n:
			return no("the complaint is at stage %d", c.Stage)
		case len(st.Decisions) == 0:
			// A response letter is drafted from the decisions, and the
			// stage counts as responded only when the letter is issued
			// (issue 12, rule 1), so the decisions alone call for it.
			return no("stage %d has no decisions yet: record the decisions first", n)
		}
	case Refusal, EscalationRefusal:
		n := stageOf(k)
		switch {
		case c.Status != complaint.StatusRefused:
			return no("the complaint has not been refused")
		case c.Stage != n && n == 1:
			return no("the refusal was of the request for stage 2: use the %s letter", EscalationRefusal.Title())
		case c.Stage != n:
			return no("the refusal was at stage 1: use the %s letter", Refusal.Title())
		}
	case Withdrawal:
		if c.Status != complaint.StatusWithdrawn {
			return no("the complaint has not been withdrawn")
		}
	case ActionUpdate:
		if !slices.ContainsFunc(c.Remedies, func(r complaint.Remedy) bool { return r.Kind == complaint.RemedyAction }) {
			return no("the complaint has no actions")
		}
	}
	return nil
}

// stageOf is the stage a kind of letter is about, or 0 for "the case's
// current stage".
func stageOf(k Kind) int {
	switch k {
	case Acknowledgement, Stage1Response, Refusal:
		return 1
	case Stage2Acknowledgement, Stage2Response, EscalationRefusal:
		return 2
	}
	return 0
}

// Letterhead is the landlord's identity at the top of every letter. It is
// data the landlord edits, like the templates.
type Letterhead struct {
	Name string `json:"name"`
	// Address and Contact are printed one line each; Contact is for the
	// telephone number, email and web address, and the default templates
	// also list it as the way to ask for stage 2.
	Address []string `json:"address"`
	Contact []string `json:"contact"`
	// Logo is a PNG or JPEG image, or empty.
	Logo []byte `json:"logo,omitempty"`
}

// Recipient is who a letter goes to.
type Recipient struct {
	Name string `json:"name"`
	// Address is the postal address, one line each, for the envelope
	// window. Redress records no postal address for a representative, so
	// a letter to one has none until the officer adds it; it can still be
	// emailed.
	Address []string `json:"address"`
	Email   string   `json:"email,omitempty"`
}

// Letter is one letter: a draft while the officer edits it, then the
// letter as issued.
type Letter struct {
	Kind Kind `json:"kind"`
	// Reference is the reference the letter is about: the stage's own
	// where stage 2 took a new one. It is printed on every page.
	Reference string        `json:"reference"`
	Date      calendar.Date `json:"date"`
	Recipient Recipient     `json:"recipient"`
	Subject   string        `json:"subject"`
	// Body is the text of the letter in the package's markup: "# " starts
	// a heading, "- " a bullet, and a blank line a new paragraph.
	Body string `json:"body"`
	// LargePrint and PlainTextEmail come from the case's reasonable
	// adjustments; the officer may change them in the draft.
	// PlainTextEmail asks the mailer to send the letter as the plain text
	// of the email itself (EmailText), with no HTML and no attachment.
	LargePrint     bool `json:"large_print"`
	PlainTextEmail bool `json:"plain_text_email"`
	// Data is what the draft was filled from, kept so that Check can
	// compare the edited body with the case.
	Data Data `json:"data"`
}
