package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/inapp"
	"github.com/redresshq/redress/internal/store"
)

// TestNoticesInTheBrowser (issue 22, item 2): a case assigned to the
// officer and the resident's new information about it show in the
// header's count on every page; the notices page lists them, newest
// first; opening one goes to its case and marks it read; "Mark all as
// read" clears the rest. Every page is axe clean.
func TestNoticesInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ctx := context.Background()
	officer, manager := tb.users["officer"], tb.users["manager"]
	now := clock.Wall()
	received := now.Add(-time.Hour).Truncate(time.Minute)
	env := func(actor string) complaint.Env {
		return complaint.Env{Now: now, Actor: complaint.Actor{Email: actor, Role: "manager"}, Policy: tb.app.Policy, Calendar: tb.app.Cal}
	}
	c, err := tb.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		e := env(manager.Email)
		e.NewReference = ref
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Pat Jones", Email: "pat@example.org"}, Summary: "Damp in the bedroom"}, e)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []complaint.Command{
		complaint.Assign{Handler: officer.Email, HandlerRole: officer.Role},
		complaint.AddInformation{Source: "portal", From: "Pat Jones", Text: "The mould is spreading"},
	} {
		if _, err := tb.app.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			e := env(manager.Email)
			e.NewReference = nr
			return complaint.Decide(c, cmd, e)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// What Serve runs every few seconds, run once here.
	p := &inapp.Processor{Store: tb.app.Store.(inapp.Store), Calendar: tb.app.Cal}
	if _, err := p.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}

	tb.WantStatus("open the dashboard signed out", tb.Open("/"), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	wantHeader(tb, "the dashboard", "Notices (2 unread)")
	tb.WantStatus("open the notices", tb.Open("/notices"), 200)
	wantHeader(tb, "the notices page", "Notices (2 unread)")
	rows := tb.TableRows("2 unread")
	if len(rows) != 2 || rows[0][0] != "Unread New information from the resident" || rows[1][0] != "Unread Assigned to you" || rows[0][1] != c.Reference {
		t.Fatalf("the notices, newest first: %q", rows)
	}
	tb.Look("notices")

	tb.WantStatus("open the newest", tb.Submit(`form[action$="/open"] button`), 200)
	tb.WantPath("the opened notice's case", "/cases/"+c.Reference)
	wantHeader(tb, "the case page", "Notices (1 unread)")
	tb.WantStatus("back to the notices", tb.Open("/notices"), 200)
	if rows := tb.TableRows("1 unread"); len(rows) != 2 || rows[0][0] != "New information from the resident" {
		t.Fatalf("after opening one: %q", rows)
	}
	tb.WantStatus("mark all read", tb.Submit(`form[action="/notices/read"] button`), 200)
	tb.WantPath("after marking all read", "/notices")
	wantHeader(tb, "after marking all read", "Notices (0 unread)")
	tb.NoText("nothing left to mark", "Mark all as read")
	tb.Look("notices-all-read")
}

// wantHeader fails the test unless the header's link to the notices
// says want.
func wantHeader(tb *browserTab, what, want string) {
	tb.t.Helper()
	if got := browsertest.Eval[string](tb.Tab, `document.querySelector('header a[href="/notices"]').textContent.trim()`); got != want {
		tb.t.Errorf("%s: the header's notices link says %q, want %q", what, got, want)
	}
}
