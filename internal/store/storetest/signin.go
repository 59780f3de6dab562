package storetest

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// A PHC string the store keeps as it is given: the store neither hashes
// nor checks passwords, so the suite needs no real hash.
const fakeHash = "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"

func newUser(t *testing.T, s store.Store, email string) store.User {
	t.Helper()
	u, err := s.CreateUser(ctx, store.User{Email: email, Name: email, Role: "officer"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func sessionID(name string) []byte {
	sum := sha256.Sum256([]byte(name))
	return sum[:]
}

func testPasswords(t *testing.T, s store.Store) {
	u := newUser(t, s, "ann@example.org")
	other := newUser(t, s, "bob@example.org")

	got, pi, err := s.UserPassword(ctx, "ann@example.org")
	if err != nil || got.ID != u.ID || pi.Hash != "" || pi.MustChange {
		t.Fatalf("user without a password: %+v, %+v, %v; want Hash \"\"", got, pi, err)
	}

	if err := s.SetPassword(ctx, u.ID, fakeHash, true); err != nil {
		t.Fatal(err)
	}
	got, pi, err = s.UserPassword(ctx, "ANN@Example.org")
	if err != nil || got.ID != u.ID || got.Email != "ann@example.org" || got.Role != "officer" || got.CreatedAt.IsZero() {
		t.Errorf("UserPassword by email in other case = %+v, %v", got, err)
	}
	if pi.Hash != fakeHash || !pi.MustChange {
		t.Errorf("after a one-time password: %+v, want the hash and MustChange", pi)
	}

	// The user chooses their own: the flag clears.
	if err := s.SetPassword(ctx, u.ID, fakeHash+"x", false); err != nil {
		t.Fatal(err)
	}
	if _, pi, err = s.UserPassword(ctx, "ann@example.org"); err != nil {
		t.Errorf("after choosing a password: %v", err)
	} else if pi.Hash != fakeHash+"x" || pi.MustChange {
		t.Errorf("after choosing a password: %+v", pi)
	}
	// Setting one user's password leaves the others alone.
	if _, pi, err = s.UserPassword(ctx, other.Email); err != nil {
		t.Errorf("another user's password: %v", err)
	} else if pi.Hash != "" || pi.MustChange {
		t.Errorf("another user's password changed: %+v", pi)
	}

	if err := s.SetPassword(ctx, 9999, fakeHash, false); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("SetPassword for no user: %v, want not_found", err)
	}
	if _, _, err := s.UserPassword(ctx, "nobody@example.org"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("UserPassword for no user: %v, want not_found", err)
	}
}

func testSessions(t *testing.T, s store.Store) {
	u := newUser(t, s, "ann@example.org")
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	const idle, absolute = 30 * time.Minute, 12 * time.Hour
	// use looks a session up at now with the idle timeout.
	use := func(id []byte, now time.Time) (store.User, store.Session, error) {
		return s.SessionUser(ctx, id, now, now.Add(-idle))
	}
	create := func(name string, userID int64, at time.Time) []byte {
		t.Helper()
		id := sessionID(name)
		if err := s.CreateSession(ctx, store.Session{IDHash: id, UserID: userID, CreatedAt: at, LastSeen: at, ExpiresAt: at.Add(absolute)}); err != nil {
			t.Fatal(err)
		}
		return id
	}

	t.Run("the session says whether the user must change their password", func(t *testing.T) {
		id := create("mc", u.ID, start)
		if _, sess, err := use(id, start); err != nil || sess.MustChangePassword {
			t.Fatalf("before a one-time password: %+v, %v", sess, err)
		}
		if err := s.SetPassword(ctx, u.ID, "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", true); err != nil {
			t.Fatal(err)
		}
		if _, sess, err := use(id, start.Add(time.Minute)); err != nil || !sess.MustChangePassword {
			t.Errorf("after a one-time password: %+v, %v; want MustChangePassword", sess, err)
		}
		if err := s.SetPassword(ctx, u.ID, "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", false); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("lookup returns the user and touches last_seen", func(t *testing.T) {
		id := create("a", u.ID, start)
		got, sess, err := use(id, start.Add(10*time.Minute))
		if err != nil || got.ID != u.ID || got.Email != "ann@example.org" || got.Role != "officer" {
			t.Fatalf("SessionUser = %+v, %v", got, err)
		}
		if !bytes.Equal(sess.IDHash, id) || sess.UserID != u.ID || !sess.CreatedAt.Equal(start) ||
			!sess.ExpiresAt.Equal(start.Add(absolute)) || !sess.LastSeen.Equal(start.Add(10*time.Minute)) {
			t.Errorf("session %+v", sess)
		}
		// 35 minutes after sign-in but 25 after the last use: still alive,
		// because the lookup moved last_seen on.
		if _, sess, err = use(id, start.Add(35*time.Minute)); err != nil || !sess.LastSeen.Equal(start.Add(35*time.Minute)) {
			t.Errorf("session used 25 minutes ago: %+v, %v; want alive", sess, err)
		}
	})

	t.Run("idle timeout ends a session", func(t *testing.T) {
		id := create("b", u.ID, start)
		if _, _, err := use(id, start.Add(idle)); err != nil {
			t.Fatalf("idle exactly the timeout: %v, want alive", err)
		}
		if _, _, err := use(id, start.Add(2*idle+time.Second)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Fatalf("idle past the timeout: %v, want not_found", err)
		}
		// It is gone, not just refused this once: a lookup with no idle
		// limit does not bring it back.
		if _, _, err := s.SessionUser(ctx, id, start.Add(2*idle+time.Minute), time.Time{}); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("ended session came back: %v", err)
		}
	})

	t.Run("absolute expiry ends an active session", func(t *testing.T) {
		id := create("c", u.ID, start)
		now := start
		for now.Before(start.Add(absolute - idle)) {
			now = now.Add(idle - time.Minute)
			if _, _, err := use(id, now); err != nil {
				t.Fatalf("active session ended at %s: %v", now, err)
			}
		}
		if _, _, err := use(id, start.Add(absolute)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Fatalf("at its expiry: %v, want not_found", err)
		}
		if _, _, err := s.SessionUser(ctx, id, start, time.Time{}); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("expired session came back: %v", err)
		}
	})

	t.Run("delete one session", func(t *testing.T) {
		keep, drop := create("d1", u.ID, start), create("d2", u.ID, start)
		if err := s.DeleteSession(ctx, drop); err != nil {
			t.Fatal(err)
		}
		if _, _, err := use(drop, start.Add(time.Minute)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("signed-out session: %v, want not_found", err)
		}
		if _, _, err := use(keep, start.Add(time.Minute)); err != nil {
			t.Errorf("the other session ended too: %v", err)
		}
		// Signing out twice is no error: the session is gone either way.
		if err := s.DeleteSession(ctx, drop); err != nil {
			t.Errorf("second sign-out: %v", err)
		}
	})

	t.Run("delete all of a user's sessions", func(t *testing.T) {
		v := newUser(t, s, "val@example.org")
		mine := [][]byte{create("e1", v.ID, start), create("e2", v.ID, start)}
		theirs := create("e3", u.ID, start)
		if err := s.DeleteUserSessions(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range mine {
			if _, _, err := use(id, start.Add(time.Minute)); complaint.ErrorCode(err) != complaint.NotFound {
				t.Errorf("session after signing the user out everywhere: %v", err)
			}
		}
		if _, _, err := use(theirs, start.Add(time.Minute)); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
	})

	t.Run("unknown session and unknown user", func(t *testing.T) {
		if _, _, err := use(sessionID("never issued"), start); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("unknown session: %v, want not_found", err)
		}
		err := s.CreateSession(ctx, store.Session{IDHash: sessionID("f"), UserID: 9999, CreatedAt: start, LastSeen: start, ExpiresAt: start.Add(absolute)})
		if complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("session for no user: %v, want not_found", err)
		}
	})
}

func testLoginFailures(t *testing.T, s store.Store) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	count := func(key string, since time.Time) int {
		t.Helper()
		n, err := s.CountLoginFailures(ctx, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("ann@example.org", start.Add(-time.Hour)); n != 0 {
		t.Fatalf("%d failures before any, want 0", n)
	}
	for i := range 5 {
		if err := s.RecordLoginFailure(ctx, "ann@example.org", start.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordLoginFailure(ctx, "192.0.2.7", start); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key   string
		since time.Time
		want  int
	}{
		{"ann@example.org", start.Add(-time.Hour), 5},
		{"ann@example.org", start, 5},                        // since is inclusive
		{"ann@example.org", start.Add(150 * time.Second), 2}, // the window: only the last two
		{"ann@example.org", start.Add(time.Hour), 0},
		{"ANN@example.org", start, 5}, // emails match whatever their case
		{"192.0.2.7", start, 1},
		{"bob@example.org", start, 0},
	} {
		if n := count(tt.key, tt.since); n != tt.want {
			t.Errorf("CountLoginFailures(%s, since %s) = %d, want %d", tt.key, tt.since.Format(time.TimeOnly), n, tt.want)
		}
	}

	// A failure recorded more than a day later forgets the old ones, so
	// the table cannot grow for ever; other keys keep theirs.
	later := start.Add(25 * time.Hour)
	if err := s.RecordLoginFailure(ctx, "ann@example.org", later); err != nil {
		t.Fatal(err)
	}
	if n := count("ann@example.org", time.Time{}); n != 1 {
		t.Errorf("%d failures in all after a day, want 1: old rows were kept", n)
	}
	if n := count("192.0.2.7", time.Time{}); n != 1 {
		t.Errorf("another key's failures: %d, want 1", n)
	}

	// A good sign-in clears the key, and only that key.
	if err := s.ClearLoginFailures(ctx, "Ann@Example.org"); err != nil {
		t.Fatal(err)
	}
	if n := count("ann@example.org", time.Time{}); n != 0 {
		t.Errorf("%d failures after clearing, want 0", n)
	}
	if n := count("192.0.2.7", time.Time{}); n != 1 {
		t.Errorf("clearing one key cleared another: %d, want 1", n)
	}
	if err := s.ClearLoginFailures(ctx, "nobody@example.org"); err != nil {
		t.Errorf("clearing a key with no failures: %v", err)
	}
}
