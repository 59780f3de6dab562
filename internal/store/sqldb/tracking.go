package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.TrackingStore = (*DB)(nil)

// caseKey returns the id and own reference of the case known by ref, any
// of its references, without reading the case itself.
func caseKey(ctx context.Context, q querier, ref string) (int64, string, error) {
	var id int64
	var own string
	err := q.QueryRowContext(ctx, `SELECT c.id, c.reference FROM case_refs r JOIN cases c ON c.id = r.case_id WHERE r.reference = ?`, ref).Scan(&id, &own)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", notFound(ref)
	}
	return id, own, err
}

// TrackingCode implements store.TrackingStore. A case's code is read from
// the read pool; only a case without one takes the writer, and two
// requests making one at once keep whichever was stored first.
func (db *DB) TrackingCode(ctx context.Context, ref string, at time.Time) (string, error) {
	id, _, err := caseKey(ctx, db.r, ref)
	if err != nil {
		return "", err
	}
	var code string
	err = db.r.QueryRowContext(ctx, `SELECT code FROM tracking_codes WHERE case_id = ?`, id).Scan(&code)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return code, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO tracking_codes (case_id, code, created_at) VALUES (?, ?, ?) ON CONFLICT (case_id) DO NOTHING`,
		id, store.NewTrackingCode(), store.FormatTime(at)); err != nil {
		return "", fmt.Errorf("make a tracking code: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT code FROM tracking_codes WHERE case_id = ?`, id).Scan(&code); err != nil {
		return "", err
	}
	return code, tx.Commit()
}

// CheckTrackingCode implements store.TrackingStore.
func (db *DB) CheckTrackingCode(ctx context.Context, ref, typed string) (bool, error) {
	var code string
	err := db.r.QueryRowContext(ctx, `SELECT t.code FROM case_refs r JOIN tracking_codes t ON t.case_id = r.case_id WHERE r.reference = ?`, ref).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return store.SameTrackingCode(code, typed), nil
}

// SendTrackingLink implements store.TrackingStore.
func (db *DB) SendTrackingLink(ctx context.Context, link store.TrackingLink, m store.OutboundMessage, at time.Time) error {
	fields := map[string]string{}
	if len(link.TokenHash) != 64 {
		fields["token_hash"] = "must be a SHA-256 in hex"
	}
	if link.CreatedAt.IsZero() {
		fields["created_at"] = "is required"
	}
	if !link.ExpiresAt.After(link.CreatedAt) {
		fields["expires_at"] = "must be after created_at"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the tracking link has invalid fields", Fields: fields}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM tracking_links WHERE expires_at < ?`, store.FormatTime(at)); err != nil {
		return fmt.Errorf("delete expired tracking links: %w", err)
	}
	id, _, err := caseKey(ctx, tx, link.CaseRef)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tracking_links (token_hash, case_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		link.TokenHash, id, store.FormatTime(link.CreatedAt), store.FormatTime(link.ExpiresAt)); err != nil {
		return fmt.Errorf("store a tracking link: %w", err)
	}
	if _, err := enqueueInTx(ctx, tx, m, at); err != nil {
		return err
	}
	return tx.Commit()
}

// UseTrackingLink implements store.TrackingStore.
func (db *DB) UseTrackingLink(ctx context.Context, tokenHash string, now time.Time) (store.TrackingLink, error) {
	link := store.TrackingLink{TokenHash: tokenHash}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return link, err
	}
	defer tx.Rollback()
	var created, expires string
	var used sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT c.reference, l.created_at, l.expires_at, l.used_at
		FROM tracking_links l JOIN cases c ON c.id = l.case_id WHERE l.token_hash = ?`+db.d.forUpdate, tokenHash).
		Scan(&link.CaseRef, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return link, complaint.Errorf(complaint.NotFound, "there is no such link")
	}
	if err != nil {
		return link, err
	}
	link.CreatedAt, _ = store.ParseTime(created)
	link.ExpiresAt, _ = store.ParseTime(expires)
	switch {
	case used.Valid:
		link.UsedAt, _ = store.ParseTime(used.String)
		return link, complaint.Errorf(complaint.Conflict, "this link has already been used")
	case !now.Before(link.ExpiresAt):
		return link, complaint.Errorf(complaint.Conflict, "this link has expired")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tracking_links SET used_at = ? WHERE token_hash = ?`, store.FormatTime(now), tokenHash); err != nil {
		return link, err
	}
	link.UsedAt = now
	return link, tx.Commit()
}
