package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.ErasureStore = (*DB)(nil)

const erasureColumns = `id, person_key, asks, reason, requested_at, requested_by, status, decided_at, decided_by, decision_reason, cases_erased, cases_held`

func scanErasure(sc scanner) (r store.ErasureRequest, err error) {
	var requested, decided string
	if err = sc.Scan(&r.ID, &r.PersonKey, &r.Kind, &r.Reason, &requested, &r.RequestedBy, &r.Status, &decided, &r.DecidedBy, &r.DecisionReason, &r.CasesErased, &r.CasesHeld); err != nil {
		return r, err
	}
	r.RequestedAt, _ = store.ParseTime(requested)
	if decided != "" {
		r.DecidedAt, _ = store.ParseTime(decided)
	}
	return r, nil
}

// AddErasureRequest implements store.ErasureStore.
func (db *DB) AddErasureRequest(ctx context.Context, r store.ErasureRequest) (store.ErasureRequest, error) {
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO erasure_requests (person_key, asks, reason, requested_at, requested_by, status)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, r.PersonKey, r.Kind, r.Reason, store.FormatTime(r.RequestedAt), r.RequestedBy, r.Status).Scan(&r.ID)
	})
	return r, err
}

// ErasureRequests implements store.ErasureStore.
func (db *DB) ErasureRequests(ctx context.Context) ([]store.ErasureRequest, error) {
	return queryAll(ctx, db.r, scanErasure, `SELECT `+erasureColumns+` FROM erasure_requests ORDER BY id DESC`)
}

// ErasureRequest implements store.ErasureStore.
func (db *DB) ErasureRequest(ctx context.Context, id int64) (store.ErasureRequest, error) {
	r, err := scanErasure(db.r.QueryRowContext(ctx, `SELECT `+erasureColumns+` FROM erasure_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, complaint.Errorf(complaint.NotFound, "there is no erasure request %d", id)
	}
	return r, err
}

// PersonCases implements store.ErasureStore.
func (db *DB) PersonCases(ctx context.Context, personKey string) ([]string, error) {
	return db.column(ctx, `SELECT c.reference FROM contact_facts f JOIN cases c ON c.id = f.case_id WHERE f.complainant_key = ? ORDER BY c.id`, personKey)
}

// DecideErasureRequest implements store.ErasureStore.
func (db *DB) DecideErasureRequest(ctx context.Context, r store.ErasureRequest) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE erasure_requests SET person_key = ?, status = ?, decided_at = ?, decided_by = ?, decision_reason = ?,
			cases_erased = ?, cases_held = ? WHERE id = ? AND status = 'open'`, r.PersonKey, r.Status, store.FormatTime(r.DecidedAt), r.DecidedBy,
			r.DecisionReason, r.CasesErased, r.CasesHeld, r.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return complaint.Errorf(complaint.Conflict, "request %s was decided meanwhile", r.Name())
		}
		return nil
	})
}

// ProcessingRestricted implements store.ErasureStore.
func (db *DB) ProcessingRestricted(ctx context.Context, personKey string) (store.ErasureRequest, bool, error) {
	if personKey == "" {
		return store.ErasureRequest{}, false, nil
	}
	r, err := scanErasure(db.r.QueryRowContext(ctx, `SELECT `+erasureColumns+` FROM erasure_requests
		WHERE person_key = ? AND status = 'restricted' ORDER BY id DESC LIMIT 1`, personKey))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}
