package inbound

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
)

// private marks text that must never reach the logs: every subject and
// body in these tests carries it, and every resident is @example.org.
const private = "PRIVATE"

// email is a message to build for a test.
type email struct {
	from      string // "Name <addr>" or addr
	subject   string
	messageID string // "" for none
	headers   []string
	text      string
	html      string
	files     []file
}

type file struct {
	name, contentType string
	data              []byte
	inline            bool
}

// pdf and png are small files attach.Check accepts by their content.
var (
	pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% a letter about the damp " + private + "\n%%EOF\n")
	png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 40)...)
	exe = append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 60)...)
)

// raw writes the message in MIME, CRLF line ends, files in base64.
func (e email) raw() []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", e.from)
	h("To", "Feedback <feedback@landlord.example>")
	h("Subject", mime.QEncoding.Encode("utf-8", e.subject))
	h("Date", "Tue, 24 Nov 2026 09:15:00 +0000")
	if e.messageID != "" {
		h("Message-ID", e.messageID)
	}
	for _, x := range e.headers {
		b.WriteString(x + "\r\n")
	}
	h("MIME-Version", "1.0")
	crlf := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n") }
	if len(e.files) == 0 && e.html == "" {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "8bit")
		b.WriteString("\r\n" + crlf(e.text))
		return b.Bytes()
	}
	h("Content-Type", `multipart/mixed; boundary="outer"`)
	b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n")
	b.WriteString("--outer\r\n")
	if e.html != "" {
		b.WriteString("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n")
		if e.text != "" {
			b.WriteString("--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + crlf(e.text) + "\r\n")
		}
		b.WriteString("--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + crlf(e.html) + "\r\n--alt--\r\n")
	} else {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n" + crlf(e.text) + "\r\n")
	}
	for _, f := range e.files {
		disp := "attachment"
		if f.inline {
			disp = "inline"
		}
		b.WriteString("--outer\r\n")
		fmt.Fprintf(&b, "Content-Type: %s\r\n", mime.FormatMediaType(f.contentType, map[string]string{"name": f.name}))
		fmt.Fprintf(&b, "Content-Disposition: %s\r\n", mime.FormatMediaType(disp, map[string]string{"filename": f.name}))
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(f.data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--outer--\r\n")
	return b.Bytes()
}

// Messages the tests send, also the fuzz test's seeds.
var (
	newComplaint = email{
		from: "Rita Resident <rita@example.org>", subject: "Damp and mould in my flat " + private,
		messageID: "<first.1@mail.example.net>",
		text:      "Hello,\n\nI want to complain: the damp in my bedroom has been reported three times. " + private + "\n\nRita\n",
		files:     []file{{name: "damp.pdf", contentType: "application/pdf", data: pdf}},
	}
	outOfOffice = email{
		from: "Officer <officer@landlord-partner.example>", subject: "Automatic reply: Your complaint " + private,
		messageID: "<ooo.1@mail.example.net>", headers: []string{"Auto-Submitted: auto-replied"},
		text: "I am out of the office until Monday. " + private,
	}
	bounce = []byte("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n" +
		"To: complaints@landlord.example\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"Message-ID: <bounce.1@mx.example.net>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nYour message to rita@example.org could not be delivered. " + private + "\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; rita@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n" +
		"--b--\r\n")
	// malformed says it is multipart but never ends its first part.
	malformed = []byte("From: Rita Resident <rita@example.org>\r\nSubject: Broken " + private + "\r\n" +
		"Message-ID: <broken.1@mail.example.net>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"never\"\r\n\r\n" +
		"--never\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK")
)
