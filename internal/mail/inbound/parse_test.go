package inbound

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/complaint"
)

func mustParse(t *testing.T, raw []byte) Message {
	t.Helper()
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseReadsTheHeaderTextAndFiles(t *testing.T) {
	e := newComplaint
	e.headers = []string{"In-Reply-To: <letter.1@landlord.example>", "References: <a@x.example> <letter.1@landlord.example>"}
	e.files = append(e.files, file{name: "photo.png", contentType: "image/png", data: png, inline: true})
	m := mustParse(t, e.raw())
	if m.From != (Address{Name: "Rita Resident", Address: "rita@example.org"}) || m.Subject != "Damp and mould in my flat "+private ||
		m.MessageID != "<first.1@mail.example.net>" || !m.Date.Equal(time.Date(2026, 11, 24, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("header: %+v", m)
	}
	if !slices.Equal(m.InReplyTo, []string{"<letter.1@landlord.example>"}) || !slices.Equal(m.References, []string{"<a@x.example>", "<letter.1@landlord.example>"}) {
		t.Errorf("threading: %q %q", m.InReplyTo, m.References)
	}
	if !strings.HasPrefix(m.Text, "Hello,\n\nI want to complain") || strings.Contains(m.Text, "\r") || m.FromHTML {
		t.Errorf("text %q", m.Text)
	}
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "damp.pdf" || !bytes.Equal(m.Attachments[0].Data, pdf) || m.Attachments[0].Inline ||
		m.Attachments[1].Name != "photo.png" || !m.Attachments[1].Inline {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestParsePrefersPlainTextToHTML(t *testing.T) {
	m := mustParse(t, email{from: "a@example.org", subject: "s", text: "Plain words.", html: "<p>HTML words.</p>"}.raw())
	if m.Text != "Plain words." || m.FromHTML || len(m.Attachments) != 0 {
		t.Errorf("%q fromHTML=%v files=%d", m.Text, m.FromHTML, len(m.Attachments))
	}
	m = mustParse(t, email{from: "a@example.org", subject: "s", html: "<div>The boiler&nbsp;is <b>broken</b> &amp; cold.</div><script>alert(1)</script>"}.raw())
	if m.Text != "The boiler is broken & cold." || !m.FromHTML {
		t.Errorf("from HTML: %q", m.Text)
	}
}

func TestParseDecodesCharsetsAndEncodedWords(t *testing.T) {
	raw := []byte("From: =?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <renee@example.org>\r\n" +
		"Subject: =?utf-8?B?RGFtcCDigJMgc3RpbGwgbm90IGZpeGVk?=\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Co=FBt: =A3200 per month.\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''lettre%20d%C3%A9tail.pdf\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n")
	m := mustParse(t, raw)
	if m.From.Name != "Renée Dupré" || m.Subject != "Damp – still not fixed" || m.Text != "Coût: £200 per month." {
		t.Errorf("%+v / %q / %q", m.From, m.Subject, m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "lettre détail.pdf" || string(m.Attachments[0].Data) != "%PDF-1.4\n" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestParseReadsAnUnknownCharsetAsItIs(t *testing.T) {
	m := mustParse(t, []byte("From: a@example.org\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nHello \xff there"))
	if m.Text != "Hello \uFFFD there" {
		t.Errorf("%q", m.Text)
	}
}

func TestParseFallsBackToTheAngleAddressOfAnOddFrom(t *testing.T) {
	m := mustParse(t, []byte("From: Smith, J. (Flat 3) <j.smith@example.org>\r\n\r\nHello"))
	if m.From.Address != "j.smith@example.org" {
		t.Errorf("%+v", m.From)
	}
}

func TestParseLeavesOutSignaturesAndNamesUnnamedFiles(t *testing.T) {
	raw := []byte("From: a@example.org\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\r\n\r\n" +
		"--s\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n" +
		"--m\r\nContent-Type: text/plain\r\n\r\nSigned words.\r\n" +
		"--m\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--m--\r\n" +
		"--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n--s--\r\n")
	m := mustParse(t, raw)
	if m.Text != "Signed words." || len(m.Attachments) != 1 || m.Attachments[0].Name != "attachment-1.png" {
		t.Errorf("%q %+v", m.Text, m.Attachments)
	}
}

func TestParseRefusesWhatItCannotReadWhole(t *testing.T) {
	deep := "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for i := 1; i <= MaxDepth+2; i++ {
		deep += "--b" + string(rune('0'+i-1)) + "\r\nContent-Type: multipart/mixed; boundary=b" + string(rune('0'+i)) + "\r\n\r\n"
	}
	many := "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		strings.Repeat("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", MaxParts+1) + "--b--\r\n"
	for name, raw := range map[string][]byte{
		"too large":         make([]byte, MaxSize+1),
		"no header":         []byte("\r\n\r\njust a body"),
		"unended multipart": malformed,
		"no boundary":       []byte("From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhi\r\n--x--\r\n"),
		"too deep":          []byte(deep),
		"too many parts":    []byte(many),
		"header too large":  append([]byte("From: a@example.org\r\nX-Long: "), bytes.Repeat([]byte("a"), maxHeader+1)...),
	} {
		if _, err := Parse(raw); err == nil {
			t.Errorf("%s: parsed", name)
		} else if name == "too large" && !errors.Is(err, ErrTooLarge) {
			t.Errorf("too large: %v", err)
		}
	}
}

func TestParseCutsTheTextAtMaxText(t *testing.T) {
	m := mustParse(t, []byte("From: a@example.org\r\n\r\n"+strings.Repeat("é", MaxText)))
	if !m.Truncated || len(m.Text) > MaxText || !utf8.ValidString(m.Text) {
		t.Errorf("truncated %v, %d bytes", m.Truncated, len(m.Text))
	}
}

func TestHTMLTextQuotesBlockquotesAndDropsScripts(t *testing.T) {
	for in, want := range map[string]string{
		"<p>One</p><p>Two<br>Three</p>":                                 "One\n\nTwo\nThree",
		"<ul><li>a</li><li>b</li></ul>":                                 "- a\n- b",
		"<style>p{color:red}</style><p>x</p>":                           "x",
		"<SCRIPT>document.write('<p>no</p>')</SCRIPT>yes":               "yes",
		"<!-- hidden <p>no</p> -->shown":                                "shown",
		"Thanks<div>On Mon, A wrote:<blockquote>old</blockquote></div>": "Thanks\nOn Mon, A wrote:\n> old",
		"&lt;script&gt;alert(1)&lt;/script&gt;":                         "<script>alert(1)</script>",
		"unterminated <b":                                               "unterminated",
		"a\n\n   b":                                                     "a b",
		"<table><tr><td>Rent</td><td>£100</td></tr></table>":            "Rent £100",
	} {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHTMLTextKeepsEveryWordTheResidentWrote feeds HTMLText what mail
// programs and residents really send: a "<" that starts no tag, markup
// hidden in attributes, links, entities and a head left open. Whatever the
// markup, the resident's words come through whole and nothing from inside
// a tag does.
func TestHTMLTextKeepsEveryWordTheResidentWrote(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"a less-than sign in the text", "<p>5 < 6 and 7 > 3</p>", "5 < 6 and 7 > 3"},
		{"a less-than sign before a digit", "<p>rent went from <100 to >200</p>", "rent went from <100 to >200"},
		{"a greater-than sign inside an attribute", `<p title="a > b">Damp in the bedroom</p>`, "Damp in the bedroom"},
		{"markup inside an attribute", `<img alt="<script>x</script> leaked" src="cid:1"><span data-x='">leaked'>Mould</span>`, "Mould"},
		{"an attribute value with no quotes and a >", `<font face=Arial>Heating</font> off`, "Heating off"},
		{"a link keeps its address", `See <a href="https://photos.example.org/damp">my photos</a>.`, "See my photos (https://photos.example.org/damp)."},
		{"a link whose text is its address", `<a href="https://example.org/">https://example.org</a>`, "https://example.org"},
		{"an email link whose text is the address", `<a href="mailto:ada@example.org">ada@example.org</a>`, "ada@example.org"},
		{"a link that means nothing outside the message", `<a href="javascript:alert(1)">click</a> <a href="#top">top</a>`, "click top"},
		{"entities decoded once", "Caf&eacute; &pound;5 &#8212; &amp;lt;b&amp;gt; &nbsp;ok", "Café £5 — &lt;b&gt; ok"},
		{"a whole document", "<!DOCTYPE html><html><head><title>Mail</title><style>p{}</style><meta charset=utf-8></head><body><p>Hello</p><p>The boiler</p></body></html>", "Hello\n\nThe boiler"},
		{"a head left open", "<head><title>Subject</title><body><p>Words after it</p>", "Words after it"},
		{"line breaks and list items", "<div>one<br/>two</div><ol><li>first</li><li>second</li></ol>", "one\ntwo\n\n- first\n- second"},
		{"preformatted lines", "<pre>line 1\nline 2</pre>", "line 1\nline 2"},
		{"a script written in capitals", "<SCRIPT>if (a < b) { document.write('<p>no</p>') }</SCRIPT>yes", "yes"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("%s: HTMLText(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestFindReferencesPrefersTheSubjectAndNormalisesTheForm(t *testing.T) {
	for _, tc := range []struct {
		subject, body string
		want          []string
	}{
		{"Re: Your complaint C-2026-000123", "see C-2025-000001", []string{"C-2026-000123", "C-2025-000001"}},
		{"", "> Your reference is c-2026-000123.", []string{"C-2026-000123"}},
		{"ref C 2026 000123", "C–2026–000123 again", []string{"C-2026-000123"}},
		{"C-2026-0001234", "XC-2026-000123", nil},
		{"nothing", "here", nil},
	} {
		if got := FindReferences(tc.subject, tc.body); !slices.Equal(got, tc.want) {
			t.Errorf("FindReferences(%q, %q) = %q, want %q", tc.subject, tc.body, got, tc.want)
		}
	}
}

func TestStripQuotedRemovesMarkedHistoryOnly(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"gmail", "Thanks, photo attached.\n\nOn Mon, 23 Nov 2026 at 10:00, Complaints <c@landlord.example> wrote:\n> Dear Rita\n> C-2026-000001", "Thanks, photo attached."},
		{"wrapped", "Yes.\n\nOn Mon, 23 Nov 2026 at 10:00, Complaints Team\n<c@landlord.example> wrote:\n\nold text", "Yes."},
		{"outlook", "Fine by me.\n\n-----Original Message-----\nFrom: Complaints\nSent: Monday\nold", "Fine by me."},
		{"outlook rule", "Fine.\n\n________________________________\nFrom: Complaints <c@landlord.example>\nSent: 23 November 2026\nold", "Fine."},
		{"outlook header", "Agreed.\n\nFrom: Complaints <c@landlord.example>\nSent: 23 November 2026 10:00\nTo: Rita\nold", "Agreed."},
		{"inline answers", "> Can we visit on Monday?\nYes, after 2pm.\n> Is the leak worse?\nMuch worse.", "Yes, after 2pm.\nMuch worse."},
		{"nothing quoted", "On the whole I am unhappy.\nThe roof leaks.", "On the whole I am unhappy.\nThe roof leaks."},
		{"all quoted", "> old\n> older", ""},
		{"from in text", "From: my flat, the leak is visible.\nPlease come.", "From: my flat, the leak is visible.\nPlease come."},
	} {
		if got := StripQuoted(tc.in); got != tc.want {
			t.Errorf("%s: StripQuoted = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestKindOfMakesDissatisfactionAComplaint(t *testing.T) {
	for _, tc := range []struct {
		subject, text string
		want          complaint.Kind
	}{
		{"Formal complaint", "", complaint.KindComplaint},
		{"Repairs", "I am really not happy with how long this is taking.", complaint.KindComplaint},
		{"Damp", "I am dissatisfied with the service.", complaint.KindComplaint},
		{"Thank you", "I wanted to compliment the caretaker.", complaint.KindEnquiry},
		{"Bins", "When is collection day?", complaint.KindEnquiry},
		{"Re: bins", "Thanks.\n\nOn Mon, A wrote:\n> Sorry you are unhappy", complaint.KindEnquiry},
	} {
		if got := KindOf(tc.subject, tc.text); got != tc.want {
			t.Errorf("KindOf(%q, %q) = %s, want %s", tc.subject, tc.text, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	own := []string{"complaints@landlord.example"}
	for _, tc := range []struct {
		name string
		raw  string
		want Class
	}{
		{"person", "From: a@example.org\r\nSubject: Damp\r\n\r\nhi", Person},
		{"auto-submitted no", "From: a@example.org\r\nAuto-Submitted: no\r\n\r\nhi", Person},
		{"out of office hours", "From: a@example.org\r\nSubject: Out of office hours repair\r\n\r\nhi", Person},
		{"auto-replied", "From: a@example.org\r\nAuto-Submitted: auto-replied\r\n\r\nhi", AutoReply},
		{"auto-generated", "From: a@example.org\r\nAuto-Submitted: auto-generated; owner-email=x@y\r\n\r\nhi", AutoReply},
		{"x-autorespond", "From: a@example.org\r\nX-Autorespond: yes\r\n\r\nhi", AutoReply},
		{"suppress", "From: a@example.org\r\nX-Auto-Response-Suppress: All\r\n\r\nhi", AutoReply},
		{"precedence junk", "From: a@example.org\r\nPrecedence: junk\r\n\r\nhi", AutoReply},
		{"precedence list", "From: a@example.org\r\nPrecedence: list\r\n\r\nhi", AutoReply},
		{"automatic reply", "From: a@example.org\r\nSubject: Automatic reply: Damp\r\n\r\nhi", AutoReply},
		{"out of office", "From: a@example.org\r\nSubject: Out of Office\r\n\r\nhi", AutoReply},
		{"empty return path", "Return-Path: <>\r\nFrom: a@example.org\r\nSubject: hello\r\n\r\nhi", AutoReply},
		{"delivery status", "From: a@example.org\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b--\r\n", Bounce},
		{"mailer-daemon", "From: MAILER-DAEMON@mx.example.net\r\n\r\nhi", Bounce},
		{"postmaster", "From: Postmaster <postmaster@example.org>\r\n\r\nhi", Bounce},
		{"failed recipients", "From: a@example.org\r\nX-Failed-Recipients: b@example.org\r\n\r\nhi", Bounce},
		{"bounce subject", "Return-Path: <>\r\nFrom: a@example.org\r\nSubject: Undeliverable: Damp\r\n\r\nhi", Bounce},
		{"own", "From: Complaints <Complaints@Landlord.example>\r\n\r\nhi", Own},
	} {
		got, why := Classify(mustParse(t, []byte(tc.raw)), own...)
		if got != tc.want || (got != Person && why == "") {
			t.Errorf("%s: %s (%s), want %s", tc.name, got, why, tc.want)
		}
	}
}

// FuzzParse feeds the parser any bytes: it must not panic, must respect
// its limits, and what it returns must be safe for the rest of the
// package.
func FuzzParse(f *testing.F) {
	for _, raw := range [][]byte{newComplaint.raw(), outOfOffice.raw(), bounce, malformed,
		email{from: "a@example.org", subject: "s", text: "Plain words.", html: "<p>HTML <blockquote>old</blockquote></p>"}.raw(),
		[]byte("From: =?ISO-8859-1?Q?Ren=E9e?= <r@example.org>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCo=FBt"),
	} {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if len(raw) > MaxSize && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("a message over MaxSize: %v", err)
		}
		if err != nil {
			if m.From != (Address{}) || m.Text != "" || m.Attachments != nil {
				t.Fatal("an error came with part of a message")
			}
			_, _ = ParseHeader(raw)
			return
		}
		if len(m.Text) > MaxText || !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) || !utf8.ValidString(m.From.Name) {
			t.Fatalf("text of %d bytes, valid %v", len(m.Text), utf8.ValidString(m.Text))
		}
		if strings.ContainsAny(m.Subject+m.From.Name, "\r\n") {
			t.Fatalf("a header value spans lines: %q %q", m.Subject, m.From.Name)
		}
		total := 0
		for _, a := range m.Attachments {
			total += len(a.Data)
			if a.Name == "" || strings.ContainsAny(a.Name, "\r\n") {
				t.Fatalf("attachment name %q", a.Name)
			}
		}
		if len(m.Attachments) > MaxParts || total > MaxSize {
			t.Fatalf("%d attachments of %d bytes from %d bytes", len(m.Attachments), total, len(raw))
		}
		Classify(m, "complaints@landlord.example")
		for _, ref := range FindReferences(m.Subject, m.Text) {
			if len(ref) != len("C-2026-000123") {
				t.Fatalf("reference %q", ref)
			}
		}
		if s := StripQuoted(m.Text); len(s) > len(m.Text) {
			t.Fatal("StripQuoted grew the text")
		}
		KindOf(m.Subject, m.Text)
	})
}
