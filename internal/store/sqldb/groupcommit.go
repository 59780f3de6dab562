package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redresshq/redress/internal/clock"
)

// committer runs SQLite's write transactions several to a commit (group
// commit). SQLite has one writer and each commit waits for the disk
// (synchronous=FULL), so writers arriving together used to queue for a
// sync each: 64 clients were no faster than one. The committer takes the
// first write waiting, then every other write already waiting (up to
// maxBatch), runs them one after another in one transaction, each in a
// savepoint of its own, and commits once. Each write is still all or
// nothing: one that fails is rolled back to its savepoint and answered
// with its error, and its neighbours go on. Every caller is answered only
// after the shared commit is on disk, with the commit's error if it
// failed, so a write acknowledged is a write stored.
//
// Nothing waits for company: a write arriving alone is committed at once,
// and a batch is only what queued while the previous commit was syncing.
// References, versions, the audit chain and event order are what they
// would be had the writes run one transaction each, in the order the
// committer took them.
//
// PostgreSQL needs none of this: its writers commit in parallel from a
// pool of connections, and the database groups their syncs itself.
type committer struct {
	w    *sql.DB
	reqs chan *commitReq
	quit chan struct{}
	// stopped is closed when the loop has ended.
	stopped chan struct{}
	// mu is held for reading while a write is queued and for writing
	// while the committer is closed, so that no write can be queued after
	// the loop has taken the last one: it would never be answered.
	mu     sync.RWMutex
	closed bool
	// commits counts the transactions committed, for tests.
	commits atomic.Int64
	// observe, if set, is told each commit's latency (Options.ObserveCommit).
	observe func(time.Duration)
}

// maxBatch bounds the writes in one commit, so the first of them never
// waits long behind a queue that keeps growing.
const maxBatch = 64

// errStoreClosed answers a write that came after Close.
var errStoreClosed = errors.New("the store is closed")

type commitReq struct {
	ctx context.Context
	fn  func(context.Context, *sql.Tx) error
	err error
	// answered is closed when err is final.
	answered chan struct{}
}

func newCommitter(w *sql.DB, observe func(time.Duration)) *committer {
	c := &committer{w: w, observe: observe, reqs: make(chan *commitReq, maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// do runs fn in a transaction shared with other writes and returns once
// that transaction has committed (nil) or fn's or the commit's error.
// fn is given a context that is not cancelled with ctx: a write interrupted
// halfway would end SQLite's whole transaction, its neighbours' writes
// with it. A write whose ctx is done before it starts is not run.
func (c *committer) do(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	r := &commitReq{ctx: ctx, fn: fn, answered: make(chan struct{})}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return errStoreClosed
	}
	select {
	case c.reqs <- r:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	// Once queued it is answered, whatever ctx does: it may be committed.
	<-r.answered
	return r.err
}

// close stops the loop after the batch in hand and answers any write
// still queued.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.quit)
	}
	c.mu.Unlock()
	<-c.stopped
}

func (c *committer) run() {
	defer close(c.stopped)
	for {
		select {
		case r := <-c.reqs:
			c.batch(r)
		case <-c.quit:
			for {
				select {
				case r := <-c.reqs:
					r.err = errStoreClosed
					close(r.answered)
				default:
					return
				}
			}
		}
	}
}

// batch runs first and whatever else is waiting in one transaction.
func (c *committer) batch(first *commitReq) {
	ctx := context.Background()
	var done []*commitReq
	answer := func(err error) {
		for _, r := range done {
			if r.err == nil && err != nil {
				r.err = err
			}
			close(r.answered)
		}
	}
	done = append(done, first)
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		answer(err)
		return
	}
	// The first write runs without a savepoint: if it fails, the
	// transaction is rolled back with nothing else in it.
	if first.err = call(tx, first); first.err != nil {
		tx.Rollback()
		answer(nil)
		return
	}
	for len(done) < maxBatch {
		var r *commitReq
		select {
		case r = <-c.reqs:
		default:
		}
		if r == nil {
			break
		}
		done = append(done, r)
		if err := c.savepoint(tx, r); err != nil {
			// The transaction itself failed (a full disk, say): none of
			// the batch is stored.
			tx.Rollback()
			answer(fmt.Errorf("the transaction this change shared with others failed: %w", err))
			return
		}
	}
	if err := timedCommit(tx, c.observe); err != nil {
		answer(fmt.Errorf("commit: %w", err))
		return
	}
	c.commits.Add(1)
	answer(nil)
}

// timedCommit commits tx and, if observe is set, tells it how long the
// commit took, failed or not: a commit that fails slowly is as much a
// sign of a struggling disk as one that succeeds slowly. The two readings
// of clock.Wall carry the monotonic clock, so the duration is true even
// in builds whose wall clock is skewed.
func timedCommit(tx *sql.Tx, observe func(time.Duration)) error {
	if observe == nil {
		return tx.Commit()
	}
	start := clock.Wall()
	err := tx.Commit()
	observe(clock.Wall().Sub(start))
	return err
}

// call runs r's fn in tx, unless r's caller has gone already, and turns a
// panic into r's error, so that one bad write cannot stop the writer.
func call(tx *sql.Tx, r *commitReq) (err error) {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in a store write: %v\n%s", p, debug.Stack())
		}
	}()
	return r.fn(context.WithoutCancel(r.ctx), tx)
}

// savepoint runs r in a savepoint of tx, rolled back to if r fails, and
// returns an error only if tx can no longer be used.
func (c *committer) savepoint(tx *sql.Tx, r *commitReq) error {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
		r.err = err
		return err
	}
	if r.err = call(tx, r); r.err != nil {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO w`); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `RELEASE w`)
	return err
}
