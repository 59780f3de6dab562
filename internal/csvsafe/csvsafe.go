// Package csvsafe writes CSV that a spreadsheet opens as data, never as
// formulas. Every CSV Redress offers for download holds text that a
// resident or a member of staff typed (a service area, a category, a
// handler's name, a summary); a spreadsheet that meets a cell starting
// with = + - or @ evaluates it, so a complaint could make a manager's
// spreadsheet fetch a URL or run a command. Every CSV writer in Redress
// goes through this one guard, so no download can forget it.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// number matches a plain decimal number, as Redress writes its figures
// with strconv: -12, 0, 3.5. Such a cell cannot be a formula, and a
// negative figure quoted into text would no longer add up in a
// spreadsheet, so it is the one thing Cell leaves alone.
var number = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Cell returns s as a cell a spreadsheet will not evaluate. Following
// OWASP's advice on CSV injection, a cell that starts with =, +, -, @, a
// tab or a carriage return, after any leading spaces or line breaks
// (which some spreadsheets skip), gets a single quote in front: the
// spreadsheet shows the text as typed and runs nothing. The full-width
// forms of = + - @ count too, because some spreadsheets in East Asian
// locales read them as their ASCII selves. A plain decimal number is
// returned as it is (see number).
func Cell(s string) string {
	if number.MatchString(s) {
		return s
	}
	first := strings.TrimLeftFunc(s, func(r rune) bool { return r != '\t' && r != '\r' && unicode.IsSpace(r) })
	if r, _ := utf8.DecodeRuneInString(first); strings.ContainsRune("\t\r=+-@＝＋－＠", r) && first != "" {
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer that passes every cell through Cell.
type Writer struct {
	w *csv.Writer
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: csv.NewWriter(w)}
}

// Write writes one record, each cell made safe by Cell.
func (w *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return w.w.Write(safe)
}

// Flush writes any buffered data and returns the first error of any
// Write or of the Flush.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
