package inbound

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/store"
)

// Defaults of a Poller's zero fields.
const (
	DefaultMailbox  = "INBOX"
	DefaultInterval = time.Minute
	DefaultTimeout  = 30 * time.Second
)

// Poller fetches new mail from an IMAP mailbox and hands each message to
// a Processor. A message is new while it lacks the \Seen flag; it is
// marked \Seen (and moved to MoveTo, if that mailbox exists) only after
// the Processor has committed what became of it, so a crash or a lost
// connection leaves it to be fetched again, and the Processor's record
// of every message makes the second time do nothing. Messages are
// fetched with BODY.PEEK, which does not mark them seen.
//
// Messages over MaxSize are not downloaded: their header is quarantined
// and they stay in the mailbox, marked seen, for a person.
type Poller struct {
	// Addr is the server's host:port, usually port 993 for TLS and 143
	// for STARTTLS.
	Addr string
	// Security is mail.TLS (the default), mail.StartTLS, or mail.None,
	// which sends the password in plain text and so is allowed only to a
	// server on this machine.
	Security           string
	Username, Password string
	// Mailbox defaults to INBOX.
	Mailbox string
	// MoveTo, if set and the mailbox exists, is where processed messages
	// are moved, such as "Processed".
	MoveTo string
	// RootCAs verify the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// Timeout bounds connecting; it defaults to 30s. The IMAP client
	// bounds each command itself.
	Timeout   time.Duration
	Interval  time.Duration
	Processor *Processor
	// Log defaults to the Processor's.
	Log *slog.Logger
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	if p.Processor != nil {
		return p.Processor.log()
	}
	return slog.New(slog.DiscardHandler)
}

func (p *Poller) security() string {
	if p.Security == "" {
		return mail.TLS
	}
	return p.Security
}

func (p *Poller) mailbox() string {
	if p.Mailbox == "" {
		return DefaultMailbox
	}
	return p.Mailbox
}

// Check returns an invalid-input error naming every field of p that
// cannot work.
func (p *Poller) Check() error {
	fields := map[string]string{}
	host, port, err := net.SplitHostPort(p.Addr)
	if err != nil || host == "" || port == "" {
		fields["addr"] = "must be host:port, such as imap.example.org:993"
	}
	switch p.security() {
	case mail.TLS, mail.StartTLS:
	case mail.None:
		if host != "localhost" && host != "127.0.0.1" && host != "::1" {
			fields["security"] = "none sends the password in plain text, so is allowed only to localhost or 127.0.0.1: use tls or starttls"
		}
	default:
		fields["security"] = "must be tls, starttls or none"
	}
	if p.Username == "" {
		fields["username"] = "is required"
	}
	if p.Password == "" {
		fields["password"] = "is required"
	}
	if strings.ContainsAny(p.Mailbox+p.MoveTo, "\r\n\x00") {
		fields["mailbox"] = "may not contain control characters"
	}
	if p.MoveTo != "" && p.MoveTo == p.mailbox() {
		fields["move_to"] = "must differ from the mailbox"
	}
	if p.Processor == nil || p.Processor.Cases == nil || p.Processor.Cases.Store == nil || p.Processor.Cases.Now == nil || p.Processor.Inbound == nil {
		fields["processor"] = "is required, with its case service, clock and inbound store"
	}
	if len(fields) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the inbound mail settings have invalid fields", Fields: fields}
	}
	return nil
}

// dial connects and logs in. The connection is closed when ctx ends, so
// that a stalled server cannot hold RunOnce past its context.
func (p *Poller) dial(ctx context.Context) (*imapclient.Client, func(), error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	host, _, _ := net.SplitHostPort(p.Addr)
	d := &net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the mail server: %w", err)
	}
	tlsConfig := &tls.Config{ServerName: host, RootCAs: p.RootCAs, MinVersion: tls.VersionTLS12, NextProtos: []string{"imap"}}
	var c *imapclient.Client
	switch p.security() {
	case mail.TLS:
		tc := tls.Client(conn, tlsConfig)
		hctx, cancel := context.WithTimeout(ctx, timeout)
		err = tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("TLS with the mail server: %w", err)
		}
		c = imapclient.New(tc, nil)
	case mail.StartTLS:
		tlsConfig.NextProtos = nil
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		c, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: tlsConfig})
		stop()
		if err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("STARTTLS with the mail server: %w", err)
		}
	default:
		c = imapclient.New(conn, nil)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	closeAll := func() {
		stop()
		c.Close()
	}
	if err := c.WaitGreeting(); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("the mail server's greeting: %w", err)
	}
	if err := c.Login(p.Username, p.Password).Wait(); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("log in to the mail server: %w", err)
	}
	return c, closeAll, nil
}

// envelope is what is known of a message before it is downloaded.
type envelope struct {
	uid     imap.UID
	size    int64
	arrived time.Time
}

// RunOnce processes every new message in the mailbox and returns how
// many it processed and marked seen. A message that could not be
// processed (the store failed) is left unseen for the next run, and its
// error is joined into err; err also reports a failure to reach the
// mailbox.
func (p *Poller) RunOnce(ctx context.Context) (n int, err error) {
	if err := p.Check(); err != nil {
		return 0, err
	}
	c, closeAll, err := p.dial(ctx)
	if err != nil {
		return 0, err
	}
	defer closeAll()
	mbox := p.mailbox()
	sel, err := c.Select(mbox, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("select %s: %w", mbox, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen, imap.FlagDeleted}}, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("search %s: %w", mbox, err)
	}
	uids := found.AllUIDs()
	if len(uids) == 0 {
		return 0, c.Logout().Wait()
	}
	moveTo := p.moveTarget(c)
	envs, err := p.envelopes(c, uids)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, e := range envs {
		if ctx.Err() != nil {
			break
		}
		o := Origin{Source: fmt.Sprintf("%s/%d/%d", mbox, sel.UIDValidity, e.uid), ArrivedAt: e.arrived}
		var res Result
		if e.size > MaxSize {
			var header []byte
			if header, err = p.fetch(c, e.uid, imap.PartSpecifierHeader); err == nil {
				res, err = p.Processor.Oversize(ctx, header, e.size, o)
			}
		} else {
			var raw []byte
			if raw, err = p.fetch(c, e.uid, imap.PartSpecifierNone); err == nil {
				res, err = p.Processor.Process(ctx, raw, o)
			}
		}
		if err != nil {
			p.log().Error("inbound mail not processed: it stays unseen to be tried again", "source", o.Source, "error", err)
			errs = append(errs, fmt.Errorf("message %s: %w", o.Source, err))
			if c.State() == imap.ConnStateLogout || isClosed(c) {
				break
			}
			continue
		}
		// Only now is the outcome committed: mark the message done.
		if err := p.done(c, e.uid, moveTo, res); err != nil {
			errs = append(errs, fmt.Errorf("message %s was processed (%s) but not marked seen; it will be recognised next time: %w", o.Source, res.Outcome, err))
			break
		}
		n++
	}
	if len(errs) == 0 {
		if err := c.Logout().Wait(); err != nil && ctx.Err() == nil {
			errs = append(errs, fmt.Errorf("log out: %w", err))
		}
	}
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return n, errors.Join(errs...)
}

func isClosed(c *imapclient.Client) bool {
	select {
	case <-c.Closed():
		return true
	default:
		return false
	}
}

// moveTarget returns MoveTo if that mailbox exists, else "".
func (p *Poller) moveTarget(c *imapclient.Client) string {
	if p.MoveTo == "" {
		return ""
	}
	list, err := c.List("", p.MoveTo, nil).Collect()
	if err == nil {
		for _, l := range list {
			if l.Mailbox == p.MoveTo {
				return p.MoveTo
			}
		}
	}
	p.log().Warn("inbound mail: the mailbox to move processed mail to does not exist; processed mail is marked seen and left in place", "move_to", p.MoveTo)
	return ""
}

// envelopes returns the size and arrival time of each message, in UID
// order.
func (p *Poller) envelopes(c *imapclient.Client, uids []imap.UID) ([]envelope, error) {
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetch sizes: %w", err)
	}
	out := make([]envelope, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, envelope{uid: m.UID, size: m.RFC822Size, arrived: m.InternalDate})
	}
	slices.SortFunc(out, func(a, b envelope) int { return cmp.Compare(a.uid, b.uid) })
	return out, nil
}

// fetch downloads a message, or its header, without marking it seen,
// reading at most MaxSize bytes whatever the server sends.
func (p *Poller) fetch(c *imapclient.Client, uid imap.UID, part imap.PartSpecifier) ([]byte, error) {
	section := &imap.FetchItemBodySection{Specifier: part, Peek: true}
	cmd := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	var raw []byte
	found := false
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			body, ok := item.(imapclient.FetchItemDataBodySection)
			if !ok || body.Literal == nil || found {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(body.Literal, MaxSize+1))
			if err != nil {
				return nil, fmt.Errorf("read message %d: %w", uid, err)
			}
			raw, found = b, true
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, fmt.Errorf("fetch message %d: %w", uid, err)
	}
	if !found {
		return nil, fmt.Errorf("fetch message %d: the server sent no body", uid)
	}
	return raw, nil
}

// done marks a processed message seen, and moves it if there is
// somewhere to move it.
func (p *Poller) done(c *imapclient.Client, uid imap.UID, moveTo string, res Result) error {
	set := imap.UIDSetNum(uid)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		return fmt.Errorf("mark seen: %w", err)
	}
	// A message too large to process, or one for a person to look at,
	// stays where people look for mail.
	if moveTo == "" || res.Outcome == "" || res.Outcome == store.InboundQuarantined {
		return nil
	}
	if _, err := c.Move(set, moveTo).Wait(); err != nil {
		return fmt.Errorf("move to %s: %w", moveTo, err)
	}
	return nil
}

// Run processes new mail every Interval (default a minute) until ctx
// ends.
func (p *Poller) Run(ctx context.Context) {
	interval := p.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := p.RunOnce(ctx); err != nil && ctx.Err() == nil {
			p.log().Error("inbound mail", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
