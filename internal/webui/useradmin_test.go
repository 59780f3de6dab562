package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/store"
)

// TestUsersEndTheirOwnSessions: a user signed in on two browsers sees
// both on /account/sessions, the one in use marked, each named by an
// opaque id that is neither the session's cookie nor its hash; ending
// the other signs that browser out at once and is audited; ending the
// one in use signs this browser out.
func TestUsersEndTheirOwnSessions(t *testing.T) {
	s := newSite(t)
	one, two := s.signIn("officer"), s.signIn("officer")
	resp, body := s.get(one, "/account/sessions")
	if resp.StatusCode != 200 || !strings.Contains(body, "2 sessions") || strings.Count(body, "This browser</strong>") != 1 {
		t.Fatalf("the sessions page: %d\n%s", resp.StatusCode, body)
	}
	ids := regexp.MustCompile(`action="/account/sessions/([0-9a-f]+)/end"`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 {
		t.Fatalf("%d end buttons, want 2", len(ids))
	}
	u, _ := url.Parse(s.srv.URL)
	for _, c := range []*http.Client{one, two} {
		for _, k := range c.Jar.Cookies(u) {
			if k.Name == "redress_session" && strings.Contains(body, k.Value) {
				t.Error("the sessions page shows a session cookie")
			}
		}
	}
	// The other browser's row is the one without "This browser" before
	// its button.
	current := regexp.MustCompile(`This browser</strong></td>\s*<td class="govuk-table__cell"><form method="post" action="/account/sessions/([0-9a-f]+)/end"`).FindStringSubmatch(body)
	if current == nil {
		t.Fatal("no session is marked as this browser's")
	}
	other := ids[0][1]
	if other == current[1] {
		other = ids[1][1]
	}
	if resp, _ := s.post(one, "/account/sessions/"+other+"/end", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/sessions?ended=1" {
		t.Fatalf("ending the other session: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := s.get(two, "/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
		t.Errorf("the ended browser: %d to %q, want sent to sign in", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := s.get(one, "/"); resp.StatusCode != 200 {
		t.Errorf("the browser that ended the other: %d, want still signed in", resp.StatusCode)
	}
	// Another user's session id ends nothing of theirs.
	admin := s.signIn("admin")
	if resp, _ := s.post(admin, "/account/sessions/"+current[1]+"/end", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ending someone else's session: %d", resp.StatusCode)
	}
	if resp, _ := s.get(one, "/"); resp.StatusCode != 200 {
		t.Errorf("another user ended the officer's session: %d", resp.StatusCode)
	}
	audit, err := s.st.UserAudit(context.Background(), s.users["officer"].ID, 10)
	if err != nil || len(audit) != 1 || audit[0].Action != store.UserSessionEnded || audit[0].Actor != "officer@example.org" {
		t.Errorf("the audit: %+v, %v", audit, err)
	}
	if resp, _ := s.post(one, "/account/sessions/"+current[1]+"/end", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sign-in" {
		t.Errorf("ending this browser's session: %d to %q, want signed out", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := s.get(one, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after ending its own session: %d, want sent to sign in", resp.StatusCode)
	}
}

// TestRoleChangesInThePages: an admin changes another user's role and
// it is audited on /users; their own role is not offered and a form sent
// anyway is refused with the reason against the field; a role that is
// not one is a field error; every change to the user is listed on their
// page, and the admin's session count shows on /users.
func TestRoleChangesInThePages(t *testing.T) {
	s := newSite(t)
	admin := s.signIn("admin")
	officer, self := s.users["officer"], s.users["admin"]
	path := func(id int64, what string) string { return fmt.Sprintf("/users/%d/%s", id, what) }

	resp, body := s.post(admin, path(officer.ID, "role"), url.Values{"role": {"manager"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change a role: %d\n%.500s", resp.StatusCode, body)
	}
	if resp, body = s.get(admin, resp.Header.Get("Location")); !strings.Contains(body, "The role is changed.") || !strings.Contains(body, `id="current-role">manager<`) {
		t.Errorf("after the change: %d\n%.2000s", resp.StatusCode, body)
	}
	if _, body := s.get(admin, "/users"); !strings.Contains(body, "Role changed") || !strings.Contains(body, "officer to manager") {
		t.Errorf("/users does not list the change")
	}
	if _, body := s.get(admin, fmt.Sprintf("/users/%d", self.ID)); strings.Contains(body, `action="/users/`+fmt.Sprint(self.ID)+`/role"`) {
		t.Error("an admin is offered a change of their own role")
	}
	resp, body = s.post(admin, path(self.ID, "role"), url.Values{"role": {"viewer"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "You cannot change your own role") || !strings.Contains(body, `href="#role"`) {
		t.Errorf("own role: %d\n%.3000s", resp.StatusCode, body)
	}
	resp, body = s.post(admin, path(officer.ID, "role"), url.Values{"role": {"king"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose a role") {
		t.Errorf("a made-up role: %d", resp.StatusCode)
	}
	resp, body = s.post(admin, path(self.ID, "deactivate"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "You cannot deactivate yourself") {
		t.Errorf("deactivating oneself: %d", resp.StatusCode)
	}
	resp, body = s.post(admin, path(officer.ID, "password-reset"), url.Values{"method": {"email"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "REDRESS_BASE_URL") {
		t.Errorf("a reset link with no base URL: %d", resp.StatusCode)
	}
	resp, body = s.post(admin, path(officer.ID, "password-reset"), url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose how to reset the password") {
		t.Errorf("a reset with no method: %d", resp.StatusCode)
	}
	if st, err := s.st.UserState(context.Background(), officer.ID, s.now); err != nil || st.Role != "manager" {
		t.Errorf("the officer after refused changes: %+v, %v", st, err)
	}
}
