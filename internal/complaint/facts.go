package complaint

import (
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// StageFact is one stage of a complaint as the reports count it. Storage
// keeps a row of these per stage, so that a year's Tenant Satisfaction
// Measures are counted from a narrow indexed table rather than by reading
// every case.
type StageFact struct {
	Stage       int
	Tenure      Tenure
	Channel     Channel
	ServiceArea string
	// Received, Acknowledged and Responded are London dates; the last two
	// are zero until they happen.
	Received     calendar.Date
	Acknowledged calendar.Date
	Responded    calendar.Date
	// Refused and Withdrawn say how the complaint ended at this stage.
	// CH01 does not count refused complaints; it counts withdrawn ones.
	Refused   bool
	Withdrawn bool
	Exclusion string
	// WithinCode is whether the response met the Code's deadline (CH02),
	// Stage.CodeRespondBy: counted from the acknowledgement or from the
	// day it was due, whichever is earlier (Code 6.2 with 6.3, 6.11 with
	// 6.14), with the extensions given before it passed, up to the Code's
	// cap unless given with good reason (Code 6.4, 6.15). Meaningful only
	// once responded.
	WithinCode             bool
	AcknowledgeWorkingDays int
	RespondWorkingDays     int
	ExtensionDays          int
	// OverCodeCap is whether the extensions went beyond the Code's cap.
	OverCodeCap bool
	// The decisions on the stage's points.
	Upheld, PartlyUpheld, NotUpheld int
	// Learning is what the landlord learnt, once responded.
	Learning string
}

// Facts returns the case's stages as the reports count them; a contact
// that is not a complaint has none.
func (c *Case) Facts() []StageFact {
	var out []StageFact
	for i, st := range c.Stages {
		f := StageFact{
			Stage: st.Stage, Tenure: c.Tenure, Channel: c.Channel, ServiceArea: c.ServiceArea,
			Received: calendar.DateOf(st.ReceivedAt), ExtensionDays: st.ExtensionDays(),
		}
		if !st.AcknowledgedAt.IsZero() {
			f.Acknowledged = calendar.DateOf(st.AcknowledgedAt)
			f.AcknowledgeWorkingDays = st.AcknowledgeWorkingDays
		}
		if !st.RespondedAt.IsZero() {
			f.Responded = calendar.DateOf(st.RespondedAt)
			f.RespondWorkingDays = st.RespondWorkingDays
			f.WithinCode = !st.CodeRespondBy.IsZero() && !f.Responded.After(st.CodeRespondBy)
			f.Learning = st.Learning
		}
		if cs, err := policy.Code().StageOf(st.Stage); err == nil {
			f.OverCodeCap = f.ExtensionDays > cs.Extension.CapWorkingDays
		}
		if i == len(c.Stages)-1 {
			f.Refused = c.Status == StatusRefused
			f.Withdrawn = c.Status == StatusWithdrawn
			if f.Refused {
				f.Exclusion = c.Exclusion
			}
		}
		for _, d := range st.Decisions {
			switch d.Outcome {
			case "upheld":
				f.Upheld++
			case "partly_upheld":
				f.PartlyUpheld++
			case "not_upheld":
				f.NotUpheld++
			}
		}
		out = append(out, f)
	}
	return out
}
