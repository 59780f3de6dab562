package ratelimit

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// hourly5 is five requests an hour: one comes back every 12 minutes.
var hourly5 = Rate{N: 5, Per: time.Hour}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTakeSpendsOneAndRefusesWhenLessThanOneIsLeft(t *testing.T) {
	tests := []struct {
		name      string
		b         *Bucket
		now       time.Time
		wantOK    bool
		wantLeft  float64
		wantRetry time.Duration
	}{
		{"a key not seen has a full bucket", nil, t0, true, 4, 0},
		{"one token left is enough", &Bucket{Tokens: 1, At: t0}, t0, true, 0, 0},
		{"an empty bucket refuses, one token's time away", &Bucket{Tokens: 0, At: t0}, t0, false, 0, 12 * time.Minute},
		{"half a token refuses, half a token's time away", &Bucket{Tokens: 0.5, At: t0}, t0, false, 0.5, 6 * time.Minute},
		{"tokens grow back evenly", &Bucket{Tokens: 0, At: t0}, t0.Add(30 * time.Minute), true, 1.5, 0},
		{"one token back after its share of the period", &Bucket{Tokens: 0, At: t0}, t0.Add(12 * time.Minute), true, 0, 0},
		{"never more than N come back", &Bucket{Tokens: 2, At: t0}, t0.Add(5 * time.Hour), true, 4, 0},
		{"a clock behind the bucket's counts as no time", &Bucket{Tokens: 0, At: t0}, t0.Add(-time.Hour), false, 0, 12 * time.Minute},
		{"a clock behind takes nothing away either", &Bucket{Tokens: 3, At: t0}, t0.Add(-time.Hour), true, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ok, retry := Take(tt.b, hourly5, tt.now)
			if ok != tt.wantOK || !near(next.Tokens, tt.wantLeft) || retry != tt.wantRetry {
				t.Errorf("Take = %v tokens, ok %v, retry %v; want %v, %v, %v", next.Tokens, ok, retry, tt.wantLeft, tt.wantOK, tt.wantRetry)
			}
			if !next.At.Equal(tt.now) {
				t.Errorf("the bucket is kept as at %v, want %v: refused or not, it is brought up to now", next.At, tt.now)
			}
		})
	}
}

func TestTakeLetsExactlyNThroughAtOnce(t *testing.T) {
	for _, r := range []Rate{{N: 1, Per: time.Minute}, hourly5, {N: 30, Per: time.Hour}} {
		var b *Bucket
		passed := 0
		for range r.N + 3 {
			next, ok, _ := Take(b, r, t0)
			b = &next
			if ok {
				passed++
			}
		}
		if passed != r.N {
			t.Errorf("%+v: %d of %d takes at one instant passed, want %d", r, passed, r.N+3, r.N)
		}
	}
}

func TestRefundGivesOneBackButNeverAboveN(t *testing.T) {
	tests := []struct {
		name string
		b    Bucket
		now  time.Time
		want float64
	}{
		{"an empty bucket gets one back", Bucket{Tokens: 0, At: t0}, t0, 1},
		{"what grew back counts too", Bucket{Tokens: 0, At: t0}, t0.Add(30 * time.Minute), 3.5},
		{"a bucket one short is full again", Bucket{Tokens: 4, At: t0}, t0, 5},
		{"a full bucket stays full", Bucket{Tokens: 5, At: t0}, t0, 5},
		{"a bucket filled since stays full", Bucket{Tokens: 4.5, At: t0}, t0.Add(time.Hour), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Refund(tt.b, hourly5, tt.now)
			if !near(got.Tokens, tt.want) || !got.At.Equal(tt.now) {
				t.Errorf("Refund = %v at %v, want %v at %v", got.Tokens, got.At, tt.want, tt.now)
			}
		})
	}
}

func TestFullOnceAPeriodHasPassedWhateverWasLeft(t *testing.T) {
	tests := []struct {
		name string
		b    Bucket
		now  time.Time
		want bool
	}{
		{"empty, a period later", Bucket{Tokens: 0, At: t0}, t0.Add(time.Hour), true},
		{"empty, a moment short of a period", Bucket{Tokens: 0, At: t0}, t0.Add(time.Hour - time.Second), false},
		{"one short, a fifth of a period later", Bucket{Tokens: 4, At: t0}, t0.Add(12 * time.Minute), true},
		{"one short, just before", Bucket{Tokens: 4, At: t0}, t0.Add(11 * time.Minute), false},
		{"full already", Bucket{Tokens: 5, At: t0}, t0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Full(tt.b, hourly5, tt.now); got != tt.want {
				t.Errorf("Full = %v, want %v (level %v)", got, tt.want, Level(tt.b, hourly5, tt.now))
			}
		})
	}
}

func TestValidRatesLetSomethingThroughOverSomeTime(t *testing.T) {
	tests := []struct {
		r    Rate
		want bool
	}{
		{Rate{N: 1, Per: time.Nanosecond}, true},
		{hourly5, true},
		{Rate{N: 0, Per: time.Hour}, false},
		{Rate{N: -1, Per: time.Hour}, false},
		{Rate{N: 5}, false},
		{Rate{N: 5, Per: -time.Hour}, false},
	}
	for _, tt := range tests {
		if got := tt.r.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v, want %v", tt.r, got, tt.want)
		}
	}
}
