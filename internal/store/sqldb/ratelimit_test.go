package sqldb_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/ratelimit"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestRateLimitsHoldAcrossInstances checks what keeping the portal's
// rate limits in the database is for: two instances on one database
// share one limit, so 40 takes at once, spread over both, let 5 through
// in all, not 5 each. On PostgreSQL the instances are two stores, two
// connection pools; on SQLite two stores on one file, whose writers
// take turns through the file's lock.
func TestRateLimitsHoldAcrossInstances(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"postgres", testdb.PostgresDSN}, {"sqlite", testdb.SQLiteDSN}} {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn(t)
			var stores [2]*sqldb.DB
			for i := range stores {
				s, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				stores[i] = s
			}
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			rate := ratelimit.Rate{N: 5, Per: time.Hour}
			var wg sync.WaitGroup
			var mu sync.Mutex
			passed := [2]int{}
			var errs []error
			for i := range 40 {
				s := stores[i%2]
				wg.Go(func() {
					ok, _, err := s.TakeRate(context.Background(), "submits", "192.0.2.1", rate, now)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
					} else if ok {
						passed[i%2]++
					}
				})
			}
			wg.Wait()
			if len(errs) > 0 {
				t.Fatalf("%d of 40 takes failed, the first with: %v", len(errs), errs[0])
			}
			if passed[0]+passed[1] != 5 {
				t.Errorf("%d + %d of 40 takes at once through two instances passed, want 5 in all", passed[0], passed[1])
			}
		})
	}
}

// TestRateLimitsForgetFullBuckets checks that the table holds only the
// keys of the last period: a take deletes its limit's buckets last used
// a whole period ago, full again by then, and no other limit's, and
// finds them through the index on (name, at) rather than reading every
// bucket.
func TestRateLimitsForgetFullBuckets(t *testing.T) {
	for _, db := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"postgres", testdb.PostgresDSN}, {"sqlite", testdb.SQLiteDSN}} {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := db.dsn(t)
			s, err := sqldb.Open(ctx, dsn, sqldb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			raw := testdb.Raw(t, dsn)
			t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			rate := ratelimit.Rate{N: 5, Per: time.Hour}
			take := func(name, key string, at time.Time) {
				t.Helper()
				if _, _, err := s.TakeRate(ctx, name, key, rate, at); err != nil {
					t.Fatal(err)
				}
			}
			keys := func(name string) string {
				t.Helper()
				rows, err := raw.QueryContext(ctx, `SELECT key FROM rate_buckets WHERE name = '`+name+`' ORDER BY key`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var ks []string
				for rows.Next() {
					var k string
					if err := rows.Scan(&k); err != nil {
						t.Fatal(err)
					}
					ks = append(ks, k)
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				return strings.Join(ks, " ")
			}

			for _, k := range []string{"a", "b", "c"} {
				take("tracks", k, t0)
			}
			take("forms", "a", t0)
			take("tracks", "d", t0.Add(30*time.Minute))
			if got := keys("tracks"); got != "a b c d" {
				t.Fatalf("buckets kept: %q, want every key taken from", got)
			}
			take("tracks", "e", t0.Add(time.Hour+time.Second))
			if got, want := keys("tracks"), "d e"; got != want {
				t.Errorf("after a take a period on, the buckets kept are %q, want %q", got, want)
			}
			if got := keys("forms"); got != "a" {
				t.Errorf("another limit's buckets kept: %q, want %q: a take sweeps only its own limit", got, "a")
			}

			if db.name == "sqlite" {
				var plan []string
				rows, err := raw.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT key FROM rate_buckets WHERE name = 'tracks' AND at < '2026' ORDER BY at LIMIT 100`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var id, parent, unused int
					var detail string
					if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
						t.Fatal(err)
					}
					plan = append(plan, detail)
				}
				if p := strings.Join(plan, "; "); !strings.Contains(p, "rate_buckets_age") || strings.Contains(p, "TEMP B-TREE") {
					t.Errorf("the sweep's plan is %q: want it to read the index rate_buckets_age in order", p)
				}
			}
		})
	}
}
