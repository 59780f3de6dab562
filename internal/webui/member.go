package webui

import (
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
)

// officeOptions are the offices an elected member may hold, as the
// new-contact page offers them (001: "councillors, MPs and other elected
// representatives").
var officeOptions = []option{
	{string(complaint.OfficeMP), "MP"},
	{string(complaint.OfficeCouncillor), "Councillor"},
	{string(complaint.OfficeOther), "Another elected representative"},
}

// memberFromForm reads the elected member of a member enquiry from the
// new-contact page; nil for any other kind, so that the fields of a
// disclosure left filled in on another kind are not sent.
func memberFromForm(kind complaint.Kind, form url.Values) *complaint.Member {
	if kind != complaint.KindMemberEnquiry {
		return nil
	}
	return &complaint.Member{
		Name: form.Get("member.name"), Office: complaint.Office(form.Get("member.office")),
		Email: strings.TrimSpace(form.Get("member.email")), Phone: form.Get("member.phone"), Address: form.Get("member.address"),
		ResidentConsent: form.Get("member.resident_consent") == "yes", CopyToResident: form.Get("member.copy_to_resident") == "yes",
	}
}

// memberNextStep is the next step of a member enquiry (002 §3): nominate
// the head of service who investigates and answers, acknowledge the
// enquiry, record the response, send it to the member, and close. The
// dates are a stage 1 complaint's.
func memberNextStep(c complaint.Case) (nextStep, bool) {
	m := c.Member
	if c.Kind != complaint.KindMemberEnquiry || m == nil || !c.Status.Open() {
		return nextStep{}, false
	}
	switch {
	case c.Handler == "":
		return nextStep{Form: "assign", Title: "Nominate who will answer", Due: m.AcknowledgeBy,
			Why: "The person nominated, such as a head of service, investigates the enquiry and compiles and sends the response (the policy says who may be nominated)."}, true
	case c.Status == complaint.StatusReceived:
		return nextStep{Title: "Acknowledge the enquiry", Due: m.AcknowledgeBy,
			Why: "Acknowledge it to the member as a stage 1 complaint is acknowledged: it has the same timescales. Use the button in the enquiry's section below."}, true
	case c.Status == complaint.StatusAcknowledged && m.Response == "":
		return nextStep{Title: "Record the response", Due: m.RespondBy,
			Why: "Record what the investigation found and what we will do, in the enquiry's section below. The response letter to the member prints it."}, true
	case c.Status == complaint.StatusAcknowledged:
		return nextStep{Letter: letters.MemberResponse, Title: "Send the response to the member", Due: m.RespondBy,
			Why: "Issuing the response letter answers the enquiry."}, true
	}
	return nextStep{Form: "close", Title: "Close the enquiry", Why: "The member has had the response."}, true
}

// memberDetail is the timeline's account of a member enquiry's steps.
func memberDetail(kind complaint.EventKind, m map[string]any) (label string, text string) {
	switch kind {
	case complaint.EventMemberEnquiryAcknowledged:
		return "member enquiry acknowledged", ""
	case complaint.EventMemberResponseRecorded:
		s, _ := m["response"].(string)
		return "response to the member recorded", s
	}
	return "", ""
}

// withValue gives a form field a value to start from, such as what the
// case already records.
func withValue(f formField, v string) formField {
	f.Value = v
	return f
}
