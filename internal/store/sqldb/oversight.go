package sqldb

import (
	"context"
	"slices"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// openRemedies counts c's remedies still owed (Remedy.Outstanding): not
// done, and not superseded by a later stage, whose replacement is what
// the landlord now owes. Migration 0028 counts the same for cases stored
// before superseding existed.
func openRemedies(c complaint.Case) int {
	n := 0
	for _, r := range c.Remedies {
		if r.Outstanding() {
			n++
		}
	}
	return n
}

// visibleTo is the SQL condition, and its argument, for the cases a
// viewer may see: auth.Sees for a list. case_people holds exactly the
// people each case names (auth.Named), folded by auth.FoldEmail, and the
// viewer's email is folded the same way, so the match does not rest on
// the column's COLLATE NOCASE (which folds ASCII only).
func visibleTo(v store.Viewer) (string, []any) {
	if v.AllConfidential {
		return "1 = 1", nil
	}
	e := auth.FoldEmail(v.Email)
	if e == "" {
		return "c.confidential = 0", nil
	}
	return `(c.confidential = 0 OR EXISTS (SELECT 1 FROM case_people p WHERE p.case_id = c.id AND p.email = ?))`, []any{e}
}

// CaseCounts implements store.Store.
func (db *DB) CaseCounts(ctx context.Context, v store.Viewer) ([]store.CaseCount, error) {
	cond, args := visibleTo(v)
	rows, err := db.r.QueryContext(ctx, `SELECT c.kind, c.stage, c.status, count(*) FROM cases c WHERE `+cond+`
		GROUP BY c.kind, c.stage, c.status ORDER BY c.kind, c.stage, c.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := []store.CaseCount{}
	for rows.Next() {
		var c store.CaseCount
		if err := rows.Scan(&c.Kind, &c.Stage, &c.Status, &c.N); err != nil {
			return nil, err
		}
		counts = append(counts, c)
	}
	return counts, rows.Err()
}

// OpenActions implements store.Store.
func (db *DB) OpenActions(ctx context.Context, v store.Viewer) ([]store.OpenAction, error) {
	cond, args := visibleTo(v)
	cases, err := db.casesOf(ctx, `SELECT c.id, c.data FROM cases c WHERE c.open_remedies > 0 AND `+cond, args...)
	if err != nil {
		return nil, err
	}
	out := []store.OpenAction{}
	for _, c := range cases {
		for _, r := range c.Remedies {
			if r.Outstanding() {
				out = append(out, store.OpenAction{Reference: c.Reference, Summary: c.Summary, Handler: c.Handler, Remedy: r})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b store.OpenAction) int {
		switch {
		case a.Remedy.Due.IsZero() && !b.Remedy.Due.IsZero():
			return 1
		case !a.Remedy.Due.IsZero() && b.Remedy.Due.IsZero():
			return -1
		}
		return a.Remedy.Due.Compare(b.Remedy.Due)
	})
	return out, nil
}
