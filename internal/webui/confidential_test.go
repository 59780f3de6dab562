package webui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
)

// addUser adds a user who signs in as name@example.org.
func (s *site) addUser(name, role string) string {
	s.t.Helper()
	u, err := s.st.CreateUser(context.Background(), store.User{Email: name + "@example.org", Name: name, Role: role})
	if err != nil {
		s.t.Fatal(err)
	}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.st.SetPassword(context.Background(), u.ID, hash, false); err != nil {
		s.t.Fatal(err)
	}
	return u.Email
}

// Issue 12, rule 10, greatwell-homes (002), through the staff pages: a
// confidential complaint is logged naming its line manager (it cannot be
// logged without one); its page says who may see it; a manager it does
// not name gets 404 for it and finds it in no list, search, export or
// dashboard count, while the named line manager sees it; the line
// manager is changed on the details form, and the new one sees it.
func TestConfidentialComplaintIsSeenOnlyByThePeopleItNamesThroughThePages(t *testing.T) {
	s := newSite(t)
	// The greatwell-homes setting, on the policy the server uses.
	s.p.Confidential.NamedViewersOnly = true
	s.addUser("lena", "manager")
	s.addUser("max", "officer")
	s.newCase("officer", "Ordinary repairs complaint", false)

	officer := s.signIn("officer")
	form := url.Values{
		"kind": {"complaint"}, "channel": {"phone"}, "received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"},
		"received.time": {"09:00"}, "complainant.name": {"Bo Resident"}, "complainant.phone": {"0191 496 0001"},
		"summary": {"About the conduct of a housing officer"}, "confidential": {"yes"}, "confirm_duplicate": {"yes"},
	}
	resp, body := s.post(officer, "/cases/new", form)
	if resp.StatusCode != 400 || !strings.Contains(body, "Line manager is required for a confidential case") || !strings.Contains(body, `href="#line-manager"`) {
		t.Fatalf("logging a confidential complaint with no line manager: %d, want 400 naming the line manager\n%.3000s", resp.StatusCode, body)
	}
	form.Set("line_manager", "Lena@Example.org")
	resp, body = s.post(officer, "/cases/new", form)
	if resp.StatusCode != 303 {
		t.Fatalf("logging it with a line manager: %d\n%.3000s", resp.StatusCode, body)
	}
	secret := strings.TrimPrefix(strings.Split(resp.Header.Get("Location"), "?")[0], "/cases/")

	_, page := s.get(officer, "/cases/"+secret)
	for _, want := range []string{"Who may see this case:", "its handler: none yet", "who logged it: officer@example.org", "the line manager: Lena@Example.org", "admins, for administration"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page does not say %q", want)
		}
	}
	if strings.Contains(page, "<li>managers</li>") {
		t.Error("the case page says every manager may see it")
	}

	sees := func(who string) bool {
		t.Helper()
		c := s.signIn(who)
		resp, _ := s.get(c, "/cases/"+secret)
		seen := resp.StatusCode == 200
		if !seen && resp.StatusCode != 404 {
			t.Errorf("%s GET the case: %d, want 200 or 404, never 403", who, resp.StatusCode)
		}
		for _, path := range []string{"/cases", "/cases?q=conduct", "/cases.csv", "/", "/cases/" + secret + "/evidence.zip"} {
			resp, body := s.get(c, path)
			got := strings.Contains(body, secret)
			if strings.HasSuffix(path, ".zip") { // a 404 names the reference it was asked for
				got = resp.StatusCode == 200
			}
			if got != seen {
				t.Errorf("%s %s: shows the case %v, but GET the case was %d", who, path, got, resp.StatusCode)
			}
		}
		// The dashboard counts both complaints, stage 1, received, only
		// for those who may see both.
		_, dash := s.get(c, "/")
		n := map[bool]string{true: "2", false: "1"}[seen]
		if !strings.Contains(dash, `govuk-table__cell--numeric"><a class="govuk-link" href="/cases?kind=complaint&amp;stage=1&amp;status=received">`+n+`<span`) {
			t.Errorf("%s: the dashboard does not count %s cases", who, n)
		}
		return seen
	}
	for who, want := range map[string]bool{"officer": true, "lena": true, "admin": true, "manager": false, "max": false, "reviewer": false} {
		if got := sees(who); got != want {
			t.Errorf("%s sees the confidential case: %v, want %v", who, got, want)
		}
	}

	// The line manager is changed on the details form.
	details := url.Values{"summary": {"About the conduct of a housing officer"}, "complainant.name": {"Bo Resident"},
		"complainant.phone": {"0191 496 0001"}, "line_manager": {"max@example.org"}, "reason": {"Lena has moved team"}}
	resp, body = s.post(officer, "/cases/"+secret+"/details", details)
	if resp.StatusCode != 303 {
		t.Fatalf("changing the line manager: %d\n%.3000s", resp.StatusCode, body)
	}
	_, page = s.get(officer, "/cases/"+secret)
	if !strings.Contains(page, "the line manager: max@example.org") || !strings.Contains(page, "Lena@Example.org changed to max@example.org") {
		t.Errorf("the page does not show the new line manager and the change in the timeline")
	}
	if !sees("max") || sees("lena") {
		t.Error("after the change: the new line manager does not see it, or the old one still does")
	}
}

// Under every other policy every manager sees a confidential case, and the
// page says so.
func TestConfidentialCasePageSaysManagersMaySeeItUnderTheCode(t *testing.T) {
	s := newSite(t)
	secret := s.newCase("officer", "About the conduct of a housing officer", true)
	c := s.signIn("manager")
	resp, page := s.get(c, "/cases/"+secret)
	if resp.StatusCode != 200 || !strings.Contains(page, "<li>managers</li>") || !strings.Contains(page, "the line manager: <strong>none named</strong>") {
		t.Errorf("the manager's view of the case: %d, or it does not say every manager and no line manager may see it", resp.StatusCode)
	}
}
