package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestRestrictedContactInTheBrowser (issue 19; 002 §2.7): an officer
// warns from a case page (an empty warning names both fields), a manager
// decides with the arrangements on the restriction's page, and the
// person's other case shows the banner, which says a restriction never
// stops a complaint being logged; the register lists it. Every page is
// axe clean.
func TestRestrictedContactInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	var refs []string
	for _, summary := range []string{"Repairs not done", "Noise from next door"} {
		c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
				Complainant: complaint.Person{Name: "Pat Jones", Email: "pat@example.org"}, Summary: summary, Description: summary},
				complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
		})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+refs[0]), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantStatus("follow Manage contact", tb.Open("/restrictions/new?case="+refs[0]), 200)
	tb.WantStatus("an empty warning", tb.Submit(`form[action="/restrictions/new"] button[type="submit"]`), 400)
	errs := tb.ErrorSummary("an empty warning")
	tb.WantFieldError(errs, "behaviour", "The behaviour of concern is required")
	tb.WantFieldError(errs, "action-plan", "The action plan is required")
	tb.Look("restriction-warn-errors")
	tb.TypeInto("behaviour", "Abusive calls to the repairs team")
	tb.TypeInto("action-plan", "Contact by email to one officer; support from an advocate offered")
	tb.WantStatus("record the warning", tb.Submit(`form[action="/restrictions/new"] button[type="submit"]`), 200)
	tb.WantText("the warned restriction", "Warning recorded", "Abusive calls to the repairs team")
	tb.NoText("an officer is not offered the decision", "Decide to restrict contact")
	path := tb.Path()
	tb.signOut()

	tb.WantStatus("open the restriction signed out", tb.Open(path), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the manager's restriction page", "Decide to restrict contact")
	tb.TypeInto("reasons", "The abuse continued after the warning")
	tb.TypeInto("adjustments-considered", "Written contact and an advocate offered")
	tb.TypeInto("arrangements-named-contact", "Sam Lee, Customer Experience Manager")
	tb.Choose("arrangements-channels")
	tb.TypeInto("arrangements-times", "Weekdays 10am to 12 noon")
	tb.WantStatus("decide", tb.Submit(`form[action$="/decide"] button[type="submit"]`), 200)
	tb.WantText("the restriction in force", "Restriction decided and in force", "Sam Lee, Customer Experience Manager", "Record a review")
	tb.Look("restriction-in-force")

	tb.WantStatus("open the person's other case", tb.Open("/cases/"+refs[1]), 200)
	tb.WantText("the other case's banner", "Restricted contact is in force for Pat Jones", "Contact through Sam Lee",
		"never whether a new complaint is logged and assessed on its merits")
	tb.Look("restriction-case-banner")

	tb.WantStatus("open the register", tb.Open("/restrictions"), 200)
	tb.WantText("the register", "Pat Jones", "In force", refs[0])
	tb.Look("restrictions-register")
}
