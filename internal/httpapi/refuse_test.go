package httpapi

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPreviouslyConsideredIsNoGroundToRefuseStage2OverHTTP: refusing an
// escalated complaint as "previously considered" (or out of time) is a
// conflict naming the exclusion field, and changes nothing; a ground that
// can arise after stage 1, such as legal proceedings, still refuses it.
func TestPreviouslyConsideredIsNoGroundToRefuseStage2OverHTTP(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("rex", "reviewer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z")).body, "reference")
	path := "/api/v1/cases/" + ref
	a.must(200, "olive", "POST", path+"/acknowledge", map[string]any{"at": "2026-12-23T12:00:00Z", "points": []string{"The roof was not fixed"}})
	a.respondAndSend("olive", ref, map[string]any{
		"at":        "2027-01-05T16:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "not_upheld", "reasons": "The roofer found no fault."}},
	}, "2027-01-05T16:30:00Z")
	a.must(200, "olive", "POST", path+"/escalate", map[string]any{"at": "2027-01-11T10:00:00Z"})

	for _, exclusion := range []string{"previously_considered", "older_than_12_months"} {
		t.Run(exclusion, func(t *testing.T) {
			before := a.must(200, "rex", "GET", path, nil)
			r := a.must(409, "rex", "POST", path+"/refuse", map[string]any{"exclusion": exclusion, "explanation": "Considered at stage 1"})
			if errCode(r) != "conflict" || !slices.Equal(fieldsOf(r), []string{"exclusion"}) || !strings.Contains(r.raw, "stage 2") {
				t.Errorf("409 body %s: want a conflict naming the exclusion field and saying why", r.raw)
			}
			if after := a.must(200, "rex", "GET", path, nil); after.raw != before.raw {
				t.Error("a refused refusal changed the case")
			}
		})
	}
	r := a.must(200, "rex", "POST", path+"/refuse", map[string]any{"exclusion": "legal_proceedings", "explanation": "A claim was filed at court on 8 January"})
	if r.body["status"] != "refused" || r.body["stage"] != 2.0 {
		t.Errorf("after refusing on legal proceedings: status %v, stage %v", r.body["status"], r.body["stage"])
	}
}
