package view

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
)

// shared holds the template blocks both surfaces' layouts use (see
// templates/shared.html), so that the document head and the skip link,
// which the GOV.UK template fixes, are written once.
//
//go:embed templates/*.html
var shared embed.FS

// Pages are a surface's page templates by name ("error", "case"), each
// parsed with its surface's layout and components and the shared
// blocks, and executed through its "layout" template.
type Pages map[string]*template.Template

// ParsePages parses every page in dir of fsys with the layout.html and
// components.html of the same directory and the shared blocks, once, at
// start-up: a page that does not parse stops the server, not a request.
// The staff pages and the resident's pages each have their own
// directory. funcs must give "asset" (Assets.Path), which the shared
// blocks call.
func ParsePages(fsys fs.FS, dir string, funcs template.FuncMap) (Pages, error) {
	files, err := fs.Glob(fsys, dir+"/*.html")
	if err != nil {
		return nil, err
	}
	// A file named *.part.html is a section that pages include, kept in a
	// file of its own (a case page section, a dashboard table): it is
	// parsed with every page rather than served as one.
	parts, err := fs.Glob(fsys, dir+"/*.part.html")
	if err != nil {
		return nil, err
	}
	pages := Pages{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, dir+"/"), ".html")
		if name == "layout" || name == "components" || strings.HasSuffix(name, ".part") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(shared, "templates/*.html")
		if err == nil {
			t, err = t.ParseFS(fsys, append(append([]string{dir + "/layout.html", dir + "/components.html"}, parts...), f)...)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s/%s: %w", dir, name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Render writes the page name with data as a response with status. It
// executes the page into a buffer first, so that a template that fails
// part-way is a plain 500, logged to log, rather than half a page sent
// under a 200.
func (p Pages) Render(w http.ResponseWriter, log *slog.Logger, status int, name string, data any) {
	t, ok := p[name]
	if !ok {
		log.Error("template", "name", name, "err", "no such page")
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		log.Error("template", "name", name, "err", err)
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
