package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/restriction"
)

// TestARestrictionIsShownOnEveryCaseAndNeverStopsLogging (002 §2.7): a
// restriction in force is a banner on every case of the person, saying
// it never stops a complaint being logged; a new contact from the person
// is logged at once (no extra step) and its page shows the banner.
func TestARestrictionIsShownOnEveryCaseAndNeverStopsLogging(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Repairs not done", false)
	restrictAda(t, s, ref)
	officer := s.signIn("officer")
	resp, body := s.get(officer, "/cases/"+ref)
	if resp.StatusCode != 200 {
		t.Fatalf("case page: %d\n%s\n%s", resp.StatusCode, body, s.log.String())
	}
	for _, want := range []string{"Restricted contact is in force for Ada Resident", "Contact through Sam Lee, by Email", "never whether a new complaint is logged"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page does not say %q", want)
		}
	}

	// Bo is restricted too, and has no open case: a new contact from
	// them is logged at once, and its page shows the banner.
	_, err := s.st.CreateRestriction(context.Background(), func() (restriction.Restriction, restriction.Event, error) {
		return restriction.Start(restriction.Subject{PersonKey: "email:bo@example.org", PersonName: "Bo Resident", CaseRef: ref},
			restriction.Warn{Behaviour: "Repeated calls", ActionPlan: "One call a week"},
			restriction.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p})
	})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"kind": {"complaint"}, "channel": {"phone"}, "received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"},
		"complainant.name": {"Bo Resident"}, "complainant.email": {"bo@example.org"}, "summary": {"A new complaint"}}
	resp, body = s.post(officer, "/cases/new", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging a new contact from a warned person: %d, want a redirect to the new case\n%s", resp.StatusCode, body)
	}
	_, body = s.get(officer, resp.Header.Get("Location"))
	if !strings.Contains(body, "Bo Resident has been warned about their behaviour") || !strings.Contains(body, "One call a week") {
		t.Errorf("the new case does not show the warning")
	}
	// Logged again, the open-case step shows the banner too.
	resp, body = s.post(officer, "/cases/new", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bo Resident has been warned") || !strings.Contains(body, "already has 1 open case") {
		t.Errorf("the new-contact page's open-case step: %d, want the warning shown", resp.StatusCode)
	}
}

// TestTheManagementReportCountsRestrictedContact (issue 19): the
// manager's management report counts the register over its period.
func TestTheManagementReportCountsRestrictedContact(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Repairs not done", false)
	_, err := s.st.CreateRestriction(context.Background(), func() (restriction.Restriction, restriction.Event, error) {
		return restriction.Start(restriction.Subject{PersonKey: "email:ada@example.org", PersonName: "Ada Resident", CaseRef: ref},
			restriction.Warn{Behaviour: "Repeated calls", ActionPlan: "One call a week"},
			restriction.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p})
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := s.get(s.signIn("manager"), "/reports/management?from=1/4/2026&to=31/3/2027")
	if resp.StatusCode != 200 {
		t.Fatalf("management report: %d\n%s", resp.StatusCode, s.log.String())
	}
	text := pageText(body)
	for _, want := range []string{"Unacceptable behaviour and restricted contact", "Warnings given 1", "Restrictions decided 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("the management report lacks %q", want)
		}
	}
}

// TestARestrictionsLetterIsFiledOnTheCaseItAroseOn (issue 19): the
// decision letter sent from the restriction's page is in the letters of
// the case the restriction arose on; with no way chosen, the page says so.
func TestARestrictionsLetterIsFiledOnTheCaseItAroseOn(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Repairs not done", false)
	r := restrictAda(t, s, ref)
	officer := s.signIn("officer")
	path := "/restrictions/" + strconv.FormatInt(r.ID, 10)
	if _, body := s.get(officer, path); !strings.Contains(body, "Send the restriction decision letter") {
		t.Fatal("the restriction's page does not offer its letter")
	}
	resp, body := s.post(officer, path+"/letter", url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "govuk-error-summary") {
		t.Errorf("a letter with no way chosen: %d, want the page with an error", resp.StatusCode)
	}
	resp, body = s.post(officer, path+"/letter", url.Values{"channel": {"email"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending the letter: %d\n%s", resp.StatusCode, body)
	}
	if _, body := s.get(officer, "/cases/"+ref); !strings.Contains(body, "Restriction decision") {
		t.Error("the case's letters do not list the restriction decision")
	}
}

// restrictAda records a manager's decision, without a warning, restricting
// the contact of Ada (the complainant newCase logs) from case ref.
func restrictAda(t *testing.T, s *site, ref string) restriction.Restriction {
	t.Helper()
	r, err := s.st.CreateRestriction(context.Background(), func() (restriction.Restriction, restriction.Event, error) {
		return restriction.Start(restriction.Subject{PersonKey: "email:ada@example.org", PersonName: "Ada Resident", CaseRef: ref},
			restriction.Decide{Reasons: "Threats", AdjustmentsConsidered: "Advocate offered", WithoutWarning: "Threatened staff",
				Arrangements: restriction.Arrangements{NamedContact: "Sam Lee", Channels: []string{"email"}}},
			restriction.Env{Now: s.now, Actor: complaint.Actor{Email: "manager@example.org", Role: "manager"}, Policy: s.p})
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
