package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.OmbudsmanStore = (*DB)(nil)

// indexOmbudsman keeps the case's rows in ombudsman_dues (SQLite 0034,
// PostgreSQL 0006) in step with its referral to the Ombudsman: a row for
// the referral and one for each date it owes. A case never referred has
// none, and its saves touch nothing here.
func indexOmbudsman(ctx context.Context, tx *sql.Tx, old *complaint.Case, c complaint.Case) error {
	if c.Ombudsman == nil && (old == nil || old.Ombudsman == nil) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ombudsman_dues WHERE case_id = ?`, c.ID); err != nil {
		return fmt.Errorf("ombudsman index: %w", err)
	}
	if c.Ombudsman == nil {
		return nil
	}
	rows := append([]complaint.OmbudsmanDue{{Kind: "referral", Due: c.Ombudsman.NotifiedOn, Done: c.Ombudsman.Determination != nil}}, c.Ombudsman.Dues()...)
	for _, d := range rows {
		done := 0
		if d.Done {
			done = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ombudsman_dues (case_id, kind, item, due, done) VALUES (?, ?, ?, ?, ?)`,
			c.ID, d.Kind, d.Item, d.Due.String(), done); err != nil {
			return fmt.Errorf("ombudsman index: %w", err)
		}
	}
	return nil
}

// OmbudsmanDue implements store.OmbudsmanStore.
func (db *DB) OmbudsmanDue(ctx context.Context, v store.Viewer, kinds []string, before calendar.Date) ([]complaint.Case, error) {
	if len(kinds) == 0 {
		return []complaint.Case{}, nil
	}
	cond, args := visibleTo(v)
	q := `SELECT c.id, c.data FROM cases c JOIN (SELECT case_id, min(due) AS due FROM ombudsman_dues WHERE done = 0 AND kind IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ") + `)`
	var all []any
	for _, k := range kinds {
		all = append(all, k)
	}
	if !before.IsZero() {
		q += ` AND due < ?`
		all = append(all, before.String())
	}
	q += ` GROUP BY case_id) o ON o.case_id = c.id WHERE ` + cond + ` ORDER BY o.due, c.id`
	return db.casesOf(ctx, q, append(all, args...)...)
}

// OmbudsmanReferred implements store.OmbudsmanStore.
func (db *DB) OmbudsmanReferred(ctx context.Context) ([]complaint.Case, error) {
	return db.casesOf(ctx, `SELECT c.id, c.data FROM ombudsman_dues o JOIN cases c ON c.id = o.case_id WHERE o.kind = ? ORDER BY c.id`, "referral")
}
