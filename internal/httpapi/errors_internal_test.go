package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// surfaceErrors are the errors whose status the three surfaces once
// disagreed on, with the one status each now has on all of them, and the
// level of the log line each writes ("" for none above debug). The staff
// pages and the portal have the same table in their tests.
var surfaceErrors = []struct {
	name   string
	err    func() error
	status int
	level  string
}{
	{"conflict", func() error { return complaint.Errorf(complaint.Conflict, "the case is closed") }, 409, ""},
	{"forbidden", func() error { return complaint.Errorf(complaint.Forbidden, "not yours") }, 403, ""},
	{"unavailable", func() error { return complaint.Errorf(complaint.Unavailable, "no holidays known for 2031") }, 503, "WARN"},
	{"unknown", func() error { return errors.New("pq: secret SQL") }, 500, "ERROR"},
	{"panic", func() error { panic("pq: secret SQL") }, 500, "ERROR"},
}

// TestAPIErrorsHaveTheSharedStatusesAndLogLines serves each error through
// the API's own wrapper and JSON body.
func TestAPIErrorsHaveTheSharedStatusesAndLogLines(t *testing.T) {
	for _, tt := range surfaceErrors {
		var logs bytes.Buffer
		s := &Server{Log: slog.New(slog.NewJSONHandler(&logs, nil))}
		h := s.serve(func(w http.ResponseWriter, r *http.Request) error { return tt.err() }, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/cases", nil))
		if rec.Code != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.status)
		}
		var body struct{ Error complaint.Error }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Message == "" {
			t.Errorf("%s: body %s is not the API's error: %v", tt.name, rec.Body, err)
		}
		if strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%s: the body gives the error away: %s", tt.name, rec.Body)
		}
		logged := strings.Contains(logs.String(), `"level":"`+tt.level+`"`)
		if tt.level != "" && !logged || tt.level == "" && strings.Contains(logs.String(), `"level":"WARN"`) || tt.level == "" && strings.Contains(logs.String(), `"level":"ERROR"`) {
			t.Errorf("%s: logged %s, want a %q line", tt.name, logs.String(), tt.level)
		}
		if tt.name == "panic" && !strings.Contains(logs.String(), `"stack":`) {
			t.Errorf("panic: logged without its stack: %s", logs.String())
		}
	}
}
