package portal_test

// The helpers of the browser tests, after internal/webui's: one headless
// Chromium per test binary, a fresh tab (in its own browser context, so
// no cookie leaks between tests) per test, the portal on a 127.0.0.1 port
// over a real SQLite file, and the check every page gets: a full-page
// screenshot and an axe-core run. axe-core is the copy vendored for the
// staff pages' tests, read from its place there.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeFile is axe-core 4.14, vendored for the staff pages' tests.
const axeFile = "../webui/testdata/axe.min.js"

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

const (
	browserTestTimeout  = 120 * time.Second
	browserStartTimeout = 30 * time.Second
)

var chromium struct {
	once    sync.Once
	path    string
	err     error
	ctx     context.Context
	cancel  context.CancelFunc
	acancel context.CancelFunc
	dir     string
	axe     string
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
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

func startBrowser() {
	path, err := chromiumPath()
	if err != nil || path == "" {
		chromium.err = err
		return
	}
	chromium.path = path
	axe, err := os.ReadFile(axeFile)
	if err != nil {
		chromium.err = fmt.Errorf("axe-core: %w", err)
		return
	}
	chromium.axe = string(axe)
	dir, err := os.MkdirTemp("", "redress-portal-chromium-")
	if err != nil {
		chromium.err = err
		return
	}
	chromium.dir = dir
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
		chromedp.WindowSize(1280, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	chromium.ctx, chromium.cancel, chromium.acancel = bctx, bcancel, acancel
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	select {
	case err = <-done:
	case <-time.After(browserStartTimeout):
		err = fmt.Errorf("chromium did not start within %s", browserStartTimeout)
	}
	if err != nil {
		chromium.err = fmt.Errorf("starting %s: %w", path, err)
		stopBrowser()
	}
}

func stopBrowser() {
	if chromium.cancel != nil {
		chromium.cancel()
		chromium.acancel()
		chromium.cancel = nil
	}
	if chromium.dir != "" {
		os.RemoveAll(chromium.dir)
		chromium.dir = ""
	}
}

// browserTab is one browser tab on one running portal.
type browserTab struct {
	t     *testing.T
	ctx   context.Context
	e     *env
	shots int
	noJS  bool
}

// newTab starts a portal and opens a tab on it, or skips the test when
// there is no Chromium (unless REDRESS_REQUIRE_CHROMIUM=1).
func newTab(t *testing.T, opts ...option) *browserTab {
	t.Helper()
	chromium.once.Do(startBrowser)
	if chromium.path == "" && chromium.err == nil {
		if os.Getenv("REDRESS_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium not found, and REDRESS_REQUIRE_CHROMIUM=1: the browser tests must run")
		}
		t.Skip("chromium not found: install Debian's chromium package to run the browser tests")
	}
	if chromium.err != nil {
		t.Fatal(chromium.err)
	}
	e := newEnv(t, opts...)
	if !strings.HasPrefix(e.base, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", e.base)
	}
	ctx, cancel := context.WithTimeout(chromium.ctx, browserTestTimeout)
	tctx, tcancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { tcancel(); cancel() })
	tb := &browserTab{t: t, ctx: tctx, e: e}
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tb
}

func (tb *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// load runs steps that lead to a new page, waits for it and returns its
// HTTP status (after any redirect).
func (tb *browserTab) load(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, steps...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		tb.t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

func (tb *browserTab) open(path string) int64 {
	tb.t.Helper()
	return tb.load("open "+path, chromedp.Navigate(tb.e.base+path))
}

// submit clicks the element matched by the CSS selector and returns the
// status of the page it leads to.
func (tb *browserTab) submit(sel string) int64 {
	tb.t.Helper()
	return tb.load("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// continueOn clicks the page's main form's first submit button.
func (tb *browserTab) continueOn(what string) {
	tb.t.Helper()
	tb.wantStatus(what, tb.submit(`main form button[type="submit"]`), 200)
}

func (tb *browserTab) wantStatus(what string, got, want int64) {
	tb.t.Helper()
	if got != want {
		tb.t.Fatalf("%s: HTTP %d, want %d; page:\n%s", what, got, want, tb.mainText())
	}
}

func (tb *browserTab) typeInto(id, text string) {
	tb.t.Helper()
	tb.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

func (tb *browserTab) choose(id string) {
	tb.t.Helper()
	tb.do("click #"+id, chromedp.Click(chromedp.ID(id)))
}

func evalJS[T any](tb *browserTab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluating %.60q: %v", js, err)
	}
	return v
}

func (tb *browserTab) mainText() string {
	tb.t.Helper()
	return evalJS[string](tb, `(document.querySelector("main") || document.body).innerText`)
}

func (tb *browserTab) path() string {
	tb.t.Helper()
	return evalJS[string](tb, `location.pathname + location.search`)
}

func (tb *browserTab) wantPath(what, want string) {
	tb.t.Helper()
	if got := tb.path(); got != want {
		tb.t.Fatalf("%s: at %s, want %s; page:\n%s", what, got, want, tb.mainText())
	}
}

func (tb *browserTab) wantText(what string, wants ...string) {
	tb.t.Helper()
	text := tb.mainText()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			tb.t.Errorf("%s: the page does not say %q; it says:\n%s", what, w, text)
		}
	}
}

// summaryValue is the value of a summary list row, by its key.
func (tb *browserTab) summaryValue(key string) string {
	tb.t.Helper()
	return evalJS[string](tb, fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll(".govuk-summary-list__row")) {
			const k = row.querySelector(".govuk-summary-list__key");
			if (k && k.innerText.trim() === %q) return row.querySelector(".govuk-summary-list__value").innerText.trim();
		}
		return "(no row)";
	})()`, key))
}

type summaryError struct {
	Text   string `json:"text"`
	Href   string `json:"href"`
	Target bool   `json:"target"`
	Inline string `json:"inline"`
}

// errorSummary returns the error summary's links, checking the summary
// is there, the title starts "Error:", and every link leads to a field
// showing the same error.
func (tb *browserTab) errorSummary(what string) []summaryError {
	tb.t.Helper()
	errs := evalJS[[]summaryError](tb, `[...document.querySelectorAll(".govuk-error-summary .govuk-error-summary__list a")].map(a => {
		const id = decodeURIComponent((a.getAttribute("href") || "").replace(/^#/, ""));
		const el = document.getElementById(id);
		const group = el && el.closest(".govuk-form-group--error");
		const msg = group && group.querySelector(".govuk-error-message");
		return {text: a.innerText.trim(), href: a.getAttribute("href"), target: !!el,
			inline: msg ? msg.innerText.replace(/^Error:\s*/, "").trim() : ""};
	})`)
	if len(errs) == 0 {
		tb.t.Fatalf("%s: no GOV.UK error summary; page:\n%s", what, tb.mainText())
	}
	if title := evalJS[string](tb, `document.title`); !strings.HasPrefix(title, "Error: ") {
		tb.t.Errorf("%s: title %q does not start with \"Error: \"", what, title)
	}
	for _, e := range errs {
		if !e.Target {
			tb.t.Errorf("%s: error summary link %q (%s) leads nowhere", what, e.Text, e.Href)
		}
		if e.Inline != e.Text {
			tb.t.Errorf("%s: the field shows %q, the summary %q", what, e.Inline, e.Text)
		}
	}
	return errs
}

type axeResult struct {
	Version    string     `json:"version"`
	Engine     string     `json:"engine"`
	URL        string     `json:"url"`
	Passes     int        `json:"passes"`
	Violations []axeIssue `json:"violations"`
	Incomplete []axeIssue `json:"incomplete"`
}

type axeIssue struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// look checks the page as it is now: a full-page screenshot in the test's
// artifact directory as NN-name.png, and axe-core with the WCAG 2.2 AA
// rules, failing the test on any violation.
func (tb *browserTab) look(name string) {
	tb.t.Helper()
	tb.shots++
	file := filepath.Join(tb.t.ArtifactDir(), fmt.Sprintf("%02d-%s.png", tb.shots, name))
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.axe(name)
}

func (tb *browserTab) axe(name string) {
	tb.t.Helper()
	tags, _ := json.Marshal(axeTags)
	run := `(async () => {
		if (typeof axe === "undefined") throw new Error("axe-core is not on the page");
		const r = await axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}});
		const issue = v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html}))});
		return {version: axe.version, engine: r.testEngine.name, url: r.url, passes: r.passes.length,
			violations: r.violations.map(issue), incomplete: r.incomplete.map(issue)};
	})()`
	res, err := chromedp.Run(tb.ctx, func(ctx context.Context, t *chromedp.Target) (axeResult, error) {
		if tb.noJS {
			if err := setScriptsDisabled(ctx, t, false); err != nil {
				return axeResult{}, err
			}
			defer setScriptsDisabled(ctx, t, true)
		}
		if _, err := chromedp.Evaluate[chromedp.Void](chromium.axe)(ctx, t); err != nil {
			return axeResult{}, fmt.Errorf("injecting axe-core: %w", err)
		}
		return chromedp.Evaluate[axeResult](run, chromedp.EvalAwaitPromise)(ctx, t)
	})
	if err != nil {
		tb.t.Fatalf("%s: axe did not run: %v", name, err)
	}
	if res.Engine != "axe-core" || !strings.HasPrefix(res.Version, "4.14.") || res.Passes == 0 {
		tb.t.Fatalf("%s: axe did not run properly: engine %q, version %q, %d rules passed", name, res.Engine, res.Version, res.Passes)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t\t%s: %s", strings.Join(n.Target, " "), n.HTML)
		}
		tb.t.Errorf("%s (%s): axe violation %s (%s): %s%s", name, res.URL, v.ID, v.Impact, v.Help, b.String())
	}
	for _, v := range res.Incomplete {
		targets := make([]string, 0, len(v.Nodes))
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(n.Target, " "))
		}
		tb.t.Logf("%s: axe needs review %s (%s): %s: %s", name, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

func (tb *browserTab) disableJavaScript() {
	tb.t.Helper()
	tb.do("disable JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return setScriptsDisabled(ctx, t, true)
	}))
	tb.noJS = true
}

func setScriptsDisabled(ctx context.Context, t *chromedp.Target, disabled bool) error {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
	return err
}
