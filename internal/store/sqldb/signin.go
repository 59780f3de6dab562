package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// signInRetention is how long attempts not proven good are kept: longer
// than any throttling window, short enough that the table stays small.
const signInRetention = 24 * time.Hour

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
	err := db.r.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash, must_change_password FROM users WHERE lower(email) = lower(?)`, email).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &created, &u.Deactivated, &pi.Hash, &pi.MustChange)
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
	// A deactivated user is signed in nowhere, by password or single
	// sign-on alike.
	var deactivated int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM deactivated_users WHERE user_id = ?`, s.UserID).Scan(&deactivated); err != nil {
		return fmt.Errorf("find user: %w", err)
	}
	if deactivated != 0 {
		return complaint.Errorf(complaint.Forbidden, "this account has been deactivated: ask an admin if you need it again")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, store.FormatTime(s.CreatedAt)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.IDHash, s.UserID, store.FormatTime(s.CreatedAt), store.FormatTime(s.LastSeen), store.FormatTime(s.ExpiresAt))
	if err != nil {
		if isConstraint(err, foreignKeyViolation) {
			return complaint.Errorf(complaint.NotFound, "there is no user %d", s.UserID)
		}
		return fmt.Errorf("save session: %w", err)
	}
	return tx.Commit()
}

// SessionUser implements store.Store. It writes, through the one writer,
// because every use moves last_seen on and a dead session is removed. A
// deactivated user's sessions are deleted as they are deactivated, and
// refused here too, whatever is left.
func (db *DB) SessionUser(ctx context.Context, idHash []byte, now, idleSince time.Time) (store.User, store.Session, error) {
	none := complaint.Errorf(complaint.NotFound, "there is no such session: it has ended or was signed out")
	s := store.Session{IDHash: idHash}
	var created, expires, lastSeen string
	var u store.User
	var userCreated string
	err := db.r.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.expires_at, s.last_seen, u.id, u.email, u.name, u.role, u.created_at, u.must_change_password
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND `+activeUser, idHash).
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
		return store.User{}, store.Session{IDHash: idHash, UserID: s.UserID}, none
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

// The throttle's statements, each written to read one range of an index
// (TestSignInThrottleQueriesReadIndexRanges checks their plans): the
// partial index on device is used only when the statement says device
// <> ”.
const (
	countDeviceAttempts          = `SELECT count(*) FROM sign_in_attempts WHERE device = ? AND device <> '' AND at >= ?`
	countAccountAddressAttempts  = `SELECT count(*) FROM sign_in_attempts WHERE account = lower(?) AND address = ? AND device = '' AND at >= ?`
	countAddressAttempts         = `SELECT count(*) FROM sign_in_attempts WHERE address = ? AND device = '' AND at >= ?`
	countAccountAttempts         = `SELECT count(*) FROM sign_in_attempts WHERE account = lower(?) AND device = '' AND at >= ?`
	forgetDeviceAttempts         = `DELETE FROM sign_in_attempts WHERE device = ? AND device <> ''`
	forgetAccountAddressAttempts = `DELETE FROM sign_in_attempts WHERE account = lower(?) AND address = ? AND device = ''`
	forgetOldAttempts            = `DELETE FROM sign_in_attempts WHERE at < ?`
)

// BeginSignIn implements store.SignInStore. The write transaction is
// what makes the count and the record one step: on SQLite writes go
// through one connection and begin IMMEDIATE, and on PostgreSQL the
// transaction holds an advisory lock, so a second attempt, from any
// instance, counts only after the first is recorded.
func (db *DB) BeginSignIn(ctx context.Context, a store.SignInAttempt, l store.SignInLimits) (int64, string, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	if err := db.d.serialize(ctx, tx, signInLock); err != nil {
		return 0, "", err
	}
	if _, err := tx.ExecContext(ctx, forgetOldAttempts, store.FormatTime(a.At.Add(-signInRetention))); err != nil {
		return 0, "", fmt.Errorf("forget old sign-in attempts: %w", err)
	}
	since := store.FormatTime(l.Since)
	type check struct {
		max         int
		name, query string
		args        []any
	}
	var checks []check
	if a.Device != "" {
		checks = []check{{max: l.PerDevice, name: store.LimitDevice,
			query: countDeviceAttempts, args: []any{a.Device, since}}}
	} else {
		checks = []check{
			{max: l.PerAccountAddress, name: store.LimitAccountAddress,
				query: countAccountAddressAttempts, args: []any{a.Account, a.Address, since}},
			{max: l.PerAddress, name: store.LimitAddress,
				query: countAddressAttempts, args: []any{a.Address, since}},
			{max: l.PerAccount, name: store.LimitAccount,
				query: countAccountAttempts, args: []any{a.Account, since}},
		}
	}
	for _, c := range checks {
		if c.max <= 0 {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, c.query, c.args...).Scan(&n); err != nil {
			return 0, "", fmt.Errorf("count sign-in attempts: %w", err)
		}
		if n >= c.max {
			// Nothing is recorded: a refused attempt checks no password,
			// and counting it would let an attacker keep a lock-out going
			// for ever by trying faster.
			return 0, c.name, tx.Commit()
		}
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO sign_in_attempts (account, address, device, at) VALUES (lower(?), ?, ?, ?) RETURNING id`,
		a.Account, a.Address, a.Device, store.FormatTime(a.At)).Scan(&id)
	if err != nil {
		return 0, "", fmt.Errorf("record sign-in attempt: %w", err)
	}
	return id, "", tx.Commit()
}

// SignInSucceeded implements store.SignInStore. Each DELETE names its
// index's columns, so a good sign-in reads only the rows it forgets.
func (db *DB) SignInSucceeded(ctx context.Context, id int64) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var account, address, device string
	err = tx.QueryRowContext(ctx, `SELECT account, address, device FROM sign_in_attempts WHERE id = ?`, id).Scan(&account, &address, &device)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find sign-in attempt: %w", err)
	}
	if device != "" {
		_, err = tx.ExecContext(ctx, forgetDeviceAttempts, device)
	} else {
		_, err = tx.ExecContext(ctx, forgetAccountAddressAttempts, account, address)
	}
	if err != nil {
		return fmt.Errorf("forget a good sign-in's attempts: %w", err)
	}
	return tx.Commit()
}

// FailedSignIns implements store.SignInStore. It reads every attempt in
// the window, which the throttle keeps to a few per address.
func (db *DB) FailedSignIns(ctx context.Context, l store.SignInLimits) ([]store.SignInFailures, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT account, address, device, at FROM sign_in_attempts WHERE at >= ? ORDER BY at`, store.FormatTime(l.Since))
	if err != nil {
		return nil, fmt.Errorf("list sign-in attempts: %w", err)
	}
	defer rows.Close()
	type tally struct {
		store.SignInFailures
		untrusted int
		addresses map[string]int // untrusted attempts by address
		devices   map[string]int
	}
	byAccount := map[string]*tally{}
	var order []string
	for rows.Next() {
		var account, address, device, at string
		if err := rows.Scan(&account, &address, &device, &at); err != nil {
			return nil, err
		}
		key := strings.ToLower(account)
		t := byAccount[key]
		if t == nil {
			t = &tally{SignInFailures: store.SignInFailures{Account: key}, addresses: map[string]int{}, devices: map[string]int{}}
			byAccount[key] = t
			order = append(order, key)
		}
		t.Attempts++
		if device != "" {
			t.devices[device]++
		} else {
			t.untrusted++
			t.addresses[address]++
		}
		t.Last, _ = store.ParseTime(at)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]store.SignInFailures, 0, len(order))
	for _, key := range order {
		t := byAccount[key]
		t.Addresses = len(t.addresses)
		for _, n := range t.addresses {
			if l.PerAccountAddress > 0 && n >= l.PerAccountAddress {
				t.LockedAddresses++
			}
		}
		for _, n := range t.devices {
			if l.PerDevice > 0 && n >= l.PerDevice {
				t.LockedDevices++
			}
		}
		t.Locked = l.PerAccount > 0 && t.untrusted >= l.PerAccount
		out = append(out, t.SignInFailures)
	}
	slices.SortStableFunc(out, func(a, b store.SignInFailures) int {
		if a.Attempts != b.Attempts {
			return b.Attempts - a.Attempts
		}
		return strings.Compare(a.Account, b.Account)
	})
	return out, nil
}

// RecordLoginFailure implements store.SignInStore.
func (db *DB) RecordLoginFailure(ctx context.Context, account string, at time.Time) error {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO sign_in_attempts (account, address, at) VALUES (lower(?), '', ?)`,
		account, store.FormatTime(at)); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// CountLoginFailures implements store.SignInStore.
func (db *DB) CountLoginFailures(ctx context.Context, account string, since time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_attempts WHERE account = lower(?) AND at >= ?`,
		account, store.FormatTime(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures implements store.SignInStore. Attempts from the
// account's addresses at other accounts stay counted.
func (db *DB) ClearLoginFailures(ctx context.Context, account string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE account = lower(?)`, account)
	return err
}

// UpgradePasswordHash implements store.SignInStore.
func (db *DB) UpgradePasswordHash(ctx context.Context, userID int64, old, new string) (bool, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, new, userID, old)
	if err != nil {
		return false, fmt.Errorf("upgrade password hash: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
