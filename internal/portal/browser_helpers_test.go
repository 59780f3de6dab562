package portal_test

// The helpers of the browser tests, on internal/browsertest's browser and
// tabs: the portal on a 127.0.0.1 port over a real SQLite file, and the
// portal's own rules for its forms.

import (
	"os"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/browsertest"
)

// browser is the one Chromium of the test binary.
var browser = browsertest.Browser{TabTimeout: 120 * time.Second}

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// browserTab is one browser tab on one running portal.
type browserTab struct {
	*browsertest.Tab
	t *testing.T
	e *env
}

// newTab starts a portal and opens a tab on it, or skips the test when
// there is no Chromium (unless REDRESS_REQUIRE_CHROMIUM=1).
func newTab(t *testing.T, opts ...option) *browserTab {
	t.Helper()
	browser.Start(t)
	e := newEnv(t, opts...)
	return &browserTab{Tab: browser.NewTab(t, e.base), t: t, e: e}
}

// continueOn clicks the page's main form's first submit button.
func (tb *browserTab) continueOn(what string) {
	tb.t.Helper()
	tb.WantStatus(what, tb.Submit(`main form button[type="submit"]`), 200)
}

// errorSummary is browsertest's ErrorSummary with the portal's stricter
// rule on top: every error in the summary is shown by its field too, word
// for word, where the staff pages' tests check the fields they name.
func (tb *browserTab) errorSummary(what string) []browsertest.SummaryError {
	tb.t.Helper()
	errs := tb.ErrorSummary(what)
	for _, e := range errs {
		if e.Inline != e.Text {
			tb.t.Errorf("%s: the field shows %q, the summary %q", what, e.Inline, e.Text)
		}
	}
	return errs
}
