package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// A case logged over the API for a tenancy the register holds comes back
// with the tenancy suggested and nothing else changed; POST .../tenancy
// confirms it (setting tenure and address), refuses a made-up match or a
// reference the register lacks by naming the field, and clears it; a
// viewer may not.
func TestTheTenancyCommandConfirmsTheSuggestedMatch(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("vic", "viewer")
	f, err := tenancy.ReadCSV(strings.NewReader(tenancy.Template()+
		"H1,,1 Quay Court,,,Riverside,ZZ1 1AA,T-1001,Shared ownership,01/04/2020,,Ada Resident,,\n"), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		t.Fatalf("%v %v", err, f.Errors)
	}
	if _, err := a.st.ImportRegister(context.Background(), f, store.RegisterImport{By: "test", At: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
	body := newComplaint("2026-12-21T10:00:00Z")
	delete(body, "tenure")
	r := a.must(201, "olive", "POST", "/api/v1/cases", body)
	ref := getString(t, r.body, "reference")
	if get(r.body, "tenancy", "ref") != "T-1001" || get(r.body, "tenancy", "matched_by") != "reference" || get(r.body, "tenancy", "confirmed") != false || get(r.body, "tenure") != nil {
		t.Fatalf("the new case's tenancy %v, tenure %v", get(r.body, "tenancy"), get(r.body, "tenure"))
	}
	path := "/api/v1/cases/" + ref + "/tenancy"
	for _, tt := range []struct {
		name  string
		body  any
		field string
	}{
		{"a match given", map[string]any{"ref": "T-1001", "match": map[string]any{"ref": "T-1001", "tenure": "low_cost_rental"}}, "match"},
		{"changes given", map[string]any{"ref": "T-1001", "changes": []any{}}, "changes"},
		{"a tenancy not in the register", map[string]any{"ref": "T-9999"}, "ref"},
		{"ref and clear", map[string]any{"ref": "T-1001", "clear": true}, "ref"},
		{"neither", map[string]any{"reason": "why not"}, "ref"},
		{"an unknown field", map[string]any{"tenancy_ref": "T-1001"}, "tenancy_ref"},
	} {
		r := a.must(400, "olive", "POST", path, tt.body)
		if get(r.body, "error", "fields", tt.field) == nil {
			t.Errorf("%s: 400 %s does not name %s", tt.name, r.raw, tt.field)
		}
	}
	a.must(403, "vic", "POST", path, map[string]any{"ref": "T-1001"})
	r = a.must(200, "olive", "POST", path, map[string]any{"ref": "T-1001", "reason": "Checked with Ada"})
	if get(r.body, "tenure") != "low_cost_home_ownership" || get(r.body, "tenancy", "confirmed") != true || get(r.body, "complainant", "address") != "1 Quay Court\nRiverside" {
		t.Errorf("after confirming: tenure %v, tenancy %v, complainant %v", get(r.body, "tenure"), get(r.body, "tenancy"), get(r.body, "complainant"))
	}
	a.must(409, "olive", "POST", path, map[string]any{"ref": "T-1001"})
	r = a.must(200, "olive", "POST", path, map[string]any{"clear": true})
	if get(r.body, "tenancy") != nil || get(r.body, "tenure") != "low_cost_home_ownership" {
		t.Errorf("after clearing: tenancy %v, tenure %v", get(r.body, "tenancy"), get(r.body, "tenure"))
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
