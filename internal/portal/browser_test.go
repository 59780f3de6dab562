package portal_test

// Browser tests of the residents' pages: headless Chromium fills in the
// form as a representative with a photo, follows the case, asks for
// stage 2 once the test has the staff respond, answers the survey, and
// runs axe-core on every page; a keyboard-only run; and the form in a tab
// that runs no script. They skip when no Chromium is installed.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
)

func TestResidentJourneyInTheBrowser(t *testing.T) {
	t.Parallel()
	start := time.Now()
	tb := newTab(t)
	e := tb.e

	tb.wantStatus("start page", tb.open("/complain"), 200)
	tb.wantText("start page", "Tell us what you think of our services", "Start now")
	tb.look("start")
	tb.wantStatus("start now", tb.submit(`a.govuk-button--start`), 200)
	tb.wantPath("start now", "/complain/kind")
	tb.look("kind")

	// Nothing chosen: the error summary, then the answer.
	tb.wantStatus("continue with nothing chosen", tb.submit(`main form button[type="submit"]`), 400)
	errs := tb.errorSummary("kind with nothing chosen")
	if len(errs) != 1 || errs[0].Href != "#kind" {
		t.Errorf("kind with nothing chosen: errors %+v", errs)
	}
	tb.look("kind-error")
	tb.choose("kind")
	tb.continueOn("kind")
	tb.wantPath("after kind", "/complain/formal")
	tb.look("formal")
	tb.choose("formal")
	tb.continueOn("formal")
	tb.look("who")
	tb.choose("who-someone_else")
	tb.continueOn("who")

	tb.wantPath("after who", "/complain/about")
	tb.wantText("about them", "About the person you are acting for")
	tb.look("about-them")
	tb.typeInto("name", "Ada Whitfield")
	tb.typeInto("address", "12 Mill Lane\nRiverside")
	tb.typeInto("postcode", "RV1 2AB")
	tb.continueOn("about them")

	tb.wantPath("after about", "/complain/representative")
	tb.typeInto("rep-name", "Sam Whitfield")
	tb.wantStatus("representative with most left out", tb.submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("representative with most left out")
	tb.look("representative-error")
	tb.typeInto("rep-relationship", "Son")
	tb.typeInto("rep-email", "sam.whitfield@example.org")
	tb.choose("rep-consent")
	tb.continueOn("representative")

	tb.wantPath("after representative", "/complain/what-happened")
	tb.look("what-happened")
	tb.typeInto("summary", "Boiler keeps failing")
	tb.typeInto("description", "The boiler has failed three times since October. My mother is 84.")
	tb.continueOn("what happened")
	tb.look("put-right")
	tb.typeInto("outcome", "A new boiler")
	tb.continueOn("put right")

	tb.wantPath("after put right", "/complain/contact")
	tb.choose("contact-by")
	tb.choose("adjust")
	tb.choose("adjust-translation")
	tb.typeInto("language", "Polish")
	tb.look("contact")
	tb.continueOn("contact")

	tb.wantPath("after contact", "/complain/files")
	tb.look("files")
	photo := filepath.Join(t.TempDir(), "boiler.png")
	if err := os.WriteFile(photo, pngFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tb.do("choose the photo", chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}))
	tb.wantStatus("upload and choose more", tb.submit(`button[value="upload"]`), 200)
	tb.wantPath("after uploading", "/complain/files")
	tb.wantText("files page", "Files added", "boiler.png")
	tb.look("files-added")
	tb.wantStatus("continue", tb.submit(`button[value="continue"]`), 200)

	tb.wantPath("after files", "/complain/check")
	for key, want := range map[string]string{
		"Full name": "Ada Whitfield", "Your full name": "Sam Whitfield", "How you know them": "Son",
		"Their agreement": "They have agreed to me acting for them", "Summary": "Boiler keeps failing",
		"Files": "boiler.png", "Help you need": "Large print letters\nTranslation or interpreter: Polish",
	} {
		if got := tb.summaryValue(key); got != want {
			t.Errorf("check page: %s is %q, want %q", key, got, want)
		}
	}
	tb.look("check")
	tb.wantStatus("send", tb.submit(`main form[action="/complain/check"] button`), 200)
	tb.wantPath("after sending", "/complain/confirmation")
	ref := evalJS[string](tb, `document.getElementById("reference").innerText`)
	k, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatalf("the reference %q shown: %v", ref, err)
	}
	tb.wantText("confirmation", "We have your complaint", ref, "We will acknowledge your complaint by "+pageDate(k.Stages[0].AcknowledgeBy))
	tb.look("confirmation")
	if k.Representative == nil || !k.Representative.ConsentRecorded || k.Representative.Email != "sam.whitfield@example.org" {
		t.Errorf("stored representative %+v", k.Representative)
	}
	if atts, _ := e.db.Attachments(context.Background(), ref); len(atts) != 1 || atts[0].Name != "boiler.png" || atts[0].ContentType != "image/png" {
		t.Errorf("stored attachments %+v", atts)
	}

	// Track it: first with a wrong email, then the right one.
	tb.wantStatus("follow it online", tb.submit(`main a[href^="/track?reference="]`), 200)
	tb.look("track")
	tb.typeInto("contact", "someone.else@example.org")
	tb.wantStatus("track with a wrong email", tb.submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("track with a wrong email")
	tb.look("track-error")
	tb.do("clear the email", chromedp.Clear(chromedp.ID("contact")))
	tb.typeInto("contact", "SAM.whitfield@example.org")
	tb.continueOn("track")
	tb.wantPath("tracking", "/track/"+ref)
	if got := tb.summaryValue("Status"); got != "Received" {
		t.Errorf("status %q, want Received", got)
	}
	tb.look("track-case")
	tb.wantStatus("add information page", tb.submit(`a[href="/track/`+ref+`/add-information"]`), 200)
	tb.look("add-information")
	tb.wantStatus("withdraw page", tb.open("/track/"+ref+"/withdraw"), 200)
	tb.look("withdraw")

	// The staff acknowledge and respond; the resident asks for stage 2.
	e.clock.advance(time.Minute)
	e.respondedCase2(ref)
	tb.wantStatus("the case once replied", tb.open("/track/"+ref), 200)
	if got := tb.summaryValue("Status"); got != "We have replied" {
		t.Errorf("status %q once replied", got)
	}
	tb.look("track-replied")
	tb.wantStatus("stage 2 page", tb.submit(`a[href="/track/`+ref+`/stage-2"]`), 200)
	tb.wantText("stage 2 page", "You do not have to give reasons")
	tb.look("stage-2")
	tb.typeInto("reason", "The boiler failed again")
	tb.continueOn("ask for stage 2")
	tb.wantPath("after asking", "/track/"+ref+"?done=stage-2")
	tb.wantText("after asking", "We have your request for stage 2")
	if got := tb.summaryValue("Stage"); !strings.HasPrefix(got, "Stage 2") {
		t.Errorf("stage %q after asking", got)
	}
	tb.look("track-stage-2")
	if k, _ := e.db.GetCase(context.Background(), ref); k.Stage != 2 || k.Stages[1].Reason != "The boiler failed again" {
		t.Errorf("stored case at stage %d: %+v", k.Stage, k.Stages)
	}

	// The survey, once it is all over.
	link, err := portal.NewSurveyLink(context.Background(), e.db, ref, e.clock.Now(), e.base)
	if err != nil {
		t.Fatal(err)
	}
	tb.wantStatus("survey", tb.load("open the survey", chromedp.Navigate(link)), 200)
	tb.look("survey")
	tb.wantStatus("survey with no answer", tb.submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("survey with no answer")
	tb.look("survey-error")
	tb.choose("answer-fairly_satisfied")
	tb.continueOn("survey")
	tb.wantText("survey answered", "Thank you for your answer")
	tb.look("survey-thanks")
	tb.wantStatus("survey again", tb.load("open the survey again", chromedp.Navigate(link)), 410)
	tb.look("survey-used")

	tb.wantStatus("a page that does not exist", tb.open("/complain/no-such-page"), 404)
	tb.look("not-found")
	t.Logf("journey took %s", time.Since(start).Round(time.Millisecond))
}

// focusables marks the page's interactive elements, in the order the Tab
// key should reach them, with data-kb="N", and returns how many there
// are. A group of radios is one stop (its first radio, none being
// chosen); the hidden honeypot field is none.
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

// tabThrough presses Tab once for each interactive element from number
// from on, and checks each receives focus in turn; it stops when the
// element matched by the CSS selector stop has focus, if stop is not "",
// and returns its number.
func (tb *browserTab) tabThrough(what string, from int, stop string) int {
	tb.t.Helper()
	n := evalJS[int](tb, focusables)
	if n < 5 {
		tb.t.Fatalf("%s: only %d interactive elements", what, n)
	}
	for i := from; i < n; i++ {
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
		got := evalJS[focused](tb, fmt.Sprintf(`(() => {
			const a = document.activeElement;
			return {kb: (a && a.dataset.kb) || "", html: a ? a.outerHTML.slice(0, 100) : "", stop: !!a && %q !== "" && a.matches(%q || "*")};
		})()`, stop, stop))
		if got.KB != fmt.Sprint(i) {
			tb.t.Fatalf("%s: Tab number %d focused %s, want element %d: %s", what, i+1-from, got.HTML, i,
				evalJS[string](tb, fmt.Sprintf(`document.querySelector('[data-kb="%d"]').outerHTML.slice(0, 120)`, i)))
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

// TestKeyboardOnly goes through the start page and the first question
// with the keyboard alone: every interactive element takes focus in
// order, and Enter starts the form and sends the answer.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.wantStatus("start page", tb.open("/complain"), 200)
	tb.tabThrough("start page", 0, "")
	tb.wantStatus("start page again", tb.open("/complain"), 200)
	tb.tabThrough("start page", 0, "a.govuk-button--start")
	tb.wantStatus("Enter on Start now", tb.load("press Enter", chromedp.KeyEvent(kb.Enter)), 200)
	tb.wantPath("after Start now", "/complain/kind")

	tb.tabThrough("first question", 0, "")
	tb.wantStatus("first question again", tb.open("/complain/kind"), 200)
	radio := tb.tabThrough("first question", 0, `input[type="radio"]`)
	// Space chooses the focused radio, arrow keys the next one.
	tb.do("choose with the keyboard", chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowDown))
	if got := evalJS[string](tb, `document.querySelector('input[name="kind"]:checked').value`); got != "compliment" {
		t.Fatalf("after Space and Down the answer is %q, want compliment", got)
	}
	tb.tabThrough("to the button", radio+1, `main button[type="submit"]`)
	tb.wantStatus("Enter on Continue", tb.load("press Enter", chromedp.KeyEvent(kb.Enter)), 200)
	tb.wantPath("after Continue", "/complain/who")
}

// TestFormWorksWithoutJavaScript sends a compliment from a tab that runs
// no script, with the conditional question shown as plain HTML, and looks
// at the pages the journey above does not reach: a refused file, a late
// request for stage 2, an expired form and too many attempts.
func TestFormWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t, withPolicy("customer-feedback"), func(s *portal.Server) { s.TrackLimit = 3 })
	e := tb.e
	tb.disableJavaScript()
	tb.wantStatus("first question", tb.open("/complain/kind"), 200)
	if evalJS[bool](tb, `document.body.classList.contains("js-enabled")`) {
		t.Fatal("the page ran init.js: JavaScript is not disabled")
	}
	tb.choose("kind-compliment")
	tb.continueOn("kind")
	tb.choose("who")
	tb.continueOn("who")
	tb.look("about-you")
	tb.typeInto("name", "Priya Shah")
	tb.typeInto("email", "priya@example.org")
	tb.continueOn("about")
	tb.look("what-happened-compliment")
	tb.typeInto("summary", "The repairs team")
	tb.typeInto("description", "Dev fixed the lift the same day.")
	tb.continueOn("what happened")
	tb.wantPath("contact", "/complain/contact")
	tb.choose("contact-by")
	// Without a script the conditional question is shown at once.
	if !evalJS[bool](tb, `document.getElementById("language").getClientRects().length > 0`) {
		t.Errorf("without JavaScript the language question is hidden")
	}
	tb.choose("adjust-translation")
	tb.typeInto("language", "Gujarati")
	tb.look("contact-no-js")
	tb.continueOn("contact")

	// A program called photo.jpg is refused by its content.
	exe := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(exe, exeFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tb.do("choose the program", chromedp.SetUploadFiles(chromedp.ID("files"), []string{exe}))
	tb.wantStatus("upload a program", tb.submit(`button[value="continue"]`), 400)
	errs := tb.errorSummary("upload a program")
	if len(errs) != 1 || errs[0].Href != "#files" || !strings.Contains(errs[0].Text, "photo.jpg is not a file we can accept") {
		t.Errorf("upload a program: errors %+v", errs)
	}
	tb.look("files-error")
	tb.wantStatus("continue", tb.submit(`button[value="continue"]`), 200)
	tb.look("check-no-js")
	tb.wantStatus("send", tb.submit(`main form[action="/complain/check"] button`), 200)
	ref := evalJS[string](tb, `document.getElementById("reference").innerText`)
	k, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if k.Kind != complaint.KindCompliment || k.Adjustments[1] != "Translation or interpreter: Gujarati" {
		t.Errorf("stored %s with adjustments %q", k.Kind, k.Adjustments)
	}
	if atts, _ := e.db.Attachments(context.Background(), ref); len(atts) != 0 {
		t.Errorf("the refused file was stored: %+v", atts)
	}
	tb.look("confirmation-no-js")

	// A complaint answered 40 days ago, past the policy's 28-day window.
	late := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Damp in the bedroom"})
	e.clock.advance(40 * 24 * time.Hour)
	tb.wantStatus("the form, expired", tb.open("/complain/confirmation"), 200)
	tb.wantText("the form, expired", "You need to start again")
	tb.look("start-again")
	tb.wantStatus("track", tb.open("/track"), 200)
	tb.typeInto("reference", late.Reference)
	tb.typeInto("contact", "rv1 2ab")
	tb.continueOn("track")
	tb.wantStatus("late stage 2", tb.submit(`a[href="/track/`+late.Reference+`/stage-2"]`), 200)
	tb.wantText("late stage 2", "The time to ask for stage 2 ended on")
	tb.wantStatus("late with no reason", tb.submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("late with no reason")
	tb.look("stage-2-late-error")
	tb.typeInto("late-reason", "I was in hospital")
	tb.continueOn("late with a reason")
	tb.wantText("late with a reason", "We have your request for stage 2")

	// Too many attempts at tracking.
	for i := 0; i < 3; i++ {
		tb.wantStatus("track", tb.open("/track"), 200)
		tb.typeInto("reference", late.Reference)
		tb.typeInto("contact", "wrong@example.org")
		tb.submit(`main form button[type="submit"]`)
	}
	tb.wantText("too many", "Sorry, there have been too many attempts")
	tb.look("too-many")
}
