package policy

import (
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Timeline is what has happened so far in one stage, as far as its
// deadlines depend on it. Zero times have not happened yet.
type Timeline struct {
	// Received is when the complaint was received (stage 1) or the
	// escalation request was received (stage 2).
	Received     time.Time
	Acknowledged time.Time
	Responded    time.Time
	// ExtensionDays is the total of the stage's extensions, in working
	// days, each counted from the due date current when it was made.
	ExtensionDays int
	// AcknowledgedNoLaterThanDue counts a response that runs from
	// acknowledgement from the acknowledgement or from the day it was due,
	// whichever is earlier, so that a late acknowledgement buys no time.
	// The Code's own deadline is counted this way (Code 6.2 with 6.3 at
	// stage 1, 6.11 with 6.14 at stage 2); a landlord's working deadline
	// may still count from the actual acknowledgement.
	AcknowledgedNoLaterThanDue bool
}

// Deadlines are one stage's due dates.
type Deadlines struct {
	AcknowledgeBy calendar.Deadline `json:"acknowledge_by"`
	// RespondBy includes every extension; RespondByOriginal does not.
	RespondBy         calendar.Deadline `json:"respond_by"`
	RespondByOriginal calendar.Deadline `json:"respond_by_original"`
	// EscalateBy is set for stage 1 once it has been responded to, where
	// the policy has an escalation window.
	EscalateBy calendar.Deadline `json:"escalate_by"`
	// OverCap is true when the extensions exceed what the policy allows
	// without the resident's agreement.
	OverCap bool `json:"over_cap"`
	// Milestones are the due dates of the stage's milestones (see
	// Policy.Milestones), in the policy's order.
	Milestones []MilestoneDue `json:"milestones,omitempty"`
}

// MilestoneDue is when one of the policy's milestones is due.
type MilestoneDue struct {
	Code string            `json:"code"`
	Name string            `json:"name"`
	Due  calendar.Deadline `json:"due"`
}

// Deadlines computes stage n's deadlines from its timeline. Until the
// stage is acknowledged, a response counted from acknowledgement assumes
// acknowledgement on the last day allowed, so the date shown is the latest
// the Code would permit.
func (p *Policy) Deadlines(cal *calendar.Calendar, n int, tl Timeline) (Deadlines, error) {
	st, err := p.StageOf(n)
	if err != nil {
		return Deadlines{}, err
	}
	if tl.Received.IsZero() {
		return Deadlines{}, fmt.Errorf("stage %d has no received time", n)
	}
	if tl.ExtensionDays < 0 {
		return Deadlines{}, fmt.Errorf("extension of %d working days is negative", tl.ExtensionDays)
	}
	var dl Deadlines
	if dl.AcknowledgeBy, err = cal.Due(tl.Received, st.Acknowledge.Duration()); err != nil {
		return Deadlines{}, err
	}

	if dl.RespondByOriginal, err = cal.Due(anchor(st.Respond.From, tl, dl.AcknowledgeBy), st.Respond.Duration()); err != nil {
		return Deadlines{}, err
	}
	dl.RespondBy = dl.RespondByOriginal
	if tl.ExtensionDays > 0 {
		d, err := cal.AddWorkingDays(dl.RespondByOriginal.Date, tl.ExtensionDays)
		if err != nil {
			return Deadlines{}, err
		}
		dl.RespondBy = calendar.Deadline{Date: d}
		dl.OverCap = tl.ExtensionDays > st.Extension.CapWorkingDays
	}

	for _, m := range p.Milestones {
		if m.Stage != n {
			continue
		}
		due, err := cal.Due(anchor(m.Due.From, tl, dl.AcknowledgeBy), m.Due.Duration())
		if err != nil {
			return Deadlines{}, err
		}
		dl.Milestones = append(dl.Milestones, MilestoneDue{Code: m.Code, Name: m.Name, Due: due})
	}

	if w := p.Escalation.Window; n == 1 && w != nil && !tl.Responded.IsZero() {
		if dl.EscalateBy, err = cal.Due(tl.Responded, w.Duration()); err != nil {
			return Deadlines{}, err
		}
	}
	return dl, nil
}

// anchor returns the time a step counting from a counts from. A step
// counted from acknowledgement counts, until the stage is acknowledged,
// from the last moment acknowledgement is allowed, so that the date shown
// is the latest the policy permits; and, where the timeline asks, from
// that moment too when acknowledgement came late, so that a late
// acknowledgement buys no time.
func anchor(a Anchor, tl Timeline, ackBy calendar.Deadline) time.Time {
	if a != Acknowledged {
		return tl.Received
	}
	switch {
	case !tl.Acknowledged.IsZero() && !(tl.AcknowledgedNoLaterThanDue && !ackBy.Met(tl.Acknowledged)):
		return tl.Acknowledged
	case !ackBy.At.IsZero():
		return ackBy.At
	}
	return ackBy.Date.Start()
}
