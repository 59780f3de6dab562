package store

import (
	"context"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/report"
)

// HazardFactsStore is what Awaab's Law reporting needs of storage (issue
// 14, item 5): each case's hazard as the reports count it
// (report.HazardFactOf), kept in narrow tables beside the other report
// facts on every save, so that a year's figures never read every case.
// Store embeds it; the reports service is its consumer.
type HazardFactsStore interface {
	// HazardFacts returns the hazards the landlord became aware of on
	// the London dates q.From..q.To, both included, across every case,
	// earliest awareness first, each with its clocks. A hazard on a case
	// the viewer may not see comes with Hidden set and no reference, so
	// it is counted but not named. An empty or reversed period is an
	// invalid error.
	HazardFacts(ctx context.Context, q HazardFactsQuery) ([]report.HazardFact, error)
}

// HazardFactsQuery selects hazards by the London date of awareness, for
// the viewer.
type HazardFactsQuery struct {
	From, To calendar.Date
	Viewer   Viewer
}
