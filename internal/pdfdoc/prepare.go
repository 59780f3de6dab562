package pdfdoc

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// prepared is a Document that has been checked and whose text has been
// cleaned, so that both layout passes work from the same values and neither
// has to report input errors.
type prepared struct {
	title, subject, author string
	lang                   string
	created                time.Time
	large                  bool
	reference              string
	watermark              string
	letterhead             *preparedLetterhead
	recipient              []string
	blocks                 []Block
}

type preparedLetterhead struct {
	name             string
	address, contact []string
	logo             *logo
}

// logo is a letterhead image in a form fpdf is known to accept.
type logo struct {
	data     []byte
	kind     string // fpdf's image type: "PNG" or "JPG"
	pxW, pxH int
}

// maxLogoPixels bounds the decoded size of a logo, so that a small file that
// claims enormous dimensions cannot exhaust memory when it is decoded.
const maxLogoPixels = 25_000_000

// maxChartValue bounds bar chart values: beyond it the value labels would
// be too long to sit beside the bars, and float formatting stops being exact
// to two decimal places.
const maxChartValue = 1e12

var langTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// prepare checks d and returns a cleaned copy. It never modifies d.
func prepare(d Document) (*prepared, error) {
	if d.Created.IsZero() {
		return nil, invalid("Created is required: output must not depend on the clock")
	}
	p := &prepared{
		title:     cleanLine(d.Title),
		subject:   cleanLine(d.Subject),
		author:    cleanLine(d.Author),
		lang:      d.Lang,
		created:   d.Created.UTC(),
		large:     d.LargePrint,
		reference: cleanLine(d.Reference),
		watermark: cleanLine(d.Watermark),
	}
	if p.lang == "" {
		p.lang = "en-GB"
	}
	if !langTag.MatchString(p.lang) {
		// fpdf writes the tag into the PDF unescaped, so it must be
		// checked here, not only for the reader's sake.
		return nil, invalid("Lang %q is not a BCP 47 language tag such as en-GB or cy", d.Lang)
	}
	if lh := d.Letterhead; lh != nil {
		pl := &preparedLetterhead{
			name:    cleanLine(lh.Name),
			address: cleanLines(lh.Address),
			contact: cleanLines(lh.Contact),
		}
		if len(lh.Logo) > 0 {
			l, err := prepareLogo(lh.Logo)
			if err != nil {
				return nil, err
			}
			pl.logo = l
		}
		p.letterhead = pl
	}
	p.recipient = cleanLines(d.Recipient)
	p.blocks = make([]Block, 0, len(d.Blocks))
	for i, b := range d.Blocks {
		c, err := prepareBlock(b)
		if err != nil {
			return nil, fmt.Errorf("%w: block %d: %w", ErrInvalid, i+1, err)
		}
		p.blocks = append(p.blocks, c)
	}
	return p, nil
}

// cleanLines cleans each line and drops the blank ones.
func cleanLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = cleanLine(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func prepareBlock(b Block) (Block, error) {
	switch b := b.(type) {
	case nil:
		return nil, fmt.Errorf("block is nil")
	case Heading:
		if b.Level < 1 || b.Level > 3 {
			return nil, fmt.Errorf("heading %q has level %d, want 1, 2 or 3", b.Text, b.Level)
		}
		b.Text = cleanLine(b.Text)
		if b.Text == "" {
			return nil, fmt.Errorf("heading of level %d has no text", b.Level)
		}
		return b, nil
	case Paragraph:
		return Paragraph{Text: cleanText(b.Text)}, nil
	case Bullets:
		items := make([]string, 0, len(b.Items))
		for _, it := range b.Items {
			// A bullet is one item, so its line breaks are kept as
			// line breaks but blank lines are not paragraphs.
			if it = joinParagraphs(it); it != "" {
				items = append(items, it)
			}
		}
		return Bullets{Items: items}, nil
	case KeyValues:
		pairs := make([][2]string, 0, len(b.Pairs))
		for _, kv := range b.Pairs {
			k, v := joinParagraphs(kv[0]), joinParagraphs(kv[1])
			if k != "" || v != "" {
				pairs = append(pairs, [2]string{k, v})
			}
		}
		return KeyValues{Pairs: pairs}, nil
	case Table:
		return prepareTable(b)
	case BarChart:
		return prepareChart(b)
	case PageBreak:
		return b, nil
	default:
		return nil, fmt.Errorf("%T is not a block of this package (blocks are passed by value)", b)
	}
}

// joinParagraphs cleans text that is drawn as one block, such as a table
// cell: blank lines shrink to single line breaks.
func joinParagraphs(s string) string {
	return strings.Join(paragraphs(s), "\n")
}

func prepareTable(t Table) (Block, error) {
	name := tableName(t)
	n := len(t.Header)
	if n == 0 && len(t.Rows) > 0 {
		n = len(t.Rows[0])
	}
	if n == 0 {
		return nil, fmt.Errorf("%s has no columns: give it a header or a row", name)
	}
	for i, row := range t.Rows {
		if len(row) != n {
			return nil, fmt.Errorf("%s row %d has %d cells, want %d", name, i+1, len(row), n)
		}
	}
	for _, c := range t.NumericColumns {
		if c < 0 || c >= n {
			return nil, fmt.Errorf("%s numeric column %d is out of range: columns are numbered 0 to %d", name, c, n-1)
		}
	}
	out := Table{
		Caption:        cleanLine(t.Caption),
		NumericColumns: slices.Clone(t.NumericColumns),
	}
	if len(t.Header) > 0 {
		out.Header = make([]string, n)
		for i, h := range t.Header {
			out.Header[i] = joinParagraphs(h)
		}
	}
	out.Rows = make([][]string, 0, len(t.Rows))
	for _, row := range t.Rows {
		cells := make([]string, n)
		blank := true
		for j, c := range row {
			cells[j] = joinParagraphs(c)
			blank = blank && cells[j] == ""
		}
		// A row with nothing in it reads as a figure lost, and a
		// reader cannot tell it from one; it is dropped.
		if !blank {
			out.Rows = append(out.Rows, cells)
		}
	}
	return out, nil
}

func prepareChart(c BarChart) (Block, error) {
	name := chartName(c)
	if len(c.Labels) != len(c.Values) {
		return nil, fmt.Errorf("%s has %d labels and %d values, want one of each per bar", name, len(c.Labels), len(c.Values))
	}
	if len(c.Values) == 0 {
		return nil, fmt.Errorf("%s has no bars", name)
	}
	for i, v := range c.Values {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, fmt.Errorf("%s bar %d (%q) has value %v, want a finite number", name, i+1, c.Labels[i], v)
		case v < 0:
			return nil, fmt.Errorf("%s bar %d (%q) has value %v, want zero or more: bars start at zero", name, i+1, c.Labels[i], v)
		case v > maxChartValue:
			return nil, fmt.Errorf("%s bar %d (%q) has value %v, too large to label beside a bar", name, i+1, c.Labels[i], v)
		}
	}
	out := BarChart{
		Title:  cleanLine(c.Title),
		Labels: make([]string, len(c.Labels)),
		Values: slices.Clone(c.Values),
		Unit:   cleanLine(c.Unit),
	}
	for i, l := range c.Labels {
		out.Labels[i] = joinParagraphs(l)
	}
	return out, nil
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// prepareLogo checks that b is a whole PNG or JPEG image. A PNG is decoded
// and re-encoded as 8-bit RGB or RGBA, because fpdf rejects 16-bit and
// interlaced PNGs, which image editors happily produce; re-encoding is
// deterministic, so output stays reproducible.
func prepareLogo(b []byte) (*logo, error) {
	var (
		kind, format string // fpdf's name for the type, and people's
		config       func(io.Reader) (image.Config, error)
	)
	switch {
	case bytes.HasPrefix(b, pngMagic):
		kind, format, config = "PNG", "PNG", png.DecodeConfig
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		kind, format, config = "JPG", "JPEG", jpeg.DecodeConfig
	default:
		return nil, invalid("letterhead logo is not a PNG or JPEG image")
	}
	cfg, err := config(bytes.NewReader(b))
	if err != nil {
		return nil, invalid("letterhead logo: %s header: %v", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxLogoPixels {
		return nil, invalid("letterhead logo is %d by %d pixels; want at most %d pixels in all", cfg.Width, cfg.Height, maxLogoPixels)
	}
	l := &logo{kind: kind, pxW: cfg.Width, pxH: cfg.Height}
	switch kind {
	case "PNG":
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, invalid("letterhead logo: PNG: %v", err)
		}
		nrgba := image.NewNRGBA(img.Bounds())
		draw.Draw(nrgba, nrgba.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, nrgba); err != nil {
			return nil, fmt.Errorf("pdfdoc: re-encoding letterhead logo: %w", err)
		}
		l.data = buf.Bytes()
	case "JPG":
		// fpdf copies a JPEG into the PDF without decoding it, so a
		// truncated file would make a PDF with a broken image; decoding
		// it here turns that into an error.
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			return nil, invalid("letterhead logo: JPEG: %v", err)
		}
		l.data = b
	}
	return l, nil
}

// tableName names t in errors by its caption, the name its author knows it
// by.
func tableName(t Table) string {
	if t.Caption == "" {
		return "table"
	}
	return fmt.Sprintf("table %q", t.Caption)
}

// chartName names c in errors by its title.
func chartName(c BarChart) string {
	if c.Title == "" {
		return "bar chart"
	}
	return fmt.Sprintf("bar chart %q", c.Title)
}
