//go:build redress_clockskew

package clock

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Skewed reports whether this build moves the wall clock.
const Skewed = true

// skewEnv names the move, as a Go duration ("-8760h") or a whole number
// of years, months or days ("+2y", "-1y", "90d", "-6m"). Only test builds
// made with the redress_clockskew tag read it; .ci/run runs the suite so
// moved, to show no test depends on how far today is from the day it
// pins.
const skewEnv = "REDRESS_CLOCK_SKEW"

// skew is worked out once, from the real date of the first reading, so
// that it stays constant for the life of the process.
var skew = sync.OnceValue(func() time.Duration {
	d, err := ParseSkew(os.Getenv(skewEnv), time.Now())
	if err != nil {
		panic(fmt.Sprintf("clock: %s: %v", skewEnv, err))
	}
	return d
})
