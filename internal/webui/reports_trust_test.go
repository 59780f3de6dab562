package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/report"
)

// A manager records TP09 from the perception survey on the measures page;
// bad input is refused on its field with nothing recorded, and only then
// do the page and the return carry TP09, never the post-closure survey.
func TestTP09IsRecordedByAManagerFromThePerceptionSurvey(t *testing.T) {
	s := newSite(t)
	reportYear(s)
	c := s.signIn("manager")
	good := url.Values{"year": {"2026"}, "lcra_respondents": {"420"}, "lcra_satisfied": {"300"}, "lcho_respondents": {"40"}, "lcho_satisfied": {"10"}}
	for _, tt := range []struct {
		name   string
		change url.Values
		fields []string
	}{
		{"more satisfied than respondents", url.Values{"lcra_satisfied": {"421"}}, []string{"lcra_satisfied"}},
		{"not numbers", url.Values{"lcho_respondents": {"forty"}, "lcra_satisfied": {"-3"}}, []string{"lcra_satisfied", "lcho_respondents"}},
		{"no respondents at all", url.Values{"lcra_respondents": {"0"}, "lcra_satisfied": {"0"}, "lcho_respondents": {"0"}, "lcho_satisfied": {"0"}}, []string{"lcra_respondents"}},
		{"a year not offered", url.Values{"year": {"1990"}}, []string{"year"}},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		for k, v := range tt.change {
			form[k] = v
		}
		resp, body := s.post(c, "/reports/tp09", form)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tt.name, resp.StatusCode)
			continue
		}
		for _, f := range tt.fields {
			id := strings.ReplaceAll(f, "_", "-")
			if !strings.Contains(body, `<li><a href="#`+id+`">`) || !strings.Contains(body, `id="`+id+`-error"`) || !strings.Contains(body, `name="`+f+`"`) {
				t.Errorf("%s: no error on %s", tt.name, f)
			}
		}
		if n := strings.Count(body, `<li><a href="#`); n != len(tt.fields) {
			t.Errorf("%s: %d errors, want %d", tt.name, n, len(tt.fields))
		}
	}
	if rs, err := s.st.TP09Results(context.Background(), 2026); err != nil || len(rs) != 0 {
		t.Fatalf("after refused entries: %+v, %v", rs, err)
	}
	if resp, _ := s.post(s.signIn("officer"), "/reports/tp09", good); resp.StatusCode == http.StatusSeeOther {
		t.Error("an officer recorded TP09")
	}

	resp, body := s.post(c, "/reports/tp09", good)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/reports?tp09=saved&year=2026#tp09" {
		t.Fatalf("record TP09: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), pageText(body))
	}
	rs, err := s.st.TP09Results(context.Background(), 2026)
	if err != nil || len(rs) != 1 || rs[0].RecordedBy != "manager@example.org" || !rs[0].RecordedAt.Equal(s.now) {
		t.Fatalf("TP09 recorded: %+v, %v", rs, err)
	}
	_, body = s.get(c, "/reports?tp09=saved&year=2026")
	rows := tableOf(t, body, "Complaints measures, 2026/27")
	needCell(t, "the measures", rows, 5, 3)
	wantRows(t, "TP09", rows[5:6], [][]string{{
		"TP09 " + report.TP09Title,
		"67.4% 310 of 460 respondents who had complained", "71.4% 300 of 420 respondents who had complained", "25.0% 10 of 40 respondents who had complained"}})
	wantContains(t, "the measures page", pageText(body), "TP09 recorded for 2026/27.", "recorded by manager@example.org on 23 November 2026",
		"Satisfaction from Redress's own survey (Survey(handling), Survey(outcome)) is not TP09")
	wantRows(t, "the entries", tableOf(t, body, "TP09 entries for 2026/27, latest first"), [][]string{
		{"Recorded", "By", "Low-cost rental", "Low-cost home ownership"},
		{"23 November 2026 at 10:00am", "manager@example.org", "300 of 420", "10 of 40"}})

	_, body = s.get(c, "/reports/tsm-return.csv?year=2026")
	var tp09 [][]string
	for _, row := range readCSV(t, body) {
		if row[0] == "TP09" {
			tp09 = append(tp09, row[2:6])
		}
	}
	wantRows(t, "TP09 in the return", tp09, [][]string{{"All", "310", "460", "67.4"}, {"LCRA", "300", "420", "71.4"}, {"LCHO", "10", "40", "25.0"}})
}

// The data-quality page lists each event dated more than one working day
// before it was recorded, with who recorded it, for the year chosen; the
// measures page counts them.
func TestDataQualityListsEventsRecordedMoreThanOneWorkingDayLate(t *testing.T) {
	s := newSite(t)
	// Today is Monday 23 November 2026. Received Monday 16 November,
	// logged today: 5 working days late.
	late := s.story(contact{tenure: "low_cost_rental", received: "2026-11-16"})
	// Received on Friday, logged on Monday: one working day, as usual.
	s.story(contact{tenure: "low_cost_rental", received: "2026-11-20"})
	c := s.signIn("manager")
	resp, body := s.get(c, "/reports/data-quality?year=2026")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /reports/data-quality: %d\n%s", resp.StatusCode, pageText(body))
	}
	wantRows(t, "the late events", tableOf(t, body, "Events dated more than one working day before they were recorded, 2026/27"), [][]string{
		{"Case", "Event", "Dated", "Recorded", "Working days later", "By"},
		{late, "Created", "16 November 2026 at 10:00am", "23 November 2026 at 10:00am", "5", "officer@example.org"},
	})
	_, body = s.get(c, "/reports/data-quality?year=2025")
	wantContains(t, "2025/26", pageText(body), "No event dated in 2025/26 was recorded more than one working day late.")
	_, body = s.get(c, "/reports?year=2026")
	wantContains(t, "the measures page", pageText(body), "1 event dated in 2026/27 was recorded more than one working day late")
	wantContains(t, "the measures page", body, `href="/reports/data-quality?year=2026"`)
	if resp, _ := s.get(s.signIn("officer"), "/reports/data-quality?year=2026"); resp.StatusCode == http.StatusOK {
		t.Error("an officer sees the data-quality page")
	}
}
