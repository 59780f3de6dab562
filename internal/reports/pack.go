package reports

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// Pack gathers and builds a board pack or annual report for the period:
// the measures for the year to date, the management figures for the
// period, this year and last, the year's review and its Awaab's Law
// figures as at now. Every surface that shows a pack (the staff pages,
// the API, a job that sends the board its pack) calls this, so a pack is
// the same wherever it is read.
func (s *Service) Pack(ctx context.Context, p report.Period, cal *calendar.Calendar, now time.Time) (report.Pack, error) {
	in := report.PackInput{Period: p}
	tsm := func(p report.Period) (report.TSM, error) {
		from, to := p.YearToDate()
		return s.TSMOver(ctx, p.Year, from, to)
	}
	mgmt := func(p report.Period) (report.Management, error) {
		from, to := p.Dates()
		return s.Store.ManagementFigures(ctx, report.Filter{From: from, To: to})
	}
	var err error
	if in.TSM, err = tsm(p); err != nil {
		return report.Pack{}, err
	}
	if in.PreviousTSM, err = tsm(p.Previous()); err != nil {
		return report.Pack{}, err
	}
	if in.Current, err = mgmt(p); err != nil {
		return report.Pack{}, err
	}
	if in.PreviousMgmt, err = mgmt(p.Previous()); err != nil {
		return report.Pack{}, err
	}
	if in.Review, err = s.Store.Review(ctx, p.Year); err != nil {
		return report.Pack{}, err
	}
	// The pack counts every hazard, confidential or not: it names none.
	hz, err := s.Hazards(ctx, p.Year, store.Viewer{AllConfidential: true}, cal, now)
	if err != nil {
		return report.Pack{}, err
	}
	in.Hazards = hz.Summary()
	pk := report.BuildPack(in)
	if pk.Ombudsman, err = s.ombudsman(ctx, p, now); err != nil {
		return report.Pack{}, err
	}
	if pk.Restrictions, err = s.restrictionCounts(ctx, p.Dates); err != nil { // restrictions.go
		return report.Pack{}, err
	}
	// Refusals are counted by the exclusion's code; the pack says why.
	for i, r := range pk.Refusals {
		for _, e := range s.Policy.Exclusions {
			if e.Code == r.Label {
				pk.Refusals[i].Label = e.Reason
			}
		}
	}
	return pk, nil
}
