package store

import (
	"context"

	"github.com/redresshq/redress/internal/complaint"
)

// HazardStore is what the staff dashboard's Awaab's Law list needs of
// storage (issue 14): the cases whose hazard is under the law with a
// statutory clock not yet met, found through a small index the store
// keeps on every save, so that the list never reads every case. Store
// embeds it.
type HazardStore interface {
	// HazardsDue returns every case the viewer may see whose hazard is
	// under Awaab's Law (complaint.Case.Statutory) with a clock whose
	// step is not yet recorded, whatever the complaint's status:
	// emergencies first, then by their next such clock's due time
	// (NextHazardClock), soonest first, so a clock already missed comes
	// before one still running.
	HazardsDue(ctx context.Context, v Viewer) ([]complaint.Case, error)
}

// NextHazardClock returns the case's Awaab's Law clock, among those
// whose step is not yet recorded, that runs out first, and false where
// the law does not apply to the case or every clock's step is recorded.
// The store indexes a case by it, and the dashboard shows it.
func NextHazardClock(c complaint.Case) (complaint.HazardClock, bool) {
	if !c.Statutory() {
		return complaint.HazardClock{}, false
	}
	var next complaint.HazardClock
	found := false
	for _, k := range c.Hazard.Clocks {
		if k.MetAt.IsZero() && (!found || k.Due.Before(next.Due)) {
			next, found = k, true
		}
	}
	return next, found
}
