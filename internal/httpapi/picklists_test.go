package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Once managers keep the lists, the API logs a new case only with a
// service area and categories on them, refusing any other naming the
// field, and saves them as the lists spell them; a list not yet kept takes
// any value, as before.
func TestTheAPILogsNewCasesOnlyWithListedValues(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z")) // no list kept yet

	ctx := context.Background()
	for _, e := range []struct{ list, name string }{{"service_area", "Repairs"}, {"categories", "Damp"}, {"categories", "Roofing"}} {
		if _, err := a.st.AddPicklistEntry(ctx, e.list, e.name, "manager@example.org", time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name, field string
		change      func(map[string]any)
	}{
		{"an unlisted service area", "service_area", func(b map[string]any) { b["service_area"] = "plumbing" }},
		{"an unlisted category", "categories[1]", func(b map[string]any) { b["categories"] = []string{"damp", "mould"} }},
	} {
		body := newComplaint("2026-12-21T10:00:00Z")
		tt.change(body)
		r := a.must(400, "olive", "POST", "/api/v1/cases", body)
		if msg, _ := get(r.body, "error", "fields", tt.field).(string); !strings.Contains(msg, "is not on the list") {
			t.Errorf("%s: fields %v, want %s named as not on the list", tt.name, get(r.body, "error", "fields"), tt.field)
		}
	}
	r := a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z"))
	if area := getString(t, r.body, "service_area"); area != "Repairs" {
		t.Errorf("service area saved as %q, want Repairs as the list spells it", area)
	}
	if cats := get(r.body, "categories"); len(cats.([]any)) != 2 || cats.([]any)[0] != "Damp" || cats.([]any)[1] != "Roofing" {
		t.Errorf("categories saved as %v, want [Damp Roofing]", cats)
	}
}
