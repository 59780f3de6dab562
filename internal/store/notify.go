package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// CaseEvent is an event as the log of every case holds it: its global id,
// which orders all events of all cases, and its case's reference.
type CaseEvent struct {
	ID      int64
	CaseRef string
	Event   complaint.Event
}

// PendingNotice is a message a notice relay has decided on, with the
// survey invitation its link needs, if any. The invitation is stored only
// when the message is new, so a replay leaves no stray links behind.
type PendingNotice struct {
	Message OutboundMessage
	Invite  *SurveyInvite
}

// NotifyStore is what the notice relay (package notify) needs besides
// the Store: a way to read every case's events in the order they were
// recorded, and a cursor saying how far it has read, moved in the same
// transaction as the messages it queues.
//
// Reading events by id is correct only if events become visible in id
// order: an event with a lower id committed after a higher one has been
// read would be skipped. SQLite has one writer, so ids are handed out in
// commit order; a PostgreSQL store must take the audit head's row lock
// (which every event already updates for the hash chain) before it
// allocates the event's id.
type NotifyStore interface {
	// EventsAfter returns up to limit events with an id above after,
	// across every case, in id order, each with its case's reference.
	EventsAfter(ctx context.Context, after int64, limit int) ([]CaseEvent, error)
	// NotifyCursor returns the id of the last event the relay has dealt
	// with.
	NotifyCursor(ctx context.Context) (int64, error)
	// SetNotifyCursor moves the cursor anywhere, to replay events or to
	// skip them; the relay itself moves it with RecordNotices.
	SetNotifyCursor(ctx context.Context, lastEventID int64, at time.Time) error
	// RecordNotices, in one transaction, queues every notice whose
	// DedupeKey (required) is not already in the outbox, stores the
	// survey invitations of those it queues, and moves the cursor from
	// from to to. If the cursor is no longer at from (another relay moved
	// it) it is a conflict error and nothing is saved. It returns how many
	// messages were new.
	RecordNotices(ctx context.Context, from, to int64, notices []PendingNotice, at time.Time) (queued int, err error)
	// EnqueueNew queues, in one transaction, every message whose
	// DedupeKey (required) is not already in the outbox, and returns how
	// many were new.
	EnqueueNew(ctx context.Context, ms []OutboundMessage, at time.Time) (queued int, err error)
}
