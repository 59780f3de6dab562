package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// loginFailureRetention is how long failed sign-ins are kept: longer than
// any throttling window, short enough that the table stays small.
const loginFailureRetention = 24 * time.Hour

// SetPassword implements store.Store.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error {
	res, err := db.w.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`,
		hash, mustChange, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return complaint.Errorf(complaint.NotFound, "there is no user %d", userID)
	}
	return nil
}

// UserPassword implements store.Store.
func (db *DB) UserPassword(ctx context.Context, email string) (store.User, store.PasswordInfo, error) {
	var u store.User
	var pi store.PasswordInfo
	var created string
	err := db.r.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash, must_change_password FROM users WHERE email = ?`, email).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &created, &pi.Hash, &pi.MustChange)
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, store.PasswordInfo{}, complaint.Errorf(complaint.NotFound, "there is no user %s", email)
	}
	if err != nil {
		return store.User{}, store.PasswordInfo{}, err
	}
	u.CreatedAt, _ = store.ParseTime(created)
	return u, pi, nil
}

// CreateSession implements store.Store. It also deletes every session
// past its absolute expiry: signing in is rare enough to pay for the
// sweep, and it bounds the table to the sessions of one expiry period
// even when browsers never come back.
func (db *DB) CreateSession(ctx context.Context, s store.Session) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, store.FormatTime(s.CreatedAt)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.IDHash, s.UserID, store.FormatTime(s.CreatedAt), store.FormatTime(s.LastSeen), store.FormatTime(s.ExpiresAt))
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
			return complaint.Errorf(complaint.NotFound, "there is no user %d", s.UserID)
		}
		return fmt.Errorf("save session: %w", err)
	}
	return tx.Commit()
}

// SessionUser implements store.Store. It writes, through the one writer,
// because every use moves last_seen on and a dead session is removed.
func (db *DB) SessionUser(ctx context.Context, idHash []byte, now, idleSince time.Time) (store.User, store.Session, error) {
	none := complaint.Errorf(complaint.NotFound, "there is no such session: it has ended or was signed out")
	s := store.Session{IDHash: idHash}
	var created, expires, lastSeen string
	var u store.User
	var userCreated string
	err := db.r.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.expires_at, s.last_seen, u.id, u.email, u.name, u.role, u.created_at, u.must_change_password
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).
		Scan(&s.UserID, &created, &expires, &lastSeen, &u.ID, &u.Email, &u.Name, &u.Role, &userCreated, &s.MustChangePassword)
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, store.Session{}, none
	}
	if err != nil {
		return store.User{}, store.Session{}, fmt.Errorf("find session: %w", err)
	}
	s.CreatedAt, _ = store.ParseTime(created)
	s.ExpiresAt, _ = store.ParseTime(expires)
	s.LastSeen, _ = store.ParseTime(lastSeen)
	u.CreatedAt, _ = store.ParseTime(userCreated)
	if !now.Before(s.ExpiresAt) || s.LastSeen.Before(idleSince) {
		if _, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return store.User{}, store.Session{}, fmt.Errorf("end session: %w", err)
		}
		return store.User{}, store.Session{}, none
	}
	// Record use at most once a minute: a page view is then a read, not a
	// durable write, and the idle timeout is still kept to the minute.
	if now.Sub(s.LastSeen) >= time.Minute {
		if _, err := db.w.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, store.FormatTime(now), idHash); err != nil {
			return store.User{}, store.Session{}, fmt.Errorf("touch session: %w", err)
		}
		s.LastSeen, _ = store.ParseTime(store.FormatTime(now))
	}
	return u, s, nil
}

// DeleteSession implements store.Store. Signing out a session that has
// already ended is not an error: the outcome is the one asked for.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeleteUserSessions implements store.Store.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// RecordLoginFailure implements store.Store. It also forgets the key's
// failures older than loginFailureRetention, so a key that is guessed at
// for months holds a day's rows, not months'.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ? AND at < ?`,
		key, store.FormatTime(at.Add(-loginFailureRetention))); err != nil {
		return fmt.Errorf("forget old login failures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, store.FormatTime(at)); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return tx.Commit()
}

// CountLoginFailures implements store.Store.
func (db *DB) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?`,
		key, store.FormatTime(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures implements store.Store.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}
