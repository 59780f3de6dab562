package webui_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/poppler"

	"github.com/redresshq/redress/internal/complaint"
)

// lastYear adds cases to 2025/26 for the trends: one damp complaint
// answered on time, and one refused as in legal proceedings.
func lastYear(s *site) {
	s.t.Helper()
	s.story(contact{tenure: "low_cost_rental", area: "Repairs", categories: []string{"Damp and mould"}, received: "2025-05-01"},
		step{"2025-05-02", ackPoint}, step{"2025-05-09", upheld})
	s.story(contact{tenure: "low_cost_rental", area: "Estates", categories: []string{"Grounds"}, received: "2025-06-02"},
		step{"2025-06-03", complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "in court"}})
}

// The annual report puts the year beside the one before, summarises
// themes and refusals, and carries what the managers wrote: the
// self-assessment, the improvements and the governing body's response.
func TestAnnualReportComparesYearsAndCarriesTheReview(t *testing.T) {
	s := newSite(t)
	refs := reportYear(s)
	lastYear(s)
	c := s.signIn("manager")

	resp, body := s.get(c, "/reports/pack?period=2026")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports/pack: %d\n%s", resp.StatusCode, body)
	}
	wantRows(t, "themes", tableOf(t, body, "Complaints by category"), [][]string{
		{"Category", "2026/27", "2025/26"},
		{"Damp and mould", "2", "1"},
		{"Communication", "1", "0"},
		{"Grounds", "0", "1"},
	})
	wantRows(t, "refusals", tableOf(t, body, "Refusals by the exclusion in the policy, both stages"), [][]string{
		{"Reason", "2026/27", "2025/26"},
		{s.exclusionReason("legal_proceedings"), "1", "1"},
	})
	trends := map[string][]string{}
	trendRows := tableOf(t, body, "Each measure against the same period a year before")
	needRows(t, "the trends", trendRows, 1)
	for _, row := range trendRows[1:] {
		if len(row) == 0 {
			continue // no measure to name: the trends wanted are missed below
		}
		trends[row[0]] = row[1:]
	}
	for label, want := range map[string][]string{
		"Stage 2 complaints received":         {"0", "1", "+1 (up)"},
		"Compensation paid":                   {"£0.00", "£0.00", "no change"},
		"Actions overdue at the period's end": {"0", "1", "+1 (worse)"},
	} {
		if got := trends[label]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("trend %q = %q, want %q", label, got, want)
		}
	}
	// Nothing written yet: every provision is not assessed and the page
	// says the board's response is missing.
	wantContains(t, "the annual report", pageText(body),
		"and "+provisionCount(t, body)+" not yet assessed",
		"The Code (8.2) requires the governing body's response to be published with this report.",
		"No service improvements are recorded for 2026/27 yet.",
		"Book damp surveys within a week")
	for _, ref := range refs {
		if strings.Contains(body, ref) {
			t.Errorf("the annual report names case %s; it must name none", ref)
		}
	}
	if strings.Contains(body, "jo@example.org") || strings.Contains(body, "A Resident") {
		t.Error("the annual report shows a resident's details")
	}

	// Write the review, with mistakes first.
	resp, body = s.post(c, "/reports/review/response", url.Values{"year": {"2026"}, "text": {"The board accepts the report."}, "date": {"24/06/2027"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter the date as year, month and day") {
		t.Errorf("response with a bad date: %d", resp.StatusCode)
	}
	resp, body = s.post(c, "/reports/review/response", url.Values{"year": {"2026"}, "date": {"2027-06-24"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must give the governing body") {
		t.Errorf("response with no text: %d", resp.StatusCode)
	}
	resp, _ = s.post(c, "/reports/review/response", url.Values{"year": {"2026"}, "text": {"The board accepts the report.\n\nIt asks for damp cases monthly."}, "date": {"2027-06-24"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/reports/review?year=2026&saved=") {
		t.Errorf("response: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = s.post(c, "/reports/review/improvements", url.Values{"year": {"2026"}, "we_did": {"Something"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must say what residents told us") {
		t.Errorf("improvement with nothing said: %d", resp.StatusCode)
	}
	for _, said := range []string{"Damp was not dealt with quickly", "Remove me"} {
		resp, _ = s.post(c, "/reports/review/improvements", url.Values{"year": {"2026"}, "service_area": {"Repairs"}, "you_said": {said}, "we_did": {"Damp surveys within five working days"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding an improvement: %d", resp.StatusCode)
		}
	}
	_, body = s.get(c, "/reports/review?year=2026")
	i := strings.Index(body, "“Remove me”")
	if i < 0 {
		t.Fatalf("the second improvement not found in %.500q", pageText(body))
	}
	j := strings.LastIndex(body[:i], `action="/reports/review/improvements/`)
	if j < 0 {
		t.Fatal("no remove button for the second improvement")
	}
	action := body[j+len(`action="`):]
	end := strings.Index(action, `"`)
	if end < 0 {
		t.Fatalf("the remove button's action does not end: %.200q", action)
	}
	action = action[:end]
	if resp, _ = s.post(c, action, url.Values{"year": {"2026"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("removing: %d", resp.StatusCode)
	}
	if resp, _ = s.post(c, action, url.Values{"year": {"2026"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("removing twice: %d", resp.StatusCode)
	}

	resp, body = s.post(c, "/reports/review/section/6", url.Values{"year": {"2026"},
		"p6.2.complies": {"yes"}, "p6.2.evidence": {"CH02 figures"},
		"p6.3.complies": {"no"},
		"p6.4.evidence": {"typed but not answered"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("section 6 with mistakes: %d", resp.StatusCode)
	}
	wantContains(t, "section 6 with mistakes", pageText(body), "Provision 6.4: choose whether it is met", "typed but not answered")
	resp, _ = s.post(c, "/reports/review/section/6", url.Values{"year": {"2026"}, "p6.2.complies": {"yes"}, "p6.3.complies": {"no"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("6.3 not met with no commentary: %d", resp.StatusCode)
	}
	resp, body = s.post(c, "/reports/review/section/6", url.Values{"year": {"2026"},
		"p6.2.complies": {"yes"}, "p6.2.evidence": {"CH02 figures"},
		"p6.3.complies": {"partly"}, "p6.3.commentary": {"Two late responses in June; a new rota from July"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("section 6: %d\n%s", resp.StatusCode, body)
	}
	_, body = s.get(c, "/reports/review/section/6?year=2026")
	wantContains(t, "section 6 as saved", body, `value="partly" checked`, "Two late responses in June")

	_, body = s.get(c, "/reports/pack?period=2026")
	wantRows(t, "not met", tableOf(t, body, "Provisions not fully met"), [][]string{
		{"Provision", "Complies", "Explanation"},
		{"6.3", "partly", "Two late responses in June; a new rota from July"},
	})
	wantRows(t, "you said, we did", tableOf(t, body, "You said, we did: 2026/27"), [][]string{
		{"Service area", "You said", "We did"},
		{"Repairs", "Damp was not dealt with quickly", "Damp surveys within five working days"},
	})
	wantContains(t, "the annual report", pageText(body), "1 met, 1 partly met, 0 not met",
		"Agreed on 24 June 2027.", "The board accepts the report.", "It asks for damp cases monthly.")
	if strings.Contains(body, "Remove me") {
		t.Error("a removed improvement is still in the report")
	}

	// The quarterly pack has the figures but not the self-assessment.
	_, body = s.get(c, "/reports/pack?period=2026-Q2")
	wantContains(t, "the Q2 pack", pageText(body), "Complaints board pack, Q2 2026/27 (July to September 2026)", "compared with Q2 2025/26")
	if strings.Contains(body, "Self-assessment against") {
		t.Error("the quarterly pack has the self-assessment")
	}
	if resp, _ := s.get(c, "/reports/pack?period=2026-Q5"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("period 2026-Q5: %d", resp.StatusCode)
	}
	if resp, _ := s.get(c, "/reports/review/section/10"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("section 10: %d", resp.StatusCode)
	}
}

// provisionCount is how many provisions the page says it assesses.
func provisionCount(t *testing.T, body string) string {
	t.Helper()
	text := pageText(body)
	i := strings.Index(text, "Of ")
	if i < 0 {
		t.Fatal("the annual report does not count the provisions")
	}
	j := strings.Index(text[i:], " provisions")
	if j < 0 {
		t.Fatal("the annual report does not count the provisions")
	}
	return text[i+3 : i+j]
}

// The PDF of the annual report holds what the page does, as text a
// reader can select and search.
func TestAnnualReportPDF(t *testing.T) {
	poppler.Need(t, "pdftotext")
	s := newSite(t)
	reportYear(s)
	lastYear(s)
	c := s.signIn("manager")
	if resp, _ := s.post(c, "/reports/review/response", url.Values{"year": {"2026"}, "text": {"The board accepts the report."}, "date": {"2027-06-24"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("response: %d", resp.StatusCode)
	}
	resp, body := s.get(c, "/reports/pack.pdf?period=2026")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="complaints-2026.pdf"` {
		t.Fatalf("GET /reports/pack.pdf: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "annual-report-2026.pdf"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, []byte(body))
	reason := strings.Fields(s.exclusionReason("legal_proceedings"))
	if len(reason) < 3 {
		t.Fatalf("the policy's reason for legal proceedings is %q, want at least three words to look for", reason)
	}
	wantContains(t, "the annual report's PDF", text,
		"Annual complaints performance and service improvement report 2026/27",
		"Tenant Satisfaction Measures, year to date",
		"Trends against 2025/26", "Damp and mould", strings.Join(reason[:3], " "),
		"Self-assessment against the Complaint Handling Code", "The governing body's response",
		"Agreed on 24 June 2027.", "The board accepts the report.", "Book damp surveys within a week",
		"Page 1 of")
	if strings.Contains(text, "jo@example.org") || strings.Contains(text, "C-2026-") {
		t.Error("the PDF names a resident or a case")
	}
	if resp, _ := s.get(s.signIn("officer"), "/reports/pack.pdf?period=2026"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("officer GET pack.pdf: %d", resp.StatusCode)
	}
}

// exclusionReason is the policy's reason for an exclusion code.
func (s *site) exclusionReason(code string) string {
	s.t.Helper()
	for _, e := range s.p.Exclusions {
		if e.Code == code {
			return e.Reason
		}
	}
	s.t.Fatalf("the policy has no exclusion %q", code)
	return ""
}

// The board pack counts the year's hazards under Awaab's Law, naming no
// case (issue 14, item 5).
func TestPackCountsTheYearsHazards(t *testing.T) {
	s := newSite(t)
	ref := s.story(contact{received: "2026-11-16"}, step{"2026-11-16", complaint.ClassifyHazard{Class: complaint.HazardSignificant, Description: "Mould"}},
		step{"2026-11-17", complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "A failed fan"}})
	s.story(contact{received: "2026-11-18"}, step{"2026-11-18", complaint.ClassifyHazard{Class: complaint.HazardEmergency}})
	c := s.signIn("manager")
	resp, body := s.get(c, "/reports/pack?period=2026")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports/pack: %d", resp.StatusCode)
	}
	rows := tableOf(t, body, "Hazards reported in 2026/27 so far")
	got := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			got[r[0]] = r[1]
		}
	}
	for label, want := range map[string]string{"Reported": "2", "Emergency hazards": "1", "Significant hazards": "1", "Reported in a complaint": "2"} {
		if got[label] != want {
			t.Errorf("%s = %q, want %q (rows %q)", label, got[label], want, rows)
		}
	}
	if strings.Contains(body, ref) {
		t.Error("the pack names a case")
	}
}
