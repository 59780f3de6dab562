package httpapi

import (
	"strings"
	"testing"
	"time"
)

// 002 §2.3 over HTTP: the stage 1 response letter waits for the Service
// Manager's review of the findings, or for the reason it goes without
// it; the deadline never moves for either.
func TestTheResponseLetterNeedsTheReviewOrAReasonOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	for _, waive := range []bool{false, true} {
		ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T10:00:00Z")).body, "reference")
		a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"The roof"}, "at": "2026-11-24T10:00:00Z"})
		if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/sign-off", map[string]any{"reviewer": "Sam Patel", "result": "agreed"}); r.status != 409 {
			t.Errorf("a review before the decisions: %d %s, want 409", r.status, r.raw)
		}
		c := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/respond", map[string]any{"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "Three visits failed"}}})
		due := getString(t, c.body, "stages", 0, "respond_by")
		r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/letters", map[string]any{"kind": "stage1_response", "channel": "print", "address": postalAddress})
		if r.status != 409 || !strings.Contains(r.raw, "Service Manager") {
			t.Fatalf("the response letter before the review: %d %s, want 409 naming the Service Manager", r.status, r.raw)
		}
		if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/sign-off", map[string]any{"result": "changes_asked"}); r.status != 400 || !strings.Contains(r.raw, `"reviewer"`) || !strings.Contains(r.raw, `"comments"`) {
			t.Errorf("a review with no reviewer and no comments: %d %s, want 400 naming both", r.status, r.raw)
		}
		if waive {
			if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/sign-off-waiver", map[string]any{}); r.status != 400 || !strings.Contains(r.raw, `"reason"`) {
				t.Errorf("no reason: %d %s, want 400 naming reason", r.status, r.raw)
			}
			c = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/sign-off-waiver", map[string]any{"reason": "The Service Manager is on leave"})
			if get(c.body, "stages", 0, "sign_off", "waive_reason") != "The Service Manager is on leave" {
				t.Errorf("sign_off after the reason: %v", get(c.body, "stages", 0, "sign_off"))
			}
		} else {
			c = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/sign-off", map[string]any{"reviewer": "Sam Patel", "result": "agreed", "comments": "Fine"})
			so := get(c.body, "stages", 0, "sign_off")
			if get(so, "reviewer") != "Sam Patel" || get(so, "reviewer_role") != "Service Manager" || get(so, "result") != "agreed" || get(so, "recorded_by") != "olive@example.org" {
				t.Errorf("sign_off after the review: %v", so)
			}
		}
		if got := getString(t, c.body, "stages", 0, "respond_by"); got != due {
			t.Errorf("respond_by moved from %s to %s", due, got)
		}
		sent := a.must(201, "olive", "POST", "/api/v1/cases/"+ref+"/letters", map[string]any{"kind": "stage1_response", "channel": "print", "address": postalAddress})
		if get(sent.body, "letter", "kind") != "stage1_response" {
			t.Errorf("the letter: %s", sent.raw)
		}
		ev := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil)
		want := "sign_off_recorded"
		if waive {
			want = "sign_off_waived"
		}
		if !strings.Contains(ev.raw, `"`+want+`"`) {
			t.Errorf("the audit trail has no %s event", want)
		}
	}
}

// 003 over HTTP: mediation is offered, accepted and ends with an outcome
// within the stage, and the response deadline stays where it was.
func TestMediationOverHTTP(t *testing.T) {
	a := newAPI(t, "feedback-policy-2018", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T10:00:00Z")).body, "reference")
	c := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"The roof"}, "at": "2026-11-24T10:00:00Z"})
	due := getString(t, c.body, "stages", 0, "respond_by")
	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "accepted"}); r.status != 409 {
		t.Errorf("accepted before it was offered: %d, want 409", r.status)
	}
	if r := a.call("olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "paused"}); r.status != 400 || !strings.Contains(r.raw, `"step"`) {
		t.Errorf("an unknown step: %d %s, want 400 naming step", r.status, r.raw)
	}
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "offered", "mediator": "Community Mediation", "at": "2026-11-25T10:00:00Z"})
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "accepted", "at": "2026-11-26T10:00:00Z"})
	c = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "outcome", "outcome": "resolved", "summary": "A date for the roofer agreed"})
	m := get(c.body, "stages", 0, "mediation")
	if get(m, "offered_by") != "olive@example.org" || get(m, "answer") != "accepted" || get(m, "outcome") != "resolved" || get(m, "mediator") != "Community Mediation" {
		t.Errorf("mediation: %v", m)
	}
	if got := getString(t, c.body, "stages", 0, "respond_by"); got != due || c.body["status"] != "acknowledged" {
		t.Errorf("after mediation: respond_by %s (was %s), status %v", got, due, c.body["status"])
	}
	// The Code's own policy offers none.
	b := newAPI(t, "code-2024", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	b.user("olive", "officer")
	ref = getString(t, b.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T10:00:00Z")).body, "reference")
	if r := b.call("olive", "POST", "/api/v1/cases/"+ref+"/mediation", map[string]any{"step": "offered"}); r.status != 409 {
		t.Errorf("mediation under code-2024: %d, want 409", r.status)
	}
}

// Code 6.8 and 002 §2.3 over HTTP: new issues raised before the response
// are logged as a new complaint only with the reason they are not added
// to this one; the new complaint has the same complainant, and the two
// are linked both ways with an event on each.
func TestAdditionalComplaintOverHTTP(t *testing.T) {
	a := newAPI(t, "greatwell-homes", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-23T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{"points": []string{"The roof"}, "at": "2026-11-24T10:00:00Z"})
	path := "/api/v1/cases/" + ref + "/additional-complaint"
	if r := a.call("olive", "POST", path, map[string]any{"summary": "The fence is broken"}); r.status != 400 || !strings.Contains(r.raw, `"reason"`) {
		t.Errorf("before the response with no reason: %d %s, want 400 naming reason", r.status, r.raw)
	}
	if r := a.call("olive", "POST", path, map[string]any{"summary": "The fence", "reason": "x", "reference": "C-2026-000099"}); r.status != 400 || !strings.Contains(r.raw, `"reference"`) {
		t.Errorf("a reference given: %d %s, want 400 naming reference", r.status, r.raw)
	}
	n := a.must(200, "olive", "POST", path, map[string]any{"summary": "The fence is broken", "issues": "Since the storm in October", "reason": "It needs a survey: adding it would delay the roof's response"})
	newRef := getString(t, n.body, "reference")
	if newRef == ref || n.body["kind"] != "complaint" || n.body["stage"] != 1.0 || n.body["status"] != "received" ||
		get(n.body, "complainant", "name") != "Ada Resident" || !strings.Contains(getString(t, n.body, "description"), ref) {
		t.Errorf("the new complaint: %s", n.raw)
	}
	if links := getList(t, n.body, "links"); len(links) != 1 || links[0] != ref {
		t.Errorf("the new complaint's links: %v", links)
	}
	orig := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
	if links := getList(t, orig.body, "links"); len(links) != 1 || links[0] != newRef || orig.body["status"] != "acknowledged" {
		t.Errorf("the first complaint: links %v, status %v", links, orig.body["status"])
	}
	if ev := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil); !strings.Contains(ev.raw, `"additional_complaint_logged"`) || !strings.Contains(ev.raw, newRef) {
		t.Errorf("the first complaint's events do not record the additional complaint %s", newRef)
	}
	if ev := a.must(200, "olive", "GET", "/api/v1/cases/"+newRef+"/events", nil); !strings.Contains(ev.raw, `"linked"`) {
		t.Errorf("the new complaint's events do not record the link")
	}
}
