package report

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// referredCase is a case the Ombudsman took up on notified and, if
// determined is set, determined then with findings and orders.
func referredCase(notified, determined string, findings []complaint.Finding, orders ...complaint.OmbudsmanOrder) complaint.Case {
	r := &complaint.OmbudsmanReferral{Reference: "HOS", NotifiedOn: calendar.MustParseDate(notified)}
	if determined != "" {
		det := &complaint.Determination{DeterminedOn: calendar.MustParseDate(determined), Orders: orders}
		for _, f := range findings {
			det.Findings = append(det.Findings, complaint.OmbudsmanFinding{Point: "p", Finding: f, Reasons: "r"})
		}
		r.Determination = det
	}
	return complaint.Case{Kind: complaint.KindComplaint, Ombudsman: r}
}

func order(kind complaint.OrderKind, due, met string) complaint.OmbudsmanOrder {
	o := complaint.OmbudsmanOrder{Kind: kind, Description: "x"}
	if due != "" {
		o.Due = calendar.MustParseDate(due)
	}
	if met != "" {
		o.Met, o.MetAt = true, calendar.MustParseDate(met).Start().Add(10*time.Hour)
	}
	return o
}

// Code 8.1 and 8.2, issue 19 item 4: the annual report counts the
// Ombudsman's referrals and determinations of the year by finding, one
// per point determined, and the orders made, met and overdue at the end
// of the year (or today, if sooner); recommendations apart.
func TestOmbudsmanFiguresCountTheYearsDeterminationsByFindingAndTheirOrders(t *testing.T) {
	mal, sf, none := complaint.FindingMaladministration, complaint.FindingServiceFailure, complaint.FindingNoMaladministration
	cases := []complaint.Case{
		{Kind: complaint.KindComplaint}, // never referred
		referredCase("2026-03-20", "2026-05-01", []complaint.Finding{mal, sf},
			order(complaint.KindOrder, "2026-06-01", "2026-05-20"), // met
			order(complaint.KindOrder, "2026-06-01", ""),           // overdue
			order(complaint.KindOrder, "2027-04-10", ""),           // due after the year
			order(complaint.KindRecommendation, "", "2026-07-01")), // a recommendation met
		referredCase("2026-06-01", "", nil),                                 // referred, not yet determined
		referredCase("2025-12-01", "2026-02-01", []complaint.Finding{none}), // determined the year before
		referredCase("2026-09-01", "2026-12-01", []complaint.Finding{none},
			order(complaint.KindOrder, "2027-01-10", "2027-05-01")), // met only after the year: overdue at its end
	}
	y := Year(2026)
	from, to := y.Dates()
	got := OmbudsmanFigures(cases, from, to, to)
	if got.Referrals != 2 || got.Determinations != 2 {
		t.Errorf("referrals %d, determinations %d; want 2 and 2", got.Referrals, got.Determinations)
	}
	want := map[complaint.Finding]int{mal: 1, sf: 1, none: 1}
	if len(got.ByFinding) != len(complaint.Findings) {
		t.Fatalf("by finding %v: want every finding listed", got.ByFinding)
	}
	for _, f := range got.ByFinding {
		if f.N != want[f.Finding] {
			t.Errorf("%s: %d, want %d", f.Finding, f.N, want[f.Finding])
		}
	}
	if got.Orders != 4 || got.OrdersMet != 1 || got.OrdersOverdue != 2 || got.Recommendations != 1 || got.RecommendationsMet != 1 {
		t.Errorf("orders %+v: want 4 made, 1 met, 2 overdue; 1 recommendation, met", got)
	}
	// Part way through the year, an order due later is not yet overdue.
	if mid := OmbudsmanFigures(cases, from, to, calendar.MustParseDate("2026-05-25")); mid.OrdersOverdue != 0 || mid.OrdersMet != 1 {
		t.Errorf("on 25 May 2026: %+v, want 1 met and none overdue", mid)
	}
}

// The pack's Ombudsman section shows the counts and names no case; with
// nothing to count it says so.
func TestPackOmbudsmanSectionShowsFindingsAndOrders(t *testing.T) {
	p, _ := ParsePeriod("2026")
	pk := BuildPack(PackInput{Period: p})
	if text := flatten(pk.ombudsmanSection()); !strings.Contains(text, "neither took up nor determined") {
		t.Errorf("an empty year: %q", text)
	}
	from, to := p.Dates()
	pk.Ombudsman = OmbudsmanFigures([]complaint.Case{referredCase("2026-04-02", "2026-08-01", []complaint.Finding{complaint.FindingSevereMaladministration},
		order(complaint.KindOrder, "2026-09-01", ""))}, from, to, to)
	text := flatten(pk.ombudsmanSection())
	for _, want := range []string{"1 new investigations and made 1 determinations", "Severe maladministration|1", "Outside jurisdiction|0", "Orders|1|0|1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the section lacks %q; it holds\n%s", want, text)
		}
	}
}
