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

var _ store.PortalStore = (*DB)(nil)

func noDraft() error {
	return complaint.Errorf(complaint.NotFound, "there is no such form in progress: it may have expired")
}

func draftSent() error {
	return complaint.Errorf(complaint.Conflict, "this form has already been sent")
}

// CreateDraft implements store.PortalStore.
func (db *DB) CreateDraft(ctx context.Context, d store.Draft) error {
	if len(d.IDHash) != 64 {
		return complaint.InvalidField("id_hash", "must be a SHA-256 in hex")
	}
	answers := d.Answers
	if answers == nil {
		answers = []byte("{}")
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO portal_drafts (id_hash, answers, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		d.IDHash, string(answers), store.FormatTime(d.CreatedAt), store.FormatTime(d.CreatedAt), store.FormatTime(d.ExpiresAt))
	return err
}

// draftRow reads a live draft without its files.
// draftRow reads a live draft; lock is the dialect's forUpdate when the
// transaction will change it or its files.
func draftRow(ctx context.Context, q querier, idHash string, now time.Time, lock string) (store.Draft, error) {
	d := store.Draft{IDHash: idHash}
	var answers, created, updated, expires string
	var ref sql.NullString
	err := q.QueryRowContext(ctx, `SELECT answers, case_ref, created_at, updated_at, expires_at FROM portal_drafts WHERE id_hash = ? AND expires_at > ?`+lock,
		idHash, store.FormatTime(now)).Scan(&answers, &ref, &created, &updated, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return d, noDraft()
	}
	if err != nil {
		return d, err
	}
	d.Answers, d.CaseRef = []byte(answers), ref.String
	d.CreatedAt, _ = store.ParseTime(created)
	d.UpdatedAt, _ = store.ParseTime(updated)
	d.ExpiresAt, _ = store.ParseTime(expires)
	return d, nil
}

// Draft implements store.PortalStore.
func (db *DB) Draft(ctx context.Context, idHash string, now time.Time) (store.Draft, error) {
	d, err := draftRow(ctx, db.r, idHash, now, "")
	if err != nil {
		return d, err
	}
	d.Files, err = draftFiles(ctx, db.r, idHash, false)
	return d, err
}

func draftFiles(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, idHash string, withData bool) ([]store.DraftFile, error) {
	cols := `id, name, content_type, size, sha256, added_at`
	if withData {
		cols += `, data`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM portal_draft_files WHERE draft = ? ORDER BY id`, idHash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.DraftFile
	for rows.Next() {
		var f store.DraftFile
		var at string
		dest := []any{&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &at}
		if withData {
			dest = append(dest, &f.Data)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		f.AddedAt, _ = store.ParseTime(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// liveUnsent checks, inside a write transaction, that the draft exists,
// has not expired and has not been sent.
func liveUnsent(ctx context.Context, tx *sql.Tx, idHash string, now time.Time, lock string) error {
	d, err := draftRow(ctx, tx, idHash, now, lock)
	if err != nil {
		return err
	}
	if d.CaseRef != "" {
		return draftSent()
	}
	return nil
}

// SaveDraft implements store.PortalStore.
func (db *DB) SaveDraft(ctx context.Context, idHash string, answers []byte, now, expires time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := liveUnsent(ctx, tx, idHash, now, db.d.forUpdate); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE portal_drafts SET answers = ?, updated_at = ?, expires_at = ? WHERE id_hash = ?`,
		string(answers), store.FormatTime(now), store.FormatTime(expires), idHash); err != nil {
		return err
	}
	return tx.Commit()
}

// AddDraftFiles implements store.PortalStore.
func (db *DB) AddDraftFiles(ctx context.Context, idHash string, files []store.DraftFile, now time.Time, maxFiles int, maxTotal int64) ([]store.DraftFile, error) {
	var size int64
	for i, f := range files {
		if len(f.Data) == 0 || sha256Hex(f.Data) != f.SHA256 {
			return nil, complaint.InvalidField(fmt.Sprintf("files.%d", i), "its SHA-256 does not match its data")
		}
		size += int64(len(f.Data))
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := liveUnsent(ctx, tx, idHash, now, db.d.forUpdate); err != nil {
		return nil, err
	}
	var n int
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(size), 0) FROM portal_draft_files WHERE draft = ?`, idHash).Scan(&n, &total); err != nil {
		return nil, err
	}
	switch {
	case n+len(files) > maxFiles:
		return nil, complaint.InvalidField("files", "you can send at most %d files; you have %d already", maxFiles, n)
	case total+size > maxTotal:
		return nil, complaint.InvalidField("files", "the files would come to more than %d MB in all", maxTotal>>20)
	}
	out := make([]store.DraftFile, len(files))
	for i, f := range files {
		f.Size, f.AddedAt = int64(len(f.Data)), now
		err := tx.QueryRowContext(ctx, `INSERT INTO portal_draft_files (draft, name, content_type, size, sha256, added_at, data)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, idHash, f.Name, f.ContentType, f.Size, f.SHA256, store.FormatTime(now), f.Data).Scan(&f.ID)
		if err != nil {
			return nil, fmt.Errorf("save draft file: %w", err)
		}
		f.Data = nil
		out[i] = f
	}
	if _, err := tx.ExecContext(ctx, `UPDATE portal_drafts SET updated_at = ? WHERE id_hash = ?`, store.FormatTime(now), idHash); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// RemoveDraftFile implements store.PortalStore.
func (db *DB) RemoveDraftFile(ctx context.Context, idHash string, id int64) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var ref sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT case_ref FROM portal_drafts WHERE id_hash = ?`+db.d.forUpdate, idHash).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return noDraft()
	}
	if err != nil {
		return err
	}
	if ref.Valid {
		return draftSent()
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM portal_draft_files WHERE draft = ? AND id = ?`, idHash, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return complaint.Errorf(complaint.NotFound, "there is no such file")
	}
	return tx.Commit()
}

// DraftFileData implements store.PortalStore.
func (db *DB) DraftFileData(ctx context.Context, idHash string) ([]store.DraftFile, error) {
	return draftFiles(ctx, db.r, idHash, true)
}

// SubmitDraft implements store.PortalStore.
func (db *DB) SubmitDraft(ctx context.Context, idHash string, now time.Time, decide func(store.NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error) {
	var c complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := liveUnsent(ctx, tx, idHash, now, db.d.forUpdate); err != nil {
			return err
		}
		var err error
		if c, err = db.createInTx(ctx, tx, decide); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE portal_drafts SET case_ref = ?, updated_at = ? WHERE id_hash = ?`,
			c.Reference, store.FormatTime(now), idHash)
		return err
	})
	if err != nil {
		return complaint.Case{}, err
	}
	return c, nil
}

// DeleteDraftFiles implements store.PortalStore.
func (db *DB) DeleteDraftFiles(ctx context.Context, idHash string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM portal_draft_files WHERE draft = ?`, idHash)
	return err
}

// DeleteDraft implements store.PortalStore.
func (db *DB) DeleteDraft(ctx context.Context, idHash string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM portal_drafts WHERE id_hash = ?`, idHash)
	return err
}

// DeleteExpiredDrafts implements store.PortalStore.
func (db *DB) DeleteExpiredDrafts(ctx context.Context, now time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM portal_drafts WHERE expires_at <= ?`, store.FormatTime(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
