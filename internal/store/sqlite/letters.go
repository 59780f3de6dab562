package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
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
	if sum := sha256.Sum256(l.PDF); hex.EncodeToString(sum[:]) != l.SHA256 {
		return complaint.Case{}, l, complaint.InvalidField("sha256", "does not match the letter's PDF")
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return complaint.Case{}, l, err
	}
	defer tx.Rollback()
	c, seq, err := db.updateInTx(ctx, tx, ref, ifVersion, decide)
	if err != nil {
		return complaint.Case{}, l, err
	}
	l.CaseRef, l.EventSeq = c.Reference, seq
	res, err := tx.ExecContext(ctx, `INSERT INTO letters (case_id, event_seq, kind, title, stage, issued_at, issued_by, channel, recipient,
		subject, body, pdf, sha256, large_print) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, seq, l.Kind, l.Title, l.Stage, store.FormatTime(l.IssuedAt), l.IssuedBy, l.Channel, l.Recipient,
		l.Subject, l.Body, l.PDF, l.SHA256, l.LargePrint)
	if err != nil {
		return complaint.Case{}, l, fmt.Errorf("save letter: %w", err)
	}
	if l.ID, err = res.LastInsertId(); err != nil {
		return complaint.Case{}, l, err
	}
	if mail != nil {
		m := *mail
		m.CaseRef = c.Reference
		if _, err := enqueueInTx(ctx, tx, m, l.IssuedAt); err != nil {
			return complaint.Case{}, l, err
		}
	}
	if err := tx.Commit(); err != nil {
		return complaint.Case{}, l, fmt.Errorf("commit: %w", err)
	}
	return c, l, nil
}

const letterColumns = `l.id, c.reference, l.event_seq, l.kind, l.title, l.stage, l.issued_at, l.issued_by,
	l.channel, l.recipient, l.subject, l.body, l.sha256, l.large_print`

func scanLetter(sc interface{ Scan(...any) error }, withPDF bool) (store.Letter, error) {
	var l store.Letter
	var at string
	dest := []any{&l.ID, &l.CaseRef, &l.EventSeq, &l.Kind, &l.Title, &l.Stage, &at, &l.IssuedBy,
		&l.Channel, &l.Recipient, &l.Subject, &l.Body, &l.SHA256, &l.LargePrint}
	if withPDF {
		dest = append(dest, &l.PDF)
	}
	if err := sc.Scan(dest...); err != nil {
		return l, err
	}
	var err error
	l.IssuedAt, err = store.ParseTime(at)
	return l, err
}

// Letters implements store.Store.
func (db *DB) Letters(ctx context.Context, ref string) ([]store.Letter, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+letterColumns+` FROM letters l JOIN cases c ON c.id = l.case_id
		WHERE l.case_id = (SELECT case_id FROM case_refs WHERE reference = ?) ORDER BY l.id`, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Letter
	for rows.Next() {
		l, err := scanLetter(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Letter implements store.Store.
func (db *DB) Letter(ctx context.Context, ref string, id int64) (store.Letter, error) {
	l, err := scanLetter(db.r.QueryRowContext(ctx, `SELECT `+letterColumns+`, l.pdf FROM letters l JOIN cases c ON c.id = l.case_id
		WHERE l.id = ? AND l.case_id = (SELECT case_id FROM case_refs WHERE reference = ?)`, id, ref), true)
	if errors.Is(err, sql.ErrNoRows) {
		return l, complaint.Errorf(complaint.NotFound, "case %s has no letter %d", ref, id)
	}
	return l, err
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
