package complaint

import (
	"strings"

	"github.com/redresshq/redress/internal/calendar"
)

// Acknowledge records the complaint definition: the numbered points and
// the outcomes the resident wants.
type Acknowledge struct {
	Points         []string `json:"points"`
	OutcomesSought []string `json:"outcomes_sought"`
	// RespondBy is a response date agreed with the resident sooner than
	// the policy's (004, "Five steps": the date "may be agreed with the
	// customer"). It becomes the landlord's working deadline; the Code's
	// own deadline, which CH02 measures, is not moved by it. A later date
	// is an extension, with its reasons, not an agreement here.
	RespondBy string `json:"respond_by,omitempty"`
}

func (Acknowledge) event() EventKind { return EventAcknowledged }

func (cmd Acknowledge) decide(d *decision) error {
	c, next, env, fe := &d.before, d.next, d.env, d.fe
	if err := requireStatus(c, "acknowledge", StatusReceived); err != nil {
		return err
	}
	if c.Kind != KindComplaint {
		return Errorf(Conflict, "only a complaint is acknowledged; convert this %s first", c.Kind)
	}
	checkList(fe, "points", cmd.Points, true)
	checkList(fe, "outcomes_sought", cmd.OutcomesSought, false)
	agreed := checkAgreedDate(fe, cmd.RespondBy, calendar.DateOf(d.at))
	if err := fe.err(); err != nil {
		return err
	}
	if err := notInvolvedAtStage1(c, env, "acknowledge"); err != nil {
		return err
	}
	// Whoever acknowledges takes the case on. (Before the Code's rule
	// covered everyone who acted on stage 1, a stage 1 handler could
	// log a stage 2 acknowledgement without taking it on; such an
	// event replays so.)
	if next.Handler == "" && !(env.Replay && c.Stage == 2 && handledStage1(c, env.Actor.Email)) {
		takeOn(next, env.Actor.Email)
	}
	st := d.stage()
	st.AcknowledgedAt = d.at
	st.Points = trimAll(cmd.Points)
	st.OutcomesSought = trimAll(cmd.OutcomesSought)
	st.AgreedRespondBy = agreed
	next.Status = StatusAcknowledged
	if err := d.deadlines(); err != nil {
		return err
	}
	involve(d.stage(), env.Actor.Email)
	return nil
}

// checkAgreedDate reads a response date agreed with the resident, which
// may not be before the day it was agreed.
func checkAgreedDate(fe fieldErrors, s string, today calendar.Date) calendar.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	switch {
	case err != nil:
		fe.add("respond_by", "%v", err)
	case d.Before(today):
		fe.add("respond_by", "%s is before the day it was agreed, %s", d, today)
	}
	return d
}
