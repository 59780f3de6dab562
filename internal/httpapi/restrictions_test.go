package httpapi

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRestrictedContactOverHTTP drives the register through the API
// (002 §2.7): the vexatious exclusion is refused, naming exclusion, while
// nothing is in force; an officer warns but may not decide; a manager
// decides with arrangements and gets the policy's review date; the
// person's next complaint is still logged; the refusal then names the
// restriction; a review is recorded and a lift ends it, every command an
// event with who and when.
func TestRestrictedContactOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("mina", "manager")
	a.user("vic", "viewer")
	ada := func(received string) map[string]any {
		c := newComplaint(received)
		c["complainant"].(map[string]any)["email"] = "ada@example.org"
		return c
	}
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", ada("2026-12-21T10:00:00Z")).body, "reference")

	r := a.must(400, "olive", "POST", "/api/v1/cases/"+ref+"/refuse", map[string]any{"exclusion": "vexatious", "explanation": "Restricted"})
	if !slices.Equal(fieldsOf(r), []string{"exclusion"}) || !strings.Contains(r.raw, "none is in force") {
		t.Errorf("vexatious refusal without a restriction: %s", r.raw)
	}

	a.must(403, "vic", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref, "warn": map[string]any{"behaviour": "x", "action_plan": "y"}})
	r = a.must(400, "olive", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref, "warn": map[string]any{"behaviour": " "}})
	if got := fieldsOf(r); !slices.Equal(got, []string{"action_plan", "behaviour"}) {
		t.Errorf("an empty warning names %v, want action_plan and behaviour", got)
	}
	w := a.must(201, "olive", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref,
		"warn": map[string]any{"behaviour": "Abusive calls to the repairs team", "action_plan": "Contact by email to one officer for three months"}})
	id := fmt.Sprint(get(w.body, "restriction", "id"))
	path := "/api/v1/restrictions/" + id
	if get(w.body, "restriction", "status") != "warned" || get(w.body, "restriction", "person_key") != "email:ada@example.org" {
		t.Errorf("warning: %s", w.raw)
	}

	decide := map[string]any{"reasons": "Abuse continued after the warning", "adjustments_considered": "Offered an advocate and written contact",
		"arrangements": map[string]any{"named_contact": "Sam Lee", "channels": []string{"email", "letter"}, "times": "Weekdays 10:00 to 12:00"}}
	a.must(403, "olive", "POST", path+"/decide", decide)
	d := a.must(200, "mina", "POST", path+"/decide", decide, "If-Match", `"1"`)
	if get(d.body, "restriction", "status") != "in_force" || get(d.body, "restriction", "review_due") != "2027-07-04" {
		t.Errorf("decision: %s; want in force, reviewed in 6 months", d.raw)
	}

	// A restriction limits how contact happens, never whether a new
	// complaint is logged.
	a.must(201, "olive", "POST", "/api/v1/cases", ada("2027-01-04T08:00:00Z"))
	l := a.must(200, "vic", "GET", "/api/v1/restrictions?case_ref="+ref, nil)
	if len(getList(t, l.body, "restrictions")) != 1 {
		t.Errorf("the case's restrictions: %s", l.raw)
	}

	ref2 := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", ada("2027-01-04T08:30:00Z")).body, "reference")
	c := a.must(200, "olive", "POST", "/api/v1/cases/"+ref2+"/refuse", map[string]any{"exclusion": "vexatious", "explanation": "Restricted contact"})
	if !strings.Contains(fmt.Sprint(c.body["end_reason"]), "restriction "+id) {
		t.Errorf("the refusal does not name the restriction: %v", c.body["end_reason"])
	}

	// The decision letter goes by email to the complainant and is filed
	// on the case the restriction arose on.
	a.must(400, "olive", "POST", path+"/letter", map[string]any{"channel": "fax"})
	a.must(201, "olive", "POST", path+"/letter", map[string]any{"channel": "email"})
	ls := a.must(200, "vic", "GET", "/api/v1/cases/"+ref+"/letters", nil)
	if !strings.Contains(ls.raw, `"restriction_decision"`) {
		t.Errorf("the case's letters do not hold the decision letter: %s", ls.raw)
	}
	a.must(200, "mina", "POST", path+"/review", map[string]any{"outcome": "continue", "reasons": "Two abusive emails this month", "next_review": "2027-04-01"})
	a.must(400, "mina", "POST", path+"/review", map[string]any{"outcome": "lift", "reasons": "x", "next_review": "2027-04-01"})
	a.must(201, "mina", "POST", path+"/letter", map[string]any{"channel": "email"})
	a.must(200, "mina", "GET", "/api/v1/restrictions?review_due=true", nil)
	a.must(200, "mina", "POST", path+"/lift", map[string]any{"reasons": "Contact has been courteous for three months"})
	// Lifted between reviews, the outcome letter goes again, recorded as
	// sent again with the step as its reason.
	lifted := a.must(201, "mina", "POST", path+"/letter", map[string]any{"channel": "email"})
	if !strings.Contains(lifted.raw, "Contact has been courteous for three months") || !strings.Contains(lifted.raw, "reissue") {
		t.Errorf("the lift's letter: %s", lifted.raw)
	}
	a.must(409, "mina", "POST", path+"/lift", map[string]any{"reasons": "again"})

	g := a.must(200, "vic", "GET", path, nil)
	evs := getList(t, g.body, "events")
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, fmt.Sprint(get(e, "kind"))+" by "+fmt.Sprint(get(e, "actor")))
	}
	want := []string{"restriction_warned by olive@example.org", "restriction_decided by mina@example.org", "restriction_reviewed by mina@example.org", "restriction_lifted by mina@example.org"}
	if !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	a.must(400, "mina", "GET", "/api/v1/restrictions?status=paused", nil)
	a.must(404, "mina", "GET", "/api/v1/restrictions/999", nil)
}

// TestADecisionWithoutAWarningNeedsItsReasonOverHTTP: starting with a
// decision is refused, naming without_warning, unless it says why no
// warning came first (002 §2.7: business as usual first).
func TestADecisionWithoutAWarningNeedsItsReasonOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
	a.user("mina", "manager")
	ref := getString(t, a.must(201, "mina", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z")).body, "reference")
	decide := map[string]any{"reasons": "Threats", "adjustments_considered": "None needed",
		"arrangements": map[string]any{"named_contact": "Sam Lee", "channels": []string{"letter"}}}
	r := a.must(400, "mina", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref, "decide": decide})
	if !slices.Contains(fieldsOf(r), "without_warning") {
		t.Errorf("no warning, no reason: %s", r.raw)
	}
	decide["without_warning"] = "Threatened violence to a surveyor on 3 January"
	a.must(201, "mina", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref, "decide": decide})
	a.must(400, "mina", "POST", "/api/v1/restrictions", map[string]any{"case_ref": "C-2099-000001", "decide": decide})
}

// TestARestrictionOnAConfidentialCaseIsHiddenFromThoseWhoCannotSeeIt: a
// restriction names a person and the case it arose on, so a manager the
// confidential case does not name finds it in no list, gets 404 for it,
// and cannot act on it, exactly as for the case (002 §2.7 with issue 12's
// rule 10); the line manager the case names sees it.
func TestARestrictionOnAConfidentialCaseIsHiddenFromThoseWhoCannotSeeIt(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
	a.user("olu", "officer")
	a.user("boss", "manager")
	a.user("lena", "manager")
	conf := newComplaint("2026-12-21T10:00:00Z")
	conf["confidential"], conf["line_manager"] = true, "lena@example.org"
	conf["complainant"].(map[string]any)["email"] = "ada@example.org"
	ref := getString(t, a.must(201, "olu", "POST", "/api/v1/cases", conf).body, "reference")
	w := a.must(201, "olu", "POST", "/api/v1/restrictions", map[string]any{"case_ref": ref,
		"warn": map[string]any{"behaviour": "Abusive calls", "action_plan": "Email one officer"}})
	path := fmt.Sprint("/api/v1/restrictions/", get(w.body, "restriction", "id"))

	for who, sees := range map[string]bool{"olu": true, "lena": true, "admin": true, "boss": false} {
		list := getList(t, a.must(200, who, "GET", "/api/v1/restrictions", nil).body, "restrictions")
		one := a.call(who, "GET", path, nil)
		if (len(list) == 1) != sees || (one.status == 200) != sees || (!sees && one.status != 404) {
			t.Errorf("%s: the register lists %d, GET is %d; want seen %v, and 404 when not", who, len(list), one.status, sees)
		}
	}
	lift := map[string]any{"reasons": "Behaviour improved"}
	if r := a.call("boss", "POST", path+"/lift", lift); r.status != 404 {
		t.Errorf("a manager who cannot see the case lifts its restriction: %d %s, want 404", r.status, r.raw)
	}
	a.must(200, "lena", "POST", path+"/lift", lift)
}
