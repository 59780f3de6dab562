package webui_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
)

// The session cookie must not carry the server's idea of the date: a
// browser drops a cookie whose Expires is in its own past, so a server
// clock a day behind the browser's (or a test's pinned clock) would sign
// everyone out at once. It says how long to keep it instead.
func TestSessionCookieLivesByMaxAgeNotExpires(t *testing.T) {
	s := newSite(t)
	c := s.browser()
	resp, body := s.post(c, "/sign-in", map[string][]string{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%s", resp.StatusCode, body)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "redress_session" && ck.Value != "" {
			session = ck
		}
	}
	if session == nil {
		t.Fatalf("signing in set no cookie; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
	}
	if !session.Expires.IsZero() || session.RawExpires != "" {
		t.Errorf("the session cookie has Expires %q; it must use Max-Age alone", session.RawExpires)
	}
	if want := int(12 * time.Hour / time.Second); session.MaxAge != want {
		t.Errorf("the session cookie's Max-Age is %d, want %d (the absolute timeout)", session.MaxAge, want)
	}
}

// A browser whose clock is years from the server's still keeps its
// session: the server's store decides when a session ends, not the
// browser's clock.
func TestSessionSurvivesAServerClockFarFromTheBrowsers(t *testing.T) {
	for _, years := range []int{-3, 3} {
		s := newSite(t)
		s.mu.Lock()
		s.now = clock.Wall().AddDate(years, 0, 0)
		s.mu.Unlock()
		c := s.signIn("officer")
		if resp, body := s.get(c, "/"); resp.StatusCode != http.StatusOK {
			t.Errorf("server clock %+d years from the browser's: the dashboard answered %d\n%.300s", years, resp.StatusCode, body)
		}
		// And the server still ends it when its own clock says so.
		s.advance(12*time.Hour + time.Minute)
		if resp, _ := s.get(c, "/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("server clock %+d years: after the absolute timeout the dashboard answered %d, want 303 to sign in", years, resp.StatusCode)
		}
	}
}
