package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
)

func TestSurveyLinkIsSingleUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Boiler", Tenure: "low_cost_rental"})
	link, err := portal.NewSurveyLink(context.Background(), e.db, k.Reference, e.clock.Now(), e.base+"/")
	if err != nil {
		t.Fatal(err)
	}
	path, ok := strings.CutPrefix(link, e.base+"/survey/")
	if !ok || len(path) < 40 {
		t.Fatalf("survey link %q", link)
	}
	path = "/survey/" + path
	c := e.client()
	r := c.get(path)
	wantStatus(t, "survey", r, 200)
	wantText(t, "survey", r, "How satisfied are you with how we handled your complaint?", "Very satisfied", "Fairly satisfied",
		"Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied")

	r = c.post(path, url.Values{"comment": {"Slow"}})
	wantStatus(t, "no answer", r, 400)
	wantErrors(t, "no answer", r, map[string]string{"answer": "Select how satisfied you are"})
	r = c.post(path, url.Values{"answer": {"delighted"}})
	wantErrors(t, "an answer not offered", r, map[string]string{"answer": "Select how satisfied you are"})
	r = c.post(path, url.Values{"answer": {"fairly_satisfied"}, "comment": {strings.Repeat("c", 5001)}})
	wantErrors(t, "a long comment", r, map[string]string{"comment": "5000 characters or fewer"})
	inv, err := e.db.SurveyInviteByHash(context.Background(), hashHex(strings.TrimPrefix(path, "/survey/")))
	if err != nil || !inv.UsedAt.IsZero() {
		t.Fatalf("after bad answers the link is %+v, %v", inv, err)
	}
	if !inv.ExpiresAt.Equal(monday.Add(60 * 24 * time.Hour)) {
		t.Errorf("the link expires %s, want 60 days on", inv.ExpiresAt)
	}

	wantRedirect(t, "answer", c.post(path, url.Values{"answer": {"fairly_satisfied"}, "comment": {"Took a while, but fixed."}}), "/survey/thank-you")
	wantText(t, "thanks", c.get("/survey/thank-you"), "Thank you for your answer")
	day := calendar.DateOf(monday)
	counts, err := e.db.TSMCounts(context.Background(), day, day)
	if err != nil {
		t.Fatal(err)
	}
	if n := counts.Survey["fairly_satisfied"]; n.Total() != 1 {
		t.Errorf("survey counts %+v, want one fairly satisfied", counts.Survey)
	}

	r = c.get(path)
	wantStatus(t, "the link again", r, 410)
	wantText(t, "the link again", r, "You have already answered this survey")
	r = c.post(path, url.Values{"answer": {"very_dissatisfied"}})
	wantStatus(t, "answer again", r, 410)
	counts, err = e.db.TSMCounts(context.Background(), day, day)
	if err != nil {
		t.Fatal(err)
	}
	if n := counts.Survey["very_dissatisfied"]; n.Total() != 0 {
		t.Errorf("a second answer was recorded")
	}

	r = c.get("/survey/not-a-real-token")
	wantStatus(t, "an unknown link", r, 404)
	wantText(t, "an unknown link", r, "This survey link does not work")

	old, err := portal.NewSurveyLink(context.Background(), e.db, k.Reference, e.clock.Now(), e.base)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.advance(61 * 24 * time.Hour)
	oldPath := strings.TrimPrefix(old, e.base)
	r = c.get(oldPath)
	wantStatus(t, "an expired link", r, 410)
	wantText(t, "an expired link", r, "This survey link has expired")
	wantStatus(t, "answer an expired link", c.post(oldPath, url.Values{"answer": {"very_satisfied"}}), 410)

	if _, err := portal.NewSurveyLink(context.Background(), e.db, "C-2026-999999", e.clock.Now(), e.base); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a link for a case that does not exist: %v", err)
	}
}
