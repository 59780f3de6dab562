// Package browsertest drives headless Chromium for the browser tests of
// the staff pages (internal/webui) and the residents' pages
// (internal/portal). It is for tests only: only _test.go files import it,
// so the product's binaries carry neither chromedp nor axe-core.
//
// A test binary has one Browser, started by the first test that needs it
// and stopped by TestMain. Each test gets a fresh Tab, in a browser
// context of its own so that no cookie leaks between tests, on a server
// the test started on 127.0.0.1. The Tab's actions fail the test when they
// cannot be done, and its checks report what the page says when they
// fail. Every page gets the same look: a full-page screenshot and an
// axe-core run with the WCAG 2.2 AA rules (Tab.Look).
//
// Tests skip when no Chromium is installed, unless the environment has
// REDRESS_REQUIRE_CHROMIUM=1, as CI does: there they fail, so that a
// failed install cannot pass the run with the browser tests skipped.
// REDRESS_BROWSER_TESTS=off skips them on purpose, saying so, for a run
// that leaves them to another.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// DefaultTabTimeout bounds each step of a tab when
	// Browser.TabTimeout is zero: generous, because the machines are
	// shared and a bound is not a target.
	DefaultTabTimeout = 180 * time.Second
	// startTimeout bounds starting Chromium, which on a loaded machine
	// can take many seconds; like every bound here, it is a safety net,
	// not a target.
	startTimeout = 120 * time.Second
	// The window and viewport of every tab.
	width, height = 1280, 900
)

// Browser is the one headless Chromium of a test binary. Its zero value
// is ready to use; it starts with the first call to Start or NewTab, and
// TestMain must Close it once the tests have run.
type Browser struct {
	// TabTimeout bounds each step of a tab: its opening, and each of its
	// actions (a page load, a click, an evaluation, a screenshot, an axe
	// run). Zero means DefaultTabTimeout. It is a safety net against a
	// step that hangs, so it does not grow with the number of steps a
	// test takes; the whole test is bounded by go test's -timeout. The
	// browser's start is not counted.
	TabTimeout time.Duration

	once    sync.Once
	path    string // the Chromium executable, "" if there is none
	err     error  // why it could not start
	ctx     context.Context
	cancel  context.CancelFunc // the browser's context
	acancel context.CancelFunc // the allocator's context
	dir     string             // the profile, removed by Close
}

// chromiumPath finds Chromium: REDRESS_CHROMIUM, or chromium,
// chromium-browser or google-chrome on PATH. It never downloads one.
func chromiumPath() (string, error) {
	if p := os.Getenv("REDRESS_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("REDRESS_CHROMIUM=%s: %w", p, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", nil
}

// offVariable, set to "off", skips every browser test, saying so. CI's
// run with the clock a year back sets it: the browser tests take most of
// each run's time on two cores, and they have already run as they are
// and two years on, which is where a pinned test clock can meet the real
// one (cookies, certificates); a year back adds nothing for them.
const offVariable = "REDRESS_BROWSER_TESTS"

// Start makes sure the browser is running, starting it if no test has
// yet. Where there is no Chromium it skips t, or fails it if
// REDRESS_REQUIRE_CHROMIUM=1; where Chromium would not start it fails t.
// A test calls it before starting its server, so that a test that cannot
// run stops at once.
func (b *Browser) Start(t testing.TB) {
	t.Helper()
	if os.Getenv(offVariable) == "off" {
		t.Skip(offVariable + "=off: this run leaves the browser tests to another (.ci/run runs them in its first two passes)")
	}
	b.once.Do(b.start)
	if b.path == "" && b.err == nil {
		// CI installs Chromium and sets this, so that a failed install
		// fails the run instead of passing it with the browser tests
		// skipped.
		if os.Getenv("REDRESS_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium not found, and REDRESS_REQUIRE_CHROMIUM=1: the browser tests must run")
		}
		t.Skip("chromium not found: install Debian's chromium package to run the browser tests")
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
}

func (b *Browser) start() {
	path, err := chromiumPath()
	if err != nil || path == "" {
		b.err = err
		return
	}
	b.path = path
	// A profile of its own, fresh for this run. Close removes it: a
	// t.TempDir would vanish with the first test while the browser still
	// uses it.
	dir, err := os.MkdirTemp("", "redress-chromium-")
	if err != nil {
		b.err = err
		return
	}
	b.dir = dir
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.WindowSize(width, height),
		// chromedp's own wait for Chromium to say where it listens is
		// 20 s, shorter than the start is allowed.
		chromedp.WSURLReadTimeout(startTimeout),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.ctx, b.cancel, b.acancel = bctx, bcancel, acancel
	// The first Do starts the browser and ties it to bctx, which has no
	// deadline; the timer bounds the start instead.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	select {
	case err = <-done:
	case <-time.After(startTimeout):
		err = fmt.Errorf("chromium did not start within %s", startTimeout)
	}
	if err != nil {
		b.err = fmt.Errorf("starting %s: %w", path, err)
		b.Close()
	}
}

// Close stops the browser, if it started, and removes its profile.
// TestMain calls it after the tests have run.
func (b *Browser) Close() {
	if b.cancel != nil {
		b.cancel()
		b.acancel() // waits for the process to end
		b.cancel = nil
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
		b.dir = ""
	}
}

// NewTab opens a tab for t on the server at base, which must be a
// 127.0.0.1 address. It calls Start first, so it too skips or fails t
// when there is no browser. The tab closes when t ends.
func (b *Browser) NewTab(t testing.TB, base string) *Tab {
	t.Helper()
	b.Start(t)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", base)
	}
	timeout := b.TabTimeout
	if timeout == 0 {
		timeout = DefaultTabTimeout
	}
	// The first run on a tab's context ties the tab to that context, so
	// it cannot have a deadline of its own (see chromedp.Run): a timer
	// bounds the opening instead, and each later step has its own
	// deadline (Tab.step).
	ctx, cancel := context.WithCancelCause(b.ctx)
	tctx, tcancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { tcancel(); cancel(nil) })
	opening := time.AfterFunc(timeout, func() {
		cancel(fmt.Errorf("opening a tab did not finish within %s (Browser.TabTimeout)", timeout))
	})
	err := chromedp.Do(tctx, chromedp.EmulateViewport(width, height))
	if !opening.Stop() && err == nil {
		err = context.Cause(ctx) // it opened, but only just as the timer ended it
	}
	if err != nil {
		t.Fatalf("opening a tab: %v", why(tctx, err))
	}
	return &Tab{t: t, ctx: tctx, bound: timeout, base: base}
}
