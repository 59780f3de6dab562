package complaint

import (
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
)

// CompleteRemedy marks a remedy or action done. Actions stay open after a
// case closes until this is given.
//
// An apology or compensation is done when it is sent or paid, which may
// be days before the officer records it: PaidOn is that date, kept on
// the remedy and shown where the done date is (the compensation paid in
// the reports). It may not be after today, nor before the remedy was
// agreed (remedyAgreedOn). Not given, it is the day the remedy is marked
// done, and the event records the date chosen, so that a replay never
// depends on when it runs.
type CompleteRemedy struct {
	ID     int           `json:"id"`
	Note   string        `json:"note"`
	PaidOn calendar.Date `json:"paid_on,omitzero"`
}

// SupersedeRemedy records that a later stage replaced an earlier
// stage's remedy or action: stage 2 found the stage 1 compensation too
// low and offers more, or puts right a repair another way. The earlier
// remedy stays on the case, marked superseded with the reason and,
// optionally, the later remedy that replaces it; it is no longer owed, so
// letters and the follow-through of remedies stop counting it as
// outstanding (Remedy.Outstanding).
//
// Only a remedy from an earlier stage than the complaint's current one
// is superseded: a stage's own draft remedies are replaced by recording
// its decisions again. A remedy already done was delivered, and stays
// so.
type SupersedeRemedy struct {
	ID     int    `json:"id"`
	Reason string `json:"reason"`
	// ReplacedBy optionally names the later stage's remedy that takes
	// its place.
	ReplacedBy int `json:"replaced_by,omitempty"`
	// Before and After are filled in by Decide, never by the caller: the
	// remedy as it was and as it became, for the audit trail.
	Before Remedy `json:"before"`
	After  Remedy `json:"after"`
}

func (CompleteRemedy) event() EventKind  { return EventRemedyDone }
func (SupersedeRemedy) event() EventKind { return EventRemedySuperseded }

func (cmd CompleteRemedy) decide(d *decision) error {
	next := d.next
	i := slices.IndexFunc(next.Remedies, func(r Remedy) bool { return r.ID == cmd.ID })
	if i < 0 {
		return Errorf(NotFound, "the case has no remedy %d", cmd.ID)
	}
	if next.Remedies[i].Done {
		return Errorf(Conflict, "remedy %d is already done", cmd.ID)
	}
	if r := next.Remedies[i]; r.Superseded() {
		return Errorf(Conflict, "remedy %d was superseded at a later stage on %s: it is no longer owed", cmd.ID, r.SupersededAt.Format("2 January 2006"))
	}
	checkText(d.fe, "note", cmd.Note, maxText, false)
	r := next.Remedies[i]
	paid := r.Kind == RemedyApology || r.Kind == RemedyCompensation
	// Events recorded before paid_on existed replay as they were.
	if paid && cmd.PaidOn.IsZero() && !d.env.Replay {
		cmd.PaidOn = calendar.DateOf(d.at)
	}
	if !d.env.Replay {
		checkPaidOn(d.fe, r, cmd.PaidOn, remedyAgreedOn(&d.before, r), calendar.DateOf(d.env.Now))
	}
	if err := d.fe.err(); err != nil {
		return err
	}
	next.Remedies[i].Done = true
	next.Remedies[i].DoneAt = d.at
	next.Remedies[i].DoneNote = strings.TrimSpace(cmd.Note)
	next.Remedies[i].PaidOn = cmd.PaidOn
	d.recorded = cmd
	return nil
}

// checkPaidOn checks the date an apology was sent or compensation paid:
// only those two are sent or paid; and the date is neither after today
// nor before the remedy was agreed.
func checkPaidOn(fe fieldErrors, r Remedy, paidOn, agreed, today calendar.Date) {
	switch {
	case paidOn.IsZero():
	case r.Kind != RemedyApology && r.Kind != RemedyCompensation:
		fe.add("paid_on", "is only for an apology or compensation, which is sent or paid: remedy %d is %s", r.ID, r.Kind)
	case paidOn.After(today):
		fe.add("paid_on", "%s is after today, %s: record it once it is sent or paid", paidOn.Start().Format("2 January 2006"), today.Start().Format("2 January 2006"))
	case paidOn.Before(agreed):
		fe.add("paid_on", "%s is before the remedy was agreed on %s", paidOn.Start().Format("2 January 2006"), agreed.Start().Format("2 January 2006"))
	}
}

// remedyAgreedOn is the earliest day a remedy can have been agreed: the
// day its stage's response was sent, which offered it, or, before then
// (an apology made on the phone while the response is drafted), the day
// the stage was received. Remedies do not record when they were first
// drafted, and adding that to them would make every case stored before
// differ from its replayed events.
func remedyAgreedOn(c *Case, r Remedy) calendar.Date {
	for _, st := range c.Stages {
		if st.Stage != r.Stage {
			continue
		}
		if !st.RespondedAt.IsZero() {
			return calendar.DateOf(st.RespondedAt)
		}
		return calendar.DateOf(st.ReceivedAt)
	}
	return calendar.DateOf(c.ReceivedAt)
}

func (cmd SupersedeRemedy) decide(d *decision) error {
	c, next, env, fe := &d.before, d.next, d.env, d.fe
	if cmd.ID < 1 {
		fe.add("id", "is required: the number of the remedy superseded")
	}
	checkText(fe, "reason", cmd.Reason, maxText, true)
	if cmd.ReplacedBy < 0 {
		fe.add("replaced_by", "%d is not a remedy number", cmd.ReplacedBy)
	}
	if err := fe.err(); err != nil {
		return err
	}
	i := slices.IndexFunc(next.Remedies, func(r Remedy) bool { return r.ID == cmd.ID })
	if i < 0 {
		return Errorf(NotFound, "the case has no remedy %d", cmd.ID)
	}
	r := next.Remedies[i]
	switch {
	case c.Kind != KindComplaint || c.Stage <= r.Stage:
		return Errorf(Conflict, "remedy %d is stage %d's own: a remedy is superseded at a later stage; a stage's draft remedies are replaced by recording its decisions again", cmd.ID, r.Stage)
	case r.Done:
		return Errorf(Conflict, "remedy %d was done on %s: a remedy delivered is not superseded", cmd.ID, r.DoneAt.Format("2 January 2006"))
	case r.Superseded():
		return Errorf(Conflict, "remedy %d was already superseded on %s", cmd.ID, r.SupersededAt.Format("2 January 2006"))
	}
	if cmd.ReplacedBy != 0 {
		j := slices.IndexFunc(next.Remedies, func(r Remedy) bool { return r.ID == cmd.ReplacedBy })
		switch {
		case j < 0:
			fe.add("replaced_by", "the case has no remedy %d", cmd.ReplacedBy)
		case next.Remedies[j].Stage <= r.Stage:
			fe.add("replaced_by", "remedy %d is stage %d's: the remedy that replaces one from stage %d comes from a later stage", cmd.ReplacedBy, next.Remedies[j].Stage, r.Stage)
		case next.Remedies[j].Superseded():
			fe.add("replaced_by", "remedy %d is itself superseded", cmd.ReplacedBy)
		}
		if err := fe.err(); err != nil {
			return err
		}
	}
	// Deciding what replaces stage 1's remedy is part of the stage 2
	// review, which nobody who acted on stage 1 may take part in (Code
	// 6.13).
	if err := notInvolvedAtStage1(c, env, "supersede a remedy"); err != nil {
		return err
	}
	r.SupersededAt, r.SupersededBy, r.ReplacedBy = d.at, env.Actor.Email, cmd.ReplacedBy
	r.SupersedeReason = strings.TrimSpace(cmd.Reason)
	next.Remedies[i] = r
	cmd.Reason = r.SupersedeReason
	cmd.Before, cmd.After = c.Remedies[i], r
	d.recorded = cmd
	return nil
}

// unlinkReplacements clears the replacement named by a superseded
// remedy once that replacement has gone, as a draft remedy does when a
// stage's decisions are recorded again: the supersession and its reason
// stand, naming no remedy that is not on the case.
func unlinkReplacements(rs []Remedy) {
	for i, r := range rs {
		if r.ReplacedBy != 0 && !slices.ContainsFunc(rs, func(o Remedy) bool { return o.ID == r.ReplacedBy }) {
			rs[i].ReplacedBy = 0
		}
	}
}

// maxRemedyID is the highest remedy number the case has used.
func maxRemedyID(rs []Remedy) int {
	n := 0
	for _, r := range rs {
		n = max(n, r.ID)
	}
	return n
}
