package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// IssueLetter implements store.Store.
func (db *DB) IssueLetter(ctx context.Context, ref string, ifVersion int, decide store.Decision, l store.Letter, mail *store.OutboundMessage) (complaint.Case, store.Letter, error) {
	if len(l.PDF) == 0 {
		return complaint.Case{}, l, complaint.InvalidField("pdf", "an issued letter needs its PDF")
	}
	if sha256Hex(l.PDF) != l.SHA256 {
		return complaint.Case{}, l, complaint.InvalidField("sha256", "does not match the letter's PDF")
	}
	var c complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var seq int
		var err error
		if c, seq, err = db.updateInTx(ctx, tx, ref, ifVersion, decide); err != nil {
			return err
		}
		l.CaseRef, l.EventSeq = c.Reference, seq
		err = tx.QueryRowContext(ctx, `INSERT INTO letters (case_id, event_seq, kind, title, stage, issued_at, issued_by, channel, recipient,
			subject, body, pdf, sha256, large_print, reissue_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, seq, l.Kind, l.Title, l.Stage, store.FormatTime(l.IssuedAt), l.IssuedBy, l.Channel, l.Recipient,
			l.Subject, l.Body, l.PDF, l.SHA256, l.LargePrint, l.ReissueReason).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("save letter: %w", err)
		}
		if mail != nil {
			m := *mail
			m.CaseRef = c.Reference
			if _, err := enqueueInTx(ctx, tx, m, l.IssuedAt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return complaint.Case{}, l, err
	}
	return c, l, nil
}

const letterColumns = `l.id, c.reference, l.event_seq, l.kind, l.title, l.stage, l.issued_at, l.issued_by,
	l.channel, l.recipient, l.subject, l.body, l.sha256, l.large_print, l.reissue_reason`

// scanLetter reads a row of letterColumns, and the PDF after them when
// withPDF is set.
func scanLetter(sc scanner, withPDF bool) (store.Letter, error) {
	var l store.Letter
	err := sc.Scan(withBlob(withPDF, &l.PDF, &l.ID, &l.CaseRef, &l.EventSeq, &l.Kind, &l.Title, &l.Stage, storedTime{&l.IssuedAt}, &l.IssuedBy,
		&l.Channel, &l.Recipient, &l.Subject, &l.Body, &l.SHA256, &l.LargePrint, &l.ReissueReason)...)
	return l, err
}

// letterDocs are the letters issued on cases, each with its PDF.
var letterDocs = caseDocs[store.Letter]{table: "letters", alias: "l", columns: letterColumns, blob: "pdf", scan: scanLetter, noun: "letter"}

// Letters implements store.Store.
func (db *DB) Letters(ctx context.Context, ref string) ([]store.Letter, error) {
	return letterDocs.list(ctx, db.r, ref)
}

// Letter implements store.Store.
func (db *DB) Letter(ctx context.Context, ref string, id int64) (store.Letter, error) {
	return letterDocs.one(ctx, db.r, ref, id)
}

// LetterTemplates implements store.Store.
func (db *DB) LetterTemplates(ctx context.Context) (map[string]store.LetterTemplate, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT kind, source, updated_by, updated_at FROM letter_templates`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]store.LetterTemplate{}
	for rows.Next() {
		var t store.LetterTemplate
		var at string
		if err := rows.Scan(&t.Kind, &t.Source, &t.UpdatedBy, &at); err != nil {
			return nil, err
		}
		if t.UpdatedAt, err = store.ParseTime(at); err != nil {
			return nil, err
		}
		out[t.Kind] = t
	}
	return out, rows.Err()
}

// SetLetterTemplate implements store.Store.
func (db *DB) SetLetterTemplate(ctx context.Context, t store.LetterTemplate) error {
	if strings.TrimSpace(t.Kind) == "" {
		return complaint.InvalidField("kind", "is required")
	}
	if strings.TrimSpace(t.Source) == "" {
		_, err := db.w.ExecContext(ctx, `DELETE FROM letter_templates WHERE kind = ?`, t.Kind)
		return err
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO letter_templates (kind, source, updated_at, updated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		t.Kind, t.Source, store.FormatTime(t.UpdatedAt), t.UpdatedBy)
	return err
}

// Letterhead implements store.Store.
func (db *DB) Letterhead(ctx context.Context) (store.Letterhead, bool, error) {
	var lh store.Letterhead
	var address, contact, at string
	err := db.r.QueryRowContext(ctx, `SELECT name, address, contact, logo, updated_by, updated_at FROM letterhead WHERE id = 1`).
		Scan(&lh.Name, &address, &contact, &lh.Logo, &lh.UpdatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Letterhead{}, false, nil
	}
	if err != nil {
		return lh, false, err
	}
	lh.Address, lh.Contact = splitLines(address), splitLines(contact)
	lh.UpdatedAt, err = store.ParseTime(at)
	return lh, err == nil, err
}

// SetLetterhead implements store.Store.
func (db *DB) SetLetterhead(ctx context.Context, lh store.Letterhead) error {
	if strings.TrimSpace(lh.Name) == "" {
		return complaint.InvalidField("name", "is required: the landlord's name heads every letter")
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO letterhead (id, name, address, contact, logo, updated_at, updated_by) VALUES (1, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, contact = excluded.contact,
		logo = excluded.logo, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		lh.Name, strings.Join(lh.Address, "\n"), strings.Join(lh.Contact, "\n"), lh.Logo, store.FormatTime(lh.UpdatedAt), lh.UpdatedBy)
	return err
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
