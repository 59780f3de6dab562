package webui

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
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
		return report.LastQuarter(calendar.DateOf(s.Now())), nil
	}
	p, err := report.ParsePeriod(v)
	if err != nil {
		return p, complaint.InvalidField("period", "%v", err)
	}
	return p, nil
}

// loadPack gathers and builds a pack through the reports service, the
// one every surface uses, with what is stored for it besides its
// figures: the executive summary, the latest sign-off and the year's
// Member Responsible for Complaints.
func (s *Server) loadPack(ctx context.Context, p report.Period) (report.Pack, error) {
	pk, err := s.reports().Pack(ctx, p, s.Calendar, s.Now())
	if err != nil {
		return pk, err
	}
	rec, err := s.Store.PackRecord(ctx, p)
	if err != nil {
		return pk, err
	}
	pk.Summary, pk.SignOff = rec.Summary, rec.SignOff
	if pk.Member, err = s.Store.ComplaintsMember(ctx, p.Year); err != nil {
		return pk, err
	}
	return pk, nil
}

// landlord names the landlord on a pack's cover: the brand, as on every
// page and email.
func (s *Server) landlord(ctx context.Context) string { return s.brandName(ctx) }

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
				case "member":
					v.RecordURL, v.RecordText = reviewURL+"#complaints-member", "Name them"
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
	return s.renderPack(w, r, http.StatusOK, p, nil, nil, r.URL.Query().Get("saved"))
}

// renderPack draws the pack page: its cover (whose it is, the period,
// the date made, whether it is final and why not), the executive summary
// form, the sign-off, then the pack itself.
func (s *Server) renderPack(w http.ResponseWriter, r *http.Request, status int, p report.Period, form url.Values, errs []fieldError, saved string) error {
	pk, err := s.loadPack(r.Context(), p)
	if err != nil {
		return err
	}
	doc := pk.Document()
	reviewURL := fmt.Sprintf("/reports/review?year=%d", int(p.Year))
	if form == nil {
		form = url.Values{"summary": {pk.Summary.Text}}
	}
	s.render(w, r, status, "report-pack", map[string]any{
		"Title": doc.Title, "Nav": "reports", "Pack": pk, "Summary": doc.Summary, "Sections": packSections(doc, reviewURL),
		"Cover":        pk.Cover(s.landlord(r.Context()), calendar.DateOf(s.Now())),
		"Errors":       errs,
		"Saved":        saved,
		"PeriodValue":  p.Value(),
		"SummaryField": rows(newField("summary", "Summary for the board", "What the board should take from this pack, in a few paragraphs. It is printed on the cover, and a change to it after sign-off makes the pack a draft again", form, errs), 8),
		"SignOffError": fieldErrorOf(errs, "sign_off"),
		"PeriodField":  newSelect("period", "Period", "A quarter for the board pack, or a whole year for the annual report", p.Value(), s.periodOptions(p), nil),
		"PDFURL":       "/reports/pack.pdf?period=" + p.Value(),
		"ReviewURL":    reviewURL,
	})
	return nil
}

// fieldErrorOf is the message errs give for field, if any.
func fieldErrorOf(errs []fieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// packPeriodForm reads the period a pack form was posted for.
func packPeriodForm(r *http.Request) (report.Period, error) {
	if err := r.ParseForm(); err != nil {
		return report.Period{}, err
	}
	p, err := report.ParsePeriod(r.PostForm.Get("period"))
	if err != nil {
		return p, complaint.InvalidField("period", "%v", err)
	}
	return p, nil
}

// redirectPack sends the browser back to the pack after a save, so that
// reloading it does not post again.
func redirectPack(w http.ResponseWriter, r *http.Request, p report.Period, what string) {
	http.Redirect(w, r, fmt.Sprintf("/reports/pack?period=%s&saved=%s", p.Value(), url.QueryEscape(what)), http.StatusSeeOther)
}

// signer names a manager as a pack's sign-off records them: their name,
// or their email when no name is recorded.
func signer(u store.User) string { return cmp.Or(strings.TrimSpace(u.Name), u.Email) }

// savePackSummary keeps the executive summary with the figures it was
// written against.
func (s *Server) savePackSummary(w http.ResponseWriter, r *http.Request) error {
	p, err := packPeriodForm(r)
	if err != nil {
		return err
	}
	pk, err := s.loadPack(r.Context(), p)
	if err != nil {
		return err
	}
	figures, hash := pk.Figures()
	err = s.Store.SavePackSummary(r.Context(), report.PackSummary{Period: p.Value(), Text: strings.TrimSpace(r.PostForm.Get("summary")),
		Figures: figures, FiguresHash: hash, UpdatedBy: signer(userOf(r)), UpdatedAt: s.Now()})
	if errs, ok := domainErrors(err, "summary"); ok {
		return s.renderPack(w, r, http.StatusBadRequest, p, r.PostForm, errs, "")
	} else if err != nil {
		return err
	}
	s.Log.Info("pack summary saved", "period", p.Value(), "user_id", userOf(r).ID)
	redirectPack(w, r, p, "the executive summary")
	return nil
}

// signOffPack records a manager signing the pack off, as it now stands.
// It is refused while the annual report's self-assessment is incomplete.
func (s *Server) signOffPack(w http.ResponseWriter, r *http.Request) error {
	p, err := packPeriodForm(r)
	if err != nil {
		return err
	}
	pk, err := s.loadPack(r.Context(), p)
	if err != nil {
		return err
	}
	if err := pk.CheckSignOff(); err != nil {
		errs, _ := domainErrors(err, "sign_off")
		return s.renderPack(w, r, http.StatusConflict, p, nil, errs, "")
	}
	_, hash := pk.Figures()
	if err := s.Store.SignOffPack(r.Context(), report.PackSignOff{Period: p.Value(), SignedBy: signer(userOf(r)), SignedAt: s.Now(),
		FiguresHash: hash, Summary: pk.Summary.Text}); err != nil {
		return err
	}
	s.Log.Info("pack signed off", "period", p.Value(), "figures_hash", hash, "user_id", userOf(r).ID)
	redirectPack(w, r, p, "the sign-off")
	return nil
}
