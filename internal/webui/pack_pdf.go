package webui

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/report"
)

// packDocument lays a pack out for print: the same sections, in the same
// order, as the page, so a board member reading paper and one reading
// the screen see the same report.
func packDocument(pk report.Pack, title, landlord string, created time.Time) pdfdoc.Document {
	p := pk.Period
	d := pdfdoc.Document{Title: title, Subject: "Complaint handling, " + p.String(), Author: landlord, Created: created}
	add := func(b ...pdfdoc.Block) { d.Blocks = append(d.Blocks, b...) }
	add(pdfdoc.Heading{Level: 1, Text: title},
		pdfdoc.Paragraph{Text: fmt.Sprintf("%s. %s, compared with %s.", landlord, p, pk.Previous)})

	tsm := pdfdoc.Table{Caption: fmt.Sprintf("Tenant Satisfaction Measures, %s to %s", pk.TSM.From, pk.TSM.To),
		Header: []string{"Measure", "All homes", tsmTenureLabel(report.Tenures[0]), tsmTenureLabel(report.Tenures[1])}}
	for _, row := range tsmRows(pk.TSM, append([]complaint.Tenure{""}, report.Tenures...)) {
		cells := []string{row.ID + " " + row.Title}
		for _, c := range row.Cells {
			cells = append(cells, fmt.Sprintf("%s (%s of %s)", c.Value, c.Numerator, c.Denominator))
		}
		tsm.Rows = append(tsm.Rows, cells)
	}
	add(pdfdoc.Heading{Level: 2, Text: "Tenant Satisfaction Measures, year to date"}, tsm)

	trends := pdfdoc.Table{Caption: "Each measure against the same period a year before",
		Header: []string{"Measure", pk.Previous.String(), p.String(), "Change"}, NumericColumns: []int{1, 2, 3}}
	for _, t := range trendRows(pk.Trends) {
		trends.Rows = append(trends.Rows, []string{t.Label, t.PreviousText, t.CurrentText, t.ChangeText})
	}
	add(pdfdoc.Heading{Level: 2, Text: "Trends against " + pk.Previous.String()}, trends)

	add(pdfdoc.Heading{Level: 2, Text: "Themes"})
	if len(pk.Themes) > 0 {
		chart := pdfdoc.BarChart{Title: "Complaints by category, " + p.String()}
		for i, t := range pk.Themes {
			if i == 10 {
				break
			}
			chart.Labels = append(chart.Labels, t.Label)
			chart.Values = append(chart.Values, float64(t.Current))
		}
		add(chart, themeTable("Complaints by category", "Category", pk.Themes, pk))
	} else {
		add(pdfdoc.Paragraph{Text: "No complaints were categorised in either period."})
	}
	if len(pk.ServiceAreas) > 0 {
		add(themeTable("Complaints by service area", "Service area", pk.ServiceAreas, pk))
	}

	add(pdfdoc.Heading{Level: 2, Text: "Complaints we did not accept"})
	if len(pk.Refusals) > 0 {
		add(themeTable("Refusals by the exclusion in the policy, both stages", "Reason", pk.Refusals, pk))
	} else {
		add(pdfdoc.Paragraph{Text: "No complaint was refused in either period."})
	}

	add(pdfdoc.Heading{Level: 2, Text: "Hazards under Awaab's Law"})
	if h := pk.Hazards; h.Reported > 0 {
		add(pdfdoc.Table{Caption: fmt.Sprintf("Hazards reported in %s so far", p.Year), Header: []string{"", "Count"}, NumericColumns: []int{1},
			Rows: [][]string{
				{"Reported", fmt.Sprint(h.Reported)}, {"Emergency hazards", fmt.Sprint(h.Emergency)}, {"Significant hazards", fmt.Sprint(h.Significant)},
				{"Reported in a complaint", fmt.Sprint(h.ViaComplaint)}, {"Statutory clocks met", fmt.Sprint(h.Met)},
				{"Statutory clocks missed", fmt.Sprint(h.Missed)}, {"Statutory clocks still running", fmt.Sprint(h.Running)},
			}})
	} else {
		add(pdfdoc.Paragraph{Text: fmt.Sprintf("No hazard was reported in %s so far.", p.Year)})
	}

	add(pdfdoc.Heading{Level: 2, Text: "Putting things right"})
	if len(pk.Current.Compensation) > 0 {
		comp := pdfdoc.Table{Caption: "Compensation, " + p.String(), Header: []string{"Kind", "Offered", "Paid"}, NumericColumns: []int{1, 2}}
		for _, m := range pk.Current.Compensation {
			comp.Rows = append(comp.Rows, []string{humanWord(m.Label),
				fmt.Sprintf("%d, %s", m.Offered, formatPounds(m.OfferedPence)), fmt.Sprintf("%d, %s", m.Paid, formatPounds(m.PaidPence))})
		}
		add(comp)
	} else {
		add(pdfdoc.Paragraph{Text: "No compensation was offered in " + p.String() + "."})
	}
	add(pdfdoc.Paragraph{Text: fmt.Sprintf("Actions promised to residents: %d done, %d open, of which %d overdue at the end of the period.",
		pk.Current.ActionsDone, pk.Current.ActionsOpen, pk.Current.ActionsOverdue)})

	add(pdfdoc.Heading{Level: 2, Text: "Learning and service improvement"})
	if len(pk.Review.Improvements) > 0 {
		ys := pdfdoc.Table{Caption: "You said, we did: " + p.Year.String(), Header: []string{"Service area", "You said", "We did"}}
		for _, im := range pk.Review.Improvements {
			ys.Rows = append(ys.Rows, []string{im.ServiceArea, im.YouSaid, im.WeDid})
		}
		add(ys)
	} else {
		add(pdfdoc.Paragraph{Text: "No service improvements are recorded for " + p.Year.String() + " yet."})
	}
	if len(pk.Learning) > 0 {
		var items []string
		for _, l := range pk.Learning {
			item := l.Text
			if l.ServiceArea != "" {
				item = fmt.Sprintf("%s, stage %d: %s", l.ServiceArea, l.Stage, l.Text)
			}
			items = append(items, item)
		}
		add(pdfdoc.Heading{Level: 3, Text: "Learning recorded on responses, " + p.String()}, pdfdoc.Bullets{Items: items})
	}

	if p.Quarter == 0 {
		sa := pk.SelfAssessment
		add(pdfdoc.PageBreak{}, pdfdoc.Heading{Level: 2, Text: "Self-assessment against the Complaint Handling Code"})
		summary := fmt.Sprintf("Of %d provisions: %d met, %d partly met, %d not met", len(sa.Rows), sa.Yes, sa.Partly, sa.No)
		if sa.NotAssessed > 0 {
			summary += fmt.Sprintf(", and %d not yet assessed", sa.NotAssessed)
		}
		add(pdfdoc.Paragraph{Text: summary + "."})
		if len(sa.NotMet) > 0 {
			nm := pdfdoc.Table{Caption: "Provisions not fully met", Header: []string{"Provision", "Complies", "Explanation"}}
			for _, r := range sa.NotMet {
				nm.Rows = append(nm.Rows, []string{r.Number, r.Assessment.Complies, r.Assessment.Commentary})
			}
			add(nm)
		}
		all := pdfdoc.Table{Caption: "Every provision", Header: []string{"Provision", "Requirement", "Complies", "Evidence and commentary"}}
		for _, r := range sa.Rows {
			complies := "not assessed"
			if r.Assessed {
				complies = r.Assessment.Complies
			}
			ev := r.Assessment.Evidence
			if r.Assessment.Commentary != "" {
				ev += "\n" + r.Assessment.Commentary
			}
			all.Rows = append(all.Rows, []string{r.Number, r.Requirement, complies, ev})
		}
		add(all, pdfdoc.Heading{Level: 2, Text: "The governing body's response"})
		if r := pk.Review.Response; r.Text != "" {
			add(pdfdoc.Paragraph{Text: "Agreed on " + formatDate(r.Date) + "."}, pdfdoc.Paragraph{Text: r.Text})
		} else {
			add(pdfdoc.Paragraph{Text: "Not yet recorded. The Code (8.2) requires the governing body's response to be published with this report."})
		}
	}

	notes := append(append([]string{}, pk.Notes...), pk.TSM.Notes...)
	add(pdfdoc.Heading{Level: 2, Text: "How the figures are counted"}, pdfdoc.Bullets{Items: notes})
	return d
}

func themeTable(caption, first string, ts []report.Theme, pk report.Pack) pdfdoc.Table {
	t := pdfdoc.Table{Caption: caption, Header: []string{first, pk.Period.String(), pk.Previous.String()}, NumericColumns: []int{1, 2}}
	for _, th := range ts {
		t.Rows = append(t.Rows, []string{th.Label, strconv.Itoa(th.Current), strconv.Itoa(th.Previous)})
	}
	return t
}

// packPDF downloads a pack as PDF.
func (s *Server) packPDF(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parsePeriod(r)
	if err != nil {
		return err
	}
	pk, err := s.loadPack(r.Context(), p)
	if err != nil {
		return err
	}
	b, err := pdfdoc.Render(packDocument(pk, packTitle(p), s.ServiceName, s.Now()))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="complaints-%s.pdf"`, p.Value()))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}
