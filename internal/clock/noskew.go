//go:build !redress_clockskew

package clock

import "time"

// skew is zero in every ordinary build: a released binary cannot be made
// to believe it is another day.
func skew() time.Duration { return 0 }

// Skewed reports whether this build moves the wall clock.
const Skewed = false
