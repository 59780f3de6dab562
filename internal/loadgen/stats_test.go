package loadgen

import (
	"math/rand/v2"
	"testing"
	"time"
)

// ms makes latencies of whole milliseconds, to write samples briefly.
func ms(ns ...int) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n) * time.Millisecond
	}
	return out
}

// upTo returns 1 ms, 2 ms, … n ms.
func upTo(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Millisecond
	}
	return out
}

func TestPercentilesAreNearestRankOfTheSortedSamples(t *testing.T) {
	tests := []struct {
		name          string
		samples       []time.Duration
		p50, p95, p99 time.Duration
	}{
		{"no samples", nil, 0, 0, 0},
		{"one sample is every percentile", ms(7), 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond},
		{"two samples: the median is the lower, never their mean", ms(10, 20), 10 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond},
		{"ten samples: p95 and p99 are the slowest", upTo(10), 5 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond},
		{"a hundred samples: the p-th is the p-th", upTo(100), 50 * time.Millisecond, 95 * time.Millisecond, 99 * time.Millisecond},
		{"a thousand samples", upTo(1000), 500 * time.Millisecond, 950 * time.Millisecond, 990 * time.Millisecond},
		{"101 samples round the rank up", upTo(101), 51 * time.Millisecond, 96 * time.Millisecond, 100 * time.Millisecond},
		{"one slow outlier in a hundred shows at p100 only", append(ms(make([]int, 99)...), time.Second), 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The samples arrive in any order: Summarize sorts them.
			shuffled := append([]time.Duration(nil), tt.samples...)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got := Summarize(shuffled)
			if got.N != len(tt.samples) || got.P50 != tt.p50 || got.P95 != tt.p95 || got.P99 != tt.p99 {
				t.Errorf("got n %d p50 %s p95 %s p99 %s, want n %d p50 %s p95 %s p99 %s",
					got.N, got.P50, got.P95, got.P99, len(tt.samples), tt.p50, tt.p95, tt.p99)
			}
		})
	}
}

func TestPercentileOfTheWholeRangeIsTheSlowest(t *testing.T) {
	s := upTo(3)
	if got := Percentile(s, 100); got != 3*time.Millisecond {
		t.Errorf("p100 = %s, want the slowest, 3ms", got)
	}
	if got := Percentile(s, 0.001); got != time.Millisecond {
		t.Errorf("p0.001 = %s, want the fastest, 1ms", got)
	}
}

func TestThroughputIsCountOverElapsedSeconds(t *testing.T) {
	tests := []struct {
		count   int
		elapsed time.Duration
		want    float64
	}{
		{0, time.Second, 0},
		{100, time.Second, 100},
		{100, 4 * time.Second, 25},
		{3, 1500 * time.Millisecond, 2},
		{1, 250 * time.Millisecond, 4},
		{10, 0, 0},  // no time passed: no rate rather than infinity
		{10, -1, 0}, // nor a negative one
	}
	for _, tt := range tests {
		if got := PerSecond(tt.count, tt.elapsed); got != tt.want {
			t.Errorf("PerSecond(%d, %s) = %g, want %g", tt.count, tt.elapsed, got, tt.want)
		}
	}
}
