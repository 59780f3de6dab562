package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/portal"
)

func TestHoneypotDropsTheFormWithAnOrdinaryConfirmation(t *testing.T) {
	t.Parallel()
	for _, where := range []string{"a question page", "the send button"} {
		t.Run(where, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			a := goodAnswers()
			send := url.Values{}
			if where == "a question page" {
				a["what-happened"].Set("website", "http://spam.example")
			} else {
				send.Set("website", "http://spam.example")
			}
			c.fillTo("check", a)
			wantStatus(t, "check page", c.get("/complain/check"), 200)
			r := c.post("/complain/check", send)
			wantStatus(t, "send", r, 200)
			wantText(t, "send", r, "We have your complaint", "What happens next")
			noText(t, "send", r, "Your reference", "C-2026")
			if cases := e.listCases(); len(cases) != 0 {
				t.Errorf("a form filled in by a program made %d cases", len(cases))
			}
			if _, err := e.db.Draft(context.Background(), c.draftHash(), e.clock.Now()); complaint.ErrorCode(err) != complaint.NotFound {
				t.Errorf("the dropped form was kept: %v", err)
			}
		})
	}
}

func TestHoneypotIsHiddenFromPeopleAndScreenReaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().get("/complain/kind")
	want := `<div class="govuk-visually-hidden" aria-hidden="true">
  <label for="website">Leave this field empty</label>
  <input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">
</div>`
	if !strings.Contains(r.Body, want) {
		t.Errorf("the hidden field is not as it should be; page:\n%s", r.Body)
	}
}

func TestRateLimitsPerClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *portal.Server) { s.TrackLimit, s.SubmitLimit, s.FormLimit = 3, 1, 2 })
	k := e.newCase(complaint.Create{Complainant: jo, Summary: "Boiler"})

	// Tracking: three tries an hour, then a GOV.UK page saying so.
	c := e.client()
	for i := 0; i < 3; i++ {
		wantStatus(t, "a wrong guess", c.post("/track", url.Values{"reference": {k.Reference}, "code": {"00000-00000"}}), 400)
	}
	r := c.post("/track", url.Values{"reference": {k.Reference}, "code": {e.trackingCode(k.Reference)}})
	wantStatus(t, "a fourth try", r, http.StatusTooManyRequests)
	wantText(t, "a fourth try", r, "Sorry, there have been too many attempts", "Try again in an hour")
	if !strings.Contains(r.Body, `class="govuk-heading-l"`) || r.Header.Get("Retry-After") == "" {
		t.Errorf("the 429 page is not a GOV.UK page with Retry-After")
	}
	// Someone else is not held up; the first client gets a try back
	// after a third of an hour.
	other := e.client()
	other.header.Set(clientHeader, "192.0.2.7")
	other.track(k.Reference)
	e.clock.advance(20*time.Minute + time.Second)
	c.track(k.Reference)
	wantStatus(t, "the next try", c.post("/track", url.Values{"reference": {k.Reference}, "code": {e.trackingCode(k.Reference)}}), http.StatusTooManyRequests)

	// Sending: one an hour here.
	s := e.client()
	s.header.Set(clientHeader, "198.51.100.1")
	s.fillTo("check", goodAnswers())
	s.send()
	s.fillTo("check", goodAnswers())
	r = s.post("/complain/check", nil)
	wantStatus(t, "a second form in the hour", r, http.StatusTooManyRequests)
	if cases := e.listCases(); len(cases) != 2 { // k and the first form
		t.Errorf("%d cases, want 2", len(cases))
	}
	// New forms: two an hour here, and the second is used.
	r = s.post("/complain/kind", url.Values{"kind": {"unhappy"}})
	wantStatus(t, "a third new form", r, 303) // the unsent second form is reused
	f := e.client()
	f.header.Set(clientHeader, "198.51.100.1")
	wantStatus(t, "a third new form from another browser", f.post("/complain/kind", url.Values{"kind": {"unhappy"}}), http.StatusTooManyRequests)
}

func TestLimiterRefillsEvenly(t *testing.T) {
	t.Parallel()
	// Exercised through the server above; here the arithmetic.
	e := newEnv(t, func(s *portal.Server) { s.TrackLimit = 30 })
	c := e.client()
	for i := 0; i < 30; i++ {
		c.post("/track", url.Values{"reference": {"C-2026-000001"}, "code": {"00000-00000"}})
	}
	wantStatus(t, "31st", c.post("/track", nil), http.StatusTooManyRequests)
	e.clock.advance(2 * time.Minute)
	wantStatus(t, "two minutes on", c.post("/track", nil), 400)
	wantStatus(t, "and again", c.post("/track", nil), http.StatusTooManyRequests)
}

// A body no page sends, such as a bad %-escape, is the sender's mistake:
// a 400 saying the form could not be read, never a 500, on every form.
func TestMalformedFormBodiesAreRefusedWith400(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	before := len(e.listCases())
	for _, path := range []string{"/track", "/track/email", "/complain/check", "/complain/about", "/survey/some-token"} {
		req, err := http.NewRequest("POST", e.base+path, strings.NewReader("x=%zz&reference=%"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := c.do(req)
		if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "The form could not be read") {
			t.Errorf("POST %s with a bad escape: %d, want 400 saying the form could not be read\n%.300s", path, r.Status, r.Body)
		}
	}
	if after := len(e.listCases()); after != before {
		t.Errorf("malformed forms made %d cases", after-before)
	}
}
