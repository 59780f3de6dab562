package portal_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/portal"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/webui"
)

// TestMountedBesideTheStaffPages mounts the portal as internal/app is to:
// its three prefixes to the portal, everything else (the assets
// included) to the staff pages.
func TestMountedBesideTheStaffPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	web, err := webui.New(&webui.Server{Store: e.db, Policy: e.pol, Calendar: e.cal, Log: e.srv.Log, Now: clock.Wall, ServiceName: "Riverside Vale Homes"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	residents := e.srv.Handler()
	for _, prefix := range portal.Prefixes {
		mux.Handle(prefix, residents)
	}
	mux.Handle("/", web.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c := e.client()
	c.e = &env{t: t, db: e.db, base: ts.URL, clock: e.clock}
	for path, want := range map[string]string{
		"/complain": "Tell us what you think of our services", "/complain/kind": "What do you want to tell us about?",
		"/track": "Follow your complaint or feedback", "/track/": "Follow your complaint or feedback",
		"/survey/thank-you": "Thank you for your answer", "/accessibility": "Accessibility statement",
	} {
		r := c.get(path)
		wantStatus(t, path, r, 200)
		wantText(t, path, r, want)
	}
	// The portal's pages name assets the staff pages serve.
	r := c.get("/complain")
	i := strings.Index(r.Body, `href="/assets/`)
	if i < 0 {
		t.Fatalf("no stylesheet under /assets/ in %.500q", r.Body)
	}
	css := r.Body[i+len(`href="`):]
	end := strings.Index(css, `"`)
	if end < 0 {
		t.Fatalf("the stylesheet's address does not end: %.200q", css)
	}
	css = css[:end]
	wantStatus(t, "the portal's stylesheet from the staff pages", c.get(css), 200)
	// Everything else is still the staff pages'.
	if r := c.get("/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/sign-in") {
		t.Errorf("/ gives %d to %q, want the staff sign-in", r.Status, r.Location)
	}
}
