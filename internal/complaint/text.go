package complaint

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What free text may hold. Everything people type reaches a case through
// the checks here, whichever surface it came by (the API, the staff
// pages, the resident's pages, email), so one set of rules decides it.
//
// Text is refused, with the field named, when it holds characters that
// no person means to type and that change what others see:
//
//   - NUL and the other C0 and C1 control characters, and DEL: invisible,
//     they truncate text in other programs and break CSV and email;
//   - the bidirectional embedding, override and isolate characters
//     (U+202A to U+202E, U+2066 to U+2069): invisible, they reorder what
//     is shown, so "txt.exe" can read as "exe.txt" or a sum can read
//     backwards (the "Trojan Source" attack). The marks U+200E, U+200F
//     and U+061C, which right-to-left writing needs, stay allowed;
//   - bytes that are not UTF-8.
//
// Multi-line text (a description, reasons, a note) may hold line breaks
// (\n, or \r\n as browsers send them) and tabs; a one-line identifier (a
// name, an email, a handler, a service area, a reference) may hold
// neither.

// checkText checks free text that may run over several lines: it is
// required or not, at most max bytes, and free of what textProblem
// refuses.
func checkText(fe fieldErrors, field, s string, max int, required bool) {
	checkFree(fe, field, s, max, required, true)
}

// checkLine checks a one-line identifier, such as a name, an email, a
// handler or a service area, as checkText does prose, and refuses line
// breaks and tabs too.
func checkLine(fe fieldErrors, field, s string, max int, required bool) {
	checkFree(fe, field, s, max, required, false)
}

func checkFree(fe fieldErrors, field, s string, max int, required, multiLine bool) {
	switch {
	case required && fe.blank(s):
		fe.add(field, "is required")
	case len(s) > max:
		fe.add(field, "is longer than %d characters", max)
	case fe.replay:
		// Recorded before the characters were checked: see Env.Replay.
	default:
		if p := TextProblem(s, multiLine); p != "" {
			fe.add(field, "%s", p)
		}
	}
}

// blank is blank, or for a replay the first release's rule: only spaces
// are blank.
func (f fieldErrors) blank(s string) bool {
	if f.replay {
		return strings.TrimSpace(s) == ""
	}
	return blank(s)
}

// blank reports whether s has nothing a person can read: only spaces and
// invisible formatting characters such as U+200B, the zero-width space,
// which would otherwise pass for a name or a handler.
func blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// TextProblem says what makes s unfit to keep as free text, or "" if
// nothing does. Line breaks and tabs are allowed only when multiLine.
// Surfaces that validate fields of their own (users and tokens in the
// API) call it so that their rules are the domain's.
func TextProblem(s string, multiLine bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	n := 0
	for i, r := range s {
		n++
		switch {
		case r == '\n' || (r == '\r' && strings.HasPrefix(s[i+1:], "\n")):
			if !multiLine {
				return "must be one line, without line breaks"
			}
		case r == '\t':
			if !multiLine {
				return "must be one line, without tabs"
			}
		case r == 0:
			return fmt.Sprintf("contains a NUL character (U+0000) at character %d; remove it", n)
		case r == '\r':
			return fmt.Sprintf("contains a carriage return (U+000D) that does not end a line, at character %d; remove it", n)
		case isControl(r):
			return fmt.Sprintf("contains an invisible control character (U+%04X) at character %d; remove it", r, n)
		case isBidiControl(r):
			return fmt.Sprintf("contains an invisible character that reorders the text around it (U+%04X) at character %d; remove it", r, n)
		}
	}
	return ""
}

// CleanText removes from s what TextProblem refuses, instead of refusing
// it: for surfaces that must keep a resident's words even when their
// software added such characters (inbound email, the resident's pages).
// Bytes that are not UTF-8 become U+FFFD; a lone carriage return becomes
// a line break in multi-line text; in one-line text, line breaks and tabs
// become spaces.
func CleanText(s string, multiLine bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if multiLine {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			if multiLine {
				return r
			}
			return ' '
		case isControl(r) || isBidiControl(r):
			return -1
		}
		return r
	}, s)
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// isBidiControl reports whether r is one of the bidirectional embedding,
// override or isolate characters.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
