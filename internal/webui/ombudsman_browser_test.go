package webui_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestTheOmbudsmanStageInTheBrowser (issue 19, item 4): after a final
// response a manager records the referral to the Housing Ombudsman on the
// case page, then a request for evidence (first with nothing typed, which
// names both fields), and finds its due date among the case's deadlines
// and on the dashboard's list of evidence due; then records the
// executive's approval and the evidence pack as sent, which Redress
// builds and keeps with its hash; every page is axe clean.
func TestTheOmbudsmanStageInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ref := finalResponseCase(t, tb)
	today := calendar.DateOf(clock.Wall())

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the case after its final response", "Housing Ombudsman", "Record a referral to the Housing Ombudsman")
	tb.Disclose("ombudsman-referral")
	tb.TypeInto("ombudsman-referral-reference", "202601234")
	tb.TypeInto("ombudsman-referral-notified-on", strconv.Itoa(today.Day()))
	tb.TypeInto("ombudsman-referral-notified-on-month", strconv.Itoa(int(today.Month())))
	tb.TypeInto("ombudsman-referral-notified-on-year", strconv.Itoa(today.Year()))
	tb.WantStatus("record the referral", tb.Submit(`form[action="/cases/`+ref+`/ombudsman-referral"] button[type="submit"]`), 200)
	tb.WantText("the case once referred", "The referral to the Housing Ombudsman is recorded", "Ombudsman's reference", "202601234")

	tb.Disclose("ombudsman-evidence-request")
	tb.WantStatus("send an empty request", tb.Submit(`form[action="/cases/`+ref+`/ombudsman-evidence-request"] button[type="submit"]`), 400)
	errs := tb.ErrorSummary("an empty request for evidence")
	tb.WantFieldError(errs, "ombudsman-evidence-request-what", "required")
	tb.WantFieldError(errs, "ombudsman-evidence-request-due", "required")
	tb.Look("ombudsman-request-errors")

	due := today.AddDays(14)
	tb.TypeInto("ombudsman-evidence-request-what", "The repairs log for 2026")
	tb.TypeInto("ombudsman-evidence-request-due", strconv.Itoa(due.Day()))
	tb.TypeInto("ombudsman-evidence-request-due-month", strconv.Itoa(int(due.Month())))
	tb.TypeInto("ombudsman-evidence-request-due-year", strconv.Itoa(due.Year()))
	tb.WantStatus("record the request", tb.Submit(`form[action="/cases/`+ref+`/ombudsman-evidence-request"] button[type="submit"]`), 200)
	tb.WantText("the case with a request for evidence", "Requests for evidence", "The repairs log for 2026", "Ombudsman: evidence (The repairs log for 2026) by")
	tb.Look("ombudsman-case")

	tb.WantStatus("open the dashboard", tb.Open("/"), 200)
	rows := tb.TableRows("Evidence due to the Ombudsman")
	if len(rows) != 1 || !strings.Contains(strings.Join(rows[0], " "), ref) || !strings.Contains(strings.Join(rows[0], " "), "202601234") {
		t.Errorf("the dashboard's evidence due = %v, want %s with the Ombudsman's reference", rows, ref)
	}
	tb.Look("ombudsman-dashboard")

	// The executive's approval (002 §2.6), then the evidence pack, built
	// and kept by Redress with its hash, answering the request.
	tb.WantStatus("back to the case", tb.Open("/cases/"+ref), 200)
	tb.Disclose("ombudsman-approval")
	tb.TypeInto("ombudsman-approval-name", "Sam Chief")
	tb.TypeInto("ombudsman-approval-role", "Director of Housing")
	tb.WantStatus("record the approval", tb.Submit(`form[action="/cases/`+ref+`/ombudsman-approval"] button[type="submit"]`), 200)
	tb.Disclose("ombudsman-evidence-sent")
	tb.WantStatus("record the pack as sent", tb.Submit(`form[action="/cases/`+ref+`/ombudsman-evidence-sent"] button[type="submit"]`), 200)
	tb.WantText("the case once the pack is sent", "approved by Sam Chief, Director of Housing", "The copy sent is kept with the case's files as "+ref+"-evidence-for-the-ombudsman-")
	tb.Look("ombudsman-pack-sent")
}

// finalResponseCase makes a complaint that has had its final response:
// stage 1 handled by the officer, stage 2 by the reviewer, each response
// sent by email, all in the last hour.
func finalResponseCase(t *testing.T, tb *browserTab) string {
	t.Helper()
	ctx := context.Background()
	env := func(role string) complaint.Env {
		return complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users[role].Email, Role: role}, Policy: tb.app.Policy, Calendar: tb.app.Cal}
	}
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		e := env("officer")
		e.NewReference = ref
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "The roof still leaks"}, e)
	})
	if err != nil {
		t.Fatal(err)
	}
	letter := func(n int) complaint.RecordLetter {
		return complaint.RecordLetter{Kind: complaint.ResponseLetterKind(n), Title: "Our response", Channel: "email", SHA256: strings.Repeat("ab", 32)}
	}
	decisions := complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "The roofer found no fault"}}}
	steps := []struct {
		role string
		cmd  complaint.Command
	}{
		{"officer", complaint.Acknowledge{Points: []string{"The roof still leaks"}}},
		{"officer", decisions}, {"officer", letter(1)}, {"officer", complaint.Escalate{}},
		{"reviewer", complaint.Acknowledge{Points: []string{"The stage 1 decision"}}},
		{"reviewer", decisions}, {"reviewer", letter(2)},
	}
	for _, s := range steps {
		_, err := tb.app.Store.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			e := env(s.role)
			e.NewReference = nr
			return complaint.Decide(c, s.cmd, e)
		})
		if err != nil {
			t.Fatalf("%T: %v", s.cmd, err)
		}
	}
	return c.Reference
}
