package pdfdoc

// These tests read the PDFs back with poppler-utils, the tools behind many
// Linux PDF viewers, so they check what a reader gets rather than what this
// package meant to write: text that can be extracted, fonts that are
// embedded, pages that render, and positions on the page.

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/poppler"
)

// writePDF renders d into a temporary file and returns its path and bytes.
func writePDF(t *testing.T, d Document) (string, []byte) {
	t.Helper()
	b := mustRender(t, d)
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b
}

// pdfPages returns the text of each page, as pdftotext separates pages
// with form feeds.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	pages := strings.Split(poppler.Run(t, "pdftotext", "-enc", "UTF-8", path, "-"), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// pdfinfoPages is the page count pdfinfo reports.
func pdfinfoPages(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(poppler.Run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo reported no page count")
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatalf("pdfinfo's page count %q: %v", m[1], err)
	}
	return n
}

func TestPopplerExtractsEveryPieceOfText(t *testing.T) {
	poppler.Need(t, "pdftotext")
	d := report(40)
	d.Letterhead = letter().Letterhead
	d.Recipient = letter().Recipient
	path, _ := writePDF(t, d)
	pages := pdfPages(t, path)
	all := poppler.Squash(strings.Join(pages, "\n"))

	var want []string
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case Heading:
			want = append(want, b.Text)
		case Paragraph:
			want = append(want, paragraphs(b.Text)...)
		case Bullets:
			want = append(want, b.Items...)
		case KeyValues:
			for _, kv := range b.Pairs {
				want = append(want, kv[0], kv[1])
			}
		case BarChart:
			want = append(want, b.Title)
			want = append(want, b.Labels...)
			for _, v := range b.Values {
				want = append(want, formatValue(v, b.Unit))
			}
		case Table:
			want = append(want, b.Caption, b.Caption+" (continued)")
			want = append(want, b.Header...)
			for _, row := range b.Rows {
				want = append(want, row...)
			}
		}
	}
	want = append(want, d.Letterhead.Name)
	want = append(want, d.Letterhead.Address...)
	want = append(want, d.Letterhead.Contact...)
	want = append(want, d.Recipient...)
	want = append(want, d.Reference, d.Title, fmt.Sprintf("Page 1 of %d", len(pages)), fmt.Sprintf("Page %d of %d", len(pages), len(pages)))
	// The characters the package promises, spelled out in case the
	// sentences above change.
	want = append(want, "£1,234", "– up", "‘low’", "café", "Tŷ Newydd", "Pen-y-Dŵr", "Mrs Gwenllian Ŵyn")

	for _, w := range want {
		if !strings.Contains(all, poppler.Squash(w)) {
			t.Errorf("pdftotext output lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext output:\n%s", strings.Join(pages, "\n----- page break -----\n"))
	}
}

// TestPopplerLongTableRepeatsHeaderAndKeepsRowsWhole renders a table of
// wrapping rows long enough to run over several pages, and checks that the
// page count agrees everywhere, every page has the header row and every
// row is on one page, in order.
func TestPopplerLongTableRepeatsHeaderAndKeepsRowsWhole(t *testing.T) {
	poppler.Need(t, "pdftotext", "pdfinfo")
	const rows = 150
	table := Table{Caption: "Case log", Header: []string{"Ref", "Notes", "Days"}, NumericColumns: []int{2}}
	for i := range rows {
		var notes []string
		for j := range 4 + i%9 {
			notes = append(notes, fmt.Sprintf("n%03d%c", i, 'a'+j))
		}
		// Long enough to wrap: the notes column is wide but these
		// filler words are many.
		note := strings.Join(notes, " lorem ipsum dolor sit amet ")
		table.Rows = append(table.Rows, []string{fmt.Sprintf("R%03d", i), note, strconv.Itoa(i)})
	}
	d := Document{Title: "Case log", Created: created, Reference: "LOG-1", Blocks: []Block{
		Heading{Level: 1, Text: "Case log"},
		table,
	}}
	path, b := writePDF(t, d)
	pages := pdfPages(t, path)
	n := pdfinfoPages(t, path)
	if n < 3 {
		t.Fatalf("the table fits in %d pages; the test needs it to run over at least 3", n)
	}
	if len(pages) != n || pageCount(b) != n {
		t.Fatalf("pdfinfo says %d pages, pdftotext found %d and the PDF has %d page objects", n, len(pages), pageCount(b))
	}
	rowPage := make([]int, rows)
	for i := range rowPage {
		rowPage[i] = -1
	}
	token := regexp.MustCompile(`\b[Rn](\d{3})[a-z]?\b`)
	for p, text := range pages {
		if want := fmt.Sprintf("Page %d of %d", p+1, n); !strings.Contains(text, want) {
			t.Errorf("page %d lacks its footer %q", p+1, want)
		}
		for _, h := range table.Header {
			if !regexp.MustCompile(`(?m)^` + h + `$`).MatchString(text) {
				t.Errorf("page %d lacks header cell %q", p+1, h)
			}
		}
		if p > 0 && !strings.Contains(text, "Case log (continued)") {
			t.Errorf("page %d lacks the continued caption", p+1)
		}
		for _, m := range token.FindAllStringSubmatch(text, -1) {
			i, err := strconv.Atoi(m[1])
			if err != nil || i >= len(rowPage) {
				t.Errorf("page %d names row %q, and the table has rows 0 to %d", p+1, m[0], len(rowPage)-1)
				continue
			}
			switch {
			case rowPage[i] == -1:
				rowPage[i] = p
			case rowPage[i] != p:
				t.Errorf("row %d is split between pages %d and %d (found %q)", i, rowPage[i]+1, p+1, m[0])
			}
		}
	}
	for i, p := range rowPage {
		switch {
		case p == -1:
			t.Errorf("row %d is missing", i)
		case i > 0 && p < rowPage[i-1]:
			t.Errorf("row %d is on page %d, before row %d on page %d", i, p+1, i-1, rowPage[i-1]+1)
		}
	}
}

func TestPopplerFontsAreEmbedded(t *testing.T) {
	poppler.Need(t, "pdffonts")
	for name, d := range map[string]Document{"report": report(5), "letter": letter()} {
		t.Run(name, func(t *testing.T) {
			path, _ := writePDF(t, d)
			out := poppler.Run(t, "pdffonts", path)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) < 3 {
				t.Fatalf("pdffonts lists no fonts:\n%s", out)
			}
			// Columns are fixed-width; find them from the header.
			emb, uni := strings.Index(lines[0], "emb"), strings.Index(lines[0], "uni")
			if emb < 0 || uni < 0 {
				t.Fatalf("unexpected pdffonts header %q", lines[0])
			}
			for _, l := range lines[2:] {
				if len(l) < uni+3 {
					t.Fatalf("short pdffonts line %q", l)
				}
				if l[emb:emb+3] != "yes" {
					t.Errorf("font not embedded: %q", l)
				}
				if l[uni:uni+3] != "yes" {
					t.Errorf("font has no ToUnicode map, so its text cannot be extracted: %q", l)
				}
			}
			if got := len(lines) - 2; got < 2 {
				t.Errorf("%d fonts, want at least regular and bold", got)
			}
		})
	}
}

// TestPopplerRendersPageOne rasterises page 1 and looks for ink. The PNGs
// and PDFs go to the test's artifact directory (go test -artifacts) for
// people to look at.
func TestPopplerRendersPageOne(t *testing.T) {
	poppler.Need(t, "pdftoppm")
	logo := letter()
	logo.Letterhead.Logo = pngLogo(t, true)
	large := report(20)
	large.LargePrint = true
	for name, d := range map[string]Document{"report": report(20), "large-print-report": large, "letter": logo} {
		t.Run(name, func(t *testing.T) {
			path, b := writePDF(t, d)
			prefix := filepath.Join(t.TempDir(), "page")
			poppler.Run(t, "pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", path, prefix)
			img, err := os.ReadFile(prefix + ".png")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.ArtifactDir()
			for file, data := range map[string][]byte{"page1.png": img, "doc.pdf": b} {
				if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			m, err := png.Decode(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("pdftoppm's PNG does not decode: %v", err)
			}
			bounds := m.Bounds()
			// A4 at 50 dpi is 413 by 585 pixels.
			if w, h := bounds.Dx(), bounds.Dy(); w < 400 || w > 420 || h < 575 || h > 595 {
				t.Errorf("page 1 is %d by %d pixels, want about 413 by 585", w, h)
			}
			dark, total := 0, bounds.Dx()*bounds.Dy()
			for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
				for x := bounds.Min.X; x < bounds.Max.X; x++ {
					r, g, b, _ := m.At(x, y).RGBA()
					if (r+g+b)/3 < 0x6000 {
						dark++
					}
				}
			}
			if share := float64(dark) / float64(total); share < 0.005 || share > 0.5 {
				t.Errorf("%.2f%% of page 1 is dark; want some ink but not a black page", 100*share)
			}
		})
	}
}

func TestPopplerRecipientSitsInEnvelopeWindow(t *testing.T) {
	poppler.Need(t, "pdftotext")
	for _, large := range []bool{false, true} {
		t.Run(fmt.Sprintf("large=%v", large), func(t *testing.T) {
			d := letter()
			d.LargePrint = large
			d.Letterhead.Logo = pngLogo(t, false)
			path, _ := writePDF(t, d)
			left, top := poppler.MM(WindowLeft), poppler.MM(WindowTop)
			right, bottom := poppler.MM(WindowLeft+WindowWidth), poppler.MM(WindowTop+WindowHeight)
			var inside []string
			for _, w := range poppler.Words(t, path) {
				cx, cy := (w.XMin+w.XMax)/2, (w.YMin+w.YMax)/2
				if cx < left || cx > right || cy < top || cy > bottom {
					continue
				}
				inside = append(inside, w.Text)
				if w.XMin < left || w.XMax > right || w.YMin < top || w.YMax > bottom {
					t.Errorf("%q at (%.1f, %.1f)-(%.1f, %.1f) pt crosses the window (%.1f, %.1f)-(%.1f, %.1f)",
						w.Text, w.XMin, w.YMin, w.XMax, w.YMax, left, top, right, bottom)
				}
			}
			want := strings.Fields(strings.Join(d.Recipient, " "))
			if !slices.Equal(inside, want) {
				t.Errorf("words in the envelope window are %q, want the address %q and nothing else", inside, want)
			}
		})
	}
}

func TestPopplerLargePrintWordsAreTaller(t *testing.T) {
	poppler.Need(t, "pdftotext")
	doc := func(large bool) Document {
		return Document{Created: created, LargePrint: large, Blocks: []Block{
			Heading{Level: 1, Text: "Headline"},
			Paragraph{Text: "Bodyword here."},
			Table{Header: []string{"Headercell"}, Rows: [][]string{{"Tablecell"}}},
			BarChart{Labels: []string{"Chartlabel"}, Values: []float64{1}},
		}}
	}
	height := func(path string) map[string]float64 {
		h := map[string]float64{}
		for _, w := range poppler.Words(t, path) {
			h[w.Text] = w.YMax - w.YMin
		}
		return h
	}
	normalPath, _ := writePDF(t, doc(false))
	largePath, _ := writePDF(t, doc(true))
	normal, large := height(normalPath), height(largePath)
	for _, w := range []string{"Headline", "Bodyword", "Headercell", "Tablecell", "Chartlabel", "Page"} {
		n, l := normal[w], large[w]
		if n == 0 || l == 0 {
			t.Errorf("%q not found (normal %.1f pt, large %.1f pt)", w, n, l)
			continue
		}
		if l < n*1.25 {
			t.Errorf("%q is %.1f pt tall in large print and %.1f pt in normal print; want large print at least 25%% taller", w, l, n)
		}
	}
	// poppler's word box is the font's ascent to descent, a little more
	// than the point size, so a 16 pt word is at least 16 pt tall.
	if h := large["Bodyword"]; h < 16 {
		t.Errorf("large print body text is %.1f pt tall, want at least 16", h)
	}
}

func TestPopplerReadsMetadata(t *testing.T) {
	poppler.Need(t, "pdfinfo")
	d := report(3)
	path, _ := writePDF(t, d)
	info := poppler.Run(t, "pdfinfo", "-isodates", path)
	for _, want := range []string{
		"Title:           " + d.Title,
		"Subject:         " + d.Subject,
		"Author:          " + d.Author,
		"CreationDate:    2026-04-01T09:30:00",
		"ModDate:         2026-04-01T09:30:00",
		"Page size:       595.28 x 841.89 pts (A4)",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo output lacks %q:\n%s", want, info)
		}
	}
}

// A watermark is on every page, as text a reader's search finds, both
// across the page and beside the page number; a document without one
// has none.
func TestPopplerWatermarkIsOnEveryPage(t *testing.T) {
	poppler.Need(t, "pdftotext", "pdfinfo")
	d := report(120)
	d.Watermark = "DRAFT"
	path, _ := writePDF(t, d)
	// -raw keeps the content stream's order, so the diagonal word's
	// letters come out together (one to a line, as it climbs the page)
	// rather than among the lines of text it crosses.
	pages := strings.Split(poppler.Run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"), "\f")
	pages = pages[:len(pages)-1] // after the last form feed there is nothing
	if n := pdfinfoPages(t, path); n < 3 || len(pages) != n {
		t.Fatalf("%d pages of text, %d pages; want the same, at least 3", len(pages), n)
	}
	for i, p := range pages {
		if got := strings.Count(strings.Join(strings.Fields(p), ""), "DRAFT"); got < 2 {
			t.Errorf("page %d has DRAFT %d times, want across the page and in the footer:\n%s", i+1, got, p)
		}
	}
	d.Watermark = ""
	path, _ = writePDF(t, d)
	for i, p := range pdfPages(t, path) {
		if strings.Contains(p, "DRAFT") {
			t.Errorf("page %d of a document with no watermark says DRAFT", i+1)
		}
	}
}
