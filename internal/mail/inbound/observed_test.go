package inbound

import (
	"slices"
	"sync"
	"testing"

	"github.com/redresshq/redress/internal/store"
)

// TestEachMessageIsObservedOnceWithWhatBecameOfIt checks the outcomes the
// operator's metrics count: a case opened, a message quarantined (a
// refused file, an unreadable message through the real mailbox, one too
// large to read), a repeat, and a message the store could not record,
// each told once.
func TestEachMessageIsObservedOnceWithWhatBecameOfIt(t *testing.T) {
	r := newRig(t)
	var mu sync.Mutex
	var got []string
	r.proc.Observed = func(outcome string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, outcome)
	}
	taken := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	check := func(what string, want ...string) {
		t.Helper()
		if g := taken(); !slices.Equal(g, want) {
			t.Errorf("%s: observed %q, want %q", what, g, want)
		}
	}

	r.process(newComplaint.raw())
	check("a new complaint", store.InboundCaseCreated)
	r.process(newComplaint.raw())
	check("the same message again", OutcomeRepeat)
	r.process(email{from: "rita@example.org", subject: "Photos", messageID: "<exe.2@mail.example.net>",
		text: "See attached.", files: []file{{name: "photo.jpg", contentType: "image/jpeg", data: exe}}}.raw())
	check("a refused file", store.InboundQuarantined)

	r.mail.send("rita@example.org", malformed)
	if n := r.poll(); n != 1 {
		t.Fatalf("polled %d messages, want 1", n)
	}
	check("an unreadable message from the mailbox", store.InboundQuarantined)

	header := []byte("From: rita@example.org\r\nSubject: Video\r\nMessage-ID: <big.2@mail.example.net>\r\n\r\n")
	if _, err := r.proc.Oversize(r.ctx, header, 40<<20, Origin{Source: "test"}); err != nil {
		t.Fatal(err)
	}
	check("a message too large to read", store.InboundQuarantined)

	down := &failingStore{InboundStore: r.db, fail: true}
	r.proc.Inbound = down
	another := newComplaint
	another.messageID = "<down.1@mail.example.net>"
	if _, err := r.proc.Process(r.ctx, another.raw(), Origin{Source: "test"}); err == nil {
		t.Fatal("a store that is down recorded the message")
	}
	check("a message the store could not record", OutcomeError)
}
