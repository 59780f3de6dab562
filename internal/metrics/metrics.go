// Package metrics is Redress's Prometheus metrics: what an operator
// watches to know the service is answering, writing to its disk in good
// time, sending its mail and reading its feedback mailbox.
//
// A Metrics holds its own registry, never the client library's default
// one, so that two apps in one process (as in the tests) count apart and
// nothing registers itself behind Redress's back. The parts it measures
// know nothing of Prometheus: each offers a plain callback (a commit's
// latency, a message's outcome, a failed sign-in) that the app points at
// a Metrics method, and the store is read on each scrape through a
// narrow interface.
package metrics

import (
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/mail/inbound"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/webui"
)

// Unmatched is the route label of a request no route pattern matched
// (a 404 or 405 answered by a ServeMux itself). The raw path is never a
// label: it can hold a case reference, and every path a client makes up
// would be a new series.
const Unmatched = "unmatched"

// Other is the label of a value a callback was given that is not one of
// those the metric knows, so that a new outcome added elsewhere shows up
// without making the label set unbounded.
const Other = "other"

// Metrics is one app's metrics and the registry they are served from.
type Metrics struct {
	reg      *prometheus.Registry
	log      *slog.Logger
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	commits  prometheus.Histogram
	inbound  *prometheus.CounterVec
	notices  prometheus.Counter
	signIns  *prometheus.CounterVec
}

// inboundOutcomes are the inbound outcomes counted by name; anything
// else is Other.
var inboundOutcomes = append(slices.Clone(store.InboundOutcomes), inbound.OutcomeRepeat, inbound.OutcomeError)

// signInReasons are the sign-in failures counted by name.
var signInReasons = []string{webui.SignInBadCredentials, webui.SignInThrottled, webui.SignInDeactivated}

// New makes the metrics with their own registry, holding the Go
// runtime's and the process's collectors beside Redress's own. log
// receives errors met while gathering (a store that cannot be read); nil
// discards them.
func New(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_http_requests_total",
			Help: "HTTP requests answered, by the route pattern that matched (\"unmatched\" if none) and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "redress_http_request_duration_seconds",
			Help:    "Time taken to answer HTTP requests, by the route pattern that matched.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		// A commit waits for the disk: well under a millisecond on a
		// good SSD with SQLite's write-ahead log, seconds on a volume in
		// trouble.
		commits: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "redress_db_commit_seconds",
			Help:    "Time taken by each database commit (on SQLite, each group commit of several writes).",
			Buckets: prometheus.ExponentialBuckets(0.00025, 2, 15),
		}),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_inbound_mail_total",
			Help: "Messages read from the feedback mailbox, by outcome: case_created, added, ignored, quarantined, repeat (processed before) or error (not recorded; fetched again later).",
		}, []string{"outcome"}),
		notices: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "redress_notices_queued_total",
			Help: "Email notices of case events put in the outbox.",
		}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_sign_in_failures_total",
			Help: "Failed staff sign-ins with a password, by reason: bad_credentials, throttled or deactivated.",
		}, []string{"reason"}),
	}
	// The labels a callback can give start at zero, so that a dashboard
	// shows "none yet" rather than "no data", and rate() sees the first.
	for _, o := range inboundOutcomes {
		m.inbound.WithLabelValues(o)
	}
	for _, r := range signInReasons {
		m.signIns.WithLabelValues(r)
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.commits, m.inbound, m.notices, m.signIns,
	)
	return m
}

// Registry returns the registry the metrics are gathered from.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's text format. A collector
// that fails (the store cannot be read) is logged and left out, and the
// rest are served, so one failing query does not blind the whole scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg,
	})
}

// Instrument counts and times the requests h answers, by route. h must
// be a ServeMux, or pass the *http.Request it is given to one unchanged:
// a ServeMux sets the Pattern of the request it routes, and a mux nested
// in it (the API's, the staff pages', the portal's, each behind
// handlers that pass the request on as it is) sets it again, so once h
// returns the request's Pattern is the innermost route matched. A
// wrapper between them that copied the request would leave the outer
// pattern (such as "/api/"): still a bounded label, only a coarser one.
func (m *Metrics) Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Two readings of the wall clock: their difference is taken on
		// the monotonic clock, whatever skew a test build adds.
		start := clock.Wall()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = Unmatched
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route).Observe(clock.Wall().Sub(start).Seconds())
	})
}

// statusRecorder notes the status a handler answers with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	// An informational answer (103 Early Hints) comes before the real one.
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's own writer
// (to flush, or to set a deadline).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// ObserveCommit records one database commit's latency; it is the
// store's sqldb.Options.ObserveCommit.
func (m *Metrics) ObserveCommit(d time.Duration) { m.commits.Observe(d.Seconds()) }

// InboundObserved counts one message from the feedback mailbox by its
// outcome; it is inbound.Processor.Observed.
func (m *Metrics) InboundObserved(outcome string) {
	if !slices.Contains(inboundOutcomes, outcome) {
		outcome = Other
	}
	m.inbound.WithLabelValues(outcome).Inc()
}

// NoticesQueued counts notices put in the outbox; it is
// notify.Relay.NoticesQueued.
func (m *Metrics) NoticesQueued(n int) { m.notices.Add(float64(n)) }

// SignInFailed counts a failed staff sign-in by its reason; it is
// webui.Server.SignInFailed.
func (m *Metrics) SignInFailed(reason string) {
	if !slices.Contains(signInReasons, reason) {
		reason = Other
	}
	m.signIns.WithLabelValues(reason).Inc()
}
