//go:build redress_clockskew

package clock

import (
	"os"
	"testing"
	"time"
)

// A skewed run that did not move the clock would prove nothing: check
// that Wall is where REDRESS_CLOCK_SKEW says.
func TestWallIsMovedBySkew(t *testing.T) {
	want, err := ParseSkew(os.Getenv(skewEnv), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := Wall().Sub(time.Now())
	if d := got - want; d < -time.Minute || d > time.Minute {
		t.Fatalf("Wall is %s from the real clock; %s=%q asks for %s", got, skewEnv, os.Getenv(skewEnv), want)
	}
	t.Logf("Wall is %s (%s=%q)", Wall().Format(time.DateTime), skewEnv, os.Getenv(skewEnv))
}
