package inbound

import (
	"html"
	"regexp"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// blockTags end a line of text where they open or close; a list item
// starts one.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "table": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "pre": true,
	"blockquote": true, "section": true, "article": true, "header": true, "footer": true, "dd": true, "dt": true,
}

// hiddenTags hold no text a person reads.
var hiddenTags = map[string]bool{"script": true, "style": true, "head": true, "title": true, "template": true, "noscript": true}

// HTMLText reduces HTML to plain text: tags go, block elements end lines,
// entities are decoded, scripts and styles vanish, and the lines of a
// blockquote begin with "> " as in a plain-text reply, so StripQuoted
// treats both alike. The result is text to be escaped wherever it is
// shown, never HTML: nothing in it is trusted.
func HTMLText(s string) string {
	var out textWriter
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			out.text(s)
			break
		}
		out.text(s[:lt])
		s = s[lt:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/!?"))
		if i := strings.IndexFunc(name, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '/' }); i >= 0 {
			name = name[:i]
		}
		switch {
		case hiddenTags[name] && !closing:
			end := indexFold(s, "</"+name)
			if end < 0 {
				s = ""
				continue
			}
			s = s[end:]
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
			out.newline()
		}
	}
	return out.String()
}

// indexFold is strings.Index ignoring ASCII case, without copying s.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := strings.IndexByte(s[i:], sub[0])
		if j < 0 || i+j+len(sub) > len(s) {
			return -1
		}
		i += j
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
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

// text adds text as HTML renders it: entities decoded, every run of
// white space one space.
func (w *textWriter) text(s string) {
	s = html.UnescapeString(s)
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
