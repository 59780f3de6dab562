package browsertest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Tab is one browser tab of one test, on one server. Its methods fail the
// test when they cannot do what they are asked.
type Tab struct {
	t     testing.TB
	ctx   context.Context // the tab's, with no deadline: see step
	bound time.Duration   // of each step
	base  string
	shots int  // screenshots saved so far, numbering the next
	noJS  bool // the pages run no script
}

// Do runs steps in the tab and fails the test on an error.
func (tb *Tab) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.step(what)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, why(ctx, err))
	}
}

// step returns the context for one step of the tab (a page load, a
// click, an evaluation), which ends after the tab's bound. Each step is
// bounded, not the tab as a whole, so that a long test of many pages is
// no nearer its bound than a short one: the bound stops a step that
// hangs, however slow the machine.
func (tb *Tab) step(what string) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(tb.ctx, tb.bound,
		fmt.Errorf("%s did not finish within %s (Browser.TabTimeout)", what, tb.bound))
}

// why adds to err why ctx ended, if it has, so that a step cut short by
// its bound says so rather than only "context deadline exceeded".
func why(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	if cause := context.Cause(ctx); !errors.Is(err, cause) {
		return fmt.Errorf("%w (%w)", err, cause)
	}
	return err
}

// Load runs steps that lead to a new page (a navigation, a click on a
// submit button), waits for it and returns its HTTP status, after any
// redirect.
func (tb *Tab) Load(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	tb.t.Helper()
	ctx, cancel := tb.step(what)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, why(ctx, err))
	}
	if resp == nil {
		tb.t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

// Open goes to path on the tab's server and returns the HTTP status.
func (tb *Tab) Open(path string) int64 {
	tb.t.Helper()
	return tb.Load("open "+path, chromedp.Navigate(tb.base+path))
}

// Submit clicks the element matched by the CSS selector, a button or a
// link, and returns the status of the page it leads to.
func (tb *Tab) Submit(sel string) int64 {
	tb.t.Helper()
	return tb.Load("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// WantStatus fails the test unless the last page had the status.
func (tb *Tab) WantStatus(what string, got, want int64) {
	tb.t.Helper()
	if got != want {
		tb.t.Fatalf("%s: HTTP %d, want %d; page:\n%s", what, got, want, tb.MainText())
	}
}

// TypeInto types text into the field with this id, as a person would,
// after what it already holds.
func (tb *Tab) TypeInto(id, text string) {
	tb.t.Helper()
	tb.Do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// Disclose opens the details disclosure with this id by clicking its
// summary, as a person would, unless it is open already (a click would
// close it), so that the form or table inside can be used.
func (tb *Tab) Disclose(id string) {
	tb.t.Helper()
	if Eval[bool](tb, fmt.Sprintf(`document.getElementById(%q).open`, id)) {
		return
	}
	tb.Do("open #"+id, chromedp.Click(chromedp.CSS("#"+id+" > summary")))
}

// Choose ticks the checkbox or radio with this id by clicking it.
func (tb *Tab) Choose(id string) {
	tb.t.Helper()
	tb.Do("click #"+id, chromedp.Click(chromedp.ID(id)))
}

// SelectOption picks an option of the select with this id by value.
func (tb *Tab) SelectOption(id, value string) {
	tb.t.Helper()
	tb.Do("select in #"+id, chromedp.SetValue(chromedp.ID(id), value))
}

// Eval evaluates a JavaScript expression in the tab's page and decodes
// its value. It is a function, not a method, because methods cannot have
// type parameters.
func Eval[T any](tb *Tab, js string) T {
	tb.t.Helper()
	what := fmt.Sprintf("evaluating %.60q", js)
	ctx, cancel := tb.step(what)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: %v", what, why(ctx, err))
	}
	return v
}

// MainText is the text of the page's main element, as shown.
func (tb *Tab) MainText() string {
	tb.t.Helper()
	return Eval[string](tb, `(document.querySelector("main") || document.body).innerText`)
}

// Path is the path and query of the page's address.
func (tb *Tab) Path() string {
	tb.t.Helper()
	return Eval[string](tb, `location.pathname + location.search`)
}

// WantPath fails the test unless the page's path and query are want.
func (tb *Tab) WantPath(what, want string) {
	tb.t.Helper()
	if got := tb.Path(); got != want {
		tb.t.Fatalf("%s: at %s, want %s; page:\n%s", what, got, want, tb.MainText())
	}
}

// Value is the current value of the field with this id.
func (tb *Tab) Value(id string) string {
	tb.t.Helper()
	return Eval[string](tb, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

// Checked says whether the checkbox or radio with this id is ticked.
func (tb *Tab) Checked(id string) bool {
	tb.t.Helper()
	return Eval[bool](tb, fmt.Sprintf(`document.getElementById(%q).checked`, id))
}

// WantText fails the test unless the main text has every string.
func (tb *Tab) WantText(what string, wants ...string) {
	tb.t.Helper()
	text := tb.MainText()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			tb.t.Errorf("%s: the page does not say %q; it says:\n%s", what, w, text)
		}
	}
}

// NoText fails the test if the main text has any of the strings.
func (tb *Tab) NoText(what string, unwanted ...string) {
	tb.t.Helper()
	text := tb.MainText()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			tb.t.Errorf("%s: the page says %q, and should not", what, w)
		}
	}
}

// SummaryValue is the value of a GOV.UK summary list row, by its key, or
// "(no row)".
func (tb *Tab) SummaryValue(key string) string {
	tb.t.Helper()
	return Eval[string](tb, fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll(".govuk-summary-list__row")) {
			const k = row.querySelector(".govuk-summary-list__key");
			if (k && k.innerText.trim() === %q) return row.querySelector(".govuk-summary-list__value").innerText.trim();
		}
		return "(no row)";
	})()`, key))
}

// TableRows returns the body rows of the table with this caption, each as
// its cells' text. A caption ending in "*" matches captions that start with
// the rest.
func (tb *Tab) TableRows(caption string) [][]string {
	tb.t.Helper()
	return Eval[[][]string](tb, fmt.Sprintf(`(() => {
		const want = %q, prefix = want.endsWith("*");
		for (const t of document.querySelectorAll("table")) {
			const c = t.querySelector("caption"), text = c ? c.textContent.trim().replace(/\s+/g, " ") : "";
			if (!c || !(prefix ? text.startsWith(want.slice(0, -1)) : text === want)) continue;
			// A table in a closed disclosure is read as a person reads
			// it: by opening the disclosure.
			for (let e = t.parentElement; e; e = e.parentElement) if (e.tagName === "DETAILS") e.open = true;
			return [...t.querySelectorAll("tbody tr")].map(tr => [...tr.cells].map(td => td.innerText.trim().replace(/\s+/g, " ")));
		}
		return [];
	})()`, caption))
}

// SummaryError is one link of the GOV.UK error summary.
type SummaryError struct {
	// Text is the link's text.
	Text string `json:"text"`
	// Href is where it leads, "#" and a field's id.
	Href string `json:"href"`
	// Target says the element it leads to exists.
	Target bool `json:"target"`
	// Inline is the error message that element's form group shows,
	// without its "Error:" prefix, or "" if it shows none.
	Inline string `json:"inline"`
}

// ErrorSummary returns the error summary's links, checking that the
// summary is there, the title starts "Error:", and every link leads to an
// element of the page. WantFieldError checks a field shows the same
// error.
func (tb *Tab) ErrorSummary(what string) []SummaryError {
	tb.t.Helper()
	errs := Eval[[]SummaryError](tb, `[...document.querySelectorAll(".govuk-error-summary .govuk-error-summary__list a")].map(a => {
		const id = decodeURIComponent((a.getAttribute("href") || "").replace(/^#/, ""));
		const el = document.getElementById(id);
		const group = el && el.closest(".govuk-form-group--error");
		const msg = group && group.querySelector(".govuk-error-message");
		return {text: a.innerText.trim(), href: a.getAttribute("href"), target: !!el,
			inline: msg ? msg.innerText.replace(/^Error:\s*/, "").trim() : ""};
	})`)
	if len(errs) == 0 {
		tb.t.Fatalf("%s: no GOV.UK error summary; page:\n%s", what, tb.MainText())
	}
	if title := Eval[string](tb, `document.title`); !strings.HasPrefix(title, "Error: ") {
		tb.t.Errorf("%s: title %q does not start with \"Error: \"", what, title)
	}
	for _, e := range errs {
		if !e.Target {
			tb.t.Errorf("%s: error summary link %q (%s) leads nowhere: no element has that id", what, e.Text, e.Href)
		}
	}
	return errs
}

// WantFieldError fails unless the summary has an entry for the field with
// this id whose message, shown by the field too, contains msg.
func (tb *Tab) WantFieldError(errs []SummaryError, id, msg string) {
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

// DisableJavaScript stops the tab running the pages' scripts, as in a
// browser with JavaScript turned off. Axe still runs (see Axe).
func (tb *Tab) DisableJavaScript() {
	tb.t.Helper()
	tb.Do("disable JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return setScriptsDisabled(ctx, t, true)
	}))
	tb.noJS = true
}

func setScriptsDisabled(ctx context.Context, t *chromedp.Target, disabled bool) error {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
	return err
}
