package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.HazardStore = (*DB)(nil)

// indexHazard keeps the case's row in case_hazards (migration 0022) in
// step with it: present, with the class and the next unmet clock's due
// time, while the case's hazard is under Awaab's Law with a clock not yet
// met; absent otherwise.
func indexHazard(ctx context.Context, tx *sql.Tx, c complaint.Case) error {
	next, ok := store.NextHazardClock(c)
	if !ok {
		if _, err := tx.ExecContext(ctx, `DELETE FROM case_hazards WHERE case_id = ?`, c.ID); err != nil {
			return fmt.Errorf("hazard index: %w", err)
		}
		return nil
	}
	rank := 1
	if c.Hazard.Class == complaint.HazardEmergency {
		rank = 0
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_hazards (case_id, class, rank, next_due) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET class = excluded.class, rank = excluded.rank, next_due = excluded.next_due`,
		c.ID, c.Hazard.Class, rank, next.Due.Unix()); err != nil {
		return fmt.Errorf("hazard index: %w", err)
	}
	return nil
}

// hazardsDueQuery is HazardsDue's query for the viewer: it walks the
// index case_hazards_due in the list's order and joins each row to its
// case.
func hazardsDueQuery(v store.Viewer) (string, []any) {
	cond, args := visibleTo(v)
	return `SELECT c.id, c.data FROM case_hazards h JOIN cases c ON c.id = h.case_id WHERE ` + cond +
		` ORDER BY h.rank, h.next_due, h.case_id`, args
}

// HazardsDue implements store.HazardStore.
func (db *DB) HazardsDue(ctx context.Context, v store.Viewer) ([]complaint.Case, error) {
	q, args := hazardsDueQuery(v)
	return db.casesOf(ctx, q, args...)
}

// casesOf runs a query of (id, data) rows on the read pool and reads the
// cases. Every list of whole cases is read through it; it returns an
// empty list, never nil, so that no rows encode as [] and not null.
func (db *DB) casesOf(ctx context.Context, q string, args ...any) ([]complaint.Case, error) {
	return casesFrom(ctx, db.r, q, args...)
}

// casesFrom reads cases (id, data) with q from the database r: the
// primary, or the reporting replica for a search.
func casesFrom(ctx context.Context, r *sql.DB, q string, args ...any) ([]complaint.Case, error) {
	cases, err := queryAll(ctx, r, scanCase, q, args...)
	if err == nil && cases == nil {
		cases = []complaint.Case{}
	}
	return cases, err
}

// scanCase reads a row of (id, data): a case as stored, and its row id,
// which its JSON does not hold.
func scanCase(sc scanner) (complaint.Case, error) {
	var id int64
	var data []byte
	if err := sc.Scan(&id, &data); err != nil {
		return complaint.Case{}, err
	}
	var c complaint.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("case %d: %w", id, err)
	}
	c.ID = id
	return c, nil
}
