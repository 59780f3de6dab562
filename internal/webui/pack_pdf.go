package webui

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redresshq/redress/internal/pdfdoc"
	"github.com/redresshq/redress/internal/report"
)

// packPDF lays a pack's document out for print: the same sections, in
// the same order, as the page, so a board member reading paper and one
// reading the screen see the same report.
func packPDF(doc report.PackDocument, pk report.Pack, landlord string, created time.Time) pdfdoc.Document {
	d := pdfdoc.Document{Title: doc.Title, Subject: "Complaint handling, " + pk.Period.String(), Author: landlord, Created: created}
	add := func(b ...pdfdoc.Block) { d.Blocks = append(d.Blocks, b...) }
	add(pdfdoc.Heading{Level: 1, Text: doc.Title}, pdfdoc.Paragraph{Text: landlord + ". " + doc.Summary})
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
	b, err := pdfdoc.Render(packPDF(pk.Document(), pk, s.ServiceName, s.Now()))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="complaints-%s.pdf"`, p.Value()))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = w.Write(b)
	return err
}
