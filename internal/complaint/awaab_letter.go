package complaint

import (
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// LetterHazardSummary is the kind of letter that gives the tenant the
// written summary of a significant hazard's investigation (issue 14,
// item 3). Issuing it is what meets the summary clock: the summary is
// "sent as a checked letter", so the letter and the step are one record.
const LetterHazardSummary = "hazard_summary"

// hazardSummaryLetter applies a RecordLetter of kind hazard_summary to
// next, a clone of the case: it records the written summary as sent at
// the letter's time and recomputes the clocks. It refuses, as a conflict,
// a summary the case does not call for: no significant hazard, one not
// yet investigated, or one whose summary was already sent. A letter of
// any other kind is left alone.
func hazardSummaryLetter(next *Case, cmd RecordLetter, at time.Time, env Env) error {
	if cmd.Kind != LetterHazardSummary {
		return nil
	}
	h := next.Hazard
	switch {
	case h == nil || h.Class == HazardNone:
		return Errorf(Conflict, "the case has no hazard: a summary of a hazard investigation needs a significant hazard, classified and investigated")
	case h.Class != HazardSignificant:
		return Errorf(Conflict, "the case's hazard is an emergency: a written summary is the significant hazard's step, and an emergency is made safe")
	case h.InvestigatedAt.IsZero():
		return Errorf(Conflict, "the hazard has not been investigated: record the investigation and its findings before sending their summary")
	case !h.SummarySentAt.IsZero():
		return Errorf(Conflict, "the written summary was already sent on %s", h.SummarySentAt.In(calendar.London).Format("2 January 2006 at 15:04"))
	}
	h.SummarySentAt = at
	return hazardClocks(next, env)
}
