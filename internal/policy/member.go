package policy

import "fmt"

// KindMemberEnquiry is an enquiry from an elected member on a resident's
// behalf, which a policy may list under its own name in kinds (002 §3's
// "MP and Councillor enquiries").
const KindMemberEnquiry = "member_enquiry"

// MemberEnquiries is how the landlord takes enquiries from elected
// members (MPs, councillors and other elected representatives) made on a
// resident's behalf. 002 §3: "MP and Councillor enquiries follow a
// separate process with identical timescales ... Contact is primarily
// made through the Chief Executive's office and a Head of Service will
// be nominated accordingly to undertake the investigation and compile
// and send the response"; 001 lists "councillors, MPs and other elected
// representatives" among those who may contact it. Such an enquiry is
// not a complaint: it is never counted in the Tenant Satisfaction
// Measures, but it is answered within the stage 1 times of the policy.
type MemberEnquiries struct {
	// Accept is true where the landlord logs member enquiries as a kind
	// of their own; false, Redress refuses the kind.
	Accept bool `yaml:"accept,omitempty" json:"accept,omitempty"`
	// NomineeRole is the role the person nominated to investigate and
	// answer must hold: "manager" (002's Head of Service), or "" for
	// anyone who may handle cases.
	NomineeRole string `yaml:"nominee_role,omitempty" json:"nominee_role,omitempty"`
	// NomineeTitle is what the document calls the nominee, such as
	// "Head of Service", for the pages and the letter's signature.
	NomineeTitle string `yaml:"nominee_title,omitempty" json:"nominee_title,omitempty"`
	// Source cites where the document says so, or why it is assumed.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// NomineeRoles are the roles a policy may require of the nominee.
var NomineeRoles = []string{"", "manager"}

func (m MemberEnquiries) validate() []FieldError {
	for _, r := range NomineeRoles {
		if m.NomineeRole == r {
			return nil
		}
	}
	return []FieldError{{Field: "member_enquiries.nominee_role", Message: fmt.Sprintf("%q is not a role a nominee may be required to hold: want manager, or leave it out", m.NomineeRole)}}
}
