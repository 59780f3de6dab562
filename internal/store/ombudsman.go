package store

import (
	"context"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// OmbudsmanStore is what the Housing Ombudsman stage (issue 19, item 4)
// needs of storage: the dashboard's lists of evidence due and orders
// overdue, and the annual report's referred cases, read through a small
// index of the dates each referral owes that the store keeps on every
// save, so that neither reads every case. Store embeds it.
type OmbudsmanStore interface {
	// OmbudsmanDue returns every case the viewer may see with a date of
	// one of kinds ("evidence", "order", "recommendation") owed to the
	// Ombudsman and not yet done, due before before (any date when zero),
	// the soonest due first, each case once.
	OmbudsmanDue(ctx context.Context, v Viewer, kinds []string, before calendar.Date) ([]complaint.Case, error)
	// OmbudsmanReferred returns every case referred to the Ombudsman,
	// for the annual report's counts, which name no case.
	OmbudsmanReferred(ctx context.Context) ([]complaint.Case, error)
}
