package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// Inbound outcomes: what became of a message that arrived by email.
const (
	// InboundCaseCreated: the message opened a new case.
	InboundCaseCreated = "case_created"
	// InboundAdded: the message was added to an existing case.
	InboundAdded = "added"
	// InboundIgnored: an auto-reply, a bounce or Redress's own mail; no
	// case was opened. Its raw message is kept until pruned.
	InboundIgnored = "ignored"
	// InboundQuarantined: the message could not be handled safely
	// (unparseable, a refused file, a reference from someone not on the
	// case) and waits for a person, raw message and all.
	InboundQuarantined = "quarantined"
)

// InboundOutcomes lists every outcome.
var InboundOutcomes = []string{InboundCaseCreated, InboundAdded, InboundIgnored, InboundQuarantined}

// MaxInboundRaw is the largest raw message an inbound record keeps.
const MaxInboundRaw = 30 << 20

// InboundMessage is the record of one message that arrived by email.
// Every message processed has one, whatever became of it, so that a
// message fetched again is recognised and not processed twice.
//
// The record names the sender by domain only: the full address of a
// handled message is on its case, and of an ignored or quarantined one
// in its raw message, which only managers may download.
type InboundMessage struct {
	ID int64
	// Key identifies the message: its Message-ID, angle brackets
	// included, or "sha256:" and the raw message's hash when it has none.
	// It is unique.
	Key string
	// SHA256 is the hex hash of the raw message.
	SHA256 string
	// Source says where the message was fetched from, such as
	// "INBOX/1712345678/42" (mailbox, UIDVALIDITY, UID).
	Source  string
	Outcome string
	// CaseRef is the case the message opened or was added to.
	CaseRef string
	// Reason says why a message was ignored or quarantined.
	Reason     string
	FromDomain string
	// Subject is kept for ignored and quarantined messages only, so that
	// a person can tell them apart in a list.
	Subject string
	// ArrivedAt is when the mail server received the message;
	// ProcessedAt when Redress recorded what became of it.
	ArrivedAt   time.Time
	ProcessedAt time.Time
	// Raw is the message as it arrived, kept for ignored and quarantined
	// messages until pruned. Listings leave it nil; Size is its length
	// and Kept says whether it is still kept.
	Raw  []byte
	Size int64
	Kept bool
	// ResolvedAt, ResolvedBy and Resolution record the person who dealt
	// with a quarantined message, and how.
	ResolvedAt time.Time
	ResolvedBy string
	Resolution string
}

// ErrInboundRepeat is returned when a message's key is already recorded:
// the message was processed before, and nothing was done this time.
var ErrInboundRepeat = &complaint.Error{Code: complaint.Conflict, Message: "this message has been processed already"}

// InboundFilter selects inbound records for a list.
type InboundFilter struct {
	// Outcome is InboundQuarantined or InboundIgnored.
	Outcome string
	// Resolved includes quarantined messages a person has dealt with.
	Resolved bool
	Limit    int
}

// InboundStore records the mail that arrives at the landlord's feedback
// address. Each method that handles a message records it in the same
// transaction as its effect, so that a message is handled once however
// often it is fetched: if its key is already recorded, nothing changes
// and the error is ErrInboundRepeat.
type InboundStore interface {
	// InboundByKey returns the record of a message, or not_found.
	InboundByKey(ctx context.Context, key string) (InboundMessage, error)
	// RecordInbound records a message that touched no case: ignored or
	// quarantined, with its raw message.
	RecordInbound(ctx context.Context, m InboundMessage) (InboundMessage, error)
	// CreateCaseFromInbound saves a new case from create and, if there are
	// files, applies attach (which records the information_added event
	// naming them) and stores them; and records m as case_created. All in
	// one transaction.
	CreateCaseFromInbound(ctx context.Context, m InboundMessage, create func(NewReference) (complaint.Case, complaint.Event, error), attach Decision, files []Attachment) (complaint.Case, InboundMessage, error)
	// AddInboundInformation applies decide (which records the
	// information_added event) to the case ref, stores the files, and
	// records m as added, in one transaction.
	AddInboundInformation(ctx context.Context, m InboundMessage, ref string, decide Decision, files []Attachment) (complaint.Case, InboundMessage, error)
	// InboundMessages lists records by outcome, newest first, without
	// their raw messages.
	InboundMessages(ctx context.Context, f InboundFilter) ([]InboundMessage, error)
	// InboundMessage returns one record with its raw message, or
	// not_found.
	InboundMessage(ctx context.Context, id int64) (InboundMessage, error)
	// ResolveInbound records that a person dealt with a quarantined
	// message, and how. Resolving one already resolved is a conflict.
	ResolveInbound(ctx context.Context, id int64, by, note string, at time.Time) error
	// PruneInbound forgets the raw messages of records ignored before
	// ignoredBefore and of quarantined messages resolved before
	// resolvedBefore, keeping the records themselves so that the messages
	// are still recognised. It returns how many raw messages it removed.
	PruneInbound(ctx context.Context, ignoredBefore, resolvedBefore time.Time) (int64, error)
}
