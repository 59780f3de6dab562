package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testComplimentFigures checks the management figures' compliments by
// colleague, team and contractor (issue 19, item 5; 000: "we aim to
// recognise the good work of our colleagues and contractors"): each
// compliment received in the period and passed on counts once for each
// person it praises; one not passed on, or received outside the period,
// does not count; narrowed by service area, only that area's count.
func testComplimentFigures(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	w.now = time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	const lcr complaint.Tenure = "low_cost_rental"
	sam := complaint.Praised{Kind: complaint.PraisedColleague, Name: "Sam Jones", Email: "sam@example.org"}
	samAgain := complaint.Praised{Kind: complaint.PraisedColleague, Name: "Sam J", Email: "SAM@example.org"}
	repairs := complaint.Praised{Kind: complaint.PraisedTeam, Name: "Repairs"}
	acme := complaint.Praised{Kind: complaint.PraisedContractor, Name: "Acme Roofing", Email: "office@acme.example"}
	passOn := func(when string, p ...complaint.Praised) step {
		return step{when, complaint.PassOnCompliment{Praised: p, Manager: "mo@example.org"}}
	}
	w.tell(t, s, contact{"compliment", "email", "repairs", nil, lcr, "a@example.org", "2026-04-10"}, passOn("2026-04-11", sam, repairs))
	w.tell(t, s, contact{"compliment", "phone", "repairs", nil, lcr, "b@example.org", "2026-05-10"}, passOn("2026-05-11", samAgain, acme))
	w.tell(t, s, contact{"compliment", "web", "estates", nil, lcr, "c@example.org", "2026-06-10"}, passOn("2026-06-11", repairs))
	w.tell(t, s, contact{"compliment", "web", "estates", nil, lcr, "d@example.org", "2026-06-12"})                            // not passed on
	w.tell(t, s, contact{"compliment", "web", "repairs", nil, lcr, "e@example.org", "2026-07-02"}, passOn("2026-07-03", sam)) // after the quarter

	d := calendar.MustParseDate
	tests := []struct {
		name string
		f    report.Filter
		want report.ComplimentFigures
	}{
		{"the quarter", report.Filter{From: d("2026-04-01"), To: d("2026-06-30")}, report.ComplimentFigures{
			PassedOn:     3,
			ByColleague:  []report.Row{{Label: "Sam Jones", N: 2}},
			ByTeam:       []report.Row{{Label: "Repairs", N: 2}},
			ByContractor: []report.Row{{Label: "Acme Roofing", N: 1}},
		}},
		{"estates", report.Filter{From: d("2026-04-01"), To: d("2026-06-30"), ServiceArea: "estates"}, report.ComplimentFigures{
			PassedOn: 1, ByTeam: []report.Row{{Label: "Repairs", N: 1}},
		}},
		{"a month with none passed on", report.Filter{From: d("2026-03-01"), To: d("2026-03-31")}, report.ComplimentFigures{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := s.ManagementFigures(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Compliments, tt.want) {
				t.Errorf("compliments = %+v, want %+v", m.Compliments, tt.want)
			}
		})
	}
}
