package webui

import (
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// publicSummary is the year's complaints performance as a landlord
// publishes it: the measures as figures, never a case, a name or a
// reference, so it needs no sign-in.
func (s *Server) publicSummary(w http.ResponseWriter, r *http.Request) error {
	f, errs := s.parseTSMFilter(r.URL.Query())
	data := map[string]any{
		"Title": "Our complaints performance", "Errors": errs,
		"YearField": newSelect("year", "Reporting year", "1 April to 31 March", f.yearValue(), s.yearOptions(f.Year), errs),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "public-summary", data)
		return nil
	}
	t, err := s.tsm(r, f.Year)
	if err != nil {
		return err
	}
	columns := []complaint.Tenure{"", "low_cost_rental", "low_cost_home_ownership"}
	var headers []string
	for _, c := range columns {
		headers = append(headers, report.TenureLabel(c))
	}
	chart := ch02Chart(t, "")
	from, to := f.Year.Dates()
	data["TSM"], data["From"], data["To"] = t, from, to
	data["Headers"], data["Rows"] = headers, tsmRows(t, columns)
	// "All" is the Regulator's two tenures, as on the measures page;
	// other tenures and complaints with no tenure recorded are counted
	// on their own lines, in no measure.
	data["OutsideHeaders"], data["OutsideRows"] = outsideHeaders(), outsideRows(t)
	data["Chart"], data["ChartTitle"] = chart.SVG(), chart.Title
	// The Regulator's measures, then Redress's own survey under its own
	// name: TP09 is only ever the perception survey's recorded result.
	data["Measures"] = measures
	s.render(w, r, http.StatusOK, "public-summary", data)
	return nil
}
