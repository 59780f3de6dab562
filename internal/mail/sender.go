package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
)

// Sender sends one message at a time over SMTP, on a connection of its
// own. It is safe for concurrent use.
type Sender struct {
	cfg    Config
	from   *mail.Address
	domain string
	client *gomail.Client
	// Clock gives the Date header; nil means clock.Wall.
	Clock func() time.Time
	// FromName, if set, gives the display name of the From header at the
	// time of sending: the landlord's name (package brand), so that the
	// name a resident sees in their inbox follows the letterhead rather
	// than the name written into the mail settings. The address is
	// always the configured one. An empty name leaves From as configured.
	FromName func(ctx context.Context) string
}

// NewSender checks cfg and returns a Sender for it. It does not connect.
func NewSender(cfg Config) (*Sender, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, err
	}
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch cfg.Security {
	case TLS:
		opts = append(opts, gomail.WithSSL())
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case None:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.HeloName != "" {
		opts = append(opts, gomail.WithHELO(cfg.HeloName))
	}
	if cfg.Username != "" {
		// Over TLS, take the strongest mechanism the server offers. In
		// plain text (localhost only, see Check) go-mail offers nothing
		// but PLAIN, which it allows to localhost.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.Security == None {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail client: %w", err)
	}
	return &Sender{cfg: cfg, from: from, domain: domainOf(from.Address), client: client}, nil
}

// SendError is a failed send, classified for the outbox. Its text names
// the recipient by domain only, so it may be logged and stored.
type SendError struct {
	// Permanent is set when the server refused this message for good: a
	// 5xx reply to RCPT TO or to the message itself. Trying again would
	// fail the same way.
	Permanent bool
	// Unreachable is set when no message could be offered: the server
	// could not be reached, or refused the connection, TLS, the login or
	// the sender. Every message fails alike until that is put right, and
	// a 5xx reply to a login is a setting to fix, not a reason to drop
	// mail, so it is never permanent.
	Unreachable bool
	text        string
	err         error
}

func (e *SendError) Error() string { return e.text }

// Unwrap returns the error from go-mail, whose text may hold the full
// recipient address.
func (e *SendError) Unwrap() error { return e.err }

// Send sends m and returns its Message-ID, angle brackets included. The
// Message-ID is m.MessageID if set, or else derived from the message's
// outbox id, queue time and recipient, so every attempt at a message
// carries the same Message-ID and a receiver can recognise a repeat
// after a sender crashed between the server's acceptance and MarkSent.
// Errors are *SendError.
func (s *Sender) Send(ctx context.Context, m store.OutboundMessage) (string, error) {
	id := m.MessageID
	if id == "" {
		id = s.messageID(m)
	}
	from := s.from
	if s.FromName != nil {
		if name := s.FromName(ctx); name != "" {
			from = &mail.Address{Name: name, Address: s.from.Address}
		}
	}
	msg, err := s.compose(m, from, id)
	if err != nil {
		return "", s.classify(err, m.To)
	}
	err = s.client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server took the message; an error after that (closing the
		// session) must not send it twice.
		return id, nil
	}
	if err == nil {
		err = errors.New("the server did not confirm delivery")
	}
	return "", s.classify(err, m.To)
}

// automatic reports whether mail of a kind is sent by Redress itself
// rather than written by a person: it carries Auto-Submitted, so that
// out-of-office replies and mailing lists leave it alone (RFC 3834).
// Letters and replies are written by officers.
func automatic(kind string) bool {
	switch kind {
	case "letter", "reply", "message":
		return false
	}
	return true
}

func (s *Sender) compose(m store.OutboundMessage, from *mail.Address, messageID string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	if err := msg.EnvelopeFrom(from.Address); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, permanentf("the recipient is not an email address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(messageID, "<"), ">"))
	now := clock.Wall
	if s.Clock != nil {
		now = s.Clock
	}
	msg.SetDateWithValue(now())
	msg.SetUserAgent("Redress")
	if automatic(m.Kind) {
		msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
		msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.TextBody)
	if m.HTMLBody != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTMLBody)
	}
	for _, a := range m.Attachments {
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
	}
	return msg, nil
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// messageID returns the Message-ID of m: 128 bits of a hash of what
// identifies m in the outbox, or random bits for a message from nowhere.
func (s *Sender) messageID(m store.OutboundMessage) string {
	var sum [32]byte
	if m.ID == 0 {
		rand.Read(sum[:])
	} else {
		sum = sha256.Sum256(fmt.Appendf(nil, "redress outbox\x00%d\x00%s\x00%s\x00%s", m.ID, store.FormatTime(m.QueuedAt), m.To, m.DedupeKey))
	}
	return "<" + strings.ToLower(idEncoding.EncodeToString(sum[:16])) + "@" + s.domain + ">"
}

type permanentError struct{ error }

func permanentf(format string, args ...any) error {
	return permanentError{fmt.Errorf(format, args...)}
}

// classify turns an error from composing or sending to recipient into a
// *SendError.
func (s *Sender) classify(err error, recipient string) *SendError {
	e := &SendError{err: err, text: redact(err.Error(), recipient)}
	var perm permanentError
	var se *gomail.SendError
	switch {
	case errors.As(err, &perm):
		e.Permanent = true
	case errors.As(err, &se):
		code := se.ErrorCode()
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrGetRcpts:
			e.Permanent = code >= 500 && code < 600 || se.Reason == gomail.ErrGetRcpts
		case gomail.ErrConnCheck, gomail.ErrSMTPMailFrom, gomail.ErrGetSender:
			// The session failed, or the server will not take mail from
			// this sender: no message would fare better.
			e.Unreachable = true
		}
	default:
		// Dialling, EHLO, STARTTLS or AUTH failed: nothing was offered.
		e.Unreachable = true
	}
	return e
}

// redact replaces the recipient's address in text by its domain, so that
// errors may be logged and shown without the address.
func redact(text, recipient string) string {
	addr := recipient
	if a, err := mail.ParseAddress(recipient); err == nil {
		addr = a.Address
	}
	if addr == "" {
		return text
	}
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(addr))
	return re.ReplaceAllLiteralString(text, "…@"+domainOf(addr))
}
