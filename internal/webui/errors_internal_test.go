package webui

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

// TestStaffPageErrorsHaveTheSharedStatusesAndLogLines serves each error
// through the staff pages' own wrapper and error page: the same statuses
// and log lines as the API and the portal (whose tests hold the same
// table).
func TestStaffPageErrorsHaveTheSharedStatusesAndLogLines(t *testing.T) {
	tests := []struct {
		name   string
		err    func() error
		status int
		level  string
		page   string
	}{
		{"conflict", func() error { return complaint.Errorf(complaint.Conflict, "the case is closed") }, 409, "", "the case is closed"},
		{"forbidden", func() error { return complaint.Errorf(complaint.Forbidden, "not yours") }, 403, "", "not yours."},
		{"unavailable", func() error { return complaint.Errorf(complaint.Unavailable, "no holidays known for 2031") }, 503, "WARN", "no holidays known for 2031"},
		{"unknown", func() error { return errors.New("pq: secret SQL") }, 500, "ERROR", "quote reference"},
		{"panic", func() error { panic("pq: secret SQL") }, 500, "ERROR", "quote reference"},
	}
	a, err := view.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := view.ParsePages(templateFiles, "templates", templateFuncsFor(a, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		s := &Server{Log: slog.New(slog.NewJSONHandler(&logs, nil)), pages: pages, assets: a, ServiceName: "Complaints"}
		h := s.serve(func(w http.ResponseWriter, r *http.Request) error { return tt.err() }, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/summary", nil))
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
	}
}
