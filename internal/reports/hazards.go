package reports

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// Hazards computes a reporting year's Awaab's Law figures as at now, for
// the viewer: every hazard counts, and those on cases the viewer may not
// see are counted but not named. Working days are the calendar's.
func (s *Service) Hazards(ctx context.Context, y report.Year, v store.Viewer, cal *calendar.Calendar, now time.Time) (report.Hazards, error) {
	from, to := y.Dates()
	facts, err := s.Store.HazardFacts(ctx, store.HazardFactsQuery{From: from, To: to, Viewer: v})
	if err != nil {
		return report.Hazards{}, err
	}
	return report.ComputeHazards(y, facts, cal, now), nil
}
