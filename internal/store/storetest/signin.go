package storetest

import (
	"bytes"
	"crypto/sha256"
	"sync"
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
	t.Run("record, count and clear an account's failures", func(t *testing.T) { testAccountFailures(t, s) })
	t.Run("each limit counts its own attempts", func(t *testing.T) { testSignInLimits(t, s) })
	t.Run("concurrent attempts never pass a limit", func(t *testing.T) { testConcurrentSignIns(t, s) })
	t.Run("a good sign-in forgets only what it proves", func(t *testing.T) { testSignInSucceeded(t, s) })
	t.Run("administrators see failures by account", func(t *testing.T) { testFailedSignIns(t, s) })
	t.Run("a hash is upgraded only if unchanged", func(t *testing.T) { testUpgradePasswordHash(t, s) })
}

func testAccountFailures(t *testing.T, s store.Store) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	count := func(account string, since time.Time) int {
		t.Helper()
		n, err := s.CountLoginFailures(ctx, account, since)
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
	if err := s.RecordLoginFailure(ctx, "cat@example.org", start); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		account string
		since   time.Time
		want    int
	}{
		{"ann@example.org", start.Add(-time.Hour), 5},
		{"ann@example.org", start, 5},                        // since is inclusive
		{"ann@example.org", start.Add(150 * time.Second), 2}, // the window: only the last two
		{"ann@example.org", start.Add(time.Hour), 0},
		{"ANN@example.org", start, 5}, // emails match whatever their case
		{"cat@example.org", start, 1},
		{"bob@example.org", start, 0},
	} {
		if n := count(tt.account, tt.since); n != tt.want {
			t.Errorf("CountLoginFailures(%s, since %s) = %d, want %d", tt.account, tt.since.Format(time.TimeOnly), n, tt.want)
		}
	}

	// An attempt begun more than a day later forgets the old ones, so the
	// table cannot grow for ever.
	later := start.Add(25 * time.Hour)
	if _, _, err := s.BeginSignIn(ctx, store.SignInAttempt{Account: "ann@example.org", Address: "192.0.2.7", At: later}, store.SignInLimits{}); err != nil {
		t.Fatal(err)
	}
	if n := count("ann@example.org", time.Time{}); n != 1 {
		t.Errorf("%d failures in all after a day, want 1: old rows were kept", n)
	}
	if n := count("cat@example.org", time.Time{}); n != 0 {
		t.Errorf("another account's day-old failures: %d, want 0", n)
	}

	// Clearing an account forgets its failures, from every address, and
	// only its own.
	if err := s.RecordLoginFailure(ctx, "cat@example.org", later); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearLoginFailures(ctx, "Ann@Example.org"); err != nil {
		t.Fatal(err)
	}
	if n := count("ann@example.org", time.Time{}); n != 0 {
		t.Errorf("%d failures after clearing, want 0", n)
	}
	if n := count("cat@example.org", time.Time{}); n != 1 {
		t.Errorf("clearing one account cleared another: %d, want 1", n)
	}
	if err := s.ClearLoginFailures(ctx, "nobody@example.org"); err != nil {
		t.Errorf("clearing an account with no failures: %v", err)
	}
}

// begin starts an attempt and returns its id, or the limit that refused it.
func begin(t *testing.T, s store.Store, a store.SignInAttempt, l store.SignInLimits) (int64, string) {
	t.Helper()
	id, limit, err := s.BeginSignIn(ctx, a, l)
	if err != nil {
		t.Fatal(err)
	}
	if (id == 0) == (limit == "") {
		t.Fatalf("BeginSignIn(%+v) = id %d, limit %q: want exactly one", a, id, limit)
	}
	return id, limit
}

func testSignInLimits(t *testing.T, s store.Store) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := store.SignInLimits{Since: start, PerDevice: 2, PerAccountAddress: 3, PerAddress: 5, PerAccount: 7}
	at := func(account, address, device string) store.SignInAttempt {
		return store.SignInAttempt{Account: account, Address: address, Device: device, At: start.Add(time.Minute)}
	}
	// Three attempts at ann from one address reach its limit there ...
	for range 3 {
		begin(t, s, at("ann@example.org", "192.0.2.1", ""), l)
	}
	if _, limit := begin(t, s, at("ANN@example.org", "192.0.2.1", ""), l); limit != store.LimitAccountAddress {
		t.Errorf("fourth attempt at ann from one address: limit %q, want %q", limit, store.LimitAccountAddress)
	}
	// ... but not from another address, nor with a device cookie.
	begin(t, s, at("ann@example.org", "192.0.2.2", ""), l)
	begin(t, s, at("ann@example.org", "192.0.2.1", "dev-1"), l)
	// The address may try two more accounts, then is refused at any.
	begin(t, s, at("bob@example.org", "192.0.2.1", ""), l)
	begin(t, s, at("cat@example.org", "192.0.2.1", ""), l)
	if _, limit := begin(t, s, at("dan@example.org", "192.0.2.1", ""), l); limit != store.LimitAddress {
		t.Errorf("sixth attempt from one address: limit %q, want %q", limit, store.LimitAddress)
	}
	// The refused attempts were not recorded: ann has 3 from .1, 1 from
	// .2 and 1 with a device.
	if n, err := s.CountLoginFailures(ctx, "ann@example.org", start); err != nil || n != 5 {
		t.Errorf("ann's attempts: %d, %v; want 5 (refused ones are not recorded)", n, err)
	}
	// ann from three more addresses: seven untrusted attempts in all lock
	// the account for browsers without a device cookie.
	for _, addr := range []string{"192.0.2.3", "192.0.2.4", "192.0.2.5"} {
		begin(t, s, at("ann@example.org", addr, ""), l)
	}
	if _, limit := begin(t, s, at("ann@example.org", "192.0.2.6", ""), l); limit != store.LimitAccount {
		t.Errorf("eighth attempt at ann from anywhere: limit %q, want %q", limit, store.LimitAccount)
	}
	// A device cookie is not locked out by all that, only by its own.
	begin(t, s, at("ann@example.org", "192.0.2.6", "dev-2"), l)
	begin(t, s, at("ann@example.org", "192.0.2.6", "dev-1"), l)
	if _, limit := begin(t, s, at("ann@example.org", "192.0.2.6", "dev-1"), l); limit != store.LimitDevice {
		t.Errorf("third attempt with one device: limit %q, want %q", limit, store.LimitDevice)
	}
	// Attempts before the window do not count.
	later := l
	later.Since = start.Add(2 * time.Minute)
	begin(t, s, store.SignInAttempt{Account: "ann@example.org", Address: "192.0.2.1", At: start.Add(3 * time.Minute)}, later)
	// No limits, no refusals.
	begin(t, s, at("ann@example.org", "192.0.2.1", ""), store.SignInLimits{Since: start})
}

func testConcurrentSignIns(t *testing.T, s store.Store) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := store.SignInLimits{Since: start, PerAccountAddress: 5, PerAddress: 20, PerAccount: 50, PerDevice: 5}
	var wg sync.WaitGroup
	var mu sync.Mutex
	let := 0
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, _, err := s.BeginSignIn(ctx, store.SignInAttempt{Account: "ann@example.org", Address: "192.0.2.9", At: start.Add(time.Duration(i) * time.Millisecond)}, l)
			if err != nil {
				t.Error(err)
				return
			}
			if id != 0 {
				mu.Lock()
				let++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if let != 5 {
		t.Errorf("30 attempts at once: %d let through, want exactly 5", let)
	}
}

func testSignInSucceeded(t *testing.T, s store.Store) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := store.SignInLimits{Since: start}
	at := func(account, address, device string) store.SignInAttempt {
		return store.SignInAttempt{Account: account, Address: address, Device: device, At: start}
	}
	count := func(account string) int {
		t.Helper()
		n, err := s.CountLoginFailures(ctx, account, start)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Two failures at eve from her own address, one from an attacker's,
	// one with her device cookie and one with another.
	begin(t, s, at("eve@example.org", "192.0.2.1", ""), l)
	begin(t, s, at("eve@example.org", "192.0.2.1", ""), l)
	begin(t, s, at("eve@example.org", "203.0.113.9", ""), l)
	begin(t, s, at("eve@example.org", "192.0.2.1", "eve-laptop"), l)
	begin(t, s, at("eve@example.org", "192.0.2.1", "eve-phone"), l)
	begin(t, s, at("fay@example.org", "192.0.2.1", ""), l)
	// Her good password from her address forgets her failures there, not
	// the attacker's nor those of her devices nor another account's.
	id, _ := begin(t, s, at("eve@example.org", "192.0.2.1", ""), l)
	if err := s.SignInSucceeded(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := count("eve@example.org"); n != 3 {
		t.Errorf("after a good sign-in from her address: %d attempts, want 3 (the attacker's and two devices')", n)
	}
	// With her laptop's cookie: forgets that cookie's failures only.
	id, _ = begin(t, s, at("eve@example.org", "198.51.100.1", "eve-laptop"), l)
	if err := s.SignInSucceeded(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := count("eve@example.org"); n != 2 {
		t.Errorf("after a good sign-in with her laptop: %d attempts, want 2", n)
	}
	if n := count("fay@example.org"); n != 1 {
		t.Errorf("another account's failures: %d, want 1", n)
	}
	// An attempt forgotten already (cleared meanwhile) is no error.
	if err := s.SignInSucceeded(ctx, id); err != nil {
		t.Errorf("succeeding twice: %v", err)
	}
	if err := s.SignInSucceeded(ctx, 987654321); err != nil {
		t.Errorf("succeeding with no such attempt: %v", err)
	}
}

func testFailedSignIns(t *testing.T, s store.Store) {
	// Weeks after the other tests' attempts, which the first attempt here
	// forgets as more than a day old.
	start := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	l := store.SignInLimits{Since: start, PerDevice: 2, PerAccountAddress: 2, PerAccount: 4}
	at := func(account, address, device string, minute int) store.SignInAttempt {
		return store.SignInAttempt{Account: account, Address: address, Device: device, At: start.Add(time.Duration(minute) * time.Minute)}
	}
	// Before the window: not shown.
	if err := s.RecordLoginFailure(ctx, "gil@example.org", start.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.SignInAttempt{
		at("hal@example.org", "192.0.2.1", "", 1), at("hal@example.org", "192.0.2.1", "", 2),
		at("hal@example.org", "192.0.2.2", "", 3), at("HAL@example.org", "192.0.2.3", "", 4),
		at("hal@example.org", "192.0.2.3", "hal-pc", 5), at("hal@example.org", "192.0.2.3", "hal-pc", 6),
		at("ida@example.org", "192.0.2.1", "", 7),
	} {
		begin(t, s, a, store.SignInLimits{Since: start})
	}
	got, err := s.FailedSignIns(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.SignInFailures{
		{Account: "hal@example.org", Attempts: 6, Addresses: 3, LockedAddresses: 1, LockedDevices: 1, Locked: true, Last: start.Add(6 * time.Minute)},
		{Account: "ida@example.org", Attempts: 1, Addresses: 1, Last: start.Add(7 * time.Minute)},
	}
	if len(got) != len(want) {
		t.Fatalf("FailedSignIns = %+v, want %+v", got, want)
	}
	for i := range want {
		if g, w := got[i], want[i]; g.Account != w.Account || g.Attempts != w.Attempts || g.Addresses != w.Addresses ||
			g.LockedAddresses != w.LockedAddresses || g.LockedDevices != w.LockedDevices || g.Locked != w.Locked || !g.Last.Equal(w.Last) {
			t.Errorf("FailedSignIns[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func testUpgradePasswordHash(t *testing.T, s store.Store) {
	u := newUser(t, s, "jo@example.org")
	if err := s.SetPassword(ctx, u.ID, fakeHash, true); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.UpgradePasswordHash(ctx, u.ID, fakeHash, fakeHash+"new"); err != nil || !ok {
		t.Fatalf("upgrade an unchanged hash: %v, %v; want true", ok, err)
	}
	if _, pi, err := s.UserPassword(ctx, u.Email); err != nil || pi.Hash != fakeHash+"new" || !pi.MustChange {
		t.Errorf("after the upgrade: %+v, %v; want the new hash, still to be changed", pi, err)
	}
	// Reset meanwhile: the upgrade of the old password is refused.
	if err := s.SetPassword(ctx, u.ID, fakeHash+"reset", true); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.UpgradePasswordHash(ctx, u.ID, fakeHash+"new", fakeHash+"newer"); err != nil || ok {
		t.Errorf("upgrade of a hash replaced meanwhile: %v, %v; want false", ok, err)
	}
	if _, pi, err := s.UserPassword(ctx, u.Email); err != nil || pi.Hash != fakeHash+"reset" {
		t.Errorf("a reset was overwritten by an upgrade: %+v, %v", pi, err)
	}
}
