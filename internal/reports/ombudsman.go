package reports

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
)

// ombudsman counts the Housing Ombudsman's referrals, findings and
// orders for the period (issue 19, item 4), with orders overdue as at the
// end of the period or now, whichever is sooner. Every referred case is
// counted, confidential or not: the counts name none.
func (s *Service) ombudsman(ctx context.Context, p report.Period, now time.Time) (report.OmbudsmanSummary, error) {
	cases, err := s.Store.OmbudsmanReferred(ctx)
	if err != nil {
		return report.OmbudsmanSummary{}, err
	}
	from, to := p.Dates()
	asOf := calendar.DateOf(now)
	if to.Before(asOf) {
		asOf = to
	}
	return report.OmbudsmanFigures(cases, from, to, asOf), nil
}
