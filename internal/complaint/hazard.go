package complaint

import (
	"strings"
	"time"
)

// The health-and-safety flag (003, feedback-policy-2018: "all complaints,
// comments and feedback where a Health and Safety risk is identified will
// be formally recorded and immediately referred to a senior manager").
//
// A risk is often noticed after a contact is logged (a second call, a
// visit, a photograph), so the flag can be set and cleared at any time,
// in any status, each change on the audit trail. A flagged contact waits
// on every staff dashboard until a senior manager acknowledges it, and
// each flagging (at creation or later) alerts the senior managers once.
// Awaab's Law hazard clocks (issue 14) build on this flag.

// FlagHealthAndSafety sets or clears a case's health-and-safety flag.
// Anyone who may act on the case may set it. Clearing a flag that no
// senior manager has yet acknowledged is for a senior manager only:
// otherwise it would take the contact off the senior managers' list
// unseen. Clearing needs a reason, for the record.
type FlagHealthAndSafety struct {
	Flagged bool   `json:"flagged"`
	Reason  string `json:"reason,omitempty"`
}

// AcknowledgeHealthAndSafety records that a senior manager (a manager or
// an admin) has taken up a flagged contact. It is allowed only while the
// case is flagged and not yet acknowledged.
type AcknowledgeHealthAndSafety struct {
	Note string `json:"note,omitempty"`
}

func (FlagHealthAndSafety) event() EventKind        { return EventSafetyFlagSet }
func (AcknowledgeHealthAndSafety) event() EventKind { return EventSafetyAcknowledged }

// SeniorManager reports whether a user of role may acknowledge a
// health-and-safety flag: managers and admins.
func SeniorManager(role string) bool { return role == "manager" || role == "admin" }

// SafetyWaiting reports whether the case is flagged as a health-and-safety
// risk and no senior manager has acknowledged the flag yet.
func (c *Case) SafetyWaiting() bool { return c.HealthAndSafety && c.SafetyAcknowledgedAt.IsZero() }

// decide records the reason trimmed, as the case keeps it.
func (cmd FlagHealthAndSafety) decide(d *decision) error {
	c, next, env, fe := d.before, d.next, d.env, d.fe
	checkText(fe, "reason", cmd.Reason, maxText, !cmd.Flagged)
	if err := fe.err(); err != nil {
		return err
	}
	switch {
	case cmd.Flagged && c.HealthAndSafety:
		return Errorf(Conflict, "the case is already flagged as a health and safety risk")
	case !cmd.Flagged && !c.HealthAndSafety:
		return Errorf(Conflict, "the case is not flagged as a health and safety risk: there is no flag to clear")
	case !cmd.Flagged && c.SafetyWaiting() && !env.Replay && !SeniorManager(env.Actor.Role):
		return Errorf(Conflict, "only a senior manager (a manager or admin) may clear a health and safety flag that no senior manager has acknowledged yet; ask one to acknowledge or clear it")
	}
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	next.HealthAndSafety = cmd.Flagged
	if cmd.Flagged {
		// A new flagging waits for its own acknowledgement.
		next.SafetyAcknowledgedBy, next.SafetyAcknowledgedAt = "", time.Time{}
	}
	d.recorded = cmd
	return nil
}

// decide lets only a senior manager acknowledge. A replayed event was
// given by a senior manager on its day; storage does not record the
// actor's role, so a replay does not ask again.
func (cmd AcknowledgeHealthAndSafety) decide(d *decision) error {
	c, next, env, fe := d.before, d.next, d.env, d.fe
	if !env.Replay && !SeniorManager(env.Actor.Role) {
		role := env.Actor.Role
		if role == "" {
			role = "user without a role"
		}
		return Errorf(Conflict, "only a senior manager (a manager or admin) may acknowledge a health and safety flag, not a %s", role)
	}
	if !c.HealthAndSafety {
		return Errorf(Conflict, "the case is not flagged as a health and safety risk: there is nothing to acknowledge")
	}
	if !c.SafetyAcknowledgedAt.IsZero() {
		return Errorf(Conflict, "the health and safety flag was already acknowledged by %s on %s", c.SafetyAcknowledgedBy, c.SafetyAcknowledgedAt.Format(time.RFC3339))
	}
	checkText(fe, "note", cmd.Note, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	cmd.Note = strings.TrimSpace(cmd.Note)
	next.SafetyAcknowledgedBy, next.SafetyAcknowledgedAt = env.Actor.Email, d.at
	d.recorded = cmd
	return nil
}
