package webui

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"
)

// ParsePages parses every page in dir of fsys with the shared layout.html
// and components.html of the same directory, once, at start-up: a page
// that does not parse stops the server, not a request. The staff pages
// and the resident's pages each have their own directory.
func ParsePages(fsys fs.FS, dir string, funcs template.FuncMap) (map[string]*template.Template, error) {
	files, err := fs.Glob(fsys, dir+"/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, dir+"/"), ".html")
		if name == "layout" || name == "components" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, dir+"/layout.html", dir+"/components.html", f)
		if err != nil {
			return nil, fmt.Errorf("template %s/%s: %w", dir, name, err)
		}
		pages[name] = t
	}
	return pages, nil
}
