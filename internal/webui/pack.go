package webui

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// packs are the board reports: each quarter's board pack and the year's
// annual complaints performance and service improvement report (Code
// 8.1). Both come from the same figures; the annual one adds the
// self-assessment and the governing body's response.

// periodOptions are the quarters and years of recent reporting years,
// newest first, with the chosen one if it is older.
func (s *Server) periodOptions(chosen report.Period) []option {
	current := report.YearOf(calendar.DateOf(s.Now()))
	var out []option
	add := func(p report.Period) {
		label := p.String()
		if p.Quarter == 0 {
			label = "Whole year " + label + " (annual report)"
		}
		out = append(out, option{p.Value(), label})
	}
	for y := current; y > current-4; y-- {
		add(report.Period{Year: y})
		for q := 4; q >= 1; q-- {
			add(report.Period{Year: y, Quarter: q})
		}
	}
	if chosen.Year <= current-4 {
		add(chosen)
	}
	return out
}

// parsePeriod reads the period query parameter; none is the quarter
// that ended most recently.
func (s *Server) parsePeriod(r *http.Request) (report.Period, error) {
	v := r.URL.Query().Get("period")
	if v == "" {
		return report.LastQuarter(calendar.DateOf(s.Now())), nil
	}
	p, err := report.ParsePeriod(v)
	if err != nil {
		return p, complaint.InvalidField("period", "%v", err)
	}
	return p, nil
}

// loadPack gathers and builds a pack through the reports service, the
// one every surface uses.
func (s *Server) loadPack(ctx context.Context, p report.Period) (report.Pack, error) {
	return s.reports().Pack(ctx, p, s.Calendar, s.Now())
}

// packBlockView is one block of a pack's document as the page draws
// it: exactly one of its fields is set.
type packBlockView struct {
	Paragraph *report.PackParagraph
	Table     *packTableView
	Chart     *packChartView
	List      *report.PackList
	// RecordURL leads from a paragraph that says something is missing
	// to where it is recorded; RecordText is the link's words.
	RecordURL, RecordText string
}

// packTableView is a table with each cell's place decided: a row header
// or a cell, numeric or not, and its lines.
type packTableView struct {
	Caption string
	Header  []packCellView
	Rows    [][]packCellView
}

type packCellView struct {
	Lines              []string
	RowHeader, Numeric bool
}

type packChartView struct {
	SVG  template.HTML
	Data packTableView
}

type packSectionView struct {
	report.PackSection
	Views []packBlockView
}

func newPackTableView(t report.PackTable) packTableView {
	v := packTableView{Caption: t.Caption}
	for i, h := range t.Header {
		v.Header = append(v.Header, packCellView{Lines: []string{h}, Numeric: t.Numeric(i)})
	}
	for _, row := range t.Rows {
		var cells []packCellView
		for i, c := range row {
			cells = append(cells, packCellView{Lines: strings.Split(c, "\n"), RowHeader: i == 0 && t.RowHeaders, Numeric: t.Numeric(i)})
		}
		v.Rows = append(v.Rows, cells)
	}
	return v
}

// packSections draws a pack's document for the page.
func packSections(d report.PackDocument, reviewURL string) []packSectionView {
	var out []packSectionView
	for _, s := range d.Sections {
		sv := packSectionView{PackSection: s}
		for _, b := range s.Blocks {
			var v packBlockView
			switch b := b.(type) {
			case report.PackParagraph:
				v.Paragraph = &b
				switch b.Missing {
				case "improvements":
					v.RecordURL, v.RecordText = reviewURL+"#improvements", "Record them"
				case "response":
					v.RecordURL, v.RecordText = reviewURL+"#response", "Record it"
				}
			case report.PackTable:
				t := newPackTableView(b)
				v.Table = &t
			case report.PackBarChart:
				c := barChart{ID: s.ID + "-chart", Title: b.Title}
				for i, l := range b.Labels {
					c.Bars = append(c.Bars, bar{Label: l, Value: b.Values[i], Text: b.Texts[i]})
				}
				v.Chart = &packChartView{SVG: c.SVG(), Data: newPackTableView(b.Data)}
			case report.PackList:
				v.List = &b
			}
			sv.Views = append(sv.Views, v)
		}
		out = append(out, sv)
	}
	return out
}

// packPage shows a board pack or the annual report.
func (s *Server) packPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parsePeriod(r)
	if err != nil {
		return err
	}
	pk, err := s.loadPack(r.Context(), p)
	if err != nil {
		return err
	}
	doc := pk.Document()
	reviewURL := fmt.Sprintf("/reports/review?year=%d", int(p.Year))
	s.render(w, r, http.StatusOK, "report-pack", map[string]any{
		"Title": doc.Title, "Nav": "reports", "Pack": pk, "Summary": doc.Summary, "Sections": packSections(doc, reviewURL),
		"PeriodField": newSelect("period", "Period", "A quarter for the board pack, or a whole year for the annual report", p.Value(), s.periodOptions(p), nil),
		"PDFURL":      "/reports/pack.pdf?period=" + p.Value(),
		"ReviewURL":   reviewURL,
	})
	return nil
}
