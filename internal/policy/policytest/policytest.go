// Package policytest gives a test the Complaint Handling Code (2024) as a
// policy of its own, with its working-day calendar: the setting almost
// every test of casework starts from, in one line rather than eight.
package policytest

import (
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// Code returns a new copy of the Code's preset, which the test may change
// (policy.Code is shared, and must not be), and its calendar. It fails
// the test if either does not load.
func Code(t testing.TB) (*policy.Policy, *calendar.Calendar) {
	t.Helper()
	p, err := policy.Preset(policy.Default)
	if err != nil {
		t.Fatalf("the %s policy: %v", policy.Default, err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatalf("the %s policy's calendar: %v", policy.Default, err)
	}
	return p, cal
}
