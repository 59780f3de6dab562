package webui_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
)

// TestLockedAccountsInABrowser locks the viewer's account with guesses
// from many addresses, then: the viewer, in a browser that has not
// signed in before, is told why they cannot sign in; the admin sees the
// lock on the users page and clears it, without JavaScript; and the
// viewer signs in. Each page passes axe.
func TestLockedAccountsInABrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.DisableJavaScript()
	viewer := tb.users["viewer"]
	now := clock.Wall()
	l := store.SignInLimits{Since: now.Add(-15 * time.Minute), PerAccountAddress: 5, PerAddress: 20, PerAccount: 50, PerDevice: 5}
	for i := range 50 {
		if _, limit, err := tb.app.Store.BeginSignIn(context.Background(), store.SignInAttempt{Account: viewer.Email, Address: fmt.Sprintf("198.51.100.%d", i/5), At: now}, l); err != nil || limit != "" {
			t.Fatalf("guess %d: limit %q, %v", i, limit, err)
		}
	}

	tb.WantStatus("open", tb.Open("/"), 200)
	tb.WantStatus("sign in to a locked account", tb.signIn("viewer"), 429)
	errs := tb.ErrorSummary("sign in to a locked account")
	tb.WantFieldError(errs, "email", "from browsers it has not been used with")
	tb.Look("sign-in-locked")

	tb.Do("clear email", chromedp.Clear(chromedp.ID("email")))
	tb.WantStatus("sign in as the admin", tb.signIn("admin"), 200)
	tb.WantStatus("users", tb.Open("/users"), 200)
	wantTableRows(t, "users with failed sign-ins", tb.TableRows("Users with failed sign-ins"), [][]string{
		{"Vera Viewer", "50", "10", now.In(calendar.London).Format("2 January 2006 at 3:04pm"), "Locked for browsers not used before", "Clear"},
	})
	tb.Look("users-locked")
	tb.WantStatus("clear", tb.Submit(fmt.Sprintf(`form[action="/users/%d/sign-in-failures/clear"] button`, viewer.ID)), 200)
	tb.WantText("cleared", "The failed sign-ins of "+viewer.Email+" are cleared", "No user has failed to sign in")
	tb.Look("users-cleared")
	tb.signOut()

	tb.WantStatus("sign in as the viewer", tb.signIn("viewer"), 200)
	tb.WantText("dashboard", "Dashboard")
}
