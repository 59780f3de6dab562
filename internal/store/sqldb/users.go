package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// CountUsers implements store.Store.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// CreateUser implements store.Store.
func (db *DB) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	u.CreatedAt = clock.Wall().UTC()
	err := db.w.QueryRowContext(ctx, `INSERT INTO users (email, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, u.Role, store.FormatTime(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		if isConstraint(err, uniqueViolation) {
			return store.User{}, complaint.Errorf(complaint.Conflict, "a user with email %s already exists", u.Email)
		}
		return store.User{}, fmt.Errorf("save user: %w", err)
	}
	return u, nil
}

// userCols are a user's columns, read from the table users, with
// whether they are deactivated (a leaver), so that whatever resolves a
// user by email or id, such as assigning a case, can refuse a leaver.
const userCols = `id, email, name, role, created_at, EXISTS (SELECT 1 FROM deactivated_users d WHERE d.user_id = users.id)`

func scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &created, &u.Deactivated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return store.User{}, complaint.Errorf(complaint.NotFound, "there is no such user")
		}
		return store.User{}, err
	}
	u.CreatedAt, _ = store.ParseTime(created)
	return u, nil
}

// UserByID implements store.Store.
func (db *DB) UserByID(ctx context.Context, id int64) (store.User, error) {
	return scanUser(db.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// UserByEmail implements store.Store.
func (db *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	return scanUser(db.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE lower(email) = lower(?)`, email))
}

// ListUsers implements store.Store: the users who may sign in, so that
// no leaver is offered as a handler or owner, or sent a digest, alert or
// notice.
func (db *DB) ListUsers(ctx context.Context) ([]store.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE id NOT IN (SELECT user_id FROM deactivated_users) ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users := []store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// AddToken implements store.Store.
func (db *DB) AddToken(ctx context.Context, userID int64, hash []byte, label string) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO tokens (user_id, hash, label, created_at) VALUES (?, ?, ?, ?)`,
		userID, hash, label, store.FormatTime(clock.Wall()))
	if err != nil && isConstraint(err, foreignKeyViolation) {
		return complaint.Errorf(complaint.NotFound, "there is no user %d", userID)
	}
	return err
}

// UserByToken implements store.Store. A deactivated user's tokens are
// deleted when they are deactivated; the check here refuses one added
// after, so a leaver's token never works.
func (db *DB) UserByToken(ctx context.Context, hash []byte) (store.User, error) {
	return scanUser(db.r.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, u.created_at, FALSE
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND `+activeUser, hash))
}
