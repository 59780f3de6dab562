package webui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/report"
)

// packPDF lays a pack's document out for print: a cover page (whose pack
// it is, its period and the day it was made, whether it is final, and the
// executive summary), then the same sections, in the same order, as the
// page, so a board member reading paper and one reading the screen see
// the same report. A draft is marked DRAFT on every page.
func packPDF(doc report.PackDocument, cover report.PackCover, pk report.Pack, created time.Time) pdfdoc.Document {
	d := pdfdoc.Document{Title: doc.Title, Subject: "Complaint handling, " + pk.Period.String(), Author: cover.Landlord, Created: created}
	if cover.Status.Draft {
		d.Watermark = "DRAFT"
	}
	add := func(b ...pdfdoc.Block) { d.Blocks = append(d.Blocks, b...) }
	add(pdfdoc.Heading{Level: 1, Text: cover.Landlord}, pdfdoc.Heading{Level: 2, Text: doc.Title},
		pdfdoc.KeyValues{Pairs: [][2]string{{"Period", cover.Period}, {"Made", cover.Made}, {"Status", coverStatus(cover.Status)}}})
	if cover.Summary != "" {
		add(pdfdoc.Table{Caption: "Executive summary", Rows: [][]string{{cover.Summary}}})
	} else {
		add(pdfdoc.Paragraph{Text: "No executive summary has been written for this pack."})
	}
	add(pdfdoc.Paragraph{Text: doc.Summary}, pdfdoc.PageBreak{})
	for _, s := range doc.Sections {
		if s.NewPage {
			add(pdfdoc.PageBreak{})
		}
		add(pdfdoc.Heading{Level: 2, Text: s.Heading})
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case report.PackParagraph:
				add(pdfdoc.Paragraph{Text: b.Text})
			case report.PackTable:
				add(pdfTable(b))
			case report.PackBarChart:
				add(pdfdoc.BarChart{Title: b.Title, Labels: b.Labels, Values: b.Values}, pdfTable(b.Data))
			case report.PackList:
				if b.Heading != "" {
					add(pdfdoc.Heading{Level: 3, Text: b.Heading})
				}
				add(pdfdoc.Bullets{Items: b.Items})
			}
		}
	}
	return d
}

// coverStatus says on the cover whether the pack is final, and if not,
// every reason it is still a draft.
func coverStatus(st report.PackStatus) string {
	if !st.Draft {
		return "Final. " + st.SignedOff
	}
	return "DRAFT. " + strings.Join(st.Reasons, " ")
}

func pdfTable(t report.PackTable) pdfdoc.Table {
	return pdfdoc.Table{Caption: t.Caption, Header: t.Header, Rows: t.Rows, NumericColumns: t.NumericColumns}
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
	now := s.Now()
	b, err := pdfdoc.Render(packPDF(pk.Document(), pk.Cover(s.landlord(r.Context()), calendar.DateOf(now)), pk, now))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="complaints-%s.pdf"`, p.Value()))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}
