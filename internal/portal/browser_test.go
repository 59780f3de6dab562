package portal_test

// Browser tests of the residents' pages: headless Chromium fills in the
// form as a representative with a photo, follows the case, asks for
// stage 2 once the test has the staff respond, answers the survey, and
// runs axe-core on every page; a keyboard-only run; and the form in a tab
// that runs no script. They skip when no Chromium is installed.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
)

func TestResidentJourneyInTheBrowser(t *testing.T) {
	t.Parallel()
	start := clock.Wall()
	tb := newTab(t)
	e := tb.e

	tb.WantStatus("start page", tb.Open("/complain"), 200)
	tb.WantText("start page", "Tell us what you think of our services", "Start now")
	tb.Look("start")
	tb.WantStatus("accessibility statement", tb.Load("follow the accessibility link", chromedp.Click(chromedp.CSS(`a[href="/accessibility"]`))), 200)
	tb.WantText("accessibility statement", "Accessibility statement", "Enforcement procedure")
	tb.Look("accessibility")
	tb.WantStatus("start page again", tb.Open("/complain"), 200)
	tb.WantStatus("start now", tb.Submit(`a.govuk-button--start`), 200)
	tb.WantPath("start now", "/complain/kind")
	tb.Look("kind")

	// Nothing chosen: the error summary, then the answer.
	tb.WantStatus("continue with nothing chosen", tb.Submit(`main form button[type="submit"]`), 400)
	errs := tb.errorSummary("kind with nothing chosen")
	if len(errs) != 1 || errs[0].Href != "#kind" {
		t.Errorf("kind with nothing chosen: errors %+v", errs)
	}
	tb.Look("kind-error")
	tb.Choose("kind")
	tb.continueOn("kind")
	tb.WantPath("after kind", "/complain/danger")
	tb.Choose("danger-no")
	tb.continueOn("danger")
	tb.WantPath("after danger", "/complain/formal")
	tb.Look("formal")
	tb.Choose("formal")
	tb.continueOn("formal")
	tb.Look("who")
	tb.Choose("who-someone_else")
	tb.continueOn("who")

	tb.WantPath("after who", "/complain/about")
	tb.WantText("about them", "About the person you are acting for")
	tb.Look("about-them")
	tb.TypeInto("name", "Ada Whitfield")
	tb.TypeInto("address", "12 Mill Lane\nRiverside")
	tb.TypeInto("postcode", "RV1 2AB")
	tb.continueOn("about them")

	tb.WantPath("after about", "/complain/representative")
	tb.TypeInto("rep-name", "Sam Whitfield")
	tb.WantStatus("representative with most left out", tb.Submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("representative with most left out")
	tb.Look("representative-error")
	tb.TypeInto("rep-relationship", "Son")
	tb.TypeInto("rep-email", "sam.whitfield@example.org")
	tb.Choose("rep-consent")
	tb.continueOn("representative")

	tb.WantPath("after representative", "/complain/what-happened")
	tb.Look("what-happened")
	tb.TypeInto("summary", "Boiler keeps failing")
	tb.TypeInto("description", "The boiler has failed three times since October. My mother is 84.")
	tb.continueOn("what happened")
	tb.Look("put-right")
	tb.TypeInto("outcome", "A new boiler")
	tb.continueOn("put right")

	tb.WantPath("after put right", "/complain/contact")
	tb.Choose("contact-by")
	tb.Choose("adjust")
	tb.Choose("adjust-translation")
	tb.TypeInto("language", "Polish")
	tb.Look("contact")
	tb.continueOn("contact")

	tb.WantPath("after contact", "/complain/files")
	tb.Look("files")
	photo := filepath.Join(t.TempDir(), "boiler.png")
	if err := os.WriteFile(photo, pngFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tb.Do("choose the photo", chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}))
	tb.WantStatus("upload and choose more", tb.Submit(`button[value="upload"]`), 200)
	tb.WantPath("after uploading", "/complain/files")
	tb.WantText("files page", "Files added", "boiler.png")
	tb.Look("files-added")
	tb.WantStatus("continue", tb.Submit(`button[value="continue"]`), 200)

	tb.WantPath("after files", "/complain/check")
	for key, want := range map[string]string{
		"Full name": "Ada Whitfield", "Your full name": "Sam Whitfield", "How you know them": "Son",
		"Their agreement": "They have agreed to me acting for them", "Summary": "Boiler keeps failing",
		"Files": "boiler.png", "Help you need": "Large print letters\nTranslation or interpreter: Polish",
	} {
		if got := tb.SummaryValue(key); got != want {
			t.Errorf("check page: %s is %q, want %q", key, got, want)
		}
	}
	tb.Look("check")
	tb.WantStatus("send", tb.Submit(`main form[action="/complain/check"] button`), 200)
	tb.WantPath("after sending", "/complain/confirmation")
	ref := browsertest.Eval[string](tb.Tab, `document.getElementById("reference").innerText`)
	k, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatalf("the reference %q shown: %v", ref, err)
	}
	tb.WantText("confirmation", "We have your complaint", ref, "We will acknowledge your complaint by "+pageDate(k.Stages[0].AcknowledgeBy))
	tb.Look("confirmation")
	if k.Representative == nil || !k.Representative.ConsentRecorded || k.Representative.Email != "sam.whitfield@example.org" {
		t.Errorf("stored representative %+v", k.Representative)
	}
	if atts, err := e.db.Attachments(context.Background(), ref); err != nil {
		t.Errorf("the case's files: %v", err)
	} else if len(atts) != 1 || atts[0].Name != "boiler.png" || atts[0].ContentType != "image/png" {
		t.Errorf("stored attachments %+v", atts)
	}

	// Track it with the tracking code shown: first mistyped, then right.
	code := browsertest.Eval[string](tb.Tab, `document.getElementById("tracking-code").innerText`)
	if want := e.trackingCode(ref); code != want {
		t.Errorf("the confirmation shows the tracking code %q, want %q", code, want)
	}
	tb.WantStatus("follow it online", tb.Submit(`main a[href^="/track?reference="]`), 200)
	tb.Look("track")
	tb.TypeInto("code", "00000-00000")
	tb.WantStatus("track with a wrong code", tb.Submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("track with a wrong code")
	tb.Look("track-error")
	tb.Do("clear the code", chromedp.Clear(chromedp.ID("code")))
	tb.TypeInto("code", strings.ToLower(code))
	tb.continueOn("track")
	tb.WantPath("tracking", "/track/"+ref)
	if got := tb.SummaryValue("Status"); got != "Received" {
		t.Errorf("status %q, want Received", got)
	}
	tb.Look("track-case")
	tb.WantStatus("add information page", tb.Submit(`a[href="/track/`+ref+`/add-information"]`), 200)
	tb.Look("add-information")
	tb.WantStatus("withdraw page", tb.Open("/track/"+ref+"/withdraw"), 200)
	tb.Look("withdraw")
	tb.TypeInto("reason", "The boiler works now")
	tb.WantStatus("withdraw: the reason", tb.Submit(`main form button[type="submit"]`), 200)
	tb.WantText("withdraw: confirm", "Are you sure you want to withdraw your complaint?", "You can complain again")
	tb.Look("withdraw-confirm")
	tb.WantStatus("keep it", tb.Submit(`main a[href="/track/`+ref+`"]`), 200)
	if k := e.getCase(ref); k.Status != complaint.StatusReceived {
		t.Errorf("the case is %s after the resident kept it", k.Status)
	}

	// In again by a link emailed to the representative, who has the
	// resident's consent.
	tb.WantStatus("email a link", tb.Open("/track/email?reference="+ref), 200)
	tb.Look("track-email")
	tb.WantStatus("ask for the link", tb.Submit(`main form button[type="submit"]`), 200)
	tb.WantPath("link asked for", "/track/email/sent")
	tb.Look("track-email-sent")
	links := e.sentLinks(ref)
	if len(links) != 1 || !strings.Contains(links[0].To, "sam.whitfield@example.org") {
		t.Fatalf("links sent %+v, want one to the representative", links)
	}
	tb.WantStatus("the link", tb.Load("open the link", chromedp.Navigate(links[0].URL)), 200)
	tb.Look("track-link")
	tb.WantStatus("open the case by link", tb.Submit(`main form button[type="submit"]`), 200)
	tb.WantPath("tracking by link", "/track/"+ref)
	tb.WantStatus("the link again", tb.Load("open the link again", chromedp.Navigate(links[0].URL)), 200)
	tb.WantStatus("use the link again", tb.Submit(`main form button[type="submit"]`), 410)
	tb.Look("track-link-gone")

	// The staff acknowledge and respond; the resident asks for stage 2.
	e.clock.advance(time.Minute)
	e.respondedCase2(ref)
	tb.WantStatus("the case once replied", tb.Open("/track/"+ref), 200)
	if got := tb.SummaryValue("Status"); got != "We have replied" {
		t.Errorf("status %q once replied", got)
	}
	tb.Look("track-replied")
	tb.WantStatus("stage 2 page", tb.Submit(`a[href="/track/`+ref+`/stage-2"]`), 200)
	tb.WantText("stage 2 page", "You do not have to give reasons")
	tb.Look("stage-2")
	tb.TypeInto("reason", "The boiler failed again")
	tb.continueOn("ask for stage 2")
	tb.WantPath("after asking", "/track/"+ref+"?done=stage-2")
	tb.WantText("after asking", "We have your request for stage 2")
	if got := tb.SummaryValue("Stage"); !strings.HasPrefix(got, "Stage 2") {
		t.Errorf("stage %q after asking", got)
	}
	tb.Look("track-stage-2")
	if k := e.getCase(ref); k.Stage != 2 || len(k.Stages) != 2 || k.Stages[1].Reason != "The boiler failed again" {
		t.Errorf("stored case at stage %d: %+v", k.Stage, k.Stages)
	}

	// The survey, once it is all over.
	link, err := e.surveyLink(ref, e.base)
	if err != nil {
		t.Fatal(err)
	}
	tb.WantStatus("survey", tb.Load("open the survey", chromedp.Navigate(link)), 200)
	tb.Look("survey")
	tb.WantStatus("survey with no answer", tb.Submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("survey with no answer")
	tb.Look("survey-error")
	tb.Choose("answer-fairly_satisfied")
	tb.Choose("outcome-neither")
	tb.continueOn("survey")
	tb.WantText("survey answered", "Thank you for your answers")
	tb.Look("survey-thanks")
	tb.WantStatus("survey again", tb.Load("open the survey again", chromedp.Navigate(link)), 410)
	tb.Look("survey-used")

	tb.WantStatus("a page that does not exist", tb.Open("/complain/no-such-page"), 404)
	tb.Look("not-found")
	t.Logf("journey took %s", clock.Wall().Sub(start).Round(time.Millisecond))
}

// TestKeyboardOnly goes through the start page and the first question
// with the keyboard alone: every interactive element takes focus in
// order, and Enter starts the form and sends the answer.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.WantStatus("start page", tb.Open("/complain"), 200)
	tb.TabThrough("start page", 0, "")
	tb.WantStatus("start page again", tb.Open("/complain"), 200)
	tb.TabThrough("start page", 0, "a.govuk-button--start")
	tb.WantStatus("Enter on Start now", tb.Load("press Enter", chromedp.KeyEvent(kb.Enter)), 200)
	tb.WantPath("after Start now", "/complain/kind")

	tb.TabThrough("first question", 0, "")
	tb.WantStatus("first question again", tb.Open("/complain/kind"), 200)
	radio := tb.TabThrough("first question", 0, `input[type="radio"]`)
	// Space chooses the focused radio, arrow keys the next one.
	tb.Do("choose with the keyboard", chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowDown))
	if got := browsertest.Eval[string](tb.Tab, `document.querySelector('input[name="kind"]:checked').value`); got != "compliment" {
		t.Fatalf("after Space and Down the answer is %q, want compliment", got)
	}
	tb.TabThrough("to the button", radio+1, `main button[type="submit"]`)
	tb.WantStatus("Enter on Continue", tb.Load("press Enter", chromedp.KeyEvent(kb.Enter)), 200)
	tb.WantPath("after Continue", "/complain/danger")
}

// TestFormWorksWithoutJavaScript sends a compliment from a tab that runs
// no script, with the conditional question shown as plain HTML, and looks
// at the pages the journey above does not reach: a refused file, a late
// request for stage 2, an expired form and too many attempts.
func TestFormWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t, withPolicy(t, "customer-feedback"), func(s *portal.Server) { s.TrackLimit = 3 })
	e := tb.e
	tb.DisableJavaScript()
	tb.WantStatus("first question", tb.Open("/complain/kind"), 200)
	if browsertest.Eval[bool](tb.Tab, `document.body.classList.contains("js-enabled")`) {
		t.Fatal("the page ran init.js: JavaScript is not disabled")
	}
	tb.Choose("kind-compliment")
	tb.continueOn("kind")
	tb.Choose("danger-no")
	tb.continueOn("danger")
	tb.Choose("who")
	tb.continueOn("who")
	tb.Look("about-you")
	tb.TypeInto("name", "Priya Shah")
	tb.TypeInto("email", "priya@example.org")
	tb.continueOn("about")
	tb.Look("what-happened-compliment")
	tb.TypeInto("summary", "The repairs team")
	tb.TypeInto("description", "Dev fixed the lift the same day.")
	tb.continueOn("what happened")
	tb.WantPath("contact", "/complain/contact")
	tb.Choose("contact-by")
	// Without a script the conditional question is shown at once.
	if !browsertest.Eval[bool](tb.Tab, `document.getElementById("language").getClientRects().length > 0`) {
		t.Errorf("without JavaScript the language question is hidden")
	}
	tb.Choose("adjust-translation")
	tb.TypeInto("language", "Gujarati")
	tb.Look("contact-no-js")
	tb.continueOn("contact")

	// A program called photo.jpg is refused by its content.
	exe := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(exe, exeFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tb.Do("choose the program", chromedp.SetUploadFiles(chromedp.ID("files"), []string{exe}))
	tb.WantStatus("upload a program", tb.Submit(`button[value="continue"]`), 400)
	errs := tb.errorSummary("upload a program")
	if len(errs) != 1 || errs[0].Href != "#files" || !strings.Contains(errs[0].Text, "photo.jpg is not a file we can accept") {
		t.Errorf("upload a program: errors %+v", errs)
	}
	tb.Look("files-error")
	tb.WantStatus("continue", tb.Submit(`button[value="continue"]`), 200)
	tb.Look("check-no-js")
	tb.WantStatus("send", tb.Submit(`main form[action="/complain/check"] button`), 200)
	ref := browsertest.Eval[string](tb.Tab, `document.getElementById("reference").innerText`)
	k, err := e.db.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if k.Kind != complaint.KindCompliment || len(k.Adjustments) < 2 || k.Adjustments[1] != "Translation or interpreter: Gujarati" {
		t.Errorf("stored %s with adjustments %q", k.Kind, k.Adjustments)
	}
	if atts, err := e.db.Attachments(context.Background(), ref); err != nil {
		t.Errorf("the case's files: %v", err)
	} else if len(atts) != 0 {
		t.Errorf("the refused file was stored: %+v", atts)
	}
	tb.Look("confirmation-no-js")

	// A complaint answered 40 days ago, past the policy's 28-day window.
	late := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Damp in the bedroom"})
	e.clock.advance(40 * 24 * time.Hour)
	tb.WantStatus("the form, expired", tb.Open("/complain/confirmation"), 200)
	tb.WantText("the form, expired", "You need to start again")
	tb.Look("start-again")
	tb.WantStatus("track", tb.Open("/track"), 200)
	tb.TypeInto("reference", late.Reference)
	tb.TypeInto("code", e.trackingCode(late.Reference))
	tb.continueOn("track")
	tb.WantStatus("late stage 2", tb.Submit(`a[href="/track/`+late.Reference+`/stage-2"]`), 200)
	tb.WantText("late stage 2", "The time to ask for stage 2 ended on")
	tb.WantStatus("late with no reason", tb.Submit(`main form button[type="submit"]`), 400)
	tb.errorSummary("late with no reason")
	tb.Look("stage-2-late-error")
	tb.TypeInto("late-reason", "I was in hospital")
	tb.continueOn("late with a reason")
	tb.WantText("late with a reason", "We have your request for stage 2")

	// Too many attempts at tracking.
	for i := 0; i < 3; i++ {
		tb.WantStatus("track", tb.Open("/track"), 200)
		tb.TypeInto("reference", late.Reference)
		tb.TypeInto("code", "00000-00000")
		tb.Submit(`main form button[type="submit"]`)
	}
	tb.WantText("too many", "Sorry, there have been too many attempts")
	tb.Look("too-many")
}
