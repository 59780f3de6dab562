package webui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestComplimentIsPassedOnInTheBrowser (issue 19, item 5; 000: "we offer
// individual feedback to colleagues when a compliment is received"): an
// officer opens a compliment, is told what the form lacks, passes it on
// to herself, the Repairs team and a contractor with the manager told, and finds it
// under "Compliments for you" on her dashboard; every page is axe clean.
func TestComplimentIsPassedOnInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	officer, manager := tb.users["officer"], tb.users["manager"]
	c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "Olivia sorted my repair the same day"},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: officer.Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Reference
	submit := `form[action="/cases/` + ref + `/compliment"] button[type="submit"]`

	tb.WantStatus("open the compliment signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the compliment before it is passed on", "Passing the compliment on", "Not passed on yet")

	tb.TypeInto("compliment-contractor-name", "Acme Roofing")
	tb.WantStatus("pass it on without a manager or the contractor's email", tb.Submit(submit), 400)
	errs := tb.ErrorSummary("the compliment form with missing fields")
	tb.WantFieldError(errs, "compliment-contractor-email", "Enter the contractor's email address")
	tb.WantFieldError(errs, "compliment-manager", "Choose the manager")
	tb.Look("compliment-errors")

	tb.TypeInto("compliment-contractor-email", "office@acme.example")
	tb.SelectOption("compliment-colleague", officer.Email)
	tb.TypeInto("compliment-team", "Repairs")
	tb.SelectOption("compliment-manager", manager.Email)
	tb.WantStatus("pass it on", tb.Submit(submit), 200)
	tb.WantText("the compliment once passed on", "Passed on", officer.Name, "Repairs", "Acme Roofing (office@acme.example)", "Manager told", manager.Email)
	tb.Look("compliment-passed-on")

	tb.WantStatus("open the dashboard", tb.Open("/"), 200)
	rows := tb.TableRows("Compliments for you")
	if len(rows) != 1 || !strings.Contains(strings.Join(rows[0], " "), ref) || !strings.Contains(strings.Join(rows[0], " "), officer.Name+", Repairs, Acme Roofing") {
		t.Errorf("the dashboard's compliments for you = %v, want %s", rows, ref)
	}
	tb.Look("compliment-dashboard")
}
