// Command progress turns `go test -json` into a log a person can follow
// while a long CI run goes on: a line as each package starts and ends
// with its time, every minute the packages still running and their
// current tests, the whole output of whatever failed, the tests that
// skipped and why, and at the end the slowest packages and tests.
//
// It reads the events on standard input and exits 1 if any package or
// test failed, or if the stream ended with a package unfinished:
//
//	go test -json ./... | go run ./.ci/progress
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc cmd/test2json`).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type pkgState struct {
	started time.Time
	// out holds each test's output ("" is the package's own) until the
	// test ends: printed if it failed, dropped if it passed.
	out     map[string]*strings.Builder
	running map[string]time.Time
	failed  []string
	skipped []string
}

type timing struct {
	name    string
	elapsed float64
}

func main() {
	os.Exit(run(os.Stdin, os.Stdout, time.Minute))
}

func run(in io.Reader, w io.Writer, every time.Duration) int {
	start := time.Time{}
	pkgs := map[string]*pkgState{}
	var pkgTimes, testTimes []timing
	failed := false

	events := make(chan event)
	errs := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			var e event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
				// Not an event: the go command's own message, such
				// as a build error. Pass it on.
				fmt.Fprintln(w, sc.Text())
				continue
			}
			events <- e
		}
		errs <- sc.Err()
		close(events)
	}()
	tick := time.NewTicker(every)
	defer tick.Stop()
	at := func(t time.Time) string { return fmt.Sprintf("%6.0fs", t.Sub(start).Seconds()) }
	for {
		select {
		case <-tick.C:
			if len(pkgs) == 0 || start.IsZero() {
				continue
			}
			now := time.Now()
			names := make([]string, 0, len(pkgs))
			for name := range pkgs {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				p := pkgs[name]
				tests := make([]string, 0, len(p.running))
				for t := range p.running {
					tests = append(tests, t)
				}
				slices.Sort(tests)
				fmt.Fprintf(w, "%s  still running %s (%.0fs) %s\n", at(now), name, now.Sub(p.started).Seconds(), strings.Join(tests, " "))
			}
		case e, ok := <-events:
			if !ok {
				if err := <-errs; err != nil {
					fmt.Fprintf(w, "progress: reading the events: %v\n", err)
					return 1
				}
				for name := range pkgs {
					fmt.Fprintf(w, "FAIL %s: the run ended before it finished\n", name)
					failed = true
				}
				summary(w, pkgTimes, testTimes)
				if failed {
					return 1
				}
				return 0
			}
			if e.Action == "build-output" {
				// A package that does not compile: the compiler's
				// message, then a "fail" for the package.
				fmt.Fprint(w, e.Output)
				continue
			}
			if start.IsZero() {
				start = e.Time
			}
			p := pkgs[e.Package]
			if p == nil && e.Package != "" {
				p = &pkgState{started: e.Time, out: map[string]*strings.Builder{}, running: map[string]time.Time{}}
				pkgs[e.Package] = p
				if e.Action == "start" {
					fmt.Fprintf(w, "%s  start %s\n", at(e.Time), e.Package)
				}
			}
			if p == nil {
				continue
			}
			switch e.Action {
			case "run":
				p.running[e.Test] = e.Time
			case "output":
				b := p.out[e.Test]
				if b == nil {
					b = &strings.Builder{}
					p.out[e.Test] = b
				}
				b.WriteString(e.Output)
			case "pass", "fail", "skip":
				if e.Test != "" {
					delete(p.running, e.Test)
					switch e.Action {
					case "fail":
						p.failed = append(p.failed, e.Test)
						if b := p.out[e.Test]; b != nil {
							fmt.Fprint(w, b.String())
						}
					case "skip":
						reason := ""
						if b := p.out[e.Test]; b != nil {
							reason = lastLine(b.String())
						}
						p.skipped = append(p.skipped, e.Test+": "+reason)
					case "pass":
						if !strings.Contains(e.Test, "/") {
							testTimes = append(testTimes, timing{e.Package + "." + e.Test, e.Elapsed})
						}
					}
					delete(p.out, e.Test)
					continue
				}
				delete(pkgs, e.Package)
				status := map[string]string{"pass": "ok  ", "fail": "FAIL", "skip": "-   "}[e.Action]
				fmt.Fprintf(w, "%s  %s %s %.1fs", at(e.Time), status, e.Package, e.Elapsed)
				if n := len(p.skipped); n > 0 {
					fmt.Fprintf(w, " (%d skipped)", n)
				}
				fmt.Fprintln(w)
				for _, s := range p.skipped {
					fmt.Fprintf(w, "        skipped %s\n", s)
				}
				if e.Action == "fail" {
					failed = true
					if b := p.out[""]; b != nil {
						fmt.Fprint(w, b.String())
					}
				}
				pkgTimes = append(pkgTimes, timing{e.Package, e.Elapsed})
			}
		}
	}
}

// lastLine returns the last line of s that the test wrote itself (not
// go test's own "=== RUN" or "--- SKIP" lines), trimmed: for a skipped
// test, the reason it gave.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "--- ") && !strings.HasPrefix(l, "=== ") {
			return l
		}
	}
	return "(no reason given)"
}

func summary(w io.Writer, pkgs, tests []timing) {
	top := func(title string, ts []timing, n int) {
		slices.SortFunc(ts, func(a, b timing) int { return cmp.Compare(b.elapsed, a.elapsed) })
		fmt.Fprintln(w, title)
		for _, t := range ts[:min(n, len(ts))] {
			fmt.Fprintf(w, "  %7.1fs  %s\n", t.elapsed, t.name)
		}
	}
	top("slowest packages:", pkgs, 5)
	top("slowest tests:", tests, 10)
}
