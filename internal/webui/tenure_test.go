package webui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/policy"
)

// tenureYear logs, in the reporting year 2026/27, a complaint from the
// resident's form with no tenure, one from a leaseholder ("other") and
// one from a low-cost rental tenant, with homes recorded.
func tenureYear(s *site) (none, other, rental string) {
	s.t.Helper()
	s.p.Homes = []policy.Homes{{Year: 2026, LowCostRental: 1000, LowCostHomeOwnership: 500}}
	none = s.story(contact{channel: "web", received: "2026-09-01"})
	other = s.story(contact{tenure: "other", received: "2026-09-02"})
	rental = s.story(contact{tenure: "low_cost_rental", received: "2026-09-03"})
	return none, other, rental
}

// behind returns the page of cases behind CH01(1)'s numerator for a
// tenure ("" for All).
func behind(s *site, c *http.Client, tenure string) string {
	s.t.Helper()
	q := url.Values{"year": {"2026"}, "measure": {"CH01(1)"}, "part": {"numerator"}}
	if tenure != "" {
		q.Set("tenure", tenure)
	}
	resp, page := s.get(c, "/reports/cases?"+q.Encode())
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("cases behind CH01(1), tenure %q: %d\n%s", tenure, resp.StatusCode, pageText(page))
	}
	return page
}

// A complaint from the resident's form arrives with no tenure: it is on
// the dashboard's "no tenure recorded" list and in no tenure's CH01, "All"
// included. Once an officer sets low-cost rental on the case page it is in
// LCRA's and All's, and the timeline shows the change (issue 12, rule 7).
func TestSettingTenureMovesTheCaseIntoTheMeasures(t *testing.T) {
	s := newSite(t)
	none, other, rental := tenureYear(s)
	officer, manager := s.signIn("officer"), s.signIn("manager")

	_, dash := s.get(officer, "/")
	if !strings.Contains(pageText(dash), "1 complaint has no tenure recorded") {
		t.Errorf("the dashboard does not count the complaint with no tenure:\n%s", pageText(dash))
	}
	link := "/cases?kind=complaint&amp;no_tenure=yes"
	if !strings.Contains(dash, `href="`+link+`"`) {
		t.Fatalf("the dashboard does not link to the list of complaints with no tenure")
	}
	_, list := s.get(officer, html.UnescapeString(link))
	if !strings.Contains(list, none) || strings.Contains(list, other) || strings.Contains(list, rental) {
		t.Errorf("the list of complaints with no tenure: want only %s\n%s", none, pageText(list))
	}
	if p := behind(s, manager, "not_recorded"); !strings.Contains(p, none) {
		t.Errorf("%s is not behind the not-recorded line", none)
	}
	for _, tenure := range []string{"", "low_cost_rental", "low_cost_home_ownership", "other"} {
		if p := behind(s, manager, tenure); strings.Contains(p, none) {
			t.Errorf("%s, with no tenure, is behind CH01(1) for %q", none, tenure)
		}
	}

	// A bad correction names its field and changes nothing.
	_, casePage := s.get(officer, "/cases/"+none)
	if !strings.Contains(pageText(casePage), "Tenure Not recorded") || !strings.Contains(casePage, `href="/cases/`+none+`/details"`) {
		t.Fatalf("the case page does not say the tenure is not recorded, or has no way to correct the details")
	}
	form := url.Values{"version": {"1"}, "tenure": {"low_cost_rental"}, "summary": {"received 2026-09-01"},
		"complainant.name": {"A Resident"}, "complainant.email": {"not an email"}}
	resp, page := s.post(officer, "/cases/"+none+"/details", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `href="#details-complainant-email"`) || !strings.Contains(page, `id="details-complainant-email-error"`) {
		t.Fatalf("a bad email: %d, want 400 naming the field\n%s", resp.StatusCode, pageText(page))
	}

	form.Set("complainant.email", "resident-2026-09-01@example.org")
	form.Set("reason", "Checked the tenancy")
	resp, page = s.post(officer, "/cases/"+none+"/details", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the tenure: %d\n%s", resp.StatusCode, pageText(page))
	}
	_, casePage = s.get(officer, "/cases/"+none)
	if text := pageText(casePage); !strings.Contains(text, "Tenure: not recorded changed to Low-cost rental") || !strings.Contains(text, "Reason: Checked the tenancy") {
		t.Errorf("the timeline does not show the change:\n%s", text)
	}
	if strings.Contains(pageText(casePage), "Resident's email") && strings.Contains(pageText(casePage), "changed to resident-2026-09-01") {
		t.Errorf("the timeline shows a change to a detail that did not change")
	}
	for _, tenure := range []string{"", "low_cost_rental"} {
		if p := behind(s, manager, tenure); !strings.Contains(p, none) || !strings.Contains(p, rental) {
			t.Errorf("after the tenure is set, CH01(1) for %q does not have both %s and %s", tenure, none, rental)
		}
	}
	if p := behind(s, manager, "not_recorded"); strings.Contains(p, none) {
		t.Errorf("%s is still behind the not-recorded line", none)
	}
	_, dash = s.get(officer, "/")
	if strings.Contains(pageText(dash), "no tenure recorded.") || strings.Contains(dash, link) {
		t.Errorf("the dashboard still counts a complaint with no tenure")
	}

	// A correction of a closed case.
	form = url.Values{"version": {"2"}, "tenure": {"other"}, "summary": {"received 2026-09-03"},
		"complainant.name": {"A Resident"}, "complainant.email": {"resident-2026-09-03@example.org"}}
	if resp, page := s.post(officer, "/cases/"+rental+"/withdraw", url.Values{"version": {"1"}, "reason": {"Sorted"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d\n%s", resp.StatusCode, pageText(page))
	}
	if resp, page := s.post(officer, "/cases/"+rental+"/details", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("correcting a withdrawn case's tenure: %d\n%s", resp.StatusCode, pageText(page))
	}
	if p := behind(s, manager, "other"); !strings.Contains(p, rental) {
		t.Errorf("the corrected case is not behind the other tenures' line")
	}
}

// The measures page shows complaints from other tenures and those with no
// tenure recorded on their own lines, beside the measures and labelled as
// not part of them, with links to the cases behind them; the public
// summary shows the same lines (issue 12, rule 7).
func TestMeasuresPageShowsOtherTenuresAndNotRecordedOnTheirOwnLines(t *testing.T) {
	s := newSite(t)
	none, other, _ := tenureYear(s)
	manager := s.signIn("manager")
	resp, page := s.get(manager, "/reports?year=2026")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the measures page: %d", resp.StatusCode)
	}
	text := pageText(page)
	for _, want := range []string{
		"Counted beside the measures, not part of them",
		"Other tenures Tenure not recorded",
		"CH01(1) Stage 1 complaints received 1 complaint stage 1 complaints received, other tenures 1 complaint stage 1 complaints received, tenure not recorded",
		"1 complaint received in 2026/27 has no tenure recorded",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the measures page does not say %q:\n%s", want, text)
		}
	}
	// All homes: only the rental complaint, over 1,500 homes.
	if !strings.Contains(text, "0.7 per 1,000 homes 1 stage 1 complaints received, all homes of 1,500 homes owned") {
		t.Errorf("CH01(1) for all homes is not 1 of 1,500 homes:\n%s", text)
	}
	for tenure, ref := range map[string]string{"other": other, "not_recorded": none} {
		href := "/reports/cases?" + url.Values{"measure": {"CH01(1)"}, "part": {"numerator"}, "tenure": {tenure}, "year": {"2026"}}.Encode()
		if !strings.Contains(page, `href="`+html.EscapeString(href)+`"`) {
			t.Errorf("no link to %s", href)
		}
		if _, p := s.get(manager, href); !strings.Contains(p, ref) {
			t.Errorf("%s does not list %s", href, ref)
		}
	}
	if !strings.Contains(page, `href="/cases?kind=complaint&amp;no_tenure=yes&amp;received_from=2026-04-01&amp;received_to=2027-03-31"`) {
		t.Errorf("no link to the year's complaints with no tenure")
	}

	_, summary := s.get(s.browser(), "/summary?year=2026")
	if st := pageText(summary); !strings.Contains(st, "Other tenures Tenure not recorded") || !strings.Contains(st, "0.7 per 1,000 homes 1 of 1,500 homes owned") || strings.Contains(summary, none) {
		t.Errorf("the public summary does not show the lines beside the measures, or names a case:\n%s", st)
	}
}
