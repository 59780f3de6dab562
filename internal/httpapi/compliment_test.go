package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/notify"
	"github.com/redresshq/redress/internal/policy"
)

// TestComplimentIsPassedOnToThosePraisedOverHTTP passes a compliment on
// through the API (issue 19, item 5; 000: "we offer individual feedback
// to colleagues when a compliment is received"): who it praises and their
// manager are recorded, colleagues and the manager must be users, every
// bad field is named at once, a complaint cannot be passed on, a
// compliment only once; the notice relay then emails each of them, and
// the compliment notice issues through the letter check.
func TestComplimentIsPassedOnToThosePraisedOverHTTP(t *testing.T) {
	a := newAPI(t, "gentoo", time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	sam := a.user("sam", "officer")
	mo := a.user("mo", "manager")
	a.user("vic", "viewer")

	body := newComplaint("2026-12-03T09:00:00Z")
	body["kind"], body["summary"] = "compliment", "Sam fixed my boiler on Christmas Eve"
	body["complainant"] = map[string]any{"name": "Ada Resident", "email": "ada@example.org"}
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", body).body, "reference")
	path := "/api/v1/cases/" + ref + "/compliment"

	r := a.must(400, "olive", "POST", path, map[string]any{
		"praised": []any{map[string]any{"kind": "colleague", "email": "nobody@example.org"}, map[string]any{"kind": "contractor", "name": "Acme"}},
		"manager": "ghost@example.org",
	})
	for _, f := range []string{"praised[0].email", "manager"} {
		if get(r.body, "error", "fields", f) == nil {
			t.Errorf("%s is not named: %s", f, r.raw)
		}
	}
	a.must(400, "olive", "POST", path, map[string]any{"praised": []any{map[string]any{"kind": "contractor", "name": "Acme"}}, "manager": mo})
	a.must(403, "vic", "POST", path, map[string]any{"praised": []any{map[string]any{"kind": "team", "name": "Repairs"}}, "manager": mo})
	other := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-03T09:00:00Z")).body, "reference")
	a.must(409, "olive", "POST", "/api/v1/cases/"+other+"/compliment", map[string]any{"praised": []any{map[string]any{"kind": "team", "name": "Repairs"}}, "manager": mo})

	r = a.must(200, "olive", "POST", path, map[string]any{
		"praised": []any{
			map[string]any{"kind": "colleague", "email": sam}, // the name is the user's
			map[string]any{"kind": "team", "name": "Repairs"},
			map[string]any{"kind": "contractor", "name": "Acme Roofing", "email": "office@acme.example"},
		},
		"manager": mo,
	})
	if get(r.body, "praise", "manager") != mo || get(r.body, "praise", "praised", 0, "name") != "sam" || get(r.body, "praise", "passed_on_by") != "olive@example.org" {
		t.Errorf("praise = %v", get(r.body, "praise"))
	}
	a.must(409, "olive", "POST", path, map[string]any{"praised": []any{map[string]any{"kind": "team", "name": "Repairs"}}, "manager": mo})

	// The relay emails the notice to Sam, Acme and Mo; the team has no
	// mailbox.
	p, err := policy.Preset("gentoo")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	relay := &notify.Relay{Store: a.st, Calendar: cal, Policy: p, ServiceName: "Gentoo", Hold: -1, MaxAge: -1, Now: a.clock.now}
	if _, err := relay.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	out, err := a.st.Outbox(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range out {
		if m.Kind == "notice_compliment_notice" {
			to = append(to, m.To)
			if !strings.Contains(m.TextBody, "Sam fixed my boiler on Christmas Eve") || !strings.Contains(m.TextBody, "Acme Roofing") {
				t.Errorf("the notice to %s:\n%s", m.To, m.TextBody)
			}
		}
	}
	slices.Sort(to)
	if want := []string{`"Acme Roofing" <office@acme.example>`, `"mo" <mo@example.org>`, `"sam" <sam@example.org>`}; !slices.Equal(to, want) {
		t.Errorf("compliment notices to %v, want %v", to, want)
	}

	// The thanks letter now says it was passed on, and the compliment
	// notice issues through the letter check.
	d := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "compliment_thanks"})
	if b := getString(t, d.body, "body"); !strings.Contains(b, "We have passed your kind words on to sam, Repairs and Acme Roofing") {
		t.Errorf("thanks draft:\n%s", b)
	}
	d = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/letters/draft", map[string]any{"kind": "compliment_notice"})
	if get(d.body, "recipient", "email") != sam || len(getList(t, d.body, "missing")) != 0 {
		t.Errorf("the notice draft: %s", d.raw)
	}
	issue := letterEdit(d, getString(t, d.body, "body"))
	issue["channel"] = "email"
	a.must(201, "olive", "POST", "/api/v1/cases/"+ref+"/letters", issue)
}
