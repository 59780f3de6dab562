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

// TestAwaabsLawInTheBrowser (issue 14): an officer opens a case about
// mould, sees the triage prompt, classifies it as an emergency on the
// case page and sees its clocks; the dashboard's Awaab's Law list shows
// it; both pages are axe clean.
func TestAwaabsLawInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received, Tenure: "low_cost_rental",
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "Black mould in my son's bedroom",
			Description: "He has asthma and the mould keeps coming back."},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	ref := c.Reference

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+ref), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.WantText("the case page before triage", "Awaab's Law", "This may describe a hazard: triage it under Awaab's Law", "No hazard has been classified")
	tb.Look("awaab-triage")

	tb.Choose("hazard-class")
	tb.TypeInto("hazard-description", "Black mould; a child with asthma")
	tb.WantStatus("classify an emergency", tb.Submit(`form[action="/cases/`+ref+`/hazard"] button[type="submit"]`), 200)
	tb.WantText("the case page once classified", "Emergency hazard", "Landlord aware since", "Does the law apply?", "Make safe within 24 hours", "hours")
	tb.NoText("the case page once classified", "This may describe a hazard")
	tb.Look("awaab-case")

	tb.WantStatus("open the dashboard", tb.Open("/"), 200)
	rows := tb.TableRows("Awaab's Law")
	if len(rows) != 1 || !strings.Contains(strings.Join(rows[0], " "), ref) || !strings.Contains(strings.Join(rows[0], " "), "Emergency hazard") {
		t.Errorf("the dashboard's Awaab's Law list = %v, want %s as an emergency", rows, ref)
	}
	tb.Look("awaab-dashboard")
}
