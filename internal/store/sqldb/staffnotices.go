package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var _ store.StaffNoticeStore = (*DB)(nil)

// StaffNoticeCursor implements store.StaffNoticeStore. It reads on the
// writer, so that a processor sees the cursor it has just moved.
func (db *DB) StaffNoticeCursor(ctx context.Context) (int64, error) {
	var id int64
	err := db.w.QueryRowContext(ctx, `SELECT last_event_id FROM staff_notice_cursor WHERE id = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// RecordStaffNotices implements store.StaffNoticeStore.
func (db *DB) RecordStaffNotices(ctx context.Context, from, to int64, ns []store.StaffNotice, at time.Time) (int, error) {
	if to < from {
		return 0, complaint.InvalidField("to", "the cursor only moves forward: %d is before %d", to, from)
	}
	if err := checkStaffNotices(ns); err != nil {
		return 0, err
	}
	added := 0
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The row is made if a damaged database lost it, then moved only
		// from where this processor found it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_notice_cursor (id, last_event_id, updated_at) VALUES (1, 0, ?) ON CONFLICT DO NOTHING`, store.FormatTime(at)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE staff_notice_cursor SET last_event_id = ?, updated_at = ? WHERE id = 1 AND last_event_id = ?`,
			to, store.FormatTime(at), from)
		if err != nil {
			return fmt.Errorf("move the staff notice cursor: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return complaint.Errorf(complaint.Conflict, "the staff notice cursor is no longer at event %d: another processor has moved it", from)
		}
		added, err = addStaffNoticesInTx(ctx, tx, ns, at)
		return err
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// AddStaffNotices implements store.StaffNoticeStore.
func (db *DB) AddStaffNotices(ctx context.Context, ns []store.StaffNotice, at time.Time) (int, error) {
	if err := checkStaffNotices(ns); err != nil {
		return 0, err
	}
	added := 0
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		added, err = addStaffNoticesInTx(ctx, tx, ns, at)
		return err
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// checkStaffNotices refuses, before anything is written, a notice that
// could not be shown or could be stored twice, naming the notice and its
// field.
func checkStaffNotices(ns []store.StaffNotice) error {
	for i, n := range ns {
		f := fmt.Sprintf("notices[%d]", i)
		switch {
		case n.Key == "":
			return complaint.InvalidField(f+".key", "is required: a notice must be stored once")
		case n.UserID <= 0:
			return complaint.InvalidField(f+".user_id", "must name a user")
		case n.CaseRef == "":
			return complaint.InvalidField(f+".case_ref", "is required: a notice is about a case")
		case !slices.Contains(store.StaffNoticeKinds, n.Kind):
			return complaint.InvalidField(f+".kind", "%q is not a kind of notice", n.Kind)
		case n.Kind == store.NoticeDueTomorrow && n.Due.IsZero():
			return complaint.InvalidField(f+".due", "is required for a notice of a deadline")
		}
	}
	return nil
}

// addStaffNoticesInTx stores each notice whose key is not stored yet and
// returns how many it stored. ON CONFLICT DO NOTHING makes a notice
// recorded by a racing processor count as not new, never as an error.
func addStaffNoticesInTx(ctx context.Context, tx *sql.Tx, ns []store.StaffNotice, at time.Time) (int, error) {
	added := 0
	for i, n := range ns {
		due := ""
		if !n.Due.IsZero() {
			due = n.Due.String()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO staff_notices (user_id, case_ref, kind, event_id, due, dedupe_key, created_at, read_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, '') ON CONFLICT (dedupe_key) DO NOTHING`,
			n.UserID, n.CaseRef, string(n.Kind), n.EventID, due, n.Key, store.FormatTime(at))
		if err != nil {
			return 0, fmt.Errorf("store notice %d: %w", i+1, err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		added += int(k)
	}
	return added, nil
}

const staffNoticeColumns = `n.id, n.user_id, n.case_ref, n.kind, n.event_id, n.due, n.dedupe_key, n.created_at, n.read_at`

// StaffNotices implements store.StaffNoticeStore. The join to the case
// applies the same confidential-case rule as every list (visibleTo); a
// notice whose case is gone (erased) is not listed either.
func (db *DB) StaffNotices(ctx context.Context, userID int64, v store.Viewer, limit int) ([]store.StaffNotice, error) {
	if limit < 1 || limit > 500 {
		return nil, complaint.InvalidField("limit", "must be from 1 to 500")
	}
	cond, args := visibleTo(v)
	ns, err := queryAll(ctx, db.r, scanStaffNotice, `SELECT `+staffNoticeColumns+`
		FROM staff_notices n JOIN cases c ON c.reference = n.case_ref
		WHERE n.user_id = ? AND `+cond+` ORDER BY n.id DESC LIMIT ?`, append(append([]any{userID}, args...), limit)...)
	if err == nil && ns == nil {
		ns = []store.StaffNotice{}
	}
	return ns, err
}

// UnreadStaffNotices implements store.StaffNoticeStore. It runs on every
// staff page, so it reads only the user's unread rows, by their index.
func (db *DB) UnreadStaffNotices(ctx context.Context, userID int64, v store.Viewer) (int, error) {
	cond, args := visibleTo(v)
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM staff_notices n JOIN cases c ON c.reference = n.case_ref
		WHERE n.user_id = ? AND n.read_at = '' AND `+cond, append([]any{userID}, args...)...).Scan(&n)
	return n, err
}

// ReadStaffNotice implements store.StaffNoticeStore.
func (db *DB) ReadStaffNotice(ctx context.Context, userID, id int64, at time.Time) (store.StaffNotice, error) {
	var n store.StaffNotice
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE staff_notices SET read_at = ? WHERE id = ? AND user_id = ? AND read_at = ''`,
			store.FormatTime(at), id, userID); err != nil {
			return err
		}
		var err error
		n, err = scanStaffNotice(tx.QueryRowContext(ctx, `SELECT `+staffNoticeColumns+` FROM staff_notices n WHERE n.id = ? AND n.user_id = ?`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return complaint.Errorf(complaint.NotFound, "notice %d not found", id)
		}
		return err
	})
	return n, err
}

// ReadAllStaffNotices implements store.StaffNoticeStore.
func (db *DB) ReadAllStaffNotices(ctx context.Context, userID int64, at time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_notices SET read_at = ? WHERE user_id = ? AND read_at = ''`, store.FormatTime(at), userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// scanStaffNotice reads one row of staffNoticeColumns.
func scanStaffNotice(sc scanner) (store.StaffNotice, error) {
	var n store.StaffNotice
	var kind, due, created, read string
	if err := sc.Scan(&n.ID, &n.UserID, &n.CaseRef, &kind, &n.EventID, &due, &n.Key, &created, &read); err != nil {
		return n, err
	}
	n.Kind = store.StaffNoticeKind(kind)
	var err error
	if due != "" {
		if n.Due, err = calendar.ParseDate(due); err != nil {
			return n, fmt.Errorf("notice %d: %w", n.ID, err)
		}
	}
	if n.CreatedAt, err = store.ParseTime(created); err != nil {
		return n, fmt.Errorf("notice %d: %w", n.ID, err)
	}
	if read != "" {
		if n.ReadAt, err = store.ParseTime(read); err != nil {
			return n, fmt.Errorf("notice %d: %w", n.ID, err)
		}
	}
	return n, nil
}
