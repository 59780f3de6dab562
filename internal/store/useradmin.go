package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// ---------------------------------------------------------------------
// User administration (issue 22, item 1): leavers deactivated, roles
// changed, passwords reset by an admin or by a link emailed to the user,
// a user's own sessions, and an audit of every change.
// ---------------------------------------------------------------------

// The actions the user audit records.
const (
	UserDeactivated       = "deactivated"
	UserReactivated       = "reactivated"
	UserRoleChanged       = "role_changed"
	UserPasswordReset     = "password_reset"      // a one-time password set by an admin
	UserResetLinkSent     = "reset_link_sent"     // a reset link emailed, by an admin or asked for
	UserPasswordResetLink = "password_reset_link" // a password set through a reset link
	UserSessionEnded      = "session_ended"
)

// UserAuditEntry is one change to a user, as the user audit keeps it.
type UserAuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// ActorID and Actor are who made the change (ActorID 0 and Actor ""
	// for a reset link asked for by someone not signed in).
	ActorID  int64  `json:"actor_id"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	TargetID int64  `json:"target_id"`
	// Target is the email of the user changed, read with the entry.
	Target string `json:"target"`
	Detail string `json:"detail"`
}

// UserState is a user with what an admin needs to manage them.
type UserState struct {
	User
	// DeactivatedAt is when the user was deactivated; zero if active.
	DeactivatedAt time.Time `json:"deactivated_at,omitzero"`
	// Sessions counts the user's sessions not past their absolute
	// expiry (some may have been idle too long and will end when next
	// used).
	Sessions int `json:"sessions"`
}

// Active reports whether the user may sign in.
func (u UserState) Active() bool { return u.DeactivatedAt.IsZero() }

// UserSession is one of a user's sessions as they are shown it: never
// its id hash, which is as good as the session for a page that leaks it,
// but an opaque RowID that names it for ending it.
type UserSession struct {
	RowID     string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
	// Current marks the session the asker is using.
	Current bool `json:"current"`
}

// SessionRowID is the opaque id by which a session is shown and ended:
// a hash of its id hash, from which neither can be recovered.
func SessionRowID(idHash []byte) string {
	sum := sha256.Sum256(append([]byte("redress session row\x00"), idHash...))
	return hex.EncodeToString(sum[:12])
}

// PasswordReset is a password reset link as stored: only the SHA-256 of
// its token.
type PasswordReset struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserChange is who makes a change to a user, when.
type UserChange struct {
	Actor User
	At    time.Time
}

// UserAdminStore is what user administration needs of storage. Store
// embeds it; the staff pages and the API are its consumers. Each change
// is one transaction with its user audit entry, so no change goes
// unrecorded.
//
// The rules that protect the service are kept here, inside the
// transaction, because they depend on every other user: nobody changes
// their own role or deactivates themselves, and no change leaves the
// service with no active admin (each is a conflict or forbidden error
// naming the rule, changing nothing).
type UserAdminStore interface {
	// UserStates lists every user, oldest first, with whether they are
	// deactivated and how many sessions they have at now; UserState
	// returns one, or not_found.
	UserStates(ctx context.Context, now time.Time) ([]UserState, error)
	UserState(ctx context.Context, id int64, now time.Time) (UserState, error)
	// DeactivateUser marks a user deactivated and ends all their
	// sessions, at once: SessionUser and UserByToken refuse them from
	// then on, and CreateSession refuses to sign them in. Deactivating
	// a deactivated user is a conflict.
	DeactivateUser(ctx context.Context, ch UserChange, id int64) (UserState, error)
	// ReactivateUser lets a deactivated user sign in again (their old
	// sessions stay ended). Reactivating an active user is a conflict.
	ReactivateUser(ctx context.Context, ch UserChange, id int64) (UserState, error)
	// ChangeRole gives a user a role, one of auth.Roles (checked by the
	// caller). The same role again is a conflict.
	ChangeRole(ctx context.Context, ch UserChange, id int64, role string) (UserState, error)
	// ResetPassword sets a user's password hash (a one-time password's,
	// mustChange set) and ends their sessions, recording detail.
	ResetPassword(ctx context.Context, ch UserChange, id int64, hash string, mustChange bool, detail string) error
	// AddPasswordReset stores a reset link's token hash and queues the
	// mail that carries the link, in one transaction with its audit
	// entry. A deactivated user is forbidden.
	AddPasswordReset(ctx context.Context, ch UserChange, r PasswordReset, mail OutboundMessage) error
	// UsePasswordReset sets the password of the user whose link has this
	// token hash, uses the link up and ends all the user's sessions, in
	// one transaction. An unknown link is not_found; a used or expired
	// one, or one for a deactivated user, is a conflict saying which.
	UsePasswordReset(ctx context.Context, tokenHash []byte, hash string, at time.Time) (User, error)
	// PasswordResetUsable returns the user whose link has this token
	// hash if UsePasswordReset would take it at at, or the error it would
	// give, changing nothing: the page that asks for a new password says
	// at once that a link is used or expired.
	PasswordResetUsable(ctx context.Context, tokenHash []byte, at time.Time) (User, error)
	// UserSessions lists a user's sessions not past their absolute
	// expiry at now, newest first, marking the one whose id hash is
	// current.
	UserSessions(ctx context.Context, userID int64, current []byte, now time.Time) ([]UserSession, error)
	// EndUserSession ends the session of user userID with this RowID,
	// recording it; one not theirs, or not there, is not_found.
	EndUserSession(ctx context.Context, ch UserChange, userID int64, rowID string) error
	// UserAudit returns the latest limit entries of the user audit,
	// latest first; with target not 0, only those about that user.
	UserAudit(ctx context.Context, target int64, limit int) ([]UserAuditEntry, error)
}
