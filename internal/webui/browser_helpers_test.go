package webui_test

// The helpers of the browser tests, on internal/browsertest's browser and
// tabs: the real product on a 127.0.0.1 port with one user of each role,
// and signing in and out as them.

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// browserPassword is every test user's password.
const browserPassword = "correct horse battery staple 42"

// browser is the one Chromium of the test binary. Its tabs have
// browsertest.DefaultTabTimeout.
var browser browsertest.Browser

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// browserTab is one browser tab on one running Redress.
type browserTab struct {
	*browsertest.Tab
	t     *testing.T
	app   *app.App
	users map[string]store.User // by role
}

// newTab starts Redress with its five users and opens a tab on it, or
// skips the test when there is no Chromium.
func newTab(t *testing.T) *browserTab {
	t.Helper()
	browser.Start(t)
	tb := &browserTab{t: t, app: startRedress(t), users: map[string]store.User{}}
	srv := httptest.NewServer(tb.app.Handler())
	t.Cleanup(srv.Close)
	tb.createUsers()
	tb.Tab = browser.NewTab(t, srv.URL)
	return tb
}

// startRedress starts the real product, as main does, on a new database.
func startRedress(t *testing.T) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), app.Config{
		DB:          testdb.DSN(t),
		AuditKey:    testdb.AuditKey(),
		ServiceName: "Riverside Vale Homes complaints",
	}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// browserUsers are the people of the tests, one per role.
var browserUsers = []store.User{
	{Email: "olivia.officer@riversidevale.example", Name: "Olivia Officer", Role: string(auth.Officer)},
	{Email: "rahul.reviewer@riversidevale.example", Name: "Rahul Reviewer", Role: string(auth.Reviewer)},
	{Email: "maria.manager@riversidevale.example", Name: "Maria Manager", Role: string(auth.Manager)},
	{Email: "adam.admin@riversidevale.example", Name: "Adam Admin", Role: string(auth.Admin)},
	{Email: "vera.viewer@riversidevale.example", Name: "Vera Viewer", Role: string(auth.Viewer)},
}

// createUsers makes one user of each role, all with browserPassword.
func (tb *browserTab) createUsers() {
	tb.t.Helper()
	ctx := context.Background()
	// One hash serves every user: argon2id costs tens of milliseconds.
	hash, err := auth.HashPassword(browserPassword)
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, u := range browserUsers {
		u, err := tb.app.Store.CreateUser(ctx, u)
		if err != nil {
			tb.t.Fatal(err)
		}
		if err := tb.app.Store.SetPassword(ctx, u.ID, hash, false); err != nil {
			tb.t.Fatal(err)
		}
		tb.users[u.Role] = u
	}
}

// signIn signs in from the sign-in page the tab is on.
func (tb *browserTab) signIn(role string) int64 {
	tb.t.Helper()
	u, ok := tb.users[role]
	if !ok {
		tb.t.Fatalf("no %s user", role)
	}
	tb.TypeInto("email", u.Email)
	tb.TypeInto("password", browserPassword)
	return tb.Submit(`main form[action="/sign-in"] button[type="submit"]`)
}

// signOut signs out with the header's button and checks it lands on the
// sign-in page.
func (tb *browserTab) signOut() {
	tb.t.Helper()
	tb.WantStatus("sign out", tb.Submit(`form[action="/sign-out"] button`), 200)
	if h := browsertest.Eval[string](tb.Tab, `document.querySelector("h1").innerText`); h != "Sign in" {
		tb.t.Fatalf("after signing out the page is %q, want Sign in", h)
	}
}
