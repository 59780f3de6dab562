package portal_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var jo = complaint.Person{Name: "Jo Whitfield", Email: "jo.whitfield@example.org", Postcode: "RV1 2AB"}

func TestTrackingListsLettersForDownloadAfterTheCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	pdf := []byte("%PDF-1.7 the acknowledgement letter")
	sum := sha256.Sum256(pdf)
	l := store.Letter{Kind: "stage1_acknowledgement", Title: "Acknowledgement of your complaint", Stage: 1, IssuedAt: monday, IssuedBy: officer.Email,
		Channel: "email", Recipient: jo.Email, Subject: "Your complaint", Body: "Dear Jo", PDF: pdf, SHA256: hex.EncodeToString(sum[:])}
	_, l, err := e.db.IssueLetter(context.Background(), k.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256},
			complaint.Env{Now: monday, Actor: officer, Policy: e.pol, Calendar: e.cal, NewReference: nr})
	}, l, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := "/track/" + k.Reference + "/letters/" + itoa(l.ID)

	c := e.client()
	wantRedirect(t, "a letter without proof", c.get(path), "/track?reference="+k.Reference)
	c.track(k.Reference)
	r := c.get("/track/" + k.Reference)
	wantText(t, "the case", r, "Letters we have sent you", "Acknowledgement of your complaint "+monday.Format("2 January 2006"))
	if !strings.Contains(r.Body, `href="`+path+`"`) {
		t.Errorf("the case page does not link the letter")
	}
	noText(t, "the case", r, officer.Email)
	r = c.get(path)
	wantStatus(t, "download the letter", r, 200)
	if r.Body != string(pdf) || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("letter: %q as %s, %s", r.Body, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	wantStatus(t, "no such letter", c.get("/track/"+k.Reference+"/letters/999"), 404)
}

func TestConfidentialCasesNeverNameStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.db.CreateUser(context.Background(), store.User{Email: officer.Email, Name: "Olivia Officer", Role: "officer"}); err != nil {
		t.Fatal(err)
	}
	for _, confidential := range []bool{false, true} {
		k := e.newCase(complaint.Create{Complainant: jo, Summary: "About a member of staff", Confidential: confidential})
		e.staff(k.Reference, complaint.Acknowledge{Points: []string{"Rudeness"}})
		c := e.client()
		c.track(k.Reference)
		r := c.get("/track/" + k.Reference)
		wantStatus(t, "the case", r, 200)
		wantText(t, "the case", r, "Status Being looked into")
		if confidential {
			noText(t, "a confidential case", r, "Olivia Officer", officer.Email, "Dealt with by")
		} else {
			wantText(t, "a case", r, "Dealt with by Olivia Officer")
			noText(t, "a case", r, officer.Email)
		}
	}
}

func TestResidentAddsInformationAndFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	c := e.client()
	wantRedirect(t, "add information without proof", c.get("/track/"+k.Reference+"/add-information"), "/track?reference="+k.Reference)
	c.track(k.Reference)
	path := "/track/" + k.Reference + "/add-information"
	wantStatus(t, "add information page", c.get(path), 200)

	r := c.postFiles(path, url.Values{"text": {"  "}})
	wantStatus(t, "nothing sent", r, 400)
	wantErrors(t, "nothing sent", r, map[string]string{"text": "Enter the information you want to send, or choose a file"})
	r = c.postFiles(path, url.Values{"text": {"It failed again"}}, upload{"photo.jpg", exeFile})
	wantStatus(t, "a program as a photo", r, 400)
	wantErrors(t, "a program as a photo", r, map[string]string{"files": "photo.jpg is not a file we can accept"})
	if !strings.Contains(r.Body, "It failed again") {
		t.Errorf("the message typed is not shown again")
	}
	if got := e.getCase(k.Reference); got.Version != k.Version {
		t.Errorf("refused information changed the case: version %d, was %d", got.Version, k.Version)
	}

	r = c.postFiles(path, url.Values{"text": {"It failed again on Sunday."}}, upload{"boiler.png", pngFile})
	wantRedirect(t, "send information", r, "/track/"+k.Reference+"?done=information")
	wantText(t, "banner", c.get(r.Location), "Thank you: we have added what you sent to your case.")
	atts, err := e.db.Attachments(context.Background(), k.Reference)
	if err != nil {
		t.Fatalf("the case's files: %v", err)
	}
	if len(atts) != 1 || atts[0].Name != "boiler.png" || atts[0].Source != "portal" || atts[0].AddedBy != "resident (web form)" {
		t.Errorf("attachments %+v", atts)
	}
	last := e.lastEvent(k.Reference)
	if last.Kind != complaint.EventInformationAdded || !strings.Contains(last.Actor, "resident") || !strings.Contains(string(mustJSON(t, last.Data)), "It failed again on Sunday.") {
		t.Errorf("last event %+v", last)
	}
}

// Issue 12, rule 1: decisions recorded without the response letter are
// a draft; the resident's page says when the reply is due, not that it
// was sent, and offers no stage 2 until it has gone.
func TestTrackingPageDoesNotCallADraftReplySent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withPolicy(t, "customer-feedback"))
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	e.clock.advance(30 * time.Minute)
	e.staff(k.Reference, complaint.Acknowledge{Points: []string{"The boiler"}})
	e.clock.advance(30 * time.Minute)
	k = e.staff(k.Reference, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It failed."}}})
	c := e.client()
	c.track(k.Reference)
	page := c.get("/track/" + k.Reference)
	wantText(t, "a drafted reply", page, "Our reply By "+pageDate(k.Stages[0].RespondBy))
	noText(t, "a drafted reply", page, "Sent on")
	wantStatus(t, "stage 2 before the letter", c.get("/track/"+k.Reference+"/stage-2"), 409)
	e.clock.advance(30 * time.Minute)
	k = e.sendResponse(k.Reference)
	wantText(t, "the reply sent", c.get("/track/"+k.Reference), "Our reply Sent on "+calendar.DateOf(k.Stages[0].RespondedAt).Start().Format("2 January 2006"))
}

func TestStage2WithinTheWindowNeedsNoReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withPolicy(t, "customer-feedback"))
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	c := e.client()
	c.track(k.Reference)
	path := "/track/" + k.Reference + "/stage-2"
	r := c.get(path)
	wantStatus(t, "stage 2 before the stage 1 reply", r, 409)
	wantText(t, "stage 2 before the stage 1 reply", r, "once we have sent our stage 1 reply")
	wantStatus(t, "ask anyway", c.post(path, nil), 409)

	e.clock.advance(30 * time.Minute)
	k = e.respondedCase2(k.Reference)
	by := k.Stages[0].EscalateBy
	if by.IsZero() {
		t.Fatal("the policy has no escalation window")
	}
	r = c.get("/track/" + k.Reference)
	wantText(t, "the case once replied", r, "Status We have replied", "Ask for stage 2 if you are unhappy with our reply (by "+pageDate(by)+")")
	r = c.get(path)
	wantStatus(t, "stage 2 page", r, 200)
	wantText(t, "stage 2 page", r, "You do not have to give reasons. You can ask until "+pageDate(by))
	noText(t, "stage 2 page", r, "Why are you asking now?")

	r = c.post(path, url.Values{"reason": {strings.Repeat("z", 5001)}})
	wantStatus(t, "a reason too long", r, 400)
	wantErrors(t, "a reason too long", r, map[string]string{"reason": "5000 characters or fewer"})

	wantRedirect(t, "ask for stage 2", c.post(path, url.Values{"reason": {""}}), "/track/"+k.Reference+"?done=stage-2")
	got := e.getCase(k.Reference)
	if got.Stage != 2 || len(got.Stages) != 2 {
		t.Fatalf("after asking: stage %d, stages %+v", got.Stage, got.Stages)
	}
	if got.Status != complaint.StatusReceived || got.Stages[1].Reason != "" || got.Stages[1].LateReason != "" {
		t.Errorf("after asking: stage %d, %s, %+v", got.Stage, got.Status, got.Stages[1])
	}
	r = c.get("/track/" + k.Reference + "?done=stage-2")
	wantText(t, "after asking", r, "We have your request for stage 2", "Stage Stage 2", "Asked for", "Acknowledged By "+pageDate(got.Stages[1].AcknowledgeBy))
	wantStatus(t, "ask again", c.get(path), 409)
	wantText(t, "ask again", c.get(path), "already at stage 2")
}

// respondedCase2 acknowledges and responds to an existing case.
func (e *env) respondedCase2(ref string) complaint.Case {
	e.t.Helper()
	e.staff(ref, complaint.Acknowledge{Points: []string{"The boiler"}})
	e.staff(ref, complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "It was fixed."}}})
	return e.sendResponse(ref)
}

func TestStage2AfterTheWindowNeedsAReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withPolicy(t, "customer-feedback"))
	k := e.respondedCase(complaint.Create{Complainant: jo, Summary: "Boiler"})
	by := k.Stages[0].EscalateBy
	e.clock.advance(40 * 24 * time.Hour)
	c := e.client()
	c.track(k.Reference)
	path := "/track/" + k.Reference + "/stage-2"
	r := c.get("/track/" + k.Reference)
	wantText(t, "the case", r, "Ask for stage 2 if you are unhappy with our reply")
	noText(t, "the case", r, "(by ")
	r = c.get(path)
	wantStatus(t, "late stage 2 page", r, 200)
	wantText(t, "late stage 2 page", r, "The time to ask for stage 2 ended on "+pageDate(by), "Why are you asking now?")

	r = c.post(path, url.Values{"reason": {"The boiler failed again"}})
	wantStatus(t, "late with no reason for it", r, 400)
	wantErrors(t, "late with no reason for it", r, map[string]string{"late-reason": "Tell us why you are asking for stage 2 now"})
	if !strings.Contains(r.Body, "The boiler failed again") {
		t.Errorf("the reason typed is not shown again")
	}
	if got := e.getCase(k.Reference); got.Stage != 1 || got.Version != k.Version {
		t.Errorf("a refused request changed the case: stage %d, version %d", got.Stage, got.Version)
	}
	wantRedirect(t, "late with a reason", c.post(path, url.Values{"reason": {"The boiler failed again"}, "late-reason": {"I was in hospital"}}), "/track/"+k.Reference+"?done=stage-2")
	got := e.getCase(k.Reference)
	if got.Stage != 2 || len(got.Stages) != 2 {
		t.Errorf("after a late request: stage %d, stages %+v", got.Stage, got.Stages)
	} else if got.Stages[1].Reason != "The boiler failed again" || got.Stages[1].LateReason != "I was in hospital" {
		t.Errorf("after a late request: stage %d, %+v", got.Stage, got.Stages[1])
	}
	if last := e.lastEvent(k.Reference); last.Kind != complaint.EventEscalated || last.Actor != "resident (web form)" {
		t.Errorf("last event %s by %s", last.Kind, last.Actor)
	}
}
