package inbound

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Actor is who Redress records as acting on a case for a message: the
// system, not the sender, whose address a message can only claim. The
// sender's address is on the information_added event as From and on a
// new case as the complainant's email.
var Actor = complaint.Actor{Email: "inbound email", Role: "system"}

// Reasons a message is quarantined that callers may test for.
const (
	ReasonUnreadable = "the message cannot be read"
	ReasonStranger   = "reference found but sender not on the case"
	ReasonNoSender   = "the message has no sender address to reply to"
	ReasonFiles      = "a file was refused"
	ReasonTooLarge   = "the message is too large"
	ReasonInvalid    = "the message cannot make a valid case"
)

// Processor decides what an inbound message becomes and records it. Its
// case work goes through the rules of the complaint package under the
// policy, calendar and clock of Cases; its records go to Inbound.
type Processor struct {
	// Cases gives the store, policy, calendar and clock.
	Cases *casework.Service
	// Inbound records every message; it is usually the same store as
	// Cases.Store.
	Inbound store.InboundStore
	// Own are Redress's own addresses: the From of its outbound mail and
	// the feedback address itself. Mail from them is ignored, so Redress
	// never makes a case of its own mail.
	Own []string
	// Log defaults to Cases.Log, or to discarding.
	Log *slog.Logger
	// Observed, if set, is called once for each message Process or
	// Oversize is given, with what became of it, for the operator's
	// metrics: one of the store's inbound outcomes (store.InboundOutcomes),
	// OutcomeRepeat, or OutcomeError. It must be quick and safe for
	// concurrent use.
	Observed func(outcome string)
}

// Outcomes Observed is told of besides the store's.
const (
	// OutcomeRepeat is a message processed before: nothing was done now.
	OutcomeRepeat = "repeat"
	// OutcomeError is a message that could not be recorded (the store is
	// down, say): it was not handled and is fetched again later.
	OutcomeError = "error"
)

// observe tells Observed what became of one message.
func (p *Processor) observe(r Result, err error) {
	if p.Observed == nil {
		return
	}
	switch {
	case err != nil:
		p.Observed(OutcomeError)
	case r.Repeat:
		p.Observed(OutcomeRepeat)
	default:
		p.Observed(r.Outcome)
	}
}

// Origin is where a message came from.
type Origin struct {
	// Source names the message in its mailbox, such as
	// "INBOX/1712345678/42" (mailbox, UIDVALIDITY, UID).
	Source string
	// ArrivedAt is when the mail server received the message (IMAP's
	// INTERNALDATE). A complaint's clock starts then, not when Redress
	// fetched it. Zero, or a time in the future, means now.
	ArrivedAt time.Time
}

// Result is what became of a message.
type Result struct {
	// Outcome is one of store.InboundCaseCreated, InboundAdded,
	// InboundIgnored and InboundQuarantined.
	Outcome string
	CaseRef string
	Reason  string
	// Repeat is set when the message had been processed before: Outcome
	// and CaseRef are what happened then, and nothing was done now.
	Repeat bool
	// Record is the message's record in the inbound store.
	Record store.InboundMessage
}

func (p *Processor) log() *slog.Logger {
	switch {
	case p.Log != nil:
		return p.Log
	case p.Cases != nil && p.Cases.Log != nil:
		return p.Cases.Log
	}
	return slog.New(slog.DiscardHandler)
}

// classLabels name the classes of mail that open no case, for people.
var classLabels = map[Class]string{AutoReply: "auto-reply", Bounce: "bounce", Own: "Redress's own mail"}

// Key returns the key a message is recorded under: its Message-ID, or
// the hash of the raw message when it has none (or one too long to be
// real).
func Key(messageID string, raw []byte) string {
	if messageID != "" && len(messageID) <= 998 && utf8.ValidString(messageID) {
		return messageID
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Process handles one raw message: it opens a case, adds to one, ignores
// the message or quarantines it, and records which in the same
// transaction, so a message processed twice is handled once. The error
// is for a failure to record (the store is down, the context ended): the
// message was not handled and should be processed again later.
func (p *Processor) Process(ctx context.Context, raw []byte, o Origin) (Result, error) {
	r, err := p.process(ctx, raw, o)
	p.observe(r, err)
	return r, err
}

func (p *Processor) process(ctx context.Context, raw []byte, o Origin) (Result, error) {
	now := p.Cases.Now()
	if o.ArrivedAt.IsZero() || o.ArrivedAt.After(now) {
		o.ArrivedAt = now
	}
	sum := sha256.Sum256(raw)
	rec := store.InboundMessage{SHA256: hex.EncodeToString(sum[:]), Source: o.Source, ArrivedAt: o.ArrivedAt, ProcessedAt: now}

	if len(raw) > MaxSize {
		return p.oversize(ctx, headerOf(raw), int64(len(raw)), o)
	}
	m, parseErr := Parse(raw)
	rec.Key = Key(m.MessageID, raw)
	if parseErr != nil {
		// The body could not be read; the header may say who sent it and
		// what about, for the person who looks at it.
		rec.Key = Key("", raw)
		m, _ = ParseHeader(headerOf(raw))
	}
	// A resident's mail program may add control or bidi characters the
	// case rules refuse; their words are kept without them rather than
	// the message quarantined as invalid.
	m.Subject = complaint.CleanText(m.Subject, false)
	m.From.Name = complaint.CleanText(m.From.Name, false)
	m.Text = complaint.CleanText(m.Text, true)
	if r, done, err := p.repeat(ctx, rec.Key); done || err != nil {
		return r, err
	}
	rec.FromDomain, rec.Subject = domainOf(m.From.Address), clipString(m.Subject, 500)
	if parseErr != nil {
		return p.quarantine(ctx, rec, raw, ReasonUnreadable+": "+parseErr.Error())
	}
	if class, why := Classify(m, p.Own...); class != Person {
		rec.Outcome, rec.Reason, rec.Raw = store.InboundIgnored, classLabels[class]+": "+why, raw
		return p.record(ctx, rec)
	}
	if m.From.Address == "" {
		return p.quarantine(ctx, rec, raw, ReasonNoSender)
	}
	files, err := checkFiles(m.Attachments)
	if err != nil {
		return p.quarantine(ctx, rec, raw, ReasonFiles+": "+err.Error())
	}

	// A reference the sender may add to wins; one on a case they are not
	// on is a person's to look at; one on no case is only words.
	var strangers []string
	for _, ref := range FindReferences(m.Subject, m.Text) {
		c, err := p.Cases.Store.GetCase(ctx, ref)
		if complaint.ErrorCode(err) == complaint.NotFound {
			continue
		}
		if err != nil {
			return Result{}, fmt.Errorf("find case %s: %w", ref, err)
		}
		if onCase(c, m.From.Address) {
			return p.add(ctx, rec, raw, m, c.Reference, files)
		}
		strangers = append(strangers, c.Reference)
	}
	if len(strangers) > 0 {
		return p.quarantine(ctx, rec, raw, ReasonStranger+" ("+strings.Join(strangers, ", ")+")")
	}
	return p.create(ctx, rec, raw, m, files)
}

// Oversize quarantines a message too large to parse, keeping its header
// (the caller keeps the message itself, in the mailbox).
func (p *Processor) Oversize(ctx context.Context, header []byte, size int64, o Origin) (Result, error) {
	r, err := p.oversize(ctx, header, size, o)
	p.observe(r, err)
	return r, err
}

func (p *Processor) oversize(ctx context.Context, header []byte, size int64, o Origin) (Result, error) {
	now := p.Cases.Now()
	if o.ArrivedAt.IsZero() || o.ArrivedAt.After(now) {
		o.ArrivedAt = now
	}
	header = headerOf(header)
	sum := sha256.Sum256(header)
	rec := store.InboundMessage{SHA256: hex.EncodeToString(sum[:]), Source: o.Source, ArrivedAt: o.ArrivedAt, ProcessedAt: now}
	m, _ := ParseHeader(header)
	// The header alone is not the message, so its hash is no key; a
	// message without a Message-ID is keyed by its header and size.
	rec.Key = Key(m.MessageID, fmt.Appendf(slices.Clip(header), "\x00%d", size))
	if r, done, err := p.repeat(ctx, rec.Key); done || err != nil {
		return r, err
	}
	rec.FromDomain, rec.Subject = domainOf(m.From.Address), clipString(m.Subject, 500)
	reason := fmt.Sprintf("%s: %.1f MB, over the limit of %d MB; only its header is kept here, the message is left in the mailbox", ReasonTooLarge, float64(size)/(1<<20), MaxSize>>20)
	return p.quarantine(ctx, rec, header, reason)
}

// headerOf returns the header block of a raw message, blank line
// included, at most 1 MB.
func headerOf(raw []byte) []byte {
	raw = raw[:min(len(raw), 1<<20)]
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 {
			return raw[:i+len(sep)]
		}
	}
	return raw
}

// repeat returns the result of a message processed before, if it was.
func (p *Processor) repeat(ctx context.Context, key string) (Result, bool, error) {
	prev, err := p.Inbound.InboundByKey(ctx, key)
	switch {
	case err == nil:
		p.log().Info("inbound mail seen before", "message_key", logKey(key), "outcome", prev.Outcome, "reference", prev.CaseRef)
		return Result{Outcome: prev.Outcome, CaseRef: prev.CaseRef, Reason: prev.Reason, Repeat: true, Record: prev}, true, nil
	case complaint.ErrorCode(err) == complaint.NotFound:
		return Result{}, false, nil
	}
	return Result{}, true, fmt.Errorf("look up inbound message: %w", err)
}

// afterRepeat turns the store's ErrInboundRepeat, from a message recorded
// by another process between the look-up and the write, into its result.
func (p *Processor) afterRepeat(ctx context.Context, key string, err error) (Result, error) {
	if errors.Is(err, store.ErrInboundRepeat) {
		r, _, err := p.repeat(ctx, key)
		return r, err
	}
	return Result{}, err
}

func (p *Processor) quarantine(ctx context.Context, rec store.InboundMessage, raw []byte, reason string) (Result, error) {
	rec.Outcome, rec.Reason, rec.Raw = store.InboundQuarantined, clipString(reason, 2000), raw
	return p.record(ctx, rec)
}

func (p *Processor) record(ctx context.Context, rec store.InboundMessage) (Result, error) {
	saved, err := p.Inbound.RecordInbound(ctx, rec)
	if err != nil {
		return p.afterRepeat(ctx, rec.Key, err)
	}
	log := p.log().Info
	if saved.Outcome == store.InboundQuarantined {
		log = p.log().Warn
	}
	log("inbound mail "+saved.Outcome, "message_key", logKey(saved.Key), "source", saved.Source, "from_domain", saved.FromDomain, "reason", reasonForLog(saved.Reason), "inbound_id", saved.ID)
	return Result{Outcome: saved.Outcome, Reason: saved.Reason, Record: saved}, nil
}

// checkFiles checks a message's files as a submission through the
// resident's pages is checked.
func checkFiles(atts []Attachment) ([]attach.File, error) {
	if len(atts) == 0 {
		return nil, nil
	}
	names := make([]string, len(atts))
	datas := make([][]byte, len(atts))
	for i, a := range atts {
		names[i], datas[i] = a.Name, a.Data
	}
	return attach.CheckAll(names, datas)
}

// onCase reports whether addr is the complainant's or the
// representative's email on c.
func onCase(c complaint.Case, addr string) bool {
	if addr == "" {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(c.Complainant.Email), addr) {
		return true
	}
	return c.Representative != nil && strings.EqualFold(strings.TrimSpace(c.Representative.Email), addr)
}

// Length limits of the complaint package: a case's description and added
// text, its summary and a person's name.
const (
	maxCaseText = 20000
	maxSummary  = 200
	maxName     = 200
)

// fullText is the name of the file that holds a message's whole text
// when it is too long for the case.
const fullText = "message.txt"

// caseText returns text to put on a case, cut to fit with a note, and the
// whole text as a file if it was cut.
func caseText(text string) (string, *attach.File, error) {
	if len(text) <= maxCaseText {
		return text, nil, nil
	}
	note := "\n\n[The message continues: its whole text is attached as " + fullText + ".]"
	cut, _ := clip(text, maxCaseText-len(note))
	f, err := attach.Check(fullText, []byte(text))
	if err != nil {
		return "", nil, err
	}
	return cut + note, &f, nil
}

func toStore(files []attach.File, at time.Time, by string) []store.Attachment {
	out := make([]store.Attachment, len(files))
	for i, f := range files {
		out[i] = store.Attachment{Name: f.Name, ContentType: f.ContentType, Data: f.Data, SHA256: f.SHA256,
			Source: "email", AddedAt: at, AddedBy: by}
	}
	return out
}

func refs(files []attach.File) []complaint.AttachmentRef {
	var out []complaint.AttachmentRef
	for _, f := range files {
		out = append(out, f.Ref())
	}
	return out
}

func (p *Processor) env(at time.Time, nr store.NewReference) complaint.Env {
	return complaint.Env{Now: p.Cases.Now(), At: at, Actor: Actor, Policy: p.Cases.Policy, Calendar: p.Cases.Calendar, NewReference: nr}
}

// add adds the message to the case ref as information from its sender,
// without the quoted history of a reply.
func (p *Processor) add(ctx context.Context, rec store.InboundMessage, raw []byte, m Message, ref string, files []attach.File) (Result, error) {
	text := StripQuoted(m.Text)
	if text == "" && len(files) == 0 {
		text = m.Text
	}
	if strings.TrimSpace(text) == "" && len(files) == 0 {
		text = "(The email had no text.)"
	}
	text, whole, err := caseText(text)
	if err != nil {
		return p.quarantine(ctx, rec, raw, ReasonFiles+": "+err.Error())
	}
	if whole != nil {
		files = append(files, *whole)
	}
	// The subject is on the case; the record of a handled message keeps
	// none.
	handled := rec
	handled.Subject = ""
	decide := func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		// Information is dated when it arrived, but never before what the
		// case already records.
		at := rec.ArrivedAt
		if at.Before(c.LastEventAt) {
			at = c.LastEventAt
		}
		info := complaint.AddInformation{Source: "email", From: clipString(m.From.Address, maxName), Text: text, Attachments: refs(files)}
		return complaint.Decide(c, info, p.env(at, nr))
	}
	c, saved, err := p.Inbound.AddInboundInformation(ctx, handled, ref, decide, toStore(files, rec.ArrivedAt, Actor.Email))
	if err != nil {
		if refused(err) {
			return p.quarantine(ctx, rec, raw, ReasonInvalid+": "+err.Error())
		}
		return p.afterRepeat(ctx, rec.Key, err)
	}
	p.log().Info("inbound mail added to case", "message_key", logKey(saved.Key), "source", saved.Source, "from_domain", saved.FromDomain,
		"reference", c.Reference, "files", len(files), "inbound_id", saved.ID)
	return Result{Outcome: saved.Outcome, CaseRef: c.Reference, Record: saved}, nil
}

// create logs the message as a new contact from its sender, with its
// files on an information_added event after the case's first.
func (p *Processor) create(ctx context.Context, rec store.InboundMessage, raw []byte, m Message, files []attach.File) (Result, error) {
	text := m.Text
	description, whole, err := caseText(text)
	if err != nil {
		return p.quarantine(ctx, rec, raw, ReasonFiles+": "+err.Error())
	}
	if whole != nil {
		files = append(files, *whole)
	}
	name := m.From.Name
	if name == "" {
		name = m.From.Address
	}
	received := rec.ArrivedAt
	cmd := complaint.Create{
		Kind: KindOf(m.Subject, text), Channel: "email", ReceivedAt: &received,
		Complainant: complaint.Person{Name: clipString(name, maxName), Email: m.From.Address},
		Summary:     summaryOf(m.Subject, text, len(files) > 0),
		Description: description,
		// A resident who wrote by email is answered by email unless they
		// agree otherwise (003: agree how they would like us to respond).
		ResponseMethod: complaint.ResponseEmail,
	}
	// The subject is on the case; the record of a handled message keeps
	// none.
	handled := rec
	handled.Subject = ""
	create := func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, p.env(time.Time{}, nr))
	}
	attachFiles := func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		info := complaint.AddInformation{Source: "email", From: clipString(m.From.Address, maxName), Text: "Sent with the email that opened this case.", Attachments: refs(files)}
		return complaint.Decide(c, info, p.env(received, nr))
	}
	c, saved, err := p.Inbound.CreateCaseFromInbound(ctx, handled, create, attachFiles, toStore(files, received, Actor.Email))
	if err != nil {
		if refused(err) {
			return p.quarantine(ctx, rec, raw, ReasonInvalid+": "+err.Error())
		}
		return p.afterRepeat(ctx, rec.Key, err)
	}
	p.log().Info("inbound mail opened a case", "message_key", logKey(saved.Key), "source", saved.Source, "from_domain", saved.FromDomain,
		"reference", c.Reference, "kind", c.Kind, "files", len(files), "inbound_id", saved.ID)
	return Result{Outcome: saved.Outcome, CaseRef: c.Reference, Record: saved}, nil
}

// refused reports whether err is the rules refusing the message (an
// invalid field, a lifecycle conflict) rather than a failure to store it,
// so that the message goes to a person instead of being tried again.
func refused(err error) bool {
	if errors.Is(err, store.ErrInboundRepeat) {
		return false
	}
	switch complaint.ErrorCode(err) {
	case complaint.Invalid, complaint.Conflict, complaint.TooLarge, complaint.NotFound:
		return true
	}
	return false
}

// summaryOf is a new case's summary: the subject, else the first line of
// the text.
func summaryOf(subject, text string, files bool) string {
	s := cleanLine(subject)
	if s == "" {
		for _, l := range strings.Split(text, "\n") {
			if l = cleanLine(l); l != "" && !strings.HasPrefix(l, ">") {
				s = l
				break
			}
		}
	}
	if s == "" {
		s = "Email with no subject or text"
		if files {
			s = "Email with files and no subject or text"
		}
	}
	if len(s) > maxSummary {
		s, _ = clip(s, maxSummary-len("…"))
		s += "…"
	}
	return s
}

func clipString(s string, n int) string {
	s, _ = clip(s, n)
	return s
}

// domainOf returns the domain of an address, lower case, or "".
func domainOf(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || at == len(addr)-1 {
		return ""
	}
	return clipString(strings.ToLower(addr[at+1:]), 253)
}

// logKey names a message in the logs by a short hash of its key: a
// Message-ID can hold the sender's user name, and the logs must name no
// one. The inbound record joins the two.
func logKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// reasonForLog keeps a reason's first clause: later parts may quote a
// file's name, which could name a person.
func reasonForLog(reason string) string {
	before, _, _ := strings.Cut(reason, ":")
	return before
}
