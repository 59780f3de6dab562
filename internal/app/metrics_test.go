package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store/testdb"
)

// serve runs a's Serve on a fresh listener until the test ends and
// returns the main listener's base URL.
func serve(t *testing.T, a *App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(serveStopBound):
			t.Errorf("Serve did not return within %s of cancel", serveStopBound)
		}
	})
	return "http://" + ln.Addr().String()
}

// call makes one request and returns its status and body.
func call(t *testing.T, method, url, token, contentType string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// series is one scrape: each series (name and labels, as written) and
// its value, and every label value seen.
type series struct {
	values map[string]float64
	labels []string
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// scrape reads the Prometheus text format served at url.
func scrape(t *testing.T, url string) (series, string) {
	t.Helper()
	status, body := call(t, "GET", url, "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", url, status, body)
	}
	s := series{values: map[string]float64{}}
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a sample line: %q", line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("sample %q: %v", line, err)
		}
		s.values[m[1]+m[2]] = v
		for _, p := range labelPair.FindAllStringSubmatch(m[2], -1) {
			s.labels = append(s.labels, p[2])
		}
	}
	return s, body
}

// value returns the value of one series, failing the test if it is
// absent.
func (s series) value(t *testing.T, key string) float64 {
	t.Helper()
	v, ok := s.values[key]
	if !ok {
		t.Fatalf("no series %s in the scrape", key)
	}
	return v
}

// TestMetricsCountRequestsCommitsMailAndSignIns starts the whole app with
// metrics on, uses it as staff and a script would (an API case with a
// resident's email, a look at it by its reference, a wrong password, a
// page that does not exist), relays the resident's notice into the
// outbox, and reads /metrics: the API route is counted by its pattern,
// commits were timed, the notice is in the outbox gauges and counted,
// the sign-in failure is counted, and no label holds a case reference or
// a path.
func TestMetricsCountRequestsCommitsMailAndSignIns(t *testing.T) {
	token := strings.Repeat("m", 40)
	a, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), BootstrapToken: token, Metrics: true},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	// The app's clock runs from the real one, moved on when the test
	// says: set before Serve, so nothing reads a.now while it changes.
	var shift atomic.Int64
	a.now = func() time.Time { return clock.Wall().Add(time.Duration(shift.Load())) }
	a.relay.Hold = -1 // notices at once; the relay is run by hand below
	base := serve(t, a)

	body, _ := json.Marshal(map[string]any{
		"kind": "complaint", "channel": "email",
		"complainant": map[string]any{"name": "Ada Resident", "email": "ada@example.org"},
		"summary":     "Roof still leaking after three repair visits",
		"description": "Water comes through the bedroom ceiling whenever it rains.",
	})
	status, created := call(t, "POST", base+"/api/v1/cases", token, "application/json", body)
	if status != http.StatusCreated {
		t.Fatalf("create a case: %d %s", status, created)
	}
	var c struct{ Reference string }
	if err := json.Unmarshal([]byte(created), &c); err != nil || c.Reference == "" {
		t.Fatalf("created case %s: %v", created, err)
	}
	if status, got := call(t, "GET", base+"/api/v1/cases/"+c.Reference, token, "", nil); status != http.StatusOK {
		t.Fatalf("read the case: %d %s", status, got)
	}
	unknownPath := "/api/v1/no-such-thing/" + c.Reference
	if status, _ := call(t, "GET", base+unknownPath, token, "", nil); status != http.StatusNotFound {
		t.Errorf("GET %s = %d, want 404", unknownPath, status)
	}
	form := url.Values{"email": {"nobody@landlord.example"}, "password": {"not the password"}}
	if status, _ := call(t, "POST", base+"/sign-in", "", "application/x-www-form-urlencoded", []byte(form.Encode())); status != http.StatusUnauthorized {
		t.Errorf("a wrong password answered %d, want 401", status)
	}

	n, err := a.relay.RunOnce(context.Background())
	if err != nil || n < 1 {
		t.Fatalf("relay queued %d notices (%v), want the resident's", n, err)
	}
	// A minute on, the notice has waited a minute.
	shift.Store(int64(time.Minute))

	s, text := scrape(t, base+"/metrics")
	if v := s.value(t, `redress_http_requests_total{code="201",route="POST /api/v1/cases"}`); v != 1 {
		t.Errorf("case creations counted %v, want 1", v)
	}
	if v := s.value(t, `redress_http_requests_total{code="200",route="GET /api/v1/cases/{ref}"}`); v != 1 {
		t.Errorf("case reads counted %v, want 1", v)
	}
	if v := s.value(t, `redress_http_request_duration_seconds_count{route="POST /api/v1/cases"}`); v != 1 {
		t.Errorf("case creations timed %v, want 1", v)
	}
	if v := s.value(t, `redress_db_commit_seconds_count`); v < 1 {
		t.Errorf("%v commits timed, want at least the case's", v)
	}
	if v := s.value(t, `redress_db_commit_seconds_sum`); v <= 0 {
		t.Errorf("commits took %v s in all, want a positive time", v)
	}
	if v := s.value(t, `redress_outbox_messages`); v < 1 {
		t.Errorf("outbox holds %v unsent, want the notice", v)
	}
	if v := s.value(t, `redress_outbox_oldest_message_age_seconds`); v < 60 {
		t.Errorf("oldest unsent message is %v s old, want at least the minute the clock moved", v)
	}
	if v := s.value(t, `redress_notices_queued_total`); v != float64(n) {
		t.Errorf("notices counted %v, want the %d queued", v, n)
	}
	if v := s.value(t, `redress_sign_in_failures_total{reason="bad_credentials"}`); v != 1 {
		t.Errorf("sign-in failures counted %v, want 1", v)
	}
	if _, ok := s.values[`redress_cases_overdue{stage="1"}`]; !ok {
		t.Error("no overdue gauge for stage 1")
	}
	// The Go and process collectors are there beside Redress's own.
	s.value(t, `go_goroutines`)
	for _, l := range s.labels {
		if strings.Contains(l, c.Reference) || strings.Contains(l, "no-such-thing") || strings.Contains(l, "nobody") {
			t.Errorf("a label holds a reference, a path or an address: %q", l)
		}
	}
	if strings.Contains(text, c.Reference) {
		t.Errorf("the scrape holds the case reference %s", c.Reference)
	}
}

// TestMetricsAreOffUnlessAskedFor checks that without the setting there
// is no /metrics page at all.
func TestMetricsAreOffUnlessAskedFor(t *testing.T) {
	a, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	base := serve(t, a)
	if status, body := call(t, "GET", base+"/metrics", "", "", nil); status != http.StatusNotFound || strings.Contains(body, "redress_") {
		t.Errorf("GET /metrics with metrics off = %d, want 404 and no metrics", status)
	}
}

// TestMetricsAddrServesMetricsOnItsOwnListenerOnly checks that with a
// metrics address the metrics are served there and not on the main
// listener, and that an address that is not host:port stops start-up
// naming the setting.
func TestMetricsAddrServesMetricsOnItsOwnListenerOnly(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	if _, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), MetricsAddr: "9090"}, log); err == nil ||
		!strings.Contains(err.Error(), "MetricsAddr") {
		t.Errorf("a metrics address without a port: %v, want an error naming MetricsAddr", err)
	}
	a, err := New(context.Background(), Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), MetricsAddr: "127.0.0.1:0"}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	base := serve(t, a)
	var bound string
	for deadline := clock.Wall().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if p := a.metricsBound.Load(); p != nil {
			bound = *p
			break
		}
		if clock.Wall().After(deadline) {
			t.Fatal("the metrics listener was not bound within 10 s")
		}
	}
	// A request on the main listener, counted; then the scrape on the
	// metrics listener shows it.
	if status, _ := call(t, "GET", base+"/healthz", "", "", nil); status != http.StatusOK {
		t.Fatalf("healthz = %d", status)
	}
	if status, body := call(t, "GET", base+"/metrics", "", "", nil); status != http.StatusNotFound || strings.Contains(body, "redress_") {
		t.Errorf("GET /metrics on the main listener = %d, want 404 and no metrics", status)
	}
	s, _ := scrape(t, "http://"+bound+"/metrics")
	if v := s.value(t, `redress_http_requests_total{code="200",route="GET /healthz"}`); v != 1 {
		t.Errorf("healthz counted %v, want 1", v)
	}
	if _, ok := s.values[`redress_outbox_messages`]; !ok {
		t.Error("no outbox gauge on the metrics listener")
	}
}
