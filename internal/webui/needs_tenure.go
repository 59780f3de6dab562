package webui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// countNoTenure counts the complaints matching f that have no tenure
// recorded: those from the resident's form or email, until an officer
// sets it. They are in no tenure's measures, "All" included, so the
// dashboard and the measures page both show how many there are.
func (s *Server) countNoTenure(r *http.Request, f store.CaseFilter) (int, error) {
	f.Kind, f.NoTenure = complaint.KindComplaint, true
	return s.Store.CountCases(r.Context(), f)
}

// noTenureURL is the case list of the complaints with no tenure
// recorded, received from from to to, both included (zero: any).
func noTenureURL(from, to calendar.Date) string {
	q := url.Values{"kind": {"complaint"}, "no_tenure": {"yes"}}
	if !from.IsZero() {
		q.Set("received_from", from.String())
	}
	if !to.IsZero() {
		q.Set("received_to", to.String())
	}
	return "/cases?" + q.Encode()
}

// outsideRows are the lines counted beside the measures, never in them:
// complaints from other tenures and those with no tenure recorded. CH01
// is a plain count for them, with no homes to divide by.
func outsideRows(t report.TSM) []tsmRow {
	rows := tsmRows(t, report.Outside)
	for i := range rows {
		rows[i].Title = strings.TrimSuffix(rows[i].Title, " per 1,000 homes")
	}
	return rows
}

// outsideHeaders names the lines beside the measures.
func outsideHeaders() []string {
	var out []string
	for _, c := range report.Outside {
		out = append(out, report.TenureLabel(c))
	}
	return out
}
