// Package reports computes the figures a landlord reports, from storage,
// for every surface that shows them: the staff pages, the JSON API and
// whatever sends the board its pack. The arithmetic is internal/report's,
// pure and table-tested; this package only gathers what it needs, so no
// surface has to reach into another to get the year's measures.
package reports

import (
	"context"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// Store is what the reports read from storage: the counts and facts the
// measures are computed from, the homes and survey results they are
// divided by or quoted with, and the year's written review. It is only
// reads, so a report can never change the record it describes, and it is
// no wider than the figures this package computes; store.Store (the
// SQLite and PostgreSQL stores) satisfies it.
type Store interface {
	store.HazardFactsStore
	HomesIn(ctx context.Context, year int) (policy.Homes, bool, error)
	TSMCounts(ctx context.Context, from, to calendar.Date) (report.TSMCounts, error)
	TSMCases(ctx context.Context, q store.TSMQuery) (refs []string, hidden int, err error)
	ManagementFigures(ctx context.Context, f report.Filter) (report.Management, error)
	TP09Results(ctx context.Context, year report.Year) ([]report.TP09Result, error)
	Review(ctx context.Context, year report.Year) (report.Review, error)
	OmbudsmanReferred(ctx context.Context) ([]complaint.Case, error)
}

// Service computes reports from a store under a policy.
type Service struct {
	Store  Store
	Policy *policy.Policy
}

// HomesIn returns the homes for a reporting year: those a manager
// recorded, else those in the policy file; ok is false when neither has
// them, and the measures per 1,000 homes then have no value.
func (s *Service) HomesIn(ctx context.Context, y report.Year) (h policy.Homes, ok bool, err error) {
	h, ok, err = s.Store.HomesIn(ctx, int(y))
	if err != nil || ok {
		return h, ok, err
	}
	h, ok = s.Policy.HomesIn(int(y))
	return h, ok, nil
}

// TSM computes the Tenant Satisfaction Measures of a reporting year.
func (s *Service) TSM(ctx context.Context, y report.Year) (report.TSM, error) {
	from, to := y.Dates()
	return s.TSMOver(ctx, y, from, to)
}

// TSMOver computes a year's measures over part of it (a board pack's year
// to date) or all of it, dividing by the year's homes. TP09 only ever
// comes from the perception survey's result a manager recorded, never
// from Redress's own survey.
func (s *Service) TSMOver(ctx context.Context, y report.Year, from, to calendar.Date) (report.TSM, error) {
	counts, err := s.Store.TSMCounts(ctx, from, to)
	if err != nil {
		return report.TSM{}, err
	}
	homes, ok, err := s.HomesIn(ctx, y)
	if err != nil {
		return report.TSM{}, err
	}
	t := report.ComputeTSM(y, counts, homes, ok)
	t.From, t.To = from.String(), to.String()
	results, err := s.Store.TP09Results(ctx, y)
	if err != nil {
		return report.TSM{}, err
	}
	if len(results) > 0 {
		t.SetTP09(results[0], true)
	} else {
		t.SetTP09(report.TP09Result{}, false)
	}
	return t, nil
}
