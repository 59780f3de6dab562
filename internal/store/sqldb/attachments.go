package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// AddInformation implements store.Store.
func (db *DB) AddInformation(ctx context.Context, ref string, ifVersion int, decide store.Decision, files []store.Attachment) (complaint.Case, []store.Attachment, error) {
	if err := checkFiles(files); err != nil {
		return complaint.Case{}, nil, err
	}
	var c complaint.Case
	var out []store.Attachment
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var seq int
		var err error
		if c, seq, err = db.updateInTx(ctx, tx, ref, ifVersion, decide); err != nil {
			return err
		}
		out, err = insertAttachments(ctx, tx, c, seq, files)
		return err
	})
	if err != nil {
		return complaint.Case{}, nil, err
	}
	return c, out, nil
}

// checkFiles refuses files whose SHA-256 does not match their data, before
// anything is written.
func checkFiles(files []store.Attachment) error {
	for i, f := range files {
		if len(f.Data) == 0 || sha256Hex(f.Data) != f.SHA256 {
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
		err := tx.QueryRowContext(ctx, `INSERT INTO attachments (case_id, event_seq, name, content_type, size, sha256, source, added_at, added_by, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, seq, f.Name, f.ContentType, f.Size, f.SHA256, f.Source, store.FormatTime(f.AddedAt), f.AddedBy, f.Data).Scan(&f.ID)
		if err != nil {
			return nil, fmt.Errorf("save attachment: %w", err)
		}
		out[i] = f
	}
	return out, nil
}

const attachmentColumns = `a.id, c.reference, a.event_seq, a.name, a.content_type, a.size, a.sha256, a.source, a.added_at, a.added_by`

// scanAttachment reads a row of attachmentColumns, and the file's bytes
// after them when withData is set.
func scanAttachment(sc scanner, withData bool) (store.Attachment, error) {
	var a store.Attachment
	err := sc.Scan(withBlob(withData, &a.Data, &a.ID, &a.CaseRef, &a.EventSeq, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Source,
		storedTime{&a.AddedAt}, &a.AddedBy)...)
	return a, err
}

// attachmentDocs are the files kept with cases.
var attachmentDocs = caseDocs[store.Attachment]{table: "attachments", alias: "a", columns: attachmentColumns, blob: "data", scan: scanAttachment, noun: "attachment"}

// Attachments implements store.Store.
func (db *DB) Attachments(ctx context.Context, ref string) ([]store.Attachment, error) {
	return attachmentDocs.list(ctx, db.r, ref)
}

// Attachment implements store.Store.
func (db *DB) Attachment(ctx context.Context, ref string, id int64) (store.Attachment, error) {
	return attachmentDocs.one(ctx, db.r, ref, id)
}
