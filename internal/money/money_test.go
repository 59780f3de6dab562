package money

import (
	"math"
	"testing"
)

// Every way an amount is written, for the amounts that go wrong: none,
// pence only, a whole number of pounds, thousands and millions, and
// refunds below zero.
func TestAmountsAreWrittenTheSameWayEverywhere(t *testing.T) {
	for _, tt := range []struct {
		pence                  Pence
		letter, table, decimal string
	}{
		{0, "£0", "£0.00", "0.00"},
		{5, "£0.05", "£0.05", "0.05"},
		{50, "£0.50", "£0.50", "0.50"},
		{1250, "£12.50", "£12.50", "12.50"},
		{15000, "£150", "£150.00", "150.00"},
		{17550, "£175.50", "£175.50", "175.50"},
		{100_000, "£1,000", "£1,000.00", "1000.00"},
		{125_000, "£1,250", "£1,250.00", "1250.00"},
		{125_000_05, "£125,000.05", "£125,000.05", "125000.05"},
		{100_000_000, "£1,000,000", "£1,000,000.00", "1000000.00"},
		{-5, "-£0.05", "-£0.05", "-0.05"},
		{-2500, "-£25", "-£25.00", "-25.00"},
		{-125_000, "-£1,250", "-£1,250.00", "-1250.00"},
		{math.MinInt64, "-£92,233,720,368,547,758.08", "-£92,233,720,368,547,758.08", "-92233720368547758.08"},
	} {
		if got := tt.pence.String(); got != tt.letter {
			t.Errorf("Pence(%d).String() = %q, want %q", int64(tt.pence), got, tt.letter)
		}
		if got := tt.pence.Fixed(); got != tt.table {
			t.Errorf("Pence(%d).Fixed() = %q, want %q", int64(tt.pence), got, tt.table)
		}
		if got := tt.pence.Decimal(); got != tt.decimal {
			t.Errorf("Pence(%d).Decimal() = %q, want %q", int64(tt.pence), got, tt.decimal)
		}
	}
}
