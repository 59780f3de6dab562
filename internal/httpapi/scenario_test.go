package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// api is a test client for a real server on a real SQLite file.
type api struct {
	t      testing.TB
	srv    *httptest.Server
	st     *sqldb.DB
	tokens map[string]string // by role name used in the test
	clock  *testClock
}

// testClock is the server's clock, pinned: it says the time it was set
// to, whatever the date the tests run on. A test may move it, since a
// letter is dated when it is issued and takes no "at" (see sendResponse).
// It is read by the server's goroutines, so it is locked.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// set moves the clock to t and returns the time it said before.
func (c *testClock) set(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.t
	c.t = t
	return old
}

// newAPI starts the API on a temporary database with the clock fixed at
// now and an admin whose token is tokens["admin"].
func newAPI(t testing.TB, preset string, now time.Time) *api {
	t.Helper()
	st, err := sqldb.Open(context.Background(), testdb.DSN(t), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := policy.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatalf("the %s policy's calendar: %v", preset, err)
	}
	clk := &testClock{t: now}
	s := &Server{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler), Now: clk.now}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	u, err := st.CreateUser(context.Background(), store.User{Email: "admin@example.org", Name: "Admin", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	tok, hash := auth.NewToken()
	if err := st.AddToken(context.Background(), u.ID, hash, "test"); err != nil {
		t.Fatal(err)
	}
	return &api{t: t, srv: srv, st: st, tokens: map[string]string{"admin": tok}, clock: clk}
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (a *api) call(who, method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatalf("%s %s: the body as JSON: %v", method, path, err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[who])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: reading the response: %v", method, path, err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			a.t.Fatalf("%s %s: the response is not a JSON object: %v\n%.500s", method, path, err, raw)
		}
	}
	return r
}

// must calls and fails the test unless the status is want.
func (a *api) must(want int, who, method, path string, body any, headers ...string) reply {
	a.t.Helper()
	r := a.call(who, method, path, body, headers...)
	if r.status != want {
		a.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, r.status, want, r.raw)
	}
	return r
}

// user creates a user with a role through the API and keeps their token.
func (a *api) user(name, role string) string {
	a.t.Helper()
	email := name + "@example.org"
	u := a.must(201, "admin", "POST", "/api/v1/users", map[string]any{"email": email, "name": name, "role": role})
	tok := a.must(201, "admin", "POST", fmt.Sprintf("/api/v1/users/%v/tokens", u.body["id"]), map[string]any{"label": "test"})
	a.tokens[name] = getString(a.t, tok.body, "token")
	return email
}

// postalAddress is where the tests' response letters go by post: the
// complaints newComplaint logs carry only a postcode.
var postalAddress = []string{"1 Mill Lane", "Riverside Vale", "ZZ1 1AA"}

// sendResponse issues the case's stage n response letter by post as who,
// as an API client does (POST .../letters naming only the kind, the
// channel and the address), which is what responds to the stage (issue
// 12, rule 1). A letter is dated when it is issued and takes no "at", so
// for this one request the server's clock is moved to sent, an RFC 3339
// time, as if the client sent it then, and is put back after. It returns
// the reply to the issue.
func (a *api) sendResponse(who, ref string, stage int, sent string) reply {
	a.t.Helper()
	at, err := time.Parse(time.RFC3339, sent)
	if err != nil {
		a.t.Fatalf("sending %s's response letter: %v", ref, err)
	}
	before := a.clock.set(at)
	defer a.clock.set(before)
	return a.must(201, who, "POST", "/api/v1/cases/"+ref+"/letters",
		map[string]any{"kind": complaint.ResponseLetterKind(stage), "channel": "print", "address": postalAddress})
}

// respondAndSend records the decisions in body (with its "at") on the
// case's current stage as who, then sends the stage's response letter at
// sent, and returns the case as it then is: responded on the letter's
// date. It checks that recording the decisions alone did not respond.
func (a *api) respondAndSend(who, ref string, body map[string]any, sent string) reply {
	a.t.Helper()
	r := a.must(200, who, "POST", "/api/v1/cases/"+ref+"/respond", body)
	stage, _ := r.body["stage"].(float64)
	if r.body["status"] != "acknowledged" || get(r.body, "stages", int(stage)-1, "responded_at") != nil {
		a.t.Fatalf("%s: recording the decisions responded to stage %v before its letter was sent: status %v, responded_at %v",
			ref, stage, r.body["status"], get(r.body, "stages", int(stage)-1, "responded_at"))
	}
	a.sendResponse(who, ref, int(stage), sent)
	return a.must(200, who, "GET", "/api/v1/cases/"+ref, nil)
}

// get walks a decoded JSON value: get(v, "stages", 0, "respond_by").
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			s, _ := v.([]any)
			if k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

// getString is get for a string, failing the test if there is none.
func getString(t testing.TB, v any, path ...any) string {
	t.Helper()
	s, ok := get(v, path...).(string)
	if !ok {
		t.Fatalf("%v in %v is %v, want a string", path, v, get(v, path...))
	}
	return s
}

// getList is get for an array, failing the test if there is none.
func getList(t testing.TB, v any, path ...any) []any {
	t.Helper()
	l, ok := get(v, path...).([]any)
	if !ok {
		t.Fatalf("%v in %v is %v, want an array", path, v, get(v, path...))
	}
	return l
}

func errCode(r reply) any { return get(r.body, "error", "code") }

func newComplaint(received string) map[string]any {
	return map[string]any{
		"kind": "complaint", "channel": "phone", "received_at": received,
		"complainant":  map[string]any{"name": "Ada Resident", "phone": "0191 496 0000", "postcode": "zz1 1aa", "tenancy_ref": "T-1001"},
		"summary":      "Roof still leaking after three repair visits",
		"description":  "Water comes through the bedroom ceiling whenever it rains.",
		"service_area": "repairs", "categories": []string{"damp", "roofing"}, "tenure": "low_cost_rental",
	}
}

// A complaint goes through both stages over HTTP, with every step
// backdated across Christmas and New Year, and every deadline checked
// against dates worked out by hand from the England and Wales holidays
// (25 Dec 2026 Fri, 28 Dec Mon substitute Boxing Day, 1 Jan 2027 Fri).
func TestComplaintThroughBothStagesAcrossChristmas(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC))
	officer := a.user("olive", "officer")
	reviewer := a.user("rex", "reviewer")

	c := a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-12-21T10:00:00Z"))
	ref := getString(t, c.body, "reference")
	if ref != "C-2026-000001" || c.header.Get("ETag") != `"1"` || c.header.Get("Location") != "/api/v1/cases/"+ref {
		t.Fatalf("created %s, ETag %s, Location %s", ref, c.header.Get("ETag"), c.header.Get("Location"))
	}
	check := func(r reply, stage int, field, want string) {
		t.Helper()
		if got := get(r.body, "stages", stage-1, field); got != want {
			t.Errorf("stage %d %s = %v, want %s", stage, field, got, want)
		}
	}
	check(c, 1, "acknowledge_by", "2026-12-30")
	check(c, 1, "respond_by", "2027-01-14") // Assuming acknowledgement on 30 December.

	r := a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{
		"at": "2026-12-23T12:00:00Z", "points": []string{"The roof was not fixed", "Nobody called back"},
		"outcomes_sought": []string{"Fix the roof", "Compensation for the damaged carpet"},
	}, "If-Match", `"1"`)
	check(r, 1, "respond_by", "2027-01-11")
	if r.body["status"] != "acknowledged" || r.body["handler"] != officer || r.header.Get("ETag") != `"2"` {
		t.Errorf("after acknowledge: status %v handler %v ETag %s", r.body["status"], r.body["handler"], r.header.Get("ETag"))
	}

	r = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/extend", map[string]any{
		"at": "2027-01-05T09:00:00Z", "working_days": 5, "reason": "Waiting for the roofer's survey",
		"agreed_with_resident": false, "ombudsman_details_given": true,
	})
	check(r, 1, "respond_by", "2027-01-18")

	// The decisions are recorded on Fri 15 January and the response letter
	// goes by post at 16:30 that day: the stage is responded then.
	r = a.respondAndSend("olive", ref, map[string]any{
		"at": "2027-01-15T16:00:00Z",
		"decisions": []map[string]any{
			{"point": 1, "outcome": "upheld", "reasons": "Three visits failed to find the cause."},
			{"point": 2, "outcome": "partly_upheld", "reasons": "One call-back was missed."},
		},
		"remedies": []map[string]any{
			{"kind": "apology", "description": "We apologise for the repeated failed visits."},
			{"kind": "compensation", "description": "Carpet replacement", "amount_pence": 25000},
			{"kind": "action", "description": "Replace the flashing", "owner": "Repairs team", "due": "2027-02-12"},
		},
	}, "2027-01-15T16:30:00Z")
	if r.body["status"] != "responded" || len(getList(t, r.body, "remedies")) != 3 {
		t.Fatalf("after respond and the response letter: %s", r.raw)
	}
	check(r, 1, "responded_at", "2027-01-15T16:30:00Z")

	r = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/escalate", map[string]any{"at": "2027-02-01T10:00:00Z"})
	check(r, 2, "reference", ref) // The Code's policy gives stage 2 no new reference.
	check(r, 2, "acknowledge_by", "2027-02-08")
	check(r, 2, "respond_by", "2027-03-08")
	if r.body["stage"] != 2.0 || r.body["status"] != "received" || r.body["handler"] != nil {
		t.Errorf("after escalate: stage %v status %v handler %v", r.body["stage"], r.body["status"], r.body["handler"])
	}

	conflict := a.must(409, "admin", "POST", "/api/v1/cases/"+ref+"/assign", map[string]any{"handler": officer})
	if !strings.Contains(conflict.raw, "6.13") {
		t.Errorf("stage 1 handler at stage 2: %s", conflict.raw)
	}
	a.must(200, "admin", "POST", "/api/v1/cases/"+ref+"/assign", map[string]any{"handler": reviewer, "at": "2027-02-02T09:00:00Z"})
	r = a.must(200, "rex", "POST", "/api/v1/cases/"+ref+"/acknowledge", map[string]any{
		"at": "2027-02-03T09:00:00Z", "points": []string{"The stage 1 compensation is too low"},
	})
	check(r, 2, "respond_by", "2027-03-03")
	a.must(409, "olive", "POST", "/api/v1/cases/"+ref+"/respond", map[string]any{
		"decisions": []map[string]any{{"point": 1, "outcome": "not_upheld", "reasons": "x"}},
	})
	r = a.respondAndSend("rex", ref, map[string]any{
		"at":        "2027-02-26T15:00:00Z",
		"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "The carpet cost more than offered."}},
		"remedies":  []map[string]any{{"kind": "compensation", "description": "Top-up for the carpet", "amount_pence": 15000}},
	}, "2027-02-26T15:30:00Z")
	check(r, 2, "responded_at", "2027-02-26T15:30:00Z")
	// Eleven events: created, acknowledged, extended, decisions recorded
	// and the letter at each stage, escalated, assigned, and closed.
	r = a.must(200, "rex", "POST", "/api/v1/cases/"+ref+"/close", map[string]any{"at": "2027-03-01T09:00:00Z"})
	if r.body["status"] != "closed" || r.header.Get("ETag") != `"11"` {
		t.Errorf("after close: status %v ETag %s", r.body["status"], r.header.Get("ETag"))
	}
	// The action stays open after closure, until marked done.
	if get(r.body, "remedies", 2, "done") != false {
		t.Error("action closed with the case")
	}
	r = a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/remedies/3/done", map[string]any{"note": "Flashing replaced"})
	if get(r.body, "remedies", 2, "done") != true {
		t.Error("action not marked done")
	}

	evs := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil)
	var kinds []string
	for _, e := range getList(t, evs.body, "events") {
		kinds = append(kinds, getString(t, e, "kind"))
	}
	want := "created acknowledged extended decisions_recorded letter_issued escalated assigned acknowledged decisions_recorded letter_issued closed remedy_done"
	if strings.Join(kinds, " ") != want {
		t.Errorf("events %v\nwant %s", kinds, want)
	}
	for _, i := range []int{4, 9} {
		if e := get(evs.body, "events", i); get(e, "data", "kind") != fmt.Sprintf("stage%d_response", i/5+1) {
			t.Errorf("event %d is not the stage %d response letter: %v", i, i/5+1, e)
		}
	}
	if get(evs.body, "events", 11, "data", "id") != 3.0 {
		t.Errorf("remedy_done event does not say which remedy: %v", get(evs.body, "events", 11))
	}
	if get(evs.body, "events", 1, "at") != "2026-12-23T12:00:00Z" || get(evs.body, "events", 1, "actor") != officer {
		t.Errorf("acknowledged event: %v", get(evs.body, "events", 1))
	}
	if rep, err := a.st.VerifyAudit(context.Background()); err != nil || !rep.OK {
		t.Errorf("audit: %+v %v", rep, err)
	}
}

// Each rule of the lifecycle or the policy that forbids a command is a
// 409 that names the rule and changes nothing.
func TestRuleViolationsAreConflictsThatChangeNothing(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	ack := map[string]any{"points": []string{"one", "two"}}
	tests := []struct {
		name, command string
		body          any
		before        func()
		want          string
	}{
		{"respond before acknowledging", "respond", map[string]any{"decisions": []any{}}, nil, "must be acknowledged"},
		{"extension without the Ombudsman's details", "extend", map[string]any{"working_days": 3, "reason": "survey", "ombudsman_details_given": false}, nil, "Ombudsman"},
		{"extension past the cap without agreement", "extend", map[string]any{"working_days": 11, "reason": "survey", "ombudsman_details_given": true}, nil, "over the policy's 10"},
		{"a decision missing for a point", "respond", map[string]any{"decisions": []map[string]any{{"point": 1, "outcome": "upheld", "reasons": "r"}}},
			func() { a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/acknowledge", ack) }, "point 2"},
		{"escalating before a response", "escalate", map[string]any{}, nil, "once stage 1 has been responded to"},
		{"closing before a response", "close", nil, nil, "closed after its response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			before := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			r := a.must(409, "olive", "POST", "/api/v1/cases/"+ref+"/"+tt.command, tt.body)
			if errCode(r) != "conflict" || !strings.Contains(r.raw, tt.want) {
				t.Errorf("409 body %s does not say %q", r.raw, tt.want)
			}
			after := a.must(200, "olive", "GET", "/api/v1/cases/"+ref, nil)
			if before.raw != after.raw {
				t.Error("a refused command changed the case")
			}
		})
	}
}

func TestStaleIfMatchIs412AndChangesNothing(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	a.must(200, "olive", "POST", "/api/v1/cases/"+ref+"/notes", map[string]any{"text": "first"}, "If-Match", `"1"`)
	r := a.must(412, "olive", "POST", "/api/v1/cases/"+ref+"/notes", map[string]any{"text": "second, from a stale page"}, "If-Match", `"1"`)
	if errCode(r) != "stale" {
		t.Errorf("412 body %s", r.raw)
	}
	evs := a.must(200, "olive", "GET", "/api/v1/cases/"+ref+"/events", nil)
	if n := len(getList(t, evs.body, "events")); n != 2 {
		t.Errorf("%d events after one good and one stale note, want 2", n)
	}
	a.must(400, "olive", "POST", "/api/v1/cases/"+ref+"/notes", map[string]any{"text": "x"}, "If-Match", "yesterday")
}

func TestBadRequestsNameTheField(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	a := newAPI(t, "code-2024", now)
	a.user("olive", "officer")
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z")).body, "reference")
	with := func(k string, v any) map[string]any {
		c := newComplaint("2026-11-20T10:00:00Z")
		c[k] = v
		return c
	}
	tests := []struct {
		name, path string
		body       any
		field      string
		status     int
	}{
		{"unknown field", "/api/v1/cases", with("colour", "red"), "colour", 400},
		{"impossible date", "/api/v1/cases", with("received_at", "2026-13-01T00:00:00Z"), "", 400},
		{"date without a time", "/api/v1/cases", with("received_at", "2026-11-20"), "", 400},
		{"received in the future", "/api/v1/cases", with("received_at", "2026-11-24T00:00:00Z"), "received_at", 400},
		{"wrong type", "/api/v1/cases", with("health_and_safety", "yes"), "health_and_safety", 400},
		{"bad kind", "/api/v1/cases", with("kind", "moan"), "kind", 400},
		{"bad channel", "/api/v1/cases", with("channel", "pigeon"), "channel", 400},
		{"no complainant name", "/api/v1/cases", with("complainant", map[string]any{"phone": "1"}), "complainant.name", 400},
		{"not JSON", "/api/v1/cases", "{kind: complaint", "", 400},
		{"two JSON values", "/api/v1/cases", `{"kind":"complaint"} {}`, "", 400},
		{"empty body", "/api/v1/cases", "", "", 400},
		{"command at in the future", "/api/v1/cases/" + ref + "/notes", map[string]any{"text": "x", "at": "2026-11-24T00:00:00Z"}, "at", 400},
		{"command before the previous event", "/api/v1/cases/" + ref + "/notes", map[string]any{"text": "x", "at": "2026-11-19T00:00:00Z"}, "at", 400},
		{"command at not a time", "/api/v1/cases/" + ref + "/notes", map[string]any{"text": "x", "at": "tuesday"}, "at", 400},
		{"unknown command field", "/api/v1/cases/" + ref + "/notes", map[string]any{"text": "x", "txet": "y"}, "txet", 400},
		{"extend days wrong type", "/api/v1/cases/" + ref + "/extend", map[string]any{"working_days": "five"}, "working_days", 400},
		{"unknown handler", "/api/v1/cases/" + ref + "/assign", map[string]any{"handler": "nobody@example.org"}, "handler", 400},
		{"link to nothing", "/api/v1/cases/" + ref + "/link", map[string]any{"reference": "C-1999-000001"}, "reference", 400},
		{"refuse on no exclusion", "/api/v1/cases/" + ref + "/refuse", map[string]any{"exclusion": "too_hard", "explanation": "x"}, "exclusion", 400},
		{"too large", "/api/v1/cases", `{"summary":"` + strings.Repeat("x", MaxBody) + `"}`, "", 413},
		{"unknown command", "/api/v1/cases/" + ref + "/approve", map[string]any{}, "", 404},
		{"unknown case", "/api/v1/cases/C-2026-999999/notes", map[string]any{"text": "x"}, "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.must(tt.status, "olive", "POST", tt.path, tt.body)
			if tt.field != "" && get(r.body, "error", "fields", tt.field) == nil {
				t.Errorf("error does not name %s: %s", tt.field, r.raw)
			}
			for _, leak := range []string{"sql", "SQL", ".go:", "goroutine", "/tmp/"} {
				if strings.Contains(r.raw, leak) {
					t.Errorf("error leaks %q: %s", leak, r.raw)
				}
			}
		})
	}
	list := a.must(200, "olive", "GET", "/api/v1/cases", nil)
	if n := len(getList(t, list.body, "cases")); n != 1 {
		t.Errorf("%d cases after bad requests, want the 1 good one", n)
	}
	r := a.must(400, "olive", "GET", "/api/v1/cases?stage=3&overdue=maybe&due_before=soon&colour=red", nil)
	for _, f := range []string{"stage", "overdue", "due_before", "colour"} {
		if get(r.body, "error", "fields", f) == nil {
			t.Errorf("list error does not name %s: %s", f, r.raw)
		}
	}
}

func TestAuthenticationAndRoles(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	a.user("vic", "viewer")
	a.user("mary", "manager")
	a.tokens["nobody"] = "rdr_not-a-real-token"

	a.must(401, "", "GET", "/api/v1/cases", nil)
	r := a.must(401, "nobody", "GET", "/api/v1/cases", nil)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	a.must(403, "vic", "POST", "/api/v1/cases", newComplaint("2026-11-20T10:00:00Z"))
	a.must(403, "olive", "POST", "/api/v1/users", map[string]any{"email": "x@example.org", "name": "X", "role": "admin"})
	a.must(403, "mary", "GET", "/api/v1/users", nil)
	a.must(400, "admin", "POST", "/api/v1/users", map[string]any{"email": "x@example.org", "name": "X", "role": "boss"})
	a.must(409, "admin", "POST", "/api/v1/users", map[string]any{"email": "olive@example.org", "name": "Olive again", "role": "officer"})

	// A confidential complaint about a staff member: visible to who logged
	// it and to managers, absent for everyone else, even by reference.
	conf := newComplaint("2026-11-20T10:00:00Z")
	conf["confidential"] = true
	conf["summary"] = "Complaint about the conduct of a housing officer"
	ref := getString(t, a.must(201, "olive", "POST", "/api/v1/cases", conf).body, "reference")
	a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-20T11:00:00Z"))
	for who, n := range map[string]int{"olive": 2, "mary": 2, "admin": 2, "vic": 1} {
		list := a.must(200, who, "GET", "/api/v1/cases?q=officer+conduct", nil)
		if got := len(getList(t, list.body, "cases")); got != n-1 {
			t.Errorf("%s finds %d confidential cases by search, want %d", who, got, n-1)
		}
		list = a.must(200, who, "GET", "/api/v1/cases", nil)
		if got := len(getList(t, list.body, "cases")); got != n {
			t.Errorf("%s lists %d cases, want %d", who, got, n)
		}
	}
	a.must(200, "mary", "GET", "/api/v1/cases/"+ref, nil)
	a.must(404, "vic", "GET", "/api/v1/cases/"+ref, nil)
	a.must(404, "vic", "GET", "/api/v1/cases/"+ref+"/events", nil)
	a.user("otto", "officer")
	a.must(404, "otto", "POST", "/api/v1/cases/"+ref+"/notes", map[string]any{"text": "nosing around"})
}

func TestListFiltersOverHTTP(t *testing.T) {
	a := newAPI(t, "code-2024", time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	a.user("olive", "officer")
	old := a.must(201, "olive", "POST", "/api/v1/cases", newComplaint("2026-11-02T10:00:00Z")).body["reference"]
	sr := newComplaint("2026-11-23T09:00:00Z")
	sr["kind"], sr["summary"] = "service_request", "Broken gate latch"
	a.must(201, "olive", "POST", "/api/v1/cases", sr)
	for query, want := range map[string]int{
		"":                                  2,
		"?kind=service_request":             1,
		"?overdue=true":                     1,
		"?q=gate":                           1,
		"?received_from=2026-11-20":         1,
		"?received_to=2026-11-20T00:00:00Z": 1,
		"?stage=1&status=received":          1,
		"?due_before=2026-11-01":            0,
		"?limit=1":                          1,
	} {
		r := a.must(200, "olive", "GET", "/api/v1/cases"+query, nil)
		cases := getList(t, r.body, "cases")
		if len(cases) != want {
			t.Errorf("%q: %d cases, want %d", query, len(cases), want)
		}
		if query == "?overdue=true" && get(cases, 0, "reference") != old {
			t.Errorf("overdue case is %v, want %v", get(cases, 0, "reference"), old)
		}
	}
	page := a.must(200, "olive", "GET", "/api/v1/cases?limit=1", nil)
	next := getString(t, page.body, "next_cursor")
	page2 := a.must(200, "olive", "GET", "/api/v1/cases?limit=1&cursor="+next, nil)
	if get(page2.body, "cases", 0, "reference") != old || page2.body["next_cursor"] != "" {
		t.Errorf("second page %s", page2.raw)
	}
}
