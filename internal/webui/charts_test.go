package webui

import (
	"encoding/xml"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// svgNode is the parsed chart, enough to check what it draws.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []svgNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns every node named name, depth first.
func (n svgNode) all(name string) []svgNode {
	var out []svgNode
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// text is the node's text with its children's.
func (n svgNode) text() string {
	s := n.Text
	for _, c := range n.Nodes {
		s += c.text()
	}
	return s
}

// svgNumber is a drawn length or position, failing the test if it is not a
// number.
func svgNumber(t *testing.T, what, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s is %q, not a number", what, s)
	}
	return f
}

// firstOf is the first node named name, failing the test if there is none.
func (n svgNode) firstOf(t *testing.T, name string) svgNode {
	t.Helper()
	all := n.all(name)
	if len(all) == 0 {
		t.Fatalf("the chart has no %s element", name)
	}
	return all[0]
}

func parseSVG(t *testing.T, s string) svgNode {
	t.Helper()
	var n svgNode
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	if err := d.Decode(&n); err != nil {
		t.Fatalf("the chart is not well-formed XML: %v\n%s", err, s)
	}
	if _, err := d.Token(); err != io.EOF {
		t.Fatalf("the chart has something after the svg element: %v", err)
	}
	return n
}

func TestBarChartIsAnImageWithATextAlternative(t *testing.T) {
	c := barChart{ID: "months", Title: "Complaints by month", Bars: []bar{
		{Label: "April 2026", Value: 4}, {Label: "May 2026", Value: 10, Text: "10 complaints"}, {Label: "June 2026", Value: 0},
	}}
	svg := parseSVG(t, string(c.SVG()))
	if svg.XMLName.Local != "svg" || svg.attr("role") != "img" {
		t.Fatalf("root is <%s role=%q>, want <svg role=img>", svg.XMLName.Local, svg.attr("role"))
	}
	if got := svg.attr("aria-labelledby"); got != "months-title months-desc" {
		t.Errorf("aria-labelledby %q", got)
	}
	titles, descs := svg.all("title"), svg.all("desc")
	if len(titles) != 1 || titles[0].attr("id") != "months-title" || titles[0].text() != "Complaints by month" {
		t.Errorf("title %+v", titles)
	}
	if len(descs) != 1 || descs[0].attr("id") != "months-desc" || descs[0].text() != "April 2026: 4; May 2026: 10 complaints; June 2026: 0." {
		t.Errorf("desc %+v", descs)
	}
	// Every label and every value is written as text, not only drawn.
	var texts []string
	for _, n := range svg.all("text") {
		texts = append(texts, n.text())
	}
	want := []string{"April 2026", "4", "May 2026", "10 complaints", "June 2026", "0"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("texts %q, want %q", texts, want)
	}
}

func TestBarChartScalesFromZeroToTheLargestValue(t *testing.T) {
	c := barChart{ID: "c", Title: "t", Bars: []bar{{Label: "a", Value: 5}, {Label: "b", Value: 10}, {Label: "c", Value: 0}}}
	rects := parseSVG(t, string(c.SVG())).all("rect")
	if len(rects) != 2 {
		t.Fatalf("%d bars drawn, want 2 (a zero value draws none)", len(rects))
	}
	w0 := svgNumber(t, "the first bar's width", rects[0].attr("width"))
	w1 := svgNumber(t, "the second bar's width", rects[1].attr("width"))
	if w1 < chartMinBar || w0*2 != w1 {
		t.Errorf("widths %v and %v: want the largest at full length and 5 at half of it", w0, w1)
	}
	if rects[0].attr("x") != rects[1].attr("x") {
		t.Errorf("bars start at %s and %s, want one axis", rects[0].attr("x"), rects[1].attr("x"))
	}
	for _, r := range rects {
		if r.attr("fill") != chartBarColour {
			t.Errorf("bar colour %s", r.attr("fill"))
		}
	}
	// A fixed scale: 25 and 50 of 100 are a quarter and a half of the
	// length, whatever the largest value.
	c = barChart{ID: "p", Title: "t", Max: 100, Bars: []bar{{Label: "Stage 1", Value: 25}, {Label: "Stage 2", Value: 50}}}
	rects = parseSVG(t, string(c.SVG())).all("rect")
	if len(rects) != 2 {
		t.Fatalf("%d bars drawn on a fixed scale, want 2", len(rects))
	}
	q := svgNumber(t, "the quarter bar's width", rects[0].attr("width"))
	h := svgNumber(t, "the half bar's width", rects[1].attr("width"))
	if math.Abs(h-2*q) > 0.2 || h < chartMinBar/2 || h > chartWidth/2 {
		t.Errorf("25 and 50 on a scale to 100 are %v and %v long", q, h)
	}
}

func TestBarChartTextIsLargeAndDark(t *testing.T) {
	c := barChart{ID: "c", Title: "t", Bars: []bar{{Label: "a", Value: 1}}}
	svg := parseSVG(t, string(c.SVG()))
	g := svg.all("g")
	if len(g) != 1 {
		t.Fatalf("want one group of text, got %d", len(g))
	}
	size, err := strconv.Atoi(g[0].attr("font-size"))
	if err != nil {
		t.Fatalf("font-size %q is not a whole number", g[0].attr("font-size"))
	}
	if size < 16 || g[0].attr("fill") != "#0b0c0c" {
		t.Errorf("text at size %d in %s, want at least 16 in GOV.UK black", size, g[0].attr("fill"))
	}
	// Drawn at most this wide, the chart shrinks by at most 640/width when
	// its column is 640 wide; 19 stays above 16 down to about 540 wide.
	if vb := strings.Fields(svg.attr("viewBox")); len(vb) != 4 || vb[2] != "640" {
		t.Errorf("viewBox %q, want 640 wide", svg.attr("viewBox"))
	}
}

func TestBarChartEscapesEveryText(t *testing.T) {
	evil := `<script>alert("x")</script> & "quotes"`
	c := barChart{ID: `x"onload="alert(1)`, Title: evil, Desc: evil, Bars: []bar{{Label: evil, Value: 1, Text: evil}}}
	s := string(c.SVG())
	if strings.Contains(s, "<script") || strings.Contains(s, `"onload="`) {
		t.Fatalf("unescaped text in the chart:\n%s", s)
	}
	svg := parseSVG(t, s)
	if got := svg.firstOf(t, "title").text(); got != evil {
		t.Errorf("title reads %q, want %q", got, evil)
	}
	if got := svg.firstOf(t, "desc").text(); got != evil {
		t.Errorf("desc reads %q, want %q", got, evil)
	}
}

func TestBarChartWrapsLongLabels(t *testing.T) {
	long := "Anti-social behaviour and neighbourhood management in the estates"
	c := barChart{ID: "c", Title: "t", Bars: []bar{{Label: long, Value: 3}, {Label: "Repairs", Value: 2}}}
	svg := parseSVG(t, string(c.SVG()))
	label := svg.firstOf(t, "text")
	spans := label.all("tspan")
	if len(spans) < 2 {
		t.Fatalf("a long label is on %d line(s)", len(spans))
	}
	var words []string
	for _, s := range spans {
		if n := len([]rune(s.text())); n > chartLabelMax {
			t.Errorf("line %q has %d characters, more than %d", s.text(), n, chartLabelMax)
		}
		words = append(words, s.text())
	}
	if strings.Join(words, " ") != long {
		t.Errorf("wrapped label reads %q", strings.Join(words, " "))
	}
	if got := wrapLabel("Supercalifragilisticexpialidocious-and-more-besides"); len(got) != 2 || got[0] != "Supercalifragilisticexpial" {
		t.Errorf("a long word wraps to %q", got)
	}
	// A wrapped label ends above the next row's bar.
	baseline, err := strconv.Atoi(label.attr("y"))
	if err != nil {
		t.Fatalf("the label's y %q is not a whole number", label.attr("y"))
	}
	last := baseline + (len(spans)-1)*chartLineHeight
	rects := svg.all("rect")
	if len(rects) < 2 {
		t.Fatalf("%d bars drawn, want 2", len(rects))
	}
	next, err := strconv.Atoi(rects[1].attr("y"))
	if err != nil {
		t.Fatalf("the second bar's y %q is not a whole number", rects[1].attr("y"))
	}
	if last+6 > next {
		t.Errorf("the label's last line sits at %d, the next bar starts at %d", last, next)
	}
}

func TestBarChartWithNoBars(t *testing.T) {
	c := barChart{ID: "none", Title: "Nothing yet"}
	svg := parseSVG(t, string(c.SVG()))
	if d := svg.firstOf(t, "desc").text(); d != "No data." {
		t.Errorf("desc %q", d)
	}
	if h := regexp.MustCompile(`^0 0 \d+ \d+$`).MatchString(svg.attr("viewBox")); !h {
		t.Errorf("viewBox %q", svg.attr("viewBox"))
	}
}
