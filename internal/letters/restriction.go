package letters

import (
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/restriction"
)

// The restriction letters tell a person that their contact is being, or
// has been, managed (002 §2.7): the warning ("we will advise any customer
// where we are considering this categorisation, providing them with an
// opportunity to address their behaviour and an action plan"), the
// decision ("write to the customer to detail why a decision has been made
// and the restricted contact arrangements"), and each review's outcome.
// They are drafted from the register, not from the case's position, and
// filed on the case the restriction arose on, so that they are in its
// letters and its evidence pack.
var restrictionKinds = map[Kind]bool{RestrictionWarning: true, RestrictionDecision: true, RestrictionReview: true}

// RestrictionData is what a restriction letter says, taken from the
// register. Dates are empty where they do not apply.
type RestrictionData struct {
	Behaviour      string `json:"behaviour"`
	ActionPlan     string `json:"action_plan"`
	Reasons        string `json:"reasons"`
	Adjustments    string `json:"adjustments"`
	WithoutWarning string `json:"without_warning,omitempty"`
	NamedContact   string `json:"named_contact"`
	// Channels are the ways left open, in words ("email and letter").
	Channels  string `json:"channels"`
	Times     string `json:"times,omitempty"`
	Other     string `json:"other,omitempty"`
	ReviewDue Date   `json:"review_due"`
	// Outcome is the latest review's outcome in words ("continue",
	// "vary", "lift"), with its reasons.
	Outcome       string `json:"outcome,omitempty"`
	ReviewReasons string `json:"review_reasons,omitempty"`
	Lifted        bool   `json:"lifted"`
}

// RestrictionLetterKind is the letter a restriction's latest step calls
// for: the warning, the decision, or the outcome of the latest review (a
// restriction lifted between reviews is an outcome too); "" for a warning
// lifted before any decision, which needs no letter of its own.
func RestrictionLetterKind(r restriction.Restriction) Kind {
	switch {
	case r.Status == restriction.Warned:
		return RestrictionWarning
	case r.Decision == nil:
		return ""
	case r.Status == restriction.Lifted || len(r.Reviews) > 0:
		return RestrictionReview
	}
	return RestrictionDecision
}

var channelWords = map[string]string{"email": "email", "letter": "letter", "phone": "telephone", "in_person": "in person", "online_form": "our online form"}

func restrictionData(r restriction.Restriction) RestrictionData {
	d := RestrictionData{}
	if w := r.Warning; w != nil {
		d.Behaviour, d.ActionPlan = w.Behaviour, w.ActionPlan
	}
	if dc := r.Decision; dc != nil {
		d.Reasons, d.Adjustments, d.WithoutWarning = dc.Reasons, dc.AdjustmentsConsidered, dc.WithoutWarning
	}
	if a := r.Arrangements; a != nil {
		var ws []string
		for _, c := range a.Channels {
			ws = append(ws, channelWords[c])
		}
		d.NamedContact, d.Times, d.Other = a.NamedContact, a.Times, a.Other
		switch len(ws) {
		case 0:
		case 1:
			d.Channels = ws[0]
		default:
			d.Channels = strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
		}
	}
	if !r.ReviewDue.IsZero() {
		d.ReviewDue = NewDate(r.ReviewDue)
	}
	if n := len(r.Reviews); n > 0 {
		rv := r.Reviews[n-1]
		d.Outcome, d.ReviewReasons = string(rv.Outcome), rv.Reasons
	}
	d.Lifted = r.Status == restriction.Lifted
	if r.Lift != nil {
		d.Outcome, d.ReviewReasons = string(restriction.LiftIt), r.Lift.Reasons
	}
	return d
}

// DraftRestriction drafts a restriction letter of kind about r to the
// complainant of c, the case r arose on, with the landlord's template for
// the kind (nil for the built-in one). A kind r's position does not call
// for (RestrictionLetterKind) is a conflict.
func DraftRestriction(kind Kind, c complaint.Case, r restriction.Restriction, p *policy.Policy, lh Letterhead, tmpl *Template, today calendar.Date) (Letter, error) {
	if !restrictionKinds[kind] {
		return Letter{}, complaint.Errorf(complaint.Invalid, "%s is not a restriction letter", kind)
	}
	if want := RestrictionLetterKind(r); want != kind {
		return Letter{}, complaint.Errorf(complaint.Conflict, "no %s letter for restriction %d: it is %s", kind.Title(), r.ID, strings.ReplaceAll(string(r.Status), "_", " "))
	}
	if tmpl == nil {
		var err error
		if tmpl, err = DefaultTemplate(kind); err != nil {
			return Letter{}, err
		}
	}
	d := Data{
		Kind:        kind,
		Landlord:    Landlord{Name: lh.Name, Address: append([]string{}, lh.Address...), Contact: append([]string{}, lh.Contact...)},
		Resident:    c.Complainant.Name,
		Reference:   c.Reference,
		Date:        NewDate(today),
		Summary:     c.Summary,
		Points:      []Point{},
		Remedies:    []Remedy{},
		Ombudsman:   strings.TrimSpace(p.Ombudsman),
		Restriction: restrictionData(r),
	}
	// Restriction letters go to the person themselves: the behaviour and
	// the arrangements are theirs, whoever else acts for them.
	d.Recipient = Recipient{Name: c.Complainant.Name, Address: addressLines(c.Complainant.Address, c.Complainant.Postcode), Email: c.Complainant.Email}
	d.Salutation = "Dear " + d.Recipient.Name
	body, err := tmpl.Execute(d)
	if err != nil {
		return Letter{}, err
	}
	return Letter{Kind: kind, Reference: d.Reference, Date: today, Recipient: d.Recipient, Subject: kindInfo[kind].subject,
		Body: body, LargePrint: LargePrint(c.Adjustments), PlainTextEmail: PlainTextEmail(c.Adjustments), Data: d}, nil
}

// restriction checks a restriction letter says what 002 §2.7 asks of
// it: the warning, the behaviour of concern and the action plan; the
// decision, why it was made and the restricted contact arrangements (the
// named contact, the ways left open, and when it will be reviewed); a
// review, its outcome and reasons, and the next review unless lifted.
// Decisions and reviews can be complained about, so they give the
// Ombudsman's details.
func (c *checker) restriction(kind Kind, d Data) {
	r := d.Restriction
	need := func(code, s, what string) {
		if strings.TrimSpace(s) == "" {
			c.missing("case."+code, "the restriction has no %s", what)
			return
		}
		c.need(code, s, "%s (%q) is missing", what, short(s))
	}
	switch kind {
	case RestrictionWarning:
		need("behaviour", r.Behaviour, "the behaviour of concern")
		need("action_plan", r.ActionPlan, "the action plan")
	case RestrictionDecision:
		need("reasons", r.Reasons, "why the decision was made")
		need("named_contact", r.NamedContact, "the named contact")
		need("channels", r.Channels, "the ways the person may still contact us")
		need("review_due", r.ReviewDue.String(), "when the restriction will be reviewed")
		c.ombudsman(d)
	case RestrictionReview:
		need("outcome", r.Outcome, "the review's outcome")
		need("review_reasons", r.ReviewReasons, "the review's reasons")
		if !r.Lifted {
			need("review_due", r.ReviewDue.String(), "when the restriction will next be reviewed")
			need("named_contact", r.NamedContact, "the named contact")
		}
		c.ombudsman(d)
	}
}

// sampleRestriction is the template editor's sample restriction.
func sampleRestriction(kind Kind) RestrictionData {
	d := RestrictionData{
		Behaviour:    "Repeated abusive telephone calls to the repairs team in March",
		ActionPlan:   "For the next three months please contact us by email to your named contact, who will reply within two working days",
		Reasons:      "The abusive calls continued after our warning of 2 March",
		Adjustments:  "We offered written contact and an advocate from Riverside Vale Advice",
		NamedContact: "Sam Lee, Customer Experience Manager",
		Channels:     "email and letter",
		Times:        "weekdays 10am to 12 noon",
		ReviewDue:    "2027-06-02",
	}
	if kind == RestrictionReview {
		d.Outcome, d.ReviewReasons = "continue", "Two abusive emails were received this month"
	}
	return d
}
