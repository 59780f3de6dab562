package complaint

import (
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Milestone is one of the policy's own promises within a stage besides
// the acknowledgement and the response, such as 001's call from a manager
// within five working days of the first contact: its due date, computed
// from the stage's timeline like every deadline, and when it was met.
type Milestone struct {
	Code string        `json:"code"`
	Name string        `json:"name"`
	Due  calendar.Date `json:"due"`
	// MetAt and MetBy say when the milestone was recorded as met, and by
	// whom; zero until it is.
	MetAt time.Time `json:"met_at,omitzero"`
	MetBy string    `json:"met_by,omitempty"`
}

// RecordMilestone records that one of the current stage's milestones was
// met (the manager's call was made), with an optional note. The policy
// names the milestones; a milestone is met once.
type RecordMilestone struct {
	Code string `json:"code"`
	Note string `json:"note,omitempty"`
}

func (RecordMilestone) event() EventKind { return EventMilestoneMet }

func (cmd RecordMilestone) decide(d *decision) error {
	c, at, env, fe := d.before, d.at, d.env, d.fe
	st := d.stage()
	if c.Kind != KindComplaint || st == nil {
		return Errorf(Conflict, "only a complaint's stages have milestones")
	}
	if !c.Status.Open() {
		return Errorf(Conflict, "the complaint is %s", c.Status)
	}
	checkLine(fe, "code", cmd.Code, maxShort, true)
	checkText(fe, "note", cmd.Note, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	i := slices.IndexFunc(st.Milestones, func(m Milestone) bool { return m.Code == strings.TrimSpace(cmd.Code) })
	if i < 0 {
		var codes []string
		for _, m := range st.Milestones {
			codes = append(codes, m.Code)
		}
		if len(codes) == 0 {
			return Errorf(Conflict, "the policy sets no milestones at stage %d", c.Stage)
		}
		return InvalidField("code", "must be one of stage %d's milestones: %s", c.Stage, strings.Join(codes, ", "))
	}
	if !st.Milestones[i].MetAt.IsZero() {
		return Errorf(Conflict, "%s was recorded as met on %s", st.Milestones[i].Name, st.Milestones[i].MetAt.Format("2 January 2006"))
	}
	st.Milestones[i].MetAt, st.Milestones[i].MetBy = at, env.Actor.Email
	involve(st, env.Actor.Email)
	return nil
}

// milestones returns the stage's milestones due as the policy computes
// them, keeping when each already met was met.
func milestones(old []Milestone, due []Milestone) []Milestone {
	for i := range due {
		if j := slices.IndexFunc(old, func(m Milestone) bool { return m.Code == due[i].Code }); j >= 0 {
			due[i].MetAt, due[i].MetBy = old[j].MetAt, old[j].MetBy
		}
	}
	return due
}
