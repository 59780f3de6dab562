package httpapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// TestHazardReportOverHTTP: GET /api/v1/reports/hazards gives managers
// the year's Awaab's Law figures, each count with the cases behind it;
// an emergency made safe in time meets its clocks, a significant hazard
// not yet investigated is running; a bad year is invalid and an officer
// is forbidden.
func TestHazardReportOverHTTP(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	a := newAPI(t, "code-2024", now)
	a.user("olive", "officer")
	a.user("mo", "manager")
	p, cal := policytest.Code(t)
	do := func(ref string, at time.Time, cmd complaint.Command) {
		t.Helper()
		_, err := a.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, complaint.Env{Now: at, Actor: complaint.Actor{Email: "olive@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr})
		})
		if err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	gas := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T09:00:00Z")).body, "reference")
	do(gas, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), complaint.ClassifyHazard{Class: complaint.HazardEmergency})
	do(gas, time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Loose gas fitting"})
	do(gas, time.Date(2026, 11, 20, 21, 0, 0, 0, time.UTC), complaint.RecordHazardStep{Step: complaint.StepMadeSafe})
	mould := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T09:00:00Z")).body, "reference")
	do(mould, now, complaint.ClassifyHazard{Class: complaint.HazardSignificant})

	a.must(403, "olive", "GET", "/api/v1/reports/hazards?year=2026", nil)
	a.must(400, "mo", "GET", "/api/v1/reports/hazards?year=1999", nil)
	r := a.must(200, "mo", "GET", "/api/v1/reports/hazards?year=2026", nil)
	refs := func(v any) []string {
		var out []string
		for _, x := range getList(t, v, "references") {
			out = append(out, x.(string))
		}
		return out
	}
	if got := refs(get(r.body, "reported")); !slices.Equal(got, []string{gas, mould}) || get(r.body, "reported", "n") != 2.0 {
		t.Errorf("reported = %v (%v), want %s and %s", got, get(r.body, "reported", "n"), gas, mould)
	}
	for _, row := range getList(t, r.body, "by_route") {
		if get(row, "key") == "complaint" && get(row, "count", "n") != 2.0 {
			t.Errorf("through a complaint: %v, want 2", get(row, "count", "n"))
		}
	}
	found := 0
	for _, k := range getList(t, r.body, "clocks") {
		switch {
		case get(k, "class") == "emergency" && get(k, "code") == "make_safe":
			found++
			if got := refs(get(k, "met")); !slices.Equal(got, []string{gas}) {
				t.Errorf("emergency made safe in time: met = %v", got)
			}
		case get(k, "class") == "significant" && get(k, "code") == "investigate":
			found++
			if got := refs(get(k, "running")); !slices.Equal(got, []string{mould}) {
				t.Errorf("significant investigation: running = %v", got)
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the two clocks: %v", found, get(r.body, "clocks"))
	}
	for _, m := range getList(t, r.body, "make_safe") {
		if get(m, "class") == "emergency" && (get(m, "median") != 12.0 || get(m, "unit") != "hours") {
			t.Errorf("emergency time to make safe = %v %v, want 12 hours (aware on receipt at 09:00, safe at 21:00)", get(m, "median"), get(m, "unit"))
		}
	}
}
