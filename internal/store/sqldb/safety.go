package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.SafetyStore = (*DB)(nil)

// safetyWaitingQuery is SafetyWaiting's query for the viewer. It reads
// the partial index cases_safety_waiting (migration 0021), which holds
// only the waiting cases, rather than every case.
func (db *DB) safetyWaitingQuery(v store.Viewer) (string, []any) {
	cond, args := visibleTo(v)
	return `SELECT c.id, c.data FROM cases c WHERE ` + db.d.safetyWaiting + ` AND ` + cond +
		` ORDER BY c.id`, args
}

// SafetyWaiting implements store.SafetyStore.
func (db *DB) SafetyWaiting(ctx context.Context, v store.Viewer) ([]complaint.Case, error) {
	q, args := db.safetyWaitingQuery(v)
	cases, err := db.casesOf(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	// The list is short; sorting it here leaves the query on its index.
	slices.SortStableFunc(cases, func(a, b complaint.Case) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	return cases, nil
}

// pendingSafetyFlagsQuery reads the flaggings not yet alerted through
// the partial index safety_flags_waiting, which holds only those.
const pendingSafetyFlagsQuery = `SELECT e.id, c.reference, e.seq, e.kind, e.actor, e.at, e.recorded_at, e.data, e.prev_hash, e.hash
	FROM safety_flags f JOIN events e ON e.id = f.event_id JOIN cases c ON c.id = e.case_id
	WHERE f.alerted_at IS NULL ORDER BY f.event_id LIMIT ?`

// PendingSafetyFlags implements store.SafetyStore.
func (db *DB) PendingSafetyFlags(ctx context.Context, limit int) ([]store.CaseEvent, error) {
	if limit < 1 || limit > 1000 {
		return nil, complaint.InvalidField("limit", "must be from 1 to 1000")
	}
	rows, err := db.r.QueryContext(ctx, pendingSafetyFlagsQuery, limit)
	if err != nil {
		return nil, err
	}
	return scanCaseEvents(rows)
}

// RecordSafetyAlerts implements store.SafetyStore.
func (db *DB) RecordSafetyAlerts(ctx context.Context, eventIDs []int64, ms []store.OutboundMessage, at time.Time) (int, error) {
	if at.IsZero() {
		return 0, complaint.InvalidField("at", "is required")
	}
	return db.enqueueAll(ctx, ms, at, func(tx *sql.Tx) error {
		for _, id := range eventIDs {
			if _, err := tx.ExecContext(ctx, `UPDATE safety_flags SET alerted_at = ? WHERE event_id = ? AND alerted_at IS NULL`,
				store.FormatTime(at), id); err != nil {
				return fmt.Errorf("mark flag event %d alerted: %w", id, err)
			}
		}
		return nil
	})
}
