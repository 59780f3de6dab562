package reports

import (
	"context"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// CasesQuery asks for the cases behind one figure of a year's measures.
type CasesQuery struct {
	Year    report.Year
	Measure string
	// Part is "numerator" (the cases counted) or "denominator" (the
	// cases counted against).
	Part string
	// Tenure is one tenure, or nil for "All".
	Tenure *complaint.Tenure
	Viewer store.Viewer
}

// Cases returns the references of the cases behind a figure that the
// viewer may see, and how many more are behind it that they may not
// (confidential cases: counted, never named).
func (s *Service) Cases(ctx context.Context, q CasesQuery) (refs []string, hidden int, err error) {
	switch {
	case q.Measure == report.TP09:
		return nil, 0, complaint.InvalidField("measure", "TP09 comes from the tenant perception survey: no cases are behind it")
	case !slices.Contains(report.CaseMeasures, q.Measure):
		return nil, 0, complaint.InvalidField("measure", "must be one of %s", strings.Join(report.CaseMeasures, ", "))
	case q.Part != "numerator" && q.Part != "denominator":
		return nil, 0, complaint.InvalidField("part", "must be numerator or denominator")
	case strings.HasPrefix(q.Measure, "CH01") && q.Part == "denominator":
		return nil, 0, complaint.InvalidField("part", "CH01 is divided by the number of homes, not by cases: ask for the numerator")
	}
	from, to := q.Year.Dates()
	return s.Store.TSMCases(ctx, store.TSMQuery{Measure: q.Measure, Numerator: q.Part == "numerator",
		Tenure: q.Tenure, From: from, To: to, Viewer: q.Viewer})
}
