package letters

import (
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// The member response letters (002 §3: the nominated Head of Service
// will "compile and send the response"): the response to the elected
// member who made the enquiry, and its copy to the resident where the
// member asked for one. Issuing the first answers the enquiry
// (complaint.LetterMemberResponse).
const (
	MemberResponse     Kind = complaint.LetterMemberResponse
	MemberResponseCopy Kind = complaint.LetterMemberResponseCopy
)

// MemberData is the elected member a member response is about.
type MemberData struct {
	// Name and Office are the member's name and office as a letter
	// prints them ("MP", "Councillor").
	Name   string `json:"name,omitempty"`
	Office string `json:"office,omitempty"`
	// Copy is true in the resident's copy of the response.
	Copy bool `json:"copy,omitempty"`
	// Nominee is what the policy calls the person who answers, such as
	// "Head of Service", for the signature.
	Nominee string `json:"nominee,omitempty"`
	// Response is what the investigation found and what the landlord
	// will do, as recorded on the case.
	Response string `json:"response,omitempty"`
}

// memberApplies says whether a member response letter fits the case:
// the response once the enquiry is open (or answered, to send it again),
// the copy once the response has gone and only where the member asked.
func memberApplies(k Kind, c *complaint.Case, no func(string, ...any) error) error {
	m := c.Member
	switch {
	case c.Kind != complaint.KindMemberEnquiry || m == nil:
		return no("the case is a %s, not an enquiry from an MP or councillor", c.Kind)
	case k == MemberResponse && !c.Status.Open():
		return no("the enquiry is %s", c.Status)
	case k == MemberResponseCopy && !m.CopyToResident:
		return no("the member did not ask for the resident to have a copy")
	case k == MemberResponseCopy && m.RespondedAt.IsZero():
		return no("the response has not gone to the member yet")
	}
	return nil
}

// memberLetter fills a member response's data: it is addressed to the
// member, or to the resident for the copy, and dated against the
// enquiry's clock.
func memberLetter(d *Data, k Kind, c *complaint.Case, nominee string) {
	m := c.Member
	d.Member = MemberData{Name: m.Name, Office: m.Office.Title(), Copy: k == MemberResponseCopy, Nominee: nominee, Response: m.Response}
	if d.Member.Nominee == "" {
		d.Member.Nominee = "Customer experience team"
	}
	if !m.AcknowledgedAt.IsZero() {
		d.Acknowledged = NewDate(calendar.DateOf(m.AcknowledgedAt))
	}
	d.RespondBy = NewDate(m.RespondBy)
	if k == MemberResponse {
		d.Recipient = Recipient{Name: m.Name, Address: addressLines(m.Address, ""), Email: m.Email}
		d.Representative = Representative{}
		d.Salutation = "Dear " + m.Name
		return
	}
	p := c.Complainant
	d.Recipient = Recipient{Name: p.Name, Address: addressLines(p.Address, p.Postcode), Email: p.Email}
	d.Representative = Representative{}
	d.Salutation = "Dear " + p.Name
}

// member requires of a member response what the member and the resident
// need: whose enquiry it answers (the resident's name) and what about
// (the enquiry as recorded); that the resident may still complain, since
// an enquiry is not a complaint and the Code's process stays open to
// them; and, in the copy, that it is a copy of the response to the named
// member.
func (c *checker) member(k Kind, d Data) {
	c.need("resident", d.Resident, "the letter does not name the resident the enquiry is about (%s)", d.Resident)
	c.need("enquiry", d.Summary, "the enquiry (%q) is missing", short(d.Summary))
	if strings.TrimSpace(d.Member.Response) == "" {
		c.missing("case.member_response", "the enquiry has no response recorded: record what the investigation found and what we will do")
	} else {
		c.need("member_response", d.Member.Response, "the response recorded on the case (%q) is missing", short(d.Member.Response))
	}
	if !complainRE.MatchString(c.text) {
		c.missing("right_to_complain", "the letter does not say the resident may still make a complaint")
	}
	if k == MemberResponseCopy {
		c.need("copy", "copy of our response", "the letter does not say it is a copy of our response")
		c.need("member", d.Member.Name, "the letter does not name the member the response went to (%s)", d.Member.Name)
	}
}

// sampleMember is the sample member enquiry for the template editor.
func sampleMember(d *Data, k Kind) {
	d.Stage = 0
	d.Date = "2027-01-06"
	d.Points = []Point{}
	d.OutcomesSought = []string{}
	d.Remedies = []Remedy{}
	d.Escalation = Escalation{}
	d.RespondBy = "2027-01-13"
	d.Acknowledged = "2026-12-23"
	d.Summary = "Why has Mrs Pemberton's boiler failed three times since October?"
	d.Member = MemberData{Name: "Sam Rahman MP", Office: "MP", Copy: k == MemberResponseCopy, Nominee: "Head of Service",
		Response: "The boiler's heat exchanger was cracked. Our engineer replaced it on 4 January, and we will service the boiler again on 1 February to make sure it is working well."}
	d.Representative = Representative{}
	d.Resident = "Margaret Pemberton"
	if k == MemberResponse {
		d.Recipient = Recipient{Name: "Sam Rahman MP", Address: []string{"House of Commons", "London", "SW1A 0AA"}, Email: "sam.rahman.mp@parliament.example"}
		d.Salutation = "Dear Sam Rahman MP"
	} else {
		d.Recipient = Recipient{Name: "Margaret Pemberton", Address: []string{"3 Orchard Row", "Riverside Vale", "ZZ1 9QT"}, Email: "m.pemberton@example.org"}
		d.Salutation = "Dear Margaret Pemberton"
	}
}
