package webui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqlite"
	"github.com/redresshq/redress/internal/webui"
)

// site is the staff pages on a real SQLite file, with a clock the test
// can move.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	st    *sqlite.DB
	mu    sync.Mutex
	now   time.Time
	p     *policy.Policy
	users map[string]store.User
}

const testPassword = "correct horse battery staple 42"

func newSite(t *testing.T) *site {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "redress.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := policy.Preset("code-2024")
	if err != nil {
		t.Fatalf("the code-2024 policy: %v", err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatalf("the policy's calendar: %v", err)
	}
	s := &site{t: t, st: st, p: p, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), users: map[string]store.User{}}
	web, err := webui.New(&webui.Server{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now }, ServiceName: "Test complaints"})
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(web.Handler())
	t.Cleanup(s.srv.Close)
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range auth.Roles {
		u, err := st.CreateUser(context.Background(), store.User{Email: string(role) + "@example.org", Name: "A " + string(role), Role: string(role)})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetPassword(context.Background(), u.ID, hash, false); err != nil {
			t.Fatal(err)
		}
		s.users[string(role)] = u
	}
	return s
}

func (s *site) advance(d time.Duration) { s.mu.Lock(); s.now = s.now.Add(d); s.mu.Unlock() }

// browser is a cookie-keeping client that does not follow redirects, so
// tests see them.
func (s *site) browser() *http.Client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *site) post(c *http.Client, path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("POST %s: reading the response: %v", path, err)
	}
	return resp, string(b)
}

func (s *site) get(c *http.Client, path string) (*http.Response, string) {
	s.t.Helper()
	resp, err := c.Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("GET %s: reading the response: %v", path, err)
	}
	return resp, string(b)
}

// signIn returns a client signed in as role.
func (s *site) signIn(role string) *http.Client {
	s.t.Helper()
	c := s.browser()
	resp, body := s.post(c, "/sign-in", url.Values{"email": {role + "@example.org"}, "password": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: %d\n%s", role, resp.StatusCode, body)
	}
	return c
}

// newCase logs a complaint through the store as role.
func (s *site) newCase(role, summary string, confidential bool) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatalf("the policy's calendar: %v", err)
	}
	recv := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv, Confidential: confidential,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: summary},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Reference
}

// Every page and form, for every role: who may use it, and that nobody
// signed out gets anything but the sign-in page.
func TestEveryPageAndFormForEveryRole(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Ordinary complaint", false)
	const ok, forbidden, redirect = 200, 403, 303
	pages := []struct {
		path string
		want map[string]int // by role; roles not listed get ok
	}{
		{"/", nil},
		{"/cases", nil},
		{"/cases.csv", nil},
		{"/cases/new", map[string]int{"viewer": forbidden}},
		{"/cases/" + ref, nil},
		{"/cases/" + ref + "/evidence.zip", map[string]int{"viewer": forbidden}},
		{"/actions", nil},
		{"/change-password", nil},
		{"/users", map[string]int{"manager": forbidden, "officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		{"/policy", map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		{"/letters/letterhead", map[string]int{"manager": forbidden, "officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		{"/reports/pack", map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		{"/reports/review", map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		{"/reports/review/section/6", map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
	}
	for _, role := range auth.Roles {
		c := s.signIn(string(role))
		for _, p := range pages {
			want := ok
			if w, found := p.want[string(role)]; found {
				want = w
			}
			resp, body := s.get(c, p.path)
			if resp.StatusCode != want {
				t.Errorf("%s GET %s: %d, want %d", role, p.path, resp.StatusCode, want)
			}
			if want == ok && p.path != "/cases.csv" && !strings.HasSuffix(p.path, ".zip") && !strings.Contains(body, "Signed in as A "+string(role)) {
				t.Errorf("%s GET %s: page does not show who is signed in", role, p.path)
			}
		}
		forms := []struct {
			path string
			form url.Values
			want map[string]int
		}{
			{"/cases/" + ref + "/notes", url.Values{"text": {"a note from " + string(role)}}, map[string]int{"viewer": forbidden}},
			{"/cases/new", url.Values{"kind": {"compliment"}, "channel": {"phone"}, "received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"},
				"received.time": {"09:00"}, "complainant.name": {"Bob"}, "complainant.phone": {"0191 000 0000"}, "summary": {"Thanks from " + string(role)}}, map[string]int{"viewer": forbidden}},
			{"/users", url.Values{"email": {"new-" + string(role) + "@example.org"}, "name": {"New"}, "role": {"viewer"}},
				map[string]int{"admin": http.StatusCreated, "manager": forbidden, "officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
			{"/reports/review/improvements", url.Values{"year": {"2026"}, "you_said": {"From " + string(role)}, "we_did": {"Listened"}},
				map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
			{"/reports/review/response", url.Values{"year": {"2026"}, "text": {"Noted by " + string(role)}, "date": {"2026-11-20"}},
				map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
			{"/reports/review/section/1", url.Values{"year": {"2026"}, "p1.2.complies": {"yes"}},
				map[string]int{"officer": forbidden, "reviewer": forbidden, "viewer": forbidden}},
		}
		for _, f := range forms {
			want := redirect
			if w, found := f.want[string(role)]; found {
				want = w
			}
			resp, body := s.post(c, f.path, f.form)
			if resp.StatusCode != want {
				t.Errorf("%s POST %s: %d, want %d\n%.300s", role, f.path, resp.StatusCode, want, body)
			}
		}
	}
	// Signed out: every page sends you to sign in, and no form does
	// anything.
	anon := s.browser()
	for _, p := range pages {
		resp, _ := s.get(anon, p.path)
		if resp.StatusCode != redirect || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in?next=") {
			t.Errorf("signed out GET %s: %d to %q", p.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := s.post(anon, "/cases/"+ref+"/notes", url.Values{"text": {"anonymous"}})
	if resp.StatusCode != redirect {
		t.Errorf("signed out POST: %d", resp.StatusCode)
	}
	evs, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		t.Fatalf("the case's events: %v", err)
	}
	if len(evs) != 1+4 { // created, and notes by admin, manager, officer and reviewer
		t.Errorf("%d events, want 5: a forbidden or signed-out form changed the case", len(evs))
	}
}

// A confidential case is absent for everyone but its handlers, whoever
// logged it, managers and admins: not in lists, searches, exports or by
// its address.
func TestConfidentialCasesAreInvisibleToOthers(t *testing.T) {
	s := newSite(t)
	secret := s.newCase("officer", "About the conduct of a housing officer", true)
	s.newCase("officer", "Ordinary repairs complaint", false)
	for role, sees := range map[string]bool{"officer": true, "manager": true, "admin": true, "reviewer": false, "viewer": false} {
		c := s.signIn(role)
		for _, path := range []string{"/cases", "/cases?q=conduct", "/cases.csv", "/"} {
			_, body := s.get(c, path)
			if strings.Contains(body, secret) != sees {
				t.Errorf("%s %s: shows the confidential case %v, want %v", role, path, !sees, sees)
			}
		}
		resp, _ := s.get(c, "/cases/"+secret)
		if want := map[bool]int{true: 200, false: 404}[sees]; resp.StatusCode != want {
			t.Errorf("%s GET the confidential case: %d, want %d", role, resp.StatusCode, want)
		}
		resp, body := s.get(c, "/cases/"+secret+"/evidence.zip")
		if want := map[bool]int{true: 200, false: 404}[sees]; role != "viewer" && resp.StatusCode != want {
			t.Errorf("%s GET the confidential case's evidence pack: %d, want %d", role, resp.StatusCode, want)
		}
		if resp.StatusCode == 200 && (resp.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(body, "PK")) {
			t.Errorf("%s: the evidence pack is %q, %.10q", role, resp.Header.Get("Content-Type"), body)
		}
		if !sees {
			resp, _ := s.post(c, "/cases/"+secret+"/notes", url.Values{"text": {"peeking"}})
			if resp.StatusCode != 404 && resp.StatusCode != 403 {
				t.Errorf("%s POST to the confidential case: %d", role, resp.StatusCode)
			}
		}
	}
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "x", false)
	c := s.signIn("officer")
	req, err := http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader("text=forged"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	req, err = http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader("text=forged"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST from another origin: %d, want 403", resp.StatusCode)
	}
	if evs, err := s.st.CaseEvents(context.Background(), ref); err != nil {
		t.Fatalf("the case's events: %v", err)
	} else if len(evs) != 1 {
		t.Error("a forged form changed the case")
	}
}

func TestSessions(t *testing.T) {
	s := newSite(t)
	c := s.signIn("officer")
	u, err := url.Parse(s.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cookies := c.Jar.Cookies(u)
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	// The cookie's flags are checked on the raw header.
	resp, _ := s.post(s.browser(), "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	set := resp.Header.Get("Set-Cookie")
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(set, flag) {
			t.Errorf("session cookie %q lacks %s", set, flag)
		}
	}
	if resp, _ := s.get(c, "/"); resp.StatusCode != 200 {
		t.Fatalf("signed in: %d", resp.StatusCode)
	}
	// Idle for longer than the idle timeout: signed out.
	s.advance(31 * time.Minute)
	if resp, _ := s.get(c, "/"); resp.StatusCode != 303 {
		t.Errorf("after 31 idle minutes: %d, want a redirect to sign in", resp.StatusCode)
	}
	// Active, but past the absolute timeout: signed out.
	c = s.signIn("officer")
	for range 26 {
		s.advance(29 * time.Minute)
		s.get(c, "/")
	}
	if resp, _ := s.get(c, "/"); resp.StatusCode != 303 {
		t.Errorf("after 12 hours of use: %d, want a redirect to sign in", resp.StatusCode)
	}
	// Sign out everywhere ends every session of that user.
	a, b := s.signIn("reviewer"), s.signIn("reviewer")
	s.post(a, "/sign-out-everywhere", nil)
	if resp, _ := s.get(b, "/"); resp.StatusCode != 303 {
		t.Errorf("other session after sign out everywhere: %d", resp.StatusCode)
	}
}

func TestSignInThrottlingAndErrors(t *testing.T) {
	s := newSite(t)
	c := s.browser()
	resp, body := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {"wrong"}})
	if resp.StatusCode != 401 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `value="officer@example.org"`) {
		t.Errorf("wrong password: %d, error summary or typed email missing", resp.StatusCode)
	}
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"whatever"}})
	if resp.StatusCode != 401 {
		t.Errorf("unknown account: %d", resp.StatusCode)
	}
	for range 4 {
		s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {"wrong"}})
	}
	resp, body = s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Errorf("after 5 failures the right password gave %d", resp.StatusCode)
	}
	s.advance(16 * time.Minute)
	if resp, _ := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}}); resp.StatusCode != 303 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
	// Open redirects are refused.
	resp, _ = s.post(s.browser(), "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example redirected to %q", loc)
	}
}

func TestOneTimePasswordMustBeChanged(t *testing.T) {
	s := newSite(t)
	admin := s.signIn("admin")
	resp, body := s.post(admin, "/users", url.Values{"email": {"new@example.org"}, "name": {"New Officer"}, "role": {"officer"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	i := strings.Index(body, "one-time password ")
	if i < 0 {
		t.Fatalf("no one-time password shown:\n%s", body)
	}
	words := strings.Fields(body[i+len("one-time password "):])
	if len(words) == 0 {
		t.Fatalf("no one-time password after its label:\n%.500s", body[i:])
	}
	otp := words[0]
	c := s.browser()
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"new@example.org"}, "password": {otp}, "next": {"/cases"}})
	if loc := resp.Header.Get("Location"); loc != "/change-password" {
		t.Fatalf("first sign-in went to %q, want /change-password", loc)
	}
	if resp, _ := s.get(c, "/cases"); resp.Header.Get("Location") != "/change-password" {
		t.Errorf("pages are open before the password is changed")
	}
	resp, body = s.post(c, "/change-password", url.Values{"current": {otp}, "new": {"password1234"}, "confirm": {"password1234"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "govuk-error-summary") {
		t.Errorf("a common password was accepted: %d", resp.StatusCode)
	}
	resp, _ = s.post(c, "/change-password", url.Values{"current": {otp}, "new": {"a long and personal passphrase"}, "confirm": {"a long and personal passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	if resp, _ := s.get(c, "/cases"); resp.StatusCode != 200 {
		t.Errorf("after changing the password: %d", resp.StatusCode)
	}
}

// Every case form refuses a viewer, and refuses (as not found) anyone who
// may not see a confidential case, before anything is changed.
func TestEveryCaseFormRefusesWhoMayNotUseIt(t *testing.T) {
	s := newSite(t)
	open := s.newCase("officer", "Ordinary", false)
	secret := s.newCase("officer", "About a member of staff", true)
	forms := []string{"acknowledge", "assign", "extend", "respond", "escalate", "close", "withdraw", "refuse", "convert", "notes", "link", "remedies/1/done"}
	viewer, reviewer := s.signIn("viewer"), s.signIn("reviewer")
	for _, f := range forms {
		if resp, _ := s.post(viewer, "/cases/"+open+"/"+f, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", f, resp.StatusCode)
		}
		if resp, _ := s.post(reviewer, "/cases/"+secret+"/"+f, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("reviewer POST %s to a confidential case they cannot see: %d, want 404", f, resp.StatusCode)
		}
	}
	for _, ref := range []string{open, secret} {
		if evs, err := s.st.CaseEvents(context.Background(), ref); err != nil {
			t.Fatalf("%s's events: %v", ref, err)
		} else if len(evs) != 1 {
			t.Errorf("%s has %d events: a refused form changed it", ref, len(evs))
		}
	}
}
