package loadgen

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer answers GET /ok/{op} with 200 and GET /fail/{op} with a
// JSON error, counting the requests of each op and checking the token.
type countingServer struct {
	mu     sync.Mutex
	counts map[string]int
	badTok atomic.Int64
}

func (s *countingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer secret" {
		s.badTok.Add(1)
	}
	op := r.PathValue("op")
	s.mu.Lock()
	s.counts[op]++
	s.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/fail/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error": {"code": "unavailable", "message": "the test fails this op on purpose", "fields": {"op": "` + op + `"}}}`))
		return
	}
	w.Write([]byte(`{"ok": true}`))
}

func newCountingServer(t *testing.T) (*countingServer, *httptest.Server) {
	s := &countingServer{counts: map[string]int{}}
	mux := http.NewServeMux()
	mux.Handle("GET /ok/{op}", s)
	mux.Handle("GET /fail/{op}", s)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return s, srv
}

// get returns an op that GETs path.
func get(name, path string) Op {
	return Op{Name: name, Next: func(*rand.Rand) (Request, error) { return Request{Method: "GET", Path: path}, nil }}
}

func client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 8
	return &http.Client{Transport: tr}
}

// TestRunSendsTheMixAndCountsEveryRequestAndFailureByOp runs four clients
// to a cap of 200 requests against a server that fails one op on purpose:
// the phase stops at the cap, the counts per op add up and match what the
// server saw, only the failing op has errors, with its message, and the
// weights show in the counts.
func TestRunSendsTheMixAndCountsEveryRequestAndFailureByOp(t *testing.T) {
	s, srv := newCountingServer(t)
	ops := []Op{get("light", "/ok/light"), get("heavy", "/ok/heavy"), get("broken", "/fail/broken"), get("unsent", "/ok/unsent")}
	mix := Mix{{"light", 1}, {"heavy", 3}, {"broken", 1}, {"unsent", 0}}
	var returned atomic.Bool
	res, err := Run(context.Background(), Target{BaseURL: srv.URL, Token: "secret", Client: client()}, ops, Config{
		Clients: 4, Duration: time.Minute, MaxRequests: 200, Mix: mix, Seed: 42,
		Progress: func(Progress) {
			if returned.Load() {
				t.Error("progress was reported after Run returned")
			}
		},
		ProgressEvery: time.Millisecond,
	})
	returned.Store(true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Clients != 4 || res.All.Count != 200 {
		t.Fatalf("%d clients sent %d requests, want 4 and the cap of 200", res.Clients, res.All.Count)
	}
	if n := s.badTok.Load(); n > 0 {
		t.Errorf("%d requests came without the bearer token", n)
	}
	got := map[string]OpResult{}
	sum := 0
	for _, r := range res.Ops {
		got[r.Name] = r
		sum += r.Count
		s.mu.Lock()
		seen := s.counts[r.Name]
		s.mu.Unlock()
		if r.Count != seen {
			t.Errorf("%s: counted %d, the server saw %d", r.Name, r.Count, seen)
		}
		if r.Latency.N != r.Count-r.Errors {
			t.Errorf("%s: %d latencies for %d successes", r.Name, r.Latency.N, r.Count-r.Errors)
		}
	}
	if sum != 200 {
		t.Errorf("the ops' counts add up to %d, want 200", sum)
	}
	if _, ok := got["unsent"]; ok || s.counts["unsent"] > 0 {
		t.Errorf("an op of weight 0 was sent or reported: %+v", got["unsent"])
	}
	if len(res.Ops) != 3 || res.Ops[0].Name != "light" || res.Ops[1].Name != "heavy" || res.Ops[2].Name != "broken" {
		t.Errorf("ops reported %v, want light, heavy and broken in the mix's order", res.Ops)
	}
	broken := got["broken"]
	if broken.Count == 0 || broken.Errors != broken.Count || broken.PerSecond != 0 {
		t.Errorf("broken: %d sent, %d errors, %g/s; want every one an error and no throughput", broken.Count, broken.Errors, broken.PerSecond)
	}
	if want := "503 Service Unavailable: the test fails this op on purpose (op: broken)"; len(broken.ErrorSamples) != 1 || broken.ErrorSamples[0] != want {
		t.Errorf("broken's error messages %q, want the one distinct message %q", broken.ErrorSamples, want)
	}
	if got["light"].Errors != 0 || got["heavy"].Errors != 0 {
		t.Errorf("errors on ops that cannot fail: light %d, heavy %d", got["light"].Errors, got["heavy"].Errors)
	}
	if res.Failed() != broken.Errors || res.All.Errors != broken.Errors {
		t.Errorf("%d failed in all, want broken's %d", res.Failed(), broken.Errors)
	}
	// Expected 40, 120 and 40: loose bounds, many standard deviations
	// (about 6) wide, so only a mix that ignores the weights fails.
	if l, h, b := got["light"].Count, got["heavy"].Count, broken.Count; l < 15 || l > 70 || h < 85 || h > 155 || b < 15 || b > 70 {
		t.Errorf("light %d, heavy %d, broken %d of 200; want about 40, 120 and 40 for weights 1, 3 and 1", l, h, b)
	}
	if got["heavy"].PerSecond <= 0 || got["heavy"].Latency.P50 <= 0 || got["heavy"].Latency.P99 < got["heavy"].Latency.P50 {
		t.Errorf("heavy: %g/s, p50 %s, p99 %s", got["heavy"].PerSecond, got["heavy"].Latency.P50, got["heavy"].Latency.P99)
	}
}

// TestRunStopsWhenTheDurationIsUp runs with no cap: the phase ends by
// itself once its duration is up, having run at least that long.
func TestRunStopsWhenTheDurationIsUp(t *testing.T) {
	_, srv := newCountingServer(t)
	const d = 150 * time.Millisecond
	res, err := Run(context.Background(), Target{BaseURL: srv.URL, Client: client()}, []Op{get("a", "/ok/a")},
		Config{Clients: 2, Duration: d, Mix: Mix{{"a", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed < d || res.All.Count == 0 || res.All.Errors != 0 {
		t.Errorf("ran %s, %d requests, %d errors; want at least %s and some requests, none failed", res.Elapsed, res.All.Count, res.All.Errors, d)
	}
}

// TestRunTimesOutARequestThatGetsNoAnswer: a server that never answers
// is an error per request, named as a timeout, and the phase still ends.
func TestRunTimesOutARequestThatGetsNoAnswer(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	res, err := Run(context.Background(), Target{BaseURL: srv.URL, Client: client()}, []Op{get("stuck", "/")},
		Config{Clients: 2, Duration: time.Minute, MaxRequests: 4, Timeout: 50 * time.Millisecond, Mix: Mix{{"stuck", 1}}})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Ops[0]
	if r.Count != 4 || r.Errors != 4 || len(r.ErrorSamples) != 1 || !strings.Contains(r.ErrorSamples[0], "no answer within the 50ms timeout") {
		t.Errorf("%d sent, %d errors, messages %q; want 4 timeouts", r.Count, r.Errors, r.ErrorSamples)
	}
}

// TestRunCountsWhatAnOpRefusesAndWhatItCannotMake: an answer the op's
// Done refuses, and a request its Next cannot make, are failures of the
// op like any other.
func TestRunCountsWhatAnOpRefusesAndWhatItCannotMake(t *testing.T) {
	_, srv := newCountingServer(t)
	picky := get("picky", "/ok/picky")
	picky.Done = func(body []byte) error { return &testError{"no reference in " + string(body)} }
	unmakeable := Op{Name: "unmakeable", Next: func(*rand.Rand) (Request, error) { return Request{}, &testError{"nothing to work on"} }}
	res, err := Run(context.Background(), Target{BaseURL: srv.URL, Client: client()}, []Op{picky, unmakeable},
		Config{Clients: 1, Duration: time.Minute, MaxRequests: 40, Mix: Mix{{"picky", 1}, {"unmakeable", 1}}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Ops {
		if r.Count == 0 || r.Errors != r.Count || len(r.ErrorSamples) != 1 {
			t.Errorf("%s: %d sent, %d errors, messages %q; want every one failed, one message", r.Name, r.Count, r.Errors, r.ErrorSamples)
		}
	}
	if res.All.Count != 40 || res.Failed() != 40 {
		t.Errorf("%d requests, %d failed; want 40 and 40", res.All.Count, res.Failed())
	}
}

// TestRunStopsWhenCancelled: cancelling the context ends the phase and
// says so, without counting the requests it cut short as the server's
// failures.
func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var answered atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answered.Add(1) == 10 {
			cancel()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	res, err := Run(ctx, Target{BaseURL: srv.URL, Client: client()}, []Op{get("a", "/")},
		Config{Clients: 10, Duration: time.Minute, Mix: Mix{{"a", 1}}})
	if err != context.Canceled {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if res.Failed() != 0 {
		t.Errorf("%d requests cut short by the cancel were counted as failures", res.Failed())
	}
}

func TestRunRefusesAConfigThatCannotRun(t *testing.T) {
	target := Target{BaseURL: "http://127.0.0.1:1", Client: client()}
	ops := []Op{get("a", "/")}
	ok := Config{Clients: 1, Duration: time.Second, Mix: Mix{{"a", 1}}}
	tests := []struct {
		name   string
		change func(*Config, *Target)
		want   string
	}{
		{"no clients", func(c *Config, _ *Target) { c.Clients = 0 }, "0 clients"},
		{"no duration", func(c *Config, _ *Target) { c.Duration = 0 }, "duration"},
		{"a negative cap", func(c *Config, _ *Target) { c.MaxRequests = -1 }, "cap of -1"},
		{"an op the mix names but nobody gave", func(c *Config, _ *Target) { c.Mix = Mix{{"b", 1}} }, "names b"},
		{"nothing to send", func(c *Config, _ *Target) { c.Mix = Mix{{"a", 0}} }, "sends nothing"},
		{"no client", func(_ *Config, t *Target) { t.Client = nil }, "no HTTP client"},
	}
	for _, tt := range tests {
		cfg, tg := ok, target
		tt.change(&cfg, &tg)
		if _, err := Run(context.Background(), tg, ops, cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

type testError struct{ s string }

func (e *testError) Error() string { return e.s }
