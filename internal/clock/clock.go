// Package clock is Redress's one reading of the wall clock.
//
// Every date Redress works with comes from a clock it was given (a
// server's Now, an App's now), so that each rule can be tested on a
// pinned day. Where nothing pins one, the clock is Wall, and no other
// code calls time.Now: a test in this package fails the build's tests if
// any does. That is what lets the whole suite be run as if today were
// another day (see skew.go): the only clocks left outside that control
// are other programs' (a browser's, a mail server's), and Redress never
// compares a time it made with one of theirs.
package clock

import "time"

// Wall returns the current time: the real time, moved by the test skew
// in builds made with the redress_clockskew tag. Durations measured
// between two readings are unaffected, since the skew is constant.
func Wall() time.Time {
	return time.Now().Add(skew())
}

// Deadline returns the instant d from now on the real clock, unmoved by
// any test skew: it is for deadlines handed to the operating system (a
// connection's read and write deadlines), which the kernel measures
// against its own clock, not Redress's.
func Deadline(d time.Duration) time.Time {
	return time.Now().Add(d)
}
