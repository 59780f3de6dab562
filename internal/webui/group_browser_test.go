package webui_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// TestAGroupsMembersAreSentTheResponseInTheBrowser (issue 19, item 6;
// 003: "Where we provide a written response we will make this available
// to all petitioners"): an officer records a petition and its members on
// a complaint whose stage 1 response has gone to the point of contact,
// is told which line lacks a way to reach the member, corrects it, and
// sends every member a copy: the members' table shows each copy, by
// email or by post. Every page is axe clean.
func TestAGroupsMembersAreSentTheResponseInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ctx := context.Background()
	officer := tb.users["officer"]
	cw := &casework.Service{Store: tb.app.Store, Policy: tb.app.Policy, Calendar: tb.app.Cal, Log: slog.New(slog.DiscardHandler), Now: clock.Wall}
	received := clock.Wall().Add(-3 * time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "The lifts at Mill Court have been broken for a month"},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: officer.Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Reference
	for _, cmd := range []complaint.Command{
		complaint.Acknowledge{Points: []string{"The lifts have been broken for a month"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The repair took too long."}}},
	} {
		if c, err = cw.Apply(ctx, officer, ref, 0, time.Time{}, cmd); err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	d, err := cw.DraftLetter(ctx, c, letters.Stage1Response)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cw.IssueDraft(ctx, officer, c, d, casework.ChannelEmail, 0); err != nil {
		t.Fatal(err)
	}

	tb.WantStatus("open the complaint signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the complaint before a group is recorded", "Group or petition", "Not a group complaint or petition")
	tb.Disclose("group")
	tb.TypeInto("group-group-name", "Mill Court residents")
	tb.TypeInto("group-point-of-contact", "Ada Resident")
	tb.TypeInto("group-members", "Ada Resident, ada@example.org\nBo Chen\nCy Dee, cy@example.org")
	submit := `form[action="/cases/` + ref + `/group"] button[type="submit"]`
	tb.WantStatus("save a member without a way to reach them", tb.Submit(submit), 400)
	tb.WantFieldError(tb.ErrorSummary("the group form"), "group-members", "Line 2: give Bo Chen's email or postal address")
	tb.Look("group-errors")

	tb.SelectOption("group-members", "Ada Resident, ada@example.org\nBo Chen, 2 Mill Court, SR3 3XR\nCy Dee, cy@example.org")
	tb.WantStatus("save the group", tb.Submit(submit), 200)
	tb.WantText("the group recorded", "Mill Court residents: 3 members", "Point of contact: Ada Resident", "2 Mill Court, SR3 3XR", "Not sent",
		"3 members have not been sent the Stage 1 response")
	tb.Look("group-recorded")

	tb.WantStatus("send every member a copy", tb.Submit(`form[action="/cases/`+ref+`/group-copies"] button[type="submit"]`), 200)
	rows := tb.TableRows("Members and their copies of the Stage 1 response")
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]] = r[len(r)-1]
	}
	if len(got) != 3 || !strings.HasPrefix(got["Ada Resident"], "Sent by email") || !strings.HasPrefix(got["Bo Chen"], "Sent by post") || !strings.HasPrefix(got["Cy Dee"], "Sent by email") {
		t.Errorf("the members' copies = %v", got)
	}
	tb.WantText("the timeline of the copies", "Copy to Bo Chen by post", "Copy to Cy Dee by email")
	tb.NoText("the copies sent", "Send a copy to every member")
	tb.Look("group-copies-sent")
}
