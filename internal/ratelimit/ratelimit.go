// Package ratelimit is the token-bucket rule behind the residents'
// portal's rate limits: each key (a client's address, a case's
// reference) may make Rate.N requests at once and gets them back evenly
// over Rate.Per. The rule is pure: the bucket and the time are
// parameters, so that storage can keep the buckets where every instance
// of Redress sees them (store.RateLimitStore) and the arithmetic is
// table-tested here.
package ratelimit

import "time"

// Rate is how many requests a key may make at once (N) and how long an
// empty bucket takes to fill again (Per).
type Rate struct {
	N   int
	Per time.Duration
}

// Valid reports whether the rate can be kept: at least one request, over
// a positive time. Anything else would divide by zero or never let a
// request through, which is a mistake in the caller, not a limit.
func (r Rate) Valid() bool { return r.N >= 1 && r.Per > 0 }

// Bucket is what a key has left: Tokens at the instant At. Tokens grow
// back from At on, so a bucket is stored only when it is spent from or
// refunded, never on a timer.
type Bucket struct {
	Tokens float64
	At     time.Time
}

// Level is how many requests bucket b holds at now: its tokens and those
// grown back since b.At, at most r.N. A now before b.At (clocks of two
// instances a little apart) counts as no time at all, so a clock behind
// never takes tokens away nor gives them.
func Level(b Bucket, r Rate, now time.Time) float64 {
	elapsed := now.Sub(b.At)
	if elapsed < 0 {
		elapsed = 0
	}
	n := float64(r.N)
	return min(n, b.Tokens+n*float64(elapsed)/float64(r.Per))
}

// Take spends one request from bucket b at now. A nil b is a key not
// seen (or forgotten once full): a full bucket. It returns the bucket to
// keep, whether the request may go ahead and, if not, how long until
// one will. A refused request spends nothing, but the bucket returned is
// still brought up to now, so that it can be kept either way.
func Take(b *Bucket, r Rate, now time.Time) (next Bucket, ok bool, retry time.Duration) {
	level := float64(r.N)
	if b != nil {
		level = Level(*b, r, now)
	}
	next = Bucket{Tokens: level, At: now}
	if level < 1 {
		return next, false, time.Duration((1 - level) / float64(r.N) * float64(r.Per))
	}
	next.Tokens--
	return next, true, 0
}

// Refund gives back one request spent at or before now, never taking
// the bucket above r.N. It is for limits that count only the tries that
// fail: a try is spent before it is judged, so that tries made at once
// cannot all pass the check, and given back if it was right.
func Refund(b Bucket, r Rate, now time.Time) Bucket {
	return Bucket{Tokens: min(float64(r.N), Level(b, r, now)+1), At: now}
}

// Full reports whether bucket b is full again at now, and so need not be
// kept: a key with no bucket is given a full one.
func Full(b Bucket, r Rate, now time.Time) bool {
	return Level(b, r, now) >= float64(r.N)
}
