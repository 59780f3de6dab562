package webui_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
	"github.com/redresshq/redress/internal/webui"
)

// shortIdle is the idle timeout of the browser tests of no lost work:
// short enough to reach in a test, long enough that the warning before it
// (at half of it, for one this short) leaves time to press its button on
// a loaded machine.
const shortIdle = 24 * time.Second

// idleSite is the staff pages with a short idle timeout, in a browser
// tab. Its clock is the real one plus skip, which a test moves on to end
// a session without waiting: the browser's clock, which runs the
// warning's timer and the cookies' Max-Age, is the real one, and moving
// the server's forward never makes it disagree about what has expired.
type idleSite struct {
	*browsertest.Tab
	t    *testing.T
	st   *sqldb.DB
	p    *policy.Policy
	skip atomic.Int64 // nanoseconds added to the real clock
}

func (s *idleSite) now() time.Time { return clock.Wall().Add(time.Duration(s.skip.Load())) }

func (s *idleSite) advance(d time.Duration) { s.skip.Add(int64(d)) }

func newIdleSite(t *testing.T) *idleSite {
	t.Helper()
	browser.Start(t)
	st, err := sqldb.Open(context.Background(), testdb.DSN(t), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, cal := policytest.Code(t)
	s := &idleSite{t: t, st: st, p: p}
	web, err := webui.New(&webui.Server{Store: st, Policy: p, Calendar: cal, Log: slog.New(slog.DiscardHandler),
		Now: s.now, ServiceName: "Test complaints", IdleTimeout: shortIdle})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.Handler())
	t.Cleanup(srv.Close)
	hash, err := auth.HashPassword(browserPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(context.Background(), store.User{Email: "olivia.officer@example.org", Name: "Olivia Officer", Role: string(auth.Officer)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(context.Background(), u.ID, hash, false); err != nil {
		t.Fatal(err)
	}
	s.Tab = browser.NewTab(t, srv.URL)
	return s
}

// signIn signs in from the sign-in page the tab is on.
func (s *idleSite) signIn() int64 {
	s.t.Helper()
	s.TypeInto("email", "olivia.officer@example.org")
	s.TypeInto("password", browserPassword)
	return s.Submit(`main form[action="/sign-in"] button[type="submit"]`)
}

// waitFor polls the page until the JavaScript condition holds, failing the
// test after within.
func (s *idleSite) waitFor(what, cond string, within time.Duration) {
	s.t.Helper()
	for end := clock.Wall().Add(within); ; time.Sleep(200 * time.Millisecond) {
		if browsertest.Eval[bool](s.Tab, cond) {
			return
		}
		if clock.Wall().After(end) {
			s.t.Fatalf("%s did not happen within %s; page:\n%s", what, within, s.MainText())
		}
	}
}

// Issue 16, item 5, part 3: before the idle timeout a signed-in page
// warns, accessibly, and "Stay signed in" keeps the session for a whole
// idle timeout from the click.
func TestTheWarningBeforeTheIdleTimeoutLetsTheOfficerStaySignedIn(t *testing.T) {
	s := newIdleSite(t)
	s.WantStatus("the sign-in page", s.Open("/"), 200)
	s.WantStatus("sign in", s.signIn(), 200)
	signedInAt := clock.Wall()
	if got := browsertest.Eval[string](s.Tab, `document.body.dataset.idleTimeout`); got != "24" {
		t.Fatalf("the page carries an idle timeout of %q seconds, want 24", got)
	}
	if browsertest.Eval[bool](s.Tab, `!!document.getElementById("session-notice")`) {
		t.Fatal("the warning is shown at once")
	}
	// session.js is the signed-in page's one script, and starts the
	// components as init.js does on every other page.
	s.waitFor("the components to start", `document.body.classList.contains("govuk-frontend-supported")`, 10*time.Second)
	s.waitFor("the warning", `!!document.getElementById("stay-signed-in")`, shortIdle)
	if waited := clock.Wall().Sub(signedInAt); waited < shortIdle/2-2*time.Second {
		t.Errorf("the warning came %s after the page, want about %s", waited, shortIdle/2)
	}
	s.WantText("the warning", "You will be signed out soon", "Stay signed in")
	if role := browsertest.Eval[string](s.Tab, `document.getElementById("session-notice").getAttribute("role")`); role != "alert" {
		t.Errorf("the warning's role is %q, want alert, so that it is announced", role)
	}
	s.Look("session-warning")

	s.Do("stay signed in", chromedp.Click(chromedp.ID("stay-signed-in")))
	s.waitFor("the confirmation", `(document.getElementById("session-notice") || {}).textContent.includes("You are still signed in")`, 10*time.Second)
	clicked := clock.Wall()
	if !browsertest.Eval[bool](s.Tab, `document.activeElement === document.getElementById("session-notice")`) {
		t.Errorf("the focus was lost with the button, not given to the confirmation")
	}
	s.Look("session-stayed")

	// Past the timeout from signing in, within it from the click.
	s.advance(shortIdle - clock.Wall().Sub(signedInAt) + 2*time.Second)
	if clock.Wall().Sub(clicked)+2*time.Second >= shortIdle {
		t.Skip("the machine was too slow to tell staying signed in from not")
	}
	s.WantStatus("a page after staying signed in", s.Open("/cases"), 200)
	if strings.Contains(s.MainText(), "Sign in") && !strings.Contains(s.MainText(), "Signed in as") {
		t.Errorf("staying signed in did not keep the session:\n%s", s.MainText())
	}
}

// The done-when test of issue 16, item 5, in a browser: the officer types
// a note, the session ends before they send it, they sign in again and
// the note is on the case page, once, as typed.
func TestANoteTypedAsTheSessionEndedIsOnTheCaseAfterSigningInInABrowser(t *testing.T) {
	s := newIdleSite(t)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	recv := s.now().Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "Damp in the bathroom"},
			complaint.Env{Now: s.now(), Actor: complaint.Actor{Email: "olivia.officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.WantStatus("the sign-in page", s.Open("/cases/"+c.Reference), 200)
	s.WantStatus("sign in", s.signIn(), 200)
	s.WantPath("signed in", "/cases/"+c.Reference)
	browsertest.Eval[bool](s.Tab, `document.querySelector('form[action$="/notes"]').closest("details").open = true`)
	const note = "Rang Ms Resident: the damp is back & the £40 voucher hasn't come."
	s.Do("type the note", chromedp.SendKeys(chromedp.CSS(`form[action$="/notes"] textarea`), note))

	s.advance(shortIdle + time.Minute) // a long phone call
	s.WantStatus("send the note", s.Submit(`form[action$="/notes"] button[type="submit"]`), 200)
	s.WantPath("after the session ended", "/sign-in?next=%2Fcases%2F"+c.Reference)
	s.WantText("the sign-in page", "It has been kept for 2 hours: sign in and it will be sent.")
	s.Look("sign-in-kept")

	s.WantStatus("sign in again", s.signIn(), 200)
	s.WantPath("signed in again", "/cases/"+c.Reference)
	s.WantText("the case page", note)
	events, err := s.st.CaseEvents(context.Background(), c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == complaint.EventNoteAdded {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notes recorded, want 1", n)
	}
}
