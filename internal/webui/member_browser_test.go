package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestAnMPsEnquiryIsAnsweredInTheBrowser (002 §3: "a Head of Service
// will be nominated accordingly to undertake the investigation and
// compile and send the response"): the nominated manager opens an MP's
// enquiry, sees the member, the resident's consent and the stage 1
// dates, acknowledges it, records the response, and issues the response
// letter to the member from the next-step panel; the enquiry is then
// answered. Each page is axe clean.
func TestAnMPsEnquiryIsAnsweredInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ctx := context.Background()
	manager := tb.users["manager"]
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref}
	}
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindMemberEnquiry, Channel: "email", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Address: "1 Mill Lane, Riverside"}, Summary: "Why is Ada's lift still broken?",
			Member: &complaint.Member{Name: "Sam Rahman MP", Office: complaint.OfficeMP, Email: "sam.rahman.mp@parliament.example",
				Address: "House of Commons\nLondon SW1A 0AA", ResidentConsent: true, CopyToResident: true}}, env(ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Reference
	if _, err := tb.app.Store.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Assign{Handler: manager.Email, HandlerRole: manager.Role}, env(nr))
	}); err != nil {
		t.Fatal(err)
	}

	tb.WantStatus("open the enquiry signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the nominated manager", tb.signIn("manager"), 200)
	tb.WantText("the enquiry", "Enquiry from Sam Rahman MP (MP)", "Resident's consent", "Recorded", "Yes, the member asked for one", "Acknowledge the enquiry")
	tb.Look("member-enquiry")

	tb.WantStatus("acknowledge it", tb.Submit(`form[action="/cases/`+ref+`/member-acknowledge"] button[type="submit"]`), 200)
	tb.WantText("acknowledged", "The enquiry is acknowledged: the response is due", "Record the response")
	tb.TypeInto("member-response-response", "The lift motor failed; the contractor replaces it on Friday.")
	tb.WantStatus("save the response", tb.Submit(`form[action="/cases/`+ref+`/member-response"] button[type="submit"]`), 200)
	tb.WantText("response recorded", "The response is recorded.", "Send the response to the member")
	tb.Look("member-enquiry-response")

	tb.WantStatus("write the response letter", tb.Load("follow the next step", chromedp.Click(chromedp.CSS(`#next-step a[href$="kind=member_response"]`))), 200)
	tb.WantText("the draft", "Response to an MP or councillor", "Sam Rahman MP, sam.rahman.mp@parliament.example")
	tb.WantStatus("check the letter", tb.Load("check and preview", chromedp.Click(chromedp.CSS(`main form button.govuk-button--secondary`))), 200)
	tb.WantText("the letter checked", "Preview")
	tb.Look("member-response-preview")
	tb.WantStatus("issue the letter", tb.Load("issue the letter", chromedp.Click(chromedp.CSS(`main form button[formaction="/cases/`+ref+`/letters"]`))), 200)
	tb.WantText("the letter issued", "The letter is issued and kept exactly as sent.", "answered")
	if got := tb.SummaryValue("Status"); got != "Responded" {
		t.Errorf("status %q after the member response, want Responded", got)
	}
	tb.Look("member-enquiry-answered")
}
