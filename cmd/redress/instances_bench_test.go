package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store/testdb"
)

// BenchmarkTwoInstancesCreates times durable creates over HTTP through
// two redress serve processes on one PostgreSQL database, from 64
// clients spread over both: what a landlord's busiest hour asks of a
// pair of instances. It reports creates per second and the 50th and
// 99th percentile latencies. The database is the tests' own PostgreSQL
// (fsync off, as for every test server); run with -benchtime=2000x or so.
func BenchmarkTwoInstancesCreates(b *testing.B) {
	dsn := testdb.PostgresDSN(b)
	env := []string{"REDRESS_AUDIT_KEY=" + instancesAuditKey, "REDRESS_NO_NOTICES=1"}
	a := startInstance(b, "A", dsn, env...)
	bb := startInstance(b, "B", dsn, env...)
	urls := []string{a.url, bb.url}
	client := &http.Client{Timeout: bound, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	const clients = 64
	var (
		next      atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		failed    atomic.Int64
		wg        sync.WaitGroup
	)
	b.ResetTimer()
	start := clock.Wall()
	for range clients {
		wg.Go(func() {
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				body := map[string]any{"kind": "complaint", "channel": "web", "summary": fmt.Sprintf("bench create %d: the lift is broken", n),
					"complainant": map[string]any{"name": "Bench Resident", "email": fmt.Sprintf("bench-%d@example.org", n)}}
				t0 := clock.Wall()
				status, _, err := apiDo(client, "POST", urls[n%2]+"/api/v1/cases", body)
				d := clock.Wall().Sub(t0)
				if err != nil || status != http.StatusCreated {
					failed.Add(1)
					continue
				}
				mu.Lock()
				latencies = append(latencies, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := clock.Wall().Sub(start)
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d creates failed", f, b.N)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "creates/s")
	b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "p99-ms")
}
