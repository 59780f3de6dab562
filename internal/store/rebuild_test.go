package store

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// TestRebuildCanReplayEveryEventKind keeps the rebuild in step with the
// domain: an event kind it cannot decode would make every case holding
// one fail its audit. The created event is not decoded by kind: Rebuild
// takes a case's first event, which must be created, as the case's
// creation, and decodeCommand never sees it.
func TestRebuildCanReplayEveryEventKind(t *testing.T) {
	for _, k := range complaint.EventKinds {
		if k == complaint.EventCreated || k == complaint.EventImported {
			continue
		}
		if _, err := decodeCommand(k, []byte("{}")); err != nil {
			t.Errorf("decodeCommand(%q): %v", k, err)
		}
	}
	if _, err := decodeCommand("no_such_kind", []byte("{}")); err == nil || !strings.Contains(err.Error(), "cannot replay") {
		t.Errorf("decodeCommand of an unknown kind: %v, want that it cannot be replayed", err)
	}
}
