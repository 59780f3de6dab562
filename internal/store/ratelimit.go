package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/ratelimit"
)

// RateLimitStore keeps the residents' portal's rate limits: a token
// bucket (ratelimit.Bucket) per limit name and key, such as "submits"
// and a client's address, or "codeTries" and a case's reference. They
// are kept in the database rather than in one process's memory so that
// several instances on one database share one limit, not one each, and
// a restart does not give everyone a fresh allowance. Store embeds it;
// the portal is its consumer.
//
// Keys are personal data (addresses, references), so implementations
// name neither in their errors. A bucket full again (one last used a
// whole Rate.Per ago) is forgotten, so the table holds only the keys of
// the last period; a key with no bucket has a full one.
type RateLimitStore interface {
	// TakeRate spends one request of the bucket name and key at now
	// under rate r, or says how long until it would have one
	// (ratelimit.Take). The read and the write are one transaction with
	// the bucket locked, so that however many takes arrive at once, from
	// any number of connections or instances, no more than r.N pass. An
	// invalid rate (ratelimit.Rate.Valid) is an error.
	TakeRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) (ok bool, retry time.Duration, err error)
	// RefundRate gives one request back to the bucket name and key at
	// now, never above r.N (ratelimit.Refund), for limits that count
	// only the tries that fail. A key with no bucket is full already and
	// is left so.
	RefundRate(ctx context.Context, name, key string, r ratelimit.Rate, now time.Time) error
}
