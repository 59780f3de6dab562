package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// TestTenureCanBeSetAndCorrectedAtAnyTimeAndIsAudited is issue 12's rule
// 7 over HTTP: a complaint logged with no tenure is in no tenure's CH01
// until an officer sets it; a closed case's details can still be
// corrected; the events record the old and new values; every bad field
// is named; and the audit replays the corrections.
func TestTenureCanBeSetAndCorrectedAtAnyTimeAndIsAudited(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("vic", "viewer")
	body := newComplaint("2026-12-21T10:00:00Z")
	delete(body, "tenure")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", body).body, "reference")
	path := "/api/v1/cases/" + ref + "/details"

	ch01 := func(tenure *complaint.Tenure) []string {
		t.Helper()
		refs, _, err := a.st.TSMCases(context.Background(), store.TSMQuery{
			Measure: report.CH01Stage1, Numerator: true, Tenure: tenure,
			From: calendar.MustParseDate("2026-04-01"), To: calendar.MustParseDate("2027-03-31"),
			Viewer: store.Viewer{AllConfidential: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return refs
	}
	lcra, none := complaint.Tenure("low_cost_rental"), report.NotRecorded
	if !slices.Contains(ch01(&none), ref) || slices.Contains(ch01(nil), ref) || slices.Contains(ch01(&lcra), ref) {
		t.Fatalf("before tenure is set: not recorded %v, All %v, LCRA %v; want it only under not recorded", ch01(&none), ch01(nil), ch01(&lcra))
	}

	for _, tt := range []struct {
		name  string
		body  any
		field string
	}{
		{"an unknown tenure", map[string]any{"tenure": "freehold"}, "tenure"},
		{"a blank summary", map[string]any{"summary": " "}, "summary"},
		{"a bad email", map[string]any{"complainant": map[string]any{"name": "Ada", "email": "nope"}}, "complainant.email"},
		{"changes given", map[string]any{"tenure": "other", "changes": []any{}}, "changes"},
		{"nothing given", map[string]any{}, "body"},
		{"an unknown field", map[string]any{"tenancy": "other"}, "tenancy"},
	} {
		r := a.must(400, "olive", "POST", path, tt.body)
		if get(r.body, "error", "fields", tt.field) == nil {
			t.Errorf("%s: 400 %s does not name %s", tt.name, r.raw, tt.field)
		}
	}
	a.must(403, "vic", "POST", path, map[string]any{"tenure": "other"})
	if l := getList(t, a.must(200, "olive", "GET", "/api/v1/cases?no_tenure=true", nil).body, "cases"); len(l) != 1 || get(l[0], "reference") != ref {
		t.Errorf("the cases with no tenure: %v, want %s", l, ref)
	}
	a.must(400, "olive", "GET", "/api/v1/cases?no_tenure=maybe", nil)

	r := a.must(200, "olive", "POST", path, map[string]any{"tenure": "low_cost_rental", "reason": "Checked the tenancy"})
	if get(r.body, "tenure") != "low_cost_rental" {
		t.Errorf("tenure %v", get(r.body, "tenure"))
	}
	if l := getList(t, a.must(200, "olive", "GET", "/api/v1/cases?no_tenure=true", nil).body, "cases"); len(l) != 0 {
		t.Errorf("the cases with no tenure after it is set: %v", l)
	}
	if !slices.Contains(ch01(&lcra), ref) || !slices.Contains(ch01(nil), ref) || slices.Contains(ch01(&none), ref) {
		t.Errorf("after tenure is set: LCRA %v, All %v, not recorded %v; want it in LCRA and All", ch01(&lcra), ch01(nil), ch01(&none))
	}

	// Closed, and still corrected.
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/withdraw", map[string]any{"reason": "Resolved informally"})
	a.must(200, "olive", "POST", path, map[string]any{"tenure": "other", "service_area": "Estates", "categories": []string{"Grounds"}})
	a.must(409, "olive", "POST", path, map[string]any{"tenure": "other"})

	evs := getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")
	var edits []any
	for _, e := range evs {
		if get(e, "kind") == "details_edited" {
			edits = append(edits, e)
		}
	}
	if len(edits) != 2 {
		t.Fatalf("%d details_edited events, want 2", len(edits))
	}
	if get(edits[0], "data", "changes", 0, "field") != "tenure" || get(edits[0], "data", "changes", 0, "from") != "" || get(edits[0], "data", "changes", 0, "to") != "low_cost_rental" {
		t.Errorf("first correction recorded %v", get(edits[0], "data"))
	}
	var fields []string
	for _, c := range getList(t, edits[1], "data", "changes") {
		fields = append(fields, getString(t, c, "field")+":"+getString(t, c, "from")+">"+getString(t, c, "to"))
	}
	if want := "tenure:low_cost_rental>other service_area:repairs>Estates categories:damp; roofing>Grounds"; strings.Join(fields, " ") != want {
		t.Errorf("second correction recorded %q, want %q", strings.Join(fields, " "), want)
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
