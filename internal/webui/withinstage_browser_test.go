package webui_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestTheReviewMediationAndAnAdditionalComplaintInTheBrowser (002 §2.3,
// 003, Code 6.8): under a policy that asks the Service Manager to review
// the stage 1 findings and offers mediation, a decided response past its
// due date is flagged on the case page as waiting for the review; the
// officer records the review (after the form's errors), the warning goes;
// offers mediation, which the section and the timeline show; and logs a
// new issue as an additional complaint, landing on it. Each page is axe
// clean.
func TestTheReviewMediationAndAnAdditionalComplaintInTheBrowser(t *testing.T) {
	t.Parallel()
	browser.Start(t)
	yaml, err := policy.PresetYAML("greatwell-homes")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "policy.yaml")
	yaml = append(yaml, []byte("\nmediation:\n  offered: true\n  source: \"003: we will happily offer free mediation services\"\n")...)
	if err := os.WriteFile(file, yaml, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), app.Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), ServiceName: "Greatwell Homes complaints",
		Policy: file, AcceptPolicyBreaches: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	tb := &browserTab{t: t, app: a, users: map[string]store.User{}}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	tb.createUsers()
	tb.Tab = browser.NewTab(t, srv.URL)

	// Received three weeks ago, so that its response (10 working days)
	// is past due; acknowledged and decided since.
	now := clock.Wall()
	received := now.Add(-21 * 24 * time.Hour).Truncate(time.Minute)
	env := func(at time.Time, nr store.NewReference) complaint.Env {
		return complaint.Env{Now: clock.Wall(), At: at, Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: a.Policy, Calendar: a.Cal, NewReference: nr}
	}
	c, err := a.Store.CreateCase(context.Background(), func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received, Tenure: "low_cost_rental",
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "The boiler keeps failing"}, env(time.Time{}, nr))
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, cmd := range []complaint.Command{
		complaint.Acknowledge{Points: []string{"The boiler failed three times"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "Three engineer visits did not fix it"}}},
	} {
		at := received.Add(time.Duration(i+1) * time.Hour)
		if _, err := a.Store.UpdateCase(context.Background(), c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, env(at, nr))
		}); err != nil {
			t.Fatal(err)
		}
	}
	ref := c.Reference

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the case waiting for the review", "Within stage 1", "Review of the findings by the Service Manager",
		"The decided response is waiting for the Service Manager's review and was due", "Send the response without the review", "Mediation has not been offered at this stage")
	tb.Look("within-stage-waiting")

	tb.Disclose("sign-off")
	tb.WantStatus("record a review with nothing filled in", tb.Submit(`form[action="/cases/`+ref+`/sign-off"] button[type="submit"]`), 400)
	errs := tb.ErrorSummary("an empty review")
	tb.WantFieldError(errs, "sign-off-reviewer", "is required")
	tb.WantFieldError(errs, "sign-off-result", "agreed or changes_asked")
	tb.Look("within-stage-review-errors")

	tb.TypeInto("sign-off-reviewer", "Sam Patel")
	tb.Choose("sign-off-result")
	tb.WantStatus("record the review", tb.Submit(`form[action="/cases/`+ref+`/sign-off"] button[type="submit"]`), 200)
	tb.WantText("the case once reviewed", "The review of the findings is recorded", "Reviewed by Sam Patel (Service Manager)", "Sign off recorded", "Reviewed by: Sam Patel")
	tb.NoText("the case once reviewed", "is waiting for the Service Manager's review", "Send the response without the review")

	tb.Disclose("mediation")
	tb.TypeInto("mediation-mediator", "Community Mediation")
	tb.WantStatus("offer mediation", tb.Submit(`form[action="/cases/`+ref+`/mediation"] button[type="submit"]`), 200)
	tb.WantText("the case once mediation is offered", "The mediation is recorded. The response deadline is unchanged.",
		"Mediation offered; waiting for the resident's answer", "with Community Mediation", "Mediation: offered", "Record the resident's answer to mediation")
	tb.Look("within-stage-mediation")

	// Code 6.8, 002 §2.3: a new issue, raised before the response, is
	// logged as a new complaint only with the reason it is not added to
	// this one, and the officer lands on the new complaint, linked back.
	tb.Disclose("additional-complaint")
	tb.TypeInto("additional-complaint-summary", "The garden fence is broken")
	tb.WantStatus("log an additional complaint without the reason", tb.Submit(`form[action="/cases/`+ref+`/additional-complaint"] button[type="submit"]`), 400)
	tb.WantFieldError(tb.ErrorSummary("no reason"), "additional-complaint-reason", "unreasonable delay")
	tb.TypeInto("additional-complaint-reason", "It needs a survey: adding it would delay the boiler's response")
	tb.WantStatus("log the additional complaint", tb.Submit(`form[action="/cases/`+ref+`/additional-complaint"] button[type="submit"]`), 200)
	tb.WantText("the new complaint", "The garden fence is broken", "The new issues are logged as this new stage 1 complaint", "Linked cases", ref)
	if p := tb.Path(); p == "/cases/"+ref {
		t.Errorf("after logging the additional complaint the officer is still on %s", p)
	}
	tb.Look("within-stage-additional-complaint")
}
