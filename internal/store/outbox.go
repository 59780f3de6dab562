package store

import (
	"context"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/complaint"
)

// Outbox statuses. A message is queued until a sender claims it, sending
// while a sender holds its lease, and then sent or, given up on, failed.
// A sending message whose lease has run out is due again: its sender is
// taken to have crashed.
const (
	OutboxQueued  = "queued"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// Limits on what the outbox accepts. Mail servers commonly refuse
// messages over 10 to 25 MB, and base64 makes attachments a third larger
// on the wire, so 10 MB of attachments is the most that is likely to
// arrive anywhere.
const (
	MaxOutboundAttachmentBytes = 10 << 20
	MaxOutboundAttachments     = 20
	MaxOutboundBodyBytes       = 2 << 20
)

// OutboundMessage is one email waiting in, or recorded by, the outbox.
type OutboundMessage struct {
	ID int64
	// CaseRef is the case the message belongs to, by any of its
	// references; empty for mail about no one case, such as a digest.
	CaseRef string
	// To is one address, in net/mail form ("Name <a@b.example>" or
	// "a@b.example").
	To       string
	Subject  string
	TextBody string
	// HTMLBody is an optional alternative to TextBody; the text part is
	// always sent, for the residents whose software reads only that.
	HTMLBody    string
	Attachments []OutboundAttachment
	// Kind says what the message is: "letter", "acknowledgement",
	// "digest" and so on.
	Kind string
	// DedupeKey, if set, is unique: enqueueing a message with a key
	// already in the outbox does nothing and returns the existing
	// message's id, so that a job run twice (a daily digest, a reminder)
	// still sends once.
	DedupeKey string
	// Attempts counts the claims of the message, a claim by a sender
	// that crashed included.
	Attempts int
	// NextAttempt is when the message is next due. Set on Enqueue, it
	// holds a message back until then.
	NextAttempt time.Time
	LastError   string
	Status      string
	QueuedAt    time.Time
	SentAt      time.Time
	// MessageID is the Message-ID header, angle brackets included. A
	// sender sets it when the message is sent; a caller may set it on
	// Enqueue when it needs to know it in advance.
	MessageID string
}

// OutboundAttachment is a file sent with a message.
type OutboundAttachment struct {
	Name        string
	ContentType string
	// Data is the file. Outbox listings leave it nil (the timeline names
	// attachments, it doesn't carry them) and give Size instead.
	Data []byte
	Size int64
}

// Outbox is the durable queue of outbound email. A mail server that is
// down delays mail but never loses it: a message is committed before
// Enqueue returns and leaves the queue only when a sender records that
// the server accepted it, or that it gave up.
//
// Delivery is at least once. A sender that crashes after the server
// accepted a message but before MarkSent sends it again after the lease;
// it keeps its Message-ID, by which receivers recognise the repeat.
type Outbox interface {
	// Enqueue adds a message, queued and due at m.NextAttempt, or at
	// when that is zero. It returns the message's id, or the existing
	// message's id when m.DedupeKey is already in the outbox.
	Enqueue(ctx context.Context, m OutboundMessage, at time.Time) (int64, error)
	// ClaimDue marks up to limit messages that are due at now as sending,
	// each for lease, and returns them, oldest due first, with their
	// attachments. A message whose lease runs out is due again, so the
	// claims of a sender that crashed come back; lease must comfortably
	// exceed the time a sender takes to send a message.
	ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboundMessage, error)
	// MarkSent records that the mail server accepted the message, even
	// one given up on meanwhile by a sender whose lease had run out: the
	// server's acceptance is the fact. Marking a sent message sent again
	// with the same Message-ID does nothing; with another, it conflicts.
	MarkSent(ctx context.Context, id int64, messageID string, at time.Time) error
	// MarkFailed records a failed attempt: the message is due again at
	// next, or, if permanent, is failed and never tried again. A message
	// already sent or failed is a conflict.
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time, permanent bool) error
	// Outbox lists the messages of a case, by any of its references, in
	// the order they were queued, with attachments named but not loaded.
	Outbox(ctx context.Context, caseRef string) ([]OutboundMessage, error)
}

// CheckOutbound returns an invalid-input error naming every field of m
// that the outbox cannot accept.
func CheckOutbound(m OutboundMessage) error {
	fields := map[string]string{}
	bad := func(field, format string, args ...any) {
		if _, ok := fields[field]; !ok {
			fields[field] = fmt.Sprintf(format, args...)
		}
	}
	if m.To == "" {
		bad("to", "is required")
	} else if len(m.To) > 500 {
		bad("to", "must be at most 500 characters")
	} else if a, err := mail.ParseAddress(m.To); err != nil {
		bad("to", "is not an email address")
	} else if at := strings.LastIndexByte(a.Address, '@'); at <= 0 || at == len(a.Address)-1 || len(a.Address) > 254 {
		bad("to", "is not an email address")
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		bad("subject", "is required")
	case utf8.RuneCountInString(m.Subject) > 500:
		bad("subject", "must be at most 500 characters")
	case strings.ContainsFunc(m.Subject, unicode.IsControl):
		bad("subject", "must be one line, without control characters")
	}
	if strings.TrimSpace(m.TextBody) == "" {
		bad("text_body", "is required: every message has a plain-text part")
	}
	for field, body := range map[string]string{"text_body": m.TextBody, "html_body": m.HTMLBody} {
		if len(body) > MaxOutboundBodyBytes {
			bad(field, "must be at most %d MB", MaxOutboundBodyBytes>>20)
		} else if !utf8.ValidString(body) {
			bad(field, "must be UTF-8 text")
		}
	}
	if !validWord(m.Kind, 40) {
		bad("kind", "must be 1 to 40 lower-case letters, digits and underscores")
	}
	if len(m.DedupeKey) > 200 || strings.ContainsFunc(m.DedupeKey, unicode.IsControl) {
		bad("dedupe_key", "must be at most 200 characters, without control characters")
	}
	if len(m.CaseRef) > 40 || strings.ContainsFunc(m.CaseRef, unicode.IsControl) {
		bad("case_ref", "is not a case reference")
	}
	if m.MessageID != "" && !ValidMessageID(m.MessageID) {
		bad("message_id", "must be <local@domain>, at most 250 characters")
	}
	if len(m.Attachments) > MaxOutboundAttachments {
		bad("attachments", "must be at most %d files", MaxOutboundAttachments)
	}
	total := 0
	for i, a := range m.Attachments {
		total += len(a.Data)
		name := fmt.Sprintf("attachments.%d.", i)
		if strings.TrimSpace(a.Name) == "" || utf8.RuneCountInString(a.Name) > 200 ||
			strings.ContainsAny(a.Name, `/\`) || strings.ContainsFunc(a.Name, unicode.IsControl) {
			bad(name+"name", "must be a file name of 1 to 200 characters, without slashes")
		}
		if mt, _, err := mime.ParseMediaType(a.ContentType); err != nil || !strings.Contains(mt, "/") ||
			len(a.ContentType) > 200 || strings.ContainsFunc(a.ContentType, unicode.IsControl) {
			bad(name+"content_type", "must be a media type such as application/pdf")
		}
		if len(a.Data) == 0 {
			bad(name+"data", "is empty")
		}
	}
	if total > MaxOutboundAttachmentBytes {
		bad("attachments", "must be at most %d MB in all", MaxOutboundAttachmentBytes>>20)
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the outbound message has invalid fields", Fields: fields}
	}
	return nil
}

// ValidMessageID reports whether id is a Message-ID as this outbox stores
// it: "<left@right>", printable ASCII without spaces.
func ValidMessageID(id string) bool {
	if len(id) < 5 || len(id) > 250 || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	inner := id[1 : len(id)-1]
	at := strings.IndexByte(inner, '@')
	if at <= 0 || at == len(inner)-1 || strings.Count(inner, "@") != 1 {
		return false
	}
	for _, r := range inner {
		if r <= ' ' || r > '~' || strings.ContainsRune(`<>()[]\,;:"`, r) {
			return false
		}
	}
	return true
}

func validWord(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
