package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.InboundStore = (*DB)(nil)

// checkInbound refuses a record that could not be stored sensibly.
func checkInbound(m store.InboundMessage, outcomes ...string) error {
	fields := map[string]string{}
	if m.Key == "" || len(m.Key) > 1000 || !utf8.ValidString(m.Key) {
		fields["key"] = "must be a Message-ID or a hash, at most 1000 bytes"
	}
	if len(m.SHA256) != 64 || strings.Trim(m.SHA256, "0123456789abcdef") != "" {
		fields["sha256"] = "must be the raw message's SHA-256 in lower-case hex"
	}
	if !slices.Contains(outcomes, m.Outcome) {
		fields["outcome"] = "must be one of: " + strings.Join(outcomes, ", ")
	}
	if m.ArrivedAt.IsZero() || m.ProcessedAt.IsZero() {
		fields["arrived_at"] = "and processed_at are required"
	}
	if len(m.Raw) > store.MaxInboundRaw {
		fields["raw"] = fmt.Sprintf("is larger than %d bytes", store.MaxInboundRaw)
	}
	if m.Raw != nil {
		if sha256Hex(m.Raw) != m.SHA256 {
			fields["sha256"] = "does not match the raw message"
		}
	}
	for k, v := range map[string]string{"source": m.Source, "reason": m.Reason, "from_domain": m.FromDomain, "subject": m.Subject, "case_ref": m.CaseRef} {
		if len(v) > 2000 {
			fields[k] = "is longer than 2000 bytes"
		}
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the inbound message record has invalid fields", Fields: fields}
	}
	return nil
}

// seenInTx returns ErrInboundRepeat if key is recorded already.
func seenInTx(ctx context.Context, tx *sql.Tx, key string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM inbound_messages WHERE message_key = ?`, key).Scan(&one)
	switch {
	case err == nil:
		return store.ErrInboundRepeat
	case errors.Is(err, sql.ErrNoRows):
		return nil
	}
	return err
}

// insertInbound records m in the caller's transaction.
func insertInbound(ctx context.Context, tx *sql.Tx, m store.InboundMessage) (store.InboundMessage, error) {
	if m.Raw != nil {
		m.Size, m.Kept = int64(len(m.Raw)), true
	}
	var raw any
	if m.Raw != nil {
		raw = m.Raw
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO inbound_messages (message_key, sha256, source, outcome, case_ref, reason,
		from_domain, subject, arrived_at, processed_at, size, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (message_key) DO NOTHING RETURNING id`,
		m.Key, m.SHA256, m.Source, m.Outcome, m.CaseRef, m.Reason, m.FromDomain, m.Subject,
		store.FormatTime(m.ArrivedAt), store.FormatTime(m.ProcessedAt), m.Size, raw).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return m, store.ErrInboundRepeat
	}
	if err != nil {
		return m, fmt.Errorf("record inbound message: %w", err)
	}
	return m, nil
}

// InboundByKey implements store.InboundStore.
func (db *DB) InboundByKey(ctx context.Context, key string) (store.InboundMessage, error) {
	m, err := scanInbound(db.r.QueryRowContext(ctx, `SELECT `+inboundColumns+` FROM inbound_messages WHERE message_key = ?`, key), false)
	return m, orNotFound(err, "no message with that key has been processed")
}

// RecordInbound implements store.InboundStore.
func (db *DB) RecordInbound(ctx context.Context, m store.InboundMessage) (store.InboundMessage, error) {
	if err := checkInbound(m, store.InboundIgnored, store.InboundQuarantined); err != nil {
		return m, err
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		m, err = insertInbound(ctx, tx, m)
		return err
	})
	return m, err
}

// CreateCaseFromInbound implements store.InboundStore.
func (db *DB) CreateCaseFromInbound(ctx context.Context, m store.InboundMessage, create func(store.NewReference) (complaint.Case, complaint.Event, error), attach store.Decision, files []store.Attachment) (complaint.Case, store.InboundMessage, error) {
	m, err := checkInboundFiles(m, store.InboundCaseCreated, files)
	if err != nil {
		return complaint.Case{}, m, err
	}
	if len(files) > 0 && attach == nil {
		return complaint.Case{}, m, complaint.InvalidField("attachments", "need the decision that records them")
	}
	return db.inboundToCase(ctx, m, files, func(tx *sql.Tx) (complaint.Case, int, error) {
		c, err := db.createInTx(ctx, tx, create)
		if err != nil || len(files) == 0 {
			return c, 0, err
		}
		return db.updateInTx(ctx, tx, c.Reference, 0, attach)
	})
}

// AddInboundInformation implements store.InboundStore.
func (db *DB) AddInboundInformation(ctx context.Context, m store.InboundMessage, ref string, decide store.Decision, files []store.Attachment) (complaint.Case, store.InboundMessage, error) {
	m, err := checkInboundFiles(m, store.InboundAdded, files)
	if err != nil {
		return complaint.Case{}, m, err
	}
	return db.inboundToCase(ctx, m, files, func(tx *sql.Tx) (complaint.Case, int, error) {
		return db.updateInTx(ctx, tx, ref, 0, decide)
	})
}

// checkInboundFiles gives m the outcome it is recorded with and refuses
// it, or any of files, before anything is written.
func checkInboundFiles(m store.InboundMessage, outcome string, files []store.Attachment) (store.InboundMessage, error) {
	m.Outcome = outcome
	if err := checkInbound(m, outcome); err != nil {
		return m, err
	}
	return m, checkFiles(files)
}

// inboundToCase runs change (which creates or updates a case, and returns
// it with the number of the event the files belong to) in one transaction
// with the files and the record of m against the case. A message is thus
// recorded exactly when what it did to its case is: a repeat of a message
// already recorded changes nothing and returns store.ErrInboundRepeat.
func (db *DB) inboundToCase(ctx context.Context, m store.InboundMessage, files []store.Attachment, change func(tx *sql.Tx) (complaint.Case, int, error)) (complaint.Case, store.InboundMessage, error) {
	var c complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := seenInTx(ctx, tx, m.Key); err != nil {
			return err
		}
		var seq int
		var err error
		if c, seq, err = change(tx); err != nil {
			return err
		}
		if _, err := insertAttachments(ctx, tx, c, seq, files); err != nil {
			return err
		}
		m.CaseRef = c.Reference
		m, err = insertInbound(ctx, tx, m)
		return err
	})
	if err != nil {
		return complaint.Case{}, m, err
	}
	return c, m, nil
}

const inboundColumns = `id, message_key, sha256, source, outcome, case_ref, reason, from_domain, subject,
	arrived_at, processed_at, size, raw IS NOT NULL, coalesce(resolved_at, ''), resolved_by, resolution`

// scanInbound reads a row of inboundColumns, and the raw message after
// them when withRaw is set.
func scanInbound(sc scanner, withRaw bool) (store.InboundMessage, error) {
	var m store.InboundMessage
	var arrived, processed, resolved string
	if err := sc.Scan(withBlob(withRaw, &m.Raw, &m.ID, &m.Key, &m.SHA256, &m.Source, &m.Outcome, &m.CaseRef, &m.Reason, &m.FromDomain, &m.Subject,
		&arrived, &processed, &m.Size, &m.Kept, &resolved, &m.ResolvedBy, &m.Resolution)...); err != nil {
		return m, err
	}
	var err error
	if m.ArrivedAt, err = store.ParseTime(arrived); err != nil {
		return m, fmt.Errorf("inbound message %d: %w", m.ID, err)
	}
	if m.ProcessedAt, err = store.ParseTime(processed); err != nil {
		return m, fmt.Errorf("inbound message %d: %w", m.ID, err)
	}
	if resolved != "" {
		if m.ResolvedAt, err = store.ParseTime(resolved); err != nil {
			return m, fmt.Errorf("inbound message %d: %w", m.ID, err)
		}
	}
	return m, nil
}

// InboundMessages implements store.InboundStore.
func (db *DB) InboundMessages(ctx context.Context, f store.InboundFilter) ([]store.InboundMessage, error) {
	if !slices.Contains(store.InboundOutcomes, f.Outcome) {
		return nil, complaint.InvalidField("outcome", "must be one of: %s", strings.Join(store.InboundOutcomes, ", "))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	q := `SELECT ` + inboundColumns + ` FROM inbound_messages WHERE outcome = ?`
	if !f.Resolved {
		q += ` AND resolved_at IS NULL`
	}
	return queryAll(ctx, db.r, func(sc scanner) (store.InboundMessage, error) { return scanInbound(sc, false) },
		q+` ORDER BY id DESC LIMIT ?`, f.Outcome, limit)
}

// InboundMessage implements store.InboundStore.
func (db *DB) InboundMessage(ctx context.Context, id int64) (store.InboundMessage, error) {
	m, err := scanInbound(db.r.QueryRowContext(ctx, `SELECT `+inboundColumns+`, raw FROM inbound_messages WHERE id = ?`, id), true)
	return m, orNotFound(err, "there is no inbound message %d", id)
}

// ResolveInbound implements store.InboundStore.
func (db *DB) ResolveInbound(ctx context.Context, id int64, by, note string, at time.Time) error {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return complaint.InvalidField("note", "is required: say what was done with the message")
	case len(note) > 2000:
		return complaint.InvalidField("note", "is longer than 2000 characters")
	case by == "":
		return complaint.InvalidField("by", "is required")
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var outcome, resolved string
	err = tx.QueryRowContext(ctx, `SELECT outcome, coalesce(resolved_at, '') FROM inbound_messages WHERE id = ?`+db.d.forUpdate, id).Scan(&outcome, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.Errorf(complaint.NotFound, "there is no inbound message %d", id)
	}
	if err != nil {
		return err
	}
	if outcome != store.InboundQuarantined {
		return complaint.Errorf(complaint.Conflict, "inbound message %d was %s, not quarantined", id, outcome)
	}
	if resolved != "" {
		return complaint.Errorf(complaint.Conflict, "inbound message %d has been resolved already", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inbound_messages SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?`,
		store.FormatTime(at), by, note, id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// PruneInbound implements store.InboundStore.
func (db *DB) PruneInbound(ctx context.Context, ignoredBefore, resolvedBefore time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE inbound_messages SET raw = NULL, subject = '' WHERE raw IS NOT NULL AND
		((outcome = 'ignored' AND processed_at < ?) OR (outcome = 'quarantined' AND resolved_at IS NOT NULL AND resolved_at < ?))`,
		store.FormatTime(ignoredBefore), store.FormatTime(resolvedBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
