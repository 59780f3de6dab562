package webui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// packs are the board reports: each quarter's board pack and the year's
// annual complaints performance and service improvement report (Code
// 8.1). Both come from the same figures; the annual one adds the
// self-assessment and the governing body's response.

// packTitle names a pack as boards and the Code do.
func packTitle(p report.Period) string {
	if p.Quarter == 0 {
		return "Annual complaints performance and service improvement report " + p.Year.String()
	}
	return "Complaints board pack, " + p.String()
}

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

// trendCells formats a trend for the table: previous, current, change.
type trendRow struct {
	report.Trend
	PreviousText, CurrentText, ChangeText string
}

func formatTrendValue(v float64, unit string, valid bool) string {
	switch {
	case !valid:
		return "–"
	case unit == "£":
		return "£" + penceString(int64(v*100+0.5))
	case unit == "%":
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case unit == "working days":
		return strconv.FormatFloat(v, 'f', -1, 64) + " working days"
	case unit == "":
		return thousands(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
}

func trendRows(ts []report.Trend) []trendRow {
	out := make([]trendRow, len(ts))
	for i, t := range ts {
		out[i] = trendRow{Trend: t,
			PreviousText: formatTrendValue(t.Previous, t.Unit, t.PreviousValid),
			CurrentText:  formatTrendValue(t.Current, t.Unit, t.CurrentValid),
		}
		if t.Valid() {
			c := t.Change()
			sign := "+"
			if c < 0 {
				sign, c = "−", -c
			}
			out[i].ChangeText = fmt.Sprintf("%s%s (%s)", sign, formatTrendValue(c, t.Unit, true), t.Verdict())
			if c == 0 {
				out[i].ChangeText = "no change"
			}
		} else {
			out[i].ChangeText = "no comparison"
		}
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
	themes := barChart{ID: "themes-chart", Title: "Complaints by category, " + p.String()}
	for i, t := range pk.Themes {
		if i == 10 {
			break
		}
		themes.Bars = append(themes.Bars, bar{Label: t.Label, Value: float64(t.Current), Text: strconv.Itoa(t.Current)})
	}
	tsmRows := func(t report.TSM) []tsmRow { return tsmRows(t, append([]complaint.Tenure{""}, report.Tenures...)) }
	s.render(w, r, http.StatusOK, "report-pack", map[string]any{
		"Title": packTitle(p), "Nav": "reports", "Pack": pk, "Annual": p.Quarter == 0,
		"PeriodField": newSelect("period", "Period", "A quarter for the board pack, or a whole year for the annual report", p.Value(), s.periodOptions(p), nil),
		"PDFURL":      "/reports/pack.pdf?period=" + p.Value(),
		"ReviewURL":   fmt.Sprintf("/reports/review?year=%d", int(p.Year)),
		"Trends":      trendRows(pk.Trends),
		"TSMRows":     tsmRows(pk.TSM), "PreviousTSMRows": tsmRows(pk.PreviousTSM),
		"Headers":     []string{"All homes", tsmTenureLabel(report.Tenures[0]), tsmTenureLabel(report.Tenures[1])},
		"ThemesChart": themes.SVG(), "ThemesTitle": themes.Title,
		"Compensation": pk.Current.Compensation, "CompensationTotal": compensationTotal(pk.Current.Compensation),
	})
	return nil
}
