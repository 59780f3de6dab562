package store

import (
	"context"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/history"
)

// HistoryStore brings in a landlord's earlier complaints log (issue 20,
// item 3) as cases. It is declared apart from Store, for the import
// command alone to take.
type HistoryStore interface {
	// ImportHistory saves the complaints of a checked log in one
	// transaction. build makes each row's case and import event through
	// the domain, with the transaction's reference allocator. A row whose
	// reference an earlier import already brought in is left as it is if
	// unchanged, and refused if changed; a row the domain refuses is
	// refused. A file with any refused row imports nothing, and with
	// imp.DryRun nothing either: the transaction is rolled back, so the
	// report is exactly what the import would do. progress, if not nil,
	// is called with the rows done so far.
	ImportHistory(ctx context.Context, f *history.File, imp HistoryImport, build HistoryBuild, progress func(done, total int)) (HistoryReport, error)
}

// HistoryBuild makes a row's case and its import event.
type HistoryBuild func(row history.Row, ref NewReference) (complaint.Case, complaint.Event, error)

// HistoryImport says whether an import of a complaints log is for real.
type HistoryImport struct {
	DryRun bool
}

// HistoryReport is what an import of a complaints log did, or would do.
type HistoryReport struct {
	// Rows is how many rows the file has.
	Rows      int                `json:"rows"`
	Added     int                `json:"added"`
	Unchanged int                `json:"unchanged"`
	Refused   []history.RowError `json:"refused"`
	Cases     []HistoryCase      `json:"cases"`
	DryRun    bool               `json:"dry_run"`
}

// HistoryCase is one row an import adds or finds already imported, with
// the Redress reference it has or would have.
type HistoryCase struct {
	Line        int    `json:"line"`
	OriginalRef string `json:"original_ref"`
	Reference   string `json:"reference"`
	Action      string `json:"action"` // add or unchanged
}
