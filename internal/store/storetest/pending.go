package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testPendingForms checks the store's half of "no lost work" (issue 16,
// item 5): an ended session still names its user until it is removed, a
// kept form comes back as it was sent until it expires, and it can be
// taken (to be sent) only once.
func testPendingForms(t *testing.T, s store.Store) {
	u := newUser(t, s, "ann@example.org")
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	const idle = 30 * time.Minute

	t.Run("an ended session names its user as it is removed", func(t *testing.T) {
		id := sessionID("owner")
		if err := s.CreateSession(ctx, store.Session{IDHash: id, UserID: u.ID, CreatedAt: start, LastSeen: start, ExpiresAt: start.Add(12 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		later := start.Add(idle + time.Minute) // idle too long
		_, ended, err := s.SessionUser(ctx, id, later, later.Add(-idle))
		if complaint.ErrorCode(err) != complaint.NotFound {
			t.Fatalf("the idle session was still live: %v", err)
		}
		if ended.UserID != u.ID {
			t.Errorf("the ended session names user %d, want %d", ended.UserID, u.ID)
		}
		if _, gone, err := s.SessionUser(ctx, id, later, later.Add(-idle)); complaint.ErrorCode(err) != complaint.NotFound || gone.UserID != 0 {
			t.Errorf("a removed session: user %d, %v; want nobody, not_found", gone.UserID, err)
		}
		if _, never, err := s.SessionUser(ctx, sessionID("never"), later, later.Add(-idle)); complaint.ErrorCode(err) != complaint.NotFound || never.UserID != 0 {
			t.Errorf("an unknown session: user %d, %v; want nobody, not_found", never.UserID, err)
		}
	})

	t.Run("only the latest forms of unknown senders are kept", func(t *testing.T) {
		id := func(i int) []byte { return sessionID(fmt.Sprintf("ownerless-%d", i)) }
		for i := range store.MaxOwnerlessForms + 1 {
			at := start.Add(time.Duration(i) * time.Second)
			if err := s.SavePendingForm(ctx, store.PendingForm{IDHash: id(i), Method: "POST", Path: "/cases/C-1/notes",
				ContentType: "application/x-www-form-urlencoded", Body: []byte("text=x"), CreatedAt: at, ExpiresAt: at.Add(2 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		now := start.Add(time.Hour)
		if _, err := s.PendingForm(ctx, id(0), now); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("the oldest of %d forms of unknown senders is still kept: %v", store.MaxOwnerlessForms+1, err)
		}
		for _, i := range []int{1, store.MaxOwnerlessForms} {
			if _, err := s.PendingForm(ctx, id(i), now); err != nil {
				t.Errorf("form %d of an unknown sender is gone: %v", i, err)
			}
		}
		// Leave the table as it was found, for the tests after.
		for i := 1; i <= store.MaxOwnerlessForms; i++ {
			if _, err := s.TakePendingForm(ctx, id(i), now); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("touching a session keeps it live for a whole idle timeout more", func(t *testing.T) {
		id := sessionID("touch")
		if err := s.CreateSession(ctx, store.Session{IDHash: id, UserID: u.ID, CreatedAt: start, LastSeen: start, ExpiresAt: start.Add(12 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		// Seconds after the last use, which SessionUser would not record.
		touched := start.Add(20 * time.Second)
		if err := s.TouchSession(ctx, id, touched); err != nil {
			t.Fatal(err)
		}
		at := touched.Add(idle - time.Second)
		if _, sess, err := s.SessionUser(ctx, id, at, at.Add(-idle)); err != nil {
			t.Fatalf("a touched session ended before its idle timeout: %v", err)
		} else if sess.LastSeen.Before(touched) {
			t.Errorf("last seen %v, want at least %v", sess.LastSeen, touched)
		}
		if err := s.TouchSession(ctx, sessionID("never"), start); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("touching an unknown session: %v, want not_found", err)
		}
	})

	form := func(name string, userID int64, at time.Time) store.PendingForm {
		return store.PendingForm{IDHash: sessionID("form " + name), Method: "POST", Path: "/cases/C-2026-000001/notes?x=1",
			ContentType: "application/x-www-form-urlencoded", Body: []byte("text=Typed+while+away%0A%C2%A3"),
			UserID: userID, CreatedAt: at, ExpiresAt: at.Add(2 * time.Hour)}
	}

	t.Run("a kept form comes back as it was sent until it expires", func(t *testing.T) {
		f := form("kept", u.ID, start)
		if err := s.SavePendingForm(ctx, f); err != nil {
			t.Fatal(err)
		}
		got, err := s.PendingForm(ctx, f.IDHash, start.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.IDHash, f.IDHash) || got.Method != f.Method || got.Path != f.Path || got.ContentType != f.ContentType ||
			!bytes.Equal(got.Body, f.Body) || got.UserID != f.UserID || !got.CreatedAt.Equal(f.CreatedAt) || !got.ExpiresAt.Equal(f.ExpiresAt) {
			t.Errorf("read back %+v\nwant %+v", got, f)
		}
		// Reading does not use it up.
		if _, err := s.PendingForm(ctx, f.IDHash, start.Add(time.Hour)); err != nil {
			t.Errorf("read twice: %v", err)
		}
		if _, err := s.PendingForm(ctx, f.IDHash, f.ExpiresAt); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("read at its expiry: %v, want not_found", err)
		}
		if _, err := s.TakePendingForm(ctx, f.IDHash, f.ExpiresAt); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("taken at its expiry: %v, want not_found", err)
		}
	})

	t.Run("a form whose sender is not known is kept with no user", func(t *testing.T) {
		f := form("nobody's", 0, start)
		f.Body = nil
		if err := s.SavePendingForm(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, err := s.PendingForm(ctx, f.IDHash, start); err != nil || got.UserID != 0 || len(got.Body) != 0 {
			t.Errorf("read back %+v, %v; want no user and an empty body", got, err)
		}
	})

	t.Run("saving a form deletes those that have expired", func(t *testing.T) {
		old := form("old", u.ID, start)
		if err := s.SavePendingForm(ctx, old); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePendingForm(ctx, form("new", u.ID, old.ExpiresAt)); err != nil {
			t.Fatal(err)
		}
		// Read at a time before its expiry: only deletion explains its absence.
		if _, err := s.PendingForm(ctx, old.IDHash, start); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("an expired form outlived the saving of another: %v", err)
		}
	})

	t.Run("a form is taken once, however many ask at once", func(t *testing.T) {
		f := form("once", u.ID, start)
		if err := s.SavePendingForm(ctx, f); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var got, missing int
		for range 8 {
			wg.Go(func() {
				p, err := s.TakePendingForm(ctx, f.IDHash, start.Add(time.Minute))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && bytes.Equal(p.Body, f.Body):
					got++
				case complaint.ErrorCode(err) == complaint.NotFound:
					missing++
				default:
					t.Errorf("take: %+v, %v", p, err)
				}
			})
		}
		wg.Wait()
		if got != 1 || missing != 7 {
			t.Errorf("8 takers: %d got the form and %d found none; want 1 and 7", got, missing)
		}
		if _, err := s.PendingForm(ctx, f.IDHash, start.Add(time.Minute)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("a taken form is still there: %v", err)
		}
	})
}
