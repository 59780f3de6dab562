package webui_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// awaabList returns the references in the dashboard's Awaab's Law list,
// in its order.
func awaabList(t *testing.T, dash string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(dash, `id="awaab"`)
	if !ok {
		t.Fatalf("the dashboard has no Awaab's Law list:\n%s", pageText(dash))
	}
	list, _, _ := strings.Cut(rest, "</table>")
	var refs []string
	for _, part := range strings.Split(list, `href="/cases/`)[1:] {
		ref, _, _ := strings.Cut(part, "#awaab")
		refs = append(refs, ref)
	}
	return refs
}

// A hazard in a complaint is classified, its steps recorded, on the case
// page by anyone who may act; the page shows the class, when the
// landlord became aware, whether the law applies and each clock with its
// due time and time left; the dashboard lists every case with a clock
// not yet met, emergencies first and a missed clock first, to every role
// that may see the case (issue 14).
func TestAwaabsLawOnTheCasePageAndTheDashboard(t *testing.T) {
	s := newSite(t)
	mould := s.newCaseWith("officer", "Black mould in my son's bedroom", false, "low_cost_rental")
	gas := s.newCaseWith("officer", "Smell of gas", false, "low_cost_rental")
	sparks := s.newCaseWith("officer", "Sparks from a socket", false, "")
	owner := s.newCaseWith("officer", "Leak through the ceiling", false, "low_cost_home_ownership")
	secret := s.newCaseWith("officer", "Officer ignored the gas leak", true, "low_cost_rental")
	plain := s.newCaseWith("officer", "Rude call handler", false, "low_cost_rental")
	officer := s.signIn("officer")
	post := func(ref, form string, v url.Values, want int) string {
		t.Helper()
		resp, page := s.post(officer, "/cases/"+ref+"/"+form, v)
		if resp.StatusCode != want {
			t.Fatalf("POST %s on %s: %d, want %d\n%s", form, ref, resp.StatusCode, want, pageText(page))
		}
		return page
	}

	_, page := s.get(officer, "/cases/"+mould)
	text := pageText(page)
	if !strings.Contains(text, "This may describe a hazard: triage it under Awaab's Law") || !strings.Contains(text, "The case mentions: mould") ||
		!strings.Contains(text, "No hazard has been classified on this case") || !strings.Contains(page, `action="/cases/`+mould+`/hazard"`) {
		t.Fatalf("an unclassified mould case: want the triage prompt and the form\n%s", text)
	}
	if !strings.Contains(page, `value="2026-11-23 09:00"`) {
		t.Errorf("the time of awareness does not default to the receipt (23 November 2026 09:00)")
	}
	_, page = s.get(officer, "/cases/"+plain)
	if strings.Contains(pageText(page), "This may describe a hazard") {
		t.Errorf("a case with no hazard words prompts triage")
	}
	_, page = s.get(s.signIn("viewer"), "/cases/"+mould)
	if strings.Contains(page, "/hazard\"") || strings.Contains(page, "/hazard-step\"") {
		t.Errorf("a viewer is offered an Awaab's Law form")
	}

	// Field errors are named like the page's other forms.
	page = post(mould, "hazard", url.Values{"version": {"1"}, "aware_at": {"2026-11-23 09:00"}}, http.StatusBadRequest)
	if !strings.Contains(page, `href="#hazard-class"`) || !strings.Contains(page, `id="hazard-class"`) {
		t.Errorf("a classification with no class: want the error linked to the class\n%s", pageText(page))
	}
	page = post(mould, "hazard", url.Values{"version": {"1"}, "class": {"significant"}, "aware_at": {"last Tuesday"}}, http.StatusBadRequest)
	if !strings.Contains(page, `href="#hazard-aware-at"`) || !strings.Contains(page, `value="last Tuesday"`) {
		t.Errorf("a bad time of awareness: want the error linked to the field, with what was typed\n%s", pageText(page))
	}
	post(mould, "hazard", url.Values{"version": {"1"}, "class": {"significant"}, "aware_at": {"2026-11-23 09:00"}, "description": {"Black mould on the outside wall"}}, http.StatusSeeOther)
	page = post(mould, "hazard-step", url.Values{"version": {"2"}, "step": {"investigated"}}, http.StatusBadRequest)
	if !strings.Contains(page, `href="#hazard-step-findings"`) {
		t.Errorf("an investigation with no findings: want the error linked to the findings\n%s", pageText(page))
	}
	page = post(mould, "accommodation", url.Values{"version": {"2"}, "status": {"accepted"}}, http.StatusConflict)
	if !strings.Contains(page, `href="#accommodation"`) {
		t.Errorf("accommodation accepted before an offer: want the rule, linked to the form\n%s", pageText(page))
	}

	// The emergency was first mentioned the day before it was logged.
	s.advance(time.Minute)
	post(gas, "hazard", url.Values{"version": {"1"}, "class": {"emergency"}, "aware_at": {"2026-11-22 04:00"}, "reason": {"Mentioned on an earlier call"}}, http.StatusSeeOther)
	post(sparks, "hazard", url.Values{"version": {"1"}, "class": {"emergency"}, "aware_at": {"2026-11-23 09:30"}}, http.StatusSeeOther)
	post(owner, "hazard", url.Values{"version": {"1"}, "class": {"emergency"}, "aware_at": {"2026-11-23 09:00"}}, http.StatusSeeOther)
	post(secret, "hazard", url.Values{"version": {"1"}, "class": {"emergency"}, "aware_at": {"2026-11-23 09:15"}}, http.StatusSeeOther)
	s.advance(2*time.Hour + 29*time.Minute) // 12:30
	officer = s.signIn("officer")           // a session idle that long has ended

	_, page = s.get(officer, "/cases/"+sparks)
	text = pageText(page)
	for _, want := range []string{"Emergency hazard", "Landlord aware since 23 November 2026 at 9:30am", "Does the law apply? Yes",
		"not recorded: the case is treated as a social rented tenancy", "Make safe within 24 hours", "by 24 November 2026 at 9:30am",
		"21 hours left", "Not yet", "Reclassify the hazard", "Record a step", "Alternative accommodation"} {
		if !strings.Contains(text, want) {
			t.Errorf("the emergency's section lacks %q\n%s", want, text)
		}
	}
	_, page = s.get(officer, "/cases/"+gas)
	if text = pageText(page); !strings.Contains(text, "Missed") || !strings.Contains(text, "Class: Emergency hazard") ||
		!strings.Contains(text, "Landlord aware since 22 November 2026 at 4:00am") || !strings.Contains(text, "Reason: Mentioned on an earlier call") {
		t.Errorf("the emergency aware since the day before: want the missed clocks and the timeline\n%s", text)
	}
	_, page = s.get(officer, "/cases/"+owner)
	if text = pageText(page); !strings.Contains(text, "No: Awaab's Law applies to social rented tenancies, and the resident is a shared owner") ||
		!strings.Contains(text, "other duties on hazards still apply") {
		t.Errorf("a shared owner's hazard: want it said plainly that the law does not apply\n%s", text)
	}
	_, page = s.get(officer, "/cases/"+mould)
	if text = pageText(page); !strings.Contains(text, "Investigate within 10 working days") || !strings.Contains(text, "by the end of 7 December 2026") ||
		!strings.Contains(text, "10 working days left") || strings.Contains(text, "This may describe a hazard") {
		t.Errorf("the significant hazard's section: want its clock in working days and no prompt\n%s", text)
	}

	seesSecret := map[string]bool{"admin": true, "manager": true, "officer": true}
	for _, role := range []string{"admin", "manager", "officer", "reviewer", "viewer"} {
		_, dash := s.get(s.signIn(role), "/")
		want := []string{gas, secret, sparks, mould}
		if !seesSecret[role] {
			want = []string{gas, sparks, mould}
		}
		if got := awaabList(t, dash); !slices.Equal(got, want) {
			t.Errorf("the %s's Awaab's Law list = %v, want %v\n%s", role, got, want, pageText(dash))
		}
		if role == "officer" && (!strings.Contains(pageText(dash), "Missed") || !strings.Contains(pageText(dash), "21 hours left")) {
			t.Errorf("the dashboard does not show a missed clock and the time left\n%s", pageText(dash))
		}
	}

	// Steps recorded on the form meet the clocks and leave the list.
	post(sparks, "hazard-step", url.Values{"version": {"2"}, "step": {"investigated"}, "findings": {"Scorched socket"}}, http.StatusSeeOther)
	post(sparks, "hazard-step", url.Values{"version": {"3"}, "step": {"made_safe"}, "note": {"Circuit isolated"}}, http.StatusSeeOther)
	post(sparks, "accommodation", url.Values{"version": {"4"}, "status": {"offered"}, "note": {"Not needed: made safe"}}, http.StatusSeeOther)
	_, page = s.get(officer, "/cases/"+sparks)
	if text = pageText(page); !strings.Contains(text, "23 November 2026 at 12:30pm On time") || !strings.Contains(text, "Findings Scorched socket") ||
		!strings.Contains(text, "Step: Investigated, with the findings") || !strings.Contains(text, "Alternative accommodation: offered") {
		t.Errorf("after the steps: want the clocks met on time and the timeline\n%s", text)
	}
	_, dash := s.get(officer, "/")
	if got := awaabList(t, dash); slices.Contains(got, sparks) {
		t.Errorf("made safe, %s is still on the list: %v", sparks, got)
	}
}
