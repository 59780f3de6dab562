package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
)

// Transport sends one message and returns its Message-ID. *Sender is the
// Transport over SMTP; its errors are *SendError, and any other error is
// taken as a failure worth retrying.
type Transport interface {
	Send(ctx context.Context, m store.OutboundMessage) (messageID string, err error)
}

// Defaults of a Dispatcher's zero fields.
const (
	DefaultBatch       = 20
	DefaultLease       = 10 * time.Minute
	DefaultFirstRetry  = time.Minute
	DefaultMaxRetry    = 6 * time.Hour
	DefaultGiveUpAfter = 72 * time.Hour
)

// Dispatcher moves mail from the outbox to the mail server: it claims
// the due messages, sends each and records the outcome. A failed message
// is tried again after a back-off that doubles from FirstRetry to
// MaxRetry, less up to a fifth at random so that a recovering server is
// not met by every message at once. A message is failed for good when
// the server refuses it permanently (a 5xx reply to it) or when it has
// waited GiveUpAfter since it was queued.
//
// Several dispatchers, in one process or several, may share an outbox:
// a claim is exclusive until its lease ends, so Lease must comfortably
// exceed the time to send one batch.
type Dispatcher struct {
	Outbox store.Outbox
	Sender Transport
	// Logger defaults to discarding.
	Logger *slog.Logger
	// Clock defaults to clock.Wall.
	Clock func() time.Time

	Batch       int           // messages claimed at a time
	Lease       time.Duration // how long a claim lasts
	FirstRetry  time.Duration // the back-off after a first failure
	MaxRetry    time.Duration // the longest back-off
	GiveUpAfter time.Duration // how long a message may wait in all

	wakeOnce sync.Once
	wakeCh   chan struct{}
}

func (d *Dispatcher) now() time.Time {
	if d.Clock != nil {
		return d.Clock()
	}
	return clock.Wall()
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Backoff returns how long to wait after the attempts-th failure of a
// message: FirstRetry doubled for each earlier failure, at most MaxRetry,
// less up to a fifth at random.
func (d *Dispatcher) Backoff(attempts int) time.Duration {
	first, most := orDefault(d.FirstRetry, DefaultFirstRetry), orDefault(d.MaxRetry, DefaultMaxRetry)
	wait := first
	for i := 1; i < attempts && wait < most; i++ {
		wait *= 2
	}
	wait = min(wait, most)
	return wait - rand.N(wait/5+1)
}

// recordTimeout bounds recording one outcome.
const recordTimeout = 30 * time.Second

// recording returns the context to record an outcome in. It outlives
// ctx, by at most recordTimeout: a message the server accepted must be
// marked sent even while the process stops, or it would be sent again.
func recording(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}

// RunOnce sends the mail that is due: batch after batch until none is
// left, or until the server is found unreachable, when the rest of the
// batch waits its back-off without being tried. It returns how many
// messages were sent and how many failed; err reports only a failure of
// the outbox itself.
func (d *Dispatcher) RunOnce(ctx context.Context) (sent, failed int, err error) {
	batch := orDefault(d.Batch, DefaultBatch)
	lease := orDefault(d.Lease, DefaultLease)
	log := d.logger()
	var errs []error
	for ctx.Err() == nil {
		ms, err := d.Outbox.ClaimDue(ctx, d.now(), batch, lease)
		if err != nil {
			return sent, failed, errors.Join(append(errs, fmt.Errorf("claim outbound mail: %w", err))...)
		}
		var down *SendError
		held := 0
		for i, m := range ms {
			if ctx.Err() != nil {
				// Stopping: hand back what was not tried, due at once,
				// rather than leave it until the lease runs out.
				for _, rest := range ms[i:] {
					rec, cancel := recording(ctx)
					errs = append(errs, d.Outbox.MarkFailed(rec, rest.ID, rest.LastError, d.now(), false))
					cancel()
				}
				break
			}
			if down != nil {
				failed++
				held++
				errs = append(errs, d.fail(ctx, m, down, false))
				continue
			}
			id, sendErr := d.Sender.Send(ctx, m)
			if sendErr == nil {
				sent++
				rec, cancel := recording(ctx)
				err := d.Outbox.MarkSent(rec, m.ID, id, d.now())
				cancel()
				if err != nil {
					log.Error("mail sent but not recorded: it may be sent again", "outbox_id", m.ID, "message_id", id, "error", err)
					errs = append(errs, fmt.Errorf("record message %d sent: %w", m.ID, err))
					continue
				}
				log.Info("mail sent", "outbox_id", m.ID, "message_id", id, "kind", m.Kind, "to_domain", domainOf(m.To), "attempts", m.Attempts)
				continue
			}
			failed++
			var se *SendError
			if !errors.As(sendErr, &se) {
				se = &SendError{text: redact(sendErr.Error(), m.To), err: sendErr}
			}
			errs = append(errs, d.fail(ctx, m, se, true))
			if se.Unreachable {
				down = se
			}
		}
		if down != nil {
			if held > 0 {
				log.Warn("mail server unavailable: messages wait their back-off untried", "untried", held, "error", down.Error())
			}
			break
		}
		if len(ms) < batch {
			break
		}
	}
	return sent, failed, errors.Join(errs...)
}

// fail records a failed attempt at m: permanent if the server said so or
// m has waited too long, else due again after its back-off.
func (d *Dispatcher) fail(ctx context.Context, m store.OutboundMessage, se *SendError, tried bool) error {
	now := d.now()
	text := se.Error()
	if !tried {
		text = "not tried, the server being unavailable: " + text
	}
	permanent := se.Permanent
	if giveUp := orDefault(d.GiveUpAfter, DefaultGiveUpAfter); !permanent && now.Sub(m.QueuedAt) >= giveUp {
		permanent = true
		text = fmt.Sprintf("gave up after %d attempts over %s: %s", m.Attempts, giveUp, text)
	}
	next := now.Add(d.Backoff(m.Attempts))
	rec, cancel := recording(ctx)
	defer cancel()
	if err := d.Outbox.MarkFailed(rec, m.ID, text, next, permanent); err != nil {
		d.logger().Error("mail failure not recorded", "outbox_id", m.ID, "error", err)
		return fmt.Errorf("record message %d failed: %w", m.ID, err)
	}
	args := []any{"outbox_id", m.ID, "kind", m.Kind, "to_domain", domainOf(m.To), "attempts", m.Attempts, "error", text}
	switch {
	case permanent:
		d.logger().Error("mail failed for good", args...)
	case tried:
		d.logger().Warn("mail failed, will retry", append(args, "next_attempt", next)...)
	}
	return nil
}

func (d *Dispatcher) wake() chan struct{} {
	d.wakeOnce.Do(func() { d.wakeCh = make(chan struct{}, 1) })
	return d.wakeCh
}

// Wake asks a running Run to look for due mail now rather than at its
// next tick, for example just after a message was queued.
func (d *Dispatcher) Wake() {
	select {
	case d.wake() <- struct{}{}:
	default:
	}
}

// Run sends due mail every interval, and when woken, until ctx ends.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("outbound mail", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake():
		}
	}
}
