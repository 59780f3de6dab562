package report

import (
	"fmt"
	"strconv"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// OmbudsmanSummary is what the annual complaints performance report and
// the board pack say of the Housing Ombudsman's work on the landlord's
// complaints (Code 8.1: the annual report includes the Ombudsman's
// findings; 9.7: the governing body is regularly told the outcomes of the
// Ombudsman's investigations): referrals
// notified in the period, determinations made in it by finding, and the
// orders and recommendations those determinations made, with how many
// were met and how many are overdue at the end of the period. It names no
// case.
type OmbudsmanSummary struct {
	Referrals      int
	Determinations int
	// ByFinding counts the findings of the period's determinations, one
	// per point determined, in complaint.Findings order; every finding
	// is listed, so a board sees the noughts too.
	ByFinding       []FindingCount
	Orders          int
	OrdersMet       int
	OrdersOverdue   int
	Recommendations int
	// RecommendationsMet counts the recommendations recorded as met.
	RecommendationsMet int
}

// FindingCount is how many points of the period's determinations had a
// finding.
type FindingCount struct {
	Finding complaint.Finding
	N       int
}

// OmbudsmanFigures counts the referred cases for the period from to to:
// a referral by the day the Ombudsman told the landlord, a determination
// and its orders by the day it was made. asOf is the last day counted
// (the end of the period, or today if sooner): an order is met if it was
// met by then, and overdue if not and its due date is before then, as
// complaint.OmbudsmanOrder.Overdue has it.
func OmbudsmanFigures(cases []complaint.Case, from, to, asOf calendar.Date) OmbudsmanSummary {
	in := func(d calendar.Date) bool { return !d.Before(from) && !d.After(to) }
	var s OmbudsmanSummary
	counts := map[complaint.Finding]int{}
	for _, c := range cases {
		r := c.Ombudsman
		if r == nil {
			continue
		}
		if in(r.NotifiedOn) {
			s.Referrals++
		}
		det := r.Determination
		if det == nil || !in(det.DeterminedOn) {
			continue
		}
		s.Determinations++
		for _, f := range det.Findings {
			counts[f.Finding]++
		}
		for _, o := range det.Orders {
			metBy := o.Met && !calendar.DateOf(o.MetAt).After(asOf)
			switch o.Kind {
			case complaint.KindOrder:
				s.Orders++
				if metBy {
					s.OrdersMet++
				} else if !o.Due.IsZero() && o.Due.Before(asOf) {
					s.OrdersOverdue++
				}
			case complaint.KindRecommendation:
				s.Recommendations++
				if metBy {
					s.RecommendationsMet++
				}
			}
		}
	}
	for _, f := range complaint.Findings {
		s.ByFinding = append(s.ByFinding, FindingCount{f, counts[f]})
	}
	return s
}

// FindingLabel names a finding as the Ombudsman's reports do.
func FindingLabel(f complaint.Finding) string {
	switch f {
	case complaint.FindingSevereMaladministration:
		return "Severe maladministration"
	case complaint.FindingMaladministration:
		return "Maladministration"
	case complaint.FindingServiceFailure:
		return "Service failure"
	case complaint.FindingReasonableRedress:
		return "Reasonable redress"
	case complaint.FindingNoMaladministration:
		return "No maladministration"
	case complaint.FindingOutsideJurisdiction:
		return "Outside jurisdiction"
	}
	return Words(string(f))
}

// ombudsmanSection is the pack's section on the Housing Ombudsman.
func (pk Pack) ombudsmanSection() PackSection {
	o, p := pk.Ombudsman, pk.Period
	sec := PackSection{ID: "ombudsman", Heading: "The Housing Ombudsman"}
	if o.Referrals == 0 && o.Determinations == 0 {
		sec.Blocks = []PackBlock{PackParagraph{Text: fmt.Sprintf("The Housing Ombudsman neither took up nor determined a complaint about us in %s.", p)}}
		return sec
	}
	sec.Blocks = append(sec.Blocks, PackParagraph{Text: fmt.Sprintf("In %s the Ombudsman told us of %d new investigations and made %d determinations.", p, o.Referrals, o.Determinations)})
	findings := PackTable{Caption: "Findings of the Ombudsman's determinations, " + p.String() + ", one per point determined", NumericColumns: []int{1}, RowHeaders: true}
	for _, f := range o.ByFinding {
		findings.Rows = append(findings.Rows, []string{FindingLabel(f.Finding), strconv.Itoa(f.N)})
	}
	orders := PackTable{Caption: "Orders and recommendations of those determinations", Header: []string{"", "Made", "Met", "Overdue"}, NumericColumns: []int{1, 2, 3}, RowHeaders: true,
		Rows: [][]string{
			{"Orders", strconv.Itoa(o.Orders), strconv.Itoa(o.OrdersMet), strconv.Itoa(o.OrdersOverdue)},
			{"Recommendations", strconv.Itoa(o.Recommendations), strconv.Itoa(o.RecommendationsMet), "–"},
		}}
	sec.Blocks = append(sec.Blocks, findings, orders,
		PackParagraph{Text: "The Code asks that the governing body hears the outcomes of the Ombudsman's investigations (9.7) and that the annual report includes its findings (8.1). An order is overdue when its due date has passed and it is not recorded as met."})
	return sec
}
