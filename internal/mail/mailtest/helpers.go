package mailtest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Clock is a clock the test moves, safe to read from the goroutines the
// code under test starts.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// LogBuffer collects log output from several goroutines, so a test can
// check what was logged (and that no personal data was).
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testBound bounds a whole test's context: several times Bound, since a
// test waits for many things in turn.
const testBound = 5 * time.Minute

// Context ends with the test or after testBound, so a hung server fails
// the test instead of hanging it. Its cause, once it has run out, says
// so.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeoutCause(context.Background(), testBound,
		fmt.Errorf("%s: the test did not finish within %s", t.Name(), testBound))
	t.Cleanup(cancel)
	return ctx
}

// Within returns a context that ends after Bound, or with parent, for a
// wait on one thing, and the cause it ends with names what never
// happened.
func Within(parent context.Context, what string) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(parent, Bound, fmt.Errorf("%s did not happen within %s", what, Bound))
}
