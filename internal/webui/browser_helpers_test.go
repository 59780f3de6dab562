package webui_test

// The helpers of the browser tests: one headless Chromium per test binary,
// a fresh tab (in its own browser context, so no cookie leaks between
// tests) per test, the real product on a 127.0.0.1 port, and the check
// every page gets: a full-page screenshot and an axe-core run.

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
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

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/store"
)

// axeSource is axe-core 4.14, vendored for these tests only.
//
//go:embed testdata/axe.min.js
var axeSource string

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

const (
	// browserTestTimeout bounds each browser test, browser start excluded:
	// generous, because the machines are shared and a bound is not a target.
	browserTestTimeout = 180 * time.Second
	// browserStartTimeout bounds starting Chromium.
	browserStartTimeout = 30 * time.Second
	// browserPassword is every test user's password.
	browserPassword = "correct horse battery staple 42"
)

// chromium is the one browser of the test binary, started by the first test
// that needs it and stopped by TestMain.
var chromium struct {
	once    sync.Once
	path    string // the Chromium executable, "" if there is none
	err     error  // why it could not start
	ctx     context.Context
	cancel  context.CancelFunc // the browser's context
	acancel context.CancelFunc // the allocator's context
	dir     string             // the profile, removed at the end
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
	// A profile of its own, fresh for this run. TestMain removes it: a
	// t.TempDir would vanish with the first test while the browser still
	// uses it.
	dir, err := os.MkdirTemp("", "redress-chromium-")
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
	// The first Do starts the browser and ties it to bctx, which has no
	// deadline; the timer bounds the start instead.
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
		chromium.acancel() // waits for the process to end
		chromium.cancel = nil
	}
	if chromium.dir != "" {
		os.RemoveAll(chromium.dir)
		chromium.dir = ""
	}
}

// browserTab is one browser tab on one running Redress.
type browserTab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	app   *app.App
	shots int
	users map[string]store.User // by role
	noJS  bool                  // the pages run no script
}

// newTab starts Redress with its five users and opens a tab on it, or
// skips the test when there is no Chromium.
func newTab(t *testing.T) *browserTab {
	t.Helper()
	chromium.once.Do(startBrowser)
	if chromium.path == "" && chromium.err == nil {
		// CI installs Chromium and sets this, so that a failed install
		// fails the run instead of passing it with the browser tests
		// skipped.
		if os.Getenv("REDRESS_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium not found, and REDRESS_REQUIRE_CHROMIUM=1: the browser tests must run")
		}
		t.Skip("chromium not found: install Debian's chromium package to run the browser tests")
	}
	if chromium.err != nil {
		t.Fatal(chromium.err)
	}
	tb := &browserTab{t: t, app: startRedress(t), users: map[string]store.User{}}
	srv := httptest.NewServer(tb.app.Handler())
	t.Cleanup(srv.Close)
	tb.base = srv.URL
	if !strings.HasPrefix(tb.base, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", tb.base)
	}
	tb.createUsers()

	ctx, cancel := context.WithTimeout(chromium.ctx, browserTestTimeout)
	tctx, tcancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { tcancel(); cancel() })
	tb.ctx = tctx
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tb
}

// startRedress starts the real product, as main does, on a new database.
func startRedress(t *testing.T) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), app.Config{
		DB:          filepath.Join(t.TempDir(), "redress.db"),
		ServiceName: "Riverside Vale Homes complaints",
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// browserUsers are the people of the tests, one per role.
var browserUsers = []store.User{
	{Email: "olivia.officer@riversidevale.example", Name: "Olivia Officer", Role: string(auth.Officer)},
	{Email: "rahul.reviewer@riversidevale.example", Name: "Rahul Reviewer", Role: string(auth.Reviewer)},
	{Email: "maria.manager@riversidevale.example", Name: "Maria Manager", Role: string(auth.Manager)},
	{Email: "adam.admin@riversidevale.example", Name: "Adam Admin", Role: string(auth.Admin)},
	{Email: "vera.viewer@riversidevale.example", Name: "Vera Viewer", Role: string(auth.Viewer)},
}

// createUsers makes one user of each role, all with browserPassword.
func (tb *browserTab) createUsers() {
	ctx := context.Background()
	// One hash serves every user: argon2id costs tens of milliseconds.
	hash, err := auth.HashPassword(browserPassword)
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, u := range browserUsers {
		u, err := tb.app.Store.CreateUser(ctx, u)
		if err != nil {
			tb.t.Fatal(err)
		}
		if err := tb.app.Store.SetPassword(ctx, u.ID, hash, false); err != nil {
			tb.t.Fatal(err)
		}
		tb.users[u.Role] = u
	}
}

// do runs steps in the tab and fails the test on an error.
func (tb *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// load runs steps that lead to a new page (a navigation, a click on a
// submit button), waits for it and returns its HTTP status.
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

// open goes to path and returns the HTTP status.
func (tb *browserTab) open(path string) int64 {
	tb.t.Helper()
	return tb.load("open "+path, chromedp.Navigate(tb.base+path))
}

// submit clicks the button matched by the CSS selector and returns the
// status of the page it leads to.
func (tb *browserTab) submit(button string) int64 {
	tb.t.Helper()
	return tb.load("click "+button, chromedp.Click(chromedp.CSS(button)))
}

// wantStatus fails the test unless the last page had the status.
func (tb *browserTab) wantStatus(what string, got, want int64) {
	tb.t.Helper()
	if got != want {
		tb.t.Fatalf("%s: HTTP %d, want %d; page:\n%s", what, got, want, tb.mainText())
	}
}

// typeInto types text into the field with this id, as a person would,
// after what it already holds.
func (tb *browserTab) typeInto(id, text string) {
	tb.t.Helper()
	tb.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// choose ticks the checkbox or radio with this id by clicking it.
func (tb *browserTab) choose(id string) {
	tb.t.Helper()
	tb.do("click #"+id, chromedp.Click(chromedp.ID(id)))
}

// selectOption picks an option of the select with this id by value.
func (tb *browserTab) selectOption(id, value string) {
	tb.t.Helper()
	tb.do("select in #"+id, chromedp.SetValue(chromedp.ID(id), value))
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func evalJS[T any](tb *browserTab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluating %.60q: %v", js, err)
	}
	return v
}

// mainText is the text of the page's main element, as shown.
func (tb *browserTab) mainText() string {
	tb.t.Helper()
	return evalJS[string](tb, `(document.querySelector("main") || document.body).innerText`)
}

// value is the current value of the field with this id.
func (tb *browserTab) value(id string) string {
	tb.t.Helper()
	return evalJS[string](tb, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

// checked says whether the checkbox or radio with this id is ticked.
func (tb *browserTab) checked(id string) bool {
	tb.t.Helper()
	return evalJS[bool](tb, fmt.Sprintf(`document.getElementById(%q).checked`, id))
}

// wantText fails the test unless the main text has every string.
func (tb *browserTab) wantText(what string, wants ...string) {
	tb.t.Helper()
	text := tb.mainText()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			tb.t.Errorf("%s: the page does not say %q; it says:\n%s", what, w, text)
		}
	}
}

// noText fails the test if the main text has any of the strings.
func (tb *browserTab) noText(what string, unwanted ...string) {
	tb.t.Helper()
	text := tb.mainText()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			tb.t.Errorf("%s: the page says %q, and should not", what, w)
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

// tableRows returns the body rows of the table with this caption, each as
// its cells' text. A caption ending in "*" matches captions that start with
// the rest.
func (tb *browserTab) tableRows(caption string) [][]string {
	tb.t.Helper()
	return evalJS[[][]string](tb, fmt.Sprintf(`(() => {
		const want = %q, prefix = want.endsWith("*");
		for (const t of document.querySelectorAll("table")) {
			const c = t.querySelector("caption"), text = c ? c.innerText.trim() : "";
			if (c && (prefix ? text.startsWith(want.slice(0, -1)) : text === want))
				return [...t.querySelectorAll("tbody tr")].map(tr => [...tr.cells].map(td => td.innerText.trim().replace(/\s+/g, " ")));
		}
		return [];
	})()`, caption))
}

// summaryError is one link of the GOV.UK error summary.
type summaryError struct {
	Text   string `json:"text"`
	Href   string `json:"href"`
	Target bool   `json:"target"` // the element it links to exists
	Inline string `json:"inline"` // the error message shown by that field
}

// errorSummary returns the error summary's links, checking that the
// summary is there, the title starts "Error:", and every link leads to a
// field that shows the same error.
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
			tb.t.Errorf("%s: error summary link %q (%s) leads nowhere: no element has that id", what, e.Text, e.Href)
		}
	}
	return errs
}

// wantFieldError fails unless the summary has an entry for the field with
// this id whose message, shown by the field too, contains msg.
func (tb *browserTab) wantFieldError(errs []summaryError, id, msg string) {
	tb.t.Helper()
	for _, e := range errs {
		if e.Href != "#"+id {
			continue
		}
		if !strings.Contains(e.Text, msg) {
			tb.t.Errorf("error for #%s is %q, want it to say %q", id, e.Text, msg)
		}
		if e.Inline != e.Text {
			tb.t.Errorf("error for #%s: the field shows %q, the summary %q", id, e.Inline, e.Text)
		}
		return
	}
	tb.t.Errorf("no error summary entry for #%s (want %q); have %+v", id, msg, errs)
}

// axeResult is what the axe run reports.
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
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

// look checks the page as it is now: it saves a full-page screenshot in
// the test's artifact directory as NN-name.png and runs axe-core with the
// WCAG 2.2 AA rules, failing the test on any violation.
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

// axe runs axe-core on the page. It fails the test if axe could not run:
// a check that did not happen never passes.
func (tb *browserTab) axe(name string) {
	tb.t.Helper()
	tags, _ := json.Marshal(axeTags)
	run := `(async () => {
		if (typeof axe === "undefined") throw new Error("axe-core is not on the page");
		const r = await axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}});
		const issue = v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ""}))});
		return {version: axe.version, engine: r.testEngine.name, url: r.url, passes: r.passes.length,
			violations: r.violations.map(issue), incomplete: r.incomplete.map(issue)};
	})()`
	res, err := chromedp.Run(tb.ctx, func(ctx context.Context, t *chromedp.Target) (axeResult, error) {
		if tb.noJS {
			// axe needs the event loop, which a page with scripts
			// disabled does not run. Turning them on now runs none of
			// the page's own: those were skipped when it loaded.
			if err := setScriptsDisabled(ctx, t, false); err != nil {
				return axeResult{}, err
			}
			defer setScriptsDisabled(ctx, t, true)
		}
		// Injected by the DevTools protocol, which the page's
		// Content-Security-Policy does not govern.
		if _, err := chromedp.Evaluate[chromedp.Void](axeSource)(ctx, t); err != nil {
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

// signIn signs in from the sign-in page the tab is on.
func (tb *browserTab) signIn(role string) int64 {
	tb.t.Helper()
	u, ok := tb.users[role]
	if !ok {
		tb.t.Fatalf("no %s user", role)
	}
	tb.typeInto("email", u.Email)
	tb.typeInto("password", browserPassword)
	return tb.submit(`main form[action="/sign-in"] button[type="submit"]`)
}

// signOut signs out with the header's button and checks it lands on the
// sign-in page.
func (tb *browserTab) signOut() {
	tb.t.Helper()
	tb.wantStatus("sign out", tb.submit(`form[action="/sign-out"] button`), 200)
	if h := evalJS[string](tb, `document.querySelector("h1").innerText`); h != "Sign in" {
		tb.t.Fatalf("after signing out the page is %q, want Sign in", h)
	}
}

// disableJavaScript stops the tab running the pages' scripts, as in a
// browser with JavaScript turned off.
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
