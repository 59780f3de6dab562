package webui

import (
	"net/http"
	"net/url"
	"strconv"
)

// The Awaab's Law report (issue 14, item 5): for a reporting year, the
// hazards the landlord became aware of by class and by how they came in,
// each statutory clock met, missed or running, and the time to make
// safe. Every count opens to the cases behind it.

// hazardsPage shows a year's Awaab's Law figures.
func (s *Server) hazardsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	q.Del("tenure") // every hazard counts; the law's own tenure rule is applied to the clocks
	f, errs := s.parseTSMFilter(q)
	data := map[string]any{
		"Title": "Awaab's Law: hazards", "Nav": "reports", "Errors": errs,
		"YearField": newSelect("year", "Reporting year", "Hazards the landlord became aware of in the year, 1 April to 31 March", f.yearValue(), s.yearOptions(f.Year), errs),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "reports-hazards", data)
		return nil
	}
	h, err := s.reports().Hazards(r.Context(), f.Year, s.viewer(userOf(r)), s.Calendar, s.Now())
	if err != nil {
		return err
	}
	data["Year"], data["Hazards"] = f.Year, h
	data["Summary"] = h.Summary()
	data["BackURL"] = "/reports?" + url.Values{"year": {strconv.Itoa(int(f.Year))}}.Encode()
	s.render(w, r, http.StatusOK, "reports-hazards", data)
	return nil
}
