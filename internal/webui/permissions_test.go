package webui_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
	"github.com/redresshq/redress/internal/webui"
)

// site is the staff pages on a real SQLite file, with a clock the test
// can move.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	st    *sqldb.DB
	mu    sync.Mutex
	now   time.Time
	p     *policy.Policy
	users map[string]store.User
	// log holds what the server logged, for tests of what it records.
	log *syncBuffer
}

// syncBuffer is a bytes.Buffer the server's goroutines may log to while a
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const testPassword = "correct horse battery staple 42"

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, nil)
}

// newSiteWith is newSite with the pages' store wrapped by wrap, for a
// test of how the pages answer one thing the store says.
func newSiteWith(t *testing.T, wrap func(store.Store) store.Store) *site {
	t.Helper()
	st, err := sqldb.Open(context.Background(), testdb.DSN(t), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, cal := policytest.Code(t)
	s := &site{t: t, st: st, p: p, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), users: map[string]store.User{}, log: &syncBuffer{}}
	var pages store.Store = st
	if wrap != nil {
		pages = wrap(st)
	}
	web, err := webui.New(&webui.Server{Store: pages, Policy: p, Calendar: cal, Log: slog.New(slog.NewTextHandler(s.log, nil)),
		Now: func() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now }, ServiceName: "Test complaints"})
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(web.Handler())
	t.Cleanup(s.srv.Close)
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range auth.Roles {
		u, err := st.CreateUser(context.Background(), store.User{Email: string(role) + "@example.org", Name: "A " + string(role), Role: string(role)})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetPassword(context.Background(), u.ID, hash, false); err != nil {
			t.Fatal(err)
		}
		s.users[string(role)] = u
	}
	return s
}

func (s *site) advance(d time.Duration) { s.mu.Lock(); s.now = s.now.Add(d); s.mu.Unlock() }

// browser is a cookie-keeping client that does not follow redirects, so
// tests see them.
func (s *site) browser() *http.Client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *site) post(c *http.Client, path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("POST %s: reading the response: %v", path, err)
	}
	return resp, string(b)
}

func (s *site) get(c *http.Client, path string) (*http.Response, string) {
	s.t.Helper()
	resp, err := c.Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("GET %s: reading the response: %v", path, err)
	}
	return resp, string(b)
}

// signIn returns a client signed in as role.
func (s *site) signIn(role string) *http.Client {
	s.t.Helper()
	c := s.browser()
	resp, body := s.post(c, "/sign-in", url.Values{"email": {role + "@example.org"}, "password": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: %d\n%s", role, resp.StatusCode, body)
	}
	return c
}

// newCase logs a complaint through the store as role.
func (s *site) newCase(role, summary string, confidential bool) string {
	s.t.Helper()
	return s.newCaseWith(role, summary, confidential, "")
}

// newCaseWith is newCase for a resident of the given tenure ("" for not
// recorded).
func (s *site) newCaseWith(role, summary string, confidential bool, tenure complaint.Tenure) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatalf("the policy's calendar: %v", err)
	}
	recv := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv, Confidential: confidential, Tenure: tenure,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: summary},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Reference
}

// Every route the server mounts, for every role and for nobody signed in:
// each route of webui.Routes (the table Handler mounts, not a copy of it)
// must have an expectation here, saying who may use it and what to send;
// then every role gets what the route's access allows (403 otherwise),
// nobody signed out gets anything but the sign-in page from a route that
// needs a session, and no refused form changes anything.
func TestEveryPageAndFormForEveryRole(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Ordinary complaint", false)
	const forbidden, redirect = http.StatusForbidden, http.StatusSeeOther
	_, signInPage := s.get(s.browser(), "/sign-in")
	stylesheet := regexp.MustCompile(`/assets/[^"]+\.css`).FindString(signInPage)
	if stylesheet == "" {
		t.Fatal("the sign-in page links no stylesheet")
	}
	type expectation struct {
		access webui.Access
		// path is the address to try, with the pattern's wildcards filled
		// in; "" is the pattern's own path.
		path string
		// ok is the status for those who may use the route; 0 accepts any
		// but a refusal, a redirect to sign in, or a server error (for
		// forms sent with nothing or a made-up id, which only need to get
		// past the check of who may use them).
		ok int
		// signsOut marks a route that ends the session using it, tried
		// last in a session of its own.
		signsOut bool
	}
	role := func(r auth.Role) string { return string(r) }
	expect := map[string]expectation{
		"GET /assets/":                                  {access: webui.Public, path: stylesheet, ok: 200},
		"GET /brand/logo":                               {access: webui.Public, ok: http.StatusNotFound}, // no letterhead, so no logo
		"GET /sign-in":                                  {access: webui.Public},
		"POST /sign-in":                                 {access: webui.Public, ok: http.StatusBadRequest},
		"GET /sign-in/oidc":                             {access: webui.Public, ok: http.StatusNotFound},
		"GET /sign-in/oidc/callback":                    {access: webui.Public, ok: http.StatusNotFound},
		"POST /sign-out":                                {access: webui.SignedIn, ok: redirect, signsOut: true},
		"POST /sign-out-everywhere":                     {access: webui.SignedIn, ok: redirect, signsOut: true},
		"GET /change-password":                          {access: webui.SignedIn, ok: 200},
		"POST /change-password":                         {access: webui.SignedIn, ok: http.StatusBadRequest},
		"GET /{$}":                                      {access: webui.SignedIn, path: "/", ok: 200},
		"GET /cases":                                    {access: webui.SignedIn, ok: 200},
		"GET /cases.csv":                                {access: webui.SignedIn, ok: 200},
		"GET /cases/new":                                {access: webui.Actors, ok: 200},
		"POST /cases/new":                               {access: webui.Actors, ok: redirect},
		"GET /cases/{ref}":                              {access: webui.SignedIn, path: "/cases/" + ref, ok: 200},
		"GET /cases/{ref}/evidence.zip":                 {access: webui.Actors, path: "/cases/" + ref + "/evidence.zip", ok: 200},
		"GET /cases/{ref}/attachments/{id}":             {access: webui.SignedIn, path: "/cases/" + ref + "/attachments/1", ok: http.StatusNotFound},
		"GET /cases/{ref}/letters/new":                  {access: webui.Actors, path: "/cases/" + ref + "/letters/new"},
		"POST /cases/{ref}/letters/preview":             {access: webui.Actors, path: "/cases/" + ref + "/letters/preview"},
		"POST /cases/{ref}/letters/preview.pdf":         {access: webui.Actors, path: "/cases/" + ref + "/letters/preview.pdf"},
		"POST /cases/{ref}/letters":                     {access: webui.Actors, path: "/cases/" + ref + "/letters"},
		"GET /cases/{ref}/letters/{file}":               {access: webui.SignedIn, path: "/cases/" + ref + "/letters/1.pdf", ok: http.StatusNotFound},
		"POST /cases/{ref}/remedies/{id}/done":          {access: webui.Actors, path: "/cases/" + ref + "/remedies/1/done"},
		"POST /cases/{ref}/{command}":                   {access: webui.Actors, path: "/cases/" + ref + "/notes", ok: redirect},
		"POST /session/refresh":                         {access: webui.SignedIn, ok: http.StatusNoContent},
		"GET /session/resume":                           {access: webui.SignedIn, ok: redirect},
		"POST /session/resume":                          {access: webui.SignedIn, ok: http.StatusNotFound},
		"GET /cases/{ref}/definition":                   {access: webui.Actors, path: "/cases/" + ref + "/definition", ok: 200},
		"POST /cases/{ref}/definition":                  {access: webui.Actors, path: "/cases/" + ref + "/definition"},
		"GET /cases/{ref}/remedies/{id}/supersede":      {access: webui.Actors, path: "/cases/" + ref + "/remedies/1/supersede", ok: http.StatusNotFound},
		"POST /cases/{ref}/remedies/{id}/supersede":     {access: webui.Actors, path: "/cases/" + ref + "/remedies/1/supersede", ok: http.StatusNotFound},
		"GET /cases/{ref}/details":                      {access: webui.Actors, path: "/cases/" + ref + "/details", ok: 200},
		"POST /cases/{ref}/details":                     {access: webui.Actors, path: "/cases/" + ref + "/details", ok: http.StatusBadRequest},
		"GET /cases/{ref}/files/new":                    {access: webui.Actors, path: "/cases/" + ref + "/files/new", ok: 200},
		"POST /cases/{ref}/files/new":                   {access: webui.Actors, path: "/cases/" + ref + "/files/new", ok: http.StatusBadRequest},
		"GET /actions":                                  {access: webui.SignedIn, ok: 200},
		"GET /notices":                                  {access: webui.SignedIn, ok: 200},
		"POST /notices/read":                            {access: webui.SignedIn, ok: redirect},
		"POST /notices/{id}/open":                       {access: webui.SignedIn, path: "/notices/999/open", ok: http.StatusNotFound},
		"POST /views":                                   {access: webui.SignedIn, ok: http.StatusBadRequest},
		"POST /views/{id}/delete":                       {access: webui.SignedIn, path: "/views/1/delete", ok: http.StatusNotFound},
		"POST /cases/bulk-assign":                       {access: webui.Actors, ok: http.StatusBadRequest},
		"POST /actions/done":                            {access: webui.Actors, ok: http.StatusBadRequest},
		"GET /workload":                                 {access: webui.Managers, ok: 200},
		"GET /people":                                   {access: webui.Managers, ok: 200},
		"POST /people/export":                           {access: webui.Managers, ok: http.StatusBadRequest},
		"GET /restrictions":                             {access: webui.Managers, ok: 200},
		"GET /retention":                                {access: webui.Managers, ok: 200},
		"POST /retention/erasure":                       {access: webui.Managers, ok: http.StatusBadRequest},
		"POST /retention/erasure/{id}":                  {access: webui.Managers, path: "/retention/erasure/999", ok: http.StatusNotFound},
		"POST /retention/{command}":                     {access: webui.Managers, path: "/retention/hold", ok: http.StatusBadRequest},
		"GET /restrictions/new":                         {access: webui.Actors, path: "/restrictions/new?case=" + ref, ok: 200},
		"POST /restrictions/new":                        {access: webui.Actors},
		"GET /restrictions/{id}":                        {access: webui.SignedIn, path: "/restrictions/999", ok: http.StatusNotFound},
		"POST /restrictions/{id}/{command}":             {access: webui.Actors, path: "/restrictions/999/lift", ok: http.StatusNotFound},
		"GET /users":                                    {access: webui.Admins, ok: 200},
		"POST /users":                                   {access: webui.Admins, ok: http.StatusCreated},
		"POST /users/{id}/sign-in-failures/clear":       {access: webui.Admins, path: fmt.Sprintf("/users/%d/sign-in-failures/clear", s.users["viewer"].ID), ok: redirect},
		"GET /users/left":                               {access: webui.Managers, ok: 200},
		"GET /users/{id}":                               {access: webui.Admins, path: "/users/999", ok: http.StatusNotFound},
		"POST /users/{id}/role":                         {access: webui.Admins, path: "/users/999/role", ok: http.StatusNotFound},
		"POST /users/{id}/deactivate":                   {access: webui.Admins, path: "/users/999/deactivate", ok: http.StatusNotFound},
		"POST /users/{id}/reactivate":                   {access: webui.Admins, path: "/users/999/reactivate", ok: http.StatusNotFound},
		"POST /users/{id}/password-reset":               {access: webui.Admins, path: "/users/999/password-reset", ok: http.StatusNotFound},
		"GET /account/sessions":                         {access: webui.SignedIn, ok: 200},
		"POST /account/sessions/{id}/end":               {access: webui.SignedIn, path: "/account/sessions/nosuch/end", ok: redirect},
		"GET /forgot-password":                          {access: webui.Public, ok: 200},
		"POST /forgot-password":                         {access: webui.Public, ok: http.StatusBadRequest},
		"GET /reset-password":                           {access: webui.Public, ok: http.StatusBadRequest},
		"POST /reset-password":                          {access: webui.Public, ok: http.StatusBadRequest},
		"GET /letters/templates":                        {access: webui.Admins, ok: 200},
		"GET /letters/templates/{kind}":                 {access: webui.Admins, path: "/letters/templates/acknowledgement", ok: 200},
		"POST /letters/templates/{kind}":                {access: webui.Admins, path: "/letters/templates/acknowledgement"},
		"GET /letters/letterhead":                       {access: webui.Admins, ok: 200},
		"POST /letters/letterhead":                      {access: webui.Admins},
		"GET /policy":                                   {access: webui.Managers, ok: 200},
		"GET /admin/lists":                              {access: webui.Managers, ok: 200},
		"POST /admin/lists/{command}":                   {access: webui.Managers, path: "/admin/lists/add", ok: http.StatusBadRequest},
		"GET /inbound":                                  {access: webui.Managers, ok: 200},
		"GET /inbound/{id}/raw":                         {access: webui.Managers, path: "/inbound/1/raw", ok: http.StatusNotFound},
		"POST /inbound/{id}/resolve":                    {access: webui.Managers, path: "/inbound/1/resolve"},
		"GET /summary":                                  {access: webui.Public, ok: 200},
		"GET /compliments":                              {access: webui.Public, ok: http.StatusNotFound}, // code-2024 does not publish them
		"POST /cases/{ref}/group-copies":                {access: webui.Actors, path: "/cases/" + ref + "/group-copies", ok: http.StatusConflict},
		"GET /reports":                                  {access: webui.Managers, ok: 200},
		"GET /reports/homes":                            {access: webui.Managers, ok: 200},
		"POST /reports/homes":                           {access: webui.Managers},
		"POST /reports/homes/register":                  {access: webui.Managers, ok: http.StatusBadRequest},
		"GET /admin/homes":                              {access: webui.Managers, ok: 200},
		"POST /admin/homes":                             {access: webui.Managers, ok: http.StatusBadRequest},
		"GET /admin/homes/template.csv":                 {access: webui.Managers, ok: 200},
		"GET /admin/homes/import/{id}":                  {access: webui.Managers, ok: 404},
		"POST /reports/tp09":                            {access: webui.Managers},
		"GET /reports/data-quality":                     {access: webui.Managers, ok: 200},
		"GET /reports/hazards":                          {access: webui.Managers, ok: 200},
		"GET /reports.csv":                              {access: webui.Managers, ok: 200},
		"GET /reports/tsm-return.csv":                   {access: webui.Managers, ok: 200},
		"GET /reports/cases":                            {access: webui.Managers, path: "/reports/cases?measure=CH01_1&part=numerator"},
		"GET /reports/management":                       {access: webui.Managers, ok: 200},
		"GET /reports/management.csv":                   {access: webui.Managers, path: "/reports/management.csv?table=by_kind", ok: 200},
		"GET /reports/pack":                             {access: webui.Managers, ok: 200},
		"GET /reports/pack.pdf":                         {access: webui.Managers, ok: 200},
		"POST /reports/pack/summary":                    {access: webui.Managers, ok: redirect},
		"POST /reports/pack/signoff":                    {access: webui.Managers, ok: redirect},
		"POST /reports/review/member":                   {access: webui.Managers, ok: redirect},
		"GET /reports/review":                           {access: webui.Managers, ok: 200},
		"POST /reports/review/response":                 {access: webui.Managers, ok: redirect},
		"POST /reports/review/improvements":             {access: webui.Managers, ok: redirect},
		"POST /reports/review/improvements/{id}/remove": {access: webui.Managers, path: "/reports/review/improvements/999/remove"},
		"GET /reports/review/section/{n}":               {access: webui.Managers, path: "/reports/review/section/6", ok: 200},
		"POST /reports/review/section/{n}":              {access: webui.Managers, path: "/reports/review/section/1", ok: redirect},
		"/":                                             {access: webui.SignedIn, path: "/no-such-page", ok: http.StatusNotFound},
	}
	// The forms that change something when allowed, filled in per role so
	// that each role's change is its own.
	formFor := func(pattern string, r auth.Role) url.Values {
		switch pattern {
		case "POST /cases/{ref}/{command}":
			return url.Values{"text": {"a note from " + role(r)}}
		case "POST /cases/new":
			return url.Values{"kind": {"compliment"}, "channel": {"phone"}, "received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"},
				"received.time": {"09:00"}, "complainant.name": {"Bob"}, "complainant.phone": {"0191 000 0000"}, "summary": {"Thanks from " + role(r)}}
		case "POST /users":
			return url.Values{"email": {"new-" + role(r) + "@example.org"}, "name": {"New"}, "role": {"viewer"}}
		case "POST /reports/review/improvements":
			return url.Values{"year": {"2026"}, "you_said": {"From " + role(r)}, "we_did": {"Listened"}}
		case "POST /reports/review/response":
			return url.Values{"year": {"2026"}, "text": {"Noted by " + role(r)}, "date": {"2026-11-20"}}
		case "POST /reports/pack/summary":
			return url.Values{"period": {"2026-Q3"}, "summary": {"Written by " + role(r)}}
		case "POST /reports/pack/signoff":
			return url.Values{"period": {"2026-Q3"}}
		case "POST /reports/review/member":
			return url.Values{"year": {"2026"}, "member": {"Cllr " + role(r)}}
		case "POST /reports/review/section/{n}":
			return url.Values{"year": {"2026"}, "p1.2.complies": {"yes"}}
		}
		return url.Values{}
	}

	routes := webui.Routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		seen[rt.Pattern] = true
		e, ok := expect[rt.Pattern]
		if !ok {
			t.Errorf("route %q (%s) has no expectation in this test: add one", rt.Pattern, rt.Access)
			continue
		}
		if e.access != rt.Access {
			t.Errorf("route %q is mounted for %s, but this test expects %s", rt.Pattern, rt.Access, e.access)
		}
	}
	for pattern := range expect {
		if !seen[pattern] {
			t.Errorf("this test expects a route %q that the server does not mount", pattern)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	target := func(rt webui.Route) (method, path string) {
		method, path, found := strings.Cut(rt.Pattern, " ")
		if !found {
			method, path = "GET", rt.Pattern
		}
		if e := expect[rt.Pattern]; e.path != "" {
			path = e.path
		}
		return method, path
	}
	try := func(c *http.Client, method, path string, form url.Values) (*http.Response, string) {
		if method == "POST" {
			return s.post(c, path, form)
		}
		return s.get(c, path)
	}
	toSignIn := func(resp *http.Response) bool {
		return resp.StatusCode == redirect && strings.HasPrefix(resp.Header.Get("Location"), "/sign-in")
	}

	for _, r := range auth.Roles {
		c := s.signIn(role(r))
		var last []webui.Route
		for _, rt := range routes {
			if expect[rt.Pattern].signsOut {
				last = append(last, rt)
				continue
			}
			e := expect[rt.Pattern]
			method, path := target(rt)
			resp, body := try(c, method, path, formFor(rt.Pattern, r))
			switch {
			case !e.access.Allows(r):
				if resp.StatusCode != forbidden {
					t.Errorf("%s %s %s: %d, want %d", r, method, path, resp.StatusCode, forbidden)
				}
			case e.ok != 0:
				if resp.StatusCode != e.ok {
					t.Errorf("%s %s %s: %d, want %d\n%.300s", r, method, path, resp.StatusCode, e.ok, body)
				}
			default:
				if resp.StatusCode == forbidden || toSignIn(resp) || resp.StatusCode >= 500 {
					t.Errorf("%s %s %s: %d (to %q): want it let through\n%.300s", r, method, path, resp.StatusCode, resp.Header.Get("Location"), body)
				}
			}
			if e.access.Allows(r) && e.access != webui.Public && method == "GET" && e.ok == 200 &&
				strings.Contains(resp.Header.Get("Content-Type"), "text/html") && !strings.Contains(body, "Signed in as A "+role(r)) {
				t.Errorf("%s GET %s: page does not show who is signed in", r, path)
			}
		}
		for _, rt := range last {
			method, path := target(rt)
			resp, _ := try(s.signIn(role(r)), method, path, nil)
			if want := expect[rt.Pattern].ok; resp.StatusCode != want {
				t.Errorf("%s %s %s: %d, want %d", r, method, path, resp.StatusCode, want)
			}
		}
	}

	// Signed out: every route that needs a session sends you to sign in,
	// and no form does anything.
	anon := s.browser()
	for _, rt := range routes {
		e := expect[rt.Pattern]
		method, path := target(rt)
		resp, _ := try(anon, method, path, formFor(rt.Pattern, "anonymous"))
		if e.access == webui.Public {
			if toSignIn(resp) || resp.StatusCode == forbidden {
				t.Errorf("signed out %s %s: %d to %q, want the public route served", method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
			continue
		}
		if !toSignIn(resp) || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in?next=") {
			t.Errorf("signed out %s %s: %d to %q, want the sign-in page", method, path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	evs, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		t.Fatalf("the case's events: %v", err)
	}
	if len(evs) != 1+4 { // created, and notes by admin, manager, officer and reviewer
		t.Errorf("%d events, want 5: a forbidden or signed-out form changed the case", len(evs))
	}
	users, err := s.st.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != len(auth.Roles)+1 { // and the one the admin added
		t.Errorf("%d users, want %d: a forbidden or signed-out form added one", len(users), len(auth.Roles)+1)
	}
}

// A confidential case is absent for everyone but its handlers, whoever
// logged it, managers and admins: not in lists, searches, exports or by
// its address.
func TestConfidentialCasesAreInvisibleToOthers(t *testing.T) {
	s := newSite(t)
	secret := s.newCase("officer", "About the conduct of a housing officer", true)
	s.newCase("officer", "Ordinary repairs complaint", false)
	for role, sees := range map[string]bool{"officer": true, "manager": true, "admin": true, "reviewer": false, "viewer": false} {
		c := s.signIn(role)
		for _, path := range []string{"/cases", "/cases?q=conduct", "/cases.csv", "/"} {
			_, body := s.get(c, path)
			if strings.Contains(body, secret) != sees {
				t.Errorf("%s %s: shows the confidential case %v, want %v", role, path, !sees, sees)
			}
		}
		resp, _ := s.get(c, "/cases/"+secret)
		if want := map[bool]int{true: 200, false: 404}[sees]; resp.StatusCode != want {
			t.Errorf("%s GET the confidential case: %d, want %d", role, resp.StatusCode, want)
		}
		resp, body := s.get(c, "/cases/"+secret+"/evidence.zip")
		if want := map[bool]int{true: 200, false: 404}[sees]; role != "viewer" && resp.StatusCode != want {
			t.Errorf("%s GET the confidential case's evidence pack: %d, want %d", role, resp.StatusCode, want)
		}
		if resp.StatusCode == 200 && (resp.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(body, "PK")) {
			t.Errorf("%s: the evidence pack is %q, %.10q", role, resp.Header.Get("Content-Type"), body)
		}
		if !sees {
			resp, _ := s.post(c, "/cases/"+secret+"/notes", url.Values{"text": {"peeking"}})
			if resp.StatusCode != 404 && resp.StatusCode != 403 {
				t.Errorf("%s POST to the confidential case: %d", role, resp.StatusCode)
			}
		}
	}
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "x", false)
	c := s.signIn("officer")
	req, err := http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader("text=forged"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	req, err = http.NewRequest("POST", s.srv.URL+"/cases/"+ref+"/notes", strings.NewReader("text=forged"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST from another origin: %d, want 403", resp.StatusCode)
	}
	if evs, err := s.st.CaseEvents(context.Background(), ref); err != nil {
		t.Fatalf("the case's events: %v", err)
	} else if len(evs) != 1 {
		t.Error("a forged form changed the case")
	}
}

func TestSessions(t *testing.T) {
	s := newSite(t)
	c := s.signIn("officer")
	u, err := url.Parse(s.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cookies := c.Jar.Cookies(u)
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	// The cookie's flags are checked on the raw header.
	resp, _ := s.post(s.browser(), "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	set := resp.Header.Get("Set-Cookie")
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(set, flag) {
			t.Errorf("session cookie %q lacks %s", set, flag)
		}
	}
	if resp, _ := s.get(c, "/"); resp.StatusCode != 200 {
		t.Fatalf("signed in: %d", resp.StatusCode)
	}
	// Idle for longer than the idle timeout: signed out.
	s.advance(31 * time.Minute)
	if resp, _ := s.get(c, "/"); resp.StatusCode != 303 {
		t.Errorf("after 31 idle minutes: %d, want a redirect to sign in", resp.StatusCode)
	}
	// Active, but past the absolute timeout: signed out.
	c = s.signIn("officer")
	for range 26 {
		s.advance(29 * time.Minute)
		s.get(c, "/")
	}
	if resp, _ := s.get(c, "/"); resp.StatusCode != 303 {
		t.Errorf("after 12 hours of use: %d, want a redirect to sign in", resp.StatusCode)
	}
	// Sign out everywhere ends every session of that user.
	a, b := s.signIn("reviewer"), s.signIn("reviewer")
	s.post(a, "/sign-out-everywhere", nil)
	if resp, _ := s.get(b, "/"); resp.StatusCode != 303 {
		t.Errorf("other session after sign out everywhere: %d", resp.StatusCode)
	}
}

func TestSignInThrottlingAndErrors(t *testing.T) {
	s := newSite(t)
	c := s.browser()
	resp, body := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {"wrong"}})
	if resp.StatusCode != 401 || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `value="officer@example.org"`) {
		t.Errorf("wrong password: %d, error summary or typed email missing", resp.StatusCode)
	}
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"whatever"}})
	if resp.StatusCode != 401 {
		t.Errorf("unknown account: %d", resp.StatusCode)
	}
	for range 4 {
		s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {"wrong"}})
	}
	resp, body = s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Errorf("after 5 failures the right password gave %d", resp.StatusCode)
	}
	s.advance(16 * time.Minute)
	if resp, _ := s.post(c, "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}}); resp.StatusCode != 303 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
	// Open redirects are refused.
	resp, _ = s.post(s.browser(), "/sign-in", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example redirected to %q", loc)
	}
}

func TestOneTimePasswordMustBeChanged(t *testing.T) {
	s := newSite(t)
	admin := s.signIn("admin")
	resp, body := s.post(admin, "/users", url.Values{"email": {"new@example.org"}, "name": {"New Officer"}, "role": {"officer"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	i := strings.Index(body, "one-time password ")
	if i < 0 {
		t.Fatalf("no one-time password shown:\n%s", body)
	}
	words := strings.Fields(body[i+len("one-time password "):])
	if len(words) == 0 {
		t.Fatalf("no one-time password after its label:\n%.500s", body[i:])
	}
	otp := words[0]
	c := s.browser()
	resp, _ = s.post(c, "/sign-in", url.Values{"email": {"new@example.org"}, "password": {otp}, "next": {"/cases"}})
	if loc := resp.Header.Get("Location"); loc != "/change-password" {
		t.Fatalf("first sign-in went to %q, want /change-password", loc)
	}
	if resp, _ := s.get(c, "/cases"); resp.Header.Get("Location") != "/change-password" {
		t.Errorf("pages are open before the password is changed")
	}
	resp, body = s.post(c, "/change-password", url.Values{"current": {otp}, "new": {"password1234"}, "confirm": {"password1234"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "govuk-error-summary") {
		t.Errorf("a common password was accepted: %d", resp.StatusCode)
	}
	resp, _ = s.post(c, "/change-password", url.Values{"current": {otp}, "new": {"a long and personal passphrase"}, "confirm": {"a long and personal passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	if resp, _ := s.get(c, "/cases"); resp.StatusCode != 200 {
		t.Errorf("after changing the password: %d", resp.StatusCode)
	}
}

// Every case form refuses a viewer, and refuses (as not found) anyone who
// may not see a confidential case, before anything is changed.
func TestEveryCaseFormRefusesWhoMayNotUseIt(t *testing.T) {
	s := newSite(t)
	open := s.newCase("officer", "Ordinary", false)
	secret := s.newCase("officer", "About a member of staff", true)
	forms := []string{"acknowledge", "assign", "extend", "respond", "escalate", "close", "withdraw", "refuse", "convert", "notes", "link", "remedies/1/done"}
	viewer, reviewer := s.signIn("viewer"), s.signIn("reviewer")
	for _, f := range forms {
		if resp, _ := s.post(viewer, "/cases/"+open+"/"+f, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", f, resp.StatusCode)
		}
		if resp, _ := s.post(reviewer, "/cases/"+secret+"/"+f, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("reviewer POST %s to a confidential case they cannot see: %d, want 404", f, resp.StatusCode)
		}
	}
	for _, ref := range []string{open, secret} {
		if evs, err := s.st.CaseEvents(context.Background(), ref); err != nil {
			t.Fatalf("%s's events: %v", ref, err)
		} else if len(evs) != 1 {
			t.Errorf("%s has %d events: a refused form changed it", ref, len(evs))
		}
	}
}
