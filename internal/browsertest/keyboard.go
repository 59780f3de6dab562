package browsertest

import (
	"fmt"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusables marks the page's interactive elements, in the order the Tab
// key should reach them, with data-kb="N", and returns how many there
// are. A group of radios is one stop (its first radio, none being
// chosen); a hidden field, a disabled one, one out of the tab order and
// one inside aria-hidden (such as a honeypot) are none.
const focusables = `(() => {
	const seen = new Set();
	let n = 0;
	for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')) {
		if (el.disabled || el.type === "hidden" || el.tabIndex < 0 || el.closest('[aria-hidden="true"]')) continue;
		if (el.type === "radio") { if (seen.has(el.name)) continue; seen.add(el.name); }
		el.dataset.kb = String(n++);
	}
	return n;
})()`

// focused is the element with focus.
type focused struct {
	KB   string `json:"kb"`
	HTML string `json:"html"`
	Stop bool   `json:"stop"`
}

// TabThrough presses Tab once for each interactive element from number
// from on, and checks each receives focus in turn; it stops when the
// element matched by the CSS selector stop has focus, if stop is not "",
// and returns its number, or else the number of elements. A page with
// fewer than five interactive elements fails the test: it is not the page
// the test meant to reach.
func (tb *Tab) TabThrough(what string, from int, stop string) int {
	tb.t.Helper()
	n := Eval[int](tb, focusables)
	if n < 5 {
		tb.t.Fatalf("%s: only %d interactive elements", what, n)
	}
	for i := from; i < n; i++ {
		tb.Do("press Tab", chromedp.KeyEvent(kb.Tab))
		got := Eval[focused](tb, fmt.Sprintf(`(() => {
			const a = document.activeElement;
			return {kb: (a && a.dataset.kb) || "", html: a ? a.outerHTML.slice(0, 100) : "", stop: !!a && %q !== "" && a.matches(%q || "*")};
		})()`, stop, stop))
		if got.KB != fmt.Sprint(i) {
			tb.t.Fatalf("%s: Tab number %d focused %s, want element %d: %s", what, i+1-from, got.HTML, i,
				Eval[string](tb, fmt.Sprintf(`document.querySelector('[data-kb="%d"]').outerHTML.slice(0, 120)`, i)))
		}
		if got.Stop {
			return i
		}
	}
	if stop != "" {
		tb.t.Fatalf("%s: Tab never reached %s", what, stop)
	}
	return n
}
