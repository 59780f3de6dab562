package app

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store/testdb"
)

// pageText is a page's visible text, its tags removed and its spaces
// squeezed, for finding figures in.
func pageText(body string) string {
	body = regexp.MustCompile(`(?s)<(script|style|svg)\b.*?</(script|style|svg)>`).ReplaceAllString(body, " ")
	body = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

// figure returns the number re's first group matches in text, failing
// the test if it matches nothing.
func figure(t *testing.T, page, text string, re string) int {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(text)
	if m == nil {
		t.Errorf("%s: no figure matching %q in:\n%.3000s", page, re, text)
		return 0
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	if err != nil {
		t.Fatalf("%s: %q is not a number", page, m[1])
	}
	return n
}

// The demo landlord, loaded by serve --demo through the app, gives every
// report page real figures for this reporting year and the last (homes by
// tenure, complaints received and answered, TP09, Redress's own survey,
// hazards, late records, restrictions, compensation, the Ombudsman's
// findings), and the public summary shows them signed out. The demo's
// manager signs in with the password the demo printed.
func TestTheDemoGivesEveryReportPageAndThePublicSummaryFigures(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	a, err := New(ctx, Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), Demo: true, Stdout: &out}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	base := serve(t, a)
	m := regexp.MustCompile(`helen\.marsh@riverside-vale\.example\s+manager\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the demo printed no password for its manager:\n%s", out.String())
	}
	manager, public := brandClient(t), brandClient(t)
	resp, err := manager.PostForm(base+"/sign-in", url.Values{"email": {"helen.marsh@riverside-vale.example"}, "password": {m[1]}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in as the demo's manager: %d", resp.StatusCode)
	}
	get := func(c *http.Client, path string) string {
		t.Helper()
		resp, body := brandGet(t, c, base, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%.1000s", path, resp.StatusCode, pageText(body))
		}
		return pageText(body)
	}
	type check struct{ name, re string }
	this := report.YearOf(calendar.DateOf(clock.Wall()))
	for _, y := range []report.Year{this - 1, this} {
		q := "?year=" + strconv.Itoa(int(y))
		for _, p := range []struct {
			c      *http.Client
			path   string
			checks []check
		}{
			{manager, "/reports" + q, []check{
				{"stage 1 complaints received", `CH01\(1\) Stage 1 complaints received per 1,000 homes [\d.]+ per 1,000 homes (\d+) stage 1 complaints received, all homes`},
				{"homes owned", `stage 1 complaints received, all homes of ([\d,]+) homes owned`},
				{"stage 1 responses", `CH02\(1\) Stage 1 complaints responded to within the Code's timescale [\d.]+% \d+ responded to within the Code's timescale, all homes of (\d+) stage 1 responses`},
				{"TP09 respondents", `of (\d+) respondents who had complained`},
				{"survey answers", `Satisfaction with complaint handling, from Redress's own survey [\d.]+% \d+ very or fairly satisfied, all homes of (\d+) survey answers`},
			}},
			{public, "/summary" + q, []check{
				{"stage 1 complaints received", `CH01\(1\) Stage 1 complaints received per 1,000 homes [\d.]+ per 1,000 homes (\d+) of [\d,]+ homes owned`},
				{"homes owned", `CH01\(1\) Stage 1 complaints received per 1,000 homes [\d.]+ per 1,000 homes \d+ of ([\d,]+) homes owned`},
				{"stage 1 responses", `CH02\(1\) Stage 1 complaints responded to within the Code's timescale [\d.]+% \d+ of (\d+) stage 1 responses`},
				{"TP09 respondents", `of (\d+) respondents who had complained`},
				{"survey answers", `Satisfaction with complaint handling, from Redress's own survey [\d.]+% \d+ of (\d+) survey answers`},
			}},
			{manager, "/reports/cases?measure=CH01%281%29&part=numerator&year=" + strconv.Itoa(int(y)), []check{
				{"cases behind CH01(1)", `C-\d{4}-0*(\d+)`},
			}},
			{manager, "/reports/data-quality" + q, []check{
				{"events recorded late", `C-\d{4}-0*(\d+)`},
			}},
			{manager, "/reports/pack?period=" + strconv.Itoa(int(y)), []check{
				{"compensation offered", `Compensation, \d{4}/\d\d Kind Offered Paid Goodwill (\d+), £`},
			}},
		} {
			text := get(p.c, p.path)
			for _, c := range p.checks {
				if n := figure(t, p.path, text, c.re); n == 0 {
					t.Errorf("%s: %s is 0", p.path, c.name)
				}
			}
		}
		// The annual review lists the year's improvements.
		if text := get(manager, "/reports/review"+q); !strings.Contains(text, "Service improvements in "+y.String()) {
			t.Errorf("/reports/review%s lists no improvement for %s", q, y)
		}
	}
	// The pages with this year's figures only: the demo's hazard, its
	// contact restriction and its Ombudsman determination are recent.
	q := "?year=" + strconv.Itoa(int(this))
	for _, p := range []struct {
		path   string
		checks []check
	}{
		{"/reports/hazards" + q, []check{{"hazards", `All hazards (\d+)`}}},
		{"/reports/management", []check{
			{"stage 1 complaints received", `Figure Stage 1 Stage 2 Received (\d+) \d+`},
			{"stage 2 complaints received", `Figure Stage 1 Stage 2 Received \d+ (\d+)`},
			{"compensation offered", `Total (\d+) £`},
			{"warnings given", `Warnings given (\d+)`},
			{"restrictions decided", `Restrictions decided (\d+)`},
		}},
		{"/reports/pack?period=" + strconv.Itoa(int(this)), []check{
			{"Ombudsman determinations", `made (\d+) determinations`},
			{"Ombudsman findings of service failure", `Service failure (\d+)`},
		}},
		{"/", []check{{"new from the resident", `(\d+)?New from resident`}}},
	} {
		text := get(manager, p.path)
		for _, c := range p.checks {
			if c.name == "new from the resident" {
				if !strings.Contains(text, "New from resident") {
					t.Errorf("the dashboard shows no case with something new from the resident")
				}
				continue
			}
			if n := figure(t, p.path, text, c.re); n == 0 {
				t.Errorf("%s: %s is 0", p.path, c.name)
			}
		}
	}
}
