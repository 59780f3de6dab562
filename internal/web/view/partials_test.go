package view

import (
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// A file whose name begins with "_" is a partial: every page may use its
// blocks, and it is not a page itself, so that a section of a page (the
// case page's Housing Ombudsman section) can live in a file of its own.
func TestPartialsAreParsedIntoEveryPageAndAreNotPages(t *testing.T) {
	fsys := fstest.MapFS{}
	for k, v := range surface {
		fsys[k] = v
	}
	fsys["t/_section.html"] = &fstest.MapFile{Data: []byte(`{{define "section"}}<section>{{.}}</section>{{end}}`)}
	fsys["t/withsection.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{template "section" "from a partial"}}{{end}}`)}
	pages, err := ParsePages(fsys, "t", template.FuncMap{"asset": mustAssets(t).Path})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pages["_section"]; ok {
		t.Error("a partial is parsed as a page")
	}
	w := httptest.NewRecorder()
	pages.Render(w, nil, 200, "withsection", testPage{Title: "T"})
	if !strings.Contains(w.Body.String(), "<section>from a partial</section>") {
		t.Errorf("the page does not hold the partial's block:\n%s", w.Body.String())
	}
}
