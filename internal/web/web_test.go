package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// ErrorCase is one error a handler may return, with what every surface
// must make of it. The surfaces' own tests walk the same table.
type errorCase struct {
	name   string
	h      Handler
	status int
	// level is the level of the error's own log line; "" for none above
	// debug.
	level string
	// message is what the person may read.
	message string
}

const secret = "pq: relation cases does not exist"

func codeErr(code string) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return complaint.Errorf(code, "a %s error", code)
	}
}

var errorCases = []errorCase{
	{"invalid", codeErr(complaint.Invalid), 400, "", "a invalid error"},
	{"unauthorized", codeErr(complaint.Unauthorized), 401, "", "a unauthorized error"},
	{"forbidden", codeErr(complaint.Forbidden), 403, "", "a forbidden error"},
	{"not found", codeErr(complaint.NotFound), 404, "", "a not_found error"},
	{"conflict", codeErr(complaint.Conflict), 409, "", "a conflict error"},
	{"stale", codeErr(complaint.Stale), 412, "", "a stale error"},
	{"too large", codeErr(complaint.TooLarge), 413, "", "a too_large error"},
	{"unavailable", codeErr(complaint.Unavailable), 503, "WARN", "a unavailable error"},
	{"internal", func(w http.ResponseWriter, r *http.Request) error {
		return complaint.Errorf(complaint.Internal, "%s", secret)
	}, 500, "ERROR", "something went wrong on our side; quote request req-1"},
	{"unknown code", codeErr("no_such_code"), 500, "ERROR", "something went wrong on our side; quote request req-1"},
	{"unknown error", func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("reading case: %w", errors.New(secret))
	}, 500, "ERROR", "something went wrong on our side; quote request req-1"},
	{"panic", func(w http.ResponseWriter, r *http.Request) error {
		panic(secret)
	}, 500, "ERROR", "something went wrong on our side; quote request req-1"},
	{"body over the limit", func(w http.ResponseWriter, r *http.Request) error {
		return r.ParseForm()
	}, 413, "", "the request body is over 10 bytes"},
}

// logLines decodes slog's JSON lines.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestEveryErrorCodeHasOneStatusOneLogLevelAndASafeMessage pins, through
// the wrapper every surface uses, each error's status, its log line and
// what the caller reads: never the text of an internal error, and a
// panic logged with its stack.
func TestEveryErrorCodeHasOneStatusOneLogLevelAndASafeMessage(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			var got Problem
			s := &Surface{
				Log:    slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
				Access: "request",
				Render: func(w http.ResponseWriter, r *http.Request, p Problem, err error) {
					got = p
					w.WriteHeader(p.Status)
					json.NewEncoder(w).Encode(p.Public)
				},
			}
			req := httptest.NewRequest("POST", "/x", strings.NewReader("a=0123456789012345"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Request-Id", "req-1")
			rec := httptest.NewRecorder()
			s.Wrap(tt.h, 10).ServeHTTP(rec, req)

			if rec.Code != tt.status || got.Status != tt.status {
				t.Errorf("status %d (problem %d), want %d", rec.Code, got.Status, tt.status)
			}
			if id := rec.Header().Get("X-Request-Id"); id != "req-1" {
				t.Errorf("X-Request-Id %q, want the request's own", id)
			}
			if got.Public.Message != tt.message {
				t.Errorf("message %q, want %q", got.Public.Message, tt.message)
			}
			if strings.Contains(rec.Body.String(), secret) {
				t.Errorf("the body gives the internal error away: %s", rec.Body)
			}
			lines := logLines(t, &logs)
			access := lines[len(lines)-1]
			if access["msg"] != "request" || access["status"] != float64(tt.status) || access["request_id"] != "req-1" {
				t.Errorf("access line %v, want status %d and the request id", access, tt.status)
			}
			errLines := lines[:len(lines)-1]
			switch {
			case tt.level == "" && len(errLines) != 0:
				t.Errorf("logged %v, want no error line above debug", errLines)
			case tt.level != "" && len(errLines) != 1:
				t.Errorf("logged %v, want one %s line", errLines, tt.level)
			case tt.level != "":
				l := errLines[0]
				if l["level"] != tt.level || l["request_id"] != "req-1" {
					t.Errorf("logged %v, want level %s with the request id", l, tt.level)
				}
				_, stack := l["stack"]
				if stack != (tt.name == "panic") {
					t.Errorf("logged %v: stack %v, want one only for a panic", l, stack)
				}
				if tt.name == "panic" && !strings.Contains(l["stack"].(string), "runtime/debug.Stack") {
					t.Errorf("the panic's stack is not a stack: %v", l["stack"])
				}
			}
		})
	}
}

// TestClassifiedErrorsAreLoggedAtDebugOnly checks the caller's own
// mistakes stay out of the log unless debugging is on.
func TestClassifiedErrorsAreLoggedAtDebugOnly(t *testing.T) {
	var logs bytes.Buffer
	s := &Surface{
		Log:    slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Access: "request",
		Render: func(w http.ResponseWriter, r *http.Request, p Problem, err error) { w.WriteHeader(p.Status) },
	}
	s.Wrap(codeErr(complaint.Conflict), 10).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	lines := logLines(t, &logs)
	if len(lines) != 2 || lines[0]["level"] != "DEBUG" || lines[0]["code"] != complaint.Conflict {
		t.Errorf("logged %v, want a debug line with the code, then the access line", lines)
	}
}

// TestRequestIDIsMadeWhenTheRequestBringsNoneOrAnUnsafeOne keeps a
// header's text out of the logs unless it is a plain token.
func TestRequestIDIsMadeWhenTheRequestBringsNoneOrAnUnsafeOne(t *testing.T) {
	for _, h := range []string{"", "a b", "x\ny", strings.Repeat("a", 65)} {
		r := httptest.NewRequest("GET", "/", nil)
		if h != "" {
			r.Header.Set("X-Request-Id", h)
		}
		if id := RequestID(r); id == h || len(id) != 16 {
			t.Errorf("header %q: id %q, want a new 16-digit one", h, id)
		}
	}
}

// TestClientAddrTrustsNoForwardingHeader keeps the rules both the sign-in
// throttle and the portal's limits rely on.
func TestClientAddrTrustsNoForwardingHeader(t *testing.T) {
	for _, tt := range []struct{ remote, want string }{
		{"192.0.2.7:5000", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:5000", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "2001:db8:1:2::/64"},
		{"pipe", "pipe"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		r.Header.Set("Forwarded", "for=203.0.113.9")
		if got := ClientAddr(r); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.remote, got, tt.want)
		}
	}
}
