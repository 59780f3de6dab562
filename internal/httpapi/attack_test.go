package httpapi

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// fieldsOf returns the names of the fields a 400 names, sorted.
func fieldsOf(r reply) []string {
	m, _ := get(r.body, "error", "fields").(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// A visible case linked to a confidential one showed the confidential
// case's reference to everyone who could see the first: in the case, in
// the list, in its events and in the reply to a command. An officer who
// may not see the confidential case now finds its reference nowhere,
// while a manager, who may, still sees the link.
func TestLinksNeverNameAConfidentialCaseTheReaderMayNotSee(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("mary", "manager")
	a.user("otto", "officer")
	conf := newComplaint("2026-11-20T10:00:00Z")
	conf["confidential"] = true
	conf["summary"] = "Complaint about the conduct of a repairs officer"
	hidden := getString(t, a.must(201, "mary", "POST", "/api/v1/cases", conf).body, "reference")
	visible := getString(t, a.must(201, "mary", "POST", "/api/v1/cases", newComplaint("2026-11-20T11:00:00Z")).body, "reference")
	a.must(200, "mary", "POST", "/api/v1/cases/"+visible+"/link", map[string]any{"reference": hidden})
	a.must(404, "otto", "GET", "/api/v1/cases/"+hidden, nil)

	for name, r := range map[string]reply{
		"the case":            a.must(200, "otto", "GET", "/api/v1/cases/"+visible, nil),
		"the list":            a.must(200, "otto", "GET", "/api/v1/cases", nil),
		"the list, searched":  a.must(200, "otto", "GET", "/api/v1/cases?q=roof", nil),
		"the events":          a.must(200, "otto", "GET", "/api/v1/cases/"+visible+"/events", nil),
		"a command's reply":   a.must(200, "otto", "POST", "/api/v1/cases/"+visible+"/notes", map[string]any{"text": "Called the resident"}),
		"the case after that": a.must(200, "otto", "GET", "/api/v1/cases/"+visible, nil),
	} {
		if strings.Contains(r.raw, hidden) {
			t.Errorf("%s names the confidential case %s to an officer who may not see it:\n%s", name, hidden, r.raw)
		}
	}
	r := a.must(200, "otto", "GET", "/api/v1/cases/"+visible+"/events", nil)
	if got := get(r.body, "events", 1, "data", "withheld"); get(r.body, "events", 1, "kind") != "linked" || got == nil {
		t.Errorf("the linked event does not say its reference is withheld: %v", get(r.body, "events", 1))
	}
	if links := getList(t, a.must(200, "otto", "GET", "/api/v1/cases/"+visible, nil).body, "links"); len(links) != 0 {
		t.Errorf("links %v, want none for the officer", links)
	}

	// Those who may see the confidential case still see the link.
	if links := getList(t, a.must(200, "mary", "GET", "/api/v1/cases/"+visible, nil).body, "links"); len(links) != 1 || links[0] != hidden {
		t.Errorf("the manager sees links %v, want [%s]", links, hidden)
	}
	if ev := a.must(200, "mary", "GET", "/api/v1/cases/"+visible+"/events", nil); !strings.Contains(ev.raw, hidden) {
		t.Errorf("the manager's events do not name the linked case:\n%s", ev.raw)
	}
}

// 36 of 1,748 fuzzed 400s named no field (a received_at of the wrong
// JSON type or an impossible date), and nested ones said remedies.due
// where validation says remedies[0].due. Every malformed body now names
// exactly the field at fault, in the validation's notation.
func TestEveryMalformedBodyNamesTheFieldInOneNotation(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"one"}})
	with := func(k string, v any) map[string]any {
		c := newComplaint("2026-11-20T10:00:00Z")
		c[k] = v
		return c
	}
	decided := []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "Yes"}}
	remedy := func(k string, v any) map[string]any {
		r := []map[string]any{
			{"kind": "apology", "description": "Sorry"},
			{"kind": "action", "description": "Fix it", "owner": "Repairs", "due": "2027-01-10"},
		}
		r[1][k] = v
		return map[string]any{"decisions": decided, "remedies": r}
	}
	cases, commands := "/api/v1/cases", "/api/v1/cases/"+ref+"/"
	tests := []struct {
		name, path string
		body       any
		field      string
	}{
		{"received_at as a number", cases, with("received_at", 20261120), "received_at"},
		{"received_at as true", cases, with("received_at", true), "received_at"},
		{"received_at as an object", cases, with("received_at", map[string]any{}), "received_at"},
		{"received_at in month 13", cases, with("received_at", "2026-13-01T00:00:00Z"), "received_at"},
		{"received_at on 30 February", cases, with("received_at", "2026-02-30T10:00:00Z"), "received_at"},
		{"received_at at 25 o'clock", cases, with("received_at", "2026-11-20T25:00:00Z"), "received_at"},
		{"received_at without a time", cases, with("received_at", "2026-11-20"), "received_at"},
		{"health_and_safety as a string", cases, with("health_and_safety", "yes"), "health_and_safety"},
		{"complainant as a string", cases, with("complainant", "Ada"), "complainant"},
		{"complainant's name as a number", cases, with("complainant", map[string]any{"name": 7, "phone": "1"}), "complainant.name"},
		{"an unknown field of the complainant", cases, with("complainant", map[string]any{"name": "Ada", "phone": "1", "colour": "red"}), "complainant.colour"},
		{"representative's consent as a string", cases, with("representative", map[string]any{"name": "Sam", "relationship": "son", "consent_recorded": "yes"}), "representative.consent_recorded"},
		{"group members as a fraction", cases, with("group", map[string]any{"name": "Tower", "point_of_contact": "Flat 1", "members": 1.5}), "group.members"},
		{"categories as a string", cases, with("categories", "damp"), "categories"},
		{"the second category a number", cases, with("categories", []any{"damp", 5}), "categories[1]"},
		{"kind as a number", cases, with("kind", 1), "kind"},
		{"an unknown field", cases, with("colour", "red"), "colour"},
		{"a remedy's due date as a number", commands + "respond", remedy("due", 20270110), "remedies[1].due"},
		{"a remedy's amount as a string", commands + "respond", remedy("amount_pence", "150"), "remedies[1].amount_pence"},
		{"an unknown field of a remedy", commands + "respond", remedy("colour", "red"), "remedies[1].colour"},
		{"a decision's point as a word", commands + "respond", map[string]any{"decisions": []map[string]any{{"point": "one", "outcome": "upheld", "reasons": "Yes"}}}, "decisions[0].point"},
		{"remedies as an object", commands + "respond", map[string]any{"decisions": decided, "remedies": map[string]any{}}, "remedies"},
		{"a remedy's due date impossible", commands + "respond", remedy("due", "2027-02-30"), "remedies[1].due"},
		{"working days as a word", commands + "extend", map[string]any{"working_days": "five"}, "working_days"},
		{"a note as a number", commands + "notes", map[string]any{"text": 5}, "text"},
		{"at as a number", commands + "notes", map[string]any{"text": "x", "at": 1732356000}, "at"},
		{"at on 30 February", commands + "notes", map[string]any{"text": "x", "at": "2026-02-30T10:00:00Z"}, "at"},
		{"a handler as a number", commands + "assign", map[string]any{"handler": 3}, "handler"},
		{"a user's email as a number", "/api/v1/users", map[string]any{"email": 5, "name": "X", "role": "officer"}, "email"},
		{"a body that is an array", cases, []any{}, "body"},
		{"a body that is a string", commands + "notes", `"note"`, "body"},
		{"a body that is not JSON", cases, "{kind: complaint", "body"},
		{"a body cut short", cases, `{"kind": "complaint"`, "body"},
		{"two JSON values", cases, `{"kind":"complaint"} {}`, "body"},
		{"an unknown field, then a second value", cases, `{"colour":"red"} {}`, "body"},
		{"a stray bracket after the object", cases, `{"kind":"complaint"}]`, "body"},
		{"an empty body", cases, "", "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := wantRefusedNaming(t, a, tt.path, tt.body, tt.field)
			if msg, _ := get(r.body, "error", "fields", tt.field).(string); msg == "" {
				t.Errorf("no reason given for %s: %s", tt.field, r.raw)
			}
		})
	}
	if n := len(getList(t, a.must(200, "olive", "GET", "/api/v1/cases", nil).body, "cases")); n != 1 {
		t.Errorf("%d cases after malformed bodies, want the 1 good one", n)
	}
	if n := len(getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")); n != 2 {
		t.Errorf("%d events after malformed bodies, want 2", n)
	}
}

// A handler of " " was accepted, "at":"0001-01-01T00:00:00Z" silently
// meant now, a remedy due in 9999 was accepted, and NUL and bidi-override
// characters were stored as sent. Each is now a 400 naming the field,
// and changes nothing.
func TestBlankIdentifiersImpossibleTimesAndInvisibleCharactersAreRefused(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"one"}})
	with := func(k string, v any) map[string]any {
		c := newComplaint("2026-11-20T10:00:00Z")
		c[k] = v
		return c
	}
	person := func(k, v string) map[string]any {
		p := map[string]any{"name": "Ada Resident", "phone": "0191 496 0000"}
		p[k] = v
		return with("complainant", p)
	}
	respondDue := func(due string) map[string]any {
		return map[string]any{
			"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "Yes"}},
			"remedies":  []map[string]any{{"kind": "action", "description": "Fix it", "owner": "Repairs", "due": due}},
		}
	}
	cases, commands := "/api/v1/cases", "/api/v1/cases/"+ref+"/"
	tests := []struct {
		name, path string
		body       any
		field      string
	}{
		{"a handler of a space", commands + "assign", map[string]any{"handler": " "}, "handler"},
		{"a handler of a tab", commands + "assign", map[string]any{"handler": "\t"}, "handler"},
		{"a complainant named by a space", cases, person("name", " "), "complainant.name"},
		{"a complainant named by a zero-width space", cases, person("name", "\u200b"), "complainant.name"},
		{"a category of a space", cases, with("categories", []string{"damp", " "}), "categories[1]"},
		{"a remedy owner of a space", commands + "respond", map[string]any{
			"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "Yes"}},
			"remedies":  []map[string]any{{"kind": "action", "description": "Fix it", "owner": " ", "due": "2026-12-01"}}}, "remedies[0].owner"},
		{"a user named by a space", "/api/v1/users", map[string]any{"email": "x@example.org", "name": " ", "role": "officer"}, "name"},
		{"a user's email of a space", "/api/v1/users", map[string]any{"email": " ", "name": "X", "role": "officer"}, "email"},
		{"a user's email without a domain", "/api/v1/users", map[string]any{"email": "@SUM(1)", "name": "X", "role": "officer"}, "email"},
		{"at the zero time", commands + "notes", map[string]any{"text": "x", "at": "0001-01-01T00:00:00Z"}, "at"},
		{"at before 2000", commands + "notes", map[string]any{"text": "x", "at": "1999-12-31T23:00:00Z"}, "at"},
		{"received at the zero time", cases, with("received_at", "0001-01-01T00:00:00Z"), "received_at"},
		{"received before 2000", cases, with("received_at", "1999-12-31T12:00:00Z"), "received_at"},
		{"received tomorrow", cases, with("received_at", "2026-11-24T12:00:00Z"), "received_at"},
		{"a remedy due in 9999", commands + "respond", respondDue("9999-12-31"), "remedies[0].due"},
		{"a remedy due before the case was received", commands + "respond", respondDue("2026-11-19"), "remedies[0].due"},
		{"a NUL in a summary", cases, with("summary", "Roof\x00leak"), "summary"},
		{"a right-to-left override in a service area", cases, with("service_area", "repairs\u202e"), "service_area"},
		{"a left-to-right isolate in a description", cases, with("description", "\u2066It leaks"), "description"},
		{"an escape in a complainant's name", cases, person("name", "Ada\x1b[2J"), "complainant.name"},
		{"a line break in a category", cases, with("categories", []string{"damp\nmould"}), "categories[0]"},
		{"a NUL in a note", commands + "notes", map[string]any{"text": "x\x00y"}, "text"},
		{"a C1 control in a note", commands + "notes", map[string]any{"text": "x\u0085y"}, "text"},
		{"a right-to-left override in a user's name", "/api/v1/users", map[string]any{"email": "x@example.org", "name": "X\u202e", "role": "officer"}, "name"},
		{"a NUL in a token's label", "/api/v1/users/1/tokens", map[string]any{"label": "ci\x00"}, "label"},
	}
	before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantRefusedNaming(t, a, tt.path, tt.body, tt.field)
		})
	}
	if after := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil); after.raw != before.raw {
		t.Errorf("refused commands changed the case:\n%s\nwas\n%s", after.raw, before.raw)
	}
	if n := len(getList(t, a.must(200, "olive", "GET", "/api/v1/cases", nil).body, "cases")); n != 1 {
		t.Errorf("%d cases after refused ones, want the 1 good one", n)
	}
	if n := len(getList(t, a.must(200, "admin", "GET", "/api/v1/users", nil).body, "users")); n != 2 {
		t.Errorf("%d users after refused ones, want the admin and olive", n)
	}

	// What is allowed still is: a left-out or null "at" means now, a
	// handler with spaces around it is the handler, and right-to-left
	// writing with its marks is kept as sent.
	a.must(200, "olive", "POST", commands+"notes", map[string]any{"text": "now", "at": nil})
	r := a.must(200, "olive", "POST", commands+"assign", map[string]any{"handler": "  olive@example.org "})
	if r.body["handler"] != "olive@example.org" {
		t.Errorf("handler %v, want olive@example.org", r.body["handler"])
	}
	rtl := "\u05e9\u05dc\u05d5\u05dd\u200f (shalom)"
	r = a.must(201, "olive", "POST", cases, with("summary", rtl))
	if r.body["summary"] != rtl {
		t.Errorf("summary %q, want %q", r.body["summary"], rtl)
	}
}

// wantRefusedNaming posts body to path (as an admin for the user routes,
// else as olive) and wants a 400 naming exactly field.
func wantRefusedNaming(t *testing.T, a *api, path string, body any, field string) reply {
	t.Helper()
	who := "olive"
	if strings.HasPrefix(path, "/api/v1/users") {
		who = "admin"
	}
	r := a.call(who, "POST", path, body)
	if r.status != 400 {
		t.Fatalf("status %d, want 400: %s", r.status, r.raw)
	}
	if got := fieldsOf(r); len(got) != 1 || got[0] != field {
		t.Errorf("fields %q, want exactly [%s]: %s", got, field, r.raw)
	}
	return r
}
