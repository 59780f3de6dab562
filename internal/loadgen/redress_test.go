package loadgen

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAPIOpsWorkOnTheCasesTheyCreate: before any create, the ops that
// need a case cannot make a request; a create's answer adds its case, and
// then they make requests of that case.
func TestAPIOpsWorkOnTheCasesTheyCreate(t *testing.T) {
	var cases Cases
	ops := map[string]Op{}
	for _, op := range APIOps(&cases) {
		ops[op.Name] = op
	}
	for _, name := range APIOpNames() {
		if _, ok := ops[name]; !ok {
			t.Fatalf("APIOps has no %s op", name)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range []string{OpCommand, OpRead} {
		if _, err := ops[name].Next(rng); err == nil {
			t.Errorf("%s made a request with no case to work on", name)
		}
	}
	req, err := ops[OpCreate].Next(rng)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.Path != "/api/v1/cases" || body["kind"] != "complaint" || !strings.Contains(body["summary"].(string), "(bench 1)") {
		t.Errorf("create: %s %s %s", req.Method, req.Path, req.Body)
	}
	if err := ops[OpCreate].Done([]byte(`{"error": "no"}`)); err == nil {
		t.Error("create accepted an answer with no reference")
	}
	if err := ops[OpCreate].Done([]byte(`{"reference": "C-2026-000001", "version": 1}`)); err != nil {
		t.Fatal(err)
	}
	if cases.Len() != 1 {
		t.Fatalf("%d cases after one create", cases.Len())
	}
	want := map[string]string{
		OpCommand: "POST /api/v1/cases/C-2026-000001/notes",
		OpRead:    "GET /api/v1/cases/C-2026-000001",
		OpSearch:  "GET /api/v1/cases?q=",
	}
	for name, w := range want {
		req, err := ops[name].Next(rng)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := req.Method + " " + req.Path; !strings.HasPrefix(got, w) {
			t.Errorf("%s sends %s, want %s", name, got, w)
		}
	}
}
