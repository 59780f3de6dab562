package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/reports"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// newService opens a real SQLite store under the default preset policy,
// with the homes of 2026/27 written into the policy file.
func newService(t *testing.T) *reports.Service {
	t.Helper()
	st, err := sqldb.Open(context.Background(), testdb.DSN(t), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := policy.Preset(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	p.Homes = []policy.Homes{{Year: 2026, LowCostRental: 4000, LowCostHomeOwnership: 1000}}
	return &reports.Service{Store: st, Policy: p}
}

func TestHomesRecordedByAManagerComeBeforeThePolicyFiles(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if h, ok, err := s.HomesIn(ctx, 2026); err != nil || !ok || h.LowCostRental != 4000 {
		t.Fatalf("homes from the policy file: %+v, %v, %v", h, ok, err)
	}
	if _, ok, err := s.HomesIn(ctx, 2025); err != nil || ok {
		t.Fatalf("a year nobody gave homes for: ok %v, %v; want none", ok, err)
	}
	recorded := policy.Homes{Year: 2026, LowCostRental: 4200, LowCostHomeOwnership: 900}
	// Recording homes is the manager's page's work, not the reports', so
	// reports.Store has no SetHomes: the test records them on its store.
	if err := s.Store.(*sqldb.DB).SetHomes(ctx, recorded, "manager@example.org", time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if h, ok, err := s.HomesIn(ctx, 2026); err != nil || !ok || h != recorded {
		t.Errorf("homes once recorded: %+v, %v, %v; want %+v", h, ok, err, recorded)
	}
}

func TestAPackIsBuiltForItsPeriodFromTheStore(t *testing.T) {
	s := newService(t)
	cal, err := calendar.New(nil, calendar.EnglandAndWales, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := report.Period{Year: 2026, Quarter: 2}
	pk, err := s.Pack(context.Background(), p, cal, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if pk.Period != p || pk.Previous != p.Previous() {
		t.Errorf("pack for %+v (previous %+v), want %+v and %+v", pk.Period, pk.Previous, p, p.Previous())
	}
	if from, to := p.YearToDate(); pk.TSM.From != from.String() || pk.TSM.To != to.String() {
		t.Errorf("the pack's measures run %s to %s, want the year to date %s to %s", pk.TSM.From, pk.TSM.To, from, to)
	}
	if len(pk.Trends) == 0 {
		t.Errorf("the pack has no trends against the same period a year before")
	}
}
