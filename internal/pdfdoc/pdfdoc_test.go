package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// created is the fixed creation time every test document uses.
var created = time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)

// report returns a board-report-like document with every kind of block
// and a table of the given number of rows. Its text includes the
// characters the package promises to handle: £, en dash, curly quotes, é,
// and Welsh ŵ and ŷ.
func report(rows int) Document {
	table := Table{
		Caption:        "Open complaints",
		Header:         []string{"Reference", "Summary", "Stage", "Compensation"},
		NumericColumns: []int{3},
	}
	for i := range rows {
		summary := "Damp and mould in the back bedroom"
		if i%3 == 0 {
			summary = "Repairs to the boiler were promised for ‘next week’ three times; the resident has been without heating – and hot water – since January"
		}
		table.Rows = append(table.Rows, []string{
			fmt.Sprintf("CMP-%04d", i+1), summary, fmt.Sprintf("Stage %d", i%2+1), fmt.Sprintf("£%d.%02d", i*13, i%100),
		})
	}
	return Document{
		Title:     "Quarterly complaints report",
		Subject:   "Complaints to the board, January to March",
		Author:    "Complaints team",
		Created:   created,
		Reference: "BR-2026-Q1",
		Blocks: []Block{
			Heading{Level: 1, Text: "Complaints in the quarter"},
			Paragraph{Text: "We received 42 complaints and paid £1,234 in compensation – up on last quarter’s ‘low’ figure.\n\nThe café in Tŷ Newydd and the flats at Pen-y-Dŵr account for a third of them."},
			Heading{Level: 2, Text: "What went well"},
			Bullets{Items: []string{"Acknowledged within five working days", "Fewer escalations to stage 2 than in any quarter since the Code began, because more stage 1 responses explained the outcome in full"}},
			Heading{Level: 3, Text: "Figures"},
			KeyValues{Pairs: [][2]string{{"Received", "42"}, {"Closed", "39"}}},
			BarChart{Title: "Working days to respond", Labels: []string{"Repairs", "Anti-social behaviour", "Rent"}, Values: []float64{12, 7.5, 3}, Unit: "days"},
			table,
		},
	}
}

// letter returns a letter to a resident with a letterhead and an address.
func letter() Document {
	return Document{
		Title:     "Your complaint",
		Created:   created,
		Reference: "CMP-0042",
		Letterhead: &Letterhead{
			Name:    "Cartref Housing",
			Address: []string{"1 High Street", "Aberystwyth", "SY23 1AA"},
			Contact: []string{"0300 123 4567", "complaints@example.org"},
		},
		Recipient: []string{"Mrs Gwenllian Ŵyn", "Flat 2", "3 Station Road", "Aberystwyth", "SY23 2BB"},
		Blocks: []Block{
			Paragraph{Text: "Dear Mrs Ŵyn"},
			Paragraph{Text: "Thank you for telling us about the repair to your kitchen window. We have logged it as a stage 1 complaint."},
		},
	}
}

// pageCount counts the page objects in an fpdf document, whose object
// dictionaries are written uncompressed.
func pageCount(b []byte) int {
	return bytes.Count(b, []byte("<</Type /Page\n"))
}

func mustRender(t testing.TB, d Document) []byte {
	t.Helper()
	b, err := Render(d)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("Render returned %q..., not a PDF", b[:min(len(b), 16)])
	}
	return b
}

func TestRenderIsDeterministic(t *testing.T) {
	for name, d := range map[string]func() Document{
		"report": func() Document { return report(80) },
		"letter": letter,
		"large print letter with logo": func() Document {
			d := letter()
			d.LargePrint = true
			d.Letterhead.Logo = pngLogo(t, false)
			return d
		},
	} {
		t.Run(name, func(t *testing.T) {
			// Fresh Documents each time, so no state can carry over.
			a, b := mustRender(t, d()), mustRender(t, d())
			if !bytes.Equal(a, b) {
				t.Fatalf("two renders of the same document differ: %d and %d bytes", len(a), len(b))
			}
			later := d()
			later.Created = later.Created.Add(time.Hour)
			if bytes.Equal(a, mustRender(t, later)) {
				t.Error("changing Created did not change the output: the date is not being written")
			}
		})
	}
}

// TestRenderIsSafeConcurrently renders from several goroutines at once, as
// web handlers will; run it with -race to check for shared state.
func TestRenderIsSafeConcurrently(t *testing.T) {
	want := mustRender(t, report(20))
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = Render(report(20)) })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("goroutine %d rendered different bytes", i)
		}
	}
}

func TestRenderIgnoresCreatedTimeZone(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no Europe/London zone: %v", err)
	}
	d := letter()
	utc := mustRender(t, d)
	d.Created = d.Created.In(london)
	if !bytes.Equal(utc, mustRender(t, d)) {
		t.Error("the same instant in another time zone gave different bytes")
	}
}

func TestRenderRejectsInvalidDocuments(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Document)
		want string // in the error message
	}{
		{"no creation time", func(d *Document) { d.Created = time.Time{} }, "Created is required"},
		{"language tag that would break the PDF", func(d *Document) { d.Lang = "en) /Evil (" }, "BCP 47"},
		{"heading level 0", func(d *Document) { d.Blocks = []Block{Heading{Level: 0, Text: "Intro"}} }, `block 1: heading "Intro" has level 0, want 1, 2 or 3`},
		{"heading level 4", func(d *Document) { d.Blocks = []Block{Paragraph{Text: "x"}, Heading{Level: 4, Text: "Deep"}} }, `block 2: heading "Deep" has level 4`},
		{"heading without text", func(d *Document) { d.Blocks = []Block{Heading{Level: 1, Text: " \n "}} }, "has no text"},
		{"nil block", func(d *Document) { d.Blocks = []Block{nil} }, "block 1: block is nil"},
		{"pointer to a block", func(d *Document) { d.Blocks = []Block{&Heading{Level: 1, Text: "x"}} }, "*pdfdoc.Heading is not a block"},
		{
			"table row with too few cells",
			func(d *Document) {
				d.Blocks = []Block{Table{Caption: "Complaints by stage", Header: []string{"Stage", "Count"}, Rows: [][]string{{"1", "30"}, {"2", "9"}, {"3"}}}}
			},
			`table "Complaints by stage" row 3 has 1 cells, want 2`,
		},
		{
			"table row with too many cells, no header",
			func(d *Document) { d.Blocks = []Block{Table{Rows: [][]string{{"a", "b"}, {"c", "d", "e"}}}} },
			"table row 2 has 3 cells, want 2",
		},
		{"table without columns", func(d *Document) { d.Blocks = []Block{Table{Caption: "Empty"}} }, `table "Empty" has no columns`},
		{
			"numeric column out of range",
			func(d *Document) {
				d.Blocks = []Block{Table{Caption: "T", Header: []string{"a", "b"}, NumericColumns: []int{2}}}
			},
			`table "T" numeric column 2 is out of range`,
		},
		{
			"chart labels and values differ in number",
			func(d *Document) {
				d.Blocks = []Block{BarChart{Title: "Days", Labels: []string{"a", "b"}, Values: []float64{1}}}
			},
			`bar chart "Days" has 2 labels and 1 values`,
		},
		{"chart without bars", func(d *Document) { d.Blocks = []Block{BarChart{Title: "Days"}} }, "has no bars"},
		{
			"chart value not a number",
			func(d *Document) { d.Blocks = []Block{BarChart{Labels: []string{"a"}, Values: []float64{math.NaN()}}} },
			"want a finite number",
		},
		{
			"chart value infinite",
			func(d *Document) { d.Blocks = []Block{BarChart{Labels: []string{"a"}, Values: []float64{math.Inf(1)}}} },
			"want a finite number",
		},
		{
			"chart value negative",
			func(d *Document) { d.Blocks = []Block{BarChart{Labels: []string{"a", "b"}, Values: []float64{1, -2}}} },
			`bar 2 ("b") has value -2, want zero or more`,
		},
		{
			"chart value too large to label",
			func(d *Document) { d.Blocks = []Block{BarChart{Labels: []string{"a"}, Values: []float64{1e300}}} },
			"too large",
		},
		{"logo that is not an image", func(d *Document) { d.Letterhead = &Letterhead{Logo: []byte("GIF89a...")} }, "not a PNG or JPEG"},
		{"logo that is a truncated PNG", func(d *Document) { d.Letterhead = &Letterhead{Logo: pngLogo(t, false)[:60]} }, "letterhead logo: PNG"},
		{"logo that is a truncated JPEG", func(d *Document) { d.Letterhead = &Letterhead{Logo: jpegLogo(t)[:200]} }, "letterhead logo: JPEG"},
		{"logo that claims to be huge", func(d *Document) { d.Letterhead = &Letterhead{Logo: hugePNGHeader(t)} }, "pixels"},
		{
			"address too long for the envelope window",
			func(d *Document) { d.Recipient = strings.Split("a b c d e f g h i j k l m", " ") },
			"does not fit the 90 by 40 mm envelope window",
		},
		{"reference too long for the footer", func(d *Document) { d.Reference = strings.Repeat("REF-", 40) }, "fits beside the page number"},
		{
			"table header that fills the page",
			func(d *Document) {
				d.Blocks = []Block{Table{Caption: "Tall", Header: []string{strings.Repeat("word ", 1000)}, Rows: [][]string{{"x"}}}}
			},
			`table "Tall" header row is`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := report(3)
			tt.edit(&d)
			b, err := Render(d)
			if err == nil {
				t.Fatalf("Render succeeded (%d bytes), want an error containing %q", len(b), tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %q does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if b != nil {
				t.Errorf("Render returned %d bytes with its error", len(b))
			}
		})
	}
}

// TestRenderSurvivesOddInput feeds Render input that fpdf mishandles or
// that is merely strange, and wants a PDF back, never a panic.
func TestRenderSurvivesOddInput(t *testing.T) {
	long := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 400)
	wide := make([]string, 30)
	for i := range wide {
		wide[i] = fmt.Sprintf("Column %d", i)
	}
	tests := []struct {
		name   string
		blocks []Block
	}{
		{"no blocks", nil},
		{"emoji and other characters beyond the fonts", []Block{Paragraph{Text: "Thanks 👍🏽 — 你好 ✓ 𝔘 \U0010FFFF"}}},
		{"invalid UTF-8", []Block{Heading{Level: 1, Text: "bad \xff\xfe bytes"}, Paragraph{Text: "\xc3\x28 and \xe2\x82"}}},
		{"control characters", []Block{Paragraph{Text: "bell\a nul\x00 tab\there\r\nCRLF\rCR \u200b\ufeff\u00ad"}}},
		{"rune equal to fpdf's width table size", []Block{Paragraph{Text: "\U00010000"}}},
		{"only page breaks", []Block{PageBreak{}, PageBreak{}, PageBreak{}}},
		{"empty paragraph, bullets and pairs", []Block{Paragraph{}, Bullets{Items: []string{"", " "}}, KeyValues{Pairs: [][2]string{{"", ""}}}}},
		{"a word wider than the page", []Block{Paragraph{Text: strings.Repeat("x", 500)}, Table{Header: []string{"a", "b"}, Rows: [][]string{{strings.Repeat("y", 400), "z"}}}}},
		{"a table cell taller than a page", []Block{Table{Caption: "Tall", Header: []string{"Ref", "Notes"}, Rows: [][]string{{"1", "short"}, {"2", long}, {"3", "after"}}}}},
		{"thirty columns", []Block{Table{Header: wide, Rows: [][]string{wide}}}},
		{"header with no rows", []Block{Table{Caption: "None yet", Header: []string{"Reference", "Stage"}}}},
		{"chart of zeros", []Block{BarChart{Labels: []string{"a", "b"}, Values: []float64{0, 0}}}},
		{"chart with a long label", []Block{BarChart{Labels: []string{long[:600]}, Values: []float64{1}, Unit: "%"}}},
		{"a long paragraph", []Block{Paragraph{Text: long}}},
		{"parentheses and backslashes", []Block{Paragraph{Text: `(a) \b) c\\ (`}}},
		{"a very long title in the running header", []Block{Paragraph{Text: long}}},
	}
	for _, tt := range tests {
		for _, large := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/large=%v", tt.name, large), func(t *testing.T) {
				d := letter()
				d.Title = "Odd (input) \\ \xff"
				if strings.Contains(tt.name, "long title") {
					d.Title = long
				}
				d.LargePrint = large
				d.Blocks = tt.blocks
				mustRender(t, d)
			})
		}
	}
}

// A page break with nothing after it, or at the top of a page, would
// print a page with nothing on it but its footer: a board member
// turning to a blank page reads it as something missing.
func TestPageBreakAtTopOfPageOrAtTheEndAddsNoBlankPage(t *testing.T) {
	tests := []struct {
		blocks []Block
		want   int
	}{
		{nil, 1},
		{[]Block{PageBreak{}}, 1},
		{[]Block{Paragraph{Text: "one"}, PageBreak{}}, 1},
		{[]Block{Paragraph{Text: "one"}, PageBreak{}, PageBreak{}}, 1},
		{[]Block{Paragraph{Text: "one"}, PageBreak{}, PageBreak{}, Paragraph{Text: "two"}}, 2},
		{[]Block{Paragraph{Text: "one"}, PageBreak{}, Paragraph{Text: "two"}, PageBreak{}, Paragraph{Text: "three"}}, 3},
	}
	for i, tt := range tests {
		d := Document{Created: created, Blocks: tt.blocks}
		if got := pageCount(mustRender(t, d)); got != tt.want {
			t.Errorf("case %d: %d pages, want %d", i, got, tt.want)
		}
	}
}

// A table row with nothing in any cell is left out: on paper it reads as
// a figure lost. A row with anything in it, even one cell, is kept.
func TestBlankTableRowsAreDropped(t *testing.T) {
	b, err := prepareTable(Table{Caption: "Counts", Header: []string{"What", "N"}, Rows: [][]string{
		{"Received", "3"}, {"", ""}, {" ", "\n\n"}, {"", "4"}, {"Closed", ""},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := b.(Table).Rows
	want := [][]string{{"Received", "3"}, {"", "4"}, {"Closed", ""}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows = %q, want %q", got, want)
	}
}

func TestLargePrintTakesMorePages(t *testing.T) {
	d := report(40)
	normal := pageCount(mustRender(t, d))
	d.LargePrint = true
	large := pageCount(mustRender(t, d))
	if large <= normal {
		t.Errorf("large print has %d pages and normal print %d; large print should rewrap onto more", large, normal)
	}
}

func TestLogosAreAccepted(t *testing.T) {
	for name, img := range map[string][]byte{
		"opaque PNG":      pngLogo(t, false),
		"transparent PNG": pngLogo(t, true),
		"16-bit PNG":      png16Logo(t),
		"JPEG":            jpegLogo(t),
	} {
		t.Run(name, func(t *testing.T) {
			d := letter()
			d.Letterhead.Logo = img
			b := mustRender(t, d)
			if !bytes.Contains(b, []byte("/Subtype /Image")) {
				t.Error("the PDF has no image")
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"plain", "plain"},
		{"£5 – ‘quoted’ café ŵ ŷ", "£5 – ‘quoted’ café ŵ ŷ"},
		{"  two   spaces\tand tab  ", "two spaces and tab"},
		{"line\r\nbreaks\rkept\n", "line\nbreaks\nkept\n"},
		{"trailing  \n  leading", "trailing\nleading"},
		{"zero\u200bwidth\u00adsoft\ufeffbom\x00nul\x07bell", "zerowidthsoftbomnulbell"},
		{"no\u00a0break\u2003em", "no break em"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"emoji 👍 and CJK 你", "emoji \ufffd and CJK \ufffd"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParagraphsSplitAtBlankLines(t *testing.T) {
	got := paragraphs("one\ntwo\n\n\nthree\n \t\nfour\n")
	want := []string{"one\ntwo", "three", "four"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{0, "", "0"},
		{12, "days", "12 days"},
		{7.5, "days", "7.5 days"},
		{85.333333, "%", "85.33%"},
		{0.1 + 0.2, "", "0.3"},
		{1234567, "", "1,234,567"},
		{1234.5, "£", "1,234.5 £"},
		{999, "", "999"},
		{1000, "", "1,000"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		check func(t *testing.T, w []float64)
	}{
		{
			"narrow columns keep their width and the wide one wraps",
			Table{Header: []string{"Ref", "Summary", "Stage"}, Rows: [][]string{{"CMP-1", strings.Repeat("very long summary text ", 20), "1"}}},
			func(t *testing.T, w []float64) {
				if w[1] < w[0]*3 || w[1] < w[2]*3 {
					t.Errorf("summary column %.1f mm is not much wider than the others %.1f, %.1f", w[1], w[0], w[2])
				}
			},
		},
		{
			"short columns are proportional to their content",
			Table{Header: []string{"A much longer header", "Short"}},
			func(t *testing.T, w []float64) {
				if w[0] <= w[1] {
					t.Errorf("widths %.1f, %.1f: the longer header's column should be wider", w[0], w[1])
				}
			},
		},
		{
			"a long word gets at most half the page",
			Table{Header: []string{"URL", "Note"}, Rows: [][]string{{strings.Repeat("x", 300), strings.Repeat("a long note ", 40)}}},
			func(t *testing.T, w []float64) {
				if w[1] < contentWidth/2-0.01 {
					t.Errorf("note column %.1f mm, want at least half the page", w[1])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &renderer{pdf: fpdf.New("P", "mm", "A4", ""), fonts: map[string]bool{}}
			r.pdf.SetCellMargin(0)
			n := len(tt.table.Header)
			w := r.columnWidths(tt.table, n, 10, 1.5)
			if len(w) != n {
				t.Fatalf("%d widths for %d columns: %v", len(w), n, w)
			}
			sum := 0.0
			for i, x := range w {
				sum += x
				if x < 10 {
					t.Errorf("column %d is %.1f mm, below any sensible minimum", i, x)
				}
			}
			if math.Abs(sum-contentWidth) > 0.01 {
				t.Errorf("widths %v add up to %.2f mm, want %.0f", w, sum, contentWidth)
			}
			tt.check(t, w)
		})
	}
}

func pngLogo(t testing.TB, alpha bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 120, 40))
	for y := range 40 {
		for x := range 120 {
			a := uint8(255)
			if alpha && x > 60 {
				a = 100
			}
			img.Set(x, y, color.NRGBA{R: uint8(x * 2), G: 60, B: 120, A: a})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func png16Logo(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray16(image.Rect(0, 0, 30, 30))
	for i := range 30 {
		img.SetGray16(i, i, color.Gray16{Y: uint16(i * 2000)})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegLogo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 80, 80))
	for y := range 80 {
		for x := range 80 {
			img.Set(x, y, color.RGBA{R: uint8(x * 3), G: uint8(y * 3), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNGHeader is a PNG that claims to be 100,000 pixels square: its
// header is enough for DecodeConfig, which is all the check should need.
func hugePNGHeader(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	// IHDR's width and height are the 8 bytes after the signature (8),
	// the chunk length (4) and the type (4); its CRC, over the type and
	// the 13 bytes of data, follows them.
	copy(out[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(out[29:33], crc32.ChecksumIEEE(out[12:29]))
	return out
}

// BenchmarkRender renders a ten-page board report: prose, a chart and a
// table long enough to run over several pages.
func BenchmarkRender(b *testing.B) {
	d := report(225)
	if n := pageCount(mustRender(b, d)); n != 10 {
		b.Fatalf("the benchmark document has %d pages, want 10", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzRender puts arbitrary text in every kind of block. Whatever the
// text, Render must return a PDF or an ErrInvalid, never panic (which
// Render would turn into another error).
func FuzzRender(f *testing.F) {
	f.Add("plain text", "Heading", 12.5, false)
	f.Add("£ – ‘’ é ŵ ŷ\n\nnext", "\xff\x00", 0.0, true)
	f.Add(strings.Repeat("x", 300), "👍 你好", 1e9, false)
	f.Fuzz(func(t *testing.T, text, short string, value float64, large bool) {
		d := letter()
		d.LargePrint = large
		d.Title = short
		d.Letterhead.Name = short
		d.Recipient = []string{short, text}
		d.Blocks = []Block{
			Heading{Level: 1, Text: short + "x"},
			Paragraph{Text: text},
			Bullets{Items: []string{text, short}},
			KeyValues{Pairs: [][2]string{{short, text}}},
			Table{Caption: short, Header: []string{short, "b"}, Rows: [][]string{{text, short}, {short, text}}, NumericColumns: []int{1}},
			BarChart{Title: short, Labels: []string{text, short}, Values: []float64{value, 1}, Unit: short},
			PageBreak{},
		}
		b, err := Render(d)
		switch {
		case err != nil && !errors.Is(err, ErrInvalid):
			t.Fatalf("Render failed with an error that is not ErrInvalid: %v", err)
		case err == nil && !bytes.HasPrefix(b, []byte("%PDF-")):
			t.Fatalf("Render returned %d bytes that are not a PDF", len(b))
		}
	})
}

func TestFitShortensWithAnEllipsis(t *testing.T) {
	r := &renderer{pdf: fpdf.New("P", "mm", "A4", ""), fonts: map[string]bool{}}
	r.pdf.SetCellMargin(0)
	r.setFont("", 10)
	long := strings.Repeat("Quarterly complaints report ", 50)
	tests := []struct {
		in       string
		w        float64
		ellipsis bool
	}{
		{"Short title", 100, false},
		{long, 100, true},
		{long, 1, true},
	}
	for _, tt := range tests {
		got := r.fit(tt.in, tt.w)
		if w := r.pdf.GetStringWidth(got); w > tt.w && got != "…" {
			t.Errorf("fit(%.20q…, %g) = %q, %.1f mm wide", tt.in, tt.w, got, w)
		}
		if strings.HasSuffix(got, "…") != tt.ellipsis {
			t.Errorf("fit(%.20q…, %g) = %q; want ellipsis %v", tt.in, tt.w, got, tt.ellipsis)
		}
		if tt.ellipsis && len(got) > 1 && !strings.HasPrefix(tt.in, strings.TrimSuffix(got, "…")) {
			t.Errorf("fit(%.20q…, %g) = %q, not a prefix", tt.in, tt.w, got)
		}
	}
}
