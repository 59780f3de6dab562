package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.NotifyStore = (*DB)(nil)

// EventsAfter implements store.NotifyStore. It walks the events table by
// its primary key, so each batch costs the same however long the log.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]store.CaseEvent, error) {
	if limit < 1 || limit > 1000 {
		return nil, complaint.InvalidField("limit", "must be from 1 to 1000")
	}
	rows, err := db.r.QueryContext(ctx, `SELECT e.id, c.reference, e.seq, e.kind, e.actor, e.at, e.recorded_at, e.data, e.prev_hash, e.hash
		FROM events e JOIN cases c ON c.id = e.case_id WHERE e.id > ? ORDER BY e.id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	return scanCaseEvents(rows)
}

// NotifyCursor implements store.NotifyStore. It reads on the writer, so
// that a relay sees the cursor it has just moved.
func (db *DB) NotifyCursor(ctx context.Context) (int64, error) {
	var id int64
	err := db.w.QueryRowContext(ctx, `SELECT last_event_id FROM notify_cursor WHERE id = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SetNotifyCursor implements store.NotifyStore.
func (db *DB) SetNotifyCursor(ctx context.Context, lastEventID int64, at time.Time) error {
	if lastEventID < 0 {
		return complaint.InvalidField("last_event_id", "must not be negative")
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO notify_cursor (id, last_event_id, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at`,
		lastEventID, store.FormatTime(at))
	return err
}

// RecordNotices implements store.NotifyStore.
func (db *DB) RecordNotices(ctx context.Context, from, to int64, notices []store.PendingNotice, at time.Time) (int, error) {
	if to < from {
		return 0, complaint.InvalidField("to", "the cursor only moves forward: %d is before %d", to, from)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Insert the row if a damaged database lost it, then move it only
	// from where this relay found it.
	if _, err := tx.ExecContext(ctx, `INSERT INTO notify_cursor (id, last_event_id, updated_at) VALUES (1, 0, ?) ON CONFLICT DO NOTHING`, store.FormatTime(at)); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE notify_cursor SET last_event_id = ?, updated_at = ? WHERE id = 1 AND last_event_id = ?`,
		to, store.FormatTime(at), from)
	if err != nil {
		return 0, fmt.Errorf("move the notice cursor: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n != 1 {
		return 0, complaint.Errorf(complaint.Conflict, "the notice cursor is no longer at event %d: another relay has moved it", from)
	}
	queued := 0
	for i, n := range notices {
		isNew, err := enqueueNewInTx(ctx, tx, n.Message, at, func() error {
			if n.Invite == nil {
				return nil
			}
			return inviteInTx(ctx, tx, *n.Invite)
		})
		if err != nil {
			return 0, fmt.Errorf("notice %d: %w", i+1, err)
		}
		if isNew {
			queued++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return queued, nil
}

// EnqueueNew implements store.NotifyStore.
func (db *DB) EnqueueNew(ctx context.Context, ms []store.OutboundMessage, at time.Time) (int, error) {
	return db.enqueueAll(ctx, ms, at, nil)
}

// enqueueAll queues each message not already queued under its dedupe key
// and then runs also (if given) in the same transaction, so that whatever
// also marks as announced is marked exactly when the messages are queued.
// It returns how many messages were new.
func (db *DB) enqueueAll(ctx context.Context, ms []store.OutboundMessage, at time.Time, also func(tx *sql.Tx) error) (int, error) {
	var queued int
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if queued, err = enqueueAllInTx(ctx, tx, ms, at); err != nil || also == nil {
			return err
		}
		return also(tx)
	})
	if err != nil {
		return 0, err
	}
	return queued, nil
}

// enqueueNewInTx queues m unless its dedupe key is already in the outbox,
// calling before (if given) first, and reports whether it queued it.
func enqueueNewInTx(ctx context.Context, tx *sql.Tx, m store.OutboundMessage, at time.Time, before func() error) (bool, error) {
	if m.DedupeKey == "" {
		return false, complaint.InvalidField("dedupe_key", "is required: a notice must be queued once")
	}
	var exists int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE dedupe_key = ?`, m.DedupeKey).Scan(&exists)
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	if before != nil {
		if err := before(); err != nil {
			return false, err
		}
	}
	if _, err := enqueueInTx(ctx, tx, m, at); err != nil {
		return false, err
	}
	return true, nil
}

// inviteInTx stores a survey invitation in the caller's transaction.
func inviteInTx(ctx context.Context, tx *sql.Tx, inv store.SurveyInvite) error {
	if len(inv.TokenHash) != 64 {
		return complaint.InvalidField("token_hash", "must be a SHA-256 in hex")
	}
	c, err := getCase(ctx, tx, inv.CaseRef, "")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_invites (token_hash, case_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		inv.TokenHash, c.ID, store.FormatTime(inv.CreatedAt), store.FormatTime(inv.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store survey invitation: %w", err)
	}
	return nil
}

// scanCaseEvents reads rows of (id, reference, seq, kind, actor, at,
// recorded_at, data, prev_hash, hash) into case events, and closes them.
func scanCaseEvents(rows *sql.Rows) ([]store.CaseEvent, error) {
	defer rows.Close()
	evs := []store.CaseEvent{}
	for rows.Next() {
		var ce store.CaseEvent
		var at, rec, data string
		ev := &ce.Event
		err := rows.Scan(&ce.ID, &ce.CaseRef, &ev.Seq, &ev.Kind, &ev.Actor, &at, &rec, &data, &ev.PrevHash, &ev.Hash)
		if err != nil {
			return nil, err
		}
		if ev.At, err = store.ParseTime(at); err != nil {
			return nil, fmt.Errorf("event %d: %w", ce.ID, err)
		}
		if ev.RecordedAt, err = store.ParseTime(rec); err != nil {
			return nil, fmt.Errorf("event %d: %w", ce.ID, err)
		}
		ev.Data = json.RawMessage(data)
		evs = append(evs, ce)
	}
	return evs, rows.Err()
}

// enqueueAllInTx queues each message not already queued under its dedupe
// key, in tx, and returns how many were new.
func enqueueAllInTx(ctx context.Context, tx *sql.Tx, ms []store.OutboundMessage, at time.Time) (int, error) {
	queued := 0
	for i, m := range ms {
		isNew, err := enqueueNewInTx(ctx, tx, m, at, nil)
		if err != nil {
			return 0, fmt.Errorf("message %d: %w", i+1, err)
		}
		if isNew {
			queued++
		}
	}
	return queued, nil
}
