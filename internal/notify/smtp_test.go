package notify_test

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/mailtest"
)

// readMail parses a delivered message into its headers and its decoded
// plain-text body.
func readMail(t *testing.T, d mailtest.Message) (netmail.Header, string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	if mt, _, _ := mime.ParseMediaType(m.Header.Get("Content-Type")); mt != "text/plain" {
		t.Errorf("content type %q: want text/plain alone", m.Header.Get("Content-Type"))
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(m.Body)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return m.Header, strings.ReplaceAll(string(body), "\r\n", "\n")
}

// TestNoticesAndDigestArriveOverSMTP relays a new complaint and its
// assignment, and the day's digest, through the outbox and the real mail
// dispatcher to a real SMTP server, and checks each arrives once, to the
// right person, as plain text marked as automatic.
func TestNoticesAndDigestArriveOverSMTP(t *testing.T) {
	sink := mailtest.Start(t, mailtest.Options{})
	w := newWorld(t, time.Date(2026, 12, 1, 7, 30, 0, 0, calendar.London))
	sender, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: sink.Port(), Security: mail.None,
		From: "Complaints team <complaints@landlord.example>", Timeout: mailtest.Bound})
	if err != nil {
		t.Fatal(err)
	}
	d := &mail.Dispatcher{Outbox: w.db, Sender: sender, Clock: func() time.Time { return w.clock }}
	w.relay.Queued = d.Wake

	// Received by post last week: the acknowledgement is due on Thursday.
	cmd := adaComplaint("letter")
	received := time.Date(2026, 11, 26, 10, 0, 0, 0, calendar.London)
	cmd.ReceivedAt = &received
	ref := w.create(cmd).Reference
	w.do(ref, manager, complaint.Assign{Handler: officer, HandlerRole: "officer"})
	if n := w.relayAfterHold(); n != 2 {
		t.Fatalf("queued %d notices, want 2", n)
	}
	if n, err := w.relay.Digest(w.ctx, calendar.DateOf(w.clock)); err != nil || n != 1 {
		t.Fatalf("queued %d digests, %v; want Olu's", n, err)
	}
	sent, failed, err := d.RunOnce(w.ctx)
	if err != nil || sent != 3 || failed != 0 {
		t.Fatalf("dispatcher sent %d, failed %d, %v", sent, failed, err)
	}
	// Nothing more to send, and nothing more to queue.
	if n := w.relayAfterHold(); n != 0 {
		t.Fatalf("a second relay queued %d", n)
	}
	if n, err := w.relay.Digest(w.ctx, calendar.DateOf(w.clock)); err != nil || n != 0 {
		t.Fatalf("a second digest queued %d, %v", n, err)
	}
	if sent, _, _ := d.RunOnce(w.ctx); sent != 0 {
		t.Fatalf("dispatcher sent %d more", sent)
	}

	got := sink.Received()
	if len(got) != 3 {
		t.Fatalf("the server received %d messages, want 3", len(got))
	}
	want := []struct{ to, subject, body string }{
		{"ada@example.org", "We have received your complaint (" + ref + ")", "acknowledge the complaint by Thursday 3 December 2026"},
		{officer, "Case " + ref + " has been assigned to you", "https://complaints.example/cases/" + ref},
		{officer, "Due on Tue 1 Dec 2026: 1 due by Thu 3 Dec 2026", ref + ": acknowledge stage 1 complaint, due Thu 3 Dec 2026"},
	}
	for i, m := range got {
		h, body := readMail(t, m)
		if len(m.To) != 1 || m.To[0] != want[i].to || h.Get("Subject") != want[i].subject || !strings.Contains(body, want[i].body) {
			t.Errorf("message %d to %v, subject %q:\n%s\nwant to %s, subject %q, containing %q", i, m.To, h.Get("Subject"), body, want[i].to, want[i].subject, want[i].body)
		}
		if h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("message %d is not marked Auto-Submitted", i)
		}
	}
	for _, m := range outbox(t, w, ref) {
		if m.Status != "sent" || m.MessageID == "" {
			t.Errorf("outbox message %d (%s) is %s, Message-ID %q", m.ID, m.Kind, m.Status, m.MessageID)
		}
	}
}
