package webui_test

import (
	"fmt"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/report"
)

// TestBoardPackSummaryAndSignOffInTheBrowser (issue 22, item 5): a
// manager writes a pack's executive summary and signs a quarter's pack
// off; the annual report's sign-off is refused, in the error summary and
// at the button, while its self-assessment is incomplete. Every page is
// axe clean, with JavaScript off as the forms must work without it.
func TestBoardPackSummaryAndSignOffInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.DisableJavaScript()
	year := report.YearOf(calendar.DateOf(clock.Wall()))
	quarter := report.Period{Year: year - 1, Quarter: 4}

	tb.WantStatus("open the pack signed out", tb.Open("/reports/pack?period="+quarter.Value()), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the draft pack", "Riverside Vale Homes complaints", quarter.DatesText(), "Draft", "No manager has signed it off.")
	tb.Look("pack-draft")
	tb.TypeInto("summary", "Fewer complaints than last year; every response on time.")
	tb.WantStatus("save the summary", tb.Submit(`form[action="/reports/pack/summary"] button[type="submit"]`), 200)
	tb.WantText("the saved summary", "Saved: the executive summary.")
	if got := tb.Value("summary"); got != "Fewer complaints than last year; every response on time." {
		t.Errorf("the summary field holds %q after saving", got)
	}
	tb.WantStatus("sign off the quarter", tb.Submit(`form[action="/reports/pack/signoff"] button[type="submit"]`), 200)
	tb.WantText("the signed-off pack", "Final", "Signed off by Maria Manager on "+report.LongDate(calendar.DateOf(clock.Wall())))
	tb.NoText("the signed-off pack", "Sign off this pack")
	tb.Look("pack-signed-off")

	tb.WantStatus("open the annual report", tb.Open(fmt.Sprintf("/reports/pack?period=%d", int(year))), 200)
	tb.WantStatus("sign off an incomplete annual report", tb.Submit(`form[action="/reports/pack/signoff"] button[type="submit"]`), 409)
	tb.WantFieldError(tb.ErrorSummary("an incomplete annual report"), "sign-off", "cannot be signed off while its self-assessment is incomplete")
	tb.Look("pack-annual-refused")
}
