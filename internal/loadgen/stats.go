package loadgen

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted, a
// slice of latencies in ascending order, by the nearest-rank definition:
// the smallest sample that at least p per cent of the samples are less
// than or equal to, which is sorted[ceil(p/100 × n) − 1]. It is always a
// latency that was measured, never one interpolated between two, so a p99
// of 40 ms means a request really took 40 ms; with fewer than 100
// samples the p99 is the slowest. It returns 0 for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p × n first: for whole percentiles and counts the product is exact,
	// so 95 × 100 / 100 is rank 95, not 95.00000000000001 rounded up.
	rank := int(math.Ceil(p * float64(n) / 100))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// PerSecond returns count events over elapsed as a rate per second, or 0
// when no time has passed.
func PerSecond(count int, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(count) / elapsed.Seconds()
}

// Latencies summarises a set of request latencies.
type Latencies struct {
	// N is the number of samples.
	N int
	// P50, P95 and P99 are nearest-rank percentiles (see Percentile).
	P50, P95, P99 time.Duration
	// Max is the slowest sample.
	Max time.Duration
}

// Summarize returns the percentiles of samples, which it sorts in place.
func Summarize(samples []time.Duration) Latencies {
	slices.Sort(samples)
	l := Latencies{
		N:   len(samples),
		P50: Percentile(samples, 50),
		P95: Percentile(samples, 95),
		P99: Percentile(samples, 99),
	}
	if len(samples) > 0 {
		l.Max = samples[len(samples)-1]
	}
	return l
}
