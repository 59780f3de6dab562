package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// userAdminLock is the advisory lock every change to a user's standing
// holds on PostgreSQL, so that two admins demoting or deactivating each
// other at once cannot both pass the "one active admin remains" check.
// (SQLite's one writer already runs them one after the other.)
const userAdminLock = 0x5265647265737303

// rowQueryer is a connection pool or a transaction, to read a user's
// state from either.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// deactivatedAt is when the user u was deactivated, or the empty string
// if they are active.
const deactivatedAt = `COALESCE((SELECT d.at FROM deactivated_users d WHERE d.user_id = u.id), '')`

// activeUser is the condition that the user u is active.
const activeUser = `NOT EXISTS (SELECT 1 FROM deactivated_users d WHERE d.user_id = u.id)`

const userStateQuery = `SELECT u.id, u.email, u.name, u.role, u.created_at, ` + deactivatedAt + `,
	(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?) FROM users u`

func scanUserState(row interface{ Scan(...any) error }) (store.UserState, error) {
	var u store.UserState
	var created, deactivated string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &created, &deactivated, &u.Sessions); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return store.UserState{}, complaint.Errorf(complaint.NotFound, "there is no such user")
		}
		return store.UserState{}, err
	}
	u.CreatedAt, _ = store.ParseTime(created)
	if deactivated != "" {
		u.DeactivatedAt, _ = store.ParseTime(deactivated)
	}
	return u, nil
}

func userState(ctx context.Context, q rowQueryer, id int64, now time.Time) (store.UserState, error) {
	return scanUserState(q.QueryRowContext(ctx, userStateQuery+` WHERE u.id = ?`, store.FormatTime(now), id))
}

// UserStates implements store.UserAdminStore.
func (db *DB) UserStates(ctx context.Context, now time.Time) ([]store.UserState, error) {
	rows, err := db.r.QueryContext(ctx, userStateQuery+` ORDER BY u.id`, store.FormatTime(now))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []store.UserState{}
	for rows.Next() {
		u, err := scanUserState(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserState implements store.UserAdminStore.
func (db *DB) UserState(ctx context.Context, id int64, now time.Time) (store.UserState, error) {
	return userState(ctx, db.r, id, now)
}

// addUserAudit records a change to a user in the caller's transaction.
func addUserAudit(ctx context.Context, tx *sql.Tx, ch store.UserChange, action string, target int64, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO user_audit (at, actor_id, actor, action, target_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		store.FormatTime(ch.At), ch.Actor.ID, ch.Actor.Email, action, target, detail)
	if err != nil {
		return fmt.Errorf("record the user audit: %w", err)
	}
	return nil
}

// otherActiveAdmins counts the active admins other than user id.
func otherActiveAdmins(ctx context.Context, tx *sql.Tx, id int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE u.role = ? AND u.id <> ? AND `+activeUser, string(auth.Admin), id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

// changeUser runs change on the user id inside a transaction that holds
// userAdminLock, and returns the user's state after it.
func (db *DB) changeUser(ctx context.Context, ch store.UserChange, id int64, change func(tx *sql.Tx, u store.UserState) error) (store.UserState, error) {
	var after store.UserState
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.d.serialize(ctx, tx, userAdminLock); err != nil {
			return err
		}
		u, err := userState(ctx, tx, id, ch.At)
		if err != nil {
			return err
		}
		if err := change(tx, u); err != nil {
			return err
		}
		after, err = userState(ctx, tx, id, ch.At)
		return err
	})
	return after, err
}

// lastAdmin refuses a change that would leave no active admin.
func lastAdmin(ctx context.Context, tx *sql.Tx, u store.UserState, what string) error {
	if u.Role != string(auth.Admin) || !u.Active() {
		return nil
	}
	n, err := otherActiveAdmins(ctx, tx, u.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return complaint.Errorf(complaint.Conflict, "%s is the only active admin, so %s would leave nobody able to manage users: make another user an admin first", u.Email, what)
	}
	return nil
}

// DeactivateUser implements store.UserAdminStore. The user's sessions
// are deleted and their API tokens revoked in the same transaction, so
// nothing they hold works a moment later; SessionUser and UserByToken
// check deactivated_users as well, for a session or token made meanwhile.
func (db *DB) DeactivateUser(ctx context.Context, ch store.UserChange, id int64) (store.UserState, error) {
	return db.changeUser(ctx, ch, id, func(tx *sql.Tx, u store.UserState) error {
		if u.ID == ch.Actor.ID {
			return complaint.Errorf(complaint.Forbidden, "you cannot deactivate yourself: ask another admin")
		}
		if !u.Active() {
			return complaint.Errorf(complaint.Conflict, "%s is already deactivated", u.Email)
		}
		if err := lastAdmin(ctx, tx, u, "deactivating them"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO deactivated_users (user_id, at) VALUES (?, ?)`, u.ID, store.FormatTime(ch.At)); err != nil {
			return fmt.Errorf("deactivate user: %w", err)
		}
		sessions, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		tokens, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE user_id = ?`, u.ID)
		if err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ? AND used_at = ''`, u.ID); err != nil {
			return fmt.Errorf("cancel reset links: %w", err)
		}
		ns, _ := sessions.RowsAffected()
		nt, _ := tokens.RowsAffected()
		return addUserAudit(ctx, tx, ch, store.UserDeactivated, u.ID,
			fmt.Sprintf("ended %s and revoked %s", plural(ns, "session"), plural(nt, "API token")))
	})
}

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ReactivateUser implements store.UserAdminStore.
func (db *DB) ReactivateUser(ctx context.Context, ch store.UserChange, id int64) (store.UserState, error) {
	return db.changeUser(ctx, ch, id, func(tx *sql.Tx, u store.UserState) error {
		if u.Active() {
			return complaint.Errorf(complaint.Conflict, "%s is already active", u.Email)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM deactivated_users WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("reactivate user: %w", err)
		}
		return addUserAudit(ctx, tx, ch, store.UserReactivated, u.ID, "can sign in again; old sessions and API tokens stay ended")
	})
}

// ChangeRole implements store.UserAdminStore.
func (db *DB) ChangeRole(ctx context.Context, ch store.UserChange, id int64, role string) (store.UserState, error) {
	return db.changeUser(ctx, ch, id, func(tx *sql.Tx, u store.UserState) error {
		if u.ID == ch.Actor.ID {
			return complaint.Errorf(complaint.Forbidden, "you cannot change your own role: ask another admin")
		}
		if u.Role == role {
			return complaint.Errorf(complaint.Conflict, "%s is already a %s", u.Email, role)
		}
		if role != string(auth.Admin) {
			if err := lastAdmin(ctx, tx, u, "changing their role"); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, u.ID); err != nil {
			return fmt.Errorf("change role: %w", err)
		}
		return addUserAudit(ctx, tx, ch, store.UserRoleChanged, u.ID, u.Role+" to "+role)
	})
}

// endAll ends a user's sessions and forgets their failed sign-ins, as
// a new password does: the old one may be known to someone else, and
// the new one should work at once.
func endAll(ctx context.Context, tx *sql.Tx, u store.User) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_attempts WHERE account = lower(?)`, u.Email); err != nil {
		return 0, fmt.Errorf("clear failed sign-ins: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// ResetPassword implements store.UserAdminStore.
func (db *DB) ResetPassword(ctx context.Context, ch store.UserChange, id int64, hash string, mustChange bool, detail string) error {
	_, err := db.changeUser(ctx, ch, id, func(tx *sql.Tx, u store.UserState) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`, hash, mustChange, u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		n, err := endAll(ctx, tx, u.User)
		if err != nil {
			return err
		}
		return addUserAudit(ctx, tx, ch, store.UserPasswordReset, u.ID, fmt.Sprintf("%s; ended %s", detail, plural(n, "session")))
	})
	return err
}

// AddPasswordReset implements store.UserAdminStore. A new link cancels
// the user's earlier unused ones, so only the latest mail works.
func (db *DB) AddPasswordReset(ctx context.Context, ch store.UserChange, r store.PasswordReset, m store.OutboundMessage) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		u, err := userState(ctx, tx, r.UserID, ch.At)
		if err != nil {
			return err
		}
		if !u.Active() {
			return complaint.Errorf(complaint.Forbidden, "%s is deactivated: reactivate them before resetting their password", u.Email)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ? AND (used_at = '' OR expires_at <= ?)`,
			u.ID, store.FormatTime(ch.At)); err != nil {
			return fmt.Errorf("cancel earlier reset links: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			r.TokenHash, u.ID, store.FormatTime(r.CreatedAt), store.FormatTime(r.ExpiresAt)); err != nil {
			return fmt.Errorf("save reset link: %w", err)
		}
		if _, err := enqueueInTx(ctx, tx, m, ch.At); err != nil {
			return err
		}
		detail := "asked for on the sign-in page"
		if ch.Actor.ID != 0 {
			detail = "sent by an admin"
		}
		return addUserAudit(ctx, tx, ch, store.UserResetLinkSent, u.ID, detail+"; valid until "+store.FormatTime(r.ExpiresAt))
	})
}

// findReset reads the live reset link with this token hash, or says why
// it cannot be used.
func findReset(ctx context.Context, q rowQueryer, tokenHash []byte, at time.Time) (int64, store.User, error) {
	var id int64
	var expires, used, created, deactivated string
	var u store.User
	err := q.QueryRowContext(ctx, `SELECT r.id, r.expires_at, r.used_at, u.id, u.email, u.name, u.role, u.created_at, `+deactivatedAt+`
		FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?`, tokenHash).
		Scan(&id, &expires, &used, &u.ID, &u.Email, &u.Name, &u.Role, &created, &deactivated)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.User{}, complaint.Errorf(complaint.NotFound, "this password reset link is not valid: it may have been replaced by a newer one, so ask for a new one")
	}
	if err != nil {
		return 0, store.User{}, fmt.Errorf("find reset link: %w", err)
	}
	exp, _ := store.ParseTime(expires)
	switch {
	case used != "":
		return 0, store.User{}, complaint.Errorf(complaint.Conflict, "this password reset link has already been used: ask for a new one")
	case !at.Before(exp):
		return 0, store.User{}, complaint.Errorf(complaint.Conflict, "this password reset link has expired: ask for a new one")
	case deactivated != "":
		return 0, store.User{}, complaint.Errorf(complaint.Conflict, "this account has been deactivated: ask an admin")
	}
	u.CreatedAt, _ = store.ParseTime(created)
	return id, u, nil
}

// PasswordResetUsable implements store.UserAdminStore.
func (db *DB) PasswordResetUsable(ctx context.Context, tokenHash []byte, at time.Time) (store.User, error) {
	_, u, err := findReset(ctx, db.r, tokenHash, at)
	return u, err
}

// UsePasswordReset implements store.UserAdminStore.
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash []byte, hash string, at time.Time) (store.User, error) {
	var user store.User
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		id, u, err := findReset(ctx, tx, tokenHash, at)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE id = ?`, store.FormatTime(at), id); err != nil {
			return fmt.Errorf("use reset link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`, hash, false, u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		n, err := endAll(ctx, tx, u)
		if err != nil {
			return err
		}
		user = u
		return addUserAudit(ctx, tx, store.UserChange{Actor: u, At: at}, store.UserPasswordResetLink, u.ID,
			"ended "+plural(n, "session"))
	})
	return user, err
}

// UserSessions implements store.UserAdminStore.
func (db *DB) UserSessions(ctx context.Context, userID int64, current []byte, now time.Time) ([]store.UserSession, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id_hash, created_at, last_seen, expires_at FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC`, userID, store.FormatTime(now))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	out := []store.UserSession{}
	for rows.Next() {
		var h []byte
		var created, seen, expires string
		if err := rows.Scan(&h, &created, &seen, &expires); err != nil {
			return nil, err
		}
		s := store.UserSession{RowID: store.SessionRowID(h), Current: len(current) > 0 && string(h) == string(current)}
		s.CreatedAt, _ = store.ParseTime(created)
		s.LastSeen, _ = store.ParseTime(seen)
		s.ExpiresAt, _ = store.ParseTime(expires)
		out = append(out, s)
	}
	return out, rows.Err()
}

// EndUserSession implements store.UserAdminStore. A user has a handful
// of sessions, so the one named is found by hashing each.
func (db *DB) EndUserSession(ctx context.Context, ch store.UserChange, userID int64, rowID string) error {
	none := complaint.Errorf(complaint.NotFound, "there is no such session: it may have ended already")
	rowID = strings.ToLower(strings.TrimSpace(rowID))
	if rowID == "" {
		return none
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id_hash FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		var found []byte
		for rows.Next() {
			var h []byte
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return err
			}
			if store.SessionRowID(h) == rowID {
				found = h
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if found == nil {
			return none
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, found); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		detail := "ended by the user"
		if ch.Actor.ID != userID {
			detail = "ended by " + ch.Actor.Email
		}
		return addUserAudit(ctx, tx, ch, store.UserSessionEnded, userID, detail)
	})
}

// UserAudit implements store.UserAdminStore.
func (db *DB) UserAudit(ctx context.Context, target int64, limit int) ([]store.UserAuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		return nil, complaint.InvalidField("limit", "must be 1 to 1000")
	}
	q := `SELECT a.id, a.at, a.actor_id, a.actor, a.action, a.target_id, u.email, a.detail
		FROM user_audit a JOIN users u ON u.id = a.target_id`
	args := []any{}
	if target != 0 {
		q += ` WHERE a.target_id = ?`
		args = append(args, target)
	}
	q += ` ORDER BY a.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read the user audit: %w", err)
	}
	defer rows.Close()
	out := []store.UserAuditEntry{}
	for rows.Next() {
		var e store.UserAuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.TargetID, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = store.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
