package complaint

import (
	"strings"

	"github.com/redresshq/redress/internal/calendar"
)

// Extend extends the current stage's response deadline.
type Extend struct {
	WorkingDays           int    `json:"working_days"`
	Reason                string `json:"reason"`
	AgreedWithResident    bool   `json:"agreed_with_resident"`
	OmbudsmanDetailsGiven bool   `json:"ombudsman_details_given"`
	// GoodReason is required when the stage's extensions would total more
	// than the Code's cap (Code 6.4, 6.15: no more than 10 (20) working
	// days "without good reason"). With it, the whole extension counts
	// towards the Code's deadline.
	GoodReason string `json:"good_reason,omitempty"`
}

func (Extend) event() EventKind { return EventExtended }

func (cmd Extend) decide(d *decision) error {
	c, env, fe := &d.before, d.env, d.fe
	if c.Kind != KindComplaint {
		return Errorf(Conflict, "only a complaint's response can be extended")
	}
	if err := requireStatus(c, "extend", StatusReceived, StatusAcknowledged); err != nil {
		return err
	}
	if cmd.WorkingDays < 1 || cmd.WorkingDays > 260 {
		fe.add("working_days", "%d is not allowed: want 1 to 260", cmd.WorkingDays)
	}
	checkText(fe, "reason", cmd.Reason, maxText, true)
	if err := fe.err(); err != nil {
		return err
	}
	if err := notInvolvedAtStage1(c, env, "extend"); err != nil {
		return err
	}
	if !cmd.OmbudsmanDetailsGiven {
		return ConflictField("ombudsman_details_given", "the resident must be given the Ombudsman's contact details with an extension (Code 6.5 and 6.16)",
			"must be given to the resident with every extension (Code 6.5 and 6.16): confirm once they have been")
	}
	st := d.stage()
	ps, _ := env.Policy.StageOf(c.Stage)
	total := st.ExtensionDays() + cmd.WorkingDays
	overCap := total > ps.Extension.CapWorkingDays
	if overCap && !cmd.AgreedWithResident {
		return Errorf(Conflict, "extensions would total %d working days, over the policy's %d without the resident's agreement; agree it with the resident first", total, ps.Extension.CapWorkingDays)
	}
	if err := checkGoodReason(fe, st, cmd, total); err != nil {
		return err
	}
	st.Extensions = append(st.Extensions, Extension{
		WorkingDays: cmd.WorkingDays, Reason: strings.TrimSpace(cmd.Reason),
		AgreedWithResident: cmd.AgreedWithResident, OmbudsmanDetailsGiven: true,
		At: d.at, By: env.Actor.Email, OverCap: overCap,
		GoodReason: strings.TrimSpace(cmd.GoodReason),
		// Code 6.4, 6.15: an extension given once the Code's deadline
		// has passed is recorded, but cannot bring a late response
		// back within the Code's timescale.
		Late: !st.CodeRespondBy.IsZero() && calendar.DateOf(d.at).After(st.CodeRespondBy),
	})
	if err := d.deadlines(); err != nil {
		return err
	}
	involve(d.stage(), env.Actor.Email)
	return nil
}
