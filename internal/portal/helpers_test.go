package portal_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// pinnedClock is the time the server lives in, moved on by the tests.
type pinnedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *pinnedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *pinnedClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// monday is when the tests start: Monday 23 November 2026, 10:00.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// env is one portal on its own SQLite file, served over real HTTP.
type env struct {
	t     *testing.T
	db    *sqldb.DB
	srv   *portal.Server
	base  string
	clock *pinnedClock
	pol   *policy.Policy
	cal   *calendar.Calendar
}

type option func(*portal.Server)

// withPolicy serves the named preset policy, failing the test at once if
// there is no such preset.
func withPolicy(t *testing.T, name string) option {
	t.Helper()
	p, err := policy.Preset(name)
	if err != nil {
		t.Fatalf("the %s policy: %v", name, err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatalf("the %s policy's calendar: %v", name, err)
	}
	return func(s *portal.Server) {
		s.Policy, s.Calendar = p, cal
	}
}

// clientHeader names the test's client for the rate limits, so that one
// test can be several people.
const clientHeader = "X-Test-Client"

func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	db, err := sqldb.Open(context.Background(), testdb.DSN(t), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, cal := policytest.Code(t)
	ck := &pinnedClock{now: monday}
	s := &portal.Server{
		Store: db, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler), Now: ck.Now,
		ServiceName: "Riverside Vale Homes",
		ClientAddr: func(r *http.Request) string {
			if c := r.Header.Get(clientHeader); c != "" {
				return c
			}
			return "127.0.0.1"
		},
	}
	for _, o := range opts {
		o(s)
	}
	srv, err := portal.New(s)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	if srv.BaseURL == "" {
		// Set before the first request, for the links emailed.
		srv.BaseURL = ts.URL
	}
	return &env{t: t, db: db, srv: srv, base: ts.URL, clock: ck, pol: srv.Policy, cal: srv.Calendar}
}

// client is one browser: its own cookies, no JavaScript, and redirects
// not followed, so that tests see each 303.
type client struct {
	e      *env
	http   *http.Client
	jar    *cookiejar.Jar
	header http.Header
}

func (e *env) client() *client {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{e: e, jar: jar, header: http.Header{}, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is what came back.
type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	for k, v := range c.header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.e.t.Fatalf("%s %s: reading the response: %v", req.Method, req.URL.Path, err)
	}
	return response{Status: resp.StatusCode, Body: string(b), Location: resp.Header.Get("Location"), Header: resp.Header}
}

func (c *client) get(path string) response {
	c.e.t.Helper()
	req, err := http.NewRequest("GET", c.e.base+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.e.t.Helper()
	req, err := http.NewRequest("POST", c.e.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// upload is a file in a multipart form.
type upload struct {
	name string
	data []byte
}

func (c *client) postFiles(path string, form url.Values, files ...upload) response {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.e.t.Fatal(err)
			}
		}
	}
	if len(files) == 0 {
		// A browser sends the field with no file chosen.
		if _, err := mw.CreateFormFile("files", ""); err != nil {
			c.e.t.Fatal(err)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			c.e.t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			c.e.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		c.e.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.e.base+path, &b)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// draftHash is the stored id of the client's form in progress.
func (c *client) draftHash() string {
	c.e.t.Helper()
	u, err := url.Parse(c.e.base + "/complain/kind")
	if err != nil {
		c.e.t.Fatal(err)
	}
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == "redress_form" {
			sum := sha256.Sum256([]byte(ck.Value))
			return hex.EncodeToString(sum[:])
		}
	}
	return ""
}

// draft is the client's stored draft.
func (c *client) draft() store.Draft {
	c.e.t.Helper()
	d, err := c.e.db.Draft(context.Background(), c.draftHash(), c.e.clock.Now())
	if err != nil {
		c.e.t.Fatalf("the client's draft: %v", err)
	}
	return d
}

func wantStatus(t *testing.T, what string, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: HTTP %d, want %d; body:\n%s", what, r.Status, status, text(r.Body))
	}
}

func wantRedirect(t *testing.T, what string, r response, to string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Location != to {
		t.Fatalf("%s: HTTP %d to %q, want 303 to %q; body:\n%s", what, r.Status, r.Location, to, text(r.Body))
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)
var spaces = regexp.MustCompile(`\s+`)

// text is a page's words without markup, as one line.
func text(body string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(htmlUnescape(tags.ReplaceAllString(body, " ")), " "))
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`).Replace(s)
}

func wantText(t *testing.T, what string, r response, wants ...string) {
	t.Helper()
	got := text(r.Body)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: the page does not say %q; it says:\n%s", what, w, got)
		}
	}
}

func noText(t *testing.T, what string, r response, unwanted ...string) {
	t.Helper()
	got := text(r.Body)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s: the page says %q, and should not", what, w)
		}
	}
}

var summaryLink = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]*)</a></li>`)

// errorSummary returns the GOV.UK error summary's entries, field id to
// message, failing the test if the page has none, or if a field it names
// does not show the same message.
func errorSummary(t *testing.T, what string, r response) map[string]string {
	t.Helper()
	if !strings.Contains(r.Body, `class="govuk-error-summary"`) {
		t.Fatalf("%s: no error summary; page:\n%s", what, text(r.Body))
	}
	if !strings.Contains(r.Body, "<title>Error: ") {
		t.Errorf("%s: the title does not start with Error:", what)
	}
	out := map[string]string{}
	for _, m := range summaryLink.FindAllStringSubmatch(r.Body, -1) {
		out[m[1]] = htmlUnescape(m[2])
		if !strings.Contains(r.Body, `id="`+m[1]+`"`) {
			t.Errorf("%s: the summary links to #%s, which is not on the page", what, m[1])
		}
		if !strings.Contains(r.Body, `id="`+m[1]+`-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> `+m[2]+`</p>`) {
			t.Errorf("%s: the field #%s does not show its error %q", what, m[1], m[2])
		}
	}
	return out
}

func wantErrors(t *testing.T, what string, r response, want map[string]string) {
	t.Helper()
	got := errorSummary(t, what, r)
	for field, msg := range want {
		if !strings.Contains(got[field], msg) {
			t.Errorf("%s: error for #%s is %q, want it to say %q (all: %q)", what, field, got[field], msg, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: errors %q, want only %d", what, got, len(want))
	}
}

// answers are good answers for every page of the form, for a resident
// making a complaint for themselves.
func goodAnswers() map[string]url.Values {
	return map[string]url.Values{
		"kind":           {"kind": {"unhappy"}},
		"danger":         {"danger": {"no"}},
		"formal":         {"formal": {"yes"}},
		"who":            {"who": {"self"}},
		"about":          {"name": {"Jo Whitfield"}, "email": {"Jo.Whitfield@example.org"}, "phone": {"01632 960123"}, "address": {"12 Mill Lane\nRiverside"}, "postcode": {"rv1 2ab"}},
		"representative": {"rep-name": {"Sam Whitfield"}, "rep-relationship": {"Son"}, "rep-email": {"sam@example.org"}, "rep-consent": {"yes"}},
		"what-happened":  {"summary": {"Boiler keeps failing"}, "description": {"The boiler has failed three times since October."}},
		"put-right":      {"outcome": {"A new boiler"}},
		"contact":        {"contact-by": {"email"}, "adjust": {"large_print", "translation"}, "language": {"Polish"}},
	}
}

// fillTo answers every page before stop (one of the slugs, "files" or
// "check") with the answers given, starting a form.
func (c *client) fillTo(stop string, answers map[string]url.Values) {
	c.e.t.Helper()
	path := "/complain/kind"
	for i := 0; i < 20; i++ {
		slug := strings.TrimPrefix(path, "/complain/")
		if slug == stop {
			return
		}
		var r response
		if slug == "files" {
			r = c.postFiles("/complain/files", url.Values{"action": {"continue"}})
		} else {
			r = c.post(path, answers[slug])
		}
		if r.Status != http.StatusSeeOther {
			c.e.t.Fatalf("answering %s: HTTP %d; page:\n%s", slug, r.Status, text(r.Body))
		}
		path = r.Location
	}
	c.e.t.Fatalf("never reached %s", stop)
}

// send sends the form from the check page and returns the new case.
func (c *client) send() complaint.Case {
	c.e.t.Helper()
	wantStatus(c.e.t, "check page", c.get("/complain/check"), 200)
	wantRedirect(c.e.t, "send", c.post("/complain/check", nil), "/complain/confirmation")
	d := c.draft()
	k, err := c.e.db.GetCase(context.Background(), d.CaseRef)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return k
}

// officer is the member of staff of the tests.
var officer = complaint.Actor{Email: "olivia.officer@riversidevale.example", Role: "officer"}

// staff applies a command to a case as the officer.
func (e *env) staff(ref string, cmd complaint.Command) complaint.Case {
	e.t.Helper()
	c, err := e.db.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, complaint.Env{Now: e.clock.Now(), Actor: officer, Policy: e.pol, Calendar: e.cal, NewReference: nr})
	})
	if err != nil {
		e.t.Fatalf("%T: %v", cmd, err)
	}
	return c
}

// newCase makes a case straight in the store, as if logged by staff.
func (e *env) newCase(cmd complaint.Create) complaint.Case {
	e.t.Helper()
	if cmd.Kind == "" {
		cmd.Kind = complaint.KindComplaint
	}
	if cmd.Channel == "" {
		cmd.Channel = "phone"
	}
	c, err := e.db.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, complaint.Env{Now: e.clock.Now(), Actor: officer, Policy: e.pol, Calendar: e.cal, NewReference: ref})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// respondedCase is a stage 1 complaint acknowledged and responded to.
func (e *env) respondedCase(cmd complaint.Create) complaint.Case {
	e.t.Helper()
	c := e.newCase(cmd)
	e.staff(c.Reference, complaint.Acknowledge{Points: []string{"The boiler"}})
	e.staff(c.Reference, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It failed."}}})
	return e.sendResponse(c.Reference)
}

// sendResponse issues the case's stage response letter by post, through
// the store: a stage is responded only when its letter goes (issue 12,
// rule 1).
func (e *env) sendResponse(ref string) complaint.Case {
	e.t.Helper()
	c, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		e.t.Fatal(err)
	}
	pdf := []byte("%PDF-1.3 the response to " + ref)
	sum := sha256.Sum256(pdf)
	l := store.Letter{Kind: complaint.ResponseLetterKind(c.Stage), Title: "Response", Stage: c.Stage, IssuedAt: e.clock.Now(), IssuedBy: officer.Email,
		Channel: "print", Recipient: c.Complainant.Name, Subject: "Our response", Body: "Dear resident", PDF: pdf, SHA256: hex.EncodeToString(sum[:])}
	c, _, err = e.db.IssueLetter(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256},
			complaint.Env{Now: e.clock.Now(), Actor: officer, Policy: e.pol, Calendar: e.cal, NewReference: nr})
	}, l, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// getCase reads a case straight from the store.
func (e *env) getCase(ref string) complaint.Case {
	e.t.Helper()
	k, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		e.t.Fatalf("case %s: %v", ref, err)
	}
	return k
}

// lastEvent is the case's latest event, failing the test if it has none.
func (e *env) lastEvent(ref string) complaint.Event {
	e.t.Helper()
	evs, err := e.db.CaseEvents(context.Background(), ref)
	if err != nil {
		e.t.Fatalf("case %s's events: %v", ref, err)
	}
	if len(evs) == 0 {
		e.t.Fatalf("case %s has no events", ref)
	}
	return evs[len(evs)-1]
}

// listCases lists every case in the store.
func (e *env) listCases() []complaint.Case {
	e.t.Helper()
	cases, _, err := e.db.ListCases(context.Background(), allCases)
	if err != nil {
		e.t.Fatalf("listing cases: %v", err)
	}
	return cases
}

// trackingCode is the case's tracking code as the resident has it.
func (e *env) trackingCode(ref string) string {
	e.t.Helper()
	code, err := e.db.TrackingCode(context.Background(), ref, e.clock.Now())
	if err != nil {
		e.t.Fatalf("the tracking code of %s: %v", ref, err)
	}
	return store.FormatTrackingCode(code)
}

// track proves the client owns ref with its tracking code.
func (c *client) track(ref string) {
	c.e.t.Helper()
	wantRedirect(c.e.t, "track "+ref, c.post("/track", url.Values{"reference": {ref}, "code": {c.e.trackingCode(ref)}}), "/track/"+ref)
}

// sentLinks are the tracking links queued for the case, oldest first,
// each as the address it went to and the link it carries.
func (e *env) sentLinks(ref string) []sentLink {
	e.t.Helper()
	out, err := e.db.Outbox(context.Background(), ref)
	if err != nil {
		e.t.Fatalf("the outbox of %s: %v", ref, err)
	}
	var links []sentLink
	for _, m := range out {
		if m.Kind != "tracking_link" {
			continue
		}
		l := linkInMail.FindString(m.TextBody)
		if l == "" {
			e.t.Fatalf("a tracking link email with no link:\n%s", m.TextBody)
		}
		links = append(links, sentLink{To: m.To, URL: l, Subject: m.Subject, Body: m.TextBody})
	}
	return links
}

type sentLink struct{ To, URL, Subject, Body string }

var linkInMail = regexp.MustCompile(`http://\S+/track/link\?token=\S+`)

// path is the link's path and query, for the test client.
func (l sentLink) path() string {
	u, err := url.Parse(l.URL)
	if err != nil {
		return ""
	}
	return u.RequestURI()
}

// token is the link's token.
func (l sentLink) token() string {
	u, err := url.Parse(l.URL)
	if err != nil {
		return ""
	}
	return u.Query().Get("token")
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T as JSON: %v", v, err)
	}
	return b
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// allCases lists every case.
var allCases = store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}}

// pageDate writes a date as the pages do.
func pageDate(d calendar.Date) string { return d.Start().Format("Monday 2 January 2006") }

func workingDaysAfter(t *testing.T, cal *calendar.Calendar, d calendar.Date, n int) calendar.Date {
	t.Helper()
	due, err := cal.AddWorkingDays(d, n)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// Test files: real content, whatever their names say.
var (
	pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	exeFile = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...)
	pdfFile = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
)
