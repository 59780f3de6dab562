package httpapi

import (
	"strings"
	"testing"
	"time"
)

// finalResponse takes a new complaint through both stages over the API
// as olive (stage 1, its findings reviewed where the policy asks) and rex
// (stage 2), and returns its reference, its
// stage 2 response sent on Fri 26 February 2027.
func (a *api) finalResponse() string {
	a.t.Helper()
	ref := getString(a.t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2027-01-04T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"at": "2027-01-05T10:00:00Z", "points": []string{"The roof"}})
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/respond", map[string]any{"at": "2027-01-12T10:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "not_upheld", "reasons": "The roof was sound."}}})
	// greatwell-homes's Service Manager reviews the findings before the
	// stage 1 letter (002 §2.3).
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/sign-off", map[string]any{"at": "2027-01-12T10:30:00Z", "reviewer": "Sam Patel", "result": "agreed"})
	a.sendResponse("olive", ref, 1, "2027-01-12T11:00:00Z")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/escalate", map[string]any{"at": "2027-01-18T10:00:00Z"})
	a.must(200, "admin", "POST", "/api/v1/cases/"+ref+"/assign", map[string]any{"handler": "rex@example.org", "at": "2027-01-18T11:00:00Z"})
	a.must(200, "rex", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"at": "2027-01-19T10:00:00Z", "points": []string{"The stage 1 decision"}})
	a.respondAndSend("rex", ref, map[string]any{"at": "2027-02-26T10:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "not_upheld", "reasons": "The survey found no fault."}}}, "2027-02-26T15:30:00Z")
	return ref
}

// Issue 19, item 4, and 002 §2.6 over the API: the referral, a request
// for evidence, the executive approval greatwell-homes requires before
// the evidence pack is recorded as sent with its hash, the determination
// and compliance with its order, each an event on the case's trail.
func TestTheOmbudsmanStageOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("rex", "reviewer")
	ref := a.finalResponse()
	path := "/api/v1/cases/" + ref + "/"

	if r := a.call("rex", "POST", path+"ombudsman-referral", map[string]any{"notified_on": "2027-03-01"}); r.status != 400 || !strings.Contains(r.raw, `"reference"`) {
		t.Errorf("a referral with no reference: %d %s, want 400 naming reference", r.status, r.raw)
	}
	a.must(200, "rex", "POST", path+"ombudsman-referral", map[string]any{"reference": "202700123", "notified_on": "2027-03-01", "at": "2027-03-01T10:00:00Z"})
	r := a.must(200, "rex", "POST", path+"ombudsman-evidence-request", map[string]any{"what": "The repairs log", "due": "2027-03-15", "at": "2027-03-01T11:00:00Z"})
	if get(r.body, "ombudsman", "requests", 0, "due") != "2027-03-15" {
		t.Errorf("the request: %v", get(r.body, "ombudsman"))
	}
	hash := strings.Repeat("0a", 32)
	before := a.must(200, "rex", "GET", "/api/v1/cases/"+ref, nil).raw
	if r := a.call("rex", "POST", path+"ombudsman-evidence-sent", map[string]any{"sha256": hash, "at": "2027-03-05T10:00:00Z"}); r.status != 409 || !strings.Contains(r.raw, "Executive Management Team") {
		t.Errorf("evidence sent without the executive's approval: %d %s, want 409 citing the policy", r.status, r.raw)
	}
	if after := a.must(200, "rex", "GET", "/api/v1/cases/"+ref, nil).raw; after != before {
		t.Error("a refused command changed the case")
	}
	if r := a.call("rex", "POST", path+"ombudsman-evidence-sent", map[string]any{"sha256": hash, "pack": map[string]any{"name": "x.zip", "sha256": hash, "size": 1}}); r.status != 400 || !strings.Contains(r.raw, `"pack"`) {
		t.Errorf("an API client naming a kept pack: %d %s, want 400 naming pack", r.status, r.raw)
	}
	a.must(200, "rex", "POST", path+"ombudsman-approval", map[string]any{"name": "Sam Chief", "role": "Director of Operations", "at": "2027-03-04T10:00:00Z"})
	r = a.must(200, "rex", "POST", path+"ombudsman-evidence-sent", map[string]any{"sha256": hash, "collated_by": "Hana Head, Head of Service", "at": "2027-03-05T10:00:00Z"})
	if get(r.body, "ombudsman", "submissions", 0, "approved_by") != "Sam Chief, Director of Operations" || get(r.body, "ombudsman", "submissions", 0, "collated_by") != "Hana Head, Head of Service" ||
		get(r.body, "ombudsman", "requests", 0, "answered_at") == nil {
		t.Errorf("after sending: %v", get(r.body, "ombudsman"))
	}
	if r := a.call("rex", "POST", path+"ombudsman-determination", map[string]any{"determined_on": "2027-03-20", "findings": []map[string]any{{"point": "Roof", "finding": "upheld", "reasons": "x"}}}); r.status != 400 || !strings.Contains(r.raw, "findings[0].finding") {
		t.Errorf("an unknown finding: %d %s, want 400 naming findings[0].finding", r.status, r.raw)
	}
	r = a.must(200, "rex", "POST", path+"ombudsman-determination", map[string]any{
		"determined_on": "2027-03-20", "at": "2027-03-22T10:00:00Z",
		"findings": []map[string]any{{"point": "The roof repair", "finding": "service_failure", "reasons": "The survey took three months."}},
		"orders":   []map[string]any{{"kind": "order", "description": "Pay £150", "due": "2027-04-19"}},
	})
	if get(r.body, "ombudsman", "determination", "orders", 0, "id") != 1.0 {
		t.Fatalf("determination: %v", get(r.body, "ombudsman", "determination"))
	}
	r = a.must(200, "rex", "POST", path+"ombudsman-compliance", map[string]any{"order": 1, "evidence": "Paid by BACS", "met": true, "at": "2027-03-25T10:00:00Z"})
	if get(r.body, "ombudsman", "determination", "orders", 0, "met") != true {
		t.Errorf("compliance: %v", get(r.body, "ombudsman", "determination", "orders", 0))
	}
	events := a.must(200, "rex", "GET", path+"events", nil).raw
	for _, k := range []string{"ombudsman_referred", "ombudsman_evidence_requested", "ombudsman_response_approved", "ombudsman_evidence_sent", "ombudsman_determined", "ombudsman_compliance"} {
		if !strings.Contains(events, `"`+k+`"`) {
			t.Errorf("the audit trail has no %s event", k)
		}
	}
}
