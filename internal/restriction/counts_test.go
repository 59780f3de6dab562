package restriction_test

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/restriction"
)

func TestCountsCountEachStepByItsDateAndWhatIsInForceAtTheEnd(t *testing.T) {
	at := func(s string) time.Time { return calendar.MustParseDate(s).Start().Add(10 * time.Hour) }
	warned := restriction.Restriction{Status: restriction.Warned, Warning: &restriction.Warning{At: at("2026-05-01")}}
	liftedWarning := restriction.Restriction{Status: restriction.Lifted, Warning: &restriction.Warning{At: at("2026-03-20")}, Lift: &restriction.Lift{At: at("2026-04-10")}}
	inForce := restriction.Restriction{Status: restriction.InForce, Warning: &restriction.Warning{At: at("2026-04-02")},
		Decision: &restriction.Decision{At: at("2026-06-01")}, Reviews: []restriction.Review{{At: at("2026-12-01"), Outcome: restriction.Continue}}}
	liftedAfter := restriction.Restriction{Status: restriction.Lifted, Decision: &restriction.Decision{At: at("2025-10-01"), WithoutWarning: "threats"},
		Reviews: []restriction.Review{{At: at("2026-04-01"), Outcome: restriction.Continue}, {At: at("2027-04-02"), Outcome: restriction.LiftIt}},
		Lift:    &restriction.Lift{At: at("2027-04-02")}}
	liftedWithin := restriction.Restriction{Status: restriction.Lifted, Decision: &restriction.Decision{At: at("2026-07-01"), WithoutWarning: "threats"},
		Lift: &restriction.Lift{At: at("2027-01-05")}}
	all := []restriction.Restriction{warned, liftedWarning, inForce, liftedAfter, liftedWithin}
	tests := []struct {
		name     string
		from, to string
		want     restriction.Counts
	}{
		{"TheReportingYear", "2026-04-01", "2027-03-31", restriction.Counts{Warnings: 2, Decided: 2, WithoutWarning: 1, Reviews: 2, Lifted: 2, InForceAtEnd: 2}},
		{"AQuarterCountsOnlyItsOwnSteps", "2026-04-01", "2026-06-30", restriction.Counts{Warnings: 2, Decided: 1, Reviews: 1, Lifted: 1, InForceAtEnd: 2}},
		{"TheYearBefore", "2025-04-01", "2026-03-31", restriction.Counts{Warnings: 1, Decided: 1, WithoutWarning: 1, InForceAtEnd: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := restriction.Count(all, calendar.MustParseDate(tt.from), calendar.MustParseDate(tt.to))
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
