package portal_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
	"github.com/redresshq/redress/internal/ratelimit"
	"github.com/redresshq/redress/internal/store"
)

// brokenLimits is the store under test with its rate limits failing, as
// when the database is out of reach, for the limits named in down.
type brokenLimits struct {
	store.Store
	mu   sync.Mutex
	down map[string]bool
}

func (b *brokenLimits) set(names ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down = map[string]bool{}
	for _, n := range names {
		b.down[n] = true
	}
}

func (b *brokenLimits) broken(name string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.down[name]
}

func (b *brokenLimits) TakeRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) (bool, time.Duration, error) {
	if b.broken(name) {
		return false, 0, errors.New("the database is out of reach")
	}
	return b.Store.TakeRate(ctx, name, key, r, now)
}

func (b *brokenLimits) RefundRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) error {
	if b.broken(name + " refund") {
		return errors.New("the database is out of reach")
	}
	return b.Store.RefundRate(ctx, name, key, r, now)
}

// syncBuffer is a log written by the server's goroutines and read by the
// test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRateLimitsFailClosedWhenTheStoreCannotCheckThem checks that a
// limit the store cannot check refuses the request with a 503, never
// lets it through unchecked, and that the log says which limit failed
// without the client's address or the case's reference. A refund that
// fails only leaves the limit stricter, so the request goes on.
func TestRateLimitsFailClosedWhenTheStoreCannotCheckThem(t *testing.T) {
	t.Parallel()
	limits := &brokenLimits{}
	var log syncBuffer
	e := newEnv(t, func(s *portal.Server) {
		s.Drafts = s.Store.(store.PortalStore)
		limits.Store = s.Store
		s.Store = limits
		s.Log = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	const addr = "203.0.113.77"
	c := e.client()
	c.header.Set(clientHeader, addr)
	unavailable := func(what string, r response) {
		t.Helper()
		wantStatus(t, what, r, http.StatusServiceUnavailable)
		wantText(t, what, r, "try again in a few minutes")
	}

	limits.set("tracks")
	unavailable("tracking while its limit cannot be checked",
		c.post("/track", url.Values{"reference": {k.Reference}, "code": {e.trackingCode(k.Reference)}}))
	limits.set("codeTries")
	unavailable("tracking while the reference's limit cannot be checked",
		c.post("/track", url.Values{"reference": {k.Reference}, "code": {e.trackingCode(k.Reference)}}))
	if r := c.get("/track/" + k.Reference); r.Status == http.StatusOK {
		t.Errorf("a tracking try whose limit was not checked opened the case")
	}
	limits.set("links")
	unavailable("a link while the reference's limit cannot be checked", c.post("/track/email", url.Values{"reference": {k.Reference}}))
	if links := e.sentLinks(k.Reference); len(links) != 0 {
		t.Errorf("%d tracking links were sent while their limit could not be checked", len(links))
	}
	limits.set("forms")
	unavailable("a new form while its limit cannot be checked", c.post("/complain/kind", url.Values{"kind": {"unhappy"}}))

	limits.set("codeTries refund")
	c.track(k.Reference)

	logged := log.String()
	for _, name := range []string{"tracks", "codeTries", "links", "forms"} {
		if !strings.Contains(logged, `msg="rate limit could not be checked" limit=`+name) {
			t.Errorf("the log does not say the %s limit could not be checked:\n%s", name, logged)
		}
	}
	if !strings.Contains(logged, `msg="rate limit refund failed" limit=codeTries`) {
		t.Errorf("the log does not say the refund failed:\n%s", logged)
	}
	for _, personal := range []string{addr, k.Reference} {
		if strings.Contains(logged, personal) {
			t.Errorf("the log names %q:\n%s", personal, logged)
		}
	}
}
