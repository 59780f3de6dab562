package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

func testHomes(t *testing.T, s store.Store) {
	if _, ok, err := s.HomesIn(ctx, 2026); ok || err != nil {
		t.Fatalf("homes before any: %v, %v", ok, err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if err := s.SetHomes(ctx, policy.Homes{Year: 2026, LowCostRental: 9000, LowCostHomeOwnership: 700}, "m@example.org", now); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHomes(ctx, policy.Homes{Year: 2026, LowCostRental: 9100, LowCostHomeOwnership: 650}, "m@example.org", now); err != nil {
		t.Fatal(err)
	}
	h, ok, err := s.HomesIn(ctx, 2026)
	if !ok || err != nil || h.LowCostRental != 9100 || h.LowCostHomeOwnership != 650 || h.Year != 2026 {
		t.Errorf("homes 2026 = %+v, %v, %v", h, ok, err)
	}
	err = s.SetHomes(ctx, policy.Homes{Year: 1999, LowCostRental: -1}, "m@example.org", now)
	var e *complaint.Error
	if complaint.ErrorCode(err) != complaint.Invalid || !errors.As(err, &e) || e.Fields["year"] == "" || e.Fields["low_cost_rental"] == "" {
		t.Errorf("bad homes: %v", err)
	}
	if h, _, err := s.HomesIn(ctx, 2026); err != nil {
		t.Errorf("homes 2026 after bad homes: %v", err)
	} else if h.LowCostRental != 9100 {
		t.Error("bad homes changed the recorded ones")
	}
}
