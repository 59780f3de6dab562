package portal

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/web/view"
)

// TestPortalErrorsHaveTheSharedStatusesAndLogLines serves each error
// through the portal's own wrapper and error page: the same statuses and
// log lines as the API and the staff pages (whose tests hold the same
// table).
func TestPortalErrorsHaveTheSharedStatusesAndLogLines(t *testing.T) {
	tests := []struct {
		name   string
		err    func() error
		status int
		level  string
		page   string
	}{
		{"conflict", func() error { return complaint.Errorf(complaint.Conflict, "the case is closed") }, 409, "", "The case is closed."},
		{"forbidden", func() error { return complaint.Errorf(complaint.Forbidden, "not yours") }, 403, "", "Not yours."},
		{"unavailable", func() error { return complaint.Errorf(complaint.Unavailable, "no holidays known for 2031") }, 503, "WARN", "No holidays known for 2031."},
		{"unknown", func() error { return errors.New("pq: secret SQL") }, 500, "ERROR", "quote reference"},
		{"panic", func() error { panic("pq: secret SQL") }, 500, "ERROR", "quote reference"},
		{"too many", func() error { return &tooMany{} }, 429, "", "too many attempts"},
	}
	a, err := view.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := view.ParsePages(templateFiles, "templates", templateFuncs(a))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		s := &Server{Log: slog.New(slog.NewJSONHandler(&logs, nil)), pages: pages}
		h := s.serve(func(w http.ResponseWriter, r *http.Request) error { return tt.err() }, formLimit)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/track/RVH-1", nil))
		if rec.Code != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.status)
		}
		if body := rec.Body.String(); !strings.Contains(body, tt.page) || strings.Contains(body, "secret") {
			t.Errorf("%s: the error page does not say %q, or gives the error away:\n%s", tt.name, tt.page, body)
		}
		l := logs.String()
		if tt.level != "" && !strings.Contains(l, `"level":"`+tt.level+`"`) ||
			tt.level == "" && (strings.Contains(l, `"level":"WARN"`) || strings.Contains(l, `"level":"ERROR"`)) {
			t.Errorf("%s: logged %s, want a %q line", tt.name, l, tt.level)
		}
		if tt.name == "panic" && !strings.Contains(l, `"stack":`) {
			t.Errorf("panic: logged without its stack: %s", l)
		}
		if strings.Contains(l, "RVH-1") {
			t.Errorf("%s: the log holds the reference: %s", tt.name, l)
		}
	}
}
