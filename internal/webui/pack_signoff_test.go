package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/poppler"
	"github.com/redresshq/redress/internal/report"
)

// isoDate is a date as machines write it, which no page of a pack may.
var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// packPages downloads a period's pack as PDF and returns the text of
// each page (poppler's reading of it), checking that pdfinfo counts the
// same pages, so that a page with no text at all is caught too.
func packPages(t *testing.T, s *site, c *http.Client, period string) (pages []string, pdf []byte) {
	t.Helper()
	resp, body := s.get(c, "/reports/pack.pdf?period="+period)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GET /reports/pack.pdf?period=%s: %d %q", period, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	path := poppler.Write(t, []byte(body))
	pages = strings.Split(poppler.Run(t, "pdftotext", "-enc", "UTF-8", path, "-"), "\f")
	pages = pages[:len(pages)-1] // nothing follows the last page's form feed
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(poppler.Run(t, "pdfinfo", path))
	if n, _ := strconv.Atoi(m[1]); m == nil || n != len(pages) {
		t.Fatalf("pdfinfo says %v pages; pdftotext found %d", m, len(pages))
	}
	return pages, []byte(body)
}

// furniture is what every page carries whatever is on it: the running
// header, the footer and a draft's watermark. A page with nothing else
// is blank.
var furniture = regexp.MustCompile(`DRAFT|D|R|A|F|T|·|Page \d+ of \d+|Annual complaints performance and service improvement report 2026/27`)

// The annual report's PDF (issue 22, item 5): the landlord on its cover
// with the period and the day it was made, the executive summary, dates
// as people write them, no blank page, DRAFT on every page until a
// manager signs off a complete self-assessment, and DRAFT again when
// the figures then change, saying why.
func TestAnnualReportPDFIsADraftUntilSignedOffWithACompleteSelfAssessment(t *testing.T) {
	poppler.Need(t, "pdftotext", "pdfinfo", "pdftoppm")
	s := newSite(t)
	reportYear(s)
	lastYear(s)
	c := s.signIn("manager")
	if resp, _ := s.post(c, "/reports/review/response", url.Values{"year": {"2026"}, "text": {"The board accepts the report."}, "date": {"2027-06-24"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("response: %d", resp.StatusCode)
	}
	resp, body := s.post(c, "/reports/pack/summary", url.Values{"period": {"2026"}, "summary": {"Damp and mould led the year's complaints.\n\nResponses were on time."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the summary: %d\n%s", resp.StatusCode, pageText(body))
	}
	if resp, _ := s.post(c, "/reports/pack/summary", url.Values{"period": {"2026-Q7"}, "summary": {"x"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a summary for period 2026-Q7: %d", resp.StatusCode)
	}

	checkPages := func(stage string, pages []string, draft bool) {
		t.Helper()
		for i, p := range pages {
			if m := isoDate.FindAllString(p, -1); m != nil {
				t.Errorf("%s: page %d writes ISO dates %q", stage, i+1, m)
			}
			if got := strings.Contains(p, "DRAFT"); got != draft {
				t.Errorf("%s: page %d says DRAFT: %v, want %v", stage, i+1, got, draft)
			}
			if strings.TrimSpace(furniture.ReplaceAllString(p, "")) == "" {
				t.Errorf("%s: page %d is blank:\n%s", stage, i+1, p)
			}
		}
	}
	pages, draft := packPages(t, s, c, "2026")
	checkPages("before sign-off", pages, true)
	firstTwoPages(t, draft, "annual-report-draft")
	wantContains(t, "the cover", poppler.Squash(pages[0]), "Test complaints", "Annual complaints performance and service improvement report 2026/27",
		"1 April 2026 to 31 March 2027", "23 November 2026", "DRAFT.", "not yet assessed", "No manager has signed it off.",
		"Executive summary", "Damp and mould led the year's complaints.", "Responses were on time.")
	if strings.Contains(pages[0], "Tenant Satisfaction Measures, year to date") {
		t.Error("the cover page runs into the report; it should stand alone")
	}
	wantContains(t, "the report", poppler.Squash(strings.Join(pages, " ")), "No Member Responsible for Complaints is named for 2026/27.")

	// Signing off is refused while any provision is not assessed.
	resp, body = s.post(c, "/reports/pack/signoff", url.Values{"period": {"2026"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(pageText(body), "cannot be signed off while its self-assessment is incomplete") {
		t.Fatalf("signing off an incomplete self-assessment: %d\n%.2000s", resp.StatusCode, pageText(body))
	}
	if resp, _ := s.post(s.signIn("officer"), "/reports/pack/signoff", url.Values{"period": {"2026"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer signing off: %d", resp.StatusCode)
	}

	// Name the member, with a mistake first, then assess every provision.
	if resp, body := s.post(c, "/reports/review/member", url.Values{"year": {"2026"}, "member": {"Two\nlines"}}); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(pageText(body), "must be one line") {
		t.Errorf("a member's name on two lines: %d", resp.StatusCode)
	}
	if resp, _ := s.post(c, "/reports/review/member", url.Values{"year": {"2026"}, "member": {"Cllr Pat Board"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("naming the member: %d", resp.StatusCode)
	}
	for _, sec := range report.CodeSections() {
		form := url.Values{"year": {"2026"}}
		for _, p := range report.CodeProvisions() {
			if p.Section == sec.Number {
				form.Set("p"+p.Number+".complies", "yes")
				form.Set("p"+p.Number+".evidence", "Seen by the audit committee")
			}
		}
		if resp, body := s.post(c, fmt.Sprintf("/reports/review/section/%d", sec.Number), form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("assessing section %d: %d\n%.1000s", sec.Number, resp.StatusCode, pageText(body))
		}
	}
	pages, _ = packPages(t, s, c, "2026")
	checkPages("complete but not signed off", pages, true)
	wantContains(t, "the cover", poppler.Squash(pages[0]), "No manager has signed it off.")

	resp, body = s.post(c, "/reports/pack/signoff", url.Values{"period": {"2026"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing off: %d\n%.2000s", resp.StatusCode, pageText(body))
	}
	pages, pdf := packPages(t, s, c, "2026")
	checkPages("signed off", pages, false)
	wantContains(t, "the signed-off cover", poppler.Squash(pages[0]), "Final. Signed off by A manager on 23 November 2026.")
	wantContains(t, "the signed-off report", poppler.Squash(strings.Join(pages, " ")),
		"The Member Responsible for Complaints for 2026/27 is Cllr Pat Board (Code 9.5).", "The Housing Ombudsman")
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "annual-report-signed-off.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	firstTwoPages(t, pdf, "annual-report-signed-off")
	_, body = s.get(c, "/reports/pack?period=2026")
	wantContains(t, "the signed-off page", pageText(body), "Final", "Signed off by A manager on 23 November 2026.", "1 April 2026 to 31 March 2027")
	if m := isoDate.FindAllString(pageText(body), -1); m != nil {
		t.Errorf("the annual report's page writes ISO dates %q", m)
	}

	// A complaint received later in the year changes the figures: the
	// pack is a draft again and says why.
	s.story(contact{tenure: "low_cost_rental", area: "Repairs", categories: []string{"Damp and mould"}, received: "2026-11-20"},
		step{"2026-11-20", complaint.Refuse{Exclusion: "legal_proceedings", Explanation: "in court"}})
	pages, _ = packPages(t, s, c, "2026")
	checkPages("after the figures changed", pages, true)
	wantContains(t, "the cover after the figures changed", poppler.Squash(pages[0]), "The figures have changed since A manager signed it off on 23 November 2026.")
}

// firstTwoPages saves pictures of a PDF's first two pages in the test's
// artifact directory, for a person to look at, and logs where.
func firstTwoPages(t *testing.T, pdf []byte, name string) {
	t.Helper()
	root := filepath.Join(t.ArtifactDir(), name)
	poppler.Run(t, "pdftoppm", "-png", "-f", "1", "-l", "2", "-r", "60", poppler.Write(t, pdf), root)
	pngs, err := filepath.Glob(root + "-*.png")
	if err != nil || len(pngs) != 2 {
		t.Fatalf("pdftoppm made %q, %v; want the first two pages", pngs, err)
	}
	for _, p := range pngs {
		t.Logf("%s page image: %s", name, p)
	}
}
