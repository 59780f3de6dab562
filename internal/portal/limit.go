package portal

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a client's address, or a case
// reference), held in memory: each key may have n requests at once and
// gets them back evenly over per.
// It forgets buckets that have filled up again, so its size follows the
// clients of the last period. Being in memory, a restart resets it, and
// several instances each keep their own: it slows abuse down, it is not
// an account of it.
type limiter struct {
	mu      sync.Mutex
	n       float64
	per     time.Duration
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(n int, per time.Duration) *limiter {
	return &limiter{n: float64(n), per: per, buckets: map[string]*bucket{}}
}

// allow spends one request of key's at now, or says how long until it
// has one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.per {
		for k, b := range l.buckets {
			if l.level(b, now) >= l.n {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.n, at: now}
		l.buckets[key] = b
	}
	b.tokens, b.at = l.level(b, now), now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.n * float64(l.per))
	}
	b.tokens--
	return true, 0
}

// refund gives key back one request spent at or before now, for limits
// that count only the tries that fail: the try is spent before it is
// judged, so that tries made at once cannot all pass the check, and given
// back if it was right.
func (l *limiter) refund(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens, b.at = min(l.n, l.level(b, now)+1), now
	}
}

// level is how many requests the bucket holds at now.
func (l *limiter) level(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.at)
	if elapsed < 0 {
		elapsed = 0
	}
	return min(l.n, b.tokens+l.n*float64(elapsed)/float64(l.per))
}
