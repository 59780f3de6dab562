package webui_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
)

// browserFrom is a browser whose connections come from ip, a loopback
// address: Linux answers to the whole of 127.0.0.0/8, so a test can sign
// in from several addresses to a real server.
func (s *site) browserFrom(ip string) *http.Client {
	s.t.Helper()
	c := s.browser()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.Transport = &http.Transport{DialContext: d.DialContext}
	s.t.Cleanup(c.CloseIdleConnections)
	return c
}

// signInWith posts the sign-in form.
func (s *site) signInWith(c *http.Client, email, password string) (*http.Response, string) {
	s.t.Helper()
	return s.post(c, "/sign-in", url.Values{"email": {email}, "password": {password}, "next": {"/"}})
}

// lockAccount makes maxFailures wrong guesses at email, 5 from each of 10
// addresses that are not the user's, through the store as sign-in does.
func (s *site) lockAccount(email string) {
	s.t.Helper()
	now := s.Now()
	l := store.SignInLimits{Since: now.Add(-15 * time.Minute), PerAccountAddress: 5, PerAddress: 20, PerAccount: 50, PerDevice: 5}
	for i := range 50 {
		_, limit, err := s.st.BeginSignIn(context.Background(), store.SignInAttempt{Account: email, Address: fmt.Sprintf("198.51.100.%d", i/5), At: now}, l)
		if err != nil || limit != "" {
			s.t.Fatalf("guess %d: limit %q, %v", i, limit, err)
		}
	}
}

func (s *site) Now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now }

// Issue 13, item 2: 30 wrong passwords sent at once were all checked,
// because each was counted before any was recorded. Now each is counted
// in the same transaction that records it, so only the limit's 5 are
// checked and the other 25 are refused unchecked.
func TestSimultaneousWrongPasswordsAreCountedBeforeAnyIsChecked(t *testing.T) {
	s := newSite(t)
	const attempts = 30
	statuses := make([]int, attempts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, err := http.NewRequest("POST", s.srv.URL+"/sign-in", strings.NewReader(url.Values{"email": {"officer@example.org"}, "password": {fmt.Sprintf("wrong guess %d", i)}}.Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", s.srv.URL)
			resp, err := s.srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	checked, refused := 0, 0
	for _, code := range statuses {
		switch code {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Errorf("a wrong password got %d", code)
		}
	}
	if checked != 5 || refused != attempts-5 {
		t.Errorf("%d wrong passwords at once: %d checked (told wrong), %d refused unchecked; want 5 and %d", attempts, checked, refused, attempts-5)
	}
	if resp, _ := s.signInWith(s.browser(), "officer@example.org", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password from the same address afterwards: %d, want 429", resp.StatusCode)
	}
}

// Issue 13, item 3: 5 wrong passwords from anywhere blocked the right one
// from everywhere. Now the tight limit is on the account from one
// address: an attacker elsewhere locks out only themselves.
func TestWrongPasswordsFromAnotherAddressDoNotLockTheUserOut(t *testing.T) {
	s := newSite(t)
	attacker := s.browserFrom("127.0.0.3")
	for i := range 5 {
		if resp, _ := s.signInWith(attacker, "officer@example.org", "guess "+fmt.Sprint(i)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d, want 401", i, resp.StatusCode)
		}
	}
	resp, body := s.signInWith(attacker, "officer@example.org", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") || resp.Header.Get("Retry-After") != "900" {
		t.Errorf("the attacker's sixth try: %d, Retry-After %q; want 429 after 900 seconds", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The user, at their own address, in a browser they have never
	// signed in with.
	if resp, body := s.signInWith(s.browserFrom("127.0.0.2"), "officer@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the user from their own address: %d, want 303\n%.400s", resp.StatusCode, body)
	}
}

// Issue 13, item 3: a browser that has signed in to an account before
// (it holds a device cookie for it) keeps signing in even when guesses
// from many addresses, its own included, have locked the account to
// every other browser.
func TestABrowserThatSignedInBeforeIsNotLockedOutByGuessesFromElsewhere(t *testing.T) {
	s := newSite(t)
	mine := s.browserFrom("127.0.0.2")
	resp, _ := s.signInWith(mine, "officer@example.org", testPassword)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", resp.StatusCode)
	}
	var device string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "redress_device_") {
			device = h
		}
	}
	for _, want := range []string{"Path=/sign-in", "HttpOnly", "SameSite=Lax", "Max-Age=7776000"} {
		if !strings.Contains(device, want) {
			t.Errorf("device cookie %q lacks %s", device, want)
		}
	}
	if strings.Contains(device, "Expires=") || strings.Contains(device, "officer") {
		t.Errorf("device cookie %q has an Expires or shows the account", device)
	}
	if resp, _ := s.post(mine, "/sign-out", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}

	// Guesses from ten addresses, the first of them the user's own (an
	// office behind one address), 5 from each.
	for i := range 10 {
		ip := fmt.Sprintf("127.0.1.%d", i+1)
		if i == 0 {
			ip = "127.0.0.2"
		}
		attacker := s.browserFrom(ip)
		for j := range 5 {
			if resp, _ := s.signInWith(attacker, "officer@example.org", fmt.Sprintf("guess %d-%d", i, j)); resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("guess %d from %s: %d, want 401 or 429", j, ip, resp.StatusCode)
			}
		}
	}
	// The account is now locked to browsers that have not signed in to it.
	resp, body := s.signInWith(s.browserFrom("127.0.0.9"), "officer@example.org", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "browsers it has not been used with") {
		t.Errorf("a new browser after guesses from 10 addresses: %d, want 429 saying why", resp.StatusCode)
	}
	// A forged device cookie is no way round that.
	u, err := url.Parse(s.srv.URL + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	forger := s.browserFrom("127.0.0.9")
	for _, c := range mine.Jar.Cookies(u) {
		if strings.HasPrefix(c.Name, "redress_device_") {
			parts := strings.Split(c.Value, ".")
			b := make([]byte, 16)
			rand.Read(b)
			parts[0] = base64.RawURLEncoding.EncodeToString(b)
			forger.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: strings.Join(parts, "."), Path: "/sign-in"}})
		}
	}
	if resp, _ := s.signInWith(forger, "officer@example.org", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie: %d, want 429", resp.StatusCode)
	}
	// The user's own browser signs in, from the address the guesses
	// also came from.
	if resp, body := s.signInWith(mine, "officer@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the user's browser: %d, want 303\n%.400s", resp.StatusCode, body)
	}
}

// Issue 13, item 3: an administrator sees a locked account on the users
// page and clears it, and the clearing is logged with who did it.
func TestAnAdministratorSeesAndClearsALockedAccount(t *testing.T) {
	s := newSite(t)
	s.lockAccount("officer@example.org")
	officer := s.users["officer"]
	if resp, _ := s.signInWith(s.browser(), "officer@example.org", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a locked account: %d, want 429", resp.StatusCode)
	}
	admin := s.signIn("admin")
	_, body := s.get(admin, "/users")
	clear := fmt.Sprintf(`action="/users/%d/sign-in-failures/clear"`, officer.ID)
	for _, want := range []string{"Failed sign-ins", "officer@example.org", "Locked</strong> for browsers not used before", clear} {
		if !strings.Contains(body, want) {
			t.Errorf("the users page lacks %q", want)
		}
	}
	if resp, _ := s.post(admin, "/users/9999/sign-in-failures/clear", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("clearing no such user: %d, want 404", resp.StatusCode)
	}
	resp, _ := s.post(admin, fmt.Sprintf("/users/%d/sign-in-failures/clear", officer.ID), nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/users?cleared=%d", officer.ID) {
		t.Fatalf("clear: %d to %q", resp.StatusCode, loc)
	}
	_, body = s.get(admin, fmt.Sprintf("/users?cleared=%d", officer.ID))
	if !strings.Contains(body, "The failed sign-ins of officer@example.org are cleared") || strings.Contains(body, clear) {
		t.Errorf("after clearing, the users page does not say so or still lists the account")
	}
	if resp, _ := s.signInWith(s.browser(), "officer@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after clearing: %d, want 303", resp.StatusCode)
	}
	log := s.log.String()
	if want := fmt.Sprintf(`msg="failed sign-ins cleared" cleared_user_id=%d attempts=50 user_id=%d`, officer.ID, s.users["admin"].ID); !strings.Contains(log, want) {
		t.Errorf("the log lacks %q:\n%s", want, log)
	}
	if strings.Contains(log, "officer@example.org") {
		t.Error("the log holds an email address")
	}
}

// Issue 13, item 4: after signing in, next is followed only to a page on
// this site. Each of these left the site in a browser, or led to a 404.
func TestSignInNeverRedirectsOffTheSiteOrToAFormsAddress(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	for next, want := range map[string]string{
		`/\evil.example`:           "/",
		`/\/evil.example`:          "/",
		`//evil.example/`:          "/",
		`\\evil.example`:           "/",
		"/\t/evil.example":         "/",
		"https://evil.example/":    "/",
		"javascript:alert(1)":      "/",
		"/%0d%0aSet-Cookie:x=1":    "/",
		"/cases/" + ref + "/notes": "/", // takes only a form
		"/cases?q=damp":            "/cases?q=damp",
		"/cases/" + ref:            "/cases/" + ref,
	} {
		resp, _ := s.post(s.browser(), "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("next=%q: %d to %q, want %q", next, resp.StatusCode, loc, want)
		}
		_, body := s.get(s.browser(), "/sign-in?next="+url.QueryEscape(next))
		if field := fmt.Sprintf(`name="next" value="%s"`, want); !strings.Contains(body, field) {
			t.Errorf("sign-in page for next=%q lacks %s", next, field)
		}
	}
}

// Issue 13, item 4: a session that ends while a form is being filled in
// sends the person, once signed in again, back to the page the form was
// on, not to the form's address (which takes only POST, so was a 404).
func TestASessionEndingDuringAFormReturnsToTheFormsPage(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	c := s.signIn("officer")
	s.advance(31 * time.Minute)
	req, err := http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader("text=typed+while+away"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.srv.URL)
	req.Header.Set("Referer", s.srv.URL+"/cases/"+ref)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, want := resp.Header.Get("Location"), "/sign-in?next="+url.QueryEscape("/cases/"+ref); loc != want {
		t.Fatalf("form sent after the session ended: to %q, want %q", loc, want)
	}
	_, body := s.get(c, resp.Header.Get("Location"))
	if !strings.Contains(body, `name="next" value="/cases/`+ref+`"`) {
		t.Errorf("the sign-in page does not carry the case page on")
	}
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
	if loc := resp.Header.Get("Location"); loc != "/cases/"+ref {
		t.Errorf("signed in again: to %q, want the case page", loc)
	}

	// Without a Referer: the form's own address if it has a page, else
	// the dashboard; and a Referer from another site is ignored.
	for _, tt := range []struct{ path, referer, want string }{
		{"/cases/new", "", "/cases/new"},
		{"/cases/" + ref + "/notes", "", "/"},
		{"/cases/" + ref + "/notes", "http://evil.example/cases/" + ref, "/"},
	} {
		req, err := http.NewRequest("POST", s.srv.URL+tt.path, strings.NewReader("text=x"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tt.referer != "" {
			req.Header.Set("Referer", tt.referer)
		}
		resp, err := s.browser().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc, want := resp.Header.Get("Location"), "/sign-in?next="+url.QueryEscape(tt.want); loc != want {
			t.Errorf("signed-out POST %s (Referer %q): to %q, want %q", tt.path, tt.referer, loc, want)
		}
	}
}

// Issue 13, item 14: a hash made with older parameters than
// auth.HashPassword's is replaced at the next good sign-in, when the
// server holds the password.
func TestSignInUpgradesAPasswordHashWithOldParameters(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(testPassword), salt, 2, 19*1024, 1, 32)
	old := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 19*1024, 2, 1,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	if !auth.NeedsRehash(old) {
		t.Fatal("the old-parameter hash does not need rehashing")
	}
	if err := s.st.SetPassword(ctx, s.users["officer"].ID, old, false); err != nil {
		t.Fatal(err)
	}
	if resp, _ := s.signInWith(s.browser(), "officer@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in with the old hash: %d", resp.StatusCode)
	}
	_, pw, err := s.st.UserPassword(ctx, "officer@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if pw.Hash == old || auth.NeedsRehash(pw.Hash) {
		t.Errorf("the stored hash %q was not upgraded to the current parameters", pw.Hash)
	}
	if ok, err := auth.VerifyPassword(pw.Hash, testPassword); err != nil || !ok {
		t.Errorf("the upgraded hash does not match the password: %v, %v", ok, err)
	}
	if pw.MustChange {
		t.Error("the upgrade asked for a new password")
	}
	if resp, _ := s.signInWith(s.browser(), "officer@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in with the upgraded hash: %d", resp.StatusCode)
	}
}

// The current password asked for on changing it is throttled as sign-in
// is, so a session left open is no way to guess it.
func TestGuessingTheCurrentPasswordOnChangingItIsThrottled(t *testing.T) {
	s := newSite(t)
	c := s.signIn("officer")
	change := func(current string) (*http.Response, string) {
		return s.post(c, "/change-password", url.Values{"current": {current}, "new": {"a long and personal passphrase"}, "confirm": {"a long and personal passphrase"}})
	}
	for i := range 5 {
		if resp, body := change(fmt.Sprintf("guess %d", i)); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter your current password correctly") {
			t.Fatalf("guess %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := change(testPassword)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Too many failed attempts") {
		t.Errorf("the right password after 5 wrong ones: %d, want 400 saying too many attempts", resp.StatusCode)
	}
	if _, pw, err := s.st.UserPassword(context.Background(), "officer@example.org"); err != nil {
		t.Fatal(err)
	} else if ok, _ := auth.VerifyPassword(pw.Hash, testPassword); !ok {
		t.Error("the password was changed while throttled")
	}
}
