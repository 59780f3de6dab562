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

// TestASpokenAnswerIsAgreedThenRecordedAsAContactInTheBrowser (003: "we
// will agree with the customer how they would like us to respond ... by
// telephone, text, e-mail, face to face or in writing"): under a policy
// that promises it, the case page asks for the way; the officer records
// face to face, is prompted to record the conversation as a record of
// contact and then to send the written response, and follows the prompt
// to the record of contact with a visit already chosen. Each page is
// axe clean.
func TestASpokenAnswerIsAgreedThenRecordedAsAContactInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.app.Policy.AgreeResponse.Agree = true
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received, Tenure: "low_cost_rental",
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "The lift has been broken for a month"},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Reference

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the case page before a way is agreed", "How they want to be answered", "Not agreed yet.", "The policy promises to agree with the resident how they would like to be answered")

	tb.Disclose("response-method")
	tb.WantStatus("save with no way chosen", tb.Submit(`#response-method form button[type="submit"]`), 400)
	errs := tb.ErrorSummary("no way chosen")
	tb.WantFieldError(errs, "response-method-method", "")
	tb.Look("response-method-error")

	tb.Choose("response-method-method-face-to-face")
	tb.TypeInto("response-method-reason", "Agreed on the phone")
	tb.WantStatus("save face to face", tb.Submit(`#response-method form button[type="submit"]`), 200)
	tb.WantPath("way saved", "/cases/"+ref+"?done=response-method")
	tb.WantText("the case page once agreed", "How the resident wants to be answered is recorded: face to face.",
		"They asked to be answered face to face.", "record the conversation as a record of contact",
		"Then send the written response letter all the same: the Code requires a written response")
	tb.NoText("the case page once agreed", "Not agreed yet.")
	tb.Look("response-method-spoken")

	tb.WantStatus("follow the prompt", tb.Load("follow the prompt",
		chromedp.Click(chromedp.CSS(`#response-method-prompt a`))), 200)
	tb.WantText("the record of contact page", "Add a file or a record of contact", "How did it come?")
	tb.Look("response-method-contact")
	if !tb.Checked("how-visit") {
		t.Error("the record of contact page did not start with a visit chosen for a face-to-face answer")
	}
	tb.TypeInto("from", "Ada Resident")
	tb.TypeInto("text", "Met Ada at home: the lift repair is booked for Friday.")
	tb.WantStatus("record the conversation", tb.Submit(`#file button[type="submit"]`), 200)
	tb.WantText("the case page with the conversation", "Visit from Ada Resident", "the lift repair is booked for Friday")
}
