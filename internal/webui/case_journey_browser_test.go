package webui_test

// The "done when" test of issue 16, the case page: one officer works a
// stage 1 complaint from its page alone, while the resident writes in
// from the tracking page and by email.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/mail/inbound"
	"github.com/redresshq/redress/internal/store"
)

// caseJourneyWidth is the width, in CSS pixels, at which the case page's
// height is measured.
const caseJourneyWidth = 1280

// TestACaseCanBeWorkedFromItsPage logs a stage 1 complaint, takes in what
// the resident sends from the tracking page and by email, marks it read,
// acknowledges, amends the definition, adds a staff file, records the
// decisions and issues the response letter, all from the case page and
// the pages it links to. The clicks of the stage 1 journey itself, from
// "Log a contact" to the issued response, must be at most 10; the case
// page's height is logged once acknowledged and once responded.
func TestACaseCanBeWorkedFromItsPage(t *testing.T) {
	t.Parallel()
	start := clock.Wall()
	tb := newTab(t)
	officer := tb.users["officer"]
	const (
		resident      = "Jo Whitfield"
		residentEmail = "jo.whitfield@example.org"
		summary       = "Boiler keeps failing at 12 Mill Lane"
		point1        = "The boiler has failed three times since October"
		point2        = "Repairs did not attend when booked"
		point2Amended = "Repairs missed two booked visits, on 3 and 17 November"
		amendReason   = "The resident wrote in with the dates of both missed visits"
		portalText    = "The engineer left a card on 17 November but never knocked: tracking page note 4471."
		emailText     = "I have kept the missed-appointment cards from both visits: email note 9083."
		fileText      = "Engineer's visit: the boiler's heat exchanger is cracked."
		fileName      = "boiler-heat-exchanger.png"
	)

	// clicks counts the link, button, radio and checkbox clicks of the
	// stage 1 journey itself; typing is not a click, and nor is what the
	// test does beside the journey (the resident's messages, marking them
	// read, the amendment, the file, the checks of other pages). It
	// counts "Check and preview" on the letter page, which an officer may
	// skip, and not the acknowledgement letter, which the journey does
	// not send.
	clicks := 0
	follow := func(what, sel string) int64 {
		t.Helper()
		clicks++
		return tb.Load(what, chromedp.Click(chromedp.CSS(sel)))
	}
	choose := func(id string) {
		t.Helper()
		clicks++
		tb.Choose(id)
	}
	text := func(sel string) string {
		t.Helper()
		return browsertest.Eval[string](tb.Tab, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : ""; })()`, sel))
	}

	tb.WantStatus("open the dashboard", tb.Open("/"), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.Look("dashboard")
	if w := browsertest.Eval[int](tb.Tab, `window.innerWidth`); w != caseJourneyWidth {
		t.Logf("the tab is %d px wide: setting it to %d", w, caseJourneyWidth)
		tb.Do("set the width", chromedp.EmulateViewport(caseJourneyWidth, 900))
	}

	// 1. Log a stage 1 complaint, with the resident's email address.
	tb.WantStatus("open Log a contact", follow("follow Log a contact", `a.govuk-service-navigation__link[href="/cases/new"]`), 200)
	tb.Look("log-a-contact")
	tb.TypeInto("complainant-name", resident)
	tb.TypeInto("complainant-email", residentEmail)
	tb.TypeInto("summary", summary)
	tb.TypeInto("description", "The boiler has failed three times since October, and repairs twice did not come.")
	tb.WantStatus("log the complaint", follow("log the complaint", `main form[action="/cases/new"] button[type="submit"]`), 200)
	tb.WantText("new case", "Logged as C-", resident, summary, "Complaint, stage 1")
	ref := strings.TrimSuffix(strings.TrimPrefix(text(".govuk-notification-banner__heading"), "Logged as "), ".")
	if !strings.HasPrefix(ref, "C-") {
		t.Fatalf("no reference in the banner: %q", ref)
	}
	code := strings.TrimSpace(text("#tracking-code"))
	if code == "" {
		t.Fatalf("the case page shows no tracking code: %q", code)
	}
	tb.Look("case-received")

	// 2. The resident sends more information from the tracking page, in a
	// tab of their own, with none of the officer's cookies.
	base := browsertest.Eval[string](tb.Tab, `location.origin`)
	rt := browser.NewTab(t, base)
	rt.WantStatus("resident: open the tracking page", rt.Open("/track"), 200)
	rt.Look("resident-track")
	rt.TypeInto("reference", ref)
	rt.TypeInto("code", code)
	rt.WantStatus("resident: track the case", rt.Submit(`main form button[type="submit"]`), 200)
	rt.WantPath("resident: tracking", "/track/"+ref)
	rt.WantText("resident: the case", summary)
	rt.Look("resident-track-case")
	rt.WantStatus("resident: send us more information", rt.Submit(`main a[href="/track/`+ref+`/add-information"]`), 200)
	rt.Look("resident-add-information")
	rt.TypeInto("text", portalText)
	rt.WantStatus("resident: send the information", rt.Submit(`main form button[type="submit"]`), 200)
	rt.WantPath("resident: sent", "/track/"+ref+"?done=information")
	rt.Look("resident-information-sent")

	// 3. The resident emails too, quoting the reference; it is processed
	// as the IMAP poller would, by the app's inbound processor.
	proc := &inbound.Processor{
		Cases: &casework.Service{Store: tb.app.Store, Policy: tb.app.Policy, Calendar: tb.app.Cal,
			Now: clock.Wall, ServiceName: "Riverside Vale Homes complaints"},
		Inbound: tb.app.Store,
	}
	raw := strings.ReplaceAll(fmt.Sprintf(`From: %s <%s>
To: Riverside Vale Homes complaints <complaints@riversidevale.example>
Subject: Re: Your complaint %s
Date: %s
Message-ID: <%s.%d@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello,

%s

Jo
`, resident, residentEmail, ref, clock.Wall().Format(time.RFC1123Z), strings.ToLower(ref), clock.Wall().UnixNano(), emailText), "\n", "\r\n")
	res, err := proc.Process(context.Background(), []byte(raw), inbound.Origin{Source: "test"})
	if err != nil {
		t.Fatalf("processing the resident's email: %v", err)
	}
	if res.Outcome != store.InboundAdded || res.CaseRef != ref {
		t.Fatalf("the resident's email was %s (case %q, reason %q), want added to %s", res.Outcome, res.CaseRef, res.Reason, ref)
	}

	// 4. Both messages are in the conversation, and the case says there is
	// something new from the resident, as do the dashboard and the list.
	tb.WantStatus("the case page", tb.Open("/cases/"+ref), 200)
	conv := text("#conversation")
	for _, want := range []string{portalText, emailText} {
		if !strings.Contains(conv, want) {
			t.Errorf("the conversation does not show %q; it says:\n%s", want, conv)
		}
	}
	if got := text("#unread"); !strings.Contains(got, "New from resident") {
		t.Errorf("the case page has no \"New from resident\" tag after the resident wrote twice: #unread says %q", got)
	}
	tb.Look("case-new-from-resident")
	caseRows := func() []string {
		t.Helper()
		return browsertest.Eval[[]string](tb.Tab, fmt.Sprintf(`[...document.querySelectorAll("main tr")].filter(tr => tr.querySelector('a[href="/cases/%s"]')).map(tr => tr.innerText.replace(/\s+/g, " ").trim())`, ref))
	}
	tagged := func(rows []string) bool {
		return slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, "New from resident") })
	}
	tb.WantStatus("the dashboard", tb.Open("/"), 200)
	if rows := caseRows(); !tagged(rows) {
		t.Errorf("PRODUCT: the dashboard does not show the \"New from resident\" tag for %s, which has unread messages; its rows for the case: %q", ref, rows)
	}
	tb.Look("dashboard-new-from-resident")
	tb.WantStatus("the case list", tb.Open("/cases"), 200)
	if rows := caseRows(); !tagged(rows) {
		t.Errorf("PRODUCT: the case list does not show the \"New from resident\" tag for %s, which has unread messages; its rows for the case: %q", ref, rows)
	}
	tb.Look("case-list-new-from-resident")

	tb.WantStatus("the case page", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("mark as read", tb.Submit(`#unread button[type="submit"]`), 200)
	if n := browsertest.Eval[int](tb.Tab, `document.querySelectorAll("#unread").length`); n != 0 {
		t.Errorf("after Mark as read the case page still shows the \"New from resident\" notice: %q", text("#unread"))
	}
	tb.NoText("marked read", "New from resident")
	tb.Look("case-marked-read")
	tb.WantStatus("the dashboard", tb.Open("/"), 200)
	if rows := caseRows(); tagged(rows) {
		t.Errorf("the dashboard still shows \"New from resident\" for %s once marked read: %q", ref, rows)
	}
	tb.WantStatus("the case list", tb.Open("/cases"), 200)
	if rows := caseRows(); tagged(rows) {
		t.Errorf("the case list still shows \"New from resident\" for %s once marked read: %q", ref, rows)
	}

	// 5. Acknowledge with two points, from the next-step panel.
	tb.WantStatus("the case page", tb.Open("/cases/"+ref), 200)
	tb.TypeInto("acknowledge-points", point1+"\n"+point2)
	tb.WantStatus("acknowledge", follow("acknowledge", `#next-step #acknowledge button[type="submit"]`), 200)
	if got := tb.SummaryValue("Status"); got != "Acknowledged" {
		t.Errorf("status %q after acknowledging, want Acknowledged", got)
	}
	if got := tb.SummaryValue("Handler"); got != officer.Email {
		t.Errorf("handler %q after acknowledging, want the officer", got)
	}
	tb.WantText("acknowledged", "Stage 1: the complaint", point1, point2)
	tb.Look("case-acknowledged")
	ackHeight := tb.caseHeight(ref)

	// Correct point 2 on "Amend the complaint definition".
	tb.WantStatus("amend the definition", tb.Load("follow Amend the complaint definition",
		chromedp.Click(chromedp.CSS(`main a[href="/cases/`+ref+`/definition"]`))), 200)
	tb.WantText("the definition page", "Amend the complaint definition", "Point 1", "Point 2")
	if got := tb.Value("point-2"); got != point2 {
		t.Errorf("the definition page shows point 2 as %q, want %q", got, point2)
	}
	tb.Look("definition")
	tb.Do("clear point 2", chromedp.Clear(chromedp.ID("point-2")))
	tb.TypeInto("point-2", point2Amended)
	tb.TypeInto("reason", amendReason)
	tb.WantStatus("save the definition", tb.Submit(`#definition button[type="submit"]`), 200)
	tb.WantPath("amended", "/cases/"+ref+"?done=definition")
	stage := text(`section[aria-labelledby="stage-1-title"]`)
	if !strings.Contains(stage, point2Amended) || strings.Contains(stage, point2) || !strings.Contains(stage, point1) {
		t.Errorf("the stage 1 points after amending point 2 say:\n%s\nwant %q and %q, without %q", stage, point1, point2Amended, point2)
	}
	timeline := text("#timeline")
	if want := "Point 2 reworded from “" + point2 + "” to “" + point2Amended + "”"; !strings.Contains(timeline, want) {
		t.Errorf("the timeline does not show the before and after, %q; it says:\n%s", want, timeline)
	}
	if !strings.Contains(timeline, amendReason) {
		t.Errorf("the timeline does not show the amendment's reason %q", amendReason)
	}
	tb.Look("case-definition-amended")

	// 6. A staff file, with a record of the visit it came from.
	pngPath := filepath.Join(t.TempDir(), fileName)
	if err := os.WriteFile(pngPath, smallPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.WantStatus("add a file", tb.Load("follow Add a file or a record of contact",
		chromedp.Click(chromedp.CSS(`main a[href="/cases/`+ref+`/files/new"]`))), 200)
	tb.WantText("the file page", "Add a file or a record of contact", "How did it come?")
	tb.Look("add-a-file")
	tb.Choose("how-visit")
	tb.TypeInto("from", "the heating contractor")
	tb.TypeInto("text", fileText)
	tb.Do("choose the file", chromedp.SetUploadFiles(chromedp.ID("files"), []string{pngPath}))
	tb.WantStatus("add it to the case", tb.Submit(`#file button[type="submit"]`), 200)
	tb.WantPath("file added", "/cases/"+ref+"?done=file")
	tb.Disclose("attachments")
	files := tb.TableRows("Files sent with the case, or added by staff")
	if !slices.ContainsFunc(files, func(row []string) bool { return len(row) > 0 && strings.Contains(row[0], fileName) }) {
		t.Errorf("the Files table does not list %s: %q", fileName, files)
	}
	if conv := text("#conversation"); !strings.Contains(conv, fileText) || !strings.Contains(conv, "File: "+fileName) {
		t.Errorf("the conversation does not show the staff record with its file; it says:\n%s", conv)
	}
	tb.Look("case-file-added")

	// 7. Record the decisions from the next-step panel, then issue the
	// response letter it leads to.
	if n := browsertest.Eval[int](tb.Tab, `document.querySelectorAll("#next-step #respond").length`); n != 1 {
		t.Fatalf("the next-step panel has no decisions form (#respond); it says:\n%s", text("#next-step"))
	}
	choose("respond-outcome-1-upheld")
	tb.TypeInto("respond-reasons-1", "Three failures in two months is below our repair standard.")
	choose("respond-outcome-2-upheld")
	tb.TypeInto("respond-reasons-2", "Both visits were booked and missed without notice.")
	tb.WantStatus("record the decisions", follow("record the decisions", `#next-step #respond button[type="submit"]`), 200)
	tb.WantText("decisions recorded", "Point 1: Upheld.", "Point 2: Upheld.")
	tb.Look("case-decided")
	tb.WantStatus("write the response letter", follow("follow Write the stage 1 response letter", `#next-step a[href$="kind=stage1_response"]`), 200)
	tb.WantText("the draft", "Stage 1 response")
	tb.Look("letter-draft")
	tb.WantStatus("check the letter", follow("check and preview", `main form button.govuk-button--secondary`), 200)
	tb.WantText("the letter checked", "The letter says everything the Code requires", "Preview")
	tb.Look("letter-preview")
	tb.WantStatus("issue the letter", follow("issue the letter", `main form button[formaction="/cases/`+ref+`/letters"]`), 200)
	tb.WantText("the letter issued", "The letter is issued and kept exactly as sent.")
	if got := tb.SummaryValue("Status"); got != "Responded" {
		t.Errorf("status %q after issuing the response letter, want Responded", got)
	}
	letters := tb.TableRows("Letters issued")
	if !slices.ContainsFunc(letters, func(row []string) bool {
		return len(row) > 1 && strings.Contains(row[1], "Stage 1 response") && strings.Contains(row[1], "Issued")
	}) {
		t.Errorf("the letters section does not show the stage 1 response as issued: %q", letters)
	}
	tb.Look("case-responded")
	respondedHeight := tb.caseHeight(ref)

	t.Logf("clicks from Log a contact to the issued stage 1 response: %d (at most 10)", clicks)
	if clicks > 10 {
		t.Errorf("the stage 1 journey took %d clicks, want at most 10", clicks)
	}
	t.Logf("case page height at %d px wide: %d px once acknowledged, %d px once responded", caseJourneyWidth, ackHeight, respondedHeight)

	// On a phone's width the page reflows: nothing scrolls sideways
	// (WCAG 2.2, 1.4.10), whatever its height.
	tb.Do("narrow the tab", chromedp.EmulateViewport(375, 800))
	for _, page := range []string{"/", "/cases"} {
		tb.WantStatus(page+" on a phone", tb.Open(page), 200)
		if wide := browsertest.Eval[int](tb.Tab, `document.documentElement.scrollWidth`); wide > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen: it scrolls sideways", page, wide)
		}
	}
	tb.WantStatus("the case page on a phone", tb.Open("/cases/"+ref), 200)
	if wide := browsertest.Eval[int](tb.Tab, `document.documentElement.scrollWidth`); wide > 375 {
		over := browsertest.Eval[[]string](tb.Tab, `[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > 376 && ![...e.children].some(c => c.getBoundingClientRect().right > 376)).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + [...e.classList].join(".") + " " + Math.round(e.getBoundingClientRect().right) + "px: " + e.textContent.trim().slice(0, 40))`)
		t.Errorf("the case page is %d px wide on a 375 px screen: it scrolls sideways; too wide: %q", wide, over)
	}
	tb.Look("case-phone")
	t.Logf("case page height at 375 px wide: %d px once responded", browsertest.Eval[int](tb.Tab, `document.documentElement.scrollHeight`))
	t.Logf("took %s", clock.Wall().Sub(start).Round(time.Millisecond))
}

// caseHeight opens the case page afresh, with no banner, and returns its
// height in CSS pixels at the tab's width, which must be caseJourneyWidth.
func (tb *browserTab) caseHeight(ref string) int {
	tb.t.Helper()
	tb.WantStatus("the case page", tb.Open("/cases/"+ref), 200)
	if w := browsertest.Eval[int](tb.Tab, `window.innerWidth`); w != caseJourneyWidth {
		tb.t.Fatalf("the tab is %d px wide, want %d", w, caseJourneyWidth)
	}
	tb.t.Logf("the next step's panel starts %d px down the page",
		browsertest.Eval[int](tb.Tab, `Math.round(document.getElementById("next-step").getBoundingClientRect().top + window.scrollY)`))
	return browsertest.Eval[int](tb.Tab, `document.documentElement.scrollHeight`)
}

// smallPNG is a 16 by 16 pixel PNG, accepted by its content as a photo.
func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{R: uint8(x * 16), G: uint8(y * 16), B: 128, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
