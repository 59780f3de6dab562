package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/store/testdb"
)

// TestHSTSIsSentOnEverySurfaceWhenCookiesAreSecure asks the staff pages,
// the residents' pages, the API and the health check, signed out and
// with a request refused, of a server with secure cookies and of one
// without: the first always sends Strict-Transport-Security, the second
// never does.
func TestHSTSIsSentOnEverySurfaceWhenCookiesAreSecure(t *testing.T) {
	for _, secure := range []bool{true, false} {
		a, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), SecureCookies: secure}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		for _, tc := range []struct{ method, path, origin string }{
			{"GET", "/sign-in", ""},                          // the staff pages
			{"GET", "/cases", ""},                            // a redirect to sign in
			{"GET", "/complain", ""},                         // the residents' pages
			{"GET", "/track", ""},                            // tracking
			{"GET", "/api/v1/cases", ""},                     // the API, refused without a token
			{"GET", "/api/openapi.json", ""},                 // the API's document
			{"GET", "/healthz", ""},                          // the health check
			{"GET", "/readyz", ""},                           // the readiness check
			{"POST", "/sign-in", "https://evil.example.org"}, // a cross-site form, refused
		} {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader("email=a%40example.org"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := resp.Header.Get("Strict-Transport-Security")
			switch {
			case secure && got != "max-age=31536000; includeSubDomains":
				t.Errorf("secure: %s %s (%d): Strict-Transport-Security %q", tc.method, tc.path, resp.StatusCode, got)
			case !secure && got != "":
				t.Errorf("not secure: %s %s (%d): Strict-Transport-Security %q", tc.method, tc.path, resp.StatusCode, got)
			}
		}
		srv.Close()
		a.Close()
	}
}
