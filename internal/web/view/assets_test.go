package view

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// wantTypes is what each extension in the vendored set must be served as,
// written out again here so a slip in the handler's table shows.
var wantTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".map":   "application/json",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

func mustAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// embedded is the named file, failing the test if it is not embedded.
func embedded(t *testing.T, a *Assets, name string) *asset {
	t.Helper()
	f := a.files[name]
	if f == nil {
		t.Fatalf("%s is not embedded", name)
	}
	return f
}

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestAssetsIncludeWhatPagesNeed(t *testing.T) {
	a := mustAssets(t)
	for _, name := range []string{
		"govuk-frontend.min.css",
		"govuk-frontend.min.js",
		"govuk-frontend.min.js.map",
		"govuk-frontend-LICENSE.txt",
		"init.js",
	} {
		if a.files[name] == nil {
			t.Errorf("%s is not embedded", name)
		}
	}
}

func TestPathIsFingerprintedWithContentHash(t *testing.T) {
	a := mustAssets(t)
	data, err := static.ReadFile("static/govuk-frontend.min.css")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want := "/assets/" + hex.EncodeToString(sum[:])[:10] + "/govuk-frontend.min.css"
	embedded(t, a, "govuk-frontend.min.css")
	if got := a.Path("govuk-frontend.min.css"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
}

func TestEveryFileServedWithTypeAndImmutableCacheAtItsPath(t *testing.T) {
	a := mustAssets(t)
	h := a.Handler()
	for name, f := range a.files {
		want, ok := wantTypes[path.Ext(name)]
		if !ok {
			t.Errorf("%s: test does not know what type to expect", name)
			continue
		}
		rec := get(t, h, http.MethodGet, a.Path(name))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", a.Path(name), rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", name, got, want)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", name, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, got)
		}
		if rec.Body.String() != string(f.data) {
			t.Errorf("%s: body differs from the embedded file", name)
		}
	}
}

func TestUnfingerprintedAndStalePathsGetShortCache(t *testing.T) {
	a := mustAssets(t)
	h := a.Handler()
	for _, target := range []string{
		"/assets/govuk-frontend.min.css",
		"/assets/0000000000/govuk-frontend.min.css",
	} {
		rec := get(t, h, http.MethodGet, target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", target, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != "text/css; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("GET %s: Cache-Control %q", target, got)
		}
	}
}

func TestImagesTheStylesheetNamesAreServedWithoutFingerprint(t *testing.T) {
	// The vendored stylesheet references no images (see static/README.md),
	// so check the un-fingerprinted image form against a stand-in set.
	a, err := newAssets(fstest.MapFS{
		"site.css":           {Data: []byte(`a{background:url(/assets/images/arrow.svg)}`)},
		"images/arrow.svg":   {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"images/icon.png":    {Data: []byte("\x89PNG")},
		"images/favicon.ico": {Data: []byte{0, 0, 1, 0}},
		"fonts/bold.woff2":   {Data: []byte("wOF2")},
		"site.webmanifest":   {Data: []byte(`{}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	for target, want := range map[string]string{
		"/assets/images/arrow.svg":   "image/svg+xml",
		"/assets/images/icon.png":    "image/png",
		"/assets/images/favicon.ico": "image/x-icon",
		"/assets/fonts/bold.woff2":   "font/woff2",
		"/assets/site.webmanifest":   "application/manifest+json",
	} {
		rec := get(t, h, http.MethodGet, target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", target, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", target, got, want)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("GET %s: Cache-Control %q", target, got)
		}
	}
	checkReferencesResolve(t, a, "site.css", cssURL, 1)
}

var (
	cssURL   = regexp.MustCompile(`url\(\s*['"]?([^'")]+?)['"]?\s*\)`)
	jsImport = regexp.MustCompile(`\bfrom\s*["']([^"']+)["']`)
)

// checkReferencesResolve fetches every URL that pattern finds in the named
// asset, resolved against the asset's fingerprinted URL as a browser would,
// through the handler, and checks there are want of them.
func checkReferencesResolve(t *testing.T, a *Assets, name string, pattern *regexp.Regexp, want int) {
	t.Helper()
	f := embedded(t, a, name)
	base, err := url.Parse(a.Path(name))
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	matches := pattern.FindAllSubmatch(f.data, -1)
	for _, m := range matches {
		ref := string(m[1])
		if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
			continue
		}
		u, err := url.Parse(ref)
		if err != nil {
			t.Errorf("%s: bad reference %q: %v", name, ref, err)
			continue
		}
		target := base.ResolveReference(u)
		if target.Host != "" {
			t.Errorf("%s: reference %q leaves the site", name, ref)
			continue
		}
		if rec := get(t, h, http.MethodGet, target.RequestURI()); rec.Code != http.StatusOK {
			t.Errorf("%s: reference %q (%s): status %d", name, ref, target, rec.Code)
		}
	}
	if len(matches) != want {
		t.Errorf("%s: %d references, want %d", name, len(matches), want)
	}
}

func TestStylesheetReferencesAllResolve(t *testing.T) {
	// Our build draws no images: the only one GOV.UK Frontend's CSS asks
	// for is the Crown copyright crest, which the build leaves out.
	checkReferencesResolve(t, mustAssets(t), "govuk-frontend.min.css", cssURL, 0)
}

func TestInitScriptImportsResolve(t *testing.T) {
	checkReferencesResolve(t, mustAssets(t), "init.js", jsImport, 1)
}

func TestStylesheetUsesSystemFontsAndNoGOVUKBranding(t *testing.T) {
	css := string(embedded(t, mustAssets(t), "govuk-frontend.min.css").data)
	for _, banned := range []string{"GDS Transport", "@font-face", "/assets/fonts/", ".woff", "govuk-crest"} {
		if strings.Contains(css, banned) {
			t.Errorf("stylesheet contains %q", banned)
		}
	}
	if !strings.Contains(css, `font-family:system-ui,`) {
		t.Error("stylesheet does not use the system font stack")
	}
}

func TestModuleBundleExportsInitAll(t *testing.T) {
	js := embedded(t, mustAssets(t), "govuk-frontend.min.js").data
	if !regexp.MustCompile(`export\s*\{[^}]*\binitAll\b`).Match(js) {
		t.Error("govuk-frontend.min.js does not export initAll")
	}
}

func TestPathPanicsOnUnknownName(t *testing.T) {
	a := mustAssets(t)
	for _, name := range []string{"nope.css", "", "README.md", "_src/govuk-frontend.scss", "/govuk-frontend.min.css"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Path(%q) did not panic", name)
				}
			}()
			a.Path(name)
		}()
	}
}

func TestNoDirectoryListingAndUnknownPathsAre404(t *testing.T) {
	a := mustAssets(t)
	hash := embedded(t, a, "govuk-frontend.min.css").hash
	for _, target := range []string{
		"/assets",
		"/assets/",
		"/assets/.",
		"/assets/images/",
		"/assets/" + hash + "/",
		"/assets/" + hash,
		"/assets/_src/",
		"/assets/_src/govuk-frontend.scss",
		"/assets/README.md",
		"/assets/" + hash + "/README.md",
		"/assets/nope.css",
		"/assets/" + hash + "/nope.css",
		"/assets/not-a-hash/govuk-frontend.min.css",
		"/assets/" + strings.ToUpper(hash) + "/govuk-frontend.min.css",
		"/assets//govuk-frontend.min.css",
		"/assets/../assets.go",
		"/assets/%2e%2e/assets.go",
		"/govuk-frontend.min.css",
	} {
		if rec := get(t, a.Handler(), http.MethodGet, target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, rec.Code)
		}
	}
}

func TestHeadSendsHeadersWithoutBody(t *testing.T) {
	a := mustAssets(t)
	name := "govuk-frontend.min.css"
	f := embedded(t, a, name)
	rec := get(t, a.Handler(), http.MethodHead, a.Path(name))
	if rec.Code != http.StatusOK {
		t.Fatalf("HEAD: status %d", rec.Code)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("HEAD: %d bytes of body", rec.Body.Len())
	}
	if got, want := rec.Header().Get("Content-Length"), len(f.data); got != strconv.Itoa(want) {
		t.Errorf("HEAD: Content-Length %q, want %d", got, want)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("HEAD: Content-Type %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("HEAD: Cache-Control %q", got)
	}
}

func TestOtherMethodsAreRefused(t *testing.T) {
	a := mustAssets(t)
	embedded(t, a, "govuk-frontend.min.css")
	rec := get(t, a.Handler(), http.MethodPost, a.Path("govuk-frontend.min.css"))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rec.Code)
	}
	if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("POST: Allow %q", got)
	}
}

func TestConditionalGetAnswersNotModified(t *testing.T) {
	a := mustAssets(t)
	embedded(t, a, "govuk-frontend.min.js")
	target := a.Path("govuk-frontend.min.js")
	first := get(t, a.Handler(), http.MethodGet, target)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", rec.Code)
	}
}

func TestUnknownExtensionStopsStartUp(t *testing.T) {
	if _, err := newAssets(fstest.MapFS{"x.exe": {Data: []byte("MZ")}}); err == nil {
		t.Error("newAssets accepted a file it cannot type")
	}
}

func TestSassSourcesAreNotEmbedded(t *testing.T) {
	if _, err := static.ReadFile("static/_src/govuk-frontend.scss"); err == nil {
		t.Error("static/_src is embedded; its name must start with _ so that go:embed leaves it out")
	}
}
