package policy

import (
	"strings"
	"testing"
)

// 002 §3 nominates a Head of Service to answer MP and Councillor
// enquiries; 001 takes contact from "councillors, MPs and other elected
// representatives"; the other documents are silent. Every preset takes
// member enquiries and cites its document or says why it is assumed.
func TestEveryPresetTakesMemberEnquiriesAndSaysWhy(t *testing.T) {
	for _, name := range Presets() {
		me := mustPreset(t, name).MemberEnquiries
		if !me.Accept {
			t.Errorf("%s does not take member enquiries", name)
		}
		switch name {
		case "greatwell-homes":
			if me.NomineeRole != "manager" || me.NomineeTitle != "Head of Service" || !strings.Contains(me.Source, "a Head of Service will be nominated") {
				t.Errorf("%s: %+v, want a Head of Service (a manager) quoting 002", name, me)
			}
		case "customer-feedback":
			if !strings.Contains(me.Source, "councillors, MPs and other elected representatives") {
				t.Errorf("%s: source %q does not quote 001", name, me.Source)
			}
		default:
			if !strings.Contains(me.Source, "assumed") {
				t.Errorf("%s: source %q does not say it is assumed", name, me.Source)
			}
		}
		if me.NomineeRole != "" && name != "greatwell-homes" {
			t.Errorf("%s names a nominee role %q its document does not", name, me.NomineeRole)
		}
	}
}

// A nominee role the policy cannot hold is refused on load, by its
// field.
func TestAMemberEnquiryNomineeRoleMustBeAManager(t *testing.T) {
	errs := MemberEnquiries{Accept: true, NomineeRole: "chief executive"}.validate()
	if len(errs) != 1 || errs[0].Field != "member_enquiries.nominee_role" {
		t.Errorf("validate = %+v, want one error on member_enquiries.nominee_role", errs)
	}
}
