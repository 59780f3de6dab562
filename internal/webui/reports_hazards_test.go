package webui_test

import (
	"net/http"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// The Awaab's Law report counts the year's hazards by class and by how
// they came in, each clock met, missed or running, and the time to make
// safe; every count opens to its cases, only managers see it.
func TestHazardsReportCountsEachClockAndDrillsDownToItsCases(t *testing.T) {
	s := newSite(t) // today is Monday 23 November 2026
	classify := func(class complaint.HazardClass) complaint.ClassifyHazard {
		return complaint.ClassifyHazard{Class: class}
	}
	gas := s.story(contact{tenure: "low_cost_rental", received: "2026-11-20"},
		step{"2026-11-20", classify(complaint.HazardEmergency)},
		step{"2026-11-20", complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Loose fitting"}},
		step{"2026-11-20", complaint.RecordHazardStep{Step: complaint.StepMadeSafe}})
	mould := s.story(contact{kind: complaint.KindEnquiry, channel: "email", tenure: "low_cost_rental", received: "2026-11-16"},
		step{"2026-11-16", classify(complaint.HazardSignificant)})
	// A manager sees every confidential case, so this one is named.
	secret := s.story(contact{tenure: "low_cost_rental", received: "2026-11-19", confidential: true},
		step{"2026-11-19", classify(complaint.HazardEmergency)})

	c := s.signIn("manager")
	resp, body := s.get(c, "/reports/hazards?year=2026")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports/hazards: %d\n%s", resp.StatusCode, pageText(body))
	}
	wantRows(t, "by class", tableOf(t, body, "Hazards the landlord became aware of, 2026-04-01 to 2027-03-31, by class"), [][]string{
		{"Class", "Hazards"},
		{"Emergency", "2 " + secret + " " + gas},
		{"Significant", "1 " + mould},
		{"All hazards", "3 " + mould + " " + secret + " " + gas},
		{"Found not to be a hazard", "0"},
		{"Outside Awaab's Law (leaseholders and shared owners)", "0"},
	})
	wantRows(t, "by route", tableOf(t, body, "How the hazards came in"), [][]string{
		{"Route or channel", "Hazards"},
		{"Through a complaint", "2 " + secret + " " + gas},
		{"Through another contact", "1 " + mould},
		{"By Email", "1 " + mould},
		{"By Phone", "2 " + secret + " " + gas},
	})
	clocks := tableOf(t, body, "Each clock met, missed or still running")
	needRows(t, "the clocks", clocks, 7)
	wantRows(t, "the emergency clocks and the investigation", clocks[1:4], [][]string{
		{"Emergency: Investigation", "1 " + gas, "1 " + secret, "0", "0"},
		{"Emergency: Made safe", "1 " + gas, "1 " + secret, "0", "0"},
		{"Significant: Investigation", "0", "0", "1 " + mould, "0"},
	})
	wantRows(t, "the written summary", clocks[4:5], [][]string{{"Significant: Written summary", "0", "0", "0", "1 " + mould}})
	safe := tableOf(t, body, "From awareness to made safe")
	needRows(t, "time to make safe", safe, 3)
	wantRows(t, "time to make safe", safe[1:2], [][]string{{"Emergency", "1 " + gas, "1 hours", "1 hours ( " + gas + " )", "1 " + secret}})
	wantContains(t, "the page", body, `href="/cases/`+gas+`"`, `href="/cases/`+mould+`"`)

	_, body = s.get(c, "/reports?year=2026")
	wantContains(t, "the measures page", body, `href="/reports/hazards"`)
	if resp, _ := s.get(s.signIn("officer"), "/reports/hazards?year=2026"); resp.StatusCode == http.StatusOK {
		t.Error("an officer sees the hazards report")
	}
	if resp, _ := s.get(c, "/reports/hazards?year=twenty"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad year: %d, want 400", resp.StatusCode)
	}
}
