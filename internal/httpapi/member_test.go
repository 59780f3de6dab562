package httpapi

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// memberEnquiry is an MP's enquiry on Ada's behalf, received at received.
func memberEnquiry(received string) map[string]any {
	return map[string]any{
		"kind": "member_enquiry", "channel": "email", "received_at": received,
		"complainant": map[string]any{"name": "Ada Resident", "email": "ada@example.org", "address": "1 Mill Lane\nRiverside"},
		"summary":     "Sam Rahman MP asks why Ada's roof still leaks",
		"member": map[string]any{"name": "Sam Rahman MP", "office": "mp", "email": "sam.rahman.mp@parliament.example",
			"address": "House of Commons\nLondon\nSW1A 0AA", "resident_consent": true, "copy_to_resident": true},
	}
}

// 002 §3: "MP and Councillor enquiries follow a separate process with
// identical timescales ... a Head of Service will be nominated
// accordingly to undertake the investigation and compile and send the
// response." Over the API a member enquiry is logged with its member and
// the resident's consent, is due as a stage 1 complaint, is assigned
// only to a manager under greatwell-homes, is answered by the member
// response letter (with a copy to the resident), and is never counted in
// CH01.
func TestAnMPsEnquiryOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("hana", "manager")

	bad := memberEnquiry("2026-12-21T10:00:00Z")
	bad["member"].(map[string]any)["resident_consent"] = false
	bad["member"].(map[string]any)["office"] = "mayor"
	if r := a.call("olive", "POST", "/api/v1/cases", bad); r.status != 400 || !strings.Contains(r.raw, `"member.resident_consent"`) || !strings.Contains(r.raw, `"member.office"`) {
		t.Errorf("a member enquiry without consent or office: %d %s, want 400 naming both", r.status, r.raw)
	}
	c := a.must(201, "olive", "POST", "/api/v1/cases", memberEnquiry("2026-12-21T10:00:00Z"))
	ref := getString(t, c.body, "reference")
	cmp := a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z"))
	st := get(cmp.body, "stages", 0)
	if get(c.body, "member", "acknowledge_by") != get(st, "acknowledge_by") || get(c.body, "stage") != float64(0) {
		t.Errorf("member enquiry due %v, stage %v; a stage 1 complaint received with it is due %v", get(c.body, "member", "acknowledge_by"), get(c.body, "stage"), get(st, "acknowledge_by"))
	}

	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/assign", map[string]any{"handler": "olive@example.org", "at": "2026-12-21T11:00:00Z"}); r.status != 409 || !strings.Contains(r.raw, "Head of Service") {
		t.Errorf("nominating an officer: %d %s, want 409 naming the Head of Service", r.status, r.raw)
	}
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/assign", map[string]any{"handler": "hana@example.org", "at": "2026-12-21T11:00:00Z"})
	ack := a.must(200, "hana", "POST", "/api/v1/cases/"+ref+"/member-acknowledge", map[string]any{"at": "2026-12-22T10:00:00Z"})
	cack := a.must(200, "olive", "POST", "/api/v1/cases/"+getString(t, cmp.body, "reference")+"/acknowledge", map[string]any{"points": []string{"The roof"}, "at": "2026-12-22T10:00:00Z"})
	if get(ack.body, "status") != "acknowledged" || get(ack.body, "member", "respond_by") != get(get(cack.body, "stages", 0), "respond_by") {
		t.Errorf("acknowledged: %v, respond by %v, want the complaint's %v", get(ack.body, "status"), get(ack.body, "member", "respond_by"), get(get(cack.body, "stages", 0), "respond_by"))
	}
	if r := a.call("hana", "POST", "/api/v1/cases/"+ref+"/member-response", map[string]any{}); r.status != 400 || !strings.Contains(r.raw, `"response"`) {
		t.Errorf("an empty response: %d %s, want 400 naming response", r.status, r.raw)
	}
	a.must(200, "hana", "POST", "/api/v1/cases/"+ref+"/member-response", map[string]any{"response": "The roof was repaired on 28 December."})

	d := a.must(200, "hana", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "member_response"})
	if get(d.body, "recipient", "name") != "Sam Rahman MP" {
		t.Errorf("the response is addressed to %v, want the member", get(d.body, "recipient"))
	}
	issue := letterEdit(d, getString(t, d.body, "body"))
	issue["channel"] = "email"
	a.must(201, "hana", "POST", "/api/v1/cases/"+ref+"/letters", issue)
	after := a.must(200, "hana", "GET", "/api/v1/cases/"+ref, nil)
	if get(after.body, "status") != "responded" || get(after.body, "member", "responded_at") == nil {
		t.Errorf("after the member response: %v, responded %v", get(after.body, "status"), get(after.body, "member", "responded_at"))
	}
	cp := a.must(200, "hana", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "member_response_copy"})
	if get(cp.body, "recipient", "name") != "Ada Resident" {
		t.Errorf("the copy is addressed to %v, want the resident", get(cp.body, "recipient"))
	}
	issue = letterEdit(cp, getString(t, cp.body, "body"))
	issue["channel"] = "email"
	a.must(201, "hana", "POST", "/api/v1/cases/"+ref+"/letters", issue)
	if n := len(getList(t, a.must(200, "hana", "GET", "/api/v1/cases/"+ref+"/letters", nil).body, "letters")); n != 2 {
		t.Errorf("%d letters recorded, want the response and its copy", n)
	}

	// Never a complaint: CH01's cases are the complaint alone.
	a.user("boss", "manager")
	got := refs(t, a.must(200, "boss", "GET", "/api/v1/reports/tsm/cases?year=2026&measure=CH01(1)&part=numerator", nil))
	if slices.Contains(got, ref) || !slices.Contains(got, getString(t, cmp.body, "reference")) {
		t.Errorf("CH01(1) counts %v: want the complaint and never the member enquiry %s", got, ref)
	}
}

// TestAnMPsDetailsAreCorrectedOverHTTP (002 §3): the member of an
// enquiry is corrected with the details command, checked as when logged
// (a refusal changes nothing) and each change recorded; no other kind
// takes a member.
func TestAnMPsDetailsAreCorrectedOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", memberEnquiry("2026-12-21T10:00:00Z")).body, "reference")
	other := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z")).body, "reference")
	member := map[string]any{"name": "Sam Rahman MP", "office": "mp", "email": "", "address": "", "resident_consent": true}
	before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil).raw
	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/details", map[string]any{"member": member}); r.status != 400 || !strings.Contains(r.raw, `"member.email"`) {
		t.Errorf("a member with no way to reach them: %d %s, want 400 naming member.email", r.status, r.raw)
	}
	if after := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil).raw; after != before {
		t.Error("a refused correction changed the case")
	}
	if r := a.call("olive", "POST", "/api/v1/cases/"+other+"/details", map[string]any{"member": member}); r.status != 400 || !strings.Contains(r.raw, `"member"`) {
		t.Errorf("a member on a complaint: %d %s, want 400 naming member", r.status, r.raw)
	}
	member["email"] = "sam@parliament.example"
	c := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/details", map[string]any{"member": member, "reason": "His office wrote with a new address"})
	if get(c.body, "member", "email") != "sam@parliament.example" || get(c.body, "member", "copy_to_resident") == true || get(c.body, "member", "acknowledge_by") == nil {
		t.Errorf("the member after the correction: %v", get(c.body, "member"))
	}
	evs := getList(t, a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil).body, "events")
	last := evs[len(evs)-1]
	if get(last, "kind") != "details_edited" || !strings.Contains(fmt.Sprint(get(last, "data", "changes")), "member.address") {
		t.Errorf("the last event %v, want details_edited recording the member's address", last)
	}
}
