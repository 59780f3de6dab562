package webui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A contact flagged as a health-and-safety risk after it was logged, or
// one already withdrawn, is on the dashboard of every staff role until a
// manager or admin acknowledges it on the case page; the case page shows
// the flag, who acknowledged it and when, an "Acknowledge" form only to
// managers and admins, and the form to set or clear the flag to those
// who may act; the timeline records each step (issue 12, rule 10; 003).
func TestAFlaggedContactWaitsOnEveryDashboardUntilASeniorManagerAcknowledgesIt(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Old leak", false)
	gone := s.newCase("officer", "Boiler noise", false)
	officer, manager := s.signIn("officer"), s.signIn("manager")
	const caption = "Health and safety: waiting for a senior manager"

	_, dash := s.get(officer, "/")
	if !strings.Contains(pageText(dash), caption+" None.") {
		t.Errorf("with nothing flagged the dashboard does not say so:\n%s", pageText(dash))
	}
	_, page := s.get(officer, "/cases/"+ref)
	if !strings.Contains(pageText(page), "Not flagged as a health and safety risk") || !strings.Contains(page, `action="/cases/`+ref+`/safety-flag"`) ||
		strings.Contains(page, `action="/cases/`+ref+`/safety-acknowledge"`) {
		t.Fatalf("an officer's case page before the flag: want the form to flag it and no acknowledgement\n%s", pageText(page))
	}
	_, viewerPage := s.get(s.signIn("viewer"), "/cases/"+ref)
	if strings.Contains(viewerPage, "/safety-flag") || strings.Contains(viewerPage, "/safety-acknowledge") {
		t.Errorf("a viewer is offered a health and safety form")
	}

	post := func(c *http.Client, ref, form string, v url.Values, want int) string {
		t.Helper()
		resp, page := s.post(c, "/cases/"+ref+"/"+form, v)
		if resp.StatusCode != want {
			t.Fatalf("POST %s on %s: %d, want %d\n%s", form, ref, resp.StatusCode, want, pageText(page))
		}
		return page
	}
	s.advance(time.Minute)
	post(officer, ref, "safety-flag", url.Values{"version": {"1"}, "flagged": {"yes"}, "reason": {"Wiring exposed by the leak"}}, http.StatusSeeOther)
	post(officer, gone, "withdraw", url.Values{"version": {"1"}, "reason": {"Moved out"}}, http.StatusSeeOther)
	post(officer, gone, "safety-flag", url.Values{"version": {"2"}, "flagged": {"yes"}}, http.StatusSeeOther)

	for _, role := range []string{"admin", "manager", "officer", "reviewer", "viewer"} {
		_, dash := s.get(s.signIn(role), "/")
		for _, r := range []string{ref, gone} {
			if !strings.Contains(dash, caption) || !strings.Contains(dash, `href="/cases/`+r+`#safety"`) {
				t.Errorf("the %s's dashboard does not list %s under %q:\n%s", role, r, caption, pageText(dash))
			}
		}
	}

	_, page = s.get(officer, "/cases/"+ref)
	text := pageText(page)
	if !strings.Contains(text, "Flagged: waiting for a senior manager") || strings.Contains(page, `action="/cases/`+ref+`/safety-acknowledge"`) ||
		!strings.Contains(text, "Only a manager or admin may clear a flag") || !strings.Contains(text, "Flagged as a health and safety risk") {
		t.Errorf("an officer's case page once flagged: want the state, the timeline, no acknowledgement and no clearing\n%s", text)
	}
	page = post(officer, ref, "safety-acknowledge", url.Values{"version": {"2"}}, http.StatusConflict)
	if !strings.Contains(page, `href="#safety-acknowledge"`) || !strings.Contains(pageText(page), "Only a senior manager") {
		t.Errorf("an officer acknowledging: want the rule, linked to the form\n%s", pageText(page))
	}
	post(officer, ref, "safety-flag", url.Values{"version": {"2"}, "flagged": {"no"}, "reason": {"False alarm"}}, http.StatusConflict)

	_, page = s.get(manager, "/cases/"+ref)
	if !strings.Contains(page, `action="/cases/`+ref+`/safety-acknowledge"`) || !strings.Contains(page, `id="safety-acknowledge"`) {
		t.Fatalf("a manager's case page offers no acknowledgement\n%s", pageText(page))
	}
	s.advance(time.Minute)
	post(manager, ref, "safety-acknowledge", url.Values{"version": {"2"}, "note": {"Electrician booked"}}, http.StatusSeeOther)
	_, page = s.get(officer, "/cases/"+ref)
	text = pageText(page)
	if !strings.Contains(text, "Acknowledged by manager@example.org on 23 November 2026") || !strings.Contains(text, "Acknowledged by a senior manager") ||
		!strings.Contains(text, "Note: Electrician booked") {
		t.Errorf("acknowledged: the case page does not say by whom and when, or the timeline does not show it\n%s", text)
	}
	_, dash = s.get(officer, "/")
	if strings.Contains(dash, `href="/cases/`+ref+`#safety"`) || !strings.Contains(dash, `href="/cases/`+gone+`#safety"`) {
		t.Errorf("after the acknowledgement the dashboard should list %s only:\n%s", gone, pageText(dash))
	}

	// An acknowledged flag may be cleared by an officer, with a reason.
	page = post(officer, ref, "safety-flag", url.Values{"version": {"3"}, "flagged": {"no"}, "reason": {" "}}, http.StatusBadRequest)
	if !strings.Contains(page, `href="#safety-flag-reason"`) || !strings.Contains(page, `id="safety-flag-reason-error"`) {
		t.Errorf("clearing with no reason: want the reason named\n%s", pageText(page))
	}
	post(officer, ref, "safety-flag", url.Values{"version": {"3"}, "flagged": {"no"}, "reason": {"Made safe"}}, http.StatusSeeOther)
	_, page = s.get(officer, "/cases/"+ref)
	if text := pageText(page); !strings.Contains(text, "Not flagged as a health and safety risk. Its last flag was acknowledged by manager@example.org") ||
		!strings.Contains(text, "Health and safety flag cleared") {
		t.Errorf("cleared: \n%s", text)
	}
}
