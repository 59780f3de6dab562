package brand_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/store"
)

// letterheads is a store's letterhead as the cache reads it, counting the
// reads and failing them on demand.
type letterheads struct {
	mu    sync.Mutex
	lh    store.Letterhead
	ok    bool
	err   error
	reads int
}

func (l *letterheads) Letterhead(context.Context) (store.Letterhead, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	return l.lh, l.ok, l.err
}

func (l *letterheads) set(lh store.Letterhead, ok bool, err error) {
	l.mu.Lock()
	l.lh, l.ok, l.err = lh, ok, err
	l.mu.Unlock()
}

// pngLogo is the start of a PNG, enough for its content type.
var pngLogo = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

func TestTheBrandFallsBackToTheServiceNameThenToComplaints(t *testing.T) {
	st := &letterheads{}
	if got := brand.New(st, "Vale Complaints", nil).Get(t.Context()); got.Name != "Vale Complaints" || got.LogoURL() != "" {
		t.Errorf("no letterhead: %+v, want the service name and no logo", got)
	}
	if got := brand.New(st, "", nil).Get(t.Context()); got.Name != brand.DefaultName {
		t.Errorf("no letterhead and no service name: %q, want %q", got.Name, brand.DefaultName)
	}
	st.set(store.Letterhead{Name: ""}, true, nil)
	if got := brand.New(st, "Vale Complaints", nil).Get(t.Context()); got.Name != "Vale Complaints" {
		t.Errorf("a letterhead with no name: %q, want the service name", got.Name)
	}
}

// The letterhead is read once per TTL, not once per request, and at once
// after Changed; a new logo gets a new address.
func TestTheLetterheadIsReadOncePerChangeNotPerRequest(t *testing.T) {
	st := &letterheads{}
	st.set(store.Letterhead{Name: "Riverside Vale Homes"}, true, nil)
	c := brand.New(st, "Vale Complaints", nil)
	c.TTL = time.Hour
	first := c.Get(t.Context())
	for range 50 {
		c.Get(t.Context())
	}
	if st.reads != 1 || first.Name != "Riverside Vale Homes" {
		t.Fatalf("%d reads for 51 requests, brand %q; want 1 read of the letterhead", st.reads, first.Name)
	}
	st.set(store.Letterhead{Name: "Riverside Vale Homes", Logo: pngLogo}, true, nil)
	if got := c.Get(t.Context()); got.LogoURL() != "" {
		t.Error("a change was seen before the TTL or Changed")
	}
	c.Changed()
	got := c.Get(t.Context())
	if st.reads != 2 || got.LogoType != "image/png" || !strings.HasPrefix(got.LogoURL(), brand.LogoPath+"?v=") {
		t.Fatalf("after Changed: %d reads, %+v; want the logo read", st.reads, got)
	}
	if got.Version == first.Version {
		t.Error("a new logo kept the old version, so browsers would keep the old logo")
	}
	c.TTL = 0 // every Get reads
	c.Get(t.Context())
	if st.reads != 3 {
		t.Errorf("%d reads past the TTL, want 3", st.reads)
	}
}

func TestALetterheadThatCannotBeReadKeepsTheBrandLastKnown(t *testing.T) {
	st := &letterheads{}
	st.set(store.Letterhead{Name: "Riverside Vale Homes"}, true, nil)
	c := brand.New(st, "Vale Complaints", nil)
	c.TTL = 0
	c.Get(t.Context())
	st.set(store.Letterhead{}, false, errors.New("database is locked"))
	if got := c.Get(t.Context()); got.Name != "Riverside Vale Homes" {
		t.Errorf("with the store failing: %q, want the brand last known", got.Name)
	}
}

func TestTheLogoIsCachedForGoodOnlyAtItsCurrentAddress(t *testing.T) {
	st := &letterheads{}
	c := brand.New(st, "Vale Complaints", nil)
	serve := func(target string, header http.Header) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", target, nil)
		for k, v := range header {
			r.Header[k] = v
		}
		c.ServeLogo(w, r)
		return w
	}
	if w := serve(brand.LogoPath, nil); w.Code != http.StatusNotFound {
		t.Errorf("no logo: %d, want 404", w.Code)
	}
	st.set(store.Letterhead{Name: "Riverside Vale Homes", Logo: pngLogo}, true, nil)
	c.Changed()
	b := c.Get(t.Context())
	w := serve(b.LogoURL(), nil)
	if w.Code != 200 || w.Body.String() != string(pngLogo) || w.Header().Get("Content-Type") != "image/png" ||
		!strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("the current address: %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))
	}
	if w := serve(brand.LogoPath+"?v=old", nil); w.Code != 200 || strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("an old address: %d %q, want the logo, cached briefly", w.Code, w.Header().Get("Cache-Control"))
	}
	if w := serve(b.LogoURL(), http.Header{"If-None-Match": {w.Header().Get("ETag")}}); w.Code != http.StatusNotModified {
		t.Errorf("a revalidation with the current ETag: %d, want 304", w.Code)
	}
}
