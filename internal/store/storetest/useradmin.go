package storetest

import (
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testUserAdmin checks user administration as storage keeps it: a
// deactivated user's sessions and tokens stop at once and they cannot
// be signed in; nobody changes their own role or deactivates themselves,
// and no change leaves the service without an active admin; reset links
// work once and only until they expire; a user's sessions are shown and
// ended by an opaque id; and every change is in the user audit, latest
// first.
func testUserAdmin(t *testing.T, s store.Store) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	mk := func(email, role string) store.User {
		t.Helper()
		u, err := s.CreateUser(ctx, store.User{Email: email, Name: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin := mk("ada@example.org", "admin")
	officer := mk("otto@example.org", "officer")
	by := store.UserChange{Actor: admin, At: now}
	session := func(name string, u store.User) []byte {
		t.Helper()
		id := sessionID(name)
		if err := s.CreateSession(ctx, store.Session{IDHash: id, UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(12 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		return id
	}

	t.Run("deactivating ends sessions and tokens at once and refuses new sessions", func(t *testing.T) {
		sess := session("otto-1", officer)
		token := []byte("otto's token hash, 32 bytes long")
		if err := s.AddToken(ctx, officer.ID, token, "script"); err != nil {
			t.Fatal(err)
		}
		if st, err := s.UserState(ctx, officer.ID, now); err != nil || st.Sessions != 1 || !st.Active() {
			t.Fatalf("before: %+v, %v; want active with 1 session", st, err)
		}
		st, err := s.DeactivateUser(ctx, by, officer.ID)
		if err != nil || st.Active() || st.Sessions != 0 {
			t.Fatalf("DeactivateUser = %+v, %v; want deactivated with no sessions", st, err)
		}
		if _, _, err := s.SessionUser(ctx, sess, now, now.Add(-time.Hour)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("the deactivated user's session: %v, want not_found", err)
		}
		if _, err := s.UserByToken(ctx, token); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("the deactivated user's token: %v, want not_found", err)
		}
		err = s.CreateSession(ctx, store.Session{IDHash: sessionID("otto-2"), UserID: officer.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)})
		if complaint.ErrorCode(err) != complaint.Forbidden {
			t.Errorf("signing a deactivated user in: %v, want forbidden", err)
		}
		if _, err := s.DeactivateUser(ctx, by, officer.ID); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("deactivating twice: %v, want conflict", err)
		}
		// A leaver is read as one wherever a user is resolved, and is
		// offered to no one: not as a handler, owner or recipient.
		if u, err := s.UserByEmail(ctx, officer.Email); err != nil || !u.Deactivated {
			t.Errorf("UserByEmail of a leaver = %+v, %v; want Deactivated", u, err)
		}
		if all, err := s.ListUsers(ctx); err != nil || slices.ContainsFunc(all, func(u store.User) bool { return u.ID == officer.ID }) {
			t.Errorf("ListUsers = %+v, %v; want the leaver left out", all, err)
		}
		if st, err := s.ReactivateUser(ctx, by, officer.ID); err != nil || !st.Active() {
			t.Fatalf("ReactivateUser = %+v, %v", st, err)
		}
		if _, err := s.UserByToken(ctx, token); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("a token revoked by deactivation works after reactivation: %v", err)
		}
		session("otto-3", officer) // can sign in again
		if u, err := s.UserByID(ctx, officer.ID); err != nil || u.Deactivated {
			t.Errorf("UserByID after reactivation = %+v, %v; want active", u, err)
		}
	})

	t.Run("no one changes their own role or leaves the service without an active admin", func(t *testing.T) {
		if _, err := s.ChangeRole(ctx, by, admin.ID, "officer"); complaint.ErrorCode(err) != complaint.Forbidden {
			t.Errorf("changing one's own role: %v, want forbidden", err)
		}
		if _, err := s.DeactivateUser(ctx, by, admin.ID); complaint.ErrorCode(err) != complaint.Forbidden {
			t.Errorf("deactivating oneself: %v, want forbidden", err)
		}
		other := mk("alan@example.org", "admin")
		byOther := store.UserChange{Actor: other, At: now}
		if _, err := s.ChangeRole(ctx, by, other.ID, "manager"); err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
		// other is now a manager, so ada is the only admin: a second
		// admin's account (byOther) cannot take her away.
		if _, err := s.ChangeRole(ctx, byOther, admin.ID, "manager"); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("demoting the only active admin: %v, want conflict", err)
		}
		if _, err := s.DeactivateUser(ctx, byOther, admin.ID); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("deactivating the only active admin: %v, want conflict", err)
		}
		if _, err := s.ChangeRole(ctx, by, officer.ID, "officer"); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("the same role again: %v, want conflict", err)
		}
		if st, err := s.ChangeRole(ctx, by, officer.ID, "reviewer"); err != nil || st.Role != "reviewer" {
			t.Errorf("ChangeRole = %+v, %v", st, err)
		}
		if _, err := s.ChangeRole(ctx, by, 99999, "reviewer"); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("an unknown user: %v, want not_found", err)
		}
	})

	t.Run("a reset link sets the password once, before it expires, and ends every session", func(t *testing.T) {
		u := mk("rita@example.org", "officer")
		sess := session("rita-1", u)
		mail := store.OutboundMessage{To: u.Email, Subject: "Reset your password", TextBody: "Follow the link", Kind: "password_reset"}
		token := sha256.Sum256([]byte("rita's token"))
		asked := store.UserChange{At: now}
		if err := s.AddPasswordReset(ctx, asked, store.PasswordReset{TokenHash: token[:], UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(30 * time.Minute)}, mail); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordReset(ctx, token[:], "$argon2id$new", now.Add(30*time.Minute)); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("a link used at its expiry: %v, want conflict", err)
		}
		if got, err := s.PasswordResetUsable(ctx, token[:], now.Add(29*time.Minute)); err != nil || got.ID != u.ID {
			t.Fatalf("PasswordResetUsable = %+v, %v", got, err)
		}
		got, err := s.UsePasswordReset(ctx, token[:], "$argon2id$new", now.Add(29*time.Minute))
		if err != nil || got.ID != u.ID {
			t.Fatalf("UsePasswordReset = %+v, %v", got, err)
		}
		if _, pw, err := s.UserPassword(ctx, u.Email); err != nil || pw.Hash != "$argon2id$new" || pw.MustChange {
			t.Errorf("after the reset: %+v, %v", pw, err)
		}
		if _, _, err := s.SessionUser(ctx, sess, now.Add(29*time.Minute), now); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("a session from before the reset: %v, want ended", err)
		}
		if _, err := s.PasswordResetUsable(ctx, token[:], now.Add(29*time.Minute)); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("a used link is usable: %v, want conflict", err)
		}
		if _, err := s.UsePasswordReset(ctx, token[:], "$argon2id$again", now.Add(29*time.Minute)); complaint.ErrorCode(err) != complaint.Conflict {
			t.Errorf("a link used twice: %v, want conflict", err)
		}
		unknown := sha256.Sum256([]byte("nobody's token"))
		if _, err := s.UsePasswordReset(ctx, unknown[:], "$argon2id$x", now); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("an unknown link: %v, want not_found", err)
		}
		if _, err := s.DeactivateUser(ctx, by, u.ID); err != nil {
			t.Fatal(err)
		}
		other := sha256.Sum256([]byte("rita's second token"))
		if err := s.AddPasswordReset(ctx, asked, store.PasswordReset{TokenHash: other[:], UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, mail); complaint.ErrorCode(err) != complaint.Forbidden {
			t.Errorf("a reset link for a deactivated user: %v, want forbidden", err)
		}
	})

	t.Run("a user's sessions are shown and ended by an opaque id", func(t *testing.T) {
		u := mk("sam@example.org", "officer")
		a, b := session("sam-a", u), session("sam-b", u)
		list, err := s.UserSessions(ctx, u.ID, a, now)
		if err != nil || len(list) != 2 {
			t.Fatalf("UserSessions = %+v, %v", list, err)
		}
		var current, otherID string
		for _, x := range list {
			if x.Current {
				current = x.RowID
			} else {
				otherID = x.RowID
			}
			if x.RowID == string(a) || x.RowID == string(b) || len(x.RowID) != 24 {
				t.Errorf("a session row id %q is not an opaque 24-character id", x.RowID)
			}
		}
		if current != store.SessionRowID(a) || otherID != store.SessionRowID(b) {
			t.Fatalf("current %q, other %q", current, otherID)
		}
		if err := s.EndUserSession(ctx, store.UserChange{Actor: officer, At: now}, officer.ID, otherID); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("ending another user's session: %v, want not_found", err)
		}
		if err := s.EndUserSession(ctx, store.UserChange{Actor: u, At: now}, u.ID, otherID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, b, now, now.Add(-time.Hour)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("the ended session: %v, want not_found", err)
		}
		if _, _, err := s.SessionUser(ctx, a, now, now.Add(-time.Hour)); err != nil {
			t.Errorf("the other session: %v, want still live", err)
		}
	})

	t.Run("every change is audited, latest first", func(t *testing.T) {
		all, err := s.UserAudit(ctx, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range all {
			actions = append(actions, e.Action)
		}
		want := []string{store.UserSessionEnded, store.UserDeactivated, store.UserPasswordResetLink, store.UserResetLinkSent,
			store.UserRoleChanged, store.UserRoleChanged, store.UserReactivated, store.UserDeactivated}
		if len(actions) != len(want) {
			t.Fatalf("audit actions %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("audit actions %v, want %v", actions, want)
			}
		}
		last := all[len(all)-1]
		if last.Actor != admin.Email || last.Target != officer.Email || last.Detail != "ended 1 session and revoked 1 API token" || !last.At.Equal(now) {
			t.Errorf("the first entry: %+v", last)
		}
		if role := all[3+1]; role.Detail != "officer to reviewer" {
			t.Errorf("the role change: %+v", role)
		}
		mine, err := s.UserAudit(ctx, officer.ID, 50)
		if err != nil || len(mine) != 3 {
			t.Errorf("the officer's audit: %+v, %v; want 3 entries", mine, err)
		}
		if _, err := s.UserAudit(ctx, 0, 0); complaint.ErrorCode(err) != complaint.Invalid {
			t.Errorf("a limit of 0: %v, want invalid", err)
		}
	})
}
