package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

const restrictionColumns = `data, version`

func scanRestriction(sc scanner) (restriction.Restriction, error) {
	var data string
	var version int
	if err := sc.Scan(&data, &version); err != nil {
		return restriction.Restriction{}, err
	}
	var r restriction.Restriction
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("reading a stored restriction: %w", err)
	}
	r.Version = version
	return r, nil
}

func getRestriction(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, id int64, lock string) (restriction.Restriction, error) {
	r, err := scanRestriction(q.QueryRowContext(ctx, `SELECT `+restrictionColumns+` FROM restrictions WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, complaint.Errorf(complaint.NotFound, "there is no restriction %d", id)
	}
	return r, err
}

func reviewDue(r restriction.Restriction) string {
	if r.ReviewDue.IsZero() {
		return ""
	}
	return r.ReviewDue.String()
}

func writeRestrictionEvent(ctx context.Context, tx *sql.Tx, id int64, seq int, ev restriction.Event) error {
	data, err := json.Marshal(ev.Data)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO restriction_events (restriction_id, seq, kind, actor, at, recorded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, seq, string(ev.Kind), ev.Actor, store.FormatTime(ev.At), store.FormatTime(ev.RecordedAt), string(data))
	return err
}

// CreateRestriction implements store.RestrictionStore.
func (db *DB) CreateRestriction(ctx context.Context, decide func() (restriction.Restriction, restriction.Event, error)) (restriction.Restriction, error) {
	var out restriction.Restriction
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		r, ev, err := decide()
		if err != nil {
			return err
		}
		r.Version = 1
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO restrictions (person_key, status, review_due, case_ref, version, data, created_at, updated_at)
			VALUES (?, ?, ?, ?, 1, '{}', ?, ?) RETURNING id`, r.PersonKey, string(r.Status), reviewDue(r), r.CaseRef,
			store.FormatTime(r.CreatedAt), store.FormatTime(r.UpdatedAt)).Scan(&id); err != nil {
			return err
		}
		r.ID = id
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE restrictions SET data = ? WHERE id = ?`, string(data), id); err != nil {
			return err
		}
		ev.Seq = 1
		if err := writeRestrictionEvent(ctx, tx, id, 1, ev); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// UpdateRestriction implements store.RestrictionStore.
func (db *DB) UpdateRestriction(ctx context.Context, id int64, ifVersion int, decide func(restriction.Restriction) (restriction.Restriction, restriction.Event, error)) (restriction.Restriction, error) {
	var out restriction.Restriction
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		r, err := getRestriction(ctx, tx, id, db.d.forUpdate)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != r.Version {
			return complaint.Errorf(complaint.Stale, "restriction %d has changed since you read it (version %d, now %d): reload it and try again", id, ifVersion, r.Version)
		}
		next, ev, err := decide(r)
		if err != nil {
			return err
		}
		next.ID, next.Version = id, r.Version+1
		data, err := json.Marshal(next)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE restrictions SET status = ?, review_due = ?, version = ?, data = ?, updated_at = ? WHERE id = ? AND version = ?`,
			string(next.Status), reviewDue(next), next.Version, string(data), store.FormatTime(next.UpdatedAt), id, r.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, complaint.Errorf(complaint.Stale, "restriction %d changed while it was being saved: try again", id))
		}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM restriction_events WHERE restriction_id = ?`, id).Scan(&seq); err != nil {
			return err
		}
		ev.Seq = seq
		if err := writeRestrictionEvent(ctx, tx, id, seq, ev); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}

// GetRestriction implements store.RestrictionStore.
func (db *DB) GetRestriction(ctx context.Context, id int64) (restriction.Restriction, error) {
	return getRestriction(ctx, db.r, id, "")
}

// ListRestrictions implements store.RestrictionStore.
func (db *DB) ListRestrictions(ctx context.Context, f store.RestrictionFilter) ([]restriction.Restriction, error) {
	q := `SELECT ` + restrictionColumns + ` FROM restrictions WHERE 1 = 1`
	var args []any
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.ActiveOnly {
		q += ` AND status IN (?, ?)`
		args = append(args, string(restriction.Warned), string(restriction.InForce))
	}
	if f.PersonKey != "" {
		q += ` AND person_key = ?`
		args = append(args, f.PersonKey)
	}
	if !f.ReviewDueBy.IsZero() {
		q += ` AND status = ? AND review_due <> '' AND review_due <= ?`
		args = append(args, string(restriction.InForce), f.ReviewDueBy.String())
	}
	q += ` ORDER BY CASE WHEN review_due = '' THEN 1 ELSE 0 END, review_due, id DESC`
	return queryAll(ctx, db.r, scanRestriction, q, args...)
}

// RestrictionEvents implements store.RestrictionStore.
func (db *DB) RestrictionEvents(ctx context.Context, id int64) ([]restriction.Event, error) {
	return queryAll(ctx, db.r, func(sc scanner) (restriction.Event, error) {
		var ev restriction.Event
		var kind, data string
		if err := sc.Scan(&ev.Seq, &kind, &ev.Actor, storedTime{&ev.At}, storedTime{&ev.RecordedAt}, &data); err != nil {
			return ev, err
		}
		ev.Kind = restriction.EventKind(kind)
		cmd, ok := restriction.CommandFor(kind)
		if !ok {
			return ev, fmt.Errorf("restriction %d: unknown event kind %q", id, kind)
		}
		if err := json.Unmarshal([]byte(data), cmd); err != nil {
			return ev, fmt.Errorf("restriction %d: reading a %s event: %w", id, kind, err)
		}
		ev.Data = cmd
		return ev, nil
	}, `SELECT seq, kind, actor, at, recorded_at, data FROM restriction_events WHERE restriction_id = ? ORDER BY seq`, id)
}
