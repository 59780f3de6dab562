// Package inbound turns email sent to the landlord's feedback address into
// case work: a new contact, or information added to the case whose
// reference the message quotes, with its files.
//
// Parse reads a raw message into a Message, pure and bounded in what it
// reads, so that any input (a fuzz test feeds it garbage) ends in a
// Message or an error, never a panic or a runaway allocation. Classify
// tells auto-replies, bounces and Redress's own mail from mail a person
// wrote; FindReferences and StripQuoted read the text. A Processor
// decides what each message becomes and records it, once however often
// it is fetched; a Poller fetches new mail from an IMAP mailbox and hands
// it to the Processor, marking a message seen only after its outcome is
// committed.
//
// A message is never dropped: one that cannot be parsed, or whose files
// are refused, or that quotes a case its sender is not on, is kept whole
// in quarantine for a person. Logs name messages by Message-ID and
// senders by domain only, never by address, subject or body.
package inbound

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // Decodes the charsets mail arrives in, not only UTF-8 and ASCII.
	gomail "github.com/emersion/go-message/mail"
)

// Limits on what Parse reads. A message over MaxSize is not parsed; one
// with more parts than MaxParts or nested deeper than MaxDepth is taken
// as malformed. The text is cut at MaxText bytes, which is far more than
// a person writes and than a case holds.
const (
	MaxSize  = 25 << 20
	MaxParts = 100
	MaxDepth = 10
	MaxText  = 1 << 20
	// maxHeader bounds the header block of the message and of each part.
	maxHeader = 256 << 10
)

// ErrTooLarge is the error of Parse for a message over MaxSize.
var ErrTooLarge = fmt.Errorf("the message is larger than %d MB", MaxSize>>20)

// Address is a sender.
type Address struct {
	Name    string
	Address string
}

// Attachment is a file that came with a message, inline images
// included. ContentType is what the message declared, which nobody
// should trust: attach.Check reads the type from the content.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
	Inline      bool
}

// Message is a parsed email.
type Message struct {
	From    Address
	Subject string
	// Date is the Date header; zero if it is missing or unreadable.
	Date time.Time
	// MessageID, InReplyTo and References hold message ids with their
	// angle brackets, as they appear in headers.
	MessageID  string
	InReplyTo  []string
	References []string
	// Text is the body as plain text: the text/plain parts, or else the
	// HTML parts reduced to text. Lines end in "\n".
	Text string
	// FromHTML is set when Text was made from HTML.
	FromHTML bool
	// Truncated is set when the text was cut at MaxText.
	Truncated   bool
	Attachments []Attachment
	// Header is the top-level header, for Classify.
	Header gomail.Header
}

// Parse reads a raw message. It fails on a message over MaxSize, on one
// whose header or structure cannot be read, and on one with too many or
// too deeply nested parts: what it returns is the whole message or an
// error, never a message missing a part it could not read. Unknown
// charsets and transfer encodings are not errors; such parts are read as
// they are.
func Parse(raw []byte) (Message, error) {
	m, e, err := parseHeader(raw)
	if err != nil {
		return Message{}, err
	}
	w := walker{}
	if err := w.walk(e, 0); err != nil {
		return Message{}, err
	}
	switch {
	case w.plain.Len() > 0:
		m.Text = w.plain.String()
	case w.html.Len() > 0:
		m.Text, m.FromHTML = HTMLText(w.html.String()), true
	}
	m.Text, m.Truncated = clip(strings.TrimSpace(normaliseNewlines(m.Text)), MaxText)
	m.Truncated = m.Truncated || w.truncated
	m.Attachments = w.files
	return m, nil
}

// ParseHeader reads only the header of a raw message: the sender, the
// subject, the date and the message ids. It reads what it can of a
// message Parse refuses, so that a person looking at it in quarantine
// knows who sent it and what about.
func ParseHeader(raw []byte) (Message, error) {
	m, _, err := parseHeader(raw[:min(len(raw), maxHeader)])
	return m, err
}

func parseHeader(raw []byte) (Message, *message.Entity, error) {
	if len(raw) > MaxSize {
		return Message{}, nil, ErrTooLarge
	}
	e, err := message.ReadWithOptions(bytes.NewReader(raw), &message.ReadOptions{MaxHeaderBytes: maxHeader})
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return Message{}, nil, fmt.Errorf("the header cannot be read: %w", err)
	}
	h := gomail.Header{Header: e.Header}
	if h.Len() == 0 {
		return Message{}, nil, errors.New("the message has no header")
	}
	m := Message{Header: h}
	m.From = fromOf(h)
	if s, err := h.Subject(); err == nil {
		m.Subject = cleanLine(s)
	} else {
		m.Subject = cleanLine(h.Get("Subject"))
	}
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = "<" + id + ">"
	} else if v := strings.TrimSpace(h.Get("Message-Id")); v != "" {
		m.MessageID = cleanLine(v)
	}
	m.InReplyTo = msgIDs(h, "In-Reply-To")
	m.References = msgIDs(h, "References")
	return m, e, nil
}

// fromOf reads the From header, falling back to the first <address> in
// it when it does not parse: real mail often has a display name RFC 5322
// would not allow.
func fromOf(h gomail.Header) Address {
	if list, err := h.AddressList("From"); err == nil && len(list) > 0 {
		return Address{Name: cleanLine(list[0].Name), Address: list[0].Address}
	}
	v := h.Get("From")
	if a, err := mail.ParseAddress(v); err == nil {
		return Address{Name: cleanLine(a.Name), Address: a.Address}
	}
	if m := angleAddr.FindStringSubmatch(v); m != nil {
		if a, err := mail.ParseAddress(m[1]); err == nil {
			name := strings.Trim(strings.TrimSpace(v[:strings.Index(v, "<")]), `"`)
			if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
				name = dec
			}
			return Address{Name: cleanLine(name), Address: a.Address}
		}
	}
	return Address{}
}

var angleAddr = regexp.MustCompile(`<([^<>\s]+@[^<>\s]+)>`)

func msgIDs(h gomail.Header, key string) []string {
	ids, err := h.MsgIDList(key)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, "<"+id+">")
	}
	return out
}

// walker collects a message's text and files, part by part.
type walker struct {
	parts       int
	plain, html strings.Builder
	truncated   bool
	files       []Attachment
	fileBytes   int
}

// signatures are parts that sign a message rather than carry anything
// the resident sent; they are left out rather than refused.
var signatures = map[string]bool{
	"application/pkcs7-signature":   true,
	"application/x-pkcs7-signature": true,
	"application/pgp-signature":     true,
}

func (w *walker) walk(e *message.Entity, depth int) error {
	w.parts++
	if w.parts > MaxParts {
		return fmt.Errorf("the message has more than %d parts", MaxParts)
	}
	if depth > MaxDepth {
		return fmt.Errorf("the message's parts are nested more than %d deep", MaxDepth)
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				return fmt.Errorf("a part cannot be read: %w", err)
			}
			if err := w.walk(p, depth+1); err != nil {
				return err
			}
		}
	}
	ct, ctParams, err := e.Header.ContentType()
	if err != nil || ct == "" {
		ct = "text/plain"
	}
	disp, dParams, _ := e.Header.ContentDisposition()
	name := dParams["filename"]
	if name == "" {
		name = ctParams["name"]
	}
	attached := strings.EqualFold(disp, "attachment")
	if !attached && (ct == "text/plain" || ct == "text/html") {
		b, cut, err := readAtMost(e.Body, MaxText)
		if err != nil {
			return fmt.Errorf("a text part cannot be read: %w", err)
		}
		w.truncated = w.truncated || cut
		text := strings.ToValidUTF8(string(b), "\uFFFD")
		dst := &w.plain
		if ct == "text/html" {
			dst = &w.html
		}
		if dst.Len() > 0 {
			dst.WriteString("\n\n")
		}
		if dst.Len()+len(text) > MaxText {
			w.truncated = true
			return nil
		}
		dst.WriteString(text)
		return nil
	}
	if signatures[ct] {
		_, err := io.Copy(io.Discard, io.LimitReader(e.Body, MaxSize))
		return err
	}
	data, cut, err := readAtMost(e.Body, MaxSize-w.fileBytes)
	if err != nil {
		return fmt.Errorf("an attachment cannot be read: %w", err)
	}
	// Decoding shrinks base64 and quoted-printable, but a text file is
	// converted to UTF-8, which can grow it.
	if w.fileBytes += len(data); cut {
		return fmt.Errorf("the files come to more than %d MB", MaxSize>>20)
	}
	if name == "" {
		name = fmt.Sprintf("attachment-%d", len(w.files)+1)
		if exts, _ := mime.ExtensionsByType(ct); len(exts) > 0 {
			name += exts[0]
		}
	}
	w.files = append(w.files, Attachment{Name: cleanLine(name), ContentType: ct, Data: data, Inline: !attached})
	return nil
}

// readAtMost reads r to its end or to n bytes, and says if it was cut.
func readAtMost(r io.Reader, n int) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(n)+1))
	if len(b) > n {
		return b[:n], true, nil
	}
	return b, false, err
}

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

func normaliseNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// cleanLine makes header text one line of valid UTF-8 without control
// characters.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
