package view

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// static holds the vendored front-end files; static/README.md says where each
// came from. Go leaves out names starting with "_" or ".", so the Sass sources
// in static/_src are kept beside the CSS they build without being embedded.
//
//go:embed static
var static embed.FS

const (
	// assetsPrefix is where the files are mounted. The compiled stylesheet
	// refers to its images under it, so it is fixed, not configurable.
	assetsPrefix = "/assets/"

	// hashLen is how many hex digits of a file's SHA-256 name its version.
	hashLen = 10

	// A fingerprinted URL names one version of a file for ever, so it may
	// be cached for a year without revalidating. Anything else may change
	// at the next deploy and is cached briefly.
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=300"
)

// contentTypes gives the Content-Type for each extension served. It is our
// own table, not mime.TypeByExtension, whose answers depend on the host's
// mime.types; a file with another extension stops start-up.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".map":         "application/json",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".txt":         "text/plain; charset=utf-8",
}

// notServed names files that are embedded but are notes for developers,
// not assets for browsers.
var notServed = map[string]bool{
	"README.md": true,
}

// asset is one file ready to serve.
type asset struct {
	data        []byte
	hash        string // first hashLen hex digits of the SHA-256 of data
	contentType string
}

// Assets serves the embedded front-end files under /assets/ and names them
// with fingerprinted URLs for templates.
type Assets struct {
	files map[string]*asset // by path relative to static, e.g. "images/x.svg"
}

// NewAssets reads and hashes every embedded file once. It fails if a file has
// an extension it cannot give a Content-Type, so a mistake in the vendored
// files shows at start-up rather than as a broken page.
func NewAssets() (*Assets, error) {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return newAssets(sub)
}

// newAssets builds Assets from any file system, so tests can serve files the
// vendored set does not contain.
func newAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || notServed[name] {
			return nil
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			return fmt.Errorf("%s: no Content-Type for extension %q", name, path.Ext(name))
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		a.files[name] = &asset{
			data:        data,
			hash:        hex.EncodeToString(sum[:])[:hashLen],
			contentType: ct,
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return a, nil
}

// Path returns the fingerprinted URL of the named file, such as
// "/assets/0123456789/govuk-frontend.min.css". The name is relative to the
// static directory. Path panics if there is no such file: templates call it,
// and they are all executed at start-up or in tests, so a typo fails early.
func (a *Assets) Path(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic(fmt.Sprintf("view: no asset named %q", name))
	}
	return assetsPrefix + f.hash + "/" + name
}

// Handler serves GET and HEAD requests for /assets/HASH/NAME, the form Path
// returns, and for /assets/NAME, the form the stylesheet uses for its images.
// A fingerprint that does not match the file's content (a page cached from
// before a deploy) still gets the current file, but with a short cache
// lifetime. Directories and unknown names are 404: there are no listings.
// Mount it at "/assets/" without stripping the prefix.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serveHTTP)
}

func (a *Assets) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, immutable := a.lookup(r.URL.Path)
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	// The hash is of the content, so it makes a strong validator whatever
	// URL the file was asked for by; ServeContent answers If-None-Match.
	h.Set("ETag", strconv.Quote(f.hash))
	if immutable {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheShort)
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
}

// lookup finds the file a URL path names, and whether the path carries that
// file's own fingerprint. Names are looked up exactly in the table built at
// start-up, never joined onto a directory, so "..", "//" and directory
// paths find nothing.
func (a *Assets) lookup(urlPath string) (f *asset, immutable bool) {
	rest, ok := strings.CutPrefix(urlPath, assetsPrefix)
	if !ok {
		return nil, false
	}
	if f := a.files[rest]; f != nil {
		return f, false
	}
	hash, name, ok := strings.Cut(rest, "/")
	if !ok || !isHash(hash) {
		return nil, false
	}
	if f := a.files[name]; f != nil {
		return f, f.hash == hash
	}
	return nil, false
}

// isHash reports whether s has the shape of a fingerprint.
func isHash(s string) bool {
	if len(s) != hashLen {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
