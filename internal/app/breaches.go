package app

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/redresshq/redress/internal/policy"
)

// AcceptPolicyBreachesSetting names the flag and the environment variable
// that acknowledge a policy's breaches, for the messages that ask for it.
const AcceptPolicyBreachesSetting = "--accept-policy-breaches (REDRESS_ACCEPT_POLICY_BREACHES=true)"

// policyBreaches returns the breaches of the Code that the compliance check
// finds in p. A policy that breaches the Code is never served silently:
// without the acknowledgement start-up fails listing them and naming the
// setting; with it each is logged as a warning and returned, for the staff
// pages to show.
func policyBreaches(p *policy.Policy, accepted bool, log *slog.Logger) ([]policy.Finding, error) {
	var breaches []policy.Finding
	for _, f := range policy.Check(p) {
		if f.Severity == policy.Breach {
			breaches = append(breaches, f)
		}
	}
	if len(breaches) == 0 {
		return nil, nil
	}
	if !accepted {
		var b strings.Builder
		fmt.Fprintf(&b, "the policy %s breaches the Complaint Handling Code in %d ways:", p.Name, len(breaches))
		for _, f := range breaches {
			fmt.Fprintf(&b, "\n  - %s", describeBreach(f))
		}
		fmt.Fprintf(&b, "\nfix the policy (see redress policy check %s), or start with %s to serve it anyway, with the breaches shown to managers on every page", p.Name, AcceptPolicyBreachesSetting)
		return nil, fmt.Errorf("%s", b.String())
	}
	for _, f := range breaches {
		log.Warn("the policy breaches the Complaint Handling Code", "policy", p.Name, "provision", f.Provision,
			"step", f.Step, "policy_says", f.Policy, "code_says", f.Code, "message", f.Message)
	}
	return breaches, nil
}

// describeBreach is one breach as a line of text.
func describeBreach(f policy.Finding) string {
	return fmt.Sprintf("Code %s, %s: %s (the policy: %s; the Code: %s)", f.Provision, f.Step, f.Message, f.Policy, f.Code)
}
