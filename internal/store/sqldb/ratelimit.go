package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/ratelimit"
	"github.com/redresshq/redress/internal/store"
)

// sweepBatch bounds how many full buckets one take deletes, so that the
// first take after a busy hour does not pay for the whole hour's keys;
// each take adds at most one row, so takes delete faster than they add.
const sweepBatch = 100

// TakeRate implements store.RateLimitStore. The bucket's row is made if
// it is missing, so that there is a row to lock even for a key not seen
// (PostgreSQL's FOR UPDATE cannot lock a row that is not there), then
// read locked, judged by ratelimit.Take and written, in one transaction:
// a second take of the same key, on any connection of any instance,
// waits at the insert or the read until the first commits, and then
// reads what it wrote. SQLite's one writer does the same by itself.
func (db *DB) TakeRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) (ok bool, retry time.Duration, err error) {
	if !r.Valid() {
		return false, 0, fmt.Errorf("take rate limit %s: invalid rate %d per %v", name, r.N, r.Per)
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		b, err := db.lockBucket(ctx, tx, name, key, r, now)
		if err != nil {
			return err
		}
		var next ratelimit.Bucket
		next, ok, retry = ratelimit.Take(&b, r, now)
		if err := writeBucket(ctx, tx, name, key, next); err != nil {
			return err
		}
		// This name's buckets last used a whole period ago are full
		// again, whatever they held, so they go. The sweep skips rows
		// other takes hold rather than wait for them: a transaction
		// that waits only while it holds no other row cannot deadlock.
		// Those rows are in use, so not full, or are swept next time.
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_buckets WHERE name = ? AND key IN (
			SELECT key FROM rate_buckets WHERE name = ? AND at < ? ORDER BY at LIMIT ?`+db.d.skipLocked+`)`,
			name, name, store.FormatTime(now.Add(-r.Per)), sweepBatch); err != nil {
			return fmt.Errorf("forget full rate limit buckets of %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return false, 0, err
	}
	return ok, retry, nil
}

// RefundRate implements store.RateLimitStore, locking the bucket as
// TakeRate does so that a refund and a take at once both count. A key
// with no row is full, or was forgotten once full, and stays so.
func (db *DB) RefundRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) error {
	if !r.Valid() {
		return fmt.Errorf("refund rate limit %s: invalid rate %d per %v", name, r.N, r.Per)
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		b, err := readBucket(tx.QueryRowContext(ctx, selectBucket+db.d.forUpdate, name, key))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read rate limit bucket of %s: %w", name, err)
		}
		return writeBucket(ctx, tx, name, key, ratelimit.Refund(b, r, now))
	})
}

const selectBucket = `SELECT tokens, at FROM rate_buckets WHERE name = ? AND key = ?`

// lockBucket returns the bucket of name and key, locked until tx ends,
// made full at now if it was missing. Between the insert that finds the
// row there and the read that locks it, another take's sweep may delete
// it (it was full, so nothing is lost); the insert is then tried again,
// a fresh statement seeing that the row is gone.
func (db *DB) lockBucket(ctx context.Context, tx *sql.Tx, name, key string, r ratelimit.Rate, now time.Time) (ratelimit.Bucket, error) {
	for range 3 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_buckets (name, key, tokens, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			name, key, float64(r.N), store.FormatTime(now)); err != nil {
			return ratelimit.Bucket{}, fmt.Errorf("make rate limit bucket of %s: %w", name, err)
		}
		b, err := readBucket(tx.QueryRowContext(ctx, selectBucket+db.d.forUpdate, name, key))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return ratelimit.Bucket{}, fmt.Errorf("read rate limit bucket of %s: %w", name, err)
		}
		return b, nil
	}
	return ratelimit.Bucket{}, fmt.Errorf("rate limit bucket of %s: deleted as often as it was made", name)
}

func readBucket(row *sql.Row) (ratelimit.Bucket, error) {
	var b ratelimit.Bucket
	err := row.Scan(&b.Tokens, storedTime{&b.At})
	return b, err
}

func writeBucket(ctx context.Context, tx *sql.Tx, name, key string, b ratelimit.Bucket) error {
	if _, err := tx.ExecContext(ctx, `UPDATE rate_buckets SET tokens = ?, at = ? WHERE name = ? AND key = ?`,
		b.Tokens, store.FormatTime(b.At), name, key); err != nil {
		return fmt.Errorf("write rate limit bucket of %s: %w", name, err)
	}
	return nil
}
