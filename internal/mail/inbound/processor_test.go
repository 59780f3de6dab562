package inbound

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var start = time.Date(2026, 11, 24, 9, 20, 0, 0, time.UTC)

var residentAddress = regexp.MustCompile(`[A-Za-z0-9._%+-]+@example\.org`)

// rig is a Processor and a Poller over a real SQLite store, reading a
// real IMAP mailbox that a real SMTP server delivers into, on a fake
// clock.
type rig struct {
	t      *testing.T
	ctx    context.Context
	mail   *mailServers
	db     *sqldb.DB
	clock  *mailtest.Clock
	logs   *mailtest.LogBuffer
	proc   *Processor
	poller *Poller
}

func newRig(t *testing.T) *rig {
	t.Helper()
	return newRigWith(t, serverOpts{}, nil)
}

func newRigWith(t *testing.T, opts serverOpts, edit func(*Poller)) *rig {
	t.Helper()
	ctx := mailtest.Context(t)
	db := testdb.Open(t, sqldb.Options{})
	p, cal := policytest.Code(t)
	r := &rig{t: t, ctx: ctx, db: db, clock: mailtest.NewClock(start), logs: &mailtest.LogBuffer{}}
	log := slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.mail = startServers(t, r.clock.Now, opts)
	r.proc = &Processor{
		Cases:   &casework.Service{Store: db, Policy: p, Calendar: cal, Log: log, Now: r.clock.Now},
		Inbound: db,
		Own:     []string{"complaints@landlord.example", "feedback@landlord.example"},
		Log:     log,
	}
	r.poller = &Poller{Addr: r.mail.imapAddr, Security: mail.None, Username: imapUser, Password: imapPass, Processor: r.proc, Timeout: mailtest.Bound}
	if edit != nil {
		edit(r.poller)
	}
	t.Cleanup(func() {
		logs := r.logs.String()
		if strings.Contains(logs, private) || residentAddress.MatchString(logs) {
			t.Errorf("the logs hold a subject, a body or a full address:\n%s", logs)
		}
	})
	return r
}

// poll runs the poller once and returns how many messages it processed.
func (r *rig) poll() int {
	r.t.Helper()
	n, err := r.poller.RunOnce(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *rig) process(raw []byte) Result {
	r.t.Helper()
	res, err := r.proc.Process(r.ctx, raw, Origin{Source: "test"})
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

func (r *rig) cases() []complaint.Case {
	r.t.Helper()
	cs, _, err := r.db.ListCases(r.ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil {
		r.t.Fatal(err)
	}
	return cs
}

func (r *rig) events(ref string) []complaint.Event {
	r.t.Helper()
	evs, err := r.db.CaseEvents(r.ctx, ref)
	if err != nil {
		r.t.Fatal(err)
	}
	return evs
}

func (r *rig) record(key string) store.InboundMessage {
	r.t.Helper()
	m, err := r.db.InboundByKey(r.ctx, key)
	if err != nil {
		r.t.Fatalf("record of %s: %v", key, err)
	}
	return m
}

// residentSender is Redress's own Sender, sending as a resident would
// from a mail program: a real MIME message with its files.
func (r *rig) residentSender(from string) *mail.Sender {
	r.t.Helper()
	host, port := splitAddr(r.t, r.mail.smtpAddr)
	s, err := mail.NewSender(mail.Config{Host: host, Port: port, Security: mail.None, From: from, Timeout: mailtest.Bound})
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func TestAnEmailWithAPDFSentOverSMTPBecomesACaseWithTheFile(t *testing.T) {
	r := newRig(t)
	s := r.residentSender("Rita Resident <rita@example.org>")
	id, err := s.Send(r.ctx, store.OutboundMessage{To: "feedback@landlord.example", Kind: "message",
		Subject:     "Damp and mould in my flat " + private,
		TextBody:    "Hello,\n\nI want to complain: the damp in my bedroom has been reported three times. " + private + "\n\nRita\n",
		Attachments: []store.OutboundAttachment{{Name: "damp photo.pdf", ContentType: "application/pdf", Data: pdf}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d messages, want 1", n)
	}
	rec := r.record(id)
	cs := r.cases()
	if rec.Outcome != store.InboundCaseCreated || len(cs) != 1 || rec.CaseRef != cs[0].Reference {
		t.Fatalf("record %+v, %d cases", rec, len(cs))
	}
	c := cs[0]
	if c.Kind != complaint.KindComplaint || c.Channel != "email" || c.Stage != 1 || c.Complainant.Name != "Rita Resident" ||
		c.Complainant.Email != "rita@example.org" || c.Summary != "Damp and mould in my flat "+private ||
		!strings.Contains(c.Description, "reported three times") || !c.ReceivedAt.Equal(start) || c.CreatedBy != Actor.Email {
		t.Errorf("case %+v", c)
	}
	// 003: a resident who wrote by email is answered by email until
	// another way is agreed with them.
	if c.ResponseMethod != complaint.ResponseEmail {
		t.Errorf("an emailed case records response method %q, want email", c.ResponseMethod)
	}
	files, err := r.db.Attachments(r.ctx, c.Reference)
	if err != nil || len(files) != 1 {
		t.Fatalf("attachments %+v, %v", files, err)
	}
	f, err := r.db.Attachment(r.ctx, c.Reference, files[0].ID)
	if err != nil || f.Name != "damp photo.pdf" || f.ContentType != "application/pdf" || !bytes.Equal(f.Data, pdf) || f.Source != "email" {
		t.Errorf("attachment %+v, %v", f, err)
	}
	evs := r.events(c.Reference)
	if len(evs) != 2 || evs[0].Kind != complaint.EventCreated || evs[1].Kind != complaint.EventInformationAdded {
		t.Errorf("events %+v", evs)
	}
	box := r.mail.look("INBOX")
	if len(box.uids) != 1 || !box.seen[box.uids[0]] {
		t.Errorf("the processed message is not marked seen: %+v", box)
	}
	if r.poll() != 0 || len(r.cases()) != 1 {
		t.Error("a second poll found more to do")
	}
}

func TestAReplyQuotingTheReferenceLandsOnThatCaseWithItsFile(t *testing.T) {
	r := newRig(t)
	r.mail.send("rita@example.org", newComplaint.raw())
	r.poll()
	ref := r.record("<first.1@mail.example.net>").CaseRef
	r.clock.Advance(48 * time.Hour)

	// The reference is only in the quoted letter, and the reply comes
	// from the same address in another case.
	reply := email{from: "RITA@example.org", subject: "Re: Your complaint", messageID: "<reply.1@mail.example.net>",
		headers: []string{"In-Reply-To: <letter.1@landlord.example>"},
		text: "Here is a photo of the ceiling now.\n\nOn Mon, 23 Nov 2026 at 10:00, Complaints <complaints@landlord.example> wrote:\n" +
			"> Dear Rita,\n> Your complaint's reference is " + ref + ". " + private + "\n",
		files: []file{{name: "ceiling.png", contentType: "image/png", data: png, inline: true}}}
	r.mail.send("rita@example.org", reply.raw())
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d, want 1", n)
	}
	rec := r.record("<reply.1@mail.example.net>")
	if rec.Outcome != store.InboundAdded || rec.CaseRef != ref {
		t.Fatalf("reply record %+v, want added to %s", rec, ref)
	}
	if n := len(r.cases()); n != 1 {
		t.Fatalf("%d cases, want 1", n)
	}
	evs := r.events(ref)
	last := evs[len(evs)-1]
	var data map[string]any
	b, _ := json.Marshal(last.Data)
	json.Unmarshal(b, &data)
	if last.Kind != complaint.EventInformationAdded || data["source"] != "email" || data["from"] != "RITA@example.org" ||
		data["text"] != "Here is a photo of the ceiling now." || !last.At.Equal(start.Add(48*time.Hour)) {
		t.Errorf("last event %s %+v at %s", last.Kind, last.Data, last.At)
	}
	files, _ := r.db.Attachments(r.ctx, ref)
	if len(files) != 2 || files[1].Name != "ceiling.png" || files[1].ContentType != "image/png" {
		t.Errorf("attachments %+v", files)
	}
}

func TestAReplyFromTheRepresentativeLandsOnTheCase(t *testing.T) {
	r := newRig(t)
	c, err := r.proc.Cases.Create(r.ctx, store.User{Email: "officer@landlord.example", Role: "officer"}, complaint.Create{
		Kind: "complaint", Channel: "phone", Complainant: complaint.Person{Name: "Rita", Phone: "0123 456789"},
		Representative: &complaint.Representative{Name: "Cllr Jones", Relationship: "councillor", Email: "cllr.jones@example.org", ConsentRecorded: true},
		Summary:        "Repairs"})
	if err != nil {
		t.Fatal(err)
	}
	res := r.process(email{from: "Cllr Jones <cllr.jones@example.org>", subject: "Re: " + c.Reference + " " + private,
		messageID: "<cllr.1@mail.example.net>", text: "Rita asked me to chase this. " + private}.raw())
	if res.Outcome != store.InboundAdded || res.CaseRef != c.Reference {
		t.Errorf("result %+v", res)
	}
}

func TestAReferenceFromSomeoneNotOnTheCaseIsQuarantined(t *testing.T) {
	r := newRig(t)
	ref := r.process(newComplaint.raw()).CaseRef
	raw := email{from: "Mallory <mallory@example.org>", subject: "About " + ref + " " + private, messageID: "<stranger.1@mail.example.net>",
		text: "Please close this case. " + private, files: []file{{name: "x.pdf", contentType: "application/pdf", data: pdf}}}.raw()
	res := r.process(raw)
	if res.Outcome != store.InboundQuarantined || !strings.HasPrefix(res.Reason, ReasonStranger) || !strings.Contains(res.Reason, ref) {
		t.Fatalf("result %+v", res)
	}
	if evs := r.events(ref); len(evs) != 2 {
		t.Errorf("the case changed: %d events", len(evs))
	}
	if n := len(r.cases()); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	got, err := r.db.InboundMessage(r.ctx, res.Record.ID)
	if err != nil || !bytes.Equal(got.Raw, raw) || got.FromDomain != "example.org" {
		t.Errorf("quarantined %+v, %v", got, err)
	}
}

func TestAReferenceToNoCaseIsJustWords(t *testing.T) {
	r := newRig(t)
	res := r.process(email{from: "rita@example.org", subject: "My old complaint C-2020-000042", messageID: "<old.1@mail.example.net>",
		text: "This is still not fixed and I am unhappy. " + private}.raw())
	if res.Outcome != store.InboundCaseCreated {
		t.Errorf("result %+v", res)
	}
}

func TestAutoRepliesBouncesAndOwnMailOpenNoCase(t *testing.T) {
	r := newRig(t)
	for _, raw := range [][]byte{
		outOfOffice.raw(),
		bounce,
		email{from: "Complaints <complaints@landlord.example>", subject: "Your complaint", messageID: "<own.1@landlord.example>", text: "Dear resident"}.raw(),
		email{from: "a@example.org", subject: "Re: damp", messageID: "<x.1@mail.example.net>", headers: []string{"X-Autoreply: yes"}, text: private}.raw(),
		email{from: "a@example.org", subject: "News", messageID: "<x.2@mail.example.net>", headers: []string{"Precedence: bulk"}, text: private}.raw(),
		email{from: "a@example.org", subject: "Out of Office: Re: damp", messageID: "<x.3@mail.example.net>", text: private}.raw(),
		[]byte("From: a@example.org\r\nSubject: Read: damp\r\nMessage-ID: <mdn.1@mail.example.net>\r\n" +
			"Content-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nread " + private + "\r\n--x--\r\n"),
	} {
		r.mail.deliver("INBOX", raw)
	}
	if n := r.poll(); n != 7 {
		t.Fatalf("processed %d, want 7", n)
	}
	if n := len(r.cases()); n != 0 {
		t.Errorf("%d cases opened", n)
	}
	ignored, err := r.db.InboundMessages(r.ctx, store.InboundFilter{Outcome: store.InboundIgnored})
	if err != nil || len(ignored) != 7 {
		t.Fatalf("ignored %d, %v", len(ignored), err)
	}
	for _, m := range ignored {
		if m.Reason == "" {
			t.Errorf("ignored with no reason: %+v", m)
		}
	}
	if r.record("<bounce.1@mx.example.net>").Reason != "bounce: a delivery status report" {
		t.Errorf("bounce reason %q", r.record("<bounce.1@mx.example.net>").Reason)
	}
	// A resident's subject that begins like an out-of-office is theirs.
	res := r.process(email{from: "rita@example.org", subject: "Out of office hours repair never came", messageID: "<ooh.1@mail.example.net>", text: "Nobody came. " + private}.raw())
	if res.Outcome != store.InboundCaseCreated {
		t.Errorf("resident's subject: %+v", res)
	}
}

func TestAMalformedMessageIsQuarantinedAndListedNeverDropped(t *testing.T) {
	r := newRig(t)
	r.mail.send("rita@example.org", malformed)
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d, want 1", n)
	}
	list, err := r.db.InboundMessages(r.ctx, store.InboundFilter{Outcome: store.InboundQuarantined})
	if err != nil || len(list) != 1 {
		t.Fatalf("quarantine %+v, %v", list, err)
	}
	q := list[0]
	if !strings.HasPrefix(q.Reason, ReasonUnreadable) || q.FromDomain != "example.org" || !strings.HasPrefix(q.Key, "sha256:") {
		t.Errorf("quarantined %+v", q)
	}
	full, err := r.db.InboundMessage(r.ctx, q.ID)
	box := r.mail.look("INBOX")
	if err != nil || !bytes.Equal(full.Raw, box.bodies[box.uids[0]]) {
		t.Errorf("the raw message kept differs from the one in the mailbox: %v", err)
	}
	if n := len(r.cases()); n != 0 {
		t.Errorf("%d cases", n)
	}
}

func TestARefusedFileQuarantinesTheWholeMessage(t *testing.T) {
	r := newRig(t)
	res := r.process(email{from: "rita@example.org", subject: "Photos " + private, messageID: "<exe.1@mail.example.net>",
		text: "See attached. " + private, files: []file{{name: "photo.jpg", contentType: "image/jpeg", data: exe}}}.raw())
	if res.Outcome != store.InboundQuarantined || !strings.HasPrefix(res.Reason, ReasonFiles) || !strings.Contains(res.Reason, "photo.jpg") {
		t.Errorf("result %+v", res)
	}
	if n := len(r.cases()); n != 0 {
		t.Errorf("%d cases", n)
	}
}

func TestAnInvalidSenderAddressIsQuarantined(t *testing.T) {
	r := newRig(t)
	res := r.process([]byte("From: rita@localhost\r\nSubject: damp\r\nMessage-ID: <local.1@mail.example.net>\r\n\r\nThe damp is back.\r\n"))
	if res.Outcome != store.InboundQuarantined || !strings.HasPrefix(res.Reason, ReasonInvalid) || res.Record.Subject != "damp" || res.Record.FromDomain != "localhost" {
		t.Errorf("result %+v", res)
	}
	res = r.process([]byte("Subject: damp\r\nMessage-ID: <nofrom.1@mail.example.net>\r\n\r\nThe damp is back.\r\n"))
	if res.Outcome != store.InboundQuarantined || res.Reason != ReasonNoSender {
		t.Errorf("no From: %+v", res)
	}
}

func TestTheSameMessageFetchedTwiceMakesOneCase(t *testing.T) {
	r := newRig(t)
	raw := newComplaint.raw()
	r.mail.deliver("INBOX", raw)
	r.mail.deliver("INBOX", raw) // delivered twice, say to two addresses
	if n := r.poll(); n != 2 {
		t.Fatalf("processed %d, want 2", n)
	}
	again := r.process(raw)
	if !again.Repeat || again.Outcome != store.InboundCaseCreated {
		t.Errorf("third time: %+v", again)
	}
	if n := len(r.cases()); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	// Without a Message-ID, the message's hash is its key.
	noID := newComplaint
	noID.messageID = ""
	first, second := r.process(noID.raw()), r.process(noID.raw())
	if first.Repeat || !second.Repeat || first.CaseRef != second.CaseRef || !strings.HasPrefix(first.Record.Key, "sha256:") {
		t.Errorf("without a Message-ID: %+v then %+v", first, second)
	}
	if n := len(r.cases()); n != 2 {
		t.Errorf("%d cases, want 2", n)
	}
}

// failingStore fails to open cases until told otherwise, as a store
// that is down would.
type failingStore struct {
	store.InboundStore
	fail bool
}

var errDown = errors.New("disk I/O error")

func (f *failingStore) CreateCaseFromInbound(ctx context.Context, m store.InboundMessage, create func(store.NewReference) (complaint.Case, complaint.Event, error), attach store.Decision, files []store.Attachment) (complaint.Case, store.InboundMessage, error) {
	if f.fail {
		return complaint.Case{}, m, errDown
	}
	return f.InboundStore.CreateCaseFromInbound(ctx, m, create, attach, files)
}

func TestRunOnceMarksAMessageSeenOnlyAfterItsOutcomeIsCommitted(t *testing.T) {
	r := newRig(t)
	fs := &failingStore{InboundStore: r.db, fail: true}
	r.proc.Inbound = fs
	r.mail.send("rita@example.org", newComplaint.raw())
	n, err := r.poller.RunOnce(r.ctx)
	if n != 0 || !errors.Is(err, errDown) {
		t.Fatalf("with the store down: %d, %v", n, err)
	}
	box := r.mail.look("INBOX")
	if len(box.uids) != 1 || box.seen[box.uids[0]] {
		t.Fatalf("a message not processed was marked seen: %+v", box.seen)
	}
	fs.fail = false
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d after the store came back", n)
	}
	box = r.mail.look("INBOX")
	if !box.seen[box.uids[0]] || len(r.cases()) != 1 {
		t.Errorf("seen %v, %d cases", box.seen, len(r.cases()))
	}
}

func TestAMessageProcessedButNotMarkedSeenIsRecognisedNextTime(t *testing.T) {
	r := newRig(t)
	r.mail.send("rita@example.org", newComplaint.raw())
	// As if a poller had committed the case and crashed before STORE.
	box := r.mail.look("INBOX")
	first := r.process(box.bodies[box.uids[0]])
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d", n)
	}
	if n := len(r.cases()); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	if !r.mail.look("INBOX").seen[box.uids[0]] || first.Outcome != store.InboundCaseCreated {
		t.Error("the message was not marked seen the second time")
	}
}

func TestProcessedMailMovesToProcessedWhenThatMailboxExists(t *testing.T) {
	r := newRigWith(t, serverOpts{}, func(p *Poller) { p.MoveTo = "Processed" })
	r.mail.send("rita@example.org", newComplaint.raw())
	r.mail.send("rita@example.org", malformed)
	// No Processed mailbox yet: both are marked seen and stay.
	if n := r.poll(); n != 2 {
		t.Fatalf("processed %d", n)
	}
	if box := r.mail.look("INBOX"); len(box.uids) != 2 {
		t.Fatalf("inbox holds %d", len(box.uids))
	}
	if err := r.mail.user.Create("Processed", nil); err != nil {
		t.Fatal(err)
	}
	r.mail.send("rita@example.org", outOfOffice.raw())
	r.mail.send("rita@example.org", email{from: "rita@example.org", subject: "Broken", text: "x", messageID: "<m.2@mail.example.net>",
		files: []file{{name: "a.exe", contentType: "application/octet-stream", data: exe}}}.raw())
	if n := r.poll(); n != 2 {
		t.Fatalf("processed %d", n)
	}
	inbox, done := r.mail.look("INBOX"), r.mail.look("Processed")
	// The quarantined message stays where people look; the ignored one
	// moves.
	if len(inbox.uids) != 3 || len(done.uids) != 1 || !bytes.Contains(done.bodies[done.uids[0]], []byte("Automatic reply")) {
		t.Errorf("inbox %d, processed %d", len(inbox.uids), len(done.uids))
	}
}

func TestPollerSpeaksTLSAndSTARTTLS(t *testing.T) {
	for _, mode := range []string{mail.TLS, mail.StartTLS} {
		t.Run(mode, func(t *testing.T) {
			cfg, pool := mailtest.SelfSigned(t)
			r := newRigWith(t, serverOpts{tls: cfg, implicitTLS: mode == mail.TLS}, func(p *Poller) {
				p.Security, p.RootCAs = mode, pool
			})
			r.mail.send("rita@example.org", newComplaint.raw())
			if n := r.poll(); n != 1 || len(r.cases()) != 1 {
				t.Errorf("processed %d", n)
			}
			// A server whose certificate is not trusted is refused.
			r.poller.RootCAs = x509.NewCertPool()
			if _, err := r.poller.RunOnce(r.ctx); err == nil {
				t.Error("an untrusted certificate was accepted")
			}
		})
	}
}

func TestPollerRefusesPlainTextToAnotherMachineAndAWrongPassword(t *testing.T) {
	r := newRig(t)
	p := &Poller{Addr: "imap.example.net:143", Security: mail.None, Username: "u", Password: "p", Processor: r.proc}
	if err := p.Check(); complaint.ErrorCode(err) != complaint.Invalid || !strings.Contains(err.Error(), "security") {
		t.Errorf("plain text to another machine: %v", err)
	}
	if err := (&Poller{Addr: "imap.example.net:993", Username: "u", Password: "p", Processor: &Processor{}}).Check(); err == nil || !strings.Contains(err.Error(), "processor") {
		t.Errorf("a processor with nothing to work with: %v", err)
	}
	r.poller.Password = "wrong"
	if _, err := r.poller.RunOnce(r.ctx); err == nil || !strings.Contains(err.Error(), "log in") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestAMessageTooLargeToProcessIsQuarantinedByItsHeaderAndLeftInTheMailbox(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 26 MB")
	}
	r := newRig(t)
	big := append(email{from: "rita@example.org", subject: "Video " + private, messageID: "<big.1@mail.example.net>", text: ""}.raw(),
		bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678\r\n"), (MaxSize/75)+1000)...)
	r.mail.deliver("INBOX", big)
	if n := r.poll(); n != 1 {
		t.Fatalf("processed %d", n)
	}
	rec := r.record("<big.1@mail.example.net>")
	full, _ := r.db.InboundMessage(r.ctx, rec.ID)
	if rec.Outcome != store.InboundQuarantined || !strings.HasPrefix(rec.Reason, ReasonTooLarge) || len(full.Raw) > 4096 ||
		!bytes.HasPrefix(big, full.Raw) {
		t.Errorf("record %+v with %d bytes", rec, len(full.Raw))
	}
	if box := r.mail.look("INBOX"); len(box.uids) != 1 || !box.seen[box.uids[0]] {
		t.Error("the large message is not in the mailbox, seen")
	}
}

func TestALongMessageKeepsItsWholeTextAsAFile(t *testing.T) {
	r := newRig(t)
	long := strings.Repeat("The damp is getting worse every week and nobody has come. ", 600) + private
	res := r.process(email{from: "rita@example.org", subject: "Damp", messageID: "<long.1@mail.example.net>", text: long}.raw())
	c, err := r.db.GetCase(r.ctx, res.CaseRef)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Description) > 20000 || !strings.HasSuffix(c.Description, "attached as message.txt.]") {
		t.Errorf("description of %d bytes ends %q", len(c.Description), c.Description[len(c.Description)-40:])
	}
	files, _ := r.db.Attachments(r.ctx, c.Reference)
	if len(files) != 1 || files[0].Name != "message.txt" || files[0].Size != int64(len(long)) {
		t.Errorf("files %+v", files)
	}
}

func TestAMessageIsDatedWhenTheMailServerReceivedIt(t *testing.T) {
	r := newRig(t)
	r.mail.deliver("INBOX", newComplaint.raw())
	r.clock.Advance(30 * time.Hour) // the poller was down
	r.poll()
	c := r.cases()[0]
	if !c.ReceivedAt.Equal(start) {
		t.Errorf("received %s, want %s", c.ReceivedAt, start)
	}
}

// A mail program that adds bidi overrides or control characters (the
// case rules refuse them) must not cost the resident their complaint:
// the case is made with their words, without those characters.
func TestAnEmailWithControlAndBidiCharactersStillMakesACase(t *testing.T) {
	r := newRig(t)
	res := r.process(email{from: "Rita \u202eSmith <rita@example.org>", subject: "Damp\u0007 in the \u202ebathroom", messageID: "<bidi.1@mail.example.net>",
		text: "The damp\u0000 is back \u2066again\u2069.\nPlease help."}.raw())
	if res.Outcome != store.InboundCaseCreated {
		t.Fatalf("result %+v, want a case", res)
	}
	cases := r.cases()
	if len(cases) != 1 {
		t.Fatalf("%d cases, want 1", len(cases))
	}
	c := cases[0]
	for field, got := range map[string]string{"name": c.Complainant.Name, "summary": c.Summary, "description": c.Description} {
		if p := complaint.TextProblem(got, true); p != "" {
			t.Errorf("the case's %s %q keeps a refused character: %s", field, got, p)
		}
	}
	if c.Summary != "Damp in the bathroom" || !strings.Contains(c.Description, "The damp is back again.") || c.Complainant.Name != "Rita Smith" {
		t.Errorf("the resident's words were not kept: name %q, summary %q, description %q", c.Complainant.Name, c.Summary, c.Description)
	}
}
