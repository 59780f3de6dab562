// Package pdfdoc renders a small document model to PDF: board reports
// (headings, paragraphs, tables and bar charts) and letters to residents
// (a letterhead, an address placed for a windowed envelope, large print).
//
// The model is deliberately small and declarative. Callers say what the
// document contains, never where it goes on the page, so that every
// document Redress sends has the same margins, type sizes and page furniture,
// and so that large print is a single switch rather than a second layout.
//
// Rendering is a pure function of the Document: there is no clock, no file
// system and no randomness, so the same Document always gives the same
// bytes. That lets a letter be re-rendered later and compared with the copy
// that was sent, and lets tests compare output exactly.
//
// Text uses the Go fonts, embedded (subset) so that the PDF looks the same
// everywhere and its text can be selected, searched and read aloud. They
// cover Latin-1 and Latin Extended-A (so £, é, ŵ and ŷ for Welsh), curly
// quotes and dashes; a character they lack is printed as U+FFFD rather than
// as an invisible or misleading glyph.
package pdfdoc

import (
	"errors"
	"time"
)

// ErrInvalid is wrapped by every error that Render returns because the
// Document itself is wrong, so that callers can tell a bad document (a bug in
// the code that built it) from a failure to render a good one.
var ErrInvalid = errors.New("pdfdoc: invalid document")

// Document is everything Render needs to produce one PDF.
type Document struct {
	// Title, Subject and Author are written to the PDF's metadata, where
	// screen readers and file browsers show them. Title is also printed in
	// a running header on every page after the first, so a loose page of a
	// board pack can be traced back to its report.
	Title, Subject, Author string

	// Lang is the BCP 47 language of the text, such as "cy" for a letter
	// in Welsh. Screen readers use it to choose a voice. Empty means en-GB.
	Lang string

	// Created is written as the creation and modification date. It is
	// required, rather than defaulting to the current time, because the
	// output must be byte-for-byte the same for the same Document. It is
	// written in UTC.
	Created time.Time

	// Letterhead, if set, is drawn at the top of the first page.
	Letterhead *Letterhead

	// Recipient, if set, is the postal address, one line per element. It is
	// placed so that it shows through the window of a DL or C5 windowed
	// envelope when the A4 page is folded in three; see the constants
	// WindowLeft, WindowTop, WindowWidth and WindowHeight. Blank lines are
	// dropped.
	Recipient []string

	// Reference is printed in every page footer beside "Page N of M", so
	// that a resident who phones can quote it from any page.
	Reference string

	// Watermark, if set, is printed large, pale and diagonally across
	// every page, and beside the page number in every footer, such as
	// "DRAFT" on a board pack nobody has signed off: a loose page must
	// not pass for a final one.
	Watermark string

	// LargePrint sets body text at 16 pt and scales everything else up to
	// match, for residents who have asked for large print. It is the same
	// document, not a zoomed copy: text rewraps and tables repaginate.
	LargePrint bool

	// Blocks are the content, in reading order.
	Blocks []Block
}

// Letterhead is the landlord's identity at the top of a letter.
type Letterhead struct {
	// Name is the organisation's name, printed large and bold at the top
	// right of the first page.
	Name string
	// Address and Contact are printed under Name, one line per element;
	// Contact is for telephone numbers, email and web addresses.
	Address, Contact []string
	// Logo, if set, is a PNG or JPEG image drawn at the top left of the
	// first page, scaled to fit LogoMaxWidth by LogoMaxHeight millimetres
	// with its proportions kept.
	Logo []byte
}

// Envelope window and logo box, in millimetres from the top left corner of
// the A4 page.
//
// The window is the common UK position for DL and C5 windowed envelopes
// taking an A4 letter folded in three: 20 mm from the left edge and 45 mm
// from the top, 90 mm wide and 40 mm high. Envelope makers' windows vary by a
// few millimetres and the letter moves inside the envelope, so the address
// is set inside the window with WindowPadding on every side. The letterhead
// keeps out of the window: the logo sits above it and the name and address
// to its right.
const (
	WindowLeft    = 20.0
	WindowTop     = 45.0
	WindowWidth   = 90.0
	WindowHeight  = 40.0
	WindowPadding = 3.0

	LogoMaxWidth  = 50.0
	LogoMaxHeight = 20.0
)

// Block is one piece of content. The set of blocks is closed: it is the
// types in this package, passed by value.
type Block interface{ isBlock() }

// Heading is a section heading. Level 1 is the largest; levels run from 1 to
// 3 because deeper nesting does not help a reader of a letter or a board
// report. A heading is kept on the same page as the start of what follows it.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is running text. A blank line starts a new paragraph and a
// single line break is kept as a line break, so text typed into a form
// comes out laid out as it was typed.
type Paragraph struct {
	Text string
}

// Bullets is an unordered list. Each item may wrap onto several lines, with a
// hanging indent so the bullets stay easy to scan.
type Bullets struct {
	Items []string
}

// KeyValues is a two-column definition list, such as "Complaint
// reference" beside its value. Keys are bold and values wrap beside them.
type KeyValues struct {
	Pairs [][2]string
}

// Table is a grid of text with an optional caption and header row.
//
// Column widths are shared out in proportion to the widest text in each
// column, with a minimum so that no column is crushed; cell text wraps. A row
// is never split across pages unless it is taller than a whole page, and the
// header row is repeated at the top of every page the table continues onto,
// so each printed page can be read on its own.
type Table struct {
	// Caption is printed above the table, and above its continuation on
	// later pages, and names the table in errors.
	Caption string
	// Header is the header row. When it is empty the table has no header
	// row and the first row sets the number of columns.
	Header []string
	// Rows must each have as many cells as there are columns.
	Rows [][]string
	// NumericColumns are the zero-based indexes of columns to align right,
	// so that figures line up by their units.
	NumericColumns []int
}

// BarChart is a horizontal bar chart drawn with vector rectangles.
//
// Each bar is labelled with its value as text, so the chart can be read
// without judging bar lengths, found by searching, and read by a screen
// reader. Values must be finite and not negative: bars start at zero.
type BarChart struct {
	Title  string
	Labels []string
	Values []float64
	// Unit is printed after each value: directly after it for "%", after a
	// space for anything else ("days").
	Unit string
}

// PageBreak starts a new page. It takes effect only when more content
// follows, and at the top of a page it does nothing, so neither two in a
// row nor one at the end ever leave a blank page.
type PageBreak struct{}

func (Heading) isBlock()   {}
func (Paragraph) isBlock() {}
func (Bullets) isBlock()   {}
func (KeyValues) isBlock() {}
func (Table) isBlock()     {}
func (BarChart) isBlock()  {}
func (PageBreak) isBlock() {}
