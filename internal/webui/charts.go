package webui

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// bar is one bar of a chart: its label, its value and the value as
// people read it ("66.7%", "£150.00", "12").
type bar struct {
	Label string
	Value float64
	Text  string
}

// barChart is a horizontal bar chart drawn on the server as SVG, so it
// needs no script. It is an image with a text alternative: the title
// names it and the description gives every bar's label and value, and
// each page shows the same figures in a table beside it.
type barChart struct {
	// ID makes the ids of the title and description unique on the page.
	ID    string
	Title string
	// Desc is the text alternative; empty, it lists every bar.
	Desc string
	Bars []bar
	// Max is the end of the scale, which always starts at 0; zero means
	// the largest value.
	Max float64
}

// The chart's geometry, in SVG units: the chart is drawn 640 wide and
// scales to its column, so text is drawn at 19, the GOV.UK body size,
// to stay above 16 pixels when the column is narrower.
const (
	chartWidth      = 640
	chartFontSize   = 19
	chartCharWidth  = 11 // a generous average advance of a character at 19
	chartLineHeight = 24
	chartBarHeight  = 28
	chartRowGap     = 12
	chartPad        = 8
	chartLabelMax   = 26 // characters a label line may hold before wrapping
	chartMinBar     = 200
)

// GOV.UK colours: blue bars (5.2:1 on white), near-black text and axis.
const (
	chartBarColour  = "#1d70b8"
	chartTextColour = "#0b0c0c"
)

// description is the text alternative: the given one, or every bar's
// label and value.
func (c barChart) description() string {
	if c.Desc != "" {
		return c.Desc
	}
	if len(c.Bars) == 0 {
		return "No data."
	}
	parts := make([]string, len(c.Bars))
	for i, b := range c.Bars {
		parts[i] = b.Label + ": " + b.text()
	}
	return strings.Join(parts, "; ") + "."
}

func (b bar) text() string {
	if b.Text != "" {
		return b.Text
	}
	return strconv.FormatFloat(b.Value, 'f', -1, 64)
}

// wrapLabel splits a label into lines of at most chartLabelMax
// characters, at spaces where it can.
func wrapLabel(s string) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > chartLabelMax {
			if line != "" {
				lines, line = append(lines, line), ""
			}
			r := []rune(w)
			lines, w = append(lines, string(r[:chartLabelMax])), string(r[chartLabelMax:])
		}
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= chartLabelMax:
			line += " " + w
		default:
			lines, line = append(lines, line), w
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// SVG draws the chart. Every piece of text is escaped; the markup around
// it is fixed.
func (c barChart) SVG() template.HTML {
	esc := template.HTMLEscapeString
	labels := make([][]string, len(c.Bars))
	labelChars, valueChars := 1, 1
	top := c.Max
	for i, b := range c.Bars {
		labels[i] = wrapLabel(b.Label)
		for _, l := range labels[i] {
			labelChars = max(labelChars, utf8.RuneCountInString(l))
		}
		valueChars = max(valueChars, utf8.RuneCountInString(b.text()))
		if c.Max == 0 {
			top = max(top, b.Value)
		}
	}
	labelW := labelChars*chartCharWidth + chartPad
	valueW := valueChars*chartCharWidth + chartPad
	barW := max(chartWidth-labelW-valueW-2*chartPad, chartMinBar)
	width := labelW + chartPad + barW + chartPad + valueW
	x0 := labelW + chartPad

	var body strings.Builder
	y := chartPad
	for i, b := range c.Bars {
		rowH := max(len(labels[i])*chartLineHeight, chartBarHeight)
		// The label, right-aligned against the axis, one tspan a line.
		ly := y + (rowH-len(labels[i])*chartLineHeight)/2 + chartLineHeight - 6
		fmt.Fprintf(&body, `<text x="%d" y="%d" text-anchor="end">`, labelW, ly)
		for j, l := range labels[i] {
			dy := 0
			if j > 0 {
				dy = chartLineHeight
			}
			fmt.Fprintf(&body, `<tspan x="%d" dy="%d">%s</tspan>`, labelW, dy, esc(l))
		}
		body.WriteString(`</text>`)
		length := 0.0
		if top > 0 && b.Value > 0 {
			length = min(b.Value/top, 1) * float64(barW)
		}
		by := y + (rowH-chartBarHeight)/2
		if length > 0 {
			fmt.Fprintf(&body, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"></rect>`, x0, by, strconv.FormatFloat(length, 'f', 1, 64), chartBarHeight, chartBarColour)
		}
		fmt.Fprintf(&body, `<text x="%s" y="%d">%s</text>`, strconv.FormatFloat(float64(x0)+length+chartPad, 'f', 1, 64), by+chartBarHeight-7, esc(b.text()))
		y += rowH + chartRowGap
	}
	height := max(y-chartRowGap+chartPad, 2*chartPad+chartBarHeight)
	id := esc(c.ID)
	var out strings.Builder
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="100%%" focusable="false">`, id, id, width, height)
	fmt.Fprintf(&out, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(c.Title), id, esc(c.description()))
	fmt.Fprintf(&out, `<g font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="%d" fill="%s">`, chartFontSize, chartTextColour)
	out.WriteString(body.String())
	out.WriteString(`</g>`)
	fmt.Fprintf(&out, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"></line>`, x0, chartPad/2, x0, height-chartPad/2, chartTextColour)
	out.WriteString(`</svg>`)
	return template.HTML(out.String())
}
