package reports

import (
	"context"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// restrictionLister is what the reports read of the restrictions
// register. store.Store has it; a store without it has no register, and
// its counts are zero.
type restrictionLister interface {
	ListRestrictions(ctx context.Context, f store.RestrictionFilter) ([]restriction.Restriction, error)
}

// RestrictionCounts counts the restrictions register over the London
// dates from..to (issue 19): the register is small, so it is read whole.
func (s *Service) RestrictionCounts(ctx context.Context, from, to calendar.Date) (restriction.Counts, error) {
	l, ok := s.Store.(restrictionLister)
	if !ok {
		return restriction.Counts{}, nil
	}
	rs, err := l.ListRestrictions(ctx, store.RestrictionFilter{})
	if err != nil {
		return restriction.Counts{}, err
	}
	return restriction.Count(rs, from, to), nil
}

func (s *Service) restrictionCounts(ctx context.Context, dates func() (calendar.Date, calendar.Date)) (restriction.Counts, error) {
	from, to := dates()
	return s.RestrictionCounts(ctx, from, to)
}
