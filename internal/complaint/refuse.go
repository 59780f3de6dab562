package complaint

import (
	"strings"

	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/policy"
)

// Refuse declines to take a complaint on one of the policy's exclusions.
type Refuse struct {
	Exclusion   string `json:"exclusion"`
	Explanation string `json:"explanation"`
	// Restriction is filled in by the rule, never by the caller: the
	// restriction in force that the restricted-contact exclusion relied on.
	Restriction string `json:"restriction,omitempty"`
}

func (Refuse) event() EventKind { return EventRefused }

func (cmd Refuse) decide(d *decision) error {
	c, env, fe := d.before, d.env, d.fe
	if c.Kind != KindComplaint {
		return Errorf(Conflict, "only a complaint can be refused")
	}
	if err := requireStatus(&c, "refuse", StatusReceived, StatusAcknowledged); err != nil {
		return err
	}
	codes := make([]string, len(env.Policy.Exclusions))
	for i, x := range env.Policy.Exclusions {
		codes[i] = x.Code
	}
	if _, err := enum.Parse(cmd.Exclusion, codes, "one of the policy's exclusions"); err != nil {
		fe.add("exclusion", "%v", err)
	}
	checkText(fe, "explanation", cmd.Explanation, maxText, true)
	cmd = restrictedRefusal(d, cmd)
	if err := fe.err(); err != nil {
		return err
	}
	if err := stage2RefusalGround(c, env.Policy, cmd.Exclusion); err != nil {
		return err
	}
	d.next.Status = StatusRefused
	d.next.Exclusion = cmd.Exclusion
	d.next.EndReason = strings.TrimSpace(cmd.Explanation) + restrictedReason(cmd)
	d.next.ClosedAt = d.at
	return nil
}

// stage2RefusalGround returns a conflict, naming the exclusion field, when
// the exclusion chosen to refuse c cannot be a ground for refusing its
// stage 2.
//
// The Code lets a landlord refuse to escalate only for valid reasons
// consistent with its section 2 (provision 5.11), and section 2's grounds
// (2.2) are about the matter, not about asking for stage 2:
//
//   - "previously considered" (2.2) means considered under the policy
//     before this complaint. Every escalation was considered at stage 1 of
//     the same complaint, so citing it would refuse every stage 2, which
//     6.10 forbids: an unresolved stage 1 must go to stage 2.
//   - the time limit (2.2, 2.3) runs from the issue to the complaint, and
//     stage 1 accepted this complaint within it. How long the resident took
//     to ask for stage 2 is the escalation window's business; the Code sets
//     no limit (6.10), and Redress takes a late request with a recorded
//     reason rather than refusing it.
//
// Legal proceedings can start after stage 1, and a landlord's own grounds
// are its own, so both may still refuse a stage 2.
func stage2RefusalGround(c Case, p *policy.Policy, exclusion string) error {
	if c.Stage < 2 {
		return nil
	}
	for _, x := range p.Exclusions {
		if x.Code != exclusion {
			continue
		}
		switch x.Ground {
		case policy.GroundPreviouslyConsidered:
			return &Error{Code: Conflict, Message: "stage 2 cannot be refused as previously considered: every escalation was considered at stage 1 of the same complaint (Code 5.11, 6.10)",
				Fields: map[string]string{"exclusion": "\"" + exclusion + "\" (previously considered) is no ground for refusing stage 2 of the same complaint"}}
		case policy.GroundTimeLimit:
			return &Error{Code: Conflict, Message: "stage 2 cannot be refused as out of time: stage 1 accepted the complaint within the time limit, and a late request for stage 2 is governed by the escalation window, with a recorded reason (Code 2.3, 6.10)",
				Fields: map[string]string{"exclusion": "\"" + exclusion + "\" (time limit) is no ground for refusing stage 2 of the same complaint"}}
		}
	}
	return nil
}

// RefusalExclusions returns the policy's exclusions that may refuse c at
// its current stage, for forms to offer: at stage 2 neither "previously
// considered" nor the time limit.
func RefusalExclusions(c Case, p *policy.Policy) []policy.Exclusion {
	var xs []policy.Exclusion
	for _, x := range p.Exclusions {
		if stage2RefusalGround(c, p, x.Code) == nil {
			xs = append(xs, x)
		}
	}
	return xs
}
