package letters

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Missing is one thing a letter must say and does not, or one thing the
// case must record before the letter can say it.
//
// Codes starting "case." are gaps in the case, fixed by recording what is
// missing; the others are gaps in the letter, fixed by editing the body.
// The codes are stage, definition, outcome_sought, respond_by, decision,
// reasons, remedy, compensation, action_date, action_done, escalation,
// escalation_date, how_to_escalate, final, ombudsman, extension_reason,
// extension_date, exclusion, explanation, withdrawn, withdrawal_reason,
// action, action_late, learning, other_route, policy_copy, findings,
// safety_works_date, further_works_date, not_practicable,
// right_to_complain, awaabs_law, and case.definition, case.decision, case.reasons, case.respond_by,
// case.ombudsman, case.extension, case.exclusion, case.explanation,
// case.withdrawal_reason, case.actions, case.findings and
// case.hazard_clocks.
type Missing struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// What each kind of letter must say, from the Code:
//
//   - acknowledgement and stage 2 acknowledgement (5.6, 6.2, 6.11): the
//     stage; the complaint definition, every point and every outcome
//     sought; the date the response is promised by.
//   - extension (6.4, 6.5, 6.15, 6.16): the reason; the new date; the
//     Ombudsman's contact details.
//   - stage 1 response (6.7, 6.9, 7.3): the stage; the definition; for
//     every point, its decision and the reasons; every remedy, with the
//     amount of any compensation and the due date of any action not yet
//     done; how to escalate: that stage 2 exists, the last date to ask if
//     the policy sets one, and at least one of the landlord's contact
//     lines to ask through.
//   - stage 2 response (6.18, 6.19, 6.20): as stage 1 but, instead of how
//     to escalate, that this is the final response and the Ombudsman's
//     contact details; and every action from stage 1 still not done, with
//     its due date.
//   - refusal (2.4) and refusal to escalate (5.11): the policy's reason
//     for the exclusion; the officer's explanation; the Ombudsman's
//     contact details. A refusal to escalate also names stage 2.
//   - withdrawal: that the complaint is withdrawn, and the reason
//     recorded, so that a resident who did not mean to withdraw can say so.
//   - action update (6.6, 6.17): every action, with its due date if not yet
//     done and the date it was done if it was.
//   - compliment thanks: the Code says nothing about them, but the
//     letter may not say the compliment was passed on before it was.
//   - compliment notice (000, 003 §2; not the Code): the reference, the
//     compliment itself, and everyone it praises.
//   - a response to a group whose members are listed, where the policy
//     makes it "available to all petitioners" (003; not the Code): that a
//     copy goes to every member.
//   - summary of a hazard investigation (Awaab's Law, SI 2025/1042; not
//     the Code): what the investigation found; the date the safety work
//     is due by and the date the further works must begin by (or when
//     each was done or began); why the further works cannot begin sooner,
//     where that is recorded; and the resident's rights: that they may
//     complain, that Awaab's Law sets these times, and the Ombudsman's
//     contact details.
//
// The case must hold each of these too: a response needs a decision with
// reasons on every point, an acknowledgement a definition, and so on.

// Check returns what the letter body leaves out that a letter of the kind
// must say, and what the data (the case) lacks, in the order a reader
// meets them; nil means the letter may be issued.
//
// Text is compared as a reader compares it: ignoring case, spacing, line
// breaks, curly quotes and the markup. Case text (points, reasons, remedies,
// the Ombudsman's details) must appear as recorded: a letter that rewords
// the recorded definition should go with a corrected case, not a
// different story. Decisions are counted rather than matched to points, so
// "not upheld" twice covers two points not upheld, wherever in the letter.
func Check(kind Kind, d Data, body string) []Missing {
	c := checker{text: fold(plainText(body))}
	switch kind {
	case Acknowledgement, Stage2Acknowledgement:
		c.stage(d.Stage)
		c.definition(d)
		if d.RespondBy == "" {
			c.missing("case.respond_by", "the case has no response date")
		} else {
			c.need("respond_by", d.RespondBy.String(), "the date we will respond by (%s) is missing", d.RespondBy)
		}
	case Extension:
		if d.Extension.Reason == "" {
			c.missing("case.extension", "the case has no extension with a reason")
		} else {
			c.need("extension_reason", d.Extension.Reason, "the reason for the extension (%q) is missing", short(d.Extension.Reason))
		}
		if d.Extension.NewDate != "" {
			c.need("extension_date", d.Extension.NewDate.String(), "the new response date (%s) is missing", d.Extension.NewDate)
		}
		c.ombudsman(d)
	case Stage1Response, Stage2Response:
		c.stage(d.Stage)
		if kind == Stage2Response {
			c.need("final", "final response", "the letter does not say it is our final response")
		}
		c.definition(d)
		c.decisions(d)
		c.remedies(d.Remedies, "remedy")
		if d.PrintLearning && strings.TrimSpace(d.Learning) != "" {
			c.need("learning", d.Learning, "what we have learnt (%q) is missing: our policy promises it in this response", short(d.Learning))
		}
		if kind == Stage2Response {
			c.remedies(d.EarlierActions, "action from stage 1")
			c.ombudsman(d)
			for _, r := range d.OtherRoutes {
				c.need("other_route", r, "the final response does not name %q, which our policy names as a route besides the Ombudsman", r)
			}
		} else {
			c.escalation(d)
		}
	case Refusal, EscalationRefusal:
		if kind == EscalationRefusal {
			c.need("escalation", "stage 2", "the letter does not say it is about stage 2")
		}
		if d.Exclusion.Reason == "" {
			c.missing("case.exclusion", "the case has no exclusion from the policy to refuse on")
		} else {
			c.need("exclusion", d.Exclusion.Reason, "the reason the complaint is excluded (%q) is missing", short(d.Exclusion.Reason))
		}
		if d.Exclusion.Explanation == "" {
			c.missing("case.explanation", "the case has no explanation of the refusal")
		} else {
			c.need("explanation", d.Exclusion.Explanation, "the explanation of the refusal (%q) is missing", short(d.Exclusion.Explanation))
		}
		c.ombudsman(d)
	case Withdrawal:
		c.need("withdrawn", "withdrawn", "the letter does not say the complaint is withdrawn")
		if d.WithdrawalReason == "" {
			c.missing("case.withdrawal_reason", "the case has no reason for the withdrawal")
		} else {
			c.need("withdrawal_reason", d.WithdrawalReason, "the reason for the withdrawal (%q) is missing", short(d.WithdrawalReason))
		}
	case ActionUpdate:
		if len(d.OpenActions)+len(d.DoneActions) == 0 {
			c.missing("case.actions", "the case has no actions to report on")
		}
		c.remedies(d.OpenActions, "action")
		c.remedies(d.DoneActions, "action")
		c.late(d.OpenActions, d.Date)
	case HazardSummary:
		c.hazard(d)
	case RestrictionWarning, RestrictionDecision, RestrictionReview:
		c.restriction(kind, d) // restriction.go
	case MemberResponse, MemberResponseCopy:
		c.member(kind, d)
	}
	c.checkCompliment(kind, d)
	c.checkGroup(kind, d)
	if d.OfferPolicyCopy && offersPolicyCopy[kind] && (!c.has("copy") || !c.has("complaints policy")) {
		c.missing("policy_copy", "the letter does not offer a copy of our full complaints policy, which our policy promises at each stage")
	}
	return c.out
}

// offersPolicyCopy are the kinds of letter that offer a copy of the full
// complaints policy where the policy promises one "at both stages": the
// letters that open, answer or refuse a stage.
var offersPolicyCopy = map[Kind]bool{
	Acknowledgement: true, Stage1Response: true, Refusal: true,
	Stage2Acknowledgement: true, Stage2Response: true, EscalationRefusal: true,
}

// complainRE finds a letter telling the resident they may complain: the
// verb, or "make a complaint", not merely "our complaints process".
var complainRE = regexp.MustCompile(`\b(complain|make a complaint)\b`)

// lateRE finds a letter saying that something is late.
var lateRE = regexp.MustCompile(`\b(late|overdue)\b`)

// late requires a letter to say that each overdue action (one not done
// whose due date is before the letter's date) is late, and never to
// promise it "by" its due date: a resident told "we will do this by" a
// day already gone is told something untrue. A promise is the word
// "will" earlier in the sentence that ends with the due date.
func (c *checker) late(rs []Remedy, letterDate Date) {
	saysLate := lateRE.MatchString(c.text)
	for _, r := range rs {
		if !overdue(r, letterDate) {
			continue
		}
		if !saysLate || c.promises(r.Due) {
			c.missing("action_late", "the action %q was due by %s and is not done: say that it is late, not that we will do it by then", short(r.Description), r.Due)
		}
	}
}

// promises reports whether the letter says "will" in the sentence before
// any mention of the date. Sentences end at punctuation and brackets,
// since folding has joined the lines of a list.
func (c *checker) promises(d Date) bool {
	for _, s := range []string{fold(d.Long()), fold(d.String())} {
		text := c.text
		for i := strings.Index(text, s); i >= 0; i = strings.Index(text, s) {
			before := text[:i]
			if j := strings.LastIndexAny(before, ".;:!?()"); j >= 0 {
				before = before[j+1:]
			}
			if strings.Contains(" "+before, " will ") {
				return true
			}
			text = text[i+len(s):]
		}
	}
	return false
}

type checker struct {
	text string
	out  []Missing
}

func (c *checker) missing(code, format string, args ...any) {
	c.out = append(c.out, Missing{Code: code, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) has(s string) bool { return strings.Contains(c.text, fold(s)) }

// need adds a Missing unless the letter contains s.
func (c *checker) need(code, s, format string, args ...any) {
	if !c.has(s) {
		c.missing(code, format, args...)
	}
}

func (c *checker) stage(n int) {
	if n != 1 && n != 2 {
		return
	}
	words := map[int]string{1: "one", 2: "two"}
	if !c.has("stage "+strconv.Itoa(n)) && !c.has("stage "+words[n]) {
		c.missing("stage", "the complaint stage (stage %d) is not stated", n)
	}
}

func (c *checker) definition(d Data) {
	if len(d.Points) == 0 {
		c.missing("case.definition", "the case has no complaint definition: record its points")
	}
	for _, p := range d.Points {
		c.need("definition", p.Text, "point %d of the complaint definition (%q) is missing", p.Number, short(p.Text))
	}
	for _, o := range d.OutcomesSought {
		c.need("outcome_sought", o, "the outcome the resident wants (%q) is missing", short(o))
	}
}

// upheldRE finds decisions. "not upheld" and "partly upheld" contain
// "upheld", so each match is classified by its qualifier.
var upheldRE = regexp.MustCompile(`\b(not |partly )?upheld\b`)

func (c *checker) decisions(d Data) {
	said := map[string]int{}
	for _, m := range upheldRE.FindAllStringSubmatch(c.text, -1) {
		said[m[1]+"upheld"]++
	}
	want := map[string][]string{}
	var order []string
	for _, p := range d.Points {
		if p.Decision == "" {
			c.missing("case.decision", "point %d (%q) has no decision: record a decision with reasons on every point", p.Number, short(p.Text))
			continue
		}
		if _, ok := want[p.Decision]; !ok {
			order = append(order, p.Decision)
		}
		want[p.Decision] = append(want[p.Decision], strconv.Itoa(p.Number))
		if strings.TrimSpace(p.Reasons) == "" {
			c.missing("case.reasons", "point %d (%q) has no reasons for its decision", p.Number, short(p.Text))
		} else {
			c.need("reasons", p.Reasons, "the reasons for the decision on point %d (%q) are missing", p.Number, short(p.Reasons))
		}
	}
	for _, dec := range order {
		if points := want[dec]; said[fold(dec)] < len(points) {
			noun := "point"
			if len(points) > 1 {
				noun = "points"
			}
			c.missing("decision", "the decision on %s %s (%s) is not stated", noun, list(points), dec)
		}
	}
}

func (c *checker) remedies(rs []Remedy, what string) {
	for _, r := range rs {
		code := "remedy"
		if r.Kind == "action" {
			code = "action"
		}
		c.need(code, r.Description, "the %s %q is missing", what, short(r.Description))
		if r.Amount != 0 {
			c.need("compensation", r.Amount.String(), "the amount of compensation (%s for %q) is missing", r.Amount, short(r.Description))
		}
		switch {
		case r.Kind != "action":
		case !r.Done && r.Due != "":
			c.need("action_date", r.Due.String(), "the date the action %q will be done by (%s) is missing", short(r.Description), r.Due)
		case r.Done && r.DoneOn != "":
			c.need("action_done", r.DoneOn.String(), "the date the action %q was done (%s) is missing", short(r.Description), r.DoneOn)
		}
	}
}

func (c *checker) escalation(d Data) {
	c.need("escalation", "stage 2", "how to escalate is missing: the letter does not mention stage 2")
	if d.Escalation.By != "" {
		c.need("escalation_date", d.Escalation.By.String(), "the last date to ask for stage 2 (%s) is missing", d.Escalation.By)
	}
	if len(d.Landlord.Contact) == 0 {
		return
	}
	for _, line := range d.Landlord.Contact {
		if c.has(line) {
			return
		}
	}
	c.missing("how_to_escalate", "how to ask for stage 2 is missing: give at least one of our contact details (%s)", list(d.Landlord.Contact))
}

func (c *checker) ombudsman(d Data) {
	if strings.TrimSpace(d.Ombudsman) == "" {
		c.missing("case.ombudsman", "the policy has no Ombudsman contact details")
		return
	}
	c.need("ombudsman", d.Ombudsman, "the Housing Ombudsman's contact details are missing")
}

// hazard checks the written summary of a hazard investigation (Awaab's
// Law, issue 14): what was found; what works are needed and by when, or
// when they were done; and the resident's rights: that they may
// complain, that Awaab's Law sets these times, and the Ombudsman's
// details.
func (c *checker) hazard(d Data) {
	h := d.Hazard
	if strings.TrimSpace(h.Findings) == "" {
		c.missing("case.findings", "the hazard has no findings: record the investigation with what it found")
	} else {
		c.need("findings", h.Findings, "what the investigation found (%q) is missing", short(h.Findings))
	}
	works := []struct {
		code, what string
		by, done   Date
	}{
		{"safety_works_date", "the safety work", h.SafetyWorksBy, h.SafetyWorksDone},
		{"further_works_date", "the further works", h.FurtherWorksBy, h.FurtherWorksBegun},
	}
	for _, w := range works {
		switch {
		case w.done != "":
			c.need(w.code, w.done.String(), "the date %s was done or began (%s) is missing", w.what, w.done)
		case w.by == "":
			c.missing("case.hazard_clocks", "the hazard has no date for %s: record the investigation first", w.what)
		default:
			c.need(w.code, w.by.String(), "the date %s is due by (%s) is missing", w.what, w.by)
		}
	}
	if h.NotPracticable != "" && h.FurtherWorksBegun == "" {
		c.need("not_practicable", h.NotPracticable, "why the further works cannot begin sooner (%q) is missing", short(h.NotPracticable))
	}
	if !complainRE.MatchString(c.text) {
		c.missing("right_to_complain", "the letter does not tell the resident they may complain")
	}
	c.need("awaabs_law", "Awaab's Law", "the letter does not say that Awaab's Law sets these times")
	c.ombudsman(d)
}

// short quotes the start of a long text in a message.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return strings.TrimSpace(string(r[:57])) + "..."
	}
	return s
}
