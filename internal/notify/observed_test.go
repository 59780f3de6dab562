package notify_test

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// TestNoticesQueuedIsToldEachBatchAfterItIsRecorded checks the count the
// operator's metrics add up: each batch's notices once, after they are in
// the outbox, and nothing for a run that finds nothing new.
func TestNoticesQueuedIsToldEachBatchAfterItIsRecorded(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London))
	var told []int
	w.relay.NoticesQueued = func(n int) {
		// Told only once they are recorded: the outbox holds them already.
		if unsent, _, err := w.db.OutboxBacklog(w.ctx); err != nil || unsent < n {
			t.Errorf("told of %d notices with %d in the outbox (%v)", n, unsent, err)
		}
		told = append(told, n)
	}
	for range 5 {
		w.create(adaComplaint("phone"))
	}
	w.relay.Batch = 3
	if n := w.relayAfterHold(); n != 5 {
		t.Fatalf("queued %d, want 5", n)
	}
	if want := []int{3, 2}; !slices.Equal(told, want) {
		t.Errorf("told %v, want %v (one call per batch)", told, want)
	}
	told = nil
	if n := w.relayAfterHold(); n != 0 || told != nil {
		t.Errorf("a run with nothing new queued %d and told %v, want nothing", n, told)
	}
}
