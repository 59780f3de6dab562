package view

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// A *.part.html file is a section kept in a file of its own (issue 19: a
// case page section, a dashboard table) that every page of its surface
// may include; it is not a page itself.
func TestPartFilesAreSectionsEveryPageMayIncludeNotPages(t *testing.T) {
	fsys := fstest.MapFS{
		"t/layout.html":       {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"t/components.html":   {Data: []byte(`{{define "shout"}}{{.}}!{{end}}`)},
		"t/page.html":         {Data: []byte(`{{define "content"}}{{template "section" "hi"}}{{end}}`)},
		"t/section.part.html": {Data: []byte(`{{define "section"}}<section>{{template "shout" .}}</section>{{end}}`)},
	}
	pages, err := ParsePages(fsys, "t", template.FuncMap{"asset": mustAssets(t).Path})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pages["section.part"]; ok {
		t.Error("a part is parsed as a page")
	}
	rec := httptest.NewRecorder()
	pages.Render(rec, slog.New(slog.DiscardHandler), http.StatusOK, "page", nil)
	if !strings.Contains(rec.Body.String(), "<section>hi!</section>") {
		t.Errorf("the page does not include its part: %d %q", rec.Code, rec.Body.String())
	}
}
