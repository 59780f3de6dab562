package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// rig is a dispatcher over a real SQLite outbox, sending to a test
// server, on a fake clock.
type rig struct {
	t     *testing.T
	ctx   context.Context
	srv   *mailtest.Server
	db    *sqldb.DB
	clock *mailtest.Clock
	logs  *mailtest.LogBuffer
	d     *Dispatcher
	ref   string // a case to queue mail on
}

// private marks text that must never reach the logs: every subject and
// body in these tests carries it, and every recipient is @example.org.
const private = "PRIVATE"

var residentAddress = regexp.MustCompile(`[A-Za-z0-9._%+-]+@example\.org`)

func newRig(t *testing.T, srv *mailtest.Server, edit func(*Config)) *rig {
	t.Helper()
	ctx := mailtest.Context(t)
	db := testdb.Open(t, sqldb.Options{})
	r := &rig{t: t, ctx: ctx, srv: srv, db: db, clock: mailtest.NewClock(start), logs: &mailtest.LogBuffer{}}
	r.d = &Dispatcher{
		Outbox: db,
		Sender: r.sender(edit),
		Clock:  r.clock.Now,
		Logger: slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	r.ref = newCase(t, db)
	t.Cleanup(func() {
		logs := r.logs.String()
		if strings.Contains(logs, private) || residentAddress.MatchString(logs) {
			t.Errorf("the logs hold a subject, a body or a full address:\n%s", logs)
		}
	})
	return r
}

// sender returns a Sender to the rig's server: plain text on 127.0.0.1
// unless edit says otherwise.
func (r *rig) sender(edit func(*Config)) *Sender {
	r.t.Helper()
	// The timeout is a safety net only: no test here waits for it.
	cfg := Config{Host: "127.0.0.1", Port: r.srv.Port(), Security: None, From: "Complaints team <complaints@landlord.example>", Timeout: mailtest.Bound}
	if edit != nil {
		edit(&cfg)
	}
	s, err := NewSender(cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	s.Clock = r.clock.Now
	return s
}

func newCase(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	p, cal := policytest.Code(t)
	c, err := db.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "email",
			Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: "damp"},
			complaint.Env{Now: start, Actor: complaint.Actor{Email: "o@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Reference
}

func (r *rig) enqueue(m store.OutboundMessage) int64 {
	r.t.Helper()
	if m.CaseRef == "" {
		m.CaseRef = r.ref
	}
	if m.Kind == "" {
		m.Kind = "acknowledgement"
	}
	if m.TextBody == "" {
		m.TextBody = "Dear resident " + private + ",\n\nWe have your complaint.\n"
	}
	id, err := r.db.Enqueue(r.ctx, m, r.clock.Now())
	if err != nil {
		r.t.Fatal(err)
	}
	return id
}

// drain runs the dispatcher until it has nothing more to do at the
// clock's time, and returns what it sent and what failed.
func (r *rig) drain() (sent, failed int) {
	r.t.Helper()
	for range 100 {
		s, f, err := r.d.RunOnce(r.ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if s == 0 && f == 0 {
			return sent, failed
		}
		sent, failed = sent+s, failed+f
	}
	r.t.Fatal("the dispatcher never ran out of due mail")
	return
}

// messages returns the outbox of the rig's case by id.
func (r *rig) messages() map[int64]store.OutboundMessage {
	r.t.Helper()
	list, err := r.db.Outbox(r.ctx, r.ref)
	if err != nil {
		r.t.Fatal(err)
	}
	byID := map[int64]store.OutboundMessage{}
	for _, m := range list {
		byID[m.ID] = m
	}
	return byID
}

// parsedMail is a received message taken apart.
type parsedMail struct {
	header      mail.Header
	subject     string
	text, html  string
	attachments []parsedAttachment
}

type parsedAttachment struct {
	name, contentType string
	data              []byte
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p := parsedMail{header: msg.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	if err := p.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *parsedMail) walk(ctype, encoding, disposition string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			h := part.Header
			if err := p.walk(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), h.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if strings.HasPrefix(disposition, "attachment") {
		_, dp, err := mime.ParseMediaType(disposition)
		if err != nil {
			return err
		}
		p.attachments = append(p.attachments, parsedAttachment{name: dp["filename"], contentType: ctype, data: b})
		return nil
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		p.text = text
	case "text/html":
		p.html = text
	}
	return nil
}

func TestMessageArrivesIntactWithItsHeaders(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, srv, nil)
	pdf := make([]byte, 300<<10)
	rand.Read(pdf)
	text := "Dear Ms O’Brien (" + private + "),\n\nWe have received your complaint about damp.\n.\n" +
		"From the complaints team\n" + strings.Repeat("a long line ", 40) + "\n£50 compensation – offered.\n"
	html := "<p>Dear Ms O’Brien (" + private + "),</p>\n<p>We have received your complaint.</p>\n"
	ack := store.OutboundMessage{To: "Ms O’Brien <resident@example.org>", Subject: "Your complaint " + r.ref + " – acknowledged ✓ " + private,
		TextBody: text, HTMLBody: html, Kind: "acknowledgement", Attachments: []store.OutboundAttachment{
			{Name: "acknowledgement.pdf", ContentType: "application/pdf", Data: pdf},
			{Name: "notes.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("line one\r\nline two – ✓\n")},
		}}
	ackID := r.enqueue(ack)
	letterID := r.enqueue(store.OutboundMessage{To: "resident@example.org", Subject: "Our response " + private, Kind: "letter",
		TextBody: "Dear resident " + private + ",\n\nHere is our stage 1 response.\n"})

	if sent, failed := r.drain(); sent != 2 || failed != 0 {
		t.Fatalf("sent %d, failed %d, want 2 and 0", sent, failed)
	}
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("the server received %d messages, want 2", len(got))
	}
	stored := r.messages()
	bySubject := map[string]parsedMail{}
	for _, g := range got {
		if g.From != "complaints@landlord.example" || !slices.Equal(g.To, []string{"resident@example.org"}) {
			t.Errorf("envelope from %q to %q", g.From, g.To)
		}
		p := parseMail(t, g.Data)
		bySubject[p.subject] = p
	}

	p, ok := bySubject[ack.Subject]
	if !ok {
		t.Fatalf("no message with subject %q among %v", ack.Subject, bySubject)
	}
	if p.text != text {
		t.Errorf("text part:\n%q\nwant\n%q", p.text, text)
	}
	if p.html != html {
		t.Errorf("HTML part:\n%q\nwant\n%q", p.html, html)
	}
	if len(p.attachments) != 2 {
		t.Fatalf("%d attachments, want 2", len(p.attachments))
	}
	for i, want := range ack.Attachments {
		a := p.attachments[i]
		mt, _, _ := mime.ParseMediaType(a.contentType)
		wantMT, _, _ := mime.ParseMediaType(want.ContentType)
		if a.name != want.Name || mt != wantMT || !bytes.Equal(a.data, want.Data) {
			t.Errorf("attachment %d: %q %q, %d bytes; want %q %q, %d bytes, identical", i, a.name, a.contentType, len(a.data), want.Name, want.ContentType, len(want.Data))
		}
	}
	to, err := mail.ParseAddress(p.header.Get("To"))
	if err != nil || to.Name != "Ms O’Brien" || to.Address != "resident@example.org" {
		t.Errorf("To: %q (%v)", p.header.Get("To"), err)
	}
	if from, err := mail.ParseAddress(p.header.Get("From")); err != nil || from.Name != "Complaints team" || from.Address != "complaints@landlord.example" {
		t.Errorf("From: %q (%v)", p.header.Get("From"), err)
	}
	if date, err := p.header.Date(); err != nil || !date.Equal(start) {
		t.Errorf("Date: %q (%v), want %s", p.header.Get("Date"), err, start)
	}
	if got := p.header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("an acknowledgement has Auto-Submitted %q, want auto-generated", got)
	}
	if m := stored[ackID]; m.Status != store.OutboxSent || m.MessageID == "" || p.header.Get("Message-ID") != m.MessageID || !m.SentAt.Equal(start) {
		t.Errorf("stored %s %q sent %s; header Message-ID %q", m.Status, m.MessageID, m.SentAt, p.header.Get("Message-ID"))
	}
	if !regexp.MustCompile(`^<[a-z2-7]{26}@landlord\.example>$`).MatchString(stored[ackID].MessageID) {
		t.Errorf("Message-ID %q is not <26 base32 characters@landlord.example>", stored[ackID].MessageID)
	}

	l, ok := bySubject["Our response "+private]
	if !ok {
		t.Fatal("the letter did not arrive")
	}
	if l.text != "Dear resident "+private+",\n\nHere is our stage 1 response.\n" || l.html != "" || len(l.attachments) != 0 {
		t.Errorf("letter: text %q, html %q, %d attachments", l.text, l.html, len(l.attachments))
	}
	if got := l.header.Get("Auto-Submitted"); got != "" {
		t.Errorf("a letter an officer wrote has Auto-Submitted %q", got)
	}
	if m := stored[letterID]; l.header.Get("Message-ID") != m.MessageID || m.MessageID == stored[ackID].MessageID {
		t.Errorf("letter Message-ID %q, stored %q", l.header.Get("Message-ID"), m.MessageID)
	}
}

func TestAuthPlain(t *testing.T) {
	opts := mailtest.Options{Username: "redress", Password: "s3cret", InsecureAuth: true}
	withLogin := func(user, pass string) func(*Config) {
		return func(c *Config) { c.Username, c.Password = user, pass }
	}

	t.Run("right password", func(t *testing.T) {
		srv := mailtest.Start(t, opts)
		r := newRig(t, srv, withLogin("redress", "s3cret"))
		r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: "hello " + private})
		if sent, failed := r.drain(); sent != 1 || failed != 0 || len(srv.Received()) != 1 {
			t.Fatalf("sent %d, failed %d, received %d; want 1, 0, 1", sent, failed, len(srv.Received()))
		}
	})

	// A wrong password or none is a setting to put right, not a fault of
	// the message: the mail waits, and goes once the setting is fixed.
	for name, edit := range map[string]func(*Config){
		"wrong password": withLogin("redress", "guess"),
		"no login":       nil,
	} {
		t.Run(name+" waits for the setting to be fixed", func(t *testing.T) {
			srv := mailtest.Start(t, opts)
			r := newRig(t, srv, edit)
			id := r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: "hello " + private})
			if sent, failed := r.drain(); sent != 0 || failed != 1 {
				t.Fatalf("sent %d, failed %d; want 0 and 1", sent, failed)
			}
			m := r.messages()[id]
			if m.Status != store.OutboxQueued || !strings.Contains(m.LastError, "5") || !m.NextAttempt.After(start) {
				t.Errorf("after the refusal: status %s, next %s, last error %q; want queued for later with the server's reply", m.Status, m.NextAttempt, m.LastError)
			}
			r.d.Sender = r.sender(withLogin("redress", "s3cret"))
			r.clock.Advance(DefaultFirstRetry)
			if sent, failed := r.drain(); sent != 1 || failed != 0 || len(srv.Received()) != 1 {
				t.Fatalf("with the setting fixed: sent %d, failed %d, received %d; want 1, 0, 1", sent, failed, len(srv.Received()))
			}
		})
	}
}

func TestTLS(t *testing.T) {
	serverTLS, pool := mailtest.SelfSigned(t)
	login := mailtest.Options{Username: "redress", Password: "s3cret", TLS: serverTLS}
	tests := []struct {
		name      string
		opts      mailtest.Options
		cfg       func(*Config)
		delivered bool
		err       string // in the stored last error when not delivered
	}{
		{"STARTTLS with a trusted certificate", login, func(c *Config) {
			c.Security, c.RootCAs, c.Username, c.Password = StartTLS, pool, "redress", "s3cret"
		}, true, ""},
		{"TLS from the start", mailtest.Options{Username: "redress", Password: "s3cret", TLS: serverTLS, ImplicitTLS: true}, func(c *Config) {
			c.Security, c.RootCAs, c.Username, c.Password = TLS, pool, "redress", "s3cret"
		}, true, ""},
		{"STARTTLS with an unknown certificate", login, func(c *Config) {
			c.Security, c.Username, c.Password = StartTLS, "redress", "s3cret"
		}, false, "certificate"},
		{"STARTTLS not offered: no fall-back to plain text", mailtest.Options{}, func(c *Config) {
			c.Security, c.RootCAs = StartTLS, pool
		}, false, "STARTTLS"},
		{"TLS to a server speaking plain text", mailtest.Options{}, func(c *Config) {
			c.Security, c.RootCAs = TLS, pool
		}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts)
			r := newRig(t, srv, tt.cfg)
			id := r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: "hello " + private})
			sent, failed := r.drain()
			got := srv.Received()
			if tt.delivered {
				if sent != 1 || failed != 0 || len(got) != 1 || !got[0].TLS {
					t.Fatalf("sent %d, failed %d, received %d; want it delivered over TLS", sent, failed, len(got))
				}
				return
			}
			m := r.messages()[id]
			if sent != 0 || failed != 1 || len(got) != 0 || m.Status != store.OutboxQueued || !strings.Contains(m.LastError, tt.err) {
				t.Errorf("sent %d, failed %d, received %d, status %s, last error %q; want it kept to retry, with %q",
					sent, failed, len(got), m.Status, m.LastError, tt.err)
			}
		})
	}
}

func TestOutageThenRecoveryDeliversEveryMessageExactlyOnce(t *testing.T) {
	outages := map[string]mailtest.Outage{
		"connections refused": mailtest.Refuse,
		"connections dropped": mailtest.Drop,
	}
	for name, outage := range outages {
		t.Run(name, func(t *testing.T) {
			srv := mailtest.Start(t, mailtest.Options{})
			r := newRig(t, srv, nil)
			r.d.Batch = 8 // 20 messages take three batches
			srv.Down(outage)
			const n = 20
			subjects := map[int64]string{}
			for i := range n {
				subject := fmt.Sprintf("message %02d %s", i, private)
				subjects[r.enqueue(store.OutboundMessage{To: fmt.Sprintf("r%02d@example.org", i), Subject: subject})] = subject
			}
			// Four rounds of failure, each after every back-off has
			// passed: each message is tried, or held back, once a round,
			// and waits a longer back-off each time.
			for round := 1; round <= 4; round++ {
				sent, failed := r.drain()
				if sent != 0 || failed != n {
					t.Fatalf("round %d: sent %d, failed %d; want 0 and %d", round, sent, failed, n)
				}
				wait := min(DefaultFirstRetry<<(round-1), DefaultMaxRetry)
				for id, m := range r.messages() {
					due := m.NextAttempt.Sub(r.clock.Now())
					if m.Status != store.OutboxQueued || m.Attempts != round || due < wait*4/5 || due > wait || m.LastError == "" {
						t.Fatalf("round %d: message %d is %s after %d attempts, due in %s (want %s less up to a fifth), last error %q",
							round, id, m.Status, m.Attempts, due, wait, m.LastError)
					}
				}
				r.clock.Advance(7 * time.Hour)
			}
			if len(srv.Received()) != 0 {
				t.Fatal("the server received mail while down")
			}

			srv.Up()
			if sent, failed := r.drain(); sent != n || failed != 0 {
				t.Fatalf("after recovery: sent %d, failed %d; want %d and 0", sent, failed, n)
			}
			r.clock.Advance(24 * time.Hour)
			if sent, failed := r.drain(); sent != 0 || failed != 0 {
				t.Fatalf("a day later: sent %d, failed %d more", sent, failed)
			}

			byMessageID := map[string]int{}
			bySubject := map[string]int{}
			for _, g := range srv.Received() {
				p := parseMail(t, g.Data)
				byMessageID[p.header.Get("Message-ID")]++
				bySubject[p.subject]++
			}
			stored := r.messages()
			for id, subject := range subjects {
				m := stored[id]
				if m.Status != store.OutboxSent || byMessageID[m.MessageID] != 1 || bySubject[subject] != 1 {
					t.Errorf("message %d (%s): status %s, received %d times by Message-ID, %d by subject; want sent, once",
						id, subject, m.Status, byMessageID[m.MessageID], bySubject[subject])
				}
			}
			if len(srv.Received()) != n || len(byMessageID) != n || len(bySubject) != n {
				t.Errorf("received %d messages, %d Message-IDs, %d subjects; want %d of each", len(srv.Received()), len(byMessageID), len(bySubject), n)
			}
		})
	}
}

func TestCrashedSendersClaimIsSentAfterTheLease(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, srv, nil)
	id := r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: "claimed " + private})
	// Another dispatcher claims the message and dies before sending.
	if ms, err := r.db.ClaimDue(r.ctx, r.clock.Now(), 10, DefaultLease); err != nil || len(ms) != 1 {
		t.Fatalf("claim: %d messages, %v", len(ms), err)
	}
	r.clock.Advance(DefaultLease - time.Second)
	if sent, failed := r.drain(); sent != 0 || failed != 0 {
		t.Fatalf("within the lease: sent %d, failed %d; want nothing done", sent, failed)
	}
	r.clock.Advance(time.Second)
	if sent, failed := r.drain(); sent != 1 || failed != 0 {
		t.Fatalf("after the lease: sent %d, failed %d; want 1 and 0", sent, failed)
	}
	if m := r.messages()[id]; m.Status != store.OutboxSent || m.Attempts != 2 || len(srv.Received()) != 1 {
		t.Errorf("status %s after %d attempts, %d received; want sent on the second, once", m.Status, m.Attempts, len(srv.Received()))
	}
}

// TestCrashAfterAcceptanceResendsWithTheSameMessageID shows the limit of
// the outbox: a sender that dies after the server took a message but
// before recording it leaves the message to be sent again. It goes with
// the same Message-ID, by which the receiving side can drop the repeat.
func TestCrashAfterAcceptanceResendsWithTheSameMessageID(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, srv, nil)
	id := r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: "twice " + private})
	ms, err := r.db.ClaimDue(r.ctx, r.clock.Now(), 10, DefaultLease)
	if err != nil || len(ms) != 1 {
		t.Fatalf("claim: %d messages, %v", len(ms), err)
	}
	first, err := r.d.Sender.Send(r.ctx, ms[0]) // and then the process dies
	if err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(DefaultLease)
	if sent, failed := r.drain(); sent != 1 || failed != 0 {
		t.Fatalf("after the lease: sent %d, failed %d", sent, failed)
	}
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("received %d copies, want 2", len(got))
	}
	for _, g := range got {
		if mid := parseMail(t, g.Data).header.Get("Message-ID"); mid != first {
			t.Errorf("a copy has Message-ID %q, want %q", mid, first)
		}
	}
	if m := r.messages()[id]; m.MessageID != first {
		t.Errorf("stored Message-ID %q, want %q", m.MessageID, first)
	}
}

func TestPermanentRejectionFailsAtOnceTemporaryRetriesUntilGivingUp(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Reject: map[string]*smtp.SMTPError{
		"nobody@example.org": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<nobody@example.org>: no such user"},
		"full@example.org":   {Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"},
	}})
	r := newRig(t, srv, nil)
	nobody := r.enqueue(store.OutboundMessage{To: "Nobody <nobody@example.org>", Subject: "to nobody " + private})
	full := r.enqueue(store.OutboundMessage{To: "full@example.org", Subject: "to a full mailbox " + private})
	fine := r.enqueue(store.OutboundMessage{To: "fine@example.org", Subject: "to someone " + private})
	if sent, failed := r.drain(); sent != 1 || failed != 2 {
		t.Fatalf("sent %d, failed %d; want 1 and 2", sent, failed)
	}
	ms := r.messages()
	if m := ms[nobody]; m.Status != store.OutboxFailed || m.Attempts != 1 || !strings.Contains(m.LastError, "550") ||
		strings.Contains(m.LastError, "nobody@") || !strings.Contains(m.LastError, "@example.org") {
		t.Errorf("rejected with 550: %s after %d attempts, last error %q; want failed at once, the address cut to its domain", m.Status, m.Attempts, m.LastError)
	}
	if m := ms[full]; m.Status != store.OutboxQueued || !strings.Contains(m.LastError, "452") {
		t.Errorf("rejected with 452: %s, last error %q; want queued to retry", m.Status, m.LastError)
	}
	if ms[fine].Status != store.OutboxSent {
		t.Errorf("the good message is %s", ms[fine].Status)
	}
	// The full mailbox is retried until three days have passed.
	rounds := 1
	for ; rounds < 20 && r.messages()[full].Status == store.OutboxQueued; rounds++ {
		r.clock.Advance(7 * time.Hour)
		if sent, failed := r.drain(); sent != 0 || failed != 1 {
			t.Fatalf("at %s: sent %d, failed %d; want 0 and 1", r.clock.Now().Sub(start), sent, failed)
		}
	}
	m := r.messages()[full]
	if waited := r.clock.Now().Sub(start); m.Status != store.OutboxFailed || waited < DefaultGiveUpAfter || waited > DefaultGiveUpAfter+7*time.Hour ||
		!strings.HasPrefix(m.LastError, "gave up after") {
		t.Errorf("after %s: %s, last error %q; want given up just after %s", waited, m.Status, m.LastError, DefaultGiveUpAfter)
	}
	if n := srv.RcptAttempts("nobody@example.org"); n != 1 {
		t.Errorf("the rejected address was offered %d times, want once", n)
	}
	if n := srv.RcptAttempts("full@example.org"); n != rounds {
		t.Errorf("the full mailbox was offered %d times in %d rounds", n, rounds)
	}
}

func TestStoppingHandsBackUntriedMessages(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, srv, nil)
	for i := range 5 {
		r.enqueue(store.OutboundMessage{To: "a@example.org", Subject: fmt.Sprint("stopping ", i, private)})
	}
	ctx, cancel := context.WithCancel(r.ctx)
	r.d.Sender = transportFunc(func(ctx context.Context, m store.OutboundMessage) (string, error) {
		defer cancel() // the process is told to stop during the first send
		return r.sender(nil).Send(ctx, m)
	})
	sent, failed, err := r.d.RunOnce(ctx)
	if sent != 1 || failed != 0 || err != nil {
		t.Fatalf("RunOnce = %d, %d, %v; want 1 sent, then stop", sent, failed, err)
	}
	for id, m := range r.messages() {
		if m.Status != store.OutboxSent && (m.Status != store.OutboxQueued || !m.NextAttempt.Equal(start)) {
			t.Errorf("message %d is %s, due %s; want sent, or queued and due at once", id, m.Status, m.NextAttempt)
		}
	}
	r.d.Sender = r.sender(nil)
	if sent, failed := r.drain(); sent != 4 || failed != 0 || len(srv.Received()) != 5 {
		t.Errorf("then sent %d, failed %d, received %d in all; want 4, 0, 5", sent, failed, len(srv.Received()))
	}
}

type transportFunc func(ctx context.Context, m store.OutboundMessage) (string, error)

func (f transportFunc) Send(ctx context.Context, m store.OutboundMessage) (string, error) {
	return f(ctx, m)
}

func TestRunSendsWhenWokenAndStopsWithItsContext(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, srv, nil)
	r.d.Clock = nil // real time: Run ticks on it
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() {
		r.d.Run(ctx, time.Hour)
		close(done)
	}()
	// Queued now, due now: only a wake-up sends it before the hour.
	if _, err := r.db.Enqueue(r.ctx, store.OutboundMessage{To: "a@example.org", Subject: "woken " + private, TextBody: "x", Kind: "digest"}, clock.Wall()); err != nil {
		t.Fatal(err)
	}
	r.d.Wake()
	wctx, wcancel := mailtest.Within(r.ctx, "delivery after a wake-up")
	got, err := srv.WaitReceived(wctx, 1)
	wcancel()
	if err != nil || len(got) != 1 {
		t.Errorf("received %d messages after waking, want 1 (%v)", len(got), err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(mailtest.Bound):
		t.Fatalf("Run did not stop within %s of its context ending", mailtest.Bound)
	}
}

func TestBackoffDoublesToItsCapLessJitter(t *testing.T) {
	var d Dispatcher
	for attempts := 1; attempts <= 40; attempts++ {
		wait := DefaultMaxRetry
		if attempts < 20 {
			wait = min(DefaultFirstRetry<<(attempts-1), DefaultMaxRetry)
		}
		seen := map[time.Duration]bool{}
		for range 50 {
			got := d.Backoff(attempts)
			seen[got] = true
			if got < wait*4/5 || got > wait {
				t.Fatalf("Backoff(%d) = %s, want %s less up to a fifth", attempts, got, wait)
			}
		}
		if len(seen) < 2 {
			t.Errorf("Backoff(%d) has no jitter", attempts)
		}
	}
	if got := (&Dispatcher{FirstRetry: time.Second, MaxRetry: 10 * time.Second}).Backoff(5); got < 8*time.Second || got > 10*time.Second {
		t.Errorf("configured Backoff(5) = %s, want the 10s cap less jitter", got)
	}
}

func TestConfigCheckNamesBadFields(t *testing.T) {
	good := Config{Host: "smtp.landlord.example", From: "Complaints <complaints@landlord.example>", Username: "u", Password: "p"}
	tests := []struct {
		name   string
		edit   func(*Config)
		fields []string
	}{
		{"good, with defaults", func(*Config) {}, nil},
		{"plain text to localhost", func(c *Config) { c.Host, c.Security = "127.0.0.1", None }, nil},
		{"plain text elsewhere", func(c *Config) { c.Security = None }, []string{"security"}},
		{"unknown security", func(c *Config) { c.Security = "ssl" }, []string{"security"}},
		{"no host", func(c *Config) { c.Host = "" }, []string{"host"}},
		{"host with a space", func(c *Config) { c.Host = "smtp landlord" }, []string{"host"}},
		{"port out of range", func(c *Config) { c.Port = 70000 }, []string{"port"}},
		{"password alone", func(c *Config) { c.Username = "" }, []string{"username"}},
		{"username alone", func(c *Config) { c.Password = "" }, []string{"password"}},
		{"bad from", func(c *Config) { c.From = "complaints" }, []string{"from"}},
		{"no from", func(c *Config) { c.From = "" }, []string{"from"}},
		{"bad helo", func(c *Config) { c.HeloName = "two words" }, []string{"helo_name"}},
		{"tiny timeout", func(c *Config) { c.Timeout = time.Millisecond }, []string{"timeout"}},
		{"several", func(c *Config) { c.Host, c.Port, c.From = "", -1, "x" }, []string{"from", "host", "port"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			err := c.Check()
			var fields []string
			var e *complaint.Error
			if errors.As(err, &e) && e.Code == complaint.Invalid {
				for f := range e.Fields {
					fields = append(fields, f)
				}
			} else if err != nil {
				t.Fatalf("Check = %v, want an invalid-input error", err)
			}
			slices.Sort(fields)
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("Check names %q, want %q (%v)", fields, tt.fields, err)
			}
			if _, err := NewSender(c); (err == nil) != (tt.fields == nil) {
				t.Errorf("NewSender = %v", err)
			}
		})
	}
}
