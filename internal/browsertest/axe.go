package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1, vendored for the browser tests only:
// axe.min.js from the npm package, unchanged, MPL-2.0 header intact
// (653,780 bytes, SHA-256
// 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c).
//
//go:embed axe.min.js
var axeSource string

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

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
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// Look checks the page as it is now: it saves a full-page screenshot in
// the test's artifact directory as NN-name.png and runs Axe, failing the
// test on any violation.
func (tb *Tab) Look(name string) {
	tb.t.Helper()
	tb.shots++
	file := filepath.Join(tb.t.ArtifactDir(), fmt.Sprintf("%02d-%s.png", tb.shots, name))
	ctx, cancel := tb.step(name + ": screenshot")
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("%s: screenshot: %v", name, why(ctx, err))
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.Axe(name)
}

// Axe runs axe-core on the page with the WCAG 2.2 AA rules, failing the
// test on any violation and logging what axe could not decide. It fails
// the test too if axe could not run: a check that did not happen never
// passes.
func (tb *Tab) Axe(name string) {
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
	ctx, cancel := tb.step(name + ": axe")
	defer cancel()
	res, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (axeResult, error) {
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
		tb.t.Fatalf("%s: axe did not run: %v", name, why(ctx, err))
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
