package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// AddInformation implements store.Store.
func (db *DB) AddInformation(ctx context.Context, ref string, ifVersion int, decide store.Decision, files []store.Attachment) (complaint.Case, []store.Attachment, error) {
	if err := checkFiles(files); err != nil {
		return complaint.Case{}, nil, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return complaint.Case{}, nil, err
	}
	defer tx.Rollback()
	c, seq, err := db.updateInTx(ctx, tx, ref, ifVersion, decide)
	if err != nil {
		return complaint.Case{}, nil, err
	}
	out, err := insertAttachments(ctx, tx, c, seq, files)
	if err != nil {
		return complaint.Case{}, nil, err
	}
	if err := tx.Commit(); err != nil {
		return complaint.Case{}, nil, fmt.Errorf("commit: %w", err)
	}
	return c, out, nil
}

// checkFiles refuses files whose SHA-256 does not match their data, before
// anything is written.
func checkFiles(files []store.Attachment) error {
	for i, f := range files {
		sum := sha256.Sum256(f.Data)
		if len(f.Data) == 0 || hex.EncodeToString(sum[:]) != f.SHA256 {
			return complaint.InvalidField(fmt.Sprintf("attachments.%d", i), "its SHA-256 does not match its data")
		}
	}
	return nil
}

// insertAttachments stores files beside the case c, on its event seq, in
// the caller's transaction, and returns them with their ids.
func insertAttachments(ctx context.Context, tx *sql.Tx, c complaint.Case, seq int, files []store.Attachment) ([]store.Attachment, error) {
	out := make([]store.Attachment, len(files))
	for i, f := range files {
		f.CaseRef, f.EventSeq, f.Size = c.Reference, seq, int64(len(f.Data))
		res, err := tx.ExecContext(ctx, `INSERT INTO attachments (case_id, event_seq, name, content_type, size, sha256, source, added_at, added_by, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, seq, f.Name, f.ContentType, f.Size, f.SHA256, f.Source, store.FormatTime(f.AddedAt), f.AddedBy, f.Data)
		if err != nil {
			return nil, fmt.Errorf("save attachment: %w", err)
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

const attachmentColumns = `a.id, c.reference, a.event_seq, a.name, a.content_type, a.size, a.sha256, a.source, a.added_at, a.added_by`

func scanAttachment(sc interface{ Scan(...any) error }, withData bool) (store.Attachment, error) {
	var a store.Attachment
	var at string
	dest := []any{&a.ID, &a.CaseRef, &a.EventSeq, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Source, &at, &a.AddedBy}
	if withData {
		dest = append(dest, &a.Data)
	}
	if err := sc.Scan(dest...); err != nil {
		return a, err
	}
	var err error
	a.AddedAt, err = store.ParseTime(at)
	return a, err
}

// Attachments implements store.Store.
func (db *DB) Attachments(ctx context.Context, ref string) ([]store.Attachment, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments a JOIN cases c ON c.id = a.case_id
		WHERE a.case_id = (SELECT case_id FROM case_refs WHERE reference = ?) ORDER BY a.id`, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment implements store.Store.
func (db *DB) Attachment(ctx context.Context, ref string, id int64) (store.Attachment, error) {
	a, err := scanAttachment(db.r.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, a.data FROM attachments a JOIN cases c ON c.id = a.case_id
		WHERE a.id = ? AND a.case_id = (SELECT case_id FROM case_refs WHERE reference = ?)`, id, ref), true)
	if errors.Is(err, sql.ErrNoRows) {
		return a, complaint.Errorf(complaint.NotFound, "case %s has no attachment %d", ref, id)
	}
	return a, err
}
