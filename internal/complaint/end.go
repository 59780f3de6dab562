package complaint

import "strings"

// Ending a case: closing it once it has run its course, and recording
// that the resident withdrew. Refusal, which needs a ground from the
// policy, is in refuse.go.

// Close closes a case that has been responded to, or any other contact.
type Close struct{}

// Withdraw records that the resident withdrew.
type Withdraw struct {
	Reason string `json:"reason"`
}

func (Close) event() EventKind    { return EventClosed }
func (Withdraw) event() EventKind { return EventWithdrawn }

func (Close) decide(d *decision) error {
	c := &d.before
	if c.Kind == KindComplaint {
		if err := requireStatus(c, "close", StatusResponded); err != nil {
			return Errorf(Conflict, "the complaint is %s: it is closed after its response (withdraw or refuse it otherwise)", c.Status)
		}
	} else if !c.Status.Open() {
		return Errorf(Conflict, "the %s is already %s", c.Kind, c.Status)
	}
	d.next.Status = StatusClosed
	d.next.ClosedAt = d.at
	return nil
}

func (cmd Withdraw) decide(d *decision) error {
	if !d.before.Status.Open() {
		return Errorf(Conflict, "the case is %s and cannot be withdrawn", d.before.Status)
	}
	checkText(d.fe, "reason", cmd.Reason, maxText, true)
	if err := d.fe.err(); err != nil {
		return err
	}
	d.next.Status = StatusWithdrawn
	d.next.EndReason = strings.TrimSpace(cmd.Reason)
	d.next.ClosedAt = d.at
	return nil
}
