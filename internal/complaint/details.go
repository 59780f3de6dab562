package complaint

import (
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/enum"
)

// EditDetails sets or corrects a case's details: its tenure, service
// area, categories, summary, description and the contact details of the
// complainant and their representative. Only
// the fields given (not nil) change, each checked as when the case was
// logged. It is allowed in any status, a closed case included, because
// a correction is not a step in the case's course: a complaint logged
// from the resident's form or email arrives with no tenure, and is in no
// tenure's measures until an officer sets it.
//
// Changes is filled in by Decide, never by the caller: it records every
// field that changed with its old and new values, so the audit trail
// shows what the correction was.
type EditDetails struct {
	// Tenure is one of Tenures, or "" to record that it is not known.
	Tenure      *Tenure   `json:"tenure,omitempty"`
	ServiceArea *string   `json:"service_area,omitempty"`
	Categories  *[]string `json:"categories,omitempty"`
	Summary     *string   `json:"summary,omitempty"`
	// Description is the resident's account as logged; corrected, say,
	// where it was typed from a call and the resident has since put it
	// right.
	Description *string `json:"description,omitempty"`
	// Complainant replaces the complainant's name and contact details
	// whole.
	Complainant *Person `json:"complainant,omitempty"`
	// Representative replaces the representative's name, relationship,
	// contact details and whether their consent is on record, whole, or
	// names one where the case had none. A representative is not removed
	// by a correction: that is the resident's decision about who acts for
	// them, recorded as a note.
	Representative *Representative `json:"representative,omitempty"`
	// LineManager names, by email, the user who line-manages the member
	// of staff a confidential complaint is about: one of the people the
	// case names as able to see it. "" removes the name, except where
	// the policy keeps a confidential case to the people it names.
	LineManager *string `json:"line_manager,omitempty"`
	// Member replaces a member enquiry's elected member whole: their
	// name, office, contact details, the resident's consent and whether
	// the resident is copied in (002 §3), checked as when it was logged.
	Member *Member `json:"member,omitempty"`
	// Reason says why, for the audit trail; optional.
	Reason  string         `json:"reason,omitempty"`
	Changes []DetailChange `json:"changes,omitempty"`
}

// DetailChange is one field an EditDetails changed, with its old and
// new values as text.
type DetailChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

func (EditDetails) event() EventKind { return EventDetailsEdited }

// decide records the command with its changes, for the event: a
// correction's event shows its old and new values.
func (cmd EditDetails) decide(d *decision) error {
	c, next, env, fe := d.before, d.next, d.env, d.fe
	if cmd.Tenure == nil && cmd.ServiceArea == nil && cmd.Categories == nil && cmd.Summary == nil && cmd.Description == nil &&
		cmd.Complainant == nil && cmd.Representative == nil && cmd.LineManager == nil && cmd.Member == nil {
		return InvalidField("body", "give at least one detail to change: tenure, service_area, categories, summary, description, complainant, representative, line_manager or member")
	}
	cmd.check(fe, env, &c)
	checkText(fe, "reason", cmd.Reason, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}

	var changes []DetailChange
	change := func(field, from, to string) {
		if from != to {
			changes = append(changes, DetailChange{Field: field, From: from, To: to})
		}
	}
	if cmd.Tenure != nil {
		change("tenure", string(c.Tenure), string(*cmd.Tenure))
		next.Tenure = *cmd.Tenure
	}
	if cmd.ServiceArea != nil {
		next.ServiceArea = strings.TrimSpace(*cmd.ServiceArea)
		change("service_area", c.ServiceArea, next.ServiceArea)
	}
	if cmd.Categories != nil {
		next.Categories = nonNil(trimAll(*cmd.Categories))
		change("categories", strings.Join(c.Categories, "; "), strings.Join(next.Categories, "; "))
	}
	if cmd.Summary != nil {
		next.Summary = strings.TrimSpace(*cmd.Summary)
		change("summary", c.Summary, next.Summary)
	}
	if cmd.Description != nil {
		next.Description = strings.TrimSpace(*cmd.Description)
		change("description", c.Description, next.Description)
	}
	if cmd.Complainant != nil {
		next.Complainant = trimPerson(*cmd.Complainant)
		o, n := c.Complainant, next.Complainant
		change("complainant.name", o.Name, n.Name)
		change("complainant.email", o.Email, n.Email)
		change("complainant.phone", o.Phone, n.Phone)
		change("complainant.address", o.Address, n.Address)
		change("complainant.postcode", o.Postcode, n.Postcode)
		change("complainant.tenancy_ref", o.TenancyRef, n.TenancyRef)
	}
	if cmd.Representative != nil {
		next.Representative = trimRepresentative(cmd.Representative)
		var o Representative
		if c.Representative != nil {
			o = *c.Representative
		}
		n := *next.Representative
		change("representative.name", o.Name, n.Name)
		change("representative.relationship", o.Relationship, n.Relationship)
		change("representative.consent_recorded", yesNo(o.ConsentRecorded, c.Representative != nil), yesNo(n.ConsentRecorded, true))
		change("representative.email", o.Email, n.Email)
		change("representative.phone", o.Phone, n.Phone)
	}
	if cmd.LineManager != nil {
		next.LineManager = strings.TrimSpace(*cmd.LineManager)
		change("line_manager", c.LineManager, next.LineManager)
	}
	if cmd.Member != nil {
		m := *next.Member
		m.Member = trimMember(*cmd.Member)
		memberChanges(change, c.Member.Member, m.Member)
		next.Member = &m
	}
	if len(changes) == 0 {
		return Errorf(Conflict, "nothing would change: the case already has these details")
	}
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	cmd.Changes = changes
	d.recorded = cmd
	return nil
}

// check adds to fe every problem with the details given, each checked
// as when the case was logged.
func (cmd EditDetails) check(fe fieldErrors, env Env, c *Case) {
	if cmd.Tenure != nil && *cmd.Tenure != "" {
		if _, err := enum.Parse(string(*cmd.Tenure), Tenures, "a tenure"); err != nil {
			fe.add("tenure", "%v", err)
		}
	}
	if cmd.ServiceArea != nil {
		checkLine(fe, "service_area", *cmd.ServiceArea, maxShort, false)
	}
	if cmd.Categories != nil {
		checkCategories(fe, "categories", *cmd.Categories)
	}
	if cmd.Summary != nil {
		checkLine(fe, "summary", *cmd.Summary, 500, true)
	}
	if cmd.Description != nil {
		checkText(fe, "description", *cmd.Description, maxText, false)
	}
	if cmd.Complainant != nil {
		checkPerson(fe, *cmd.Complainant, c.Representative != nil || cmd.Representative != nil)
	}
	if cmd.Representative != nil {
		checkRepresentative(fe, *cmd.Representative)
	}
	if cmd.LineManager != nil {
		checkLineManager(fe, env, c.Confidential, *cmd.LineManager)
	}
	if cmd.Member != nil {
		// Whether the policy takes member enquiries was settled when
		// this one was logged; only the member's details are checked.
		e := env
		e.Policy = nil
		checkMember(fe, e, c.Kind, cmd.Member)
	}
}

// checkPerson checks the complainant's name and contact details, as
// they will be kept. Without a representative the landlord needs a way
// to reply: an email, phone or address.
func checkPerson(fe fieldErrors, p Person, represented bool) {
	checkLine(fe, "complainant.name", p.Name, maxShort, true)
	for _, f := range []struct{ field, v string }{{"email", p.Email}, {"phone", p.Phone}, {"postcode", p.Postcode}, {"tenancy_ref", p.TenancyRef}} {
		checkLine(fe, "complainant."+f.field, f.v, maxShort, false)
	}
	checkText(fe, "complainant.address", p.Address, 1000, false)
	checkEmail(fe, "complainant.email", p.Email)
	if strings.TrimSpace(p.Email+p.Phone+p.Address) == "" && !represented {
		fe.add("complainant", "give an email, phone or address so that the landlord can reply")
	}
}

// checkRepresentative checks a representative's name and contact
// details, as NewCase does.
func checkRepresentative(fe fieldErrors, r Representative) {
	checkLine(fe, "representative.name", r.Name, maxShort, true)
	checkLine(fe, "representative.relationship", r.Relationship, maxShort, true)
	checkLine(fe, "representative.email", r.Email, maxShort, false)
	checkLine(fe, "representative.phone", r.Phone, maxShort, false)
	checkEmail(fe, "representative.email", r.Email)
}

// yesNo writes a flag for a change's record; "" where there was nothing
// to have it, so a representative named for the first time shows
// consent going from nothing to yes or no.
func yesNo(b, known bool) string {
	switch {
	case !known:
		return ""
	case b:
		return "yes"
	}
	return "no"
}

// checkCategories checks a list of categories as NewCase does.
func checkCategories(fe fieldErrors, field string, list []string) {
	if len(list) > maxList {
		fe.add(field, "has more than %d entries", maxList)
	}
	for i, s := range list {
		checkLine(fe, fmt.Sprintf("%s[%d]", field, i), s, maxShort, true)
	}
}

// checkLineManager checks the line manager named on a case, as it will be
// kept: trimmed. Where the policy keeps confidential cases to the people
// they name (greatwell-homes, 002: "accessible only to nominated
// Complaints Officer and relevant line Manager"), a confidential
// complaint must name one, or no manager but the handlers could ever see
// it. A replay accepts what was accepted when it was recorded.
func checkLineManager(fe fieldErrors, env Env, confidential bool, email string) {
	checkLine(fe, "line_manager", email, maxShort, false)
	checkEmail(fe, "line_manager", email)
	if confidential && strings.TrimSpace(email) == "" && !fe.replay && env.Policy != nil && env.Policy.Confidential.NamedViewersOnly {
		fe.add("line_manager", "is required for a confidential case under this policy: give the email of the line manager of the member of staff it is about, who may then see it with its handlers and whoever logged it")
	}
}
