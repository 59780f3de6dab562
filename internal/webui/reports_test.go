package webui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

var (
	tableRe   = regexp.MustCompile(`(?s)<table class="govuk-table">.*?</table>`)
	captionRe = regexp.MustCompile(`(?s)<caption[^>]*>(.*?)</caption>`)
	rowRe     = regexp.MustCompile(`(?s)<tr class="govuk-table__row">(.*?)</tr>`)
	cellRe    = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
)

// pageText is markup as read: tags removed, entities decoded, spaces
// collapsed.
func pageText(s string) string {
	s = strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(s, " "))), " ")
	return strings.ReplaceAll(s, " ,", ",")
}

// tableOf returns the rows (header row first) of the table with this
// caption, each as its cells' text, visually hidden text included.
func tableOf(t *testing.T, body, caption string) [][]string {
	t.Helper()
	for _, table := range tableRe.FindAllString(body, -1) {
		c := captionRe.FindStringSubmatch(table)
		if c == nil || pageText(c[1]) != caption {
			continue
		}
		var rows [][]string
		for _, r := range rowRe.FindAllStringSubmatch(table, -1) {
			var cells []string
			for _, c := range cellRe.FindAllStringSubmatch(r[1], -1) {
				cells = append(cells, pageText(c[1]))
			}
			rows = append(rows, cells)
		}
		return rows
	}
	t.Fatalf("no table captioned %q", caption)
	return nil
}

// needRows fails the test unless the table has at least n rows, so that
// a broken page fails one test rather than panicking.
func needRows(t *testing.T, what string, rows [][]string, n int) {
	t.Helper()
	if len(rows) < n {
		t.Fatalf("%s has %d rows, want at least %d: %q", what, len(rows), n, rows)
	}
}

// needCell fails the test unless the table has a row i with a cell j.
func needCell(t *testing.T, what string, rows [][]string, i, j int) {
	t.Helper()
	needRows(t, what, rows, i+1)
	if len(rows[i]) <= j {
		t.Fatalf("%s: row %d has %d cells, want at least %d: %q", what, i, len(rows[i]), j+1, rows[i])
	}
}

func wantRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func wantContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// The measures of the year, each with its numerator and denominator,
// the counts of cases linked to the cases behind them.
func TestTSMPageShowsEachMeasureWithItsCounts(t *testing.T) {
	s := newSite(t)
	reportYear(s)
	c := s.signIn("manager")
	resp, body := s.get(c, "/reports")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports: %d\n%s", resp.StatusCode, body)
	}
	wantContains(t, "the measures page", body, "2026/27: 1 April 2026 to 31 March 2027", `<option value="2026" selected>2026/27</option>`)
	wantRows(t, "the measures", tableOf(t, body, "Complaints measures, 2026/27"), [][]string{
		{"Measure", "All homes", "Low-cost rental", "Low-cost home ownership"},
		{"CH01(1) Stage 1 complaints received per 1,000 homes",
			// E has no tenure recorded, so is in no measure, "All" included.
			"2.7 per 1,000 homes 4 stage 1 complaints received, all homes of 1,500 homes owned",
			"3.0 per 1,000 homes 3 stage 1 complaints received, low-cost rental of 1,000 homes owned",
			"2.0 per 1,000 homes 1 stage 1 complaints received, low-cost home ownership of 500 homes owned"},
		{"CH01(2) Stage 2 complaints received per 1,000 homes",
			"0.7 per 1,000 homes 1 stage 2 complaints received, all homes of 1,500 homes owned",
			"1.0 per 1,000 homes 1 stage 2 complaints received, low-cost rental of 1,000 homes owned",
			"0.0 per 1,000 homes 0 stage 2 complaints received, low-cost home ownership of 500 homes owned"},
		// Beside CH02, the same responses against the policy's own
		// deadlines: B, late for the Code because its extension came after
		// the Code's deadline, met the new date the resident was promised.
		{"CH02(1) Stage 1 complaints responded to within the Code's timescale",
			"66.7% 2 responded to within the Code's timescale, all homes of 3 stage 1 responses, all homes stage 1 responses Against our own policy's deadlines: 100.0%, 3 responded to by our own policy's deadline, all homes of 3",
			"100.0% 2 responded to within the Code's timescale, low-cost rental of 2 stage 1 responses, low-cost rental stage 1 responses Against our own policy's deadlines: 100.0%, 2 responded to by our own policy's deadline, low-cost rental of 2",
			"0.0% 0 responded to within the Code's timescale, low-cost home ownership of 1 stage 1 responses, low-cost home ownership stage 1 responses Against our own policy's deadlines: 100.0%, 1 responded to by our own policy's deadline, low-cost home ownership of 1"},
		{"CH02(2) Stage 2 complaints responded to within the Code's timescale",
			"100.0% 1 responded to within the Code's timescale, all homes of 1 stage 2 responses, all homes stage 2 responses Against our own policy's deadlines: 100.0%, 1 responded to by our own policy's deadline, all homes of 1",
			"100.0% 1 responded to within the Code's timescale, low-cost rental of 1 stage 2 responses, low-cost rental stage 2 responses Against our own policy's deadlines: 100.0%, 1 responded to by our own policy's deadline, low-cost rental of 1",
			"Nothing to count 0 responded to within the Code's timescale, low-cost home ownership of 0 stage 2 responses, low-cost home ownership stage 2 responses Against our own policy's deadlines: Nothing to count, 0 responded to by our own policy's deadline, low-cost home ownership of 0"},
		// TP09 is the perception survey's, not recorded yet: never the
		// post-closure survey's answers, which have their own rows.
		{"TP09 Satisfaction with the landlord's approach to complaints handling, from our tenant perception survey",
			"Not recorded 0 of 0 respondents who had complained", "Not recorded 0 of 0 respondents who had complained", "Not recorded 0 of 0 respondents who had complained"},
		{"Our survey Satisfaction with complaint handling, from Redress's own survey",
			"50.0% 1 very or fairly satisfied, all homes of 2 survey answers, all homes survey answers",
			"100.0% 1 very or fairly satisfied, low-cost rental of 1 survey answers, low-cost rental survey answers",
			"0.0% 0 very or fairly satisfied, low-cost home ownership of 1 survey answers, low-cost home ownership survey answers"},
		{"Our survey Satisfaction with the outcome of the complaint, from Redress's own survey",
			"Nothing to count 0 very or fairly satisfied, all homes of 0 survey answers, all homes survey answers",
			"Nothing to count 0 very or fairly satisfied, low-cost rental of 0 survey answers, low-cost rental survey answers",
			"Nothing to count 0 very or fairly satisfied, low-cost home ownership of 0 survey answers, low-cost home ownership survey answers"},
	})
	// Numerators and case denominators lead to their cases; homes do not.
	wantContains(t, "the measures page", body,
		`href="/reports/cases?measure=CH02%281%29&amp;part=numerator&amp;year=2026">2<`,
		`href="/reports/cases?measure=CH02%281%29&amp;part=denominator&amp;year=2026">3<`,
		`href="/reports/cases?measure=CH01%281%29&amp;part=numerator&amp;tenure=low_cost_rental&amp;year=2026">3<`,
		`href="/reports/cases?measure=Survey%28handling%29&amp;part=denominator&amp;tenure=low_cost_home_ownership&amp;year=2026">1<`,
		`href="/reports/cases?measure=Policy%281%29&amp;part=numerator&amp;year=2026">3<`,
		`href="/reports.csv?year=2026">Download as CSV<`, `href="/reports/tsm-return.csv?year=2026"`,
		`href="/reports/management?from=2026-04-01&amp;to=2026-11-23"`)
	if strings.Contains(body, "CH01%281%29&amp;part=denominator") {
		t.Error("CH01's denominator, homes, links to cases")
	}
	// The counting choices are stated under the table.
	wantContains(t, "the notes", pageText(body), "How the measures are counted",
		"Refused complaints are not counted; withdrawn ones are.", "an extension beyond the cap counts in full only with a recorded good reason", "A late acknowledgement buys no time")

	// The chart of CH02 by stage is an image with a text alternative, and
	// its data is in the table beside it.
	wantContains(t, "the chart", body, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="ch02-chart-title ch02-chart-desc"`,
		`<title id="ch02-chart-title">CH02: share of complaints responded to within the Code&#39;s timescale, by stage, 2026/27, all homes</title>`,
		`<desc id="ch02-chart-desc">Stage 1: 66.7% (2 of 3); Stage 2: 100.0% (1 of 1).</desc>`)
	if strings.Contains(body, "<script") && strings.Count(body, "<script") != 1 {
		t.Error("the page has scripts of its own besides init.js")
	}
	wantRows(t, "CH02 by stage", tableOf(t, body, "CH02 by stage"), [][]string{
		{"Stage", "Within the Code", "Share"}, {"Stage 1", "2 of 3", "66.7%"}, {"Stage 2", "1 of 1", "100.0%"},
	})
}

func TestTSMPageFiltersByYearAndTenure(t *testing.T) {
	s := newSite(t)
	reportYear(s)
	c := s.signIn("admin")
	_, body := s.get(c, "/reports?year=2026&tenure=low_cost_rental")
	rows := tableOf(t, body, "Complaints measures, 2026/27")
	if len(rows) != 8 || !slices.Equal(rows[0], []string{"Measure", "Low-cost rental"}) {
		t.Fatalf("filtered to rental, the table is %q", rows)
	}
	needCell(t, "the table filtered to rental", rows, 3, 1)
	if !strings.HasPrefix(rows[3][1], "100.0% 2 responded") {
		t.Errorf("CH02(1) for rental: %q", rows[3][1])
	}
	wantContains(t, "the rental page", body, `<option value="low_cost_rental" selected>`,
		`<desc id="ch02-chart-desc">Stage 1: 100.0% (2 of 2); Stage 2: 100.0% (1 of 1).</desc>`,
		`href="/reports.csv?tenure=low_cost_rental&amp;year=2026"`)

	// A year with no cases and no homes recorded: no figures, and why.
	resp, body := s.get(c, "/reports?year=2025")
	if resp.StatusCode != 200 {
		t.Fatalf("2025: %d", resp.StatusCode)
	}
	rows = tableOf(t, body, "Complaints measures, 2025/26")
	needCell(t, "the table for 2025/26", rows, 1, 1)
	needCell(t, "the table for 2025/26", rows, 3, 1)
	if !strings.HasPrefix(rows[1][1], "No homes recorded 0") || !strings.HasPrefix(rows[3][1], "Nothing to count 0") {
		t.Errorf("an empty year: %q", rows)
	}
	wantContains(t, "2025", pageText(body), "No homes are recorded for 2025/26")
}

// The cases behind a count are listed and linked, and only those.
func TestTSMDrillDownListsTheCasesBehindACount(t *testing.T) {
	s := newSite(t)
	refs := reportYear(s)
	c := s.signIn("manager")
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"measure=CH01(1)&part=numerator", []string{"A", "B", "C", "H"}}, // D was refused; C, withdrawn and confidential, is counted; E has no tenure
		{"measure=CH01(1)&part=numerator&tenure=low_cost_rental", []string{"A", "C", "H"}},
		{"measure=CH01(2)&part=numerator", []string{"H"}},
		{"measure=CH02(1)&part=numerator", []string{"A", "H"}},
		{"measure=CH02(1)&part=denominator", []string{"A", "B", "H"}},
		{"measure=CH02(1)&part=denominator&tenure=low_cost_home_ownership", []string{"B"}},
		{"measure=Survey(handling)&part=numerator", []string{"A"}},
		{"measure=Survey(handling)&part=denominator", []string{"A", "B"}},
		{"measure=Policy(1)&part=numerator", []string{"A", "B", "H"}},
	} {
		resp, body := s.get(c, "/reports/cases?year=2026&"+tt.query)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", tt.query, resp.StatusCode)
			continue
		}
		var got []string
		for _, m := range regexp.MustCompile(`<li><a class="govuk-link" href="/cases/(C-[0-9-]+)">`).FindAllStringSubmatch(body, -1) {
			for name, ref := range refs {
				if ref == m[1] {
					got = append(got, name)
				}
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s lists %v, want %v", tt.query, got, tt.want)
		}
		if strings.Contains(body, "counted but not listed") {
			t.Errorf("%s: a manager sees every confidential case, yet some are hidden", tt.query)
		}
	}
	_, body := s.get(c, "/reports/cases?year=2026&measure=CH02(1)&part=denominator")
	wantContains(t, "the drill-down", pageText(body), "CH02(1) is 66.7%: 2 responded to within the Code's timescale of 3 stage 1 responses.",
		"The denominator: 3 stage 1 responses")
	wantContains(t, "the drill-down", body, `href="/cases/`+refs["B"]+`"`, `<option value="CH02(1)" selected>`, `<option value="denominator" selected>`)
}

// Only managers and admins see every confidential case; anyone else who
// asked would see it counted but not listed. The page is for managers and
// admins, so the store is asked as someone else would be.
func TestTSMCasesHideConfidentialCasesFromOthers(t *testing.T) {
	s := newSite(t)
	refs := reportYear(s)
	from, to := report.Year(2026).Dates()
	for _, tt := range []struct {
		viewer store.Viewer
		hidden int
	}{
		{store.Viewer{Email: "reviewer@example.org"}, 1},
		{store.Viewer{Email: "officer@example.org"}, 0}, // who logged it
		{store.Viewer{Email: "manager@example.org", AllConfidential: true}, 0},
	} {
		got, hidden, err := s.st.TSMCases(context.Background(), store.TSMQuery{Measure: report.CH01Stage1, Numerator: true, From: from, To: to, Viewer: tt.viewer})
		if err != nil {
			t.Fatal(err)
		}
		if hidden != tt.hidden || slices.Contains(got, refs["C"]) != (tt.hidden == 0) || len(got)+hidden != 4 {
			t.Errorf("%s: %v and %d hidden", tt.viewer.Email, got, hidden)
		}
	}
}

func TestTSMDownloads(t *testing.T) {
	s := newSite(t)
	reportYear(s)
	c := s.signIn("manager")
	resp, body := s.get(c, "/reports.csv?year=2026")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="tsm-2026-27.csv"` {
		t.Fatalf("GET /reports.csv: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	wantRows(t, "the measures CSV", readCSV(t, body), [][]string{
		{"measure", "description", "unit", "all_value", "all_numerator", "all_denominator",
			"low_cost_rental_value", "low_cost_rental_numerator", "low_cost_rental_denominator",
			"low_cost_home_ownership_value", "low_cost_home_ownership_numerator", "low_cost_home_ownership_denominator"},
		{"CH01(1)", "Stage 1 complaints received per 1,000 homes", "per 1,000 homes", "2.7", "4", "1500", "3.0", "3", "1000", "2.0", "1", "500"},
		{"CH01(2)", "Stage 2 complaints received per 1,000 homes", "per 1,000 homes", "0.7", "1", "1500", "1.0", "1", "1000", "0.0", "0", "500"},
		{"CH02(1)", "Stage 1 complaints responded to within the Code's timescale", "%", "66.7", "2", "3", "100.0", "2", "2", "0.0", "0", "1"},
		{"Policy(1)", "Stage 1 complaints responded to within our own policy's timescale", "%", "100.0", "3", "3", "100.0", "2", "2", "100.0", "1", "1"},
		{"CH02(2)", "Stage 2 complaints responded to within the Code's timescale", "%", "100.0", "1", "1", "100.0", "1", "1", "", "0", "0"},
		{"Policy(2)", "Stage 2 complaints responded to within our own policy's timescale", "%", "100.0", "1", "1", "100.0", "1", "1", "", "0", "0"},
		{"TP09", "Satisfaction with the landlord's approach to complaints handling, from our tenant perception survey", "%", "", "0", "0", "", "0", "0", "", "0", "0"},
		{"Survey(handling)", "Satisfaction with complaint handling, from Redress's own survey", "%", "50.0", "1", "2", "100.0", "1", "1", "0.0", "0", "1"},
		{"Survey(outcome)", "Satisfaction with the outcome of the complaint, from Redress's own survey", "%", "", "0", "0", "", "0", "0", "", "0", "0"},
	})
	_, body = s.get(c, "/reports.csv?year=2026&tenure=low_cost_home_ownership")
	rows := readCSV(t, body)
	needRows(t, "the ownership CSV", rows, 2)
	if !slices.Equal(rows[0], []string{"measure", "description", "unit", "low_cost_home_ownership_value", "low_cost_home_ownership_numerator", "low_cost_home_ownership_denominator"}) ||
		!slices.Equal(rows[1], []string{"CH01(1)", "Stage 1 complaints received per 1,000 homes", "per 1,000 homes", "2.0", "1", "500"}) {
		t.Errorf("the ownership CSV: %q", rows[:2])
	}

	resp, body = s.get(c, "/reports/tsm-return.csv?year=2026")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="tsm-return-2026-27.csv"` {
		t.Fatalf("the return: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	rows = readCSV(t, body)
	if len(rows) != 1+5*3 {
		t.Fatalf("the return has %d rows, want a header and one per measure and tenure", len(rows))
	}
	notRecorded := "Not recorded: TP09 comes from the landlord's tenant perception survey; enter its result on the measures page. Redress's post-closure survey is not TP09."
	wantRows(t, "the return", [][]string{rows[0], rows[1], rows[8], rows[12], rows[13], rows[14]}, [][]string{
		{"measure_id", "description", "tenure", "numerator", "denominator", "value", "unit", "reporting_year", "note"},
		{"CH01(1)", "Stage 1 complaints received per 1,000 homes", "All", "4", "1500", "2.7", "per 1,000 homes", "2026/27", ""},
		{"CH02(1)", "Stage 1 complaints responded to within the Code's timescale", "LCRA", "2", "2", "100.0", "%", "2026/27", ""},
		{"CH02(2)", "Stage 2 complaints responded to within the Code's timescale", "LCHO", "0", "0", "", "%", "2026/27", ""},
		// TP09 is blank, saying why, until it is recorded: never taken
		// from the post-closure survey, whose answers exist.
		{"TP09", report.TP09Title, "All", "", "", "", "%", "2026/27", notRecorded},
		{"TP09", report.TP09Title, "LCRA", "", "", "", "%", "2026/27", notRecorded},
	})
	for _, row := range rows {
		if strings.HasPrefix(row[0], "Survey") || strings.HasPrefix(row[0], "Policy") {
			t.Errorf("the return carries %s, which is not a Regulator's measure", row[0])
		}
	}
}

func TestManagementPageShowsThePeriodsFigures(t *testing.T) {
	s := newSite(t)
	refs := reportYear(s)
	c := s.signIn("manager")
	resp, body := s.get(c, "/reports/management")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /reports/management: %d\n%s", resp.StatusCode, body)
	}
	// This reporting year to date, unless asked otherwise.
	wantContains(t, "the management page", body, `id="from" name="from" type="text" value="2026-04-01"`, `id="to" name="to" type="text" value="2026-11-23"`,
		"1 April 2026 to 23 November 2026")
	wantRows(t, "by kind", tableOf(t, body, "Contacts by kind"), [][]string{{"Kind", "Number"}, {"Complaint", "6"}, {"Compliment", "1"}})
	wantRows(t, "by channel", tableOf(t, body, "Contacts by channel"), [][]string{{"Channel", "Number"}, {"Phone", "6"}, {"Email", "1"}})
	wantRows(t, "by service area", tableOf(t, body, "Contacts by service area"), [][]string{
		{"Service area", "Number"}, {"Repairs", "4"}, {"Not recorded", "2"}, {"Neighbourhoods", "1"}})
	wantRows(t, "by category", tableOf(t, body, "Contacts by category"), [][]string{{"Category", "Number"}, {"Damp and mould", "2"}, {"Communication", "1"}})
	wantRows(t, "by month", tableOf(t, body, "Contacts by month received"), [][]string{{"Month", "Number"},
		{"April 2026", "1"}, {"May 2026", "0"}, {"June 2026", "1"}, {"July 2026", "1"}, {"August 2026", "1"},
		{"September 2026", "1"}, {"October 2026", "1"}, {"November 2026", "1"}})
	wantContains(t, "the month chart", body, `role="img" aria-labelledby="month-chart-title month-chart-desc"`,
		`<title id="month-chart-title">Contacts received by month, 1 April 2026 to 23 November 2026</title>`,
		`<desc id="month-chart-desc">April 2026: 1; May 2026: 0; June 2026: 1;`)
	stages := tableOf(t, body, "Received, timeliness and outcomes by stage")
	want := map[string][]string{
		"Received": {"5", "1"}, "Acknowledged": {"4", "1"},
		"Acknowledged within the Code's 5 working days": {"100.0% (4 of 4)", "100.0% (1 of 1)"},
		"Responded to": {"4", "1"}, "Responded to within the Code's timescale": {"50.0% (2 of 4)", "100.0% (1 of 1)"},
		"Extended": {"1", "0"}, "Extended beyond the Code's cap": {"1", "0"}, "Points upheld": {"4", "1"},
		"Refused": {"1", "0"}, "Withdrawn": {"1", "0"},
	}
	needRows(t, "the stage figures", stages, 1)
	if !slices.Equal(stages[0], []string{"Figure", "Stage 1", "Stage 2"}) {
		t.Errorf("stage columns %q", stages[0])
	}
	for _, row := range stages[1:] {
		if len(row) == 0 {
			continue // no figure to name: the rows wanted are missed below
		}
		if w, ok := want[row[0]]; ok {
			if !slices.Equal(row[1:], w) {
				t.Errorf("%s: %q, want %q", row[0], row[1:], w)
			}
			delete(want, row[0])
		}
	}
	for k := range want {
		t.Errorf("no row %q in the stage figures", k)
	}
	if rows := tableOf(t, body, "Refusals by exclusion"); len(rows) != 2 || len(rows[1]) < 3 || rows[1][0] != "1" || !strings.HasPrefix(rows[1][1], "Legal proceedings have started") || rows[1][2] != "1" {
		t.Errorf("refusals: %q, want one at stage 1 for legal proceedings, by the policy's words", rows)
	}
	wantRows(t, "compensation", tableOf(t, body, "Compensation offered and paid by kind"), [][]string{
		{"Kind", "Offered", "Amount offered", "Paid", "Amount paid"},
		{"Time and trouble", "1", "£150.00", "0", "£0.00"}, {"Total", "1", "£150.00", "0", "£0.00"}})
	wantRows(t, "actions", tableOf(t, body, "Actions promised in responses, and repeat complainants"), [][]string{
		{"Figure", "Number"}, {"Actions open", "1"}, {"Actions done", "0"},
		{"Actions open and past their due date at the end of the period", "1"}, {"People who made two or more complaints", "1"}})
	wantRows(t, "learning", tableOf(t, body, "What we learnt, newest first"), [][]string{
		{"Case", "Responded", "Service area", "What we learnt"},
		{refs["A"] + ", stage 1", "20 April 2026", "Repairs", "Book damp surveys within a week"}})
	// Every table has its download, with the page's filters.
	for _, table := range []string{"by_kind", "by_channel", "by_service_area", "by_category", "by_month", "stages", "refusals", "compensation", "actions", "learning"} {
		wantContains(t, "the management page", body, `href="/reports/management.csv?from=2026-04-01&amp;table=`+table+`&amp;to=2026-11-23"`)
	}

	// Filtered: stage 2 only, rental, Repairs, in November.
	_, body = s.get(c, "/reports/management?from=2026-11-01&to=2026-11-30&stage=2&service_area=Repairs&tenure=low_cost_rental")
	stages = tableOf(t, body, "Received, timeliness and outcomes by stage")
	needRows(t, "the stage figures for November", stages, 2)
	if !slices.Equal(stages[0], []string{"Figure", "Stage 2"}) || !slices.Equal(stages[1], []string{"Received", "1"}) {
		t.Errorf("stage 2 in November: %q", stages[:2])
	}
	wantRows(t, "November by kind", tableOf(t, body, "Contacts by kind"), [][]string{{"Kind", "Number"}, {"Complaint", "1"}})
	wantContains(t, "the filtered page", body, `<option value="2" selected>Stage 2</option>`, `<option value="low_cost_rental" selected>`, `value="Repairs"`,
		`href="/reports/management.csv?from=2026-11-01&amp;service_area=Repairs&amp;stage=2&amp;table=by_kind&amp;tenure=low_cost_rental&amp;to=2026-11-30"`)
	wantContains(t, "the filtered page", pageText(body), "Nothing recorded in this period.")
}

func TestManagementDownloads(t *testing.T) {
	s := newSite(t)
	refs := reportYear(s)
	c := s.signIn("manager")
	get := func(query string) [][]string {
		t.Helper()
		resp, body := s.get(c, "/reports/management.csv?"+query)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%s: %d %q\n%s", query, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		return readCSV(t, body)
	}
	period := "&from=2026-04-01&to=2026-11-23"
	wantRows(t, "by kind", get("table=by_kind"+period), [][]string{{"kind", "count"}, {"complaint", "6"}, {"compliment", "1"}})
	wantRows(t, "by service area", get("table=by_service_area"+period), [][]string{{"service_area", "count"}, {"Repairs", "4"}, {"", "2"}, {"Neighbourhoods", "1"}})
	if rows := get("table=by_month" + period); len(rows) != 9 || !slices.Equal(rows[1], []string{"2026-04", "1"}) || !slices.Equal(rows[2], []string{"2026-05", "0"}) {
		t.Errorf("by month: %q", rows)
	}
	stages := get("table=stages" + period)
	if len(stages) != 3 || len(stages[0]) < 14 || stages[0][0] != "stage" || stages[0][13] != "responded_within_code_percent" {
		t.Fatalf("stages: %q", stages)
	}
	if got := stages[1][11:14]; !slices.Equal(got, []string{"2", "4", "50.0"}) {
		t.Errorf("stage 1 responded within the Code: %q", got)
	}
	wantRows(t, "compensation", get("table=compensation"+period), [][]string{
		{"kind", "offered", "offered_pounds", "paid", "paid_pounds"}, {"time_and_trouble", "1", "150.00", "0", "0.00"}, {"Total", "1", "150.00", "0", "0.00"}})
	if rows := get("table=refusals" + period); len(rows) != 2 || !slices.Equal(rows[0], []string{"stage", "exclusion", "reason", "count"}) || rows[1][1] != "legal_proceedings" || rows[1][3] != "1" {
		t.Errorf("refusals: %q", rows)
	}
	if rows := get("table=actions" + period); len(rows) != 5 || len(rows[3]) < 2 || rows[3][1] != "1" {
		t.Errorf("actions: %q", rows)
	}
	wantRows(t, "learning", get("table=learning"+period), [][]string{
		{"reference", "stage", "responded", "service_area", "learning"}, {refs["A"], "1", "2026-04-20", "Repairs", "Book damp surveys within a week"}})
}

// What a resident or a member of staff typed never reaches a spreadsheet
// as a formula.
func TestReportDownloadsAreSafeInSpreadsheets(t *testing.T) {
	s := newSite(t)
	s.story(contact{area: "=HYPERLINK(\"http://evil.example\")", categories: []string{"+SUM(A1)"}, received: "2026-05-05"})
	c := s.signIn("manager")
	for table, want := range map[string]string{"by_service_area": `'=HYPERLINK("http://evil.example")`, "by_category": "'+SUM(A1)"} {
		_, body := s.get(c, "/reports/management.csv?table="+table)
		if rows := readCSV(t, body); len(rows) != 2 || rows[1][0] != want {
			t.Errorf("%s: %q, want the cell %q", table, rows, want)
		}
	}
}

// Reports are for managers and admins.
func TestReportsAreForManagersAndAdmins(t *testing.T) {
	s := newSite(t)
	reportYear(s)
	paths := []string{"/reports", "/reports.csv", "/reports/tsm-return.csv", "/reports/cases?year=2026&measure=Survey%28handling%29&part=numerator", "/reports/data-quality?year=2026",
		"/reports/management", "/reports/management.csv?table=by_kind"}
	for role, want := range map[string]int{"admin": 200, "manager": 200, "officer": 403, "reviewer": 403, "viewer": 403} {
		c := s.signIn(role)
		for _, p := range paths {
			if resp, _ := s.get(c, p); resp.StatusCode != want {
				t.Errorf("%s GET %s: %d, want %d", role, p, resp.StatusCode, want)
			}
		}
		_, body := s.get(c, "/")
		if has := strings.Contains(body, `<a class="govuk-service-navigation__link" href="/reports">Reports</a>`); has != (want == 200) {
			t.Errorf("%s: Reports in the navigation %v, want %v", role, has, want == 200)
		}
	}
	_, body := s.get(s.signIn("manager"), "/reports")
	wantContains(t, "the reports page", body, `<a class="govuk-service-navigation__link" href="/reports" aria-current="page">`)
	for _, p := range paths {
		if resp, _ := s.get(s.browser(), p); resp.StatusCode != 303 {
			t.Errorf("signed out GET %s: %d, want a redirect to sign in", p, resp.StatusCode)
		}
	}
}

// A bad filter is the person's mistake: the form again with the GOV.UK
// error summary, each error linked to its field, never a server error.
func TestReportsRefuseBadFilters(t *testing.T) {
	s := newSite(t)
	c := s.signIn("manager")
	for _, tt := range []struct {
		path   string
		fields []string
	}{
		{"/reports?year=abc", []string{"year"}},
		{"/reports?year=2031", []string{"year"}},
		{"/reports?year=1999&tenure=castle", []string{"year", "tenure"}},
		{"/reports/cases?year=2026&measure=CH03&part=numerator", []string{"measure"}},
		{"/reports/cases?year=2026&measure=CH02(1)&part=half", []string{"part"}},
		{"/reports/cases?year=2026&measure=CH01(1)&part=denominator", []string{"part"}},
		{"/reports/cases?year=twenty&measure=Survey%28handling%29&part=numerator&tenure=leasehold", []string{"year", "tenure"}},
		{"/reports/cases?year=2026&measure=TP09&part=numerator", []string{"measure"}},
		{"/reports/data-quality?year=twenty", []string{"year"}},
		{"/reports/management?from=2026-02-30", []string{"from"}},
		{"/reports/management?from=2026-06-01&to=2026-05-01", []string{"to"}},
		{"/reports/management?from=1900-01-01&to=2026-05-01", []string{"to"}},
		{"/reports/management?stage=3&tenure=castle", []string{"stage", "tenure"}},
		{"/reports/management?service_area=" + url.QueryEscape(strings.Repeat("x", 201)), []string{"service-area"}},
	} {
		resp, body := s.get(c, tt.path)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tt.path, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, `<div class="govuk-error-summary" data-module="govuk-error-summary">`) || !strings.Contains(body, "<title>Error: ") {
			t.Errorf("%s: no error summary or error title", tt.path)
		}
		for _, f := range tt.fields {
			if !strings.Contains(body, `<li><a href="#`+f+`">`) || !strings.Contains(body, `id="`+f+`-error"`) || !strings.Contains(body, `id="`+f+`"`) {
				t.Errorf("%s: the error summary does not lead to the %s field and its message", tt.path, f)
			}
		}
		if n := strings.Count(body, `<li><a href="#`); n != len(tt.fields) {
			t.Errorf("%s: %d errors, want %d", tt.path, n, len(tt.fields))
		}
	}
	// Downloads cannot show a form: the error page, still a 400.
	for _, p := range []string{"/reports.csv?year=abc", "/reports/tsm-return.csv?year=3000", "/reports/management.csv?table=by_kind&from=yesterday",
		"/reports/management.csv?table=secrets"} {
		if resp, body := s.get(c, p); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "There is a problem") {
			t.Errorf("%s: %d, want 400 with the error page", p, resp.StatusCode)
		}
	}
}

// The response form records the kind of compensation and what was learnt.
func TestRespondFormRecordsCompensationKindAndLearning(t *testing.T) {
	s := newSite(t)
	ref := s.story(contact{received: "2026-11-16"}, step{"2026-11-17", ackPoint})
	c := s.signIn("officer")
	_, page := s.get(c, "/cases/"+ref)
	wantContains(t, "the case page", page, `<label class="govuk-label" for="respond-remedy-1-compensation-kind">Kind of compensation for remedy 1</label>`,
		`name="remedy.1.compensation_kind"`, `<option value="distress_and_inconvenience">Distress and inconvenience</option>`,
		`<textarea class="govuk-textarea" id="respond-learning" name="learning"`)
	form := url.Values{"version": {"2"}, "outcome.1": {"upheld"}, "reasons.1": {"It was not done."},
		"remedy.1.kind": {"compensation"}, "remedy.1.description": {"For the time and trouble"}, "remedy.1.amount": {"75.50"},
		"remedy.1.compensation_kind": {"fair_and_square"}, "learning": {"Check the contractor's diary before booking"}}
	resp, body := s.post(c, "/cases/"+ref+"/respond", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<li><a href="#respond-remedy-1-compensation-kind">`) {
		t.Fatalf("an unknown kind of compensation: %d, want 400 with the error on its field\n%s", resp.StatusCode, pageText(body))
	}
	wantContains(t, "the form sent again", body, `<textarea class="govuk-textarea" id="respond-learning" name="learning" rows="3" aria-describedby="respond-learning-hint">Check the contractor&#39;s diary before booking</textarea>`)
	form.Set("remedy.1.compensation_kind", "time_and_trouble")
	if resp, body := s.post(c, "/cases/"+ref+"/respond", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: %d\n%s", resp.StatusCode, pageText(body))
	}
	got, err := s.st.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Remedies) != 1 || got.Remedies[0].CompensationKind != "time_and_trouble" || got.Remedies[0].AmountPence != 7550 {
		t.Errorf("remedies %+v", got.Remedies)
	}
	// Issue 12, rule 1: the decisions are a draft until the letter goes.
	if got.Current().Learning != "Check the contractor's diary before booking" || got.Status != complaint.StatusAcknowledged || !got.Current().RespondedAt.IsZero() {
		t.Errorf("stage 1 is %s, responded %v, with learning %q; want the draft recorded and not yet responded", got.Status, got.Current().RespondedAt, got.Current().Learning)
	}
	_, page = s.get(c, "/cases/"+ref)
	wantContains(t, "the case page with a draft response", page, "The decisions are recorded as a draft: the resident has not had the response.",
		`href="/cases/`+ref+`/letters/new?kind=stage1_response"`)
	if resp, body := s.post(c, "/cases/"+ref+"/close", url.Values{"version": {"3"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("closing with only a draft response: %d, want 409\n%.300s", resp.StatusCode, pageText(body))
	}
	_, page = s.get(c, "/cases/"+ref+"/letters/new?kind=stage1_response")
	if resp, body := s.post(c, "/cases/"+ref+"/letters", issueForm("stage1_response", draftBody(t, page), "print")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issuing the response: %d\n%.600s", resp.StatusCode, pageText(body))
	}
	if got, err = s.st.GetCase(context.Background(), ref); err != nil || got.Status != complaint.StatusResponded || !got.Current().RespondedAt.Equal(s.now) {
		t.Errorf("after the letter: %s responded %v (%v); want responded now", got.Status, got.Current().RespondedAt, err)
	}
}

// The public summary needs no sign-in and shows figures only: no case
// reference, name or address, whatever the cases hold.
func TestPublicSummaryHasNoPersonalData(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Complaint about Mrs Example at 1 Private Road", false)
	resp, body := s.get(s.browser(), "/summary")
	if resp.StatusCode != 200 {
		t.Fatalf("summary: %d", resp.StatusCode)
	}
	for _, must := range []string{"CH01(1)", "CH02(2)", "TP09", "How we counted", `role="img"`} {
		if !strings.Contains(body, must) {
			t.Errorf("summary lacks %q", must)
		}
	}
	for _, never := range []string{ref, "Mrs Example", "Ada Resident", "ada@example.org", "/cases/", "Signed in as"} {
		if strings.Contains(body, never) {
			t.Errorf("summary shows %q", never)
		}
	}
	if resp, _ := s.get(s.browser(), "/summary?year=banana"); resp.StatusCode != 400 {
		t.Errorf("bad year: %d", resp.StatusCode)
	}
}

// A manager records a year's homes on a page, and CH01 divides by them.
func TestHomesByTenureArePerYearAndUsedByCH01(t *testing.T) {
	s := newSite(t)
	s.newCaseWith("officer", "A stage 1 complaint", false, "low_cost_rental")
	m := s.signIn("manager")
	resp, body := s.post(m, "/reports/homes", url.Values{"year": {"2026"}, "low_cost_rental": {"1,000"}, "low_cost_home_ownership": {"0"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Homes recorded for 2026/27") {
		t.Fatalf("record homes: %d\n%.400s", resp.StatusCode, body)
	}
	_, body = s.get(m, "/reports?year=2026")
	if !strings.Contains(body, "1.0 per 1,000 homes") {
		t.Errorf("CH01 does not divide by the recorded homes:\n%s", body)
	}
	resp, body = s.post(m, "/reports/homes", url.Values{"year": {"2026"}, "low_cost_rental": {"lots"}, "low_cost_home_ownership": {"-3"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `value="lots"`) {
		t.Errorf("bad homes: %d, no error summary or the typed value lost", resp.StatusCode)
	}
	if resp, _ := s.post(s.signIn("officer"), "/reports/homes", url.Values{"year": {"2026"}, "low_cost_rental": {"5"}, "low_cost_home_ownership": {"5"}}); resp.StatusCode != 403 {
		t.Errorf("officer records homes: %d", resp.StatusCode)
	}
	if h, _, err := s.st.HomesIn(context.Background(), 2026); err != nil {
		t.Errorf("homes for 2026: %v", err)
	} else if h.LowCostRental != 1000 {
		t.Errorf("homes changed by a refused form: %+v", h)
	}
}

// TestManagementDownloadsCompliments (000, 003 §2): the compliments passed
// on download from the management page as whom they praised, by kind,
// as the page shows them.
func TestManagementDownloadsCompliments(t *testing.T) {
	s := newSite(t)
	ref := s.story(contact{kind: complaint.KindCompliment, area: "Repairs", received: "2026-11-02"})
	c := s.signIn("manager")
	if resp, page := s.post(c, "/cases/"+ref+"/compliment", url.Values{"colleague": {s.users["officer"].Email}, "team": {"Repairs"},
		"contractor_name": {"Ace Roofing"}, "contractor_email": {"office@ace.example"}, "manager": {s.users["manager"].Email}}); resp.StatusCode != 303 {
		t.Fatalf("passing the compliment on: %d\n%s", resp.StatusCode, pageText(page))
	}
	if _, page := s.get(c, "/reports/management?from=2026-04-01&to=2026-11-23"); !strings.Contains(page, "table=compliments") {
		t.Error("the management page offers no download of the compliments")
	}
	resp, body := s.get(c, "/reports/management.csv?table=compliments&from=2026-04-01&to=2026-11-23")
	if resp.StatusCode != 200 {
		t.Fatalf("the compliments CSV: %d\n%s", resp.StatusCode, body)
	}
	wantRows(t, "compliments", readCSV(t, body), [][]string{{"praised", "name", "count"},
		{"colleague", s.users["officer"].Name, "1"}, {"team", "Repairs", "1"}, {"contractor", "Ace Roofing", "1"}})
}
