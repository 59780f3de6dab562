package complaint

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AmendDefinition corrects the complaint definition of the current
// stage: it adds, rewords or withdraws points of complaint and replaces
// the outcomes sought, with a reason. A resident often says more, or
// less, after the acknowledgement than the officer first wrote down, and
// the response must answer the complaint as it stands (Code 6.7: a
// decision on every point), so the definition may be put right as the
// stage goes on; the event keeps it as it was and as it became.
//
// Points are given by their number before the amendment. Points keep
// their order; a withdrawn point leaves the definition, and the points
// after it move up a number, their draft decisions with them. Withdrawn
// points are kept on the stage (Stage.Withdrawn) and in the event, so
// the record still shows what was once complained of.
//
// Once the stage's response has been sent, it decided every point as
// they then stood, so a point may then be reworded, to correct the
// record, but not added or withdrawn: that would make the record
// disagree with the letter the resident has.
type AmendDefinition struct {
	// Add are new points, numbered after the current ones.
	Add []string `json:"add,omitempty"`
	// Reword gives current points new wording.
	Reword []PointWording `json:"reword,omitempty"`
	// Withdraw names current points that are no longer part of the
	// complaint: withdrawn by the resident, or recorded in error.
	Withdraw []int `json:"withdraw,omitempty"`
	// OutcomesSought, if given, replaces the outcomes sought whole.
	OutcomesSought *[]string `json:"outcomes_sought,omitempty"`
	// Reason says why the definition changed; required, because the
	// definition is what the response is held to.
	Reason string `json:"reason"`
	// NoUnreasonableDelay records the officer's confirmation, required
	// with new points, that adding them will not unreasonably delay the
	// response; where it would, they are logged as an additional
	// complaint instead (LogAdditionalComplaint; Code 6.8, 002 §2.3).
	NoUnreasonableDelay bool `json:"no_unreasonable_delay,omitempty"`
	// Before and After are filled in by Decide, never by the caller: the
	// definition as it was and as it became, for the audit trail.
	Before Definition `json:"before"`
	After  Definition `json:"after"`
}

// PointWording is the new wording of one point of complaint, by number.
type PointWording struct {
	Point int    `json:"point"`
	Text  string `json:"text"`
}

// Definition is a stage's complaint definition: its numbered points (the
// first is point 1) and the outcomes the resident wants.
type Definition struct {
	Points         []string `json:"points"`
	OutcomesSought []string `json:"outcomes_sought"`
}

// WithdrawnPoint is a point of complaint taken out of a stage's
// definition, kept so that the case shows what it once was.
type WithdrawnPoint struct {
	// Point is the number it had when it was withdrawn.
	Point  int       `json:"point"`
	Text   string    `json:"text"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

func (AmendDefinition) event() EventKind { return EventDefinitionAmended }

func (cmd AmendDefinition) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	st := d.stage()
	if c.Kind != KindComplaint || st == nil {
		return Errorf(Conflict, "only a complaint has a complaint definition")
	}
	if st.AcknowledgedAt.IsZero() {
		return Errorf(Conflict, "stage %d has no complaint definition yet: acknowledge it, with its points, first", c.Stage)
	}
	if cmd.Add == nil && cmd.Reword == nil && cmd.Withdraw == nil && cmd.OutcomesSought == nil {
		return InvalidField("body", "give at least one change: add, reword, withdraw or outcomes_sought")
	}
	withdrawn := cmd.check(fe, len(st.Points))
	checkNoUnreasonableDelay(c, cmd, env, fe)
	if err := fe.err(); err != nil {
		return err
	}
	if (len(cmd.Add) > 0 || len(cmd.Withdraw) > 0) && c.Status != StatusAcknowledged {
		return Errorf(Conflict, "the complaint is %s: once stage %d's response has been sent, having decided every point, a point may be reworded to correct the record but not added or withdrawn", c.Status, c.Stage)
	}
	if err := notInvolvedAtStage1(c, env, "amend the complaint definition"); err != nil {
		return err
	}

	before := Definition{Points: slices.Clone(st.Points), OutcomesSought: slices.Clone(st.OutcomesSought)}
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	cmd.apply(st, withdrawn, WithdrawnPoint{Reason: cmd.Reason, At: d.at, By: env.Actor.Email})
	after := Definition{Points: slices.Clone(st.Points), OutcomesSought: slices.Clone(st.OutcomesSought)}
	if slices.Equal(before.Points, after.Points) && slices.Equal(before.OutcomesSought, after.OutcomesSought) {
		return Errorf(Conflict, "nothing would change: the complaint definition already reads so")
	}
	// Agreeing the definition is part of handling the stage, as the
	// acknowledgement that first recorded it was (Code 6.13).
	involve(st, env.Actor.Email)
	cmd.Before, cmd.After = before, after
	d.recorded = cmd
	return nil
}

// check adds to fe every problem with the amendment of a definition of n
// points, and returns the numbers of the points it withdraws.
func (cmd AmendDefinition) check(fe fieldErrors, n int) map[int]bool {
	point := func(field string, p int) bool {
		if p < 1 || p > n {
			fe.add(field, "%d is not one of the complaint's points 1 to %d", p, n)
			return false
		}
		return true
	}
	withdrawn := map[int]bool{}
	for i, p := range cmd.Withdraw {
		f := fmt.Sprintf("withdraw[%d]", i)
		if point(f, p) && withdrawn[p] {
			fe.add(f, "point %d is withdrawn twice", p)
		}
		withdrawn[p] = true
	}
	reworded := map[int]bool{}
	for i, w := range cmd.Reword {
		f := fmt.Sprintf("reword[%d]", i)
		switch {
		case !point(f+".point", w.Point):
		case reworded[w.Point]:
			fe.add(f+".point", "point %d is reworded twice", w.Point)
		case withdrawn[w.Point]:
			fe.add(f+".point", "point %d is withdrawn: it cannot also be reworded", w.Point)
		}
		reworded[w.Point] = true
		checkText(fe, f+".text", w.Text, maxText, true)
	}
	for i, s := range cmd.Add {
		checkText(fe, fmt.Sprintf("add[%d]", i), s, maxText, true)
	}
	if remain := n - len(withdrawn) + len(cmd.Add); remain > maxList {
		fe.add("add", "the complaint would have more than %d points", maxList)
	} else if remain < 1 && len(cmd.Withdraw) > 0 {
		fe.add("withdraw", "would leave the complaint with no points: withdraw the complaint instead")
	}
	if cmd.OutcomesSought != nil {
		checkList(fe, "outcomes_sought", *cmd.OutcomesSought, false)
	}
	checkText(fe, "reason", cmd.Reason, maxText, true)
	return withdrawn
}

// apply changes the stage's definition: rewordings first, by the old
// numbers, then withdrawals, each kept on the stage as gone (with when,
// by whom and why), then the points added. Each draft decision follows
// its point to its new number; a withdrawn point's goes with it.
func (cmd AmendDefinition) apply(st *Stage, withdrawn map[int]bool, gone WithdrawnPoint) {
	points := slices.Clone(st.Points)
	for _, w := range cmd.Reword {
		points[w.Point-1] = strings.TrimSpace(w.Text)
	}
	renumber := map[int]int{}
	var kept []string
	for i, text := range points {
		if withdrawn[i+1] {
			gone.Point, gone.Text = i+1, st.Points[i]
			st.Withdrawn = append(st.Withdrawn, gone)
			continue
		}
		kept = append(kept, text)
		renumber[i+1] = len(kept)
	}
	var decisions []Decision
	for _, dc := range st.Decisions {
		if p, ok := renumber[dc.Point]; ok {
			dc.Point = p
			decisions = append(decisions, dc)
		}
	}
	st.Points, st.Decisions = append(kept, trimAll(cmd.Add)...), decisions
	if cmd.OutcomesSought != nil {
		st.OutcomesSought = nonNil(trimAll(*cmd.OutcomesSought))
	}
}

// undecidedPoint returns the first of the stage's points with no
// decision, or 0 if every point has one. A point added to the definition
// after the decisions were drafted has none until they are recorded
// again.
func undecidedPoint(st *Stage) int {
	for p := 1; p <= len(st.Points); p++ {
		if !slices.ContainsFunc(st.Decisions, func(dc Decision) bool { return dc.Point == p }) {
			return p
		}
	}
	return 0
}
