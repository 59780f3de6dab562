package httpapi

import (
	"strings"
	"testing"
	"time"
)

// 003: "we will agree with the customer how they would like us to
// respond". The way is given with the contact, changed by its own
// command, refused when unknown, and its event records the way it
// replaced.
func TestTheResidentsWayToBeAnsweredOverHTTP(t *testing.T) {
	a := newAPI(t, "feedback-policy-2018", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	bad := newComplaint("2026-11-23T10:00:00Z")
	bad["response_method"] = "pigeon"
	if r := a.call("olive", "POST", "/api/v1/cases", bad); r.status != 400 || !strings.Contains(r.raw, `"response_method"`) {
		t.Errorf("an unknown way on a new case: %d %s, want 400 naming response_method", r.status, r.raw)
	}
	body := newComplaint("2026-11-23T10:00:00Z")
	body["response_method"] = "phone"
	c := a.must(201, "olive", "POST", "/api/v1/cases", body)
	ref := getString(t, c.body, "reference")
	if get(c.body, "response_method") != "phone" {
		t.Fatalf("new case response_method = %v, want phone", get(c.body, "response_method"))
	}
	for _, tt := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"no way", map[string]any{"reason": "x"}, 400, `"method"`},
		{"an unknown way", map[string]any{"method": "fax"}, 400, `"method"`},
		{"the way it replaced given", map[string]any{"method": "email", "was": "phone"}, 400, `"was"`},
		{"the same way", map[string]any{"method": "phone"}, 409, ""},
	} {
		r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/response-method", tt.body)
		if r.status != tt.status || !strings.Contains(r.raw, tt.field) {
			t.Errorf("%s: %d %s, want %d naming %s", tt.name, r.status, r.raw, tt.status, tt.field)
		}
	}
	c = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/response-method", map[string]any{"method": "text_message", "reason": "Asked on the phone"})
	if get(c.body, "response_method") != "text_message" {
		t.Errorf("after the command response_method = %v, want text_message", get(c.body, "response_method"))
	}
	evs := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil)
	events := getList(t, evs.body, "events")
	last := events[len(events)-1]
	if get(last, "kind") != "response_method_agreed" || get(get(last, "data"), "was") != "phone" {
		t.Errorf("last event %v, want response_method_agreed recording it was phone", last)
	}
}
