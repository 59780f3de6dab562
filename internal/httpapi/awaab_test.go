package httpapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// TestAwaabsLawClocksOverHTTP drives an emergency and a significant
// hazard through the API (issue 14): the emergency's 24 hours run
// across a weekend to the minute; the significant hazard's investigation
// is due 10 working days from awareness and its summary and works clocks
// count from the investigation's end; each step is recorded with its
// time, misfits are refused, and both cases are on the Awaab's Law list
// until their clocks are met.
func TestAwaabsLawClocksOverHTTP(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("vic", "viewer")
	newCase := func(received, summary string) string {
		body := newComplaint(received)
		body["summary"] = summary
		return getString(t, a.must(201, "olive", "POST", "/api/v1/cases", body).body, "reference")
	}
	clocks := func(r reply) map[string]map[string]any {
		t.Helper()
		out := map[string]map[string]any{}
		for _, k := range getList(t, r.body, "hazard", "clocks") {
			out[getString(t, k, "code")] = k.(map[string]any)
		}
		return out
	}
	wantTime := func(what string, got any, want string) {
		t.Helper()
		s, _ := got.(string)
		g, err := time.Parse(time.RFC3339Nano, s)
		w, _ := time.Parse(time.RFC3339, want)
		if err != nil || !g.Equal(w) {
			t.Errorf("%s = %v, want %s", what, got, want)
		}
	}
	listed := func() []string {
		t.Helper()
		cs, err := a.st.HazardsDue(context.Background(), store.Viewer{AllConfidential: true})
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, c := range cs {
			refs = append(refs, c.Reference)
		}
		return refs
	}

	// An emergency, reported on a Friday morning: 24 hours, in hours,
	// across the weekend.
	gas := newCase("2026-11-27T09:00:00Z", "Smell of gas in the kitchen")
	hazard, step := "/api/v1/cases/"+gas+"/hazard", "/api/v1/cases/"+gas+"/hazard-step"
	a.must(409, "olive", "POST", step, map[string]any{"step": "made_safe", "at": "2026-11-27T09:40:00Z"}) // classify first
	a.must(400, "olive", "POST", hazard, map[string]any{"class": "urgent", "at": "2026-11-27T09:45:00Z"})
	a.must(400, "olive", "POST", hazard, map[string]any{"class": "emergency", "why": "x"})
	a.must(400, "olive", "POST", hazard, map[string]any{"class": "emergency", "aware_at": "2026-11-27T10:00:00Z", "at": "2026-11-27T09:45:00Z"}) // aware after now
	a.must(403, "vic", "POST", hazard, map[string]any{"class": "emergency"})
	r := a.must(200, "olive", "POST", hazard, map[string]any{"class": "emergency", "aware_at": "2026-11-27T09:30:00Z",
		"description": "Gas smell by the cooker", "at": "2026-11-27T09:45:00Z"})
	if get(r.body, "hazard", "class") != "emergency" || get(r.body, "hazard", "classified_by") != "olive@example.org" {
		t.Errorf("hazard = %v", get(r.body, "hazard"))
	}
	wantTime("aware_at", get(r.body, "hazard", "aware_at"), "2026-11-27T09:30:00Z")
	ks := clocks(r)
	if len(ks) != 2 || ks["investigate"] == nil || ks["make_safe"] == nil {
		t.Fatalf("an emergency's clocks: %v", ks)
	}
	for code, k := range ks {
		wantTime(code+" due", k["due"], "2026-11-28T09:30:00Z")
		if k["hours"] != true || k["due_date"] != "2026-11-28" || k["met_at"] != nil {
			t.Errorf("%s: %v, want a clock in hours due on Saturday 28 November and not met", code, k)
		}
	}
	if !slices.Contains(listed(), gas) {
		t.Errorf("the emergency is not on the Awaab's Law list: %v", listed())
	}
	a.must(409, "olive", "POST", step, map[string]any{"step": "summary_sent", "at": "2026-11-27T10:00:00Z"}) // not an emergency's step
	a.must(400, "olive", "POST", step, map[string]any{"step": "investigated", "at": "2026-11-27T10:00:00Z"}) // findings required
	a.must(200, "olive", "POST", step, map[string]any{"step": "investigated", "findings": "Loose gas fitting", "at": "2026-11-27T13:00:00Z"})
	a.must(409, "olive", "POST", step, map[string]any{"step": "investigated", "findings": "Again", "at": "2026-11-27T13:05:00Z"})
	a.must(409, "olive", "POST", "/api/v1/cases/"+gas+"/accommodation", map[string]any{"status": "accepted", "at": "2026-11-27T14:00:00Z"}) // no offer yet
	a.must(200, "olive", "POST", "/api/v1/cases/"+gas+"/accommodation", map[string]any{"status": "offered", "note": "Hotel for the night", "at": "2026-11-27T14:00:00Z"})
	a.must(200, "olive", "POST", "/api/v1/cases/"+gas+"/accommodation", map[string]any{"status": "declined", "at": "2026-11-27T14:30:00Z"})
	r = a.must(200, "olive", "POST", step, map[string]any{"step": "made_safe", "at": "2026-11-28T08:00:00Z"})
	ks = clocks(r)
	wantTime("investigated", ks["investigate"]["met_at"], "2026-11-27T13:00:00Z")
	wantTime("made safe", ks["make_safe"]["met_at"], "2026-11-28T08:00:00Z")
	if acc := getList(t, r.body, "hazard", "accommodation"); len(acc) != 2 || get(acc[1], "status") != "declined" {
		t.Errorf("accommodation = %v", acc)
	}
	if slices.Contains(listed(), gas) {
		t.Errorf("made safe in time, the emergency is still on the Awaab's Law list")
	}

	// A significant hazard: 10 working days from awareness, then the
	// summary (3) and the works (5) from the investigation's end.
	mould := newCase("2026-11-27T10:00:00Z", "Black mould in my son's bedroom")
	hazard, step = "/api/v1/cases/"+mould+"/hazard", "/api/v1/cases/"+mould+"/hazard-step"
	r = a.must(200, "olive", "POST", hazard, map[string]any{"class": "significant", "at": "2026-11-27T10:05:00Z"})
	wantTime("aware_at (the receipt)", get(r.body, "hazard", "aware_at"), "2026-11-27T10:00:00Z")
	ks = clocks(r)
	if len(ks) != 1 || get(ks["investigate"], "due_date") != "2026-12-11" || ks["investigate"]["hours"] != nil {
		t.Fatalf("before the investigation, want only the investigation due 11 December in working days: %v", ks)
	}
	a.must(409, "olive", "POST", step, map[string]any{"step": "summary_sent", "at": "2026-11-30T10:00:00Z"}) // before the investigation
	r = a.must(200, "olive", "POST", step, map[string]any{"step": "investigated", "findings": "Mould from a failed extractor fan", "at": "2026-12-03T11:00:00Z"})
	ks = clocks(r)
	for code, want := range map[string]string{"investigate": "2026-12-11", "summary": "2026-12-08", "safety_works": "2026-12-10", "preventative_works": "2026-12-10"} {
		if got := get(ks[code], "due_date"); got != want {
			t.Errorf("%s due %v, want %s", code, got, want)
		}
	}
	wantTime("investigated", ks["investigate"]["met_at"], "2026-12-03T11:00:00Z")
	r = a.must(200, "olive", "POST", step, map[string]any{"step": "summary_sent", "at": "2026-12-04T11:00:00Z"})
	wantTime("summary sent", clocks(r)["summary"]["met_at"], "2026-12-04T11:00:00Z")
	if !slices.Contains(listed(), mould) {
		t.Errorf("with its works clocks running, the significant hazard is not listed: %v", listed())
	}

	var kinds []string
	for _, e := range getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+gas+"/events", nil).body, "events") {
		kinds = append(kinds, getString(t, e, "kind"))
	}
	if want := []string{"created", "hazard_classified", "hazard_step", "accommodation_recorded", "accommodation_recorded", "hazard_step"}; !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
