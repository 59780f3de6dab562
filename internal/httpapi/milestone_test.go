package httpapi

import (
	"strings"
	"testing"
	"time"
)

// Issue 12, rule 10, 001: the manager's call within five working days is
// on the case beside its deadlines, and is recorded once over the API.
func TestTheManagersCallOverHTTP(t *testing.T) {
	a := newAPI(t, "customer-feedback", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T10:00:00Z")).body, "reference")
	// Acknowledged Tue 24 Nov: the call is due Tue 1 Dec (25-27, 30 Nov, 1 Dec).
	c := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"The roof"}, "at": "2026-11-24T10:00:00Z"})
	ms := getList(t, get(c.body, "stages", 0).(map[string]any), "milestones")
	if len(ms) != 1 || get(ms[0], "code") != "manager_call" || get(ms[0], "due") != "2026-12-01" {
		t.Fatalf("stage 1 milestones = %v, want the manager's call due 2026-12-01", ms)
	}
	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/milestone", map[string]any{"code": "visit"}); r.status != 400 || !strings.Contains(r.raw, `"code"`) {
		t.Errorf("an unknown milestone: %d %s, want 400 naming code", r.status, r.raw)
	}
	c = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/milestone", map[string]any{"code": "manager_call", "note": "Spoke to Ada", "at": "2026-11-27T15:00:00Z"})
	m := getList(t, get(c.body, "stages", 0).(map[string]any), "milestones")[0]
	if get(m, "met_at") != "2026-11-27T15:00:00Z" || get(m, "met_by") != "olive@example.org" {
		t.Errorf("the call once recorded: %v", m)
	}
	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/milestone", map[string]any{"code": "manager_call"}); r.status != 409 {
		t.Errorf("the call recorded twice: %d, want 409", r.status)
	}
}
