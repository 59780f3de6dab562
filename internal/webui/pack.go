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
	"github.com/redresshq/redress/internal/store"
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
		today := calendar.DateOf(s.Now())
		y := report.YearOf(today)
		q := (int(today.Month())+8)%12/3 + 1 // April is quarter 1
		if q == 1 {
			return report.Period{Year: y - 1, Quarter: 4}, nil
		}
		return report.Period{Year: y, Quarter: q - 1}, nil
	}
	p, err := report.ParsePeriod(v)
	if err != nil {
		return p, complaint.InvalidField("period", "%v", err)
	}
	return p, nil
}

// loadPack gathers a pack's figures: the measures for the year to date
// and the management figures for the period, this year and last, and
// the year's review.
func (s *Server) loadPack(ctx context.Context, p report.Period) (report.Pack, error) {
	in := report.PackInput{Period: p}
	tsm := func(p report.Period) (report.TSM, error) {
		from, to := p.YearToDate()
		return s.tsmOver(ctx, p.Year, from, to)
	}
	mgmt := func(p report.Period) (report.Management, error) {
		from, to := p.Dates()
		return s.Store.ManagementFigures(ctx, report.Filter{From: from, To: to})
	}
	var err error
	if in.TSM, err = tsm(p); err != nil {
		return report.Pack{}, err
	}
	if in.PreviousTSM, err = tsm(p.Previous()); err != nil {
		return report.Pack{}, err
	}
	if in.Current, err = mgmt(p); err != nil {
		return report.Pack{}, err
	}
	if in.PreviousMgmt, err = mgmt(p.Previous()); err != nil {
		return report.Pack{}, err
	}
	if in.Review, err = s.Store.Review(ctx, p.Year); err != nil {
		return report.Pack{}, err
	}
	// The pack counts every hazard, confidential or not: it names none.
	hz, err := s.reports().Hazards(ctx, p.Year, store.Viewer{AllConfidential: true}, s.Calendar, s.Now())
	if err != nil {
		return report.Pack{}, err
	}
	in.Hazards = hz.Summary()
	pk := report.BuildPack(in)
	// Refusals are counted by the exclusion's code; the pack says why.
	for i, r := range pk.Refusals {
		for _, e := range s.Policy.Exclusions {
			if e.Code == r.Label {
				pk.Refusals[i].Label = e.Reason
			}
		}
	}
	return pk, nil
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
