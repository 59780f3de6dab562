package webui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/webui"
)

// typedWhileAway is a note as an officer might type it: lines, symbols
// and characters a form must carry exactly.
const typedWhileAway = "Rang Ms Resident at 14:05.\r\nShe says the damp is back & the £40 voucher hasn't come.\r\n\"Call back Friday\" – agreed."

// sendForm posts form to path from the browser c as a browser would from
// the page referer (a path on the site, or "" for none).
func (s *site) sendForm(c *http.Client, path, referer string, form url.Values) *http.Response {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.srv.URL)
	if referer != "" {
		req.Header.Set("Referer", s.srv.URL+referer)
	}
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// notes returns the text of every note recorded on the case, in order.
func (s *site) notes(ref string) []string {
	s.t.Helper()
	events, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		if e.Kind != complaint.EventNoteAdded {
			continue
		}
		b, err := json.Marshal(e.Data)
		if err != nil {
			s.t.Fatal(err)
		}
		var n complaint.Note
		if err := json.Unmarshal(b, &n); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, n.Text)
	}
	return out
}

// cookieNamed returns the cookie named name that resp sets, or nil.
func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// The done-when test of issue 16, item 5: the session ends between typing
// a note and sending it; the officer signs in again and finds the note
// recorded exactly once, every character of it, on the case page they
// were on.
func TestANoteSentAfterTheSessionEndedIsRecordedOnceOnSigningInAgain(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	c := s.signIn("officer")
	version := s.caseVersion(ref)
	if resp, _ := s.get(c, "/cases/"+ref); resp.StatusCode != http.StatusOK {
		t.Fatalf("the case page: %d", resp.StatusCode)
	}
	s.advance(31 * time.Minute) // typing, slowly

	resp := s.sendForm(c, "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {typedWhileAway}, "version": {version}})
	if loc, want := resp.Header.Get("Location"), "/sign-in?next="+url.QueryEscape("/cases/"+ref); resp.StatusCode != http.StatusSeeOther || loc != want {
		t.Fatalf("the note sent after the session ended: %d to %q, want 303 to %q", resp.StatusCode, loc, want)
	}
	kept := cookieNamed(resp, "redress_pending")
	if kept == nil || kept.Value == "" {
		t.Fatalf("no cookie names the kept form; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
	}
	if !kept.HttpOnly || kept.SameSite != http.SameSiteLaxMode || kept.Path != "/" || kept.MaxAge != int(2*time.Hour/time.Second) {
		t.Errorf("the kept form's cookie is %+v; want HttpOnly, SameSite=Lax, Path=/ and Max-Age of 2 hours", kept)
	}
	if got := s.notes(ref); len(got) != 0 {
		t.Fatalf("a note was recorded without a session: %q", got)
	}
	_, page := s.get(c, resp.Header.Get("Location"))
	if !strings.Contains(page, `id="kept"`) || !strings.Contains(page, "It has been kept for 2 hours: sign in and it will be sent.") {
		t.Errorf("the sign-in page does not say the note was kept:\n%s", page)
	}

	s.advance(5 * time.Minute) // finding the password
	resp, body := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/cases/"+ref {
		t.Fatalf("signed in again: %d to %q, want 303 to the case page\n%.500s", resp.StatusCode, loc, body)
	}
	if gone := cookieNamed(resp, "redress_pending"); gone == nil || gone.MaxAge >= 0 {
		t.Errorf("signing in did not clear the kept form's cookie: %+v", gone)
	}
	if got := s.notes(ref); len(got) != 1 || got[0] != typedWhileAway {
		t.Fatalf("notes recorded: %q\nwant exactly one: %q", got, typedWhileAway)
	}
	if resp, page := s.get(c, "/cases/"+ref); resp.StatusCode != http.StatusOK || !strings.Contains(page, "the damp is back &amp; the £40 voucher") {
		t.Errorf("the case page (%d) does not show the note", resp.StatusCode)
	}

	// Signing in again, or sending the cookie's form again, sends nothing
	// twice.
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in once more: %d", resp.StatusCode)
	}
	replayed := s.browser()
	replayed.Jar.SetCookies(resp.Request.URL, []*http.Cookie{{Name: "redress_pending", Value: kept.Value}})
	s.post(replayed, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/"}})
	if got := s.notes(ref); len(got) != 1 {
		t.Errorf("after signing in again, and with the old cookie: %d notes, want 1", len(got))
	}
}

// caseVersion is the version the case page's forms would carry.
func (s *site) caseVersion(ref string) string {
	s.t.Helper()
	c, err := s.st.GetCase(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	return fmt.Sprint(c.Version)
}

// A kept note that meets a case changed since its page was shown gets the
// case page's usual conflict, with the typed text still in the form: the
// version check is not skipped because the form came back by sign-in.
func TestAKeptFormThatMeetsAChangedCaseShowsTheConflictWithTheTextKept(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	c := s.signIn("officer")
	version := s.caseVersion(ref)
	s.advance(31 * time.Minute)
	s.sendForm(c, "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {typedWhileAway}, "version": {version}})

	// Meanwhile a colleague adds a note of their own.
	other := s.signIn("reviewer")
	if resp := s.sendForm(other, "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {"Colleague's note"}, "version": {version}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the colleague's note: %d", resp.StatusCode)
	}

	resp, body := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("the kept note on a changed case: %d, want 409\n%.500s", resp.StatusCode, body)
	}
	if !strings.Contains(body, "the damp is back &amp; the £40 voucher") {
		t.Errorf("the conflict page lost the typed note")
	}
	if !strings.Contains(body, "Signed in as A officer") {
		t.Errorf("the conflict page is not shown signed in")
	}
	if got := s.notes(ref); len(got) != 1 || got[0] != "Colleague's note" {
		t.Errorf("notes: %q, want only the colleague's", got)
	}
}

// A form from a browser whose session is not known (none, or one already
// removed) could have been planted by anyone, so it is never sent on
// signing in: it is shown, and sent only if the person signing in says
// so, as them; or discarded.
func TestAFormWhoseSenderIsNotKnownIsShownBeforeItIsSent(t *testing.T) {
	for _, choice := range []string{"send", "discard"} {
		t.Run(choice, func(t *testing.T) {
			s := newSite(t)
			ref := s.newCase("officer", "Damp in the bathroom", false)
			// A browser whose session is gone altogether (removed when
			// another tab found it ended): who sent the form cannot be
			// known.
			c := s.browser()
			base, _ := url.Parse(s.srv.URL)
			c.Jar.SetCookies(base, []*http.Cookie{{Name: "redress_session", Value: "a-session-that-no-longer-exists", Path: "/"}})
			resp := s.sendForm(c, "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {typedWhileAway}, "version": {s.caseVersion(ref)}})
			if cookieNamed(resp, "redress_pending") == nil {
				t.Fatalf("the form was not kept: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			_, page := s.get(c, "/sign-in?next="+url.QueryEscape("/cases/"+ref))
			if !strings.Contains(page, "shown to you to check and send") {
				t.Errorf("the sign-in page does not say the form will be shown first")
			}
			resp, _ = s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
			if loc := resp.Header.Get("Location"); loc != "/session/resume" {
				t.Fatalf("signed in: to %q, want the page that shows the kept form", loc)
			}
			if got := s.notes(ref); len(got) != 0 {
				t.Fatalf("the form was sent before it was shown: %q", got)
			}
			resp, page = s.get(c, "/session/resume")
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "the damp is back &amp; the £40 voucher") || !strings.Contains(page, "/cases/"+ref+"/notes") {
				t.Fatalf("the kept form's page (%d) does not show it:\n%s", resp.StatusCode, page)
			}
			resp, _ = s.post(c, "/session/resume", url.Values{"action": {choice}})
			want, notes := "/", 0
			if choice == "send" {
				want, notes = "/cases/"+ref+"?done=notes", 1
			}
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, strings.SplitN(want, "?", 2)[0]) {
				t.Errorf("%s: %d to %q, want 303 to %q", choice, resp.StatusCode, loc, want)
			}
			if got := s.notes(ref); len(got) != notes || (notes == 1 && got[0] != typedWhileAway) {
				t.Errorf("%s: notes %q, want %d of %q", choice, got, notes, typedWhileAway)
			}
			if resp, _ := s.post(c, "/session/resume", url.Values{"action": {"send"}}); resp.StatusCode != http.StatusNotFound {
				t.Errorf("sending it again: %d, want 404", resp.StatusCode)
			}
			if len(s.notes(ref)) != notes {
				t.Errorf("sending it again recorded it again")
			}
		})
	}
}

// A form one user's session sent is never sent, or shown, as another
// user who signs in on the same browser.
func TestAFormKeptForOneUserIsNotSentAsAnother(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	c := s.signIn("officer")
	s.advance(31 * time.Minute)
	s.sendForm(c, "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {typedWhileAway}, "version": {s.caseVersion(ref)}})
	resp, _ := s.post(c, "/sign-in", url.Values{"email": {"manager@example.org"}, "password": {testPassword}, "next": {"/cases/" + ref}})
	if loc := resp.Header.Get("Location"); loc != "/cases/"+ref {
		t.Errorf("another user signed in: to %q, want the case page", loc)
	}
	if resp, _ := s.get(c, "/session/resume"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another user asked for the kept form's page: %d, want a redirect away", resp.StatusCode)
	}
	if resp, _ := s.post(c, "/session/resume", url.Values{"action": {"send"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another user sent the kept form: %d, want 403", resp.StatusCode)
	}
	if got := s.notes(ref); len(got) != 0 {
		t.Errorf("the officer's note was recorded as another user: %q", got)
	}
}

// Files are kept only while small; the sign-in page says when they were
// not, so the officer knows to attach them again.
func TestALargeUploadSentAfterTheSessionEndedIsNotKeptAndTheSignInPageSaysSo(t *testing.T) {
	s := newSite(t)
	c := s.signIn("admin")
	s.advance(31 * time.Minute)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("logo", "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(bytes.Repeat([]byte("x"), 300<<10))
	mw.Close()
	req, err := http.NewRequest("POST", s.srv.URL+"/letters/letterhead", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.srv.URL)
	req.Header.Set("Referer", s.srv.URL+"/letters/letterhead")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/sign-in?") || !strings.Contains(loc, "kept=no") {
		t.Fatalf("a large upload after the session ended: to %q, want sign-in saying it was not kept", loc)
	}
	if cookieNamed(resp, "redress_pending") != nil {
		t.Errorf("a large upload was kept")
	}
	_, page := s.get(c, resp.Header.Get("Location"))
	if !strings.Contains(page, "it could not be kept: files are kept only up to 256 KB") {
		t.Errorf("the sign-in page does not say the upload was not kept")
	}
}

// Issue 16, item 5, part 1: whatever form a signed-out browser sends,
// sign-in returns it to a page that answers GET, never to a form's own
// address (a 404 after the redirect): the page it came from when the
// Referer names one on this site, else the form's own page if it has
// one, else the dashboard.
func TestNextAfterASignedOutFormIsAlwaysAPage(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	for _, tt := range []struct{ path, referer, want string }{
		{"/cases/" + ref + "/notes", "/cases/" + ref, "/cases/" + ref},
		{"/cases/" + ref + "/remedies/1/done", "/cases/" + ref, "/cases/" + ref},
		{"/cases/" + ref + "/letters/preview", "/cases/" + ref + "/letters/new?kind=acknowledgement", "/cases/" + ref + "/letters/new?kind=acknowledgement"},
		// Matched by "GET /cases/{ref}/letters/{file}", but not its page.
		{"/cases/" + ref + "/letters/preview", "", "/"},
		{"/cases/" + ref + "/letters/preview.pdf", "", "/"},
		// A Referer of the sign-in page itself (a stale sign-in tab).
		{"/cases/new", "/sign-in?next=%2F", "/cases/new"},
		{"/cases/new", "/cases/new", "/cases/new"},
		{"/cases/new", "", "/cases/new"},
		{"/reports/review/section/1", "", "/reports/review/section/1"},
		{"/users/1/sign-in-failures/clear", "/users", "/users"},
		{"/inbound/1/resolve", "/inbound", "/inbound"},
		{"/letters/templates/acknowledgement", "/letters/templates/acknowledgement", "/letters/templates/acknowledgement"},
		{"/sign-out", "/cases", "/cases"},
		// A Referer that is no page, or another site's, is not followed.
		{"/cases/" + ref + "/notes", "/cases/" + ref + "/notes", "/"},
		{"/reports/tp09", "/nowhere", "/"},
	} {
		resp := s.sendForm(s.browser(), tt.path, tt.referer, url.Values{"x": {"1"}})
		if loc, want := resp.Header.Get("Location"), "/sign-in?next="+url.QueryEscape(tt.want); loc != want {
			t.Errorf("signed-out POST %s from %q: to %q, want %q", tt.path, tt.referer, loc, want)
		}
	}

	// And for every form the server mounts, with no Referer at all, next
	// is a page: signed in, it is not a 404.
	admin := s.signIn("admin")
	for _, rt := range webui.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if method != "POST" || rt.Access == webui.Public {
			continue
		}
		path = strings.NewReplacer("{ref}", ref, "{id}", "1", "{kind}", "acknowledgement", "{n}", "1", "{command}", "notes", "{file}", "1.pdf").Replace(path)
		resp := s.sendForm(s.browser(), path, "", url.Values{"x": {"1"}})
		u, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || u.Path != "/sign-in" {
			t.Errorf("signed-out POST %s: to %q, want sign-in", path, resp.Header.Get("Location"))
			continue
		}
		// A page may be a 404 for a thing the test did not make (remedy
		// 1), but never the catch-all's "no page at" this address.
		next := u.Query().Get("next")
		if r, body := s.get(admin, next); r.StatusCode == http.StatusMethodNotAllowed || strings.Contains(body, "There is no page at") {
			t.Errorf("signed-out POST %s: next %q is no page (%d)", path, next, r.StatusCode)
		}
	}
}

// The warning before the idle timeout (static/session.js) is loaded on
// signed-in pages, which carry the timeout for it; "Stay signed in"
// touches the session to the moment, so it lasts a whole idle timeout
// from the click even when the last page was seconds before.
func TestStayingSignedInKeepsTheSessionForAWholeIdleTimeoutMore(t *testing.T) {
	s := newSite(t)
	c := s.signIn("officer")
	_, page := s.get(c, "/")
	if !strings.Contains(page, `data-idle-timeout="1800"`) || !strings.Contains(page, `session.js"`) {
		t.Errorf("a signed-in page lacks the idle timeout or the warning's script")
	}
	if _, page := s.get(s.browser(), "/sign-in"); strings.Contains(page, "session.js") || strings.Contains(page, "data-idle-timeout") {
		t.Errorf("the sign-in page loads the warning")
	}

	s.advance(29 * time.Minute)
	s.get(c, "/cases") // recorded: a minute or more since the last use
	s.advance(30 * time.Second)
	resp, _ := s.post(c, "/session/refresh", nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("stay signed in: %d, want 204", resp.StatusCode)
	}
	// 30 minutes and 15 seconds after the last page, 29:45 after the click.
	s.advance(29*time.Minute + 45*time.Second)
	if resp, _ := s.get(c, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("a whole idle timeout after the last page, but not after staying signed in: %d, want 200", resp.StatusCode)
	}

	// Too late: the session has ended, and the script is told so.
	s.advance(31 * time.Minute)
	resp, _ = s.post(c, "/session/refresh", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
		t.Errorf("stay signed in after the session ended: %d to %q, want 303 to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cookieNamed(resp, "redress_pending") != nil {
		t.Errorf("staying signed in after the session ended was kept, to be sent on signing in")
	}
}

// Forms about the session itself are not kept: signing out again just
// after signing in, or storing a password, would be worse than losing
// them.
func TestFormsAboutTheSessionAreNotKept(t *testing.T) {
	s := newSite(t)
	c := s.signIn("officer")
	s.advance(31 * time.Minute)
	for _, path := range []string{"/sign-out", "/sign-out-everywhere", "/change-password", "/session/refresh", "/session/resume"} {
		resp := s.sendForm(c, path, "/", url.Values{"current": {testPassword}, "new": {"a new password here"}})
		if resp.StatusCode != http.StatusSeeOther || cookieNamed(resp, "redress_pending") != nil {
			t.Errorf("POST %s after the session ended: %d, kept %v; want a redirect, nothing kept", path, resp.StatusCode, cookieNamed(resp, "redress_pending") != nil)
		}
	}
}

// Single sign-on finishes a sign-in as a password does: the note kept
// from the manager's ended session is recorded once they are back.
func TestANoteKeptFromAnEndedSessionIsRecordedOnSigningInBySingleSignOn(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	c := s.client()
	if resp, _ := s.fetch(c, s.toProvider(c, "/").String()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", resp.StatusCode)
	}
	pol, cal := policytest.Code(t)
	recv := s.now.Add(-time.Hour)
	cs, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "Damp"},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "manager@example.org", Role: "manager"}, Policy: pol, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := cs.Reference
	s.advance(31 * time.Minute)
	form := url.Values{"text": {typedWhileAway}, "version": {fmt.Sprint(cs.Version)}}
	req, err := http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", s.srv.URL+"/cases/"+ref)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cookieNamed(resp, "redress_pending") == nil {
		t.Fatalf("the note was not kept: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := s.fetch(c, s.toProvider(c, "/cases/"+ref).String())
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/cases/"+ref {
		t.Fatalf("signed in again by single sign-on: %d to %q\n%.500s", resp.StatusCode, loc, body)
	}
	events, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, e := range events {
		if e.Kind == complaint.EventNoteAdded {
			b, _ := json.Marshal(e.Data)
			var n complaint.Note
			json.Unmarshal(b, &n)
			notes = append(notes, n.Text)
		}
	}
	if len(notes) != 1 || notes[0] != typedWhileAway {
		t.Errorf("notes %q, want exactly one: %q", notes, typedWhileAway)
	}
}

// A browser that never had a session is a stranger's: its forms are not
// kept, so nobody signed out can make the server store forms at will.
func TestAFormFromABrowserThatNeverHadASessionIsNotKept(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Damp in the bathroom", false)
	resp := s.sendForm(s.browser(), "/cases/"+ref+"/notes", "/cases/"+ref, url.Values{"text": {typedWhileAway}, "version": {s.caseVersion(ref)}})
	if cookieNamed(resp, "redress_pending") != nil {
		t.Errorf("a stranger's form was kept")
	}
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/sign-in") {
		t.Errorf("a stranger's form: to %q, want sign-in", loc)
	}
}
