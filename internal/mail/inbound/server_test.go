package inbound

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/redresshq/redress/internal/mail/mailtest"
)

// Test mailbox credentials.
const (
	imapUser = "feedback"
	imapPass = "mailbox password"
)

// mailServers are a real IMAP server and a real SMTP server on 127.0.0.1,
// both in memory: mail the SMTP server accepts is delivered into the
// IMAP user's INBOX, as a landlord's mail server would.
type mailServers struct {
	t        *testing.T
	imapAddr string
	smtpAddr string
	user     *imapmemserver.User
	// clock dates delivered mail (IMAP's INTERNALDATE).
	clock func() time.Time
}

type serverOpts struct {
	tls         *tls.Config // offer STARTTLS, or with implicitTLS speak TLS
	implicitTLS bool
}

func startServers(t *testing.T, clock func() time.Time, opts serverOpts) *mailServers {
	t.Helper()
	s := &mailServers{t: t, user: imapmemserver.NewUser(imapUser, imapPass), clock: clock}
	if err := s.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem := imapmemserver.New()
	mem.AddUser(s.user)
	srvOpts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	if !opts.implicitTLS {
		srvOpts.TLSConfig = opts.tls
	}
	is := imapserver.New(srvOpts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.imapAddr = ln.Addr().String()
	if opts.implicitTLS {
		ln = tls.NewListener(ln, opts.tls)
	}
	go is.Serve(ln)
	// Close the listener as well: if Serve's goroutine has not run by
	// the time the test ends, as on a busy machine, Serve turns the
	// listener away without closing it.
	t.Cleanup(func() { is.Close(); ln.Close() })

	// Mail the SMTP server accepts goes into the INBOX before the server
	// answers, as a landlord's mail server would deliver it.
	s.smtpAddr = mailtest.Start(t, mailtest.Options{Deliver: func(m mailtest.Message) error {
		_, err := s.user.Append("INBOX", literal{bytes.NewReader(m.Data)}, &imap.AppendOptions{Time: s.clock()})
		return err
	}}).Addr()
	return s
}

// deliver puts a message straight into a mailbox, as delivery would.
func (s *mailServers) deliver(mailbox string, raw []byte) {
	s.t.Helper()
	if _, err := s.user.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: s.clock()}); err != nil {
		s.t.Fatal(err)
	}
}

// send sends a message through the SMTP server, in plain text on
// 127.0.0.1.
func (s *mailServers) send(from string, raw []byte) {
	s.t.Helper()
	c, err := smtp.Dial(s.smtpAddr)
	if err != nil {
		s.t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{"feedback@landlord.example"}, bytes.NewReader(raw)); err != nil {
		s.t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		s.t.Fatal(err)
	}
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// mailboxState is what a mailbox holds, as an IMAP client sees it.
type mailboxState struct {
	uids   []imap.UID
	seen   map[imap.UID]bool
	bodies map[imap.UID][]byte
}

// look reads a mailbox through a client of its own, without changing it.
func (s *mailServers) look(mailbox string) mailboxState {
	s.t.Helper()
	c, err := imapclient.DialInsecure(s.imapAddr, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		s.t.Fatal(err)
	}
	st := mailboxState{seen: map[imap.UID]bool{}, bodies: map[imap.UID][]byte{}}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		s.t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return st
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range msgs {
		st.uids = append(st.uids, m.UID)
		st.seen[m.UID] = slices.Contains(m.Flags, imap.FlagSeen)
		st.bodies[m.UID] = m.FindBodySection(section)
	}
	return st
}

func splitAddr(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return host, n
}
