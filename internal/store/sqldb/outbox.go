package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.Outbox = (*DB)(nil)

// outboxColumns are the columns scanOutbound reads, in its order.
const outboxColumns = `id, case_ref, kind, coalesce(dedupe_key, ''), recipient, subject, text_body, html_body,
	status, attempts, next_attempt, last_error, queued_at, coalesce(sent_at, ''), message_id`

// claimQuery selects the messages due at a time, up to a limit, in the
// order they fell due. It reads the partial index outbox_due, which holds
// only messages waiting to be sent, so its cost does not grow with the
// mail already sent.
const claimQuery = `SELECT ` + outboxColumns + ` FROM outbox
	WHERE status IN ('queued', 'sending') AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`

type outboxScanner interface {
	Scan(dest ...any) error
}

func scanOutbound(s outboxScanner) (store.OutboundMessage, error) {
	var m store.OutboundMessage
	var next, queued, sent string
	err := s.Scan(&m.ID, &m.CaseRef, &m.Kind, &m.DedupeKey, &m.To, &m.Subject, &m.TextBody, &m.HTMLBody,
		&m.Status, &m.Attempts, &next, &m.LastError, &queued, &sent, &m.MessageID)
	if err != nil {
		return m, err
	}
	if m.NextAttempt, err = store.ParseTime(next); err != nil {
		return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
	}
	if m.QueuedAt, err = store.ParseTime(queued); err != nil {
		return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
	}
	if sent != "" {
		if m.SentAt, err = store.ParseTime(sent); err != nil {
			return m, fmt.Errorf("outbox message %d: %w", m.ID, err)
		}
	}
	return m, nil
}

// Enqueue implements store.Outbox.
func (db *DB) Enqueue(ctx context.Context, m store.OutboundMessage, at time.Time) (int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, err := enqueueInTx(ctx, tx, m, at)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return id, nil
}

// enqueueInTx queues a message in the caller's transaction, so that what
// the message reports (a letter issued, say) and the message itself are
// saved together or not at all.
func enqueueInTx(ctx context.Context, tx *sql.Tx, m store.OutboundMessage, at time.Time) (int64, error) {
	if err := store.CheckOutbound(m); err != nil {
		return 0, err
	}
	if at.IsZero() {
		return 0, complaint.InvalidField("queued_at", "is required")
	}
	due := at
	if !m.NextAttempt.IsZero() {
		due = m.NextAttempt
	}
	var caseID, dedupe any
	if m.CaseRef != "" {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT case_id FROM case_refs WHERE reference = ?`, m.CaseRef).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, notFound(m.CaseRef)
		}
		if err != nil {
			return 0, err
		}
		caseID = id
	}
	if m.DedupeKey != "" {
		dedupe = m.DedupeKey
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox (case_id, case_ref, kind, dedupe_key, recipient, subject, text_body, html_body,
		status, attempts, next_attempt, last_error, queued_at, message_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, '', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
		caseID, m.CaseRef, m.Kind, dedupe, m.To, m.Subject, m.TextBody, m.HTMLBody,
		store.FormatTime(due), store.FormatTime(at), m.MessageID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// The key is taken: the message is already in the outbox.
		err = tx.QueryRowContext(ctx, `SELECT id FROM outbox WHERE dedupe_key = ?`, m.DedupeKey).Scan(&id)
		return id, err
	}
	if err != nil {
		return 0, fmt.Errorf("queue message: %w", err)
	}
	for i, a := range m.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_attachments (outbox_id, seq, name, content_type, size, data)
			VALUES (?, ?, ?, ?, ?, ?)`, id, i+1, a.Name, a.ContentType, len(a.Data), a.Data); err != nil {
			return 0, fmt.Errorf("queue attachment: %w", err)
		}
	}
	return id, nil
}

// ClaimDue implements store.Outbox.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.OutboundMessage, error) {
	fields := map[string]string{}
	if limit < 1 || limit > 1000 {
		fields["limit"] = "must be from 1 to 1000"
	}
	if lease <= 0 {
		fields["lease"] = "must be positive"
	}
	if len(fields) > 0 {
		return nil, &complaint.Error{Code: complaint.Invalid, Message: "the claim has invalid fields", Fields: fields}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, claimQuery+db.d.skipLocked, store.FormatTime(now), limit)
	if err != nil {
		return nil, err
	}
	var claimed []store.OutboundMessage
	for rows.Next() {
		m, err := scanOutbound(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		claimed = append(claimed, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(claimed) == 0 {
		return nil, nil
	}
	until := now.Add(lease)
	ids := make([]any, 0, len(claimed)+1)
	ids = append(ids, store.FormatTime(until))
	for i := range claimed {
		ids = append(ids, claimed[i].ID)
		claimed[i].Status = store.OutboxSending
		claimed[i].Attempts++
		claimed[i].NextAttempt, _ = store.ParseTime(store.FormatTime(until))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt = ?
		WHERE id IN (`+outboxPlaceholders(len(claimed))+`)`, ids...); err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	// Attachments never change once queued, so they are read after the
	// commit, on a read connection, without holding up other writers.
	if err := db.loadAttachments(ctx, claimed, true); err != nil {
		return nil, err
	}
	return claimed, nil
}

func outboxPlaceholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// loadAttachments fills in the attachments of ms, with their data if
// withData.
func (db *DB) loadAttachments(ctx context.Context, ms []store.OutboundMessage, withData bool) error {
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[int64]*store.OutboundMessage, len(ms))
	ids := make([]any, len(ms))
	for i := range ms {
		byID[ms[i].ID] = &ms[i]
		ids[i] = ms[i].ID
	}
	data := `NULL`
	if withData {
		data = `data`
	}
	rows, err := db.r.QueryContext(ctx, `SELECT outbox_id, name, content_type, size, `+data+` FROM outbox_attachments
		WHERE outbox_id IN (`+outboxPlaceholders(len(ms))+`) ORDER BY outbox_id, seq`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a store.OutboundAttachment
		if err := rows.Scan(&id, &a.Name, &a.ContentType, &a.Size, &a.Data); err != nil {
			return err
		}
		byID[id].Attachments = append(byID[id].Attachments, a)
	}
	return rows.Err()
}

// MarkSent implements store.Outbox.
func (db *DB) MarkSent(ctx context.Context, id int64, messageID string, at time.Time) error {
	if !store.ValidMessageID(messageID) {
		return complaint.InvalidField("message_id", "must be <local@domain>, at most 250 characters")
	}
	res, err := db.w.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ? WHERE id = ? AND status <> 'sent'`,
		store.FormatTime(at), messageID, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var status, recorded string
	err = db.w.QueryRowContext(ctx, `SELECT status, message_id FROM outbox WHERE id = ?`, id).Scan(&status, &recorded)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return complaint.Errorf(complaint.NotFound, "there is no outbound message %d", id)
	case err != nil:
		return err
	case recorded == messageID:
		return nil
	}
	return complaint.Errorf(complaint.Conflict, "outbound message %d was already sent as %s", id, recorded)
}

// MarkFailed implements store.Outbox.
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string, next time.Time, permanent bool) error {
	errText = outboxTruncate(errText, 2000)
	var res sql.Result
	var err error
	if permanent {
		res, err = db.w.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status IN ('queued', 'sending')`,
			errText, id)
	} else {
		res, err = db.w.ExecContext(ctx, `UPDATE outbox SET status = 'queued', last_error = ?, next_attempt = ? WHERE id = ? AND status IN ('queued', 'sending')`,
			errText, store.FormatTime(next), id)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var status string
	err = db.w.QueryRowContext(ctx, `SELECT status FROM outbox WHERE id = ?`, id).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return complaint.Errorf(complaint.NotFound, "there is no outbound message %d", id)
	case err != nil:
		return err
	}
	return complaint.Errorf(complaint.Conflict, "outbound message %d is already %s", id, status)
}

// outboxTruncate cuts s to at most n bytes, on a character boundary.
func outboxTruncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Outbox implements store.Outbox.
func (db *DB) Outbox(ctx context.Context, caseRef string) ([]store.OutboundMessage, error) {
	var caseID int64
	err := db.r.QueryRowContext(ctx, `SELECT case_id FROM case_refs WHERE reference = ?`, caseRef).Scan(&caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(caseRef)
	}
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	ms := []store.OutboundMessage{}
	for rows.Next() {
		m, err := scanOutbound(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ms, db.loadAttachments(ctx, ms, false)
}
