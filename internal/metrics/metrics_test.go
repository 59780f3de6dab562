package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/mail/inbound"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/webui"
)

// fakeStore answers the scrape-time queries and counts them.
type fakeStore struct {
	unsent       int
	oldest       time.Time
	overdue      map[int]int
	err          error
	overdueReads atomic.Int64
}

func (f *fakeStore) OutboxBacklog(context.Context) (int, time.Time, error) {
	return f.unsent, f.oldest, f.err
}

func (f *fakeStore) OverdueByStage(context.Context, calendar.Date) (map[int]int, error) {
	f.overdueReads.Add(1)
	return f.overdue, f.err
}

// families gathers m and returns its metric families by name.
func families(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fs {
		out[f.GetName()] = f
	}
	return out
}

// value returns the value of the series of family name whose labels are
// exactly labels (name, value pairs).
func value(t *testing.T, fs map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	f, ok := fs[name]
	if !ok {
		t.Fatalf("no metric %s", name)
	}
	for _, m := range f.GetMetric() {
		var got []string
		for _, l := range m.GetLabel() {
			got = append(got, l.GetName(), l.GetValue())
		}
		if !slices.Equal(got, labels) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

// exercise feeds every metric once, through the callbacks the app gives
// the store, the inbound processor, the relay and the staff sign-in.
func exercise(t *testing.T, m *Metrics) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{ref}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(m.Instrument(mux))
	defer srv.Close()
	for _, path := range []string{"/cases/C-2026-000123", "/nowhere/C-2026-000123"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	m.ObserveCommit(3 * time.Millisecond)
	m.InboundObserved(store.InboundQuarantined)
	m.InboundObserved("something new")
	m.NoticesQueued(4)
	m.SignInFailed(webui.SignInThrottled)
}

func TestInstrumentLabelsByPatternNeverByPath(t *testing.T) {
	m := New(nil)
	exercise(t, m)
	fs := families(t, m)
	if v := value(t, fs, "redress_http_requests_total", "code", "418", "route", "GET /cases/{ref}"); v != 1 {
		t.Errorf("matched request counted %v, want 1", v)
	}
	if v := value(t, fs, "redress_http_requests_total", "code", "404", "route", Unmatched); v != 1 {
		t.Errorf("unmatched request counted %v, want 1", v)
	}
	if v := value(t, fs, "redress_http_request_duration_seconds", "route", "GET /cases/{ref}"); v != 1 {
		t.Errorf("matched request timed %v times, want 1", v)
	}
	for name, f := range fs {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if strings.Contains(l.GetValue(), "C-2026") || strings.Contains(l.GetValue(), "nowhere") {
					t.Errorf("%s has the label %s=%q, from a path", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}

func TestCallbacksCountOnlyKnownLabelValues(t *testing.T) {
	m := New(nil)
	exercise(t, m)
	fs := families(t, m)
	if v := value(t, fs, "redress_inbound_mail_total", "outcome", store.InboundQuarantined); v != 1 {
		t.Errorf("quarantined counted %v, want 1", v)
	}
	if v := value(t, fs, "redress_inbound_mail_total", "outcome", Other); v != 1 {
		t.Errorf("an unknown outcome counted %v as other, want 1", v)
	}
	// Outcomes not seen yet are there at zero.
	if v := value(t, fs, "redress_inbound_mail_total", "outcome", inbound.OutcomeRepeat); v != 0 {
		t.Errorf("repeat counted %v, want 0", v)
	}
	if v := value(t, fs, "redress_notices_queued_total"); v != 4 {
		t.Errorf("notices counted %v, want 4", v)
	}
	if v := value(t, fs, "redress_sign_in_failures_total", "reason", webui.SignInThrottled); v != 1 {
		t.Errorf("throttled sign-ins counted %v, want 1", v)
	}
	if v := value(t, fs, "redress_db_commit_seconds"); v != 1 {
		t.Errorf("commits timed %v, want 1", v)
	}
}

func TestStoreGaugesReadOnScrapeWithOverdueCached(t *testing.T) {
	m := New(nil)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	st := &fakeStore{unsent: 3, oldest: now.Add(-90 * time.Second), overdue: map[int]int{2: 5}}
	m.WatchStore(st, func() time.Time { return now })
	fs := families(t, m)
	if v := value(t, fs, "redress_outbox_messages"); v != 3 {
		t.Errorf("outbox messages %v, want 3", v)
	}
	if v := value(t, fs, "redress_outbox_oldest_message_age_seconds"); v != 90 {
		t.Errorf("oldest message age %v, want 90", v)
	}
	if v := value(t, fs, "redress_cases_overdue", "stage", "2"); v != 5 {
		t.Errorf("stage 2 overdue %v, want 5", v)
	}
	if v := value(t, fs, "redress_cases_overdue", "stage", "1"); v != 0 {
		t.Errorf("stage 1 overdue %v, want 0 (shown though none are)", v)
	}
	st.overdue = map[int]int{2: 6}
	fs = families(t, m)
	if v := value(t, fs, "redress_cases_overdue", "stage", "2"); v != 5 {
		t.Errorf("stage 2 overdue %v on a second scrape at once, want the cached 5", v)
	}
	if n := st.overdueReads.Load(); n != 1 {
		t.Errorf("two scrapes within %s read the overdue cases %d times, want 1", OverdueCacheFor, n)
	}
	st.unsent = 0
	fs = families(t, m)
	if v := value(t, fs, "redress_outbox_messages"); v != 0 {
		t.Errorf("outbox messages %v after the outbox emptied, want 0: it is read on every scrape", v)
	}
}

func TestAStoreThatCannotBeReadIsLoggedAndTheRestServed(t *testing.T) {
	var logs bytes.Buffer
	m := New(slog.New(slog.NewTextHandler(&logs, nil)))
	m.WatchStore(&fakeStore{err: errors.New("database is locked")}, nil)
	m.NoticesQueued(1)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "redress_notices_queued_total 1") {
		t.Errorf("scrape = %d without the other metrics:\n%s", rec.Code, body)
	}
	if strings.Contains(body, "redress_outbox_messages ") {
		t.Error("a gauge that could not be read was served")
	}
	if !strings.Contains(logs.String(), "redress_outbox_messages") || !strings.Contains(logs.String(), "database is locked") {
		t.Errorf("the failure is not logged with the metric and the cause:\n%s", logs.String())
	}
}

// TestTheGrafanaDashboardQueriesOnlyRegisteredMetrics reads the sample
// dashboard's queries and checks each redress_ metric they name is one
// these metrics serve (a histogram's _bucket, _sum and _count series
// included), and that every redress_ metric served has a panel.
func TestTheGrafanaDashboardQueriesOnlyRegisteredMetrics(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana/redress.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Inputs []struct{ Name string } `json:"__inputs"`
		Panels []json.RawMessage       `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	if len(dash.Inputs) != 1 || dash.Inputs[0].Name != "DS_PROMETHEUS" {
		t.Errorf("inputs %+v, want the one datasource input DS_PROMETHEUS", dash.Inputs)
	}
	var exprs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "expr" {
					exprs = append(exprs, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var all any
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	walk(all)
	if len(exprs) == 0 {
		t.Fatal("the dashboard has no queries")
	}

	m := New(nil)
	m.WatchStore(&fakeStore{}, nil)
	exercise(t, m)
	fs := families(t, m)
	served := func(name string) bool {
		if _, ok := fs[name]; ok {
			return true
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if f, ok := fs[strings.TrimSuffix(name, suffix)]; ok && strings.HasSuffix(name, suffix) && f.GetType() == dto.MetricType_HISTOGRAM {
				return true
			}
		}
		return false
	}
	used := map[string]bool{}
	name := regexp.MustCompile(`\bredress_[a-z_]+`)
	for _, e := range exprs {
		for _, n := range name.FindAllString(e, -1) {
			if !served(n) {
				t.Errorf("the dashboard queries %s, which is not served (in %q)", n, e)
			}
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				n = strings.TrimSuffix(n, suffix)
			}
			used[n] = true
		}
	}
	for n := range fs {
		if strings.HasPrefix(n, "redress_") && !used[n] {
			t.Errorf("%s is served but no panel shows it", n)
		}
	}
}
