package httpapi

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Issue 12, rule 10, greatwell-homes (002): a confidential complaint about
// a member of staff is visible only to its handler, whoever logged it, the
// line manager named on it, and admins; a manager it does not name gets
// 404 for it, as if it did not exist, and finds it in no list, search or
// drill-down. The named line manager sees it, and when the line manager
// is changed the new one sees it and the old one no longer does.
func TestConfidentialComplaintIsSeenOnlyByThePeopleItNamesUnderGreatwell(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olu", "officer")
	a.user("boss", "manager")
	a.user("lena", "manager")
	max := a.user("max", "officer")

	conf := newComplaint("2026-11-20T10:00:00Z")
	conf["confidential"] = true
	conf["summary"] = "Complaint about the conduct of a repairs officer"

	// Logging it needs the line manager, named as a user.
	r := a.must(400, "olu", "POST", "/api/v1/cases", conf)
	if get(r.body, "error", "fields", "line_manager") == nil {
		t.Errorf("no line manager: the error does not name line_manager:\n%s", r.raw)
	}
	conf["line_manager"] = "nobody@example.org"
	if r := a.must(400, "olu", "POST", "/api/v1/cases", conf); get(r.body, "error", "fields", "line_manager") == nil {
		t.Errorf("a line manager who is no user: the error does not name line_manager:\n%s", r.raw)
	}
	conf["line_manager"] = "Lena@Example.org"
	created := a.must(201, "olu", "POST", "/api/v1/cases", conf)
	ref := getString(t, created.body, "reference")
	if created.body["line_manager"] != "Lena@Example.org" {
		t.Errorf("the case body carries line_manager %v", created.body["line_manager"])
	}
	other := getString(t, a.must(201, "olu", "POST", "/api/v1/cases", newComplaint("2026-11-20T11:00:00Z")).body, "reference")

	sees := func(who string) bool {
		t.Helper()
		get := a.call(who, "GET", "/api/v1/cases/"+ref, nil)
		events := a.call(who, "GET", "/api/v1/cases/"+ref+"/events", nil)
		note := a.call(who, "POST", "/api/v1/cases/"+ref+"/notes", map[string]any{"text": "Looked at it"})
		list := refs(t, a.must(200, who, "GET", "/api/v1/cases", nil))
		search := refs(t, a.must(200, who, "GET", "/api/v1/cases?q=conduct", nil))
		if !slices.Contains(list, other) {
			t.Errorf("%s does not see the ordinary case", who)
		}
		seen := get.status == 200
		for name, got := range map[string]bool{
			"events": events.status == 200, "a note": note.status == 200 || note.status == 403,
			"the list": slices.Contains(list, ref), "a search": slices.Contains(search, ref),
		} {
			if got != seen {
				t.Errorf("%s: GET the case %d, but %s disagrees (%v)", who, get.status, name, got)
			}
		}
		for name, st := range map[string]int{"the case": get.status, "its events": events.status, "a note": note.status} {
			if !seen && st != 404 {
				t.Errorf("%s: %s is %d, want 404: a hidden case is not found, never forbidden", who, name, st)
			}
		}
		return seen
	}
	for who, want := range map[string]bool{"olu": true, "lena": true, "admin": true, "boss": false, "max": false} {
		if got := sees(who); got != want {
			t.Errorf("%s sees the confidential case: %v, want %v", who, got, want)
		}
	}

	// The drill-down behind a measure lists it only to those who may see it.
	drill := "/api/v1/reports/tsm/cases?year=2026&measure=CH01(1)&part=numerator"
	if got := refs(t, a.must(200, "lena", "GET", drill, nil)); !slices.Contains(got, ref) {
		t.Errorf("the named line manager's drill-down %q does not list %s", got, ref)
	}
	if r := a.must(200, "boss", "GET", drill, nil); strings.Contains(r.raw, ref) {
		t.Errorf("a manager it does not name finds %s in a drill-down:\n%s", ref, r.raw)
	}

	// The line manager is changed: the new one sees it, the old one no
	// longer does; the audit trail has both.
	r = a.must(200, "olu", "POST", "/api/v1/cases/"+ref+"/details", map[string]any{"line_manager": max, "reason": "Lena has moved team"})
	if r.body["line_manager"] != max {
		t.Errorf("after the change the case names %v", r.body["line_manager"])
	}
	if !sees("max") || sees("lena") {
		t.Error("after the change: the new line manager does not see it, or the old one still does")
	}
	ev := a.must(200, "olu", "GET", "/api/v1/cases/"+ref+"/events", nil)
	if !strings.Contains(strings.Join(strings.Fields(ev.raw), ""), `"field":"line_manager","from":"Lena@Example.org","to":"max@example.org"`) {
		t.Errorf("the details_edited event does not record the old and new line manager:\n%s", ev.raw)
	}
	// Under this policy a confidential case keeps a line manager.
	if r := a.must(400, "olu", "POST", "/api/v1/cases/"+ref+"/details", map[string]any{"line_manager": ""}); get(r.body, "error", "fields", "line_manager") == nil {
		t.Errorf("removing the line manager: the error does not name line_manager:\n%s", r.raw)
	}
}

// Under every other policy the rule is as it was: every manager sees a
// confidential case, and a line manager is optional.
func TestConfidentialComplaintIsSeenByEveryManagerUnderTheCode(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olu", "officer")
	a.user("boss", "manager")
	a.user("otto", "officer")
	conf := newComplaint("2026-11-20T10:00:00Z")
	conf["confidential"] = true
	ref := getString(t, a.must(201, "olu", "POST", "/api/v1/cases", conf).body, "reference")
	a.must(200, "boss", "GET", "/api/v1/cases/"+ref, nil)
	a.must(404, "otto", "GET", "/api/v1/cases/"+ref, nil)
	if !slices.Contains(refs(t, a.must(200, "boss", "GET", "/api/v1/cases", nil)), ref) {
		t.Error("a manager does not find the confidential case in the list")
	}
}

// refs is the references a list or a drill-down names.
func refs(t *testing.T, r reply) []string {
	t.Helper()
	var out []string
	if l, ok := r.body["references"].([]any); ok {
		for _, ref := range l {
			out = append(out, ref.(string))
		}
		return out
	}
	for _, c := range getList(t, r.body, "cases") {
		out = append(out, getString(t, c, "reference"))
	}
	return out
}
