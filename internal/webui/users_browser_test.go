package webui_test

// User administration in a browser (issue 22, item 1): a leaver is
// deactivated and everything they hold stops at once; a password is reset
// by a link emailed through a real SMTP server.

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/mail"
	"github.com/redresshq/redress/internal/mail/mailtest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// userAdminSite is the real product, knowing its own address (the base
// URL reset links are made from), with its five users.
type userAdminSite struct {
	app  *app.App
	base string
	// users are the five users by role, for every tab.
	users map[string]store.User
}

func startUserAdminSite(t *testing.T) *userAdminSite {
	t.Helper()
	browser.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	a, err := app.New(context.Background(), app.Config{
		DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), ServiceName: "Riverside Vale Homes complaints", BaseURL: base,
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: a.Handler()}}
	srv.Start()
	t.Cleanup(srv.Close)
	s := &userAdminSite{app: a, base: base, users: map[string]store.User{}}
	first := s.tab(t)
	first.createUsers()
	return s
}

// tab opens a tab of its own (its own cookies) on the site.
func (s *userAdminSite) tab(t *testing.T) *browserTab {
	t.Helper()
	return &browserTab{Tab: browser.NewTab(t, s.base), t: t, app: s.app, users: s.users}
}

// TestDeactivatedUserIsStoppedAtOnceInABrowser: the officer is signed in
// and holds an API token and an open case; the admin deactivates them
// from their page, and at once the officer's next page sends them to
// sign in, their token is a 401 and signing in again is refused. The
// officer's case is on the "owner has left" list, counted on /users; the
// admin reactivates them and changes their role, and every change is in
// the audit on /users. Each page passes axe, without JavaScript.
func TestDeactivatedUserIsStoppedAtOnceInABrowser(t *testing.T) {
	t.Parallel()
	s := startUserAdminSite(t)
	ctx := context.Background()
	officer := s.tab(t)
	admin := s.tab(t)
	admin.DisableJavaScript()
	o := s.users["officer"]

	// The officer's case and token.
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: o.Email, Role: "officer"}, Policy: s.app.Policy, Calendar: s.app.Cal, NewReference: ref}
	}
	c, err := s.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "The boiler is still broken"}, env(ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err = s.app.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Assign{Handler: o.Email, HandlerRole: "officer"}, env(ref))
	})
	if err != nil || c.Handler != o.Email {
		t.Fatalf("assign the case: %v (handler %q)", err, c.Handler)
	}
	token, hash := auth.NewToken()
	if err := s.app.Store.AddToken(ctx, o.ID, hash, "script"); err != nil {
		t.Fatal(err)
	}
	api := func() int {
		t.Helper()
		req, _ := http.NewRequest("GET", s.base+"/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	officer.WantStatus("open", officer.Open("/"), 200)
	officer.WantStatus("sign in as the officer", officer.signIn("officer"), 200)
	officer.WantPath("signed in", "/")
	if got := api(); got != 200 {
		t.Fatalf("the officer's token before: %d", got)
	}

	admin.WantStatus("open", admin.Open("/"), 200)
	admin.WantStatus("sign in as the admin", admin.signIn("admin"), 200)
	admin.WantStatus("the officer's page", admin.Open(fmt.Sprintf("/users/%d", o.ID)), 200)
	if got := admin.SummaryValue("Active sessions"); got != "1" {
		t.Errorf("the officer's active sessions: %q, want 1", got)
	}
	admin.Look("user")
	admin.WantStatus("deactivate", admin.Submit("#deactivate"), 200)
	admin.WantText("deactivated", "The user is deactivated")
	if got := admin.SummaryValue("Active sessions"); got != "0" {
		t.Errorf("after deactivating, active sessions: %q, want 0", got)
	}
	admin.Look("user-deactivated")

	// At once: the next page, the token and a new sign-in are refused.
	officer.WantStatus("the officer's next page", officer.Open("/cases"), 200)
	officer.WantPath("the officer's next page", "/sign-in?next=%2Fcases")
	if got := api(); got != http.StatusUnauthorized {
		t.Errorf("the officer's token after deactivation: %d, want 401", got)
	}
	officer.WantStatus("sign in again", officer.signIn("officer"), http.StatusForbidden)
	officer.WantFieldError(officer.ErrorSummary("sign in again"), "email", "This account has been deactivated: ask an admin if you need it again")
	officer.Look("sign-in-deactivated")

	admin.WantStatus("users", admin.Open("/users"), 200)
	admin.WantText("users", "Work whose owner has left: 1 open case and 0 outstanding actions", "Deactivated")
	admin.Look("users")
	admin.WantStatus("owner has left", admin.Submit(`#owner-left a`), 200)
	wantTableRows(t, "owner has left", admin.TableRows("1 open case"), [][]string{
		{c.Reference, "The boiler is still broken", "1", o.Name + " " + o.Email},
	})
	admin.Look("users-left")
	admin.WantStatus("the case", admin.Submit(`#left-cases a`), 200)
	admin.WantPath("the case", "/cases/"+c.Reference)

	admin.WantStatus("the officer's page", admin.Open(fmt.Sprintf("/users/%d", o.ID)), 200)
	admin.WantStatus("reactivate", admin.Submit("#reactivate"), 200)
	admin.WantText("reactivated", "The user is reactivated")
	admin.SelectOption("role", "reviewer")
	admin.WantStatus("change role", admin.Submit(fmt.Sprintf(`form[action="/users/%d/role"] button`, o.ID)), 200)
	if got := admin.SummaryValue("Role"); got != "reviewer" {
		t.Errorf("the role after the change: %q", got)
	}
	if got := api(); got != http.StatusUnauthorized {
		t.Errorf("the revoked token after reactivation: %d, want 401", got)
	}
	admin.WantStatus("users", admin.Open("/users"), 200)
	rows := admin.TableRows("Latest changes first")
	if len(rows) != 3 || rows[0][2] != "Role changed" || rows[1][2] != "Reactivated" || rows[2][2] != "Deactivated" ||
		rows[0][1] != s.users["admin"].Email || rows[2][3] != o.Email || rows[0][4] != "officer to reviewer" {
		t.Errorf("the user audit on /users: %q", rows)
	}
	officer.WantStatus("back to sign in", officer.Open("/cases"), 200)
	officer.WantStatus("sign in after reactivation", officer.signIn("officer"), 200)
	officer.WantPath("signed in after reactivation", "/cases")
}

// resetLink finds the reset link in a message as sent, quoted-printable
// or not.
var resetLink = regexp.MustCompile(`/reset-password\?token=([A-Za-z0-9_-]{43})`)

func linkIn(t *testing.T, m mailtest.Message) string {
	t.Helper()
	raw := strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(string(m.Data))
	got := resetLink.FindStringSubmatch(raw)
	if got == nil {
		t.Fatalf("no reset link in the message:\n%s", m.Data)
	}
	return got[0]
}

// TestPasswordResetByEmailInABrowser: the viewer, signed in elsewhere,
// forgets their password; "Forgot your password?" emails a link through
// the in-process SMTP server; following it, they set a password, which
// signs their other browser out, and sign in with it. The link then
// fails with a clear message, and an unknown address gets the same page
// and no mail. Each page passes axe.
func TestPasswordResetByEmailInABrowser(t *testing.T) {
	t.Parallel()
	s := startUserAdminSite(t)
	ctx := context.Background()
	sink := mailtest.Start(t, mailtest.Options{})
	sender, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: sink.Port(), Security: mail.None, From: "Riverside Vale Homes <complaints@riversidevale.example>"})
	if err != nil {
		t.Fatal(err)
	}
	d := &mail.Dispatcher{Outbox: s.app.Store, Sender: sender, Logger: slog.New(slog.DiscardHandler), Clock: clock.Wall}
	send := func() {
		t.Helper()
		if _, failed, err := d.RunOnce(ctx); err != nil || failed != 0 {
			t.Fatalf("sending the outbox: %d failed, %v", failed, err)
		}
	}
	v := s.users["viewer"]
	elsewhere := s.tab(t)
	elsewhere.WantStatus("open", elsewhere.Open("/"), 200)
	elsewhere.WantStatus("sign in elsewhere", elsewhere.signIn("viewer"), 200)

	tb := s.tab(t)
	tb.WantStatus("sign-in page", tb.Open("/sign-in"), 200)
	tb.WantStatus("forgot password", tb.Submit("#forgot-password"), 200)
	tb.Look("forgot-password")
	tb.WantStatus("no address", tb.Submit(`form[action="/forgot-password"] button`), 400)
	tb.WantFieldError(tb.ErrorSummary("no address"), "email", "Enter your email address")
	tb.TypeInto("email", "nobody@riversidevale.example")
	tb.WantStatus("an unknown address", tb.Submit(`form[action="/forgot-password"] button`), 200)
	unknown := tb.MainText()
	send()
	if got := sink.Received(); len(got) != 0 {
		t.Fatalf("an unknown address was sent %d messages", len(got))
	}

	tb.WantStatus("back to sign in", tb.Submit(`main a[href="/sign-in"]`), 200)
	tb.WantStatus("forgot password again", tb.Submit("#forgot-password"), 200)
	tb.TypeInto("email", strings.ToUpper(v.Email))
	tb.WantStatus("the viewer's address", tb.Submit(`form[action="/forgot-password"] button`), 200)
	if known := tb.MainText(); known != unknown {
		t.Errorf("the page differs for a known address:\n%s\nfrom the unknown one's:\n%s", known, unknown)
	}
	tb.WantText("sent", "If that address has an account, we have sent a link")
	tb.Look("forgot-password-sent")
	send()
	wait, cancel := context.WithTimeout(ctx, mailtest.Bound)
	defer cancel()
	msgs, err := sink.WaitReceived(wait, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != v.Email {
		t.Fatalf("the messages: %+v", msgs)
	}
	link := linkIn(t, msgs[0])
	if strings.Contains(string(msgs[0].Data), "Someone asked to reset the password") == false {
		t.Errorf("the mail does not say why it was sent:\n%s", msgs[0].Data)
	}

	tb.WantStatus("follow the link", tb.Open(link), 200)
	tb.WantText("the reset page", "Choose a new password", v.Email)
	tb.Look("reset-password")
	tb.TypeInto("new", "short")
	tb.TypeInto("confirm", "short")
	tb.WantStatus("a short password", tb.Submit(`form[action="/reset-password"] button`), 400)
	tb.WantFieldError(tb.ErrorSummary("a short password"), "new", "Choose a new password")
	const fresh = "a brand new passphrase 2026"
	tb.TypeInto("new", fresh)
	tb.TypeInto("confirm", fresh)
	tb.WantStatus("set the password", tb.Submit(`form[action="/reset-password"] button`), 200)
	tb.WantPath("after setting it", "/sign-in?reset=1")
	tb.WantText("after setting it", "Your new password is set")
	tb.Look("password-set")

	// The other browser is signed out.
	elsewhere.WantStatus("the other browser", elsewhere.Open("/cases"), 200)
	elsewhere.WantPath("the other browser", "/sign-in?next=%2Fcases")

	tb.TypeInto("email", v.Email)
	tb.TypeInto("password", fresh)
	tb.WantStatus("sign in with the new password", tb.Submit(`main form[action="/sign-in"] button[type="submit"]`), 200)
	tb.WantPath("signed in", "/")

	tb.WantStatus("the link again", tb.Open(link), http.StatusGone)
	tb.WantText("the link again", "This password reset link has already been used")
	tb.Look("reset-link-used")

	audit, err := s.app.Store.UserAudit(ctx, v.ID, 10)
	if err != nil || len(audit) != 2 || audit[0].Action != store.UserPasswordResetLink || audit[1].Action != store.UserResetLinkSent || audit[1].Actor != "" {
		t.Errorf("the audit: %+v, %v", audit, err)
	}
}
