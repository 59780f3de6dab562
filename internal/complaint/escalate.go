package complaint

import (
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Escalate moves a stage 1 complaint to stage 2. Reason is optional, as
// the Code says; LateReason is required after the policy's window.
type Escalate struct {
	Reason     string `json:"reason"`
	LateReason string `json:"late_reason"`
}

func (Escalate) event() EventKind { return EventEscalated }

func (cmd Escalate) decide(d *decision) error {
	c, next, env, fe := &d.before, d.next, d.env, d.fe
	if c.Kind != KindComplaint || c.Stage != 1 {
		return Errorf(Conflict, "only a stage 1 complaint can be escalated; there is no stage 3 (Code 5.3)")
	}
	if c.Status != StatusResponded && c.Status != StatusClosed {
		return Errorf(Conflict, "the complaint is %s: it can be escalated once stage 1 has been responded to", c.Status)
	}
	checkText(fe, "reason", cmd.Reason, maxText, false)
	checkText(fe, "late_reason", cmd.LateReason, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	if st := d.stage(); !st.EscalateBy.IsZero() && calendar.DateOf(d.at).After(st.EscalateBy) && strings.TrimSpace(cmd.LateReason) == "" {
		return ConflictField("late_reason", fmt.Sprintf("the escalation window ended on %s", st.EscalateBy),
			"is required: the escalation window ended on %s, so record why the late request is accepted", st.EscalateBy)
	}
	// Stage 2 keeps the case's reference unless the policy gives it
	// a new one, linked to the first.
	ref := c.Reference
	if env.Policy.Stage2.NewReference {
		var err error
		if ref, err = env.NewReference(calendar.DateOf(d.at).Year()); err != nil {
			return err
		}
	}
	next.Stages = append(next.Stages, Stage{
		Stage: 2, Reference: ref, ReceivedAt: d.at, Handlers: []string{}, Extensions: []Extension{},
		Reason: strings.TrimSpace(cmd.Reason), LateReason: strings.TrimSpace(cmd.LateReason),
	})
	next.Stage = 2
	next.Status = StatusReceived
	next.Handler = ""
	next.ClosedAt = time.Time{}
	return d.deadlines()
}
