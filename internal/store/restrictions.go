package store

import (
	"context"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/restriction"
)

// RestrictionStore keeps the register of restricted contact (issue 19;
// 002 §2.7): each restriction whole, and every command given to it as an
// event (who, when, what) in the same transaction. Store embeds it.
type RestrictionStore interface {
	// CreateRestriction saves the restriction decide returns, with its
	// first event, and gives it its id.
	CreateRestriction(ctx context.Context, decide func() (restriction.Restriction, restriction.Event, error)) (restriction.Restriction, error)
	// UpdateRestriction loads restriction id, checks its version against
	// ifVersion (0 skips the check), calls decide and saves the result
	// with its event in one transaction. A version mismatch is a
	// complaint.Stale error and changes nothing.
	UpdateRestriction(ctx context.Context, id int64, ifVersion int, decide func(restriction.Restriction) (restriction.Restriction, restriction.Event, error)) (restriction.Restriction, error)
	// GetRestriction returns restriction id, or a not_found error.
	GetRestriction(ctx context.Context, id int64) (restriction.Restriction, error)
	// ListRestrictions returns the restrictions the filter selects,
	// soonest review first, then newest.
	ListRestrictions(ctx context.Context, f RestrictionFilter) ([]restriction.Restriction, error)
	// RestrictionEvents returns restriction id's events, oldest first.
	RestrictionEvents(ctx context.Context, id int64) ([]restriction.Event, error)
}

// RestrictionFilter selects restrictions. Zero fields select everything.
type RestrictionFilter struct {
	Status    restriction.Status
	PersonKey string
	// ActiveOnly selects warnings and restrictions in force.
	ActiveOnly bool
	// ReviewDueBy selects restrictions in force whose review falls due on
	// or before it.
	ReviewDueBy calendar.Date
}
