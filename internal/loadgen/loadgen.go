// Package loadgen drives an HTTP server with concurrent clients and
// measures what it answers: how many requests of each kind, how fast, and
// how many failed. It knows nothing of the command line: it is given a
// base URL, a bearer token, an *http.Client and the ops to send, so that
// a test can drive it against an httptest server and `redress bench`
// against a whole Redress (APIOps are the ops of Redress's JSON API).
//
// A run is bounded twice over: each phase stops starting requests when
// its duration is up or its request cap is reached, and every request
// has a timeout, so a phase ends at most one timeout after its duration
// however the server behaves.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redresshq/redress/internal/clock"
)

// DefaultTimeout is how long one request may take when Config.Timeout is
// 0: long enough for a write queued behind many others on a slow disk,
// short enough that a server that stopped answering ends the run.
const DefaultTimeout = 30 * time.Second

// maxErrorSamples is how many distinct error messages are kept for each
// op: enough to tell one cause from several, few enough to read.
const maxErrorSamples = 3

// maxBody is the most of an answer that is read. Answers are read whole,
// as a real client would, so that their transfer is in the latency and
// the connection can be reused.
const maxBody = 16 << 20

// Request is one HTTP request an op sends.
type Request struct {
	Method string
	// Path is relative to the target's base URL, with any query, such as
	// /api/v1/cases?q=roof.
	Path string
	// Body is sent as JSON; nil sends none.
	Body []byte
}

// Op is one kind of request in a mix.
type Op struct {
	// Name is the op's name in the mix and in the results.
	Name string
	// Next makes the next request of this kind. rng is the calling
	// client's own, so it needs no lock, but Next is called by many
	// clients at once. An error counts as a failed request of the op,
	// with no latency, and nothing is sent.
	Next func(rng *rand.Rand) (Request, error)
	// Done, if set, reads the body of a 2xx answer, as a create learns the
	// reference of the case it made. An error fails the request.
	Done func(body []byte) error
}

// Target is the server under load.
type Target struct {
	// BaseURL is where the server is, such as http://127.0.0.1:8080,
	// without a trailing slash.
	BaseURL string
	// Token, if set, is sent with every request as a bearer token.
	Token string
	// Client sends the requests. It is shared by every client of a run, so
	// its transport should keep as many idle connections per host as
	// there are clients, or connections are closed and opened again.
	Client *http.Client
}

// Config says how hard and for how long one phase drives the target.
type Config struct {
	// Clients is how many clients send requests at once, each waiting for
	// its answer before sending the next.
	Clients int
	// Duration is how long the phase starts requests for.
	Duration time.Duration
	// MaxRequests, if more than 0, ends the phase after that many
	// requests, whichever comes first of it and Duration.
	MaxRequests int
	// Mix is how often each op is chosen.
	Mix Mix
	// Timeout is how long each request may take; 0 means DefaultTimeout.
	Timeout time.Duration
	// Seed seeds the clients' random choices, so that a run can be
	// repeated; 0 picks one at random.
	Seed uint64
	// Progress, if set, is called about every ProgressEvery (a second if
	// 0) while the phase runs, from a goroutine of its own, and never
	// after Run returns.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is how far a phase has got.
type Progress struct {
	Elapsed  time.Duration
	Requests int // finished, failed or not
	Errors   int
}

// Result is what one phase measured.
type Result struct {
	Clients int
	// Elapsed is from the first request's start to the last answer.
	Elapsed time.Duration
	// Ops are the ops the mix sent, in the mix's order.
	Ops []OpResult
	// All is every op together.
	All OpResult
}

// Failed returns the number of requests that failed in the phase.
func (r Result) Failed() int { return r.All.Errors }

// OpResult is what one op of a phase measured.
type OpResult struct {
	Name string
	// Count is the requests that finished, failed or not.
	Count int
	// Errors is the requests that failed: a transport error, a timeout, an
	// answer other than 2xx, or one its op's Done refused.
	Errors int
	// PerSecond is the throughput: requests that succeeded, per second of
	// the phase. Failures are left out, as a server that fails fast would
	// otherwise look fast.
	PerSecond float64
	// Latency summarises the requests that succeeded, from sending the
	// request to reading the last byte of the answer. A failure's time
	// says little about the work the op costs, so it is left out.
	Latency Latencies
	// ErrorSamples are the first few distinct error messages, in the
	// order they first happened.
	ErrorSamples []string
}

// Run drives target with cfg.Clients clients for one phase, each choosing
// ops from ops by cfg.Mix, and returns what it measured. Requests in
// flight when the duration is up are let finish (within their timeout)
// and counted. If ctx is cancelled the phase stops at once and Run
// returns what was measured with ctx's error; requests cut short by it
// are not counted, since their failure is not the server's.
func Run(ctx context.Context, target Target, ops []Op, cfg Config) (Result, error) {
	mix, byMix, err := cfg.check(target, ops)
	if err != nil {
		return Result{}, err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	total := mix.total()
	rec := &recorder{ops: make([]opRecord, len(mix))}
	samples := make([][][]time.Duration, cfg.Clients) // by client, then op

	start := clock.Wall()
	// The duration stops new requests; the requests themselves run under
	// ctx and their own timeout, so none is cut short for being in flight
	// when the duration is up.
	stop, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var started atomic.Int64
	var clients sync.WaitGroup
	for i := range cfg.Clients {
		own := make([][]time.Duration, len(mix))
		samples[i] = own
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		clients.Go(func() {
			for stop.Err() == nil {
				if cfg.MaxRequests > 0 && started.Add(1) > int64(cfg.MaxRequests) {
					return
				}
				k := mix.pick(rng, total)
				took, err := target.send(ctx, byMix[k], rng, timeout)
				if ctx.Err() != nil {
					return
				}
				if err != nil {
					rec.fail(k, err)
					continue
				}
				rec.succeed()
				own[k] = append(own[k], took)
			}
		})
	}
	done := make(chan struct{})
	var reporter sync.WaitGroup
	if cfg.Progress != nil {
		every := cfg.ProgressEvery
		if every <= 0 {
			every = time.Second
		}
		reporter.Go(func() {
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					n, e := rec.totals()
					cfg.Progress(Progress{Elapsed: clock.Wall().Sub(start), Requests: n, Errors: e})
				}
			}
		})
	}
	clients.Wait()
	elapsed := clock.Wall().Sub(start)
	close(done)
	reporter.Wait()

	res := Result{Clients: cfg.Clients, Elapsed: elapsed, All: OpResult{Name: "all"}}
	var all []time.Duration
	for k, w := range mix {
		var lat []time.Duration
		for _, own := range samples {
			lat = append(lat, own[k]...)
		}
		all = append(all, lat...)
		r := rec.ops[k]
		res.Ops = append(res.Ops, OpResult{
			Name: w.Op, Count: len(lat) + r.errors, Errors: r.errors,
			PerSecond: PerSecond(len(lat), elapsed), Latency: Summarize(lat), ErrorSamples: r.samples,
		})
		res.All.Count += len(lat) + r.errors
		res.All.Errors += r.errors
		for _, s := range r.samples {
			if len(res.All.ErrorSamples) < maxErrorSamples {
				res.All.ErrorSamples = append(res.All.ErrorSamples, w.Op+": "+s)
			}
		}
	}
	res.All.PerSecond = PerSecond(len(all), elapsed)
	res.All.Latency = Summarize(all)
	return res, ctx.Err()
}

// check refuses a config that cannot run, and returns the mix's ops of
// weight more than 0 with the Op of each.
func (cfg Config) check(target Target, ops []Op) (Mix, []Op, error) {
	switch {
	case target.Client == nil:
		return nil, nil, errors.New("loadgen: no HTTP client")
	case target.BaseURL == "":
		return nil, nil, errors.New("loadgen: no base URL")
	case cfg.Clients < 1:
		return nil, nil, fmt.Errorf("loadgen: %d clients; want 1 or more", cfg.Clients)
	case cfg.Duration <= 0:
		return nil, nil, fmt.Errorf("loadgen: a duration of %s; want more than 0", cfg.Duration)
	case cfg.MaxRequests < 0:
		return nil, nil, fmt.Errorf("loadgen: a request cap of %d; want 0 (none) or more", cfg.MaxRequests)
	}
	byName := map[string]Op{}
	for _, op := range ops {
		byName[op.Name] = op
	}
	var mix Mix
	var byMix []Op
	for _, w := range cfg.Mix {
		if w.Weight < 0 {
			return nil, nil, fmt.Errorf("loadgen: %s has a negative weight", w.Op)
		}
		if w.Weight == 0 {
			continue
		}
		op, ok := byName[w.Op]
		if !ok {
			return nil, nil, fmt.Errorf("loadgen: the mix names %s, which is not one of the ops (%s)", w.Op, list(slices.Sorted(maps.Keys(byName))))
		}
		mix = append(mix, w)
		byMix = append(byMix, op)
	}
	if len(mix) == 0 {
		return nil, nil, errors.New("loadgen: the mix sends nothing")
	}
	return mix, byMix, nil
}

// send sends one request of op and returns how long its answer took.
func (t Target) send(ctx context.Context, op Op, rng *rand.Rand, timeout time.Duration) (time.Duration, error) {
	req, err := op.Next(rng)
	if err != nil {
		return 0, err
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(rctx, req.Method, t.BaseURL+req.Path, body)
	if err != nil {
		return 0, err
	}
	if t.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+t.Token)
	}
	if req.Body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	hr.Header.Set("Accept", "application/json")
	start := clock.Wall()
	resp, err := t.Client.Do(hr)
	if err != nil {
		return 0, transportError(err, rctx, timeout)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := clock.Wall().Sub(start)
	if err != nil {
		return took, transportError(err, rctx, timeout)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return took, fmt.Errorf("%s: %s", resp.Status, answerMessage(data))
	}
	if op.Done != nil {
		if err := op.Done(data); err != nil {
			return took, err
		}
	}
	return took, nil
}

// transportError describes a request that got no whole answer. The URL is
// left out, as it names a case and would make every failure of one cause
// look distinct.
func transportError(err error, rctx context.Context, timeout time.Duration) error {
	if errors.Is(rctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no answer within the %s timeout", timeout)
	}
	var u *url.Error
	if errors.As(err, &u) {
		return u.Err
	}
	return err
}

// answerMessage returns what a failed answer says: the message of a JSON
// error body ({"error": {"message": ..., "fields": {...}}}, as Redress's
// API sends, or {"error": "..."} or {"message": "..."}), else the start of
// the body as text.
func answerMessage(body []byte) string {
	var e struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil {
		var detail struct {
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		}
		var text string
		switch {
		case json.Unmarshal(e.Error, &detail) == nil && detail.Message != "":
			msg := detail.Message
			if len(detail.Fields) > 0 {
				var fs []string
				for _, k := range slices.Sorted(maps.Keys(detail.Fields)) {
					fs = append(fs, k+": "+detail.Fields[k])
				}
				msg += " (" + strings.Join(fs, "; ") + ")"
			}
			return msg
		case json.Unmarshal(e.Error, &text) == nil && text != "":
			return text
		case e.Message != "":
			return e.Message
		}
	}
	s := strings.Join(strings.Fields(string(body)), " ")
	if s == "" {
		return "(no body)"
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// recorder counts a phase's answers as they come, for the progress line,
// and keeps each op's first distinct error messages.
type recorder struct {
	requests, errors atomic.Int64
	mu               sync.Mutex
	ops              []opRecord
}

type opRecord struct {
	errors  int
	samples []string
}

func (r *recorder) succeed() { r.requests.Add(1) }

func (r *recorder) fail(k int, err error) {
	r.requests.Add(1)
	r.errors.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	op := &r.ops[k]
	op.errors++
	if msg := err.Error(); len(op.samples) < maxErrorSamples && !slices.Contains(op.samples, msg) {
		op.samples = append(op.samples, msg)
	}
}

func (r *recorder) totals() (requests, errors int) {
	return int(r.requests.Load()), int(r.errors.Load())
}
