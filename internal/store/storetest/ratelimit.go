package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/ratelimit"
	"github.com/redresshq/redress/internal/store"
)

// testRateLimits checks the portal's rate limits as storage keeps them:
// the token-bucket rule of package ratelimit, applied to buckets kept in
// the store, with takes at once from many connections letting exactly N
// through. (That several instances on one database share the limit is
// checked in sqldb's TestRateLimitsHoldAcrossInstances, which opens two
// stores on one database; that full buckets' rows are deleted, which the
// interface cannot see, in its TestRateLimitsForgetFullBuckets.)
func testRateLimits(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	hourly5 := ratelimit.Rate{N: 5, Per: time.Hour}

	// takes takes n times from name and key at now and returns how many
	// passed and the last refusal's retry.
	takes := func(t *testing.T, name, key string, n int, now time.Time) (passed int, retry time.Duration) {
		t.Helper()
		for range n {
			ok, rt, err := s.TakeRate(ctx, name, key, hourly5, now)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				passed++
			} else {
				retry = rt
			}
		}
		return passed, retry
	}
	near := func(got, want time.Duration) bool { return got > want-time.Second && got < want+time.Second }

	t.Run("N takes pass, then one is refused until a token is back", func(t *testing.T) {
		if passed, _ := takes(t, "submits", "10.0.0.1", 5, t0); passed != 5 {
			t.Fatalf("%d of 5 takes passed, want all", passed)
		}
		passed, retry := takes(t, "submits", "10.0.0.1", 1, t0)
		if passed != 0 || !near(retry, 12*time.Minute) {
			t.Errorf("the sixth take: passed %d, retry %v; want refused, retry 12m (an hour over 5)", passed, retry)
		}
		if _, retry := takes(t, "submits", "10.0.0.1", 1, t0.Add(9*time.Minute)); !near(retry, 3*time.Minute) {
			t.Errorf("9 minutes later the retry is %v, want 3m", retry)
		}
	})

	t.Run("tokens come back evenly over the period, up to N", func(t *testing.T) {
		takes(t, "tracks", "10.0.0.2", 5, t0)
		if passed, _ := takes(t, "tracks", "10.0.0.2", 2, t0.Add(12*time.Minute)); passed != 1 {
			t.Errorf("12 minutes after emptying, %d takes passed, want 1", passed)
		}
		if passed, _ := takes(t, "tracks", "10.0.0.2", 7, t0.Add(5*time.Hour)); passed != 5 {
			t.Errorf("hours later, %d of 7 takes passed, want 5: no more than N come back", passed)
		}
	})

	t.Run("a refund gives one back but never above N", func(t *testing.T) {
		takes(t, "codeTries", "C-2026-000001", 5, t0)
		if err := s.RefundRate(ctx, "codeTries", "C-2026-000001", hourly5, t0); err != nil {
			t.Fatal(err)
		}
		if passed, _ := takes(t, "codeTries", "C-2026-000001", 2, t0); passed != 1 {
			t.Errorf("after a refund to an empty bucket %d takes passed, want 1", passed)
		}

		takes(t, "codeTries", "C-2026-000002", 1, t0)
		for range 3 {
			if err := s.RefundRate(ctx, "codeTries", "C-2026-000002", hourly5, t0); err != nil {
				t.Fatal(err)
			}
		}
		if passed, _ := takes(t, "codeTries", "C-2026-000002", 7, t0); passed != 5 {
			t.Errorf("after three refunds of one take, %d of 7 takes passed, want 5", passed)
		}

		if err := s.RefundRate(ctx, "codeTries", "C-2026-000003", hourly5, t0); err != nil {
			t.Errorf("refunding a key never taken from: %v", err)
		}
		if passed, _ := takes(t, "codeTries", "C-2026-000003", 7, t0); passed != 5 {
			t.Errorf("after a refund to a key never taken from, %d of 7 takes passed, want 5", passed)
		}
	})

	t.Run("keys and names are independent", func(t *testing.T) {
		takes(t, "forms", "10.0.0.3", 6, t0)
		if passed, _ := takes(t, "forms", "10.0.0.4", 6, t0); passed != 5 {
			t.Errorf("another key of the same limit: %d of 6 passed, want 5", passed)
		}
		if passed, _ := takes(t, "links", "10.0.0.3", 6, t0); passed != 5 {
			t.Errorf("the same key in another limit: %d of 6 passed, want 5", passed)
		}
	})

	t.Run("forgetting full buckets leaves the others as they were", func(t *testing.T) {
		takes(t, "sweep", "old", 5, t0)
		takes(t, "sweep", "live", 5, t0.Add(40*time.Minute))
		later := t0.Add(time.Hour + time.Minute)
		// This take forgets "old", full again, and must not touch
		// "live", which has 1.75 tokens at later.
		takes(t, "sweep", "another", 1, later)
		if passed, _ := takes(t, "sweep", "old", 6, later); passed != 5 {
			t.Errorf("a bucket a period after it emptied: %d of 6 passed, want 5", passed)
		}
		if passed, _ := takes(t, "sweep", "live", 3, later); passed != 1 {
			t.Errorf("a bucket emptied 21 minutes before: %d of 3 passed, want 1", passed)
		}
	})

	t.Run("takes at once let exactly N through", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		passed := 0
		var errs []error
		for range 40 {
			wg.Go(func() {
				ok, _, err := s.TakeRate(ctx, "submits", "10.0.0.9", hourly5, t0)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				} else if ok {
					passed++
				}
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("%d of 40 takes at once failed, the first with: %v", len(errs), errs[0])
		}
		if passed != 5 {
			t.Errorf("%d of 40 takes at once passed, want exactly 5", passed)
		}
	})

	t.Run("an invalid rate is an error, not a limit", func(t *testing.T) {
		if _, _, err := s.TakeRate(ctx, "submits", "10.0.0.10", ratelimit.Rate{N: 0, Per: time.Hour}, t0); err == nil {
			t.Error("a rate of 0 an hour was taken from without an error")
		}
		if err := s.RefundRate(ctx, "submits", "10.0.0.10", ratelimit.Rate{N: 5}, t0); err == nil {
			t.Error("a rate of 5 in no time was refunded without an error")
		}
	})
}
