package complaint

import (
	"errors"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/policy"
)

// KindMemberEnquiry is an enquiry an elected member (an MP, a councillor
// or another elected representative) makes on a resident's behalf. 002
// §3: "MP and Councillor enquiries follow a separate process with
// identical timescales"; 001 takes contact from "councillors, MPs and
// other elected representatives". It is answered within the policy's
// stage 1 times but it is not a complaint: it has no stages, and the
// Tenant Satisfaction Measures (CH01, CH02) never count it.
const KindMemberEnquiry Kind = "member_enquiry"

// Office is the elected office a member holds.
type Office string

// The offices (001: "councillors, MPs and other elected
// representatives").
const (
	OfficeMP         Office = "mp"
	OfficeCouncillor Office = "councillor"
	OfficeOther      Office = "other_elected_representative"
)

// Offices lists every office.
var Offices = []Office{OfficeMP, OfficeCouncillor, OfficeOther}

// Title is how a letter or page names the office.
func (o Office) Title() string {
	switch o {
	case OfficeMP:
		return "MP"
	case OfficeCouncillor:
		return "Councillor"
	}
	return "Elected representative"
}

// Member is the elected member who made an enquiry, as given when it is
// logged.
type Member struct {
	Name    string `json:"name"`
	Office  Office `json:"office"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	// ResidentConsent records that the resident agreed to the member
	// acting for them, without which the landlord may not discuss the
	// resident's affairs with the member.
	ResidentConsent bool `json:"resident_consent"`
	// CopyToResident is true where the member asked that the resident
	// have a copy of the response.
	CopyToResident bool `json:"copy_to_resident"`
}

// MemberEnquiry is a member enquiry's member and its clock: the
// acknowledgement and the response are due as a stage 1 complaint's
// (002 §3: "identical timescales").
type MemberEnquiry struct {
	Member
	AcknowledgeBy  calendar.Date `json:"acknowledge_by"`
	RespondBy      calendar.Date `json:"respond_by"`
	AcknowledgedAt time.Time     `json:"acknowledged_at,omitzero"`
	// RespondedAt is when the member response letter was first issued.
	RespondedAt time.Time `json:"responded_at,omitzero"`
	// Response is what the nominee's investigation found and what the
	// landlord will do: what the member response letter says.
	Response string `json:"response,omitempty"`
}

// nextDue is the enquiry's next deadline while the case is in status s.
func (m *MemberEnquiry) nextDue(s Status) calendar.Date {
	switch s {
	case StatusReceived:
		return m.AcknowledgeBy
	case StatusAcknowledged:
		return m.RespondBy
	}
	return calendar.Date{}
}

// LetterMemberResponse and LetterMemberResponseCopy are the kinds of the
// response letter to the member and its copy to the resident. Issuing
// the first answers the enquiry.
const (
	LetterMemberResponse     = "member_response"
	LetterMemberResponseCopy = "member_response_copy"
)

// checkMember adds to fe every problem with the member of a new contact:
// a member enquiry needs one, with a name, an office, a way to answer
// them and the resident's consent; no other kind has one.
func checkMember(fe fieldErrors, env Env, kind Kind, m *Member) {
	if kind != KindMemberEnquiry {
		if m != nil {
			fe.add("member", "is only for a member_enquiry: a representative acting for the resident is given as representative")
		}
		return
	}
	if env.Policy != nil && !env.Policy.MemberEnquiries.Accept {
		fe.add("kind", "the policy %s does not take enquiries from MPs and councillors as a kind of their own: log it as an enquiry", env.Policy.Name)
	}
	if m == nil {
		fe.add("member", "is required for a member enquiry: the elected member's name, office and contact details")
		return
	}
	checkLine(fe, "member.name", m.Name, maxShort, true)
	if _, err := enum.Parse(string(m.Office), Offices, "an office"); err != nil {
		fe.add("member.office", "%v", err)
	}
	checkLine(fe, "member.email", m.Email, maxShort, false)
	checkEmail(fe, "member.email", m.Email)
	checkLine(fe, "member.phone", m.Phone, maxShort, false)
	checkText(fe, "member.address", m.Address, 1000, false)
	if strings.TrimSpace(m.Email+m.Address) == "" {
		fe.add("member.email", "give the member's email or postal address so that the response can reach them")
	}
	if !m.ResidentConsent {
		fe.add("member.resident_consent", "must be recorded: the resident's consent to the member acting for them is needed before their affairs are discussed with the member")
	}
}

// newMemberEnquiry sets up a new member enquiry on c: its member, and its
// acknowledgement and response dates as a stage 1 complaint's.
func newMemberEnquiry(c *Case, m Member, env Env) error {
	c.Member = &MemberEnquiry{Member: trimMember(m)}
	return memberDeadlines(c, env)
}

// trimMember is the member as kept: every detail trimmed.
func trimMember(m Member) Member {
	return Member{Name: strings.TrimSpace(m.Name), Office: m.Office, Email: strings.TrimSpace(m.Email), Phone: strings.TrimSpace(m.Phone),
		Address: strings.TrimSpace(m.Address), ResidentConsent: m.ResidentConsent, CopyToResident: m.CopyToResident}
}

// memberChanges records each detail of a member enquiry's member that a
// correction changes (EditDetails), with its old and new values.
func memberChanges(change func(field, from, to string), o, n Member) {
	yes := func(b bool) string { return yesNo(b, true) }
	change("member.name", o.Name, n.Name)
	change("member.office", string(o.Office), string(n.Office))
	change("member.email", o.Email, n.Email)
	change("member.phone", o.Phone, n.Phone)
	change("member.address", o.Address, n.Address)
	change("member.resident_consent", yes(o.ResidentConsent), yes(n.ResidentConsent))
	change("member.copy_to_resident", yes(o.CopyToResident), yes(n.CopyToResident))
}

// memberDeadlines computes the enquiry's due dates from the policy's
// stage 1 times.
func memberDeadlines(c *Case, env Env) error {
	m := c.Member
	dl, err := env.Policy.Deadlines(env.Calendar, 1, policy.Timeline{Received: c.ReceivedAt, Acknowledged: m.AcknowledgedAt, Responded: m.RespondedAt})
	if err != nil {
		var nc *calendar.NotCoveredError
		if errors.As(err, &nc) {
			return Errorf(Unavailable, "%v", err)
		}
		return err
	}
	m.AcknowledgeBy, m.RespondBy = dl.AcknowledgeBy.Date, dl.RespondBy.Date
	return nil
}

// checkNominee refuses to nominate, to handle a member enquiry, someone
// without the role the policy requires: 002 §3 nominates a Head of
// Service, a manager in Redress.
func checkNominee(c *Case, cmd Assign, env Env) error {
	if c.Kind != KindMemberEnquiry || env.Replay || env.Policy == nil {
		return nil
	}
	me := env.Policy.MemberEnquiries
	if me.NomineeRole == "manager" && cmd.HandlerRole != "" && cmd.HandlerRole != "manager" && cmd.HandlerRole != "admin" {
		title := me.NomineeTitle
		if title == "" {
			title = "a manager"
		}
		return Errorf(Conflict, "%s is %s %s: the policy has a member enquiry investigated and answered by a nominated %s, a manager", cmd.Handler, article(cmd.HandlerRole), cmd.HandlerRole, title)
	}
	return nil
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

// AcknowledgeMemberEnquiry records that the member's enquiry was
// acknowledged, which starts the response clock as a stage 1
// complaint's acknowledgement does (002 §3: "identical timescales").
type AcknowledgeMemberEnquiry struct{}

func (AcknowledgeMemberEnquiry) event() EventKind { return EventMemberEnquiryAcknowledged }

func (AcknowledgeMemberEnquiry) decide(d *decision) error {
	c, next := d.before, d.next
	if c.Kind != KindMemberEnquiry || c.Member == nil {
		return Errorf(Conflict, "the case is a %s, not a member enquiry", c.Kind)
	}
	if c.Status != StatusReceived {
		return Errorf(Conflict, "the enquiry is %s: it was acknowledged already", c.Status)
	}
	next.Member.AcknowledgedAt = d.at
	next.Status = StatusAcknowledged
	return memberDeadlines(next, d.env)
}

// memberResponseLetter records, when the member response letter is first
// issued, that the enquiry was answered. The copy to the resident goes
// only where the member asked for one, and after the response.
func memberResponseLetter(next *Case, l RecordLetter, at time.Time, env Env) error {
	if l.Kind != LetterMemberResponse && l.Kind != LetterMemberResponseCopy {
		return nil
	}
	m := next.Member
	switch {
	case next.Kind != KindMemberEnquiry || m == nil:
		return Errorf(Conflict, "the case is a %s, not a member enquiry: it has no member to answer", next.Kind)
	case l.Kind == LetterMemberResponseCopy && !m.CopyToResident:
		return Errorf(Conflict, "the member did not ask for the resident to have a copy of the response")
	case l.Kind == LetterMemberResponseCopy && m.RespondedAt.IsZero():
		return Errorf(Conflict, "the response has not gone to the member yet: send it first, then the copy")
	case l.Kind == LetterMemberResponseCopy || !m.RespondedAt.IsZero():
		return nil // a copy, or the response sent again
	case !next.Status.Open():
		return Errorf(Conflict, "the enquiry is %s", next.Status)
	}
	m.RespondedAt = at
	next.Status = StatusResponded
	return memberDeadlines(next, env)
}

// RecordMemberResponse records what the nominee's investigation of a
// member enquiry found and what the landlord will do (002 §3: the Head of
// Service will "undertake the investigation and compile and send the
// response"). The member response letter prints it, and the letter check
// requires it. It may be recorded again, corrected, until the response
// has gone.
type RecordMemberResponse struct {
	Response string `json:"response"`
}

func (RecordMemberResponse) event() EventKind { return EventMemberResponseRecorded }

func (cmd RecordMemberResponse) decide(d *decision) error {
	c, next, fe := d.before, d.next, d.fe
	checkText(fe, "response", cmd.Response, maxText, true)
	if err := fe.err(); err != nil {
		return err
	}
	switch {
	case c.Kind != KindMemberEnquiry || c.Member == nil:
		return Errorf(Conflict, "the case is a %s, not a member enquiry", c.Kind)
	case !c.Member.RespondedAt.IsZero() || !c.Status.Open():
		return Errorf(Conflict, "the enquiry is %s: its response has gone", c.Status)
	}
	next.Member.Response = strings.TrimSpace(cmd.Response)
	return nil
}
