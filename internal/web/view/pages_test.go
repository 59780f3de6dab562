package view

import (
	"bytes"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/redresshq/redress/internal/complaint"
)

// surface is a stand-in surface: a layout built from the shared blocks,
// as both real layouts are, and two pages, one of which fails part-way.
var surface = fstest.MapFS{
	"t/layout.html":     {Data: []byte(`{{define "layout"}}<head>{{template "govukHead" .}}</head><body>{{template "govukBodyStart"}}{{template "content" .}}</body>{{end}}`)},
	"t/components.html": {Data: []byte(`{{define "shout"}}{{.}}!{{end}}`)},
	"t/hello.html":      {Data: []byte(`{{define "content"}}{{template "shout" "hello"}}{{end}}`)},
	"t/broken.html":     {Data: []byte(`{{define "content"}}half a page{{.Missing.Field}}{{end}}`)},
}

type testPage struct {
	Title, ServiceName string
	Errors             []string
}

func mustPages(t *testing.T) Pages {
	t.Helper()
	pages, err := ParsePages(surface, "t", template.FuncMap{"asset": mustAssets(t).Path})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestPagesHaveTheSharedHeadAndSkipLink(t *testing.T) {
	pages := mustPages(t)
	if _, ok := pages["layout"]; ok {
		t.Error("the layout is parsed as a page")
	}
	rec := httptest.NewRecorder()
	pages.Render(rec, slog.New(slog.DiscardHandler), http.StatusBadRequest, "hello", testPage{Title: "Hello", ServiceName: "Complaints", Errors: []string{"x"}})
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		"<title>Error: Hello – Complaints</title>", // a page with errors says so first
		`href="/assets/`, `govuk-frontend.min.css"`, `init.js"`,
		`<a href="#main-content" class="govuk-skip-link"`, "hello!",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not contain %q:\n%s", want, body)
		}
	}
}

// TestAPageThatFailsPartWayIsA500NotHalfAPage: the page is executed into
// a buffer, so the person sees an error, not a page cut short under 200,
// and the failure is logged.
func TestAPageThatFailsPartWayIsA500NotHalfAPage(t *testing.T) {
	pages := mustPages(t)
	for _, name := range []string{"broken", "no-such-page"} {
		var logs bytes.Buffer
		rec := httptest.NewRecorder()
		pages.Render(rec, slog.New(slog.NewTextHandler(&logs, nil)), http.StatusOK, name, testPage{})
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "half a page") {
			t.Errorf("%s: %d\n%s", name, rec.Code, rec.Body)
		}
		if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), name) {
			t.Errorf("%s: logged %q", name, logs.String())
		}
	}
}

func TestAPageThatDoesNotParseStopsStartUp(t *testing.T) {
	bad := fstest.MapFS{
		"t/layout.html":     surface["t/layout.html"],
		"t/components.html": surface["t/components.html"],
		"t/bad.html":        {Data: []byte(`{{define "content"}}{{if}}{{end}}`)},
	}
	if _, err := ParsePages(bad, "t", template.FuncMap{"asset": mustAssets(t).Path}); err == nil || !strings.Contains(err.Error(), "t/bad") {
		t.Errorf("%v, want an error naming t/bad", err)
	}
	// The shared blocks call asset: a surface that does not give it
	// fails at start-up too.
	if _, err := ParsePages(surface, "t", nil); err == nil {
		t.Error("parsed without the asset function")
	}
}

func TestReadFormRefusesABodyNoPageSendsAsTheSendersMistake(t *testing.T) {
	post := func(body string) *http.Request {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	r := post("a=1&b=two")
	if err := ReadForm(r); err != nil || r.PostForm.Get("b") != "two" {
		t.Errorf("a good form: %v, %v", err, r.PostForm)
	}
	err := ReadForm(post("x=%zz"))
	if e, ok := errors.AsType[*complaint.Error](err); !ok || e.Code != complaint.Invalid || !strings.Contains(e.Message, "The form could not be read") {
		t.Errorf("a bad escape: %v, want invalid saying the form could not be read", err)
	}
	big := post("a=" + strings.Repeat("x", 100))
	big.Body = http.MaxBytesReader(httptest.NewRecorder(), big.Body, 10)
	if _, ok := errors.AsType[*http.MaxBytesError](ReadForm(big)); !ok {
		t.Error("a body over its limit is not left a *http.MaxBytesError, which is a 413")
	}
	get := httptest.NewRequest("GET", "/?x=%zz", nil)
	if err := ReadForm(get); err != nil || get.Form != nil {
		t.Errorf("a GET was read: %v", err)
	}
}
