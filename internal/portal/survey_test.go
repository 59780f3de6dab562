package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/notify"
)

// surveyLink invites the resident of case ref to the survey as the
// notify relay does when a complaint is closed: a fresh token, the link
// and invitation notify.SurveyLink makes of it, and the invitation
// stored. The survey page is tested with the links residents are sent.
func (e *env) surveyLink(ref, baseURL string) (string, error) {
	link, inv := notify.SurveyLink(baseURL, notify.NewSurveyToken(), ref, e.clock.Now(), notify.DefaultSurveyValidFor)
	return link, e.db.InviteToSurvey(context.Background(), inv)
}

func TestSurveyLinkIsSingleUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Boiler", Tenure: "low_cost_rental"})
	link, err := e.surveyLink(k.Reference, e.base+"/")
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
	wantText(t, "survey", r, "How satisfied are you with how we handled your complaint?", "How satisfied are you with the outcome of your complaint?",
		"Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied")

	r = c.post(path, url.Values{"comment": {"Slow"}})
	wantStatus(t, "no answer", r, 400)
	wantErrors(t, "no answer", r, map[string]string{"answer": "Select how satisfied you are with how we handled your complaint",
		"outcome": "Select how satisfied you are with the outcome of your complaint"})
	r = c.post(path, url.Values{"answer": {"delighted"}, "outcome": {"fairly_satisfied"}})
	wantErrors(t, "an answer not offered", r, map[string]string{"answer": "Select how satisfied you are with how we handled your complaint"})
	r = c.post(path, url.Values{"answer": {"fairly_satisfied"}})
	wantStatus(t, "no outcome", r, 400)
	wantErrors(t, "no outcome", r, map[string]string{"outcome": "Select how satisfied you are with the outcome of your complaint"})
	r = c.post(path, url.Values{"answer": {"fairly_satisfied"}, "outcome": {"neither"}, "comment": {strings.Repeat("c", 5001)}})
	wantErrors(t, "a long comment", r, map[string]string{"comment": "5000 characters or fewer"})
	inv, err := e.db.SurveyInviteByHash(context.Background(), hashHex(strings.TrimPrefix(path, "/survey/")))
	if err != nil || !inv.UsedAt.IsZero() {
		t.Fatalf("after bad answers the link is %+v, %v", inv, err)
	}
	if !inv.ExpiresAt.Equal(monday.Add(60 * 24 * time.Hour)) {
		t.Errorf("the link expires %s, want 60 days on", inv.ExpiresAt)
	}

	wantRedirect(t, "answer", c.post(path, url.Values{"answer": {"fairly_satisfied"}, "outcome": {"neither"}, "comment": {"Took a while, but fixed."}}), "/survey/thank-you")
	r = c.get("/survey/thank-you")
	wantText(t, "thanks", r, "Thank you for your answers")
	noText(t, "thanks when satisfied", r, "you can complain")
	day := calendar.DateOf(monday)
	counts, err := e.db.TSMCounts(context.Background(), day, day)
	if err != nil {
		t.Fatal(err)
	}
	if n := counts.Survey["fairly_satisfied"]; n.Total() != 1 {
		t.Errorf("survey counts %+v, want one fairly satisfied", counts.Survey)
	}
	if n := counts.Outcome["neither"]; n.Total() != 1 {
		t.Errorf("outcome counts %+v, want one neither", counts.Outcome)
	}

	r = c.get(path)
	wantStatus(t, "the link again", r, 410)
	wantText(t, "the link again", r, "You have already answered this survey")
	r = c.post(path, url.Values{"answer": {"very_dissatisfied"}, "outcome": {"very_dissatisfied"}})
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

	old, err := e.surveyLink(k.Reference, e.base)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.advance(61 * 24 * time.Hour)
	oldPath := strings.TrimPrefix(old, e.base)
	r = c.get(oldPath)
	wantStatus(t, "an expired link", r, 410)
	wantText(t, "an expired link", r, "This survey link has expired")
	wantStatus(t, "answer an expired link", c.post(oldPath, url.Values{"answer": {"very_satisfied"}, "outcome": {"very_satisfied"}}), 410)

	if _, err := e.surveyLink("C-2026-999999", e.base); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a link for a case that does not exist: %v", err)
	}
}

// A resident who answers either question dissatisfied is told, on the
// thank-you page, how to complain: answering a survey is not a complaint
// (Code 1.6). At stage 1 that is stage 2, a new complaint or, after the
// final reply, the Ombudsman, with the policy's contact text.
func TestDissatisfiedSurveyAnswerSaysHowToComplain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tt := range []struct {
		name            string
		answer, outcome string
	}{
		{"dissatisfied with the outcome only", "very_satisfied", "fairly_dissatisfied"},
		{"dissatisfied with the handling only", "very_dissatisfied", "neither"},
	} {
		k := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Boiler " + tt.name, Tenure: "low_cost_rental"})
		link, err := e.surveyLink(k.Reference, e.base)
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		r := c.post(strings.TrimPrefix(link, e.base), url.Values{"answer": {tt.answer}, "outcome": {tt.outcome}})
		wantRedirect(t, tt.name, r, "/survey/thank-you?dissatisfied=1")
		r = c.get("/survey/thank-you?dissatisfied=1")
		wantStatus(t, tt.name, r, 200)
		wantText(t, tt.name, r, "If you are unhappy, you can complain", "Answering this survey is not making a complaint",
			"ask for stage 2", "make a new complaint", "Housing Ombudsman", "PO Box 1484")
		for _, href := range []string{`href="/track"`, `href="/complain"`} {
			if !strings.Contains(r.Body, href) {
				t.Errorf("%s: the page has no link %s", tt.name, href)
			}
		}
	}
	// After the final reply the next step is the Ombudsman, not stage 2.
	r := e.client().get("/survey/thank-you?dissatisfied=1&stage=2")
	wantText(t, "after stage 2", r, "since you have had our final reply")
	noText(t, "after stage 2", r, "ask for stage 2")
}
