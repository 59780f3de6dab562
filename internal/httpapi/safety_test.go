package httpapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// TestHealthAndSafetyFlagOverHTTP is issue 12's rule 10 (003) through the
// API: an officer flags an old case at any time; it then waits for a
// senior manager, who alone acknowledges it; who and when are on the
// case; only a senior manager clears a flag nobody senior has seen; the
// events replay in the audit.
func TestHealthAndSafetyFlagOverHTTP(t *testing.T) {
	a := newAPI(t, "feedback-policy-2018", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("rex", "reviewer")
	a.user("mo", "manager")
	a.user("vic", "viewer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-05-11T10:00:00Z")).body, "reference")
	flag, ack := "/api/v1/cases/"+ref+"/safety-flag", "/api/v1/cases/"+ref+"/safety-acknowledge"
	waiting := func() []string {
		t.Helper()
		cs, err := a.st.SafetyWaiting(context.Background(), store.Viewer{AllConfidential: true})
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, c := range cs {
			refs = append(refs, c.Reference)
		}
		return refs
	}

	a.must(409, "mo", "POST", ack, nil)                                             // nothing to acknowledge
	a.must(400, "olive", "POST", flag, map[string]any{"flagged": true, "why": "x"}) // unknown field
	a.must(400, "olive", "POST", flag, "")                                          // a body is required
	a.must(403, "vic", "POST", flag, map[string]any{"flagged": true})
	r := a.must(200, "olive", "POST", flag, map[string]any{"flagged": true, "reason": "Exposed wiring seen on a visit"})
	if get(r.body, "health_and_safety") != true || get(r.body, "safety_acknowledged_at") != nil {
		t.Errorf("flagged: %v, acknowledged at %v", get(r.body, "health_and_safety"), get(r.body, "safety_acknowledged_at"))
	}
	if !slices.Contains(waiting(), ref) {
		t.Errorf("flagged, %s is not waiting: %v", ref, waiting())
	}
	a.must(409, "olive", "POST", flag, map[string]any{"flagged": true})
	a.must(409, "olive", "POST", flag, map[string]any{"flagged": false, "reason": "False alarm"}) // not the officer's to clear unseen
	a.must(400, "mo", "POST", flag, map[string]any{"flagged": false})                             // clearing needs a reason
	a.must(409, "olive", "POST", ack, map[string]any{})
	a.must(409, "rex", "POST", ack, map[string]any{"note": "Seen"})

	r = a.must(200, "mo", "POST", ack, map[string]any{"note": "Electrician booked"})
	if get(r.body, "safety_acknowledged_by") != "mo@example.org" || get(r.body, "safety_acknowledged_at") != "2027-04-01T09:00:00Z" {
		t.Errorf("acknowledged by %v at %v", get(r.body, "safety_acknowledged_by"), get(r.body, "safety_acknowledged_at"))
	}
	if slices.Contains(waiting(), ref) {
		t.Errorf("acknowledged, %s still waits", ref)
	}
	a.must(409, "mo", "POST", ack, nil)
	a.must(200, "olive", "POST", flag, map[string]any{"flagged": false, "reason": "Made safe"})
	r = a.must(200, "olive", "POST", flag, map[string]any{"flagged": true, "reason": "Sparking again"})
	if get(r.body, "safety_acknowledged_by") != nil || !slices.Contains(waiting(), ref) {
		t.Errorf("flagged again: acknowledged by %v, waiting %v", get(r.body, "safety_acknowledged_by"), waiting())
	}

	var kinds []string
	for _, e := range getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events") {
		kinds = append(kinds, getString(t, e, "kind"))
	}
	if want := []string{"created", "safety_flag_set", "safety_acknowledged", "safety_flag_set", "safety_flag_set"}; !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
