package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/history"
	"github.com/redresshq/redress/internal/store"
)

// errRefusedRows rolls back an import of a complaints log with a refused
// row: a log is imported whole or not at all.
var errRefusedRows = errors.New("refused rows")

// ImportHistory implements store.HistoryStore. Each new case is saved as
// any case is (createInTx), so that its report facts and figure days are
// indexed as for a case logged in Redress; its original reference is one
// of its References, so case_refs and the search find it by either. A dry run
// runs the very same transaction and rolls it back.
func (db *DB) ImportHistory(ctx context.Context, f *history.File, imp store.HistoryImport, build store.HistoryBuild, progress func(done, total int)) (store.HistoryReport, error) {
	if len(f.Errors) > 0 {
		return store.HistoryReport{}, complaint.Errorf(complaint.Invalid, "the file has %d problems (the first: %s); nothing was imported", len(f.Errors), f.Errors[0])
	}
	var rep store.HistoryReport
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rep = store.HistoryReport{Rows: f.Lines, DryRun: imp.DryRun, Refused: []history.RowError{}, Cases: []store.HistoryCase{}}
		for i, row := range f.Rows {
			if progress != nil && i%500 == 0 {
				progress(i, len(f.Rows))
			}
			old, err := getCase(ctx, tx, row.Ref, "")
			switch {
			case err == nil && old.Imported != nil && old.Imported.OriginalRef == row.Ref:
				if old.Imported.RowSHA256 == row.SHA256() {
					rep.Unchanged++
					rep.Cases = append(rep.Cases, store.HistoryCase{Line: row.Line, OriginalRef: row.Ref, Reference: old.Reference, Action: "unchanged"})
				} else {
					rep.Refused = append(rep.Refused, history.RowError{Line: row.Line, Column: "reference",
						Message: fmt.Sprintf("%s was already imported as %s, and this row differs from the one imported then: already imported; correct it on the case", row.Ref, old.Reference)})
				}
				continue
			case err == nil:
				rep.Refused = append(rep.Refused, history.RowError{Line: row.Line, Column: "reference",
					Message: fmt.Sprintf("%s is already a reference of case %s, which was not imported from a log", row.Ref, old.Reference)})
				continue
			case complaint.ErrorCode(err) != complaint.NotFound:
				return err
			}
			c, err := db.createInTx(ctx, tx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
				return build(row, nr)
			})
			var ce *complaint.Error
			if errors.As(err, &ce) && ce.Code != complaint.Internal && ce.Code != complaint.Unavailable {
				rep.Refused = append(rep.Refused, domainRefusals(row.Line, ce)...)
				continue
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
			}
			rep.Added++
			rep.Cases = append(rep.Cases, store.HistoryCase{Line: row.Line, OriginalRef: row.Ref, Reference: c.Reference, Action: "add"})
		}
		if progress != nil {
			progress(len(f.Rows), len(f.Rows))
		}
		if len(rep.Refused) > 0 {
			return errRefusedRows
		}
		if imp.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) || errors.Is(err, errRefusedRows) {
		err = nil
	}
	return rep, err
}

// domainRefusals turns the domain's refusal of a row into the row's
// errors, one per field it names, as the file's columns are named.
func domainRefusals(line int, e *complaint.Error) []history.RowError {
	if len(e.Fields) == 0 {
		return []history.RowError{{Line: line, Message: e.Message}}
	}
	columns := map[string]string{"original_ref": "reference", "responded": "stage1_responded", "compensation_pence": "compensation",
		"complainant.name": "name", "complainant.email": "email", "complainant.phone": "phone", "complainant.postcode": "postcode"}
	var out []history.RowError
	for field, msg := range e.Fields {
		col := field
		if c, ok := columns[field]; ok {
			col = c
		} else if strings.HasPrefix(field, "categories[") {
			col = "category"
		}
		out = append(out, history.RowError{Line: line, Column: col, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Column < out[j].Column })
	return out
}
