package webui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Team work in the browser (issue 22, item 2): saved views, bulk assign,
// and screenshots of the dashboard, a queue and the workload page.

// teamCase logs a complaint through the app's store as the officer and
// applies cmds to it as the officer, each at the wall clock's now.
func (tb *browserTab) teamCase(summary string, received time.Time, cmds ...complaint.Command) string {
	tb.t.Helper()
	ctx := context.Background()
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"},
			Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref}
	}
	c, err := tb.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Pat Jones", Email: "pat@example.org"}, Summary: summary, Description: summary}, env(ref))
	})
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, cmd := range cmds {
		if _, err := tb.app.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, env(nr))
		}); err != nil {
			tb.t.Fatalf("%T on %s: %v", cmd, c.Reference, err)
		}
	}
	return c.Reference
}

// stageTwoSteps answer a complaint at stage 1, as the officer, and
// escalate it: it then waits for a reviewer the officer may not be.
var stageTwoSteps = []complaint.Command{
	complaint.Acknowledge{Points: []string{"The repair"}},
	complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault found"}}},
	complaint.RecordLetter{Kind: complaint.ResponseLetterKind(1), Title: "Our response", Channel: "email", SHA256: strings.Repeat("ab", 32)},
	complaint.Escalate{},
}

// shot checks the page (tb.Look: a screenshot and axe) and keeps its
// screenshot as name.png in the test's artifact directory too.
func (tb *browserTab) shot(name string) {
	tb.t.Helper()
	tb.Look(name)
	dir := tb.t.ArtifactDir()
	found, _ := filepath.Glob(filepath.Join(dir, "*-"+name+".png"))
	if len(found) == 0 {
		tb.t.Fatalf("no screenshot of %s in %s", name, dir)
	}
	b, err := os.ReadFile(found[len(found)-1])
	if err != nil {
		tb.t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", file)
}

// rowText is the text of the case list's row of ref.
func (tb *browserTab) rowText(ref string) string {
	return browsertest.Eval[string](tb.Tab, `document.getElementById("select-`+ref+`").closest("tr").innerText`)
}

// An officer saves the list's filters as a view, comes back to them from
// the list, and a nameless view is refused naming the field; a manager's
// shared view is listed for the officer, who may not delete it, while
// their own view they may.
func TestSavedViewsInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	recv := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	free := tb.teamCase("Nobody has this yet", recv)
	review := tb.teamCase("Wants a review", recv.Add(-72*time.Hour), stageTwoSteps...)

	tb.WantStatus("open the unassigned queue signed out", tb.Open("/cases?queue=unassigned&sort=due"), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the unassigned queue", free, review)
	tb.WantStatus("save a view with no name", tb.Submit(`form[action="/views"] button[type="submit"]`), 400)
	tb.WantFieldError(tb.ErrorSummary("a view with no name"), "view-name", "Enter a name for the view")
	tb.TypeInto("view-name", "My unassigned, soonest first")
	tb.WantStatus("save the view", tb.Submit(`form[action="/views"] button[type="submit"]`), 200)
	tb.WantText("the saved view listed", "My unassigned, soonest first")
	tb.NoText("an officer is not offered sharing", "Share it with everyone")
	tb.WantStatus("open the list with no filters", tb.Open("/cases"), 200)
	tb.WantStatus("come back to the view", tb.Submit(`#saved-views a.govuk-link`), 200)
	if q := browsertest.Eval[string](tb.Tab, `location.search`); q != "?queue=unassigned&sort=due" {
		t.Fatalf("the view opened %q, want the saved filters", q)
	}
	tb.WantText("the view's list", "Unassigned", free, review)
	tb.signOut()

	tb.WantStatus("open the stage 2 queue signed out", tb.Open("/cases?queue=awaiting_reviewer"), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.TypeInto("view-name", "Stage 2 waiting")
	tb.Choose("view-shared")
	tb.WantStatus("save a shared view", tb.Submit(`form[action="/views"] button[type="submit"]`), 200)
	tb.WantText("the manager's shared view", "Stage 2 waiting", "Shared")
	tb.NoText("the officer's private view is not the manager's", "My unassigned")
	tb.signOut()

	tb.WantStatus("open the list signed out", tb.Open("/cases"), 200)
	tb.WantStatus("sign in as the officer again", tb.signIn("officer"), 200)
	tb.WantText("the officer sees both views", "My unassigned, soonest first", "Stage 2 waiting", "Shared")
	tb.NoText("the officer may not delete the shared view", "Delete the view Stage 2 waiting")
	tb.shot("saved-views")
	tb.WantStatus("follow the shared view", tb.Submit(`#saved-views a[href="/cases?queue=awaiting_reviewer"]`), 200)
	if got := tb.rowText(review); !strings.Contains(got, review) {
		t.Errorf("the shared view does not list %s: %q", review, got)
	}
	tb.NoText("the shared view lists only stage 2 cases", free)
	tb.WantStatus("delete my view", tb.Submit(`#saved-views form button[type="submit"]`), 200)
	tb.NoText("my view is gone", "My unassigned, soonest first")
	tb.WantText("the shared view stays", "Stage 2 waiting")
}

// A manager assigns three cases at once from the list; the stage 2 case
// is refused to its stage 1 handler (Code 6.13) and named with the
// reason, the other two are assigned and the list shows their handler.
// The dashboard, a queue and the workload page, with that data, are
// kept as screenshots.
func TestBulkAssignInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	recv := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	a := tb.teamCase("Boiler not fixed", recv)
	b := tb.teamCase("Rude contractor", recv)
	c := tb.teamCase("Wants a review of the damp decision", recv.Add(-72*time.Hour), stageTwoSteps...)
	// More of a team's week, for the screenshots.
	tb.teamCase("Gas smell in the stairwell", recv, complaint.FlagHealthAndSafety{Flagged: true, Reason: "Gas smell reported"})
	tb.teamCase("Photos of the mould", recv, complaint.AddInformation{Source: "portal", From: "Pat Jones", Text: "More photos"})
	officer := tb.users["officer"]
	tb.teamCase("Missed appointment", clock.Wall().Add(-20*24*time.Hour), complaint.Assign{Handler: officer.Email, HandlerRole: officer.Role})

	tb.WantStatus("open the case list signed out", tb.Open("/cases"), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the list's total", "6 cases")
	tb.WantStatus("assign with nothing chosen", tb.Submit(`#bulk-assign`), 400)
	errs := tb.ErrorSummary("nothing chosen")
	tb.WantFieldError(errs, "bulk-assign", "Choose at least one case to assign, with its box in the list")
	tb.WantFieldError(errs, "bulk-handler", "Choose who will handle the cases")
	for _, ref := range []string{a, b, c} {
		tb.Choose("select-" + ref)
	}
	tb.SelectOption("bulk-handler", officer.Email)
	tb.WantStatus("assign the three", tb.Submit(`#bulk-assign`), 200)
	tb.WantText("the summary", "2 cases assigned to "+officer.Name, "1 refused", a, b, c, "Code (6.13)")
	if got := browsertest.Eval[string](tb.Tab, `document.getElementById("bulk-refused").innerText`); !strings.Contains(got, c) || !strings.Contains(got, "6.13") {
		t.Errorf("the refused list is %q, want %s refused under 6.13", got, c)
	}
	tb.Look("bulk-assign-summary")
	tb.WantStatus("back to the list", tb.Submit(`main a.govuk-link[href^="/cases"]`), 200)
	for ref, want := range map[string]string{a: officer.Email, b: officer.Email, c: "Not assigned"} {
		if got := tb.rowText(ref); !strings.Contains(got, want) {
			t.Errorf("the list's row of %s is %q, want the handler %s", ref, got, want)
		}
	}

	tb.WantStatus("open the dashboard", tb.Open("/"), 200)
	tb.WantText("the dashboard's queues", "Unassigned: 3 cases", "Stage 2 awaiting a reviewer: 1 case", "Workload by officer")
	tb.shot("dashboard")
	tb.WantStatus("follow the unassigned queue", tb.Submit(`a[href="/cases?queue=unassigned"]`), 200)
	tb.WantText("the unassigned queue", "3 cases", c)
	tb.NoText("an assigned case is not in the queue", a)
	tb.shot("queue")
	tb.WantStatus("open the workload page", tb.Open("/workload"), 200)
	tb.WantText("the workload", officer.Name, "Open cases", "Overdue")
	tb.shot("workload")
}
