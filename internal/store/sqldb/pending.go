package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TouchSession implements store.PendingFormStore.
func (db *DB) TouchSession(ctx context.Context, idHash []byte, now time.Time) error {
	res, err := db.w.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, store.FormatTime(now), idHash)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return complaint.Errorf(complaint.NotFound, "there is no such session: it has ended or was signed out")
	}
	return nil
}

// SavePendingForm implements store.PendingFormStore. The sweep and the
// insert are one transaction, so a form is never saved into a table
// still holding ones that expired before it.
func (db *DB) SavePendingForm(ctx context.Context, f store.PendingForm) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_forms WHERE expires_at <= ?`, store.FormatTime(f.CreatedAt)); err != nil {
			return fmt.Errorf("delete expired pending forms: %w", err)
		}
		body := f.Body
		if body == nil {
			body = []byte{}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pending_forms (id_hash, method, path, content_type, body, user_id, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.IDHash, f.Method, f.Path, f.ContentType, body, f.UserID,
			store.FormatTime(f.CreatedAt), store.FormatTime(f.ExpiresAt)); err != nil {
			return fmt.Errorf("save pending form: %w", err)
		}
		// Anyone signed out may leave a form whose sender is not known,
		// so their number is bounded: beyond store.MaxOwnerlessForms the
		// oldest go. A known user's forms are bounded by the users.
		if f.UserID == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM pending_forms WHERE user_id = 0 AND id_hash NOT IN (
				SELECT id_hash FROM pending_forms WHERE user_id = 0 ORDER BY created_at DESC, id_hash DESC LIMIT ?)`, store.MaxOwnerlessForms); err != nil {
				return fmt.Errorf("bound the pending forms of unknown senders: %w", err)
			}
		}
		return nil
	})
}

const selectPendingForm = `SELECT id_hash, method, path, content_type, body, user_id, created_at, expires_at
	FROM pending_forms WHERE id_hash = ? AND expires_at > ?`

func scanPendingForm(row scanner) (store.PendingForm, error) {
	var f store.PendingForm
	err := row.Scan(&f.IDHash, &f.Method, &f.Path, &f.ContentType, &f.Body, &f.UserID, storedTime{&f.CreatedAt}, storedTime{&f.ExpiresAt})
	return f, orNotFound(err, "there is no such form: it was sent or has expired")
}

// PendingForm implements store.PendingFormStore.
func (db *DB) PendingForm(ctx context.Context, idHash []byte, now time.Time) (store.PendingForm, error) {
	return scanPendingForm(db.r.QueryRowContext(ctx, selectPendingForm, idHash, store.FormatTime(now)))
}

// TakePendingForm implements store.PendingFormStore. The read and the
// delete are one transaction on the one writer, so of two requests
// taking the same form only one gets it.
func (db *DB) TakePendingForm(ctx context.Context, idHash []byte, now time.Time) (store.PendingForm, error) {
	var f store.PendingForm
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if f, err = scanPendingForm(tx.QueryRowContext(ctx, selectPendingForm+db.d.forUpdate, idHash, store.FormatTime(now))); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_forms WHERE id_hash = ?`, idHash); err != nil {
			return fmt.Errorf("take pending form: %w", err)
		}
		return nil
	})
	return f, err
}
