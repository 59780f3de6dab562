package webui_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/testdb"
)

// The public page of compliments (issue 19, item 5; 003 §2: compliments
// are "publicised in recognition of the outstanding customer service
// delivered by our teams") shows compliments passed on, with whom they
// praised and the words staff wrote for publishing, but no resident's
// name, words, address or reference, and a colleague by first name
// unless the policy allows surnames; a landlord whose policy does not
// publish compliments has no such page.
func TestPublicComplimentsShowWhomTheyPraisedButNoPersonalDetails(t *testing.T) {
	s := newSite(t)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	recv := s.now.Add(-2 * time.Hour)
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: ref}
	}
	compliment := func(summary string, pass *complaint.PassOnCompliment) string {
		c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "phone", ReceivedAt: &recv, ServiceArea: "repairs",
				Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Address: "1 Private Road"}, Summary: summary}, env(ref))
		})
		if err != nil {
			t.Fatal(err)
		}
		if pass != nil {
			if _, err := s.st.UpdateCase(context.Background(), c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
				return complaint.Decide(c, *pass, env(nr))
			}); err != nil {
				t.Fatal(err)
			}
		}
		return c.Reference
	}
	passed := compliment("Sam Jones at 1 Private Road was brilliant", &complaint.PassOnCompliment{
		Praised: []complaint.Praised{{Kind: complaint.PraisedColleague, Name: "Sam Jones", Email: "sam@example.org"}, {Kind: complaint.PraisedTeam, Name: "Repairs"}},
		Manager: "manager@example.org", Quote: "Sam and the repairs team fixed our boiler on Christmas Eve",
	})
	compliment("Not yet passed on: thanks to Priya Shah", nil)

	if resp, _ := s.get(s.browser(), "/compliments"); resp.StatusCode != 404 {
		t.Errorf("a policy that does not publish compliments: %d, want 404", resp.StatusCode)
	}
	s.p.Compliments.Publish = true
	resp, body := s.get(s.browser(), "/compliments")
	if resp.StatusCode != 200 {
		t.Fatalf("compliments: %d\n%s", resp.StatusCode, body)
	}
	for _, must := range []string{"Praised: Sam, Repairs", "Sam and the repairs team fixed our boiler on Christmas Eve"} {
		if !strings.Contains(body, must) {
			t.Errorf("the page lacks %q", must)
		}
	}
	for _, never := range []string{passed, "Jones", "Ada Resident", "ada@example.org", "Private Road", "Priya", "was brilliant", "/cases/", "sam@example.org"} {
		if strings.Contains(body, never) {
			t.Errorf("the page shows %q", never)
		}
	}
	s.p.Compliments.StaffSurnames = true
	if _, body := s.get(s.browser(), "/compliments"); !strings.Contains(body, "Praised: Sam Jones, Repairs") {
		t.Error("with surnames allowed, the colleague's full name is not shown")
	}
}

// TestPublicComplimentsPageInTheBrowser opens the public compliments page
// of a landlord whose policy publishes them (feedback-policy-2018, 003
// §2), signed out, and checks it is axe clean. The preset breaches the
// Code in one way its compliance check names, unrelated to compliments,
// so the test accepts that to start, as such a landlord would.
func TestPublicComplimentsPageInTheBrowser(t *testing.T) {
	t.Parallel()
	browser.Start(t)
	a, err := app.New(context.Background(), app.Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey(), Policy: "feedback-policy-2018", AcceptPolicyBreaches: true,
		ServiceName: "Riverside Vale Homes complaints"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: "olivia@riversidevale.example", Role: "officer"}, Policy: a.Policy, Calendar: a.Cal, NewReference: ref}
	}
	c, err := a.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "phone", ReceivedAt: &received, ServiceArea: "repairs",
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "Olivia Officer sorted my repair"}, env(ref))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.UpdateCase(context.Background(), c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.PassOnCompliment{Praised: []complaint.Praised{{Kind: complaint.PraisedColleague, Name: "Olivia Officer", Email: "olivia@riversidevale.example"}},
			Manager: "maria@riversidevale.example", Quote: "Olivia sorted my repair the same day"}, env(nr))
	}); err != nil {
		t.Fatal(err)
	}
	tb := browser.NewTab(t, srv.URL)
	tb.WantStatus("open the public compliments", tb.Open("/compliments"), 200)
	tb.WantText("the public compliments", "Compliments from our residents", "Praised: Olivia", "Olivia sorted my repair the same day")
	tb.NoText("the public compliments", "Ada Resident", "Officer", c.Reference)
	tb.Look("public-compliments")
}
