// Package mailtest runs a real SMTP server in process on 127.0.0.1 that
// keeps what it receives in memory, so that mail tests speak the protocol
// to a server instead of a fake of the code under test. It is for tests
// only: nothing outside a _test.go file imports it.
//
// The server can require AUTH PLAIN, offer STARTTLS or speak TLS from the
// start, refuse given recipients, hand each message to a callback (to
// deliver it into a mailbox, say), and go down and come back up on the
// same port.
package mailtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say how a Server behaves. The zero value is a plain-text server
// that takes any message without a login.
type Options struct {
	// Username and Password, when Username is set, make the server offer
	// AUTH PLAIN and refuse MAIL FROM until a client logs in with them.
	Username, Password string
	// InsecureAuth allows AUTH over plain text. Without it, go-smtp
	// offers AUTH only over TLS.
	InsecureAuth bool
	// TLS, when set, is offered through STARTTLS, or spoken from the
	// start with ImplicitTLS. SelfSigned makes one.
	TLS         *tls.Config
	ImplicitTLS bool
	// Reject gives the reply to RCPT TO for the addresses it names, such
	// as a 550 for an unknown user or a 452 for a full mailbox.
	Reject map[string]*smtp.SMTPError
	// Deliver, when set, is called with each message before the server
	// answers DATA, as a mail server hands mail to a mailbox. An error
	// is the reply to DATA and the message is not kept.
	Deliver func(Message) error
}

// Bound is how long a mail test waits for something that should happen at
// once (a message to arrive, a loop to stop, a reply to a command) before
// it gives up. It is a safety net against a test hanging, never a target:
// a shared CI machine under load can take seconds for what takes
// milliseconds on a quiet one, so a passing run must not come near it.
const Bound = 2 * time.Minute

// Message is one message the server accepted.
type Message struct {
	From string   // the envelope sender
	To   []string // the envelope recipients the server accepted
	Data []byte   // the message as sent, headers and body
	TLS  bool     // whether it came over TLS
}

// Outage is a way for a Server to be down.
type Outage int

const (
	// Refuse closes the listener and every connection, so that new
	// connections are refused.
	Refuse Outage = iota + 1
	// Drop accepts connections and closes them at once, before the
	// greeting.
	Drop
)

// Server is a running test SMTP server. Its methods are safe to call
// while clients send to it.
type Server struct {
	t    testing.TB
	opts Options
	addr string
	port int

	mu       sync.Mutex
	srv      *smtp.Server // nil while refusing
	ln       net.Listener // srv's listener, nil while refusing
	dropping bool
	msgs     []Message
	arrived  chan struct{}  // closed and replaced when a message is kept
	rcpts    map[string]int // RCPT TO attempts by address
}

// Start starts a server on a free port of 127.0.0.1. It stops when the
// test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, opts: opts, addr: ln.Addr().String(), port: ln.Addr().(*net.TCPAddr).Port,
		arrived: make(chan struct{}), rcpts: map[string]int{}}
	s.serve(ln)
	t.Cleanup(s.stop)
	return s
}

// Addr is the server's host and port, "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr }

// Port is the server's port on 127.0.0.1. It stays the same across an
// outage.
func (s *Server) Port() int { return s.port }

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "mx.test"
	// Only a safety net: Close ends every connection when the test does.
	srv.ReadTimeout = Bound
	srv.WriteTimeout = Bound
	srv.MaxMessageBytes = 40 << 20
	srv.AllowInsecureAuth = s.opts.InsecureAuth
	srv.ErrorLog = log.New(io.Discard, "", 0)
	raw := ln
	ln = &dropListener{Listener: ln, s: s}
	if s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.opts.TLS)
	} else {
		srv.TLSConfig = s.opts.TLS
	}
	s.mu.Lock()
	s.srv, s.ln = srv, raw
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Down takes the server down in the way given, until Up.
func (s *Server) Down(o Outage) {
	switch o {
	case Refuse:
		s.stop()
	case Drop:
		s.mu.Lock()
		s.dropping = true
		s.mu.Unlock()
	default:
		s.t.Fatalf("mailtest: unknown outage %d", o)
	}
}

// Up ends an outage: the server listens again on the same port if it was
// refusing, and keeps the connections it accepts.
func (s *Server) Up() {
	s.t.Helper()
	s.mu.Lock()
	s.dropping = false
	stopped := s.srv == nil
	s.mu.Unlock()
	if !stopped {
		return
	}
	// stop closed the listener itself, so the port is normally free at
	// once; should the system hold on to it, try again often, for as
	// long as Bound. Nothing signals a port coming free.
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		giveUp := time.NewTimer(Bound)
		defer giveUp.Stop()
		for err != nil {
			select {
			case <-giveUp.C:
				s.t.Fatalf("mailtest: could not listen again on %s within %s: %v", s.addr, Bound, err)
			case <-time.After(10 * time.Millisecond):
			}
			ln, err = net.Listen("tcp", s.addr)
		}
	}
	s.serve(ln)
}

// stop closes the listener and every connection. It closes the listener
// itself as well as through srv.Close: srv learns of its listener only
// once the goroutine running srv.Serve has started, which on a busy
// machine may be after a test has already asked for an outage.
func (s *Server) stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
		ln.Close()
	}
}

// Received returns the messages the server has accepted, oldest first.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitReceived waits until the server has accepted at least n messages,
// and returns them all, oldest first. It returns early with ctx's error,
// and the messages so far, if ctx ends first; a test bounds ctx with
// Bound, so that a message that never comes fails it instead of hanging
// it.
func (s *Server) WaitReceived(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		msgs, arrived := append([]Message(nil), s.msgs...), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			return msgs, fmt.Errorf("the server received %d of %d messages: %w", len(msgs), n, context.Cause(ctx))
		}
	}
}

// RcptAttempts is how many times a client has offered addr in RCPT TO,
// whether the server took it or refused it.
func (s *Server) RcptAttempts(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts[addr]
}

type dropListener struct {
	net.Listener
	s *Server
}

func (l *dropListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.s.mu.Lock()
		drop := l.s.dropping
		l.s.mu.Unlock()
		if !drop {
			return c, nil
		}
		c.Close()
	}
}

// session is one SMTP connection. go-smtp calls its methods from the
// connection's goroutine only, so its own fields need no lock.
type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	ss.s.rcpts[to]++
	ss.s.mu.Unlock()
	if e := ss.s.opts.Reject[to]; e != nil {
		return e
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	m := Message{From: ss.from, To: ss.to, Data: b, TLS: isTLS}
	if ss.s.opts.Deliver != nil {
		if err := ss.s.opts.Deliver(m); err != nil {
			return err
		}
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	close(ss.s.arrived)
	ss.s.arrived = make(chan struct{})
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// SelfSigned returns a server TLS config with a certificate for 127.0.0.1
// and localhost made now, and a pool that trusts it, for a client's
// RootCAs. Each call makes a new certificate, which no other pool trusts.
func SelfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "redress test mail server"},
		// Valid for this century, so that no clock, real or a test's,
		// can find it expired.
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}, pool
}
