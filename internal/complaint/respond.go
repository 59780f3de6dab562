package complaint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
)

// RemedyInput is a remedy as given in a response.
type RemedyInput struct {
	Kind        RemedyKind `json:"kind"`
	Description string     `json:"description"`
	AmountPence int64      `json:"amount_pence"`
	// CompensationKind says what compensation is for; see
	// CompensationKinds.
	CompensationKind string `json:"compensation_kind"`
	Owner            string `json:"owner"`
	Due              string `json:"due"`
}

// Respond records the decision on every point and the remedies: the
// response as drafted. A response is the written response, sent: the
// stage counts as responded only when its response letter is issued
// (RecordLetter of the stage's response kind), and until then the
// decisions may be recorded again, replacing the draft. Recording them
// neither stops the clock nor lets the case close (issue 12, rule 1).
type Respond struct {
	Decisions []Decision    `json:"decisions"`
	Remedies  []RemedyInput `json:"remedies"`
	// Learning is what the landlord learnt and will change, for the
	// learning log and the annual report's "you said, we did".
	Learning string `json:"learning"`
}

// LegacyRespond is a "responded" event recorded before a response had to
// be sent to count: recording the decisions then responded to the stage.
// Storage decodes such events into it to replay them; it is never given
// as a new command.
type LegacyRespond struct {
	Respond
}

func (Respond) event() EventKind       { return EventDecisionsRecorded }
func (LegacyRespond) event() EventKind { return EventResponded }

func (cmd Respond) decide(d *decision) error {
	c, next, env, fe := &d.before, d.next, d.env, d.fe
	if c.Kind != KindComplaint {
		return Errorf(Conflict, "only a complaint gets a response; close this %s instead", c.Kind)
	}
	if c.Status == StatusReceived {
		return Errorf(Conflict, "the complaint must be acknowledged, with its points defined, before it is responded to")
	}
	if err := requireStatus(c, "respond to", StatusAcknowledged); err != nil {
		return err
	}
	if env.Replay && c.Stage == 2 && handledStage1(c, env.Actor.Email) {
		return Errorf(Conflict, "%s handled this complaint at stage 1; the Code (6.13) requires a different person to respond at stage 2", env.Actor.Email)
	}
	if err := notInvolvedAtStage1(c, env, "respond"); err != nil {
		return err
	}
	// Decisions recorded again replace the draft: the stage's
	// remedies not yet done go, and the new ones are numbered after
	// every remedy the case has had.
	next.Remedies = slices.DeleteFunc(next.Remedies, func(r Remedy) bool { return r.Stage == c.Stage && !r.Done })
	unlinkReplacements(next.Remedies)
	// Remedies are checked first so that the caller hears of their
	// problems together with the decisions' (checkDecisions returns
	// every field problem collected so far).
	remedies := checkRemedies(fe, cmd.Remedies, c.Stage, maxRemedyID(c.Remedies), calendar.DateOf(c.ReceivedAt), calendar.DateOf(env.Now))
	st := d.stage()
	decisions, err := checkDecisions(fe, cmd.Decisions, len(st.Points))
	if err != nil {
		return err
	}
	if err := fe.err(); err != nil {
		return err
	}
	if next.Handler == "" {
		takeOn(next, env.Actor.Email)
	}
	checkText(fe, "learning", cmd.Learning, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	st.Decisions = decisions
	st.Learning = strings.TrimSpace(cmd.Learning)
	next.Remedies = append(next.Remedies, remedies...)
	involve(st, env.Actor.Email)
	return d.deadlines()
}

func (cmd LegacyRespond) decide(d *decision) error {
	// Before a response had to be sent to count, recording the
	// decisions was the response. Only a replay of such an event
	// applies it.
	if !d.env.Replay {
		return Errorf(Internal, "a responded event is replayed only: record the decisions, then issue the response letter")
	}
	drafted, _, err := Decide(d.before, cmd.Respond, d.env)
	if err != nil {
		return err
	}
	*d.next = drafted
	st := d.stage()
	st.RespondedAt = d.at
	d.next.Status = StatusResponded
	return d.deadlines()
}

// checkDecisions requires one decision, with reasons, for every point.
func checkDecisions(fe fieldErrors, ds []Decision, points int) ([]Decision, error) {
	seen := map[int]bool{}
	for i, d := range ds {
		f := fmt.Sprintf("decisions[%d]", i)
		if d.Point < 1 || d.Point > points {
			fe.add(f+".point", "%d is not one of the complaint's points 1 to %d", d.Point, points)
		} else if seen[d.Point] {
			fe.add(f+".point", "point %d is decided twice", d.Point)
		}
		seen[d.Point] = true
		if _, err := enum.Parse(string(d.Outcome), Outcomes, "an outcome"); err != nil {
			fe.add(f+".outcome", "%v", err)
		}
		checkText(fe, f+".reasons", d.Reasons, maxText, true)
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	for p := 1; p <= points; p++ {
		if !seen[p] {
			return nil, Errorf(Conflict, "point %d of the complaint has no decision; every point needs a decision with reasons (Code 6.7)", p)
		}
	}
	out := slices.Clone(ds)
	slices.SortFunc(out, func(a, b Decision) int { return a.Point - b.Point })
	for i := range out {
		out[i].Reasons = strings.TrimSpace(out[i].Reasons)
	}
	return out, nil
}

// maxDueYears is how far ahead a remedy may fall due. A landlord plans
// works years ahead at most; a date beyond that is a typing mistake
// (9999 for 2029) that would keep an action open, and never overdue, for
// ever.
const maxDueYears = 5

// checkRemedies checks the remedies of a response to a case received on
// received, given on today, and returns them numbered after the existing
// ones.
func checkRemedies(fe fieldErrors, rs []RemedyInput, stage, existing int, received, today calendar.Date) []Remedy {
	if len(rs) > maxList {
		fe.add("remedies", "has more than %d entries", maxList)
	}
	var out []Remedy
	for i, r := range rs {
		f := fmt.Sprintf("remedies[%d]", i)
		if _, err := enum.Parse(string(r.Kind), RemedyKinds, "a remedy kind"); err != nil {
			fe.add(f+".kind", "%v", err)
		}
		checkText(fe, f+".description", r.Description, maxText, true)
		switch {
		case r.Kind == RemedyCompensation && (r.AmountPence <= 0 || r.AmountPence > 100_000_000):
			fe.add(f+".amount_pence", "compensation needs an amount in pence, 1 to 100000000")
		case r.Kind != RemedyCompensation && r.AmountPence != 0:
			fe.add(f+".amount_pence", "only compensation has an amount")
		}
		switch {
		case r.Kind == RemedyCompensation && r.CompensationKind == "":
		case r.Kind == RemedyCompensation:
			if _, err := enum.Parse(r.CompensationKind, CompensationKinds, "a kind of compensation"); err != nil {
				fe.add(f+".compensation_kind", "%v", err)
			}
		case r.CompensationKind != "":
			fe.add(f+".compensation_kind", "only compensation has a kind of compensation")
		}
		var due calendar.Date
		if r.Due != "" {
			d, err := calendar.ParseDate(strings.TrimSpace(r.Due))
			latest := calendar.NewDate(today.Year()+maxDueYears, today.Month(), today.Day())
			switch {
			case err != nil:
				fe.add(f+".due", "%v", err)
			case fe.replay:
			case d.Before(received):
				fe.add(f+".due", "%s is before the case was received on %s", d, received)
			case d.After(latest):
				fe.add(f+".due", "%s is more than %d years ahead: give a date by %s", d, maxDueYears, latest)
			}
			due = d
		}
		if r.Kind == RemedyAction {
			checkLine(fe, f+".owner", r.Owner, maxShort, true)
			if strings.TrimSpace(r.Due) == "" {
				fe.add(f+".due", "an action needs a due date")
			}
		}
		out = append(out, Remedy{
			ID: existing + i + 1, Stage: stage, Kind: r.Kind, Description: strings.TrimSpace(r.Description),
			AmountPence: r.AmountPence, CompensationKind: compensationKind(r), Owner: strings.TrimSpace(r.Owner), Due: due,
		})
	}
	return out
}

// compensationKind defaults compensation of no stated kind to
// "goodwill", the usual word for a discretionary payment.
func compensationKind(r RemedyInput) string {
	if r.Kind == RemedyCompensation && r.CompensationKind == "" {
		return "goodwill"
	}
	return r.CompensationKind
}
