package pdfdoc

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry, in millimetres: A4 portrait with 20 mm margins. The running
// header and the footer sit inside the top and bottom margins, so the body
// keeps the full 170 by 257 mm.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	margin       = 20.0
	contentWidth = pageWidth - 2*margin
	bodyBottom   = pageHeight - margin

	// letterheadLeft is where the letterhead's name and address start:
	// to the right of the envelope window, so they never show through it.
	letterheadLeft = WindowLeft + WindowWidth + 5

	ptToMM = 25.4 / 72
)

// sizes are the type sizes, in points, for one kind of print.
type sizes struct {
	body       float64
	heading    [3]float64
	table      float64
	chart      float64
	furniture  float64 // running header and footer
	orgName    float64 // letterhead name
	orgDetails float64 // letterhead address and contact lines
}

// Normal print follows common practice for reports; large print follows the
// RNIB's clear print guidance of at least 16 pt for body text, which here
// includes tables and charts because they carry the figures a reader needs.
var (
	normalPrint = sizes{body: 11, heading: [3]float64{20, 15, 12.5}, table: 10, chart: 10, furniture: 9, orgName: 16, orgDetails: 9.5}
	largePrint  = sizes{body: 16, heading: [3]float64{28, 22, 18}, table: 16, chart: 16, furniture: 14, orgName: 22, orgDetails: 14}
)

// Colours, as grey levels or RGB. Text is black for the highest contrast;
// page furniture is a grey that still has 7:1 contrast on white.
const (
	furnitureGrey = 85
	ruleGrey      = 150
	headerFill    = 230
)

var barColour = [3]int{31, 78, 121}

// lineHeight is the distance between baselines for text of size pt.
func lineHeight(pt float64) float64 { return pt * ptToMM * 1.3 }

// Render lays d out and returns the PDF. The same Document always gives the
// same bytes.
//
// Errors wrapping ErrInvalid say what is wrong with d, naming the block (by
// its position, counting from 1) and, for tables and charts, their caption
// or title. Render does not panic: fpdf panics on some inputs, and a panic
// it raises is returned as an error.
func Render(d Document) (out []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, fmt.Errorf("pdfdoc: panic while rendering: %v", v)
		}
	}()
	p, err := prepare(d)
	if err != nil {
		return nil, err
	}
	pdf, err := layout(p)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdfdoc: writing PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// renderer holds the state of laying out one document.
type renderer struct {
	pdf *fpdf.Fpdf
	doc *prepared
	sz  sizes

	y           float64 // where the next body content goes
	top         bool    // no body content on this page yet
	breakNext   bool    // a PageBreak waits for content to follow it
	fonts       map[string]bool
	headerTitle string // the title as it fits the running header
}

// layout draws p into a new fpdf document.
func layout(p *prepared) (*fpdf.Fpdf, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	r := &renderer{pdf: pdf, doc: p, sz: normalPrint, fonts: map[string]bool{}}
	if p.large {
		r.sz = largePrint
	}
	pdf.SetCatalogSort(true) // resources in a fixed order, for reproducible output
	pdf.SetCreationDate(p.created)
	pdf.SetModificationDate(p.created)
	pdf.SetTitle(p.title, true)
	pdf.SetSubject(p.subject, true)
	pdf.SetAuthor(p.author, true)
	pdf.SetLang(p.lang)
	pdf.SetMargins(margin, margin, margin)
	// Page breaks are this package's job, so that table rows and headings
	// are never split by fpdf behind its back.
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetCellMargin(0)
	pdf.SetHeaderFunc(r.header)

	if err := r.checkReference(); err != nil {
		return nil, err
	}
	r.newPage()
	if err := r.firstPage(); err != nil {
		return nil, err
	}
	for i, b := range p.blocks {
		if err := r.block(b); err != nil {
			// Every error a block returns is about its content not
			// fitting the page.
			return nil, fmt.Errorf("%w: block %d: %w", ErrInvalid, i+1, err)
		}
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("pdfdoc: block %d: %w", i+1, err)
		}
	}
	r.footers()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	return pdf, nil
}

func (r *renderer) block(b Block) error {
	if _, ok := b.(PageBreak); ok {
		r.breakNext = true
		return nil
	}
	if r.breakNext {
		r.breakNext = false
		if !r.top {
			r.newPage()
		}
	}
	switch b := b.(type) {
	case Heading:
		r.heading(b)
	case Paragraph:
		r.paragraph(b)
	case Bullets:
		r.bullets(b)
	case KeyValues:
		return r.keyValues(b)
	case Table:
		return r.table(b)
	case BarChart:
		return r.chart(b)
	default:
		// prepare lets no other type through.
		return fmt.Errorf("pdfdoc: unexpected block type %T", b)
	}
	return nil
}

// setFont selects the Go font of style ("", "B", "I" or "BI") at size
// points, adding it to the document on first use so that only the styles a
// document uses are parsed and embedded.
func (r *renderer) setFont(style string, size float64) {
	if !r.fonts[style] {
		r.pdf.AddUTF8FontFromBytes(fontFamily, style, fontBytes[style])
		r.fonts[style] = true
	}
	r.pdf.SetFont(fontFamily, style, size)
}

func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = margin
	r.top = true
}

// need starts a new page unless h millimetres of body fit on this one. At
// the top of a page it does nothing: the content is as well placed as it can
// be, and breaking again would loop.
func (r *renderer) need(h float64) {
	if !r.top && r.y+h > bodyBottom+1e-9 {
		r.newPage()
	}
}

// gap adds vertical space between blocks, except at the top of a page where
// it would only push content down.
func (r *renderer) gap(h float64) {
	if !r.top {
		r.y += h
	}
}

// wrap breaks s into lines no wider than w in the current font. It always
// returns at least one line, so that an empty cell still has a height.
func (r *renderer) wrap(s string, w float64) []string {
	lines := r.pdf.SplitText(s, w)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// text draws one line of text in a box of width w at (x, r.y).
func (r *renderer) text(x, w, lh float64, s, align string) {
	r.pdf.SetXY(x, r.y)
	r.pdf.CellFormat(w, lh, s, "", 0, align, false, 0, "")
}

// fit shortens s with an ellipsis until it fits in w. It searches by
// halves because the running header calls it with whatever Title was given.
func (r *renderer) fit(s string, w float64) string {
	if r.pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	cut := func(n int) string { return strings.TrimSpace(string(rs[:n])) + "…" }
	lo, hi := 0, len(rs) // cut(lo) fits, or lo is 0; cut(hi) does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if r.pdf.GetStringWidth(cut(mid)) <= w {
			lo = mid
		} else {
			hi = mid
		}
	}
	return cut(lo)
}

// header draws the running header on every page but the first, which has
// the letterhead or the report's own title instead.
func (r *renderer) header() {
	if r.pdf.PageNo() == 1 || r.doc.title == "" {
		return
	}
	size := r.sz.furniture
	lh := lineHeight(size)
	r.setFont("", size)
	r.pdf.SetTextColor(furnitureGrey, furnitureGrey, furnitureGrey)
	r.pdf.SetXY(margin, margin-3-lh)
	if r.headerTitle == "" {
		r.headerTitle = r.fit(r.doc.title, contentWidth)
	}
	r.pdf.CellFormat(contentWidth, lh, r.headerTitle, "", 0, "L", false, 0, "")
	r.pdf.SetDrawColor(ruleGrey, ruleGrey, ruleGrey)
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(margin, margin-2, pageWidth-margin, margin-2)
	r.pdf.SetTextColor(0, 0, 0)
}

// footerGap separates the reference from the page number.
const footerGap = 5.0

// checkReference fails if the reference would run into the page number. A
// reference is a short code; truncating it would make it useless.
func (r *renderer) checkReference() error {
	if r.doc.reference == "" {
		return nil
	}
	r.setFont("", r.sz.furniture)
	room := contentWidth - r.pdf.GetStringWidth("Page 9999 of 9999") - footerGap
	if w := r.pdf.GetStringWidth(r.doc.reference); w > room {
		return invalid("Reference %q is %.0f mm wide in the footer; at most %.0f mm fits beside the page number", r.doc.reference, w, room)
	}
	return nil
}

// footers draws every page's footer once the last page is known.
//
// "Page N of M" needs M on page 1. fpdf's page-count alias would give it,
// but the alias is measured at its own width, which misplaces right-aligned
// text, so instead the footers are added to each page at the end. fpdf keeps
// no drawing state per page, and the state it tracks may be another page's,
// so every font, colour and line width is set here before it is used; fpdf
// writes each setting to the page whether or not it thinks it changed.
func (r *renderer) footers() {
	n := r.pdf.PageCount()
	size := r.sz.furniture
	lh := lineHeight(size)
	y := pageHeight - margin + 3
	for page := 1; page <= n; page++ {
		r.pdf.SetPage(page)
		r.pdf.SetDrawColor(ruleGrey, ruleGrey, ruleGrey)
		r.pdf.SetLineWidth(0.2)
		r.pdf.Line(margin, y-1, pageWidth-margin, y-1)
		r.setFont("", size)
		r.pdf.SetFillColor(255, 255, 255)
		r.pdf.SetTextColor(furnitureGrey, furnitureGrey, furnitureGrey)
		label := fmt.Sprintf("Page %d of %d", page, n)
		if r.doc.watermark != "" {
			label = r.doc.watermark + " · " + label
			r.watermark()
			r.setFont("", size)
			r.pdf.SetTextColor(furnitureGrey, furnitureGrey, furnitureGrey)
		}
		r.pdf.SetXY(margin, y)
		r.pdf.CellFormat(contentWidth, lh, label, "", 0, "R", false, 0, "")
		if r.doc.reference != "" {
			r.pdf.SetXY(margin, y)
			r.pdf.CellFormat(contentWidth-r.pdf.GetStringWidth(label)-footerGap, lh, r.doc.reference, "", 0, "L", false, 0, "")
		}
	}
	r.pdf.SetTextColor(0, 0, 0)
}

// watermarkGrey is pale enough to read the page through, dark enough to
// survive a photocopier.
const watermarkGrey = 200

// watermark prints the document's watermark across the current page, from
// bottom left to top right, at the largest size up to 110 pt that fits the
// diagonal. It is real text, so a search or a screen reader finds it.
func (r *renderer) watermark() {
	size := 110.0
	r.setFont("B", size)
	diag := math.Hypot(contentWidth, bodyBottom-margin) * 0.85
	if w := r.pdf.GetStringWidth(r.doc.watermark); w > diag {
		size *= diag / w
		r.setFont("B", size)
	}
	w := r.pdf.GetStringWidth(r.doc.watermark)
	h := size * ptToMM
	cx, cy := pageWidth/2, pageHeight/2
	angle := math.Atan2(bodyBottom-margin, contentWidth) * 180 / math.Pi
	r.pdf.SetTextColor(watermarkGrey, watermarkGrey, watermarkGrey)
	// Multiplied, the pale letters darken only the white beneath them, so
	// the text they cross stays black and readable.
	r.pdf.SetAlpha(1, "Multiply")
	r.pdf.TransformBegin()
	r.pdf.TransformRotate(angle, cx, cy)
	r.pdf.SetXY(cx-w/2, cy-h/2)
	r.pdf.CellFormat(w, h, r.doc.watermark, "", 0, "C", false, 0, "")
	r.pdf.TransformEnd()
	r.pdf.SetAlpha(1, "Normal")
	r.pdf.SetTextColor(0, 0, 0)
}

// firstPage draws the letterhead and the recipient's address, and moves the
// body below them.
func (r *renderer) firstPage() error {
	bottom := 0.0
	if lh := r.doc.letterhead; lh != nil {
		bottom = r.letterhead(lh)
	}
	if len(r.doc.recipient) > 0 {
		if err := r.recipient(); err != nil {
			return err
		}
		bottom = max(bottom, WindowTop+WindowHeight)
	}
	if bottom > 0 {
		r.y = bottom + 8
	}
	return nil
}

// letterhead draws lh and returns the lowest point it reaches.
func (r *renderer) letterhead(lh *preparedLetterhead) float64 {
	bottom := margin
	if l := lh.logo; l != nil {
		w := LogoMaxWidth
		h := w * float64(l.pxH) / float64(l.pxW)
		if h > LogoMaxHeight {
			h = LogoMaxHeight
			w = h * float64(l.pxW) / float64(l.pxH)
		}
		opt := fpdf.ImageOptions{ImageType: l.kind}
		r.pdf.RegisterImageOptionsReader("logo", opt, bytes.NewReader(l.data))
		r.pdf.ImageOptions("logo", margin, margin, w, h, false, opt, 0, "")
		bottom = margin + h
	}
	x := letterheadLeft
	w := pageWidth - margin - x
	y := margin
	if lh.name != "" {
		size := r.sz.orgName
		r.setFont("B", size)
		for _, line := range r.wrap(lh.name, w) {
			r.pdf.SetXY(x, y)
			r.pdf.CellFormat(w, lineHeight(size), line, "", 0, "R", false, 0, "")
			y += lineHeight(size)
		}
		y += 1.5
	}
	size := r.sz.orgDetails
	r.setFont("", size)
	for i, group := range [][]string{lh.address, lh.contact} {
		if i > 0 && len(group) > 0 && len(lh.address) > 0 {
			y += lineHeight(size) / 2
		}
		for _, l := range group {
			for _, line := range r.wrap(l, w) {
				r.pdf.SetXY(x, y)
				r.pdf.CellFormat(w, lineHeight(size), line, "", 0, "R", false, 0, "")
				y += lineHeight(size)
			}
		}
	}
	return max(bottom, y)
}

// recipient sets the address in the envelope window, at the largest size
// from 12 pt down to 8 pt at which every line fits; an address that does
// not fit at 8 pt would be cut off by the window, so it is an error.
func (r *renderer) recipient() error {
	lines := r.doc.recipient
	innerW := WindowWidth - 2*WindowPadding
	innerH := WindowHeight - 2*WindowPadding
	for size := 12.0; size >= 8; size -= 0.5 {
		r.setFont("", size)
		lh := size * ptToMM * 1.2
		if float64(len(lines))*lh > innerH {
			continue
		}
		fits := true
		for _, l := range lines {
			if r.pdf.GetStringWidth(l) > innerW {
				fits = false
				break
			}
		}
		if !fits {
			continue
		}
		y := WindowTop + WindowPadding
		for _, l := range lines {
			r.pdf.SetXY(WindowLeft+WindowPadding, y)
			r.pdf.CellFormat(innerW, lh, l, "", 0, "L", false, 0, "")
			y += lh
		}
		return nil
	}
	return invalid("recipient address (%d lines) does not fit the %g by %g mm envelope window even at 8 pt", len(lines), WindowWidth, WindowHeight)
}

func (r *renderer) heading(h Heading) {
	size := r.sz.heading[h.Level-1]
	lh := size * ptToMM * 1.2
	bodyLH := lineHeight(r.sz.body)
	r.setFont("B", size)
	lines := r.wrap(h.Text, contentWidth)
	r.gap(lh * 0.6)
	// Keep the heading with at least two lines of what follows.
	r.need(float64(len(lines))*lh + lh*0.3 + 2*bodyLH)
	for _, l := range lines {
		r.text(margin, contentWidth, lh, l, "L")
		r.y += lh
	}
	r.y += lh * 0.3
	r.top = false
}

func (r *renderer) paragraph(p Paragraph) {
	size := r.sz.body
	lh := lineHeight(size)
	r.setFont("", size)
	for _, para := range paragraphs(p.Text) {
		lines := r.wrap(para, contentWidth)
		r.gap(lh / 2)
		r.need(float64(min(2, len(lines))) * lh)
		for _, l := range lines {
			r.need(lh)
			r.text(margin, contentWidth, lh, l, "L")
			r.y += lh
			r.top = false
		}
	}
}

func (r *renderer) bullets(b Bullets) {
	if len(b.Items) == 0 {
		return
	}
	size := r.sz.body
	lh := lineHeight(size)
	indent := size * ptToMM * 1.6
	r.setFont("", size)
	r.gap(lh / 2)
	for i, item := range b.Items {
		lines := r.wrap(item, contentWidth-indent)
		if i > 0 {
			r.gap(lh / 4)
		}
		r.need(float64(min(2, len(lines))) * lh)
		for j, l := range lines {
			r.need(lh)
			if j == 0 {
				r.text(margin, indent, lh, "•", "L")
			}
			r.text(margin+indent, contentWidth-indent, lh, l, "L")
			r.y += lh
			r.top = false
		}
	}
}

// column is one column of a grid of cells.
type column struct {
	x, w  float64
	align string // fpdf alignment: "L" or "R"
	style string // font style
}

// grid is how to draw the rows of a table or definition list.
type grid struct {
	cols       []column
	size, lh   float64
	padX, padY float64
	boxed      bool
	shaded     bool
	// cont, if set, is called after every page break inside the grid, to
	// draw what heads each continued part (a table's caption and header
	// row), which takes contH millimetres.
	cont  func() error
	contH float64
}

// errNoRoom reports a grid whose continuation heading fills the page.
var errNoRoom = errors.New("the header leaves no room for rows on a page")

// row draws one row of already-wrapped cells. The row moves whole to the
// next page if it does not fit on this one. Only a row taller than a page
// is split, between lines, because otherwise it could never be drawn.
func (r *renderer) row(g *grid, cells [][]string) error {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	breakPage := func() error {
		r.newPage()
		if g.cont != nil {
			return g.cont()
		}
		return nil
	}
	h := float64(n)*g.lh + 2*g.padY
	// A row that no page can hold is split from where it is, rather than
	// after a page break that would leave a table heading with no rows.
	fitsAPage := h <= bodyBottom-margin-g.contH+1e-9
	fresh := false
	if !r.top && fitsAPage && r.y+h > bodyBottom+1e-9 {
		if err := breakPage(); err != nil {
			return err
		}
		fresh = true
	}
	for a := 0; a < n; {
		fit := int((bodyBottom - r.y - 2*g.padY + 1e-9) / g.lh)
		if fit < 1 {
			if fresh || r.top {
				return errNoRoom
			}
			if err := breakPage(); err != nil {
				return err
			}
			fresh = true
			continue
		}
		b := min(n, a+fit)
		r.segment(g, cells, a, b)
		a = b
		if a < n {
			if err := breakPage(); err != nil {
				return err
			}
			fresh = true
		}
	}
	return nil
}

// segment draws lines [a, b) of every cell of a row, with their boxes.
func (r *renderer) segment(g *grid, cells [][]string, a, b int) {
	h := float64(b-a)*g.lh + 2*g.padY
	for i, c := range g.cols {
		if g.shaded {
			r.pdf.SetFillColor(headerFill, headerFill, headerFill)
			r.pdf.Rect(c.x, r.y, c.w, h, "F")
		}
		if g.boxed {
			r.pdf.SetDrawColor(ruleGrey, ruleGrey, ruleGrey)
			r.pdf.SetLineWidth(0.2)
			r.pdf.Rect(c.x, r.y, c.w, h, "D")
		}
		r.setFont(c.style, g.size)
		lines := cells[i]
		for li := a; li < b && li < len(lines); li++ {
			r.pdf.SetXY(c.x+g.padX, r.y+g.padY+float64(li-a)*g.lh)
			r.pdf.CellFormat(c.w-2*g.padX, g.lh, lines[li], "", 0, c.align, false, 0, "")
		}
	}
	r.y += h
	r.top = false
}

func (r *renderer) keyValues(kv KeyValues) error {
	if len(kv.Pairs) == 0 {
		return nil
	}
	size := r.sz.body
	lh := lineHeight(size)
	const gutter = 4.0
	r.setFont("B", size)
	keyW := 0.0
	for _, p := range kv.Pairs {
		for l := range strings.SplitSeq(p[0], "\n") {
			keyW = max(keyW, r.pdf.GetStringWidth(l))
		}
	}
	keyW = min(keyW+gutter, contentWidth*0.4)
	g := &grid{
		cols: []column{
			{x: margin, w: keyW, align: "L", style: "B"},
			{x: margin + keyW, w: contentWidth - keyW, align: "L", style: ""},
		},
		size: size, lh: lh, padY: lh * 0.15,
	}
	r.gap(lh / 2)
	for _, p := range kv.Pairs {
		r.setFont("B", size)
		k := r.wrap(p[0], keyW-gutter)
		r.setFont("", size)
		v := r.wrap(p[1], contentWidth-keyW)
		if err := r.row(g, [][]string{k, v}); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) table(t Table) error {
	name := tableName(t)
	size := r.sz.table
	lh := size * ptToMM * 1.25
	padX, padY := size*ptToMM*0.5, size*ptToMM*0.3
	n := len(t.Header)
	if n == 0 {
		n = len(t.Rows[0])
	}
	widths := r.columnWidths(t, n, size, padX)
	cols := make([]column, n)
	x := float64(margin)
	for i := range cols {
		cols[i] = column{x: x, w: widths[i], align: "L"}
		x += widths[i]
	}
	for _, c := range t.NumericColumns {
		cols[c].align = "R"
	}
	hcols := make([]column, n)
	for i, c := range cols {
		c.style = "B"
		hcols[i] = c
	}
	wrapRow := func(cells []string, style string) [][]string {
		r.setFont(style, size)
		out := make([][]string, n)
		for i, c := range cells {
			out[i] = r.wrap(c, widths[i]-2*padX)
		}
		return out
	}
	var header [][]string
	if len(t.Header) > 0 {
		header = wrapRow(t.Header, "B")
	}
	rows := make([][][]string, len(t.Rows))
	for i, row := range t.Rows {
		rows[i] = wrapRow(row, "")
	}
	rowHeight := func(cells [][]string) float64 {
		m := 1
		for _, c := range cells {
			m = max(m, len(c))
		}
		return float64(m)*lh + 2*padY
	}

	capSize := r.sz.body
	capLH := lineHeight(capSize)
	caption := func(continued bool) {
		if t.Caption == "" {
			return
		}
		text := t.Caption
		style := "B"
		if continued {
			text += " (continued)"
		}
		r.setFont(style, capSize)
		for _, l := range r.wrap(text, contentWidth) {
			r.text(margin, contentWidth, capLH, l, "L")
			r.y += capLH
		}
		r.y += 1
		r.top = false
	}
	hg := &grid{cols: hcols, size: size, lh: lh, padX: padX, padY: padY, boxed: true, shaded: true}
	bg := &grid{cols: cols, size: size, lh: lh, padX: padX, padY: padY, boxed: true}
	if t.Caption != "" {
		r.setFont("B", capSize)
		bg.contH = float64(len(r.wrap(t.Caption+" (continued)", contentWidth)))*capLH + 1
	}
	if header != nil {
		bg.contH += rowHeight(header)
	}
	bg.cont = func() error {
		caption(true)
		if header != nil {
			if err := r.row(hg, header); err != nil {
				return err
			}
		}
		return nil
	}

	// A header row repeated on every page must leave most of each page
	// for the rows it heads.
	if bg.contH > (bodyBottom-margin)/2 {
		return fmt.Errorf("%s header row is %.0f mm tall with its caption; at most half a page (%.0f mm) leaves room for the rows", name, bg.contH, (bodyBottom-margin)/2)
	}

	// Keep the caption, the header row and the first row together.
	start := 0.0
	if t.Caption != "" {
		r.setFont("B", capSize)
		start += float64(len(r.wrap(t.Caption, contentWidth)))*capLH + 1
	}
	if header != nil {
		start += rowHeight(header)
	}
	if len(rows) > 0 {
		start += rowHeight(rows[0])
	}
	r.gap(lineHeight(r.sz.body) / 2)
	r.need(start)
	caption(false)
	if header != nil {
		if err := r.row(hg, header); err != nil {
			return fmt.Errorf("%s header: %w", name, err)
		}
	}
	for i, row := range rows {
		if err := r.row(bg, row); err != nil {
			return fmt.Errorf("%s row %d: %w", name, i+1, err)
		}
	}
	return nil
}

// columnWidths shares the content width between n columns.
//
// Each column has a natural width, that of its widest line, and a minimum,
// that of its longest word (but no more than half the page, so one long URL
// cannot starve the rest) and never less than a few characters. Minimums
// that add up to more than the page shrink in proportion, and then words
// break between letters. If
// every column fits at its natural width the widths are scaled up to fill
// the page; otherwise columns that fit at their share keep their natural
// width, the rest share what is left in proportion to their natural width,
// and none goes below its minimum.
func (r *renderer) columnWidths(t Table, n int, size, padX float64) []float64 {
	nat := make([]float64, n)
	minW := make([]float64, n)
	floor := 3.5*size*ptToMM + 2*padX
	measure := func(i int, text string) {
		for l := range strings.SplitSeq(text, "\n") {
			nat[i] = max(nat[i], r.pdf.GetStringWidth(l)+2*padX)
		}
		for _, word := range strings.Fields(text) {
			minW[i] = max(minW[i], r.pdf.GetStringWidth(word)+2*padX)
		}
	}
	r.setFont("B", size)
	for i, h := range t.Header {
		measure(i, h)
	}
	r.setFont("", size)
	for _, row := range t.Rows {
		for i, c := range row {
			measure(i, c)
		}
	}
	sumMin := 0.0
	for i := range minW {
		minW[i] = max(floor, min(minW[i], contentWidth/2))
		sumMin += minW[i]
	}
	if sumMin > contentWidth {
		for i := range minW {
			minW[i] *= contentWidth / sumMin
		}
	}
	sumNat := 0.0
	for i := range nat {
		nat[i] = max(nat[i], minW[i])
		sumNat += nat[i]
	}
	w := make([]float64, n)
	if sumNat <= contentWidth {
		for i := range w {
			w[i] = nat[i] * contentWidth / sumNat
		}
		return w
	}
	fixed := make([]bool, n)
	for {
		rem, natLeft := contentWidth, 0.0
		for i := range w {
			if fixed[i] {
				rem -= w[i]
			} else {
				natLeft += nat[i]
			}
		}
		if natLeft == 0 {
			break
		}
		changed := false
		for i := range w {
			if fixed[i] {
				continue
			}
			s := nat[i] * rem / natLeft
			switch {
			case nat[i] <= s:
				w[i], fixed[i], changed = nat[i], true, true
			case s < minW[i]:
				w[i], fixed[i], changed = minW[i], true, true
			default:
				w[i] = s
			}
		}
		if !changed {
			break
		}
	}
	// Rounding, or minimums fixed late, can leave the sum off the width:
	// scale to fit exactly so the table's right edge meets the margin.
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	for i := range w {
		w[i] *= contentWidth / sum
	}
	return w
}

// formatValue writes a chart value as people read figures: thousands
// separated, at most two decimal places, and the unit.
func formatValue(v float64, unit string) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	switch unit {
	case "":
	case "%":
		b.WriteString("%")
	default:
		b.WriteString(" " + unit)
	}
	return b.String()
}

func (r *renderer) chart(c BarChart) error {
	size := r.sz.chart
	lh := lineHeight(size)
	const gap = 2.0
	values := make([]string, len(c.Values))
	maxV := 0.0
	for i, v := range c.Values {
		values[i] = formatValue(v, c.Unit)
		maxV = max(maxV, v)
	}
	r.setFont("", size)
	labelW, valueW := 0.0, 0.0
	for _, l := range c.Labels {
		for line := range strings.SplitSeq(l, "\n") {
			labelW = max(labelW, r.pdf.GetStringWidth(line))
		}
	}
	for _, v := range values {
		valueW = max(valueW, r.pdf.GetStringWidth(v))
	}
	labelW = min(labelW+gap, contentWidth*0.4)
	barX := margin + labelW
	barMax := contentWidth - labelW - gap - valueW
	if barMax < contentWidth*0.2 {
		return fmt.Errorf("%s: its labels and values leave too little room for the bars", chartName(c))
	}
	labels := make([][]string, len(c.Labels))
	rowH := make([]float64, len(c.Labels))
	total := 0.0
	for i, l := range c.Labels {
		labels[i] = r.wrap(l, labelW-gap)
		rowH[i] = float64(len(labels[i]))*lh + lh*0.35
		total += rowH[i]
	}
	titleSize := r.sz.body
	titleLH := lineHeight(titleSize)
	r.setFont("B", titleSize)
	var title []string
	if c.Title != "" {
		title = r.wrap(c.Title, contentWidth)
	}
	titleH := float64(len(title))*titleLH + 1.5

	r.gap(lineHeight(r.sz.body) / 2)
	// Keep a chart on one page when it can be.
	if titleH+total <= bodyBottom-margin {
		r.need(titleH + total)
	} else {
		r.need(titleH + rowH[0])
	}
	for _, l := range title {
		r.text(margin, contentWidth, titleLH, l, "L")
		r.y += titleLH
		r.top = false
	}
	r.y += 1.5
	barH := lh * 0.8
	for i, v := range c.Values {
		r.need(rowH[i])
		r.setFont("", size)
		for j, l := range labels[i] {
			r.pdf.SetXY(margin, r.y+float64(j)*lh)
			r.pdf.CellFormat(labelW-gap, lh, l, "", 0, "L", false, 0, "")
		}
		length := 0.0
		if maxV > 0 {
			length = v / maxV * barMax
		}
		if length > 0 {
			r.pdf.SetFillColor(barColour[0], barColour[1], barColour[2])
			r.pdf.Rect(barX, r.y+(lh-barH)/2, length, barH, "F")
		}
		r.pdf.SetXY(barX+length+gap/2, r.y)
		r.pdf.CellFormat(valueW+gap, lh, values[i], "", 0, "L", false, 0, "")
		r.pdf.SetDrawColor(0, 0, 0)
		r.pdf.SetLineWidth(0.3)
		r.pdf.Line(barX, r.y, barX, r.y+rowH[i])
		r.y += rowH[i]
		r.top = false
	}
	return nil
}
