package complaint

import (
	"fmt"
	"strings"
)

// RecordLetter records on the case a letter issued to the resident: its
// kind, how it went, and the SHA-256 of the exact bytes sent. The letter
// is stored beside the case; this event puts its hash on the audit
// chain, so a letter changed afterwards no longer matches its record.
type RecordLetter struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Channel string `json:"channel"` // email or print
	SHA256  string `json:"sha256"`
}

func (RecordLetter) event() EventKind { return EventLetterIssued }

func (cmd RecordLetter) decide(d *decision) error {
	c, next, env, fe := &d.before, d.next, d.env, d.fe
	checkLine(fe, "kind", cmd.Kind, maxShort, true)
	checkLine(fe, "title", cmd.Title, maxShort, true)
	if cmd.Channel != "email" && cmd.Channel != "print" {
		fe.add("channel", "must be email or print")
	}
	if len(cmd.SHA256) != 64 || strings.Trim(cmd.SHA256, "0123456789abcdef") != "" {
		fe.add("sha256", "must be the letter's SHA-256 in lower-case hex")
	}
	if err := fe.err(); err != nil {
		return err
	}
	st := d.stage()
	if c.Kind == KindComplaint {
		if err := notInvolvedAtStage1(c, env, "issue letters"); err != nil {
			return err
		}
		involve(st, env.Actor.Email)
	}
	// A hazard summary letter meets the Awaab's Law summary clock.
	if err := hazardSummaryLetter(next, cmd, d.at, env); err != nil {
		return err
	}
	if err := memberResponseLetter(next, cmd, d.at, env); err != nil {
		return err
	}
	sent, err := sendsResponse(c, cmd)
	if err != nil {
		return err
	}
	if sent {
		if err := reviewedOrWaived(c, env); err != nil {
			return err
		}
		// The written response has gone to the resident: the stage is
		// responded from today, and its escalation window counts
		// from it (Code 5.1, 6.1; issue 12, rule 1).
		st.RespondedAt = d.at
		next.Status = StatusResponded
		if err := d.deadlines(); err != nil {
			return err
		}
	}
	return nil
}

// ResponseLetterKind is the kind of letter that is stage n's written
// response: issuing it is what responds to the stage.
func ResponseLetterKind(n int) string { return fmt.Sprintf("stage%d_response", n) }

// sendsResponse reports whether the letter is the current stage's
// written response going out for the first time, or says why a response
// letter may not go.
func sendsResponse(c *Case, l RecordLetter) (bool, error) {
	n := 0
	for _, s := range []int{1, 2} {
		if l.Kind == ResponseLetterKind(s) {
			n = s
		}
	}
	if n == 0 {
		return false, nil
	}
	st := c.Current()
	switch {
	case c.Kind != KindComplaint || st == nil:
		return false, Errorf(Conflict, "the case is a %s, not a complaint: it has no stage response", c.Kind)
	case c.Stage != n:
		return false, Errorf(Conflict, "the complaint is at stage %d: a stage %d response letter does not fit it", c.Stage, n)
	case c.Status == StatusAcknowledged && len(st.Decisions) == 0:
		return false, Errorf(Conflict, "stage %d has no decisions yet: record the decision on every point before its response letter is issued", n)
	case c.Status == StatusAcknowledged && undecidedPoint(st) > 0:
		return false, Errorf(Conflict, "point %d of stage %d, added to the complaint definition after the decisions were drafted, has no decision: record the decisions again, one for every point, before the response letter is issued (Code 6.7)", undecidedPoint(st), n)
	case c.Status == StatusAcknowledged:
		return true, nil
	case c.Status == StatusResponded || (c.Status == StatusClosed && !st.RespondedAt.IsZero()):
		// A copy sent again (by post as well as email, say) is
		// recorded; the stage was responded when the first went.
		return false, nil
	}
	return false, Errorf(Conflict, "the complaint is %s: there is no response to send", c.Status)
}
