package webui_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// stage2WithRemedies is a complaint the officer answered at stage 1 with
// compensation (remedy 1), escalated, and the reviewer acknowledged and
// answered at stage 2 with more (remedy 2).
func (tb *browserTab) stage2WithRemedies() string {
	tb.t.Helper()
	ctx := context.Background()
	now := clock.Wall()
	received := now.Add(-48 * time.Hour).Truncate(time.Minute)
	env := func(role string, nr store.NewReference) complaint.Env {
		return complaint.Env{Now: now, Actor: complaint.Actor{Email: tb.users[role].Email, Role: role}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: nr}
	}
	c, err := tb.app.Store.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received, Tenure: "low_cost_rental",
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "Repair took months"}, env("officer", nr))
	})
	if err != nil {
		tb.t.Fatal(err)
	}
	steps := []struct {
		role string
		cmd  complaint.Command
	}{
		{"officer", complaint.Acknowledge{Points: []string{"The repair took four months"}}},
		{"officer", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It took too long"}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For the delay", AmountPence: 5000}}}},
		{"officer", complaint.RecordLetter{Kind: complaint.ResponseLetterKind(1), Title: "Stage 1 response", Channel: "print", SHA256: strings.Repeat("ab", 32)}},
		{"officer", complaint.Escalate{Reason: "The compensation is too low"}},
		{"reviewer", complaint.Acknowledge{Points: []string{"The compensation is too low", "Nobody explained the delay"}, OutcomesSought: []string{"More compensation"}}},
		{"reviewer", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "Stage 1 did not apply the policy"},
			{Point: 2, Outcome: "upheld", Reasons: "Nobody did"}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "At the policy's rate", AmountPence: 30000}}}},
	}
	for _, st := range steps {
		if _, err := tb.app.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, st.cmd, env(st.role, nr))
		}); err != nil {
			tb.t.Fatalf("%T as %s: %v", st.cmd, st.role, err)
		}
	}
	return c.Reference
}

// TestCorrectionPagesInTheBrowser: the stage 2 reviewer amends the
// definition, supersedes stage 1's remedy, corrects the details and adds
// a record of a call with a file, each on its own page, seeing each
// page's errors first; every page, with and without errors, passes axe;
// a viewer may not open them.
func TestCorrectionPagesInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ref := tb.stage2WithRemedies()
	base := "/cases/" + ref

	// 1. Amend the complaint definition, reached signed out.
	tb.WantStatus("open the definition page signed out", tb.Open(base+"/definition"), 200)
	tb.WantStatus("sign in as the reviewer", tb.signIn("reviewer"), 200)
	tb.WantPath("after signing in", base+"/definition")
	tb.WantText("the definition page", "Amend the complaint definition", "Point 1", "Point 2", "Withdraw point 2", "Tell the resident")
	if got := tb.Value("point-2"); got != "Nobody explained the delay" {
		t.Errorf("point 2 shows %q", got)
	}
	tb.Look("definition")
	tb.Do("clear point 1", chromedp.Clear(chromedp.ID("point-1")))
	tb.WantStatus("save an emptied point with no reason", tb.Submit(`#definition button[type="submit"]`), 400)
	errs := tb.ErrorSummary("an emptied point with no reason")
	tb.WantFieldError(errs, "point-1", "Enter the wording of point 1")
	tb.WantFieldError(errs, "reason", "Enter why the definition is changing")
	tb.Look("definition-errors")
	if c := tb.getCase(ref); c.Current().Points[0] != "The compensation is too low" {
		t.Errorf("a refused amendment changed point 1 to %q", c.Current().Points[0])
	}
	tb.TypeInto("point-1", "The stage 1 compensation is too low")
	tb.Choose("withdraw-2")
	tb.TypeInto("add", "The repair is still not finished")
	tb.Choose("no-unreasonable-delay")
	tb.TypeInto("reason", "The resident explained on the phone")
	tb.Choose("tell-resident")
	tb.WantStatus("save the definition", tb.Submit(`#definition button[type="submit"]`), 200)
	tb.WantPath("saved, to tell the resident", base+"/definition?saved=tell")
	tb.WantText("the saved page", "The complaint definition is amended", "write a letter to them", "Point 2 when withdrawn: Nobody explained the delay")
	tb.Look("definition-saved")
	c := tb.getCase(ref)
	if st := c.Current(); strings.Join(st.Points, "|") != "The stage 1 compensation is too low|The repair is still not finished" || len(st.Withdrawn) != 1 {
		t.Errorf("points %q, withdrawn %+v", st.Points, st.Withdrawn)
	}

	// 2. Supersede stage 1's remedy.
	old, later := strconv.Itoa(c.Remedies[0].ID), strconv.Itoa(c.Remedies[1].ID)
	tb.WantStatus("open the supersede page", tb.Open(base+"/remedies/"+old+"/supersede"), 200)
	tb.WantText("the supersede page", "Supersede remedy "+old, "For the delay", "Remedy "+later+": Compensation £300.00", "None of them")
	tb.Look("supersede")
	tb.Choose("replaced-by")
	tb.WantStatus("supersede with no reason", tb.Submit(`#supersede button[type="submit"]`), 400)
	errs = tb.ErrorSummary("supersede with no reason")
	tb.WantFieldError(errs, "reason", "Enter why the remedy is superseded")
	if !tb.Checked("replaced-by") {
		t.Errorf("the replacement chosen was not kept")
	}
	tb.Look("supersede-errors")
	tb.TypeInto("reason", "Stage 2 offers compensation at the policy's rate")
	tb.WantStatus("supersede", tb.Submit(`#supersede button[type="submit"]`), 200)
	tb.WantPath("superseded", base+"?done=supersede")
	if r := tb.getCase(ref).Remedies[0]; !r.Superseded() || strconv.Itoa(r.ReplacedBy) != later {
		t.Errorf("remedy %+v, want superseded by %s", r, later)
	}

	// 3. Correct the details: a representative, first without a
	// relationship.
	tb.WantStatus("open the details page", tb.Open(base+"/details"), 200)
	tb.WantText("the details page", "Correct the details", "Their representative", "What happened")
	tb.Look("details")
	tb.TypeInto("details-representative-name", "Sam Advocate")
	tb.TypeInto("details-representative-email", "sam at example")
	tb.WantStatus("save a half representative", tb.Submit(`#details button[type="submit"]`), 400)
	errs = tb.ErrorSummary("a half representative")
	tb.WantFieldError(errs, "details-representative-relationship", "is required")
	tb.WantFieldError(errs, "details-representative-email", "")
	tb.Look("details-errors")
	tb.Do("clear the email", chromedp.Clear(chromedp.ID("details-representative-email")))
	tb.TypeInto("details-representative-email", "sam@example.org")
	tb.TypeInto("details-representative-relationship", "Advocate")
	tb.Choose("details-representative-consent-recorded")
	tb.TypeInto("details-description", "The repair took four months and is still not finished.")
	tb.WantStatus("save the details", tb.Submit(`#details button[type="submit"]`), 200)
	tb.WantPath("details saved", base+"?done=details")
	if c := tb.getCase(ref); c.Representative == nil || c.Representative.Name != "Sam Advocate" || !c.Representative.ConsentRecorded || c.Description == "" {
		t.Errorf("representative %+v, description %q", c.Representative, c.Description)
	}

	// 4. A record of a call with a file, first with no way chosen.
	tb.WantStatus("open the file page", tb.Open(base+"/files/new"), 200)
	tb.WantText("the file page", "Add a file or a record of contact", "How did it come?", "Up to 10 files, each 10 MB or smaller and 25 MB in all")
	tb.Look("file")
	tb.TypeInto("text", "The resident sent a photo of the unfinished repair")
	tb.WantStatus("add with no way chosen", tb.Submit(`#file button[type="submit"]`), 400)
	errs = tb.ErrorSummary("no way chosen")
	tb.WantFieldError(errs, "how", "Choose how it came")
	tb.Look("file-errors")
	photo := filepath.Join(t.TempDir(), "repair.png")
	if err := os.WriteFile(photo, pngOf(4096), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.Choose("how") // a phone call, the first way
	tb.TypeInto("from", "the resident")
	tb.Do("choose the photo", chromedp.SetUploadFiles(chromedp.ID("files"), []string{photo}))
	tb.WantStatus("add it", tb.Submit(`#file button[type="submit"]`), 200)
	tb.WantPath("added", base+"?done=file")
	files, err := tb.app.Store.Attachments(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "repair.png" || files[0].Source != "staff" {
		t.Errorf("files %+v, want repair.png from staff", files)
	}

	// A viewer may not open them.
	tb.signOut()
	tb.WantStatus("open the sign-in page", tb.Open("/sign-in"), 200)
	tb.WantStatus("sign in as the viewer", tb.signIn("viewer"), 200)
	for _, p := range []string{"/definition", "/remedies/" + old + "/supersede", "/details", "/files/new"} {
		tb.WantStatus("a viewer opens "+p, tb.Open(base+p), 403)
	}
	tb.Look("correction-forbidden")
}
