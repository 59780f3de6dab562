package inbound

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/redresshq/redress/internal/complaint"
)

// blockTags end a line of text where they open or close; a list item
// starts one.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "table": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "pre": true,
	"blockquote": true, "section": true, "article": true, "header": true, "footer": true, "dd": true, "dt": true,
	"address": true, "figure": true, "figcaption": true, "main": true, "nav": true, "aside": true, "dl": true,
}

// hiddenTags hold no text a person reads.
var hiddenTags = map[string]bool{"script": true, "style": true, "head": true, "title": true, "template": true, "noscript": true}

// linkSchemes are the link addresses worth keeping beside a link's text:
// relative, javascript: and cid: addresses mean nothing outside the
// message.
var linkSchemes = []string{"http://", "https://", "mailto:", "tel:"}

// HTMLText reduces HTML to plain text as a browser would show it, read
// by golang.org/x/net/html's tokenizer so that a "<" in the resident's
// words ("5 < 6") stays text and a ">" inside an attribute never leaks
// into it. Block elements end lines, list items start "- ", entities are
// decoded, scripts, styles and the head vanish, a link keeps its text and
// its address in brackets when they differ, and the lines of a
// blockquote begin with "> " as in a plain-text reply, so StripQuoted
// treats both alike. The result is text to be escaped wherever it is
// shown, never HTML: nothing in it is trusted.
func HTMLText(s string) string {
	var out textWriter
	z := html.NewTokenizer(strings.NewReader(s))
	hidden := map[string]int{} // open hidden elements by name
	hiddenOpen := func() bool {
		for _, n := range hidden {
			if n > 0 {
				return true
			}
		}
		return false
	}
	pre := 0
	var link *openLink
	endLink := func() {
		if link != nil && link.href != "" && !sameAddress(link.href, link.text.String()) {
			out.text(" (" + link.href + ")")
		}
		link = nil
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF, or a tokenizer error on broken HTML: either way
			// what was read so far is all the text there is.
			break
		}
		switch tt {
		case html.TextToken:
			if hiddenOpen() {
				continue
			}
			text := string(z.Text())
			if link != nil {
				link.text.WriteString(text)
			}
			if pre > 0 {
				for i, l := range strings.Split(text, "\n") {
					if i > 0 {
						out.newline()
					}
					out.text(l)
				}
				continue
			}
			out.text(text)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			b, hasAttr := z.TagName()
			name := string(b)
			closing := tt == html.EndTagToken
			switch {
			case hiddenTags[name]:
				switch {
				case closing:
					hidden[name] = max(hidden[name]-1, 0)
				case tt == html.StartTagToken:
					hidden[name]++
				}
			case name == "body" && !closing:
				// A head left open ends where the body begins.
				hidden["head"] = 0
			case hiddenOpen():
			case name == "a":
				endLink()
				if !closing {
					link = &openLink{}
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							link.href = linkAddress(string(v))
						}
					}
				}
			case name == "blockquote":
				out.newline()
				if closing {
					out.depth = max(out.depth-1, 0)
				} else {
					out.depth++
				}
			case name == "li" && !closing:
				out.newline()
				out.text("- ")
			case (name == "td" || name == "th") && !closing:
				out.text(" ")
			case blockTags[name]:
				if name == "pre" && tt != html.SelfClosingTagToken {
					if closing {
						pre = max(pre-1, 0)
					} else {
						pre++
					}
				}
				out.newline()
			}
		}
	}
	endLink()
	return out.String()
}

// openLink is a link being read: its address and the text shown for it.
type openLink struct {
	href string
	text strings.Builder
}

// linkAddress returns a link's address if it is one a reader can use
// outside the message, or "".
func linkAddress(href string) string {
	href = strings.TrimSpace(href)
	for _, scheme := range linkSchemes {
		if len(href) > len(scheme) && strings.EqualFold(href[:len(scheme)], scheme) {
			return href
		}
	}
	return ""
}

// sameAddress reports whether a link's text already says its address, as
// in <a href="mailto:ada@example.org">ada@example.org</a>, so the
// address is not written twice.
func sameAddress(href, text string) bool {
	text = strings.Join(strings.Fields(text), " ")
	for _, h := range []string{href, strings.TrimSuffix(href, "/")} {
		for _, scheme := range linkSchemes {
			if len(h) >= len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
				if strings.EqualFold(h[len(scheme):], text) || strings.EqualFold(strings.TrimSuffix(h[len(scheme):], "/"), text) {
					return true
				}
			}
		}
		if strings.EqualFold(h, text) {
			return true
		}
	}
	return false
}

// textWriter builds lines of text, each at a quoting depth.
type textWriter struct {
	lines []textLine
	depth int
}

type textLine struct {
	depth int
	text  strings.Builder
}

func (w *textWriter) current() *textLine {
	if len(w.lines) == 0 {
		w.lines = append(w.lines, textLine{depth: w.depth})
	}
	return &w.lines[len(w.lines)-1]
}

func (w *textWriter) newline() {
	w.current()
	w.lines = append(w.lines, textLine{depth: w.depth})
}

// text adds text as HTML renders it, every run of white space one
// space. The tokenizer has already decoded its entities: decoding again
// would turn a resident's "&amp;lt;" into "<".
func (w *textWriter) text(s string) {
	if strings.TrimSpace(s) == "" {
		if s != "" {
			if l := w.current(); l.text.Len() > 0 {
				l.text.WriteByte(' ')
			}
		}
		return
	}
	l := w.current()
	if l.text.Len() == 0 {
		l.depth = w.depth
	}
	if s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' {
		l.text.WriteByte(' ')
	}
	l.text.WriteString(strings.Join(strings.Fields(s), " "))
	if last := s[len(s)-1]; last == ' ' || last == '\t' || last == '\n' || last == '\r' {
		l.text.WriteByte(' ')
	}
}

func (w *textWriter) String() string {
	var b strings.Builder
	blank := 0
	for _, l := range w.lines {
		t := strings.Join(strings.Fields(strings.ReplaceAll(l.text.String(), "\u00a0", " ")), " ")
		if t == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString(strings.Repeat("\n", min(blank, 1)+1))
		}
		blank = 0
		b.WriteString(strings.Repeat("> ", min(l.depth, 10)))
		b.WriteString(t)
	}
	return b.String()
}

// referencePattern finds case references as people write them: C-2026-000123,
// in any case, with a hyphen, a dash or a space between the parts.
var referencePattern = regexp.MustCompile(`(?i)\bC[-‐–— ]?(\d{4})[-‐–— ]?(\d{6})\b`)

// FindReferences returns the case references in a message, those in the
// subject first, each once, in the form store.FormatReference writes. A
// reference in quoted text counts: a reply quoting Redress's own letter
// carries its reference there.
func FindReferences(subject, body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range []string{subject, body} {
		for _, m := range referencePattern.FindAllStringSubmatch(s, 20) {
			ref := "C-" + m[1] + "-" + m[2]
			if !seen[ref] {
				seen[ref] = true
				out = append(out, ref)
			}
		}
	}
	return out
}

var (
	// onWrote starts the quoted history of most mail programs: "On Mon,
	// 1 Dec 2026 at 09:00, Complaints <c@example> wrote:", sometimes
	// wrapped onto two lines.
	onWrote = regexp.MustCompile(`(?i)^\s*on\b.{0,300}\bwrote:\s*$`)
	onStart = regexp.MustCompile(`(?i)^\s*on\s.{0,300}$`)
	wrote   = regexp.MustCompile(`(?i)^.{0,200}\bwrote:\s*$`)
	// original starts Outlook's: "-----Original Message-----", or a rule
	// of underscores or a "From:" line followed by "Sent:" or "Date:".
	original  = regexp.MustCompile(`(?i)^\s*-{2,}\s*original message\s*-{2,}\s*$`)
	underline = regexp.MustCompile(`^\s*_{10,}\s*$`)
	fromLine  = regexp.MustCompile(`(?i)^\s*\*?from:\*?\s`)
	sentLine  = regexp.MustCompile(`(?i)^\s*\*?(sent|date):\*?\s`)
)

// maxHeaderLine is the longest line taken for the start of quoted
// history; longer lines are text.
const maxHeaderLine = 500

// StripQuoted removes the quoted history from a reply, where it is
// clearly marked: everything from an "On ... wrote:" line or Outlook's
// "Original Message" block on, and every line that begins with ">". What
// the sender wrote between quoted lines stays. It returns "" if nothing
// but quotation is left.
func StripQuoted(text string) string {
	lines := strings.Split(normaliseNewlines(text), "\n")
	cut := len(lines)
	for i, l := range lines {
		if len(l) > maxHeaderLine {
			continue
		}
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		if onWrote.MatchString(l) || onStart.MatchString(l) && wrote.MatchString(next) && !strings.HasPrefix(strings.TrimSpace(next), ">") ||
			original.MatchString(l) || underline.MatchString(l) && fromLine.MatchString(firstNonEmpty(lines[i+1:])) ||
			fromLine.MatchString(l) && headerBlock(lines[i+1:]) {
			cut = i
			break
		}
	}
	var kept []string
	for _, l := range lines[:cut] {
		if strings.HasPrefix(strings.TrimSpace(l), ">") {
			continue
		}
		kept = append(kept, strings.TrimRight(l, " \t"))
	}
	out := strings.TrimSpace(strings.Join(kept, "\n"))
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return out
}

func firstNonEmpty(lines []string) string {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

// headerBlock reports whether a "Sent:" or "Date:" line follows within
// the next few lines, as in a quoted Outlook header.
func headerBlock(lines []string) bool {
	for i, l := range lines {
		if i >= 4 {
			break
		}
		if sentLine.MatchString(l) {
			return true
		}
	}
	return false
}

// dissatisfaction is wording that says a person is unhappy with the
// service: the Code's definition of a complaint.
var dissatisfaction = regexp.MustCompile(`(?i)\b(complain(t|ts|ed|ing)?|dissatisf(ied|action)|unhappy|not happy|not satisfied|unsatisfied|unacceptable|disgusted|appalled|fed up)\b`)

// KindOf says what kind of contact a new message is. The Code makes any
// expression of dissatisfaction a complaint, whether or not the word is
// used, and a complaint's clock starts when it is received, so a message
// whose words say the sender is unhappy is logged as a complaint at once.
// Anything else is an enquiry, the neutral kind, for staff to triage:
// they can convert it into a complaint, while a wrongly logged complaint
// cannot be made anything else and would count in the Tenant Satisfaction
// Measures.
func KindOf(subject, text string) complaint.Kind {
	if dissatisfaction.MatchString(subject) || dissatisfaction.MatchString(StripQuoted(text)) {
		return complaint.KindComplaint
	}
	return complaint.KindEnquiry
}
