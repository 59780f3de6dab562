package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/reports"
)

// The year's Tenant Satisfaction Measures, and the cases behind each
// figure, for managers: the same figures the measures page shows,
// computed by the same service, so that a landlord's own tools and the
// board's spreadsheet read what the staff pages say.

func (s *Server) reports() *reports.Service {
	return &reports.Service{Store: s.Store, Policy: s.Policy}
}

// reportYear reads the year query parameter: the reporting year starting
// 1 April of it, by default the current one. A year not yet begun has no
// figures.
func (s *Server) reportYear(q url.Values) (report.Year, error) {
	current := report.YearOf(calendar.DateOf(s.Now()))
	v := strings.TrimSpace(q.Get("year"))
	if v == "" {
		return current, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || report.Year(y) > current {
		return 0, complaint.InvalidField("year", "%q is not a reporting year: give the year it starts, 2000 to %d", v, int(current))
	}
	return report.Year(y), nil
}

// tsm answers GET /api/v1/reports/tsm?year=Y.
func (s *Server) tsm(w http.ResponseWriter, r *http.Request) error {
	y, err := s.reportYear(r.URL.Query())
	if err != nil {
		return err
	}
	t, err := s.reports().TSM(r.Context(), y)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// tsmCases answers GET /api/v1/reports/tsm/cases?year=Y&measure=M&part=P&tenure=T.
func (s *Server) tsmCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	y, err := s.reportYear(q)
	if err != nil {
		return err
	}
	cq := reports.CasesQuery{Year: y, Measure: q.Get("measure"), Part: q.Get("part"), Viewer: s.viewer(userOf(r))}
	if v := q.Get("tenure"); v != "" {
		t := complaint.Tenure(v)
		if !slices.Contains(report.Tenures, t) && !slices.Contains(report.Outside, t) {
			return complaint.InvalidField("tenure", "must be one of low_cost_rental, low_cost_home_ownership, other or not_recorded, or left out for All")
		}
		cq.Tenure = &t
	}
	refs, hidden, err := s.reports().Cases(r.Context(), cq)
	if err != nil {
		return err
	}
	if refs == nil {
		refs = []string{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"year": y, "measure": cq.Measure, "part": cq.Part, "references": refs, "hidden": hidden})
}

// hazards answers GET /api/v1/reports/hazards?year=Y: the year's Awaab's
// Law figures as at now, each count with the references behind it.
func (s *Server) hazards(w http.ResponseWriter, r *http.Request) error {
	y, err := s.reportYear(r.URL.Query())
	if err != nil {
		return err
	}
	h, err := s.reports().Hazards(r.Context(), y, s.viewer(userOf(r)), s.Calendar, s.Now())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}
