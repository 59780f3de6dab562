package portal

import (
	"context"
	"net/http"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/ratelimit"
)

// rateLimit is one of the portal's limits: its name, under which the
// store keeps its buckets (store.RateLimitStore), and its rate. The
// buckets are in the database, so every instance on it shares them and a
// restart keeps them.
type rateLimit struct {
	name string
	rate ratelimit.Rate
}

func hourly(name string, n int) rateLimit {
	return rateLimit{name: name, rate: ratelimit.Rate{N: n, Per: time.Hour}}
}

// errLimitUnchecked is what a request is told when its limit could not
// be checked. The limits fail closed: a request is never let through
// unchecked, since then an outage of the database would lift them.
var errLimitUnchecked = complaint.Errorf(complaint.Unavailable, "the service cannot take this just now; try again in a few minutes")

// limit spends one of the client's requests from l, or returns the error
// that shows the too-many-requests page.
func (s *Server) limit(l rateLimit, r *http.Request) error {
	ok, retry, err := s.take(r.Context(), l, s.ClientAddr(r), s.Now())
	if err != nil {
		return err
	}
	if !ok {
		s.Log.WarnContext(r.Context(), "rate limited", "limit", l.name, "path", logPath(r.URL.Path))
		return &tooMany{retry: retry}
	}
	return nil
}

// take spends one of key's requests from l at now. The store's error is
// logged here, naming the limit but not the key (a client's address or a
// case's reference), and the request is told only errLimitUnchecked.
func (s *Server) take(ctx context.Context, l rateLimit, key string, now time.Time) (bool, time.Duration, error) {
	ok, retry, err := s.Store.TakeRate(ctx, l.name, key, l.rate, now)
	if err != nil {
		s.Log.ErrorContext(ctx, "rate limit could not be checked", "limit", l.name, "err", err)
		return false, 0, errLimitUnchecked
	}
	return ok, retry, nil
}

// refund gives key one request of l back at now. A refund that fails
// only leaves the limit stricter than it should be, so it is logged and
// the request goes on.
func (s *Server) refund(ctx context.Context, l rateLimit, key string, now time.Time) {
	if err := s.Store.RefundRate(ctx, l.name, key, l.rate, now); err != nil {
		s.Log.ErrorContext(ctx, "rate limit refund failed", "limit", l.name, "err", err)
	}
}
