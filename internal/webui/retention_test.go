package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestTheRetentionPageListsWhatFallsDueAndHoldsIt: a complaint withdrawn
// six years less ten days ago is due within 30 days; a manager puts a
// legal hold on it with a reason (it moves to the held list, and the hold
// is an event on the case), then lifts it. An officer may not see the
// page, and a hold without a reason or on an unknown case is refused by
// field.
func TestTheRetentionPageListsWhatFallsDueAndHoldsIt(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Repairs not done", false)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Withdraw{Reason: "The resident withdrew it"},
			complaint.Env{Now: s.Now(), Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}
	later := s.Now()
	s.advance(later.AddDate(6, 0, -10).Sub(later))

	manager := s.signIn("manager")
	resp, body := s.get(manager, "/retention")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("retention page: %d\n%s", resp.StatusCode, body)
	}
	due, _, _ := strings.Cut(body, "<h2 class=\"govuk-heading-m\">Held</h2>")
	if !strings.Contains(due, ref) || !strings.Contains(due, "complaint: 6 years after closure (assumed default)") {
		t.Errorf("the case is not listed as due with its rule:\n%s", body)
	}

	if resp, _ := s.get(s.signIn("officer"), "/retention"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer's retention page: %d, want 403", resp.StatusCode)
	}

	resp, body = s.post(manager, "/retention/hold", url.Values{"hold.reference": {ref}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter the reason") {
		t.Errorf("a hold without a reason: %d", resp.StatusCode)
	}
	resp, body = s.post(manager, "/retention/hold", url.Values{"hold.reference": {"C-2026-999999"}, "hold.reason": {"A claim"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "There is no case C-2026-999999") {
		t.Errorf("a hold on an unknown case: %d", resp.StatusCode)
	}
	resp, body = s.post(manager, "/retention/hold", url.Values{"hold.reference": {ref}, "hold.reason": {"County court claim K00XY123"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("hold: %d\n%s", resp.StatusCode, body)
	}
	_, body = s.get(manager, "/retention?done=held")
	due, held, _ := strings.Cut(body, "<h2 class=\"govuk-heading-m\">Held</h2>")
	if strings.Contains(due, "/cases/"+ref) || !strings.Contains(held, ref) || !strings.Contains(held, "legal hold: County court claim K00XY123") {
		t.Errorf("the held case is not listed as held:\n%s", body)
	}
	c, err := s.st.GetCase(context.Background(), ref)
	if err != nil || c.LegalHold == nil || c.LegalHold.By != "manager@example.org" {
		t.Fatalf("the case's hold: %+v %v", c.LegalHold, err)
	}
	if _, body = s.get(manager, "/cases/"+ref); !strings.Contains(body, "Not anonymised while held: legal hold: County court claim K00XY123") {
		t.Error("the held case's page does not say it is held")
	}
	resp, body = s.post(manager, "/retention/hold", url.Values{"hold.reference": {ref}, "hold.reason": {"Again"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already on legal hold") {
		t.Errorf("a second hold: %d", resp.StatusCode)
	}
	resp, _ = s.post(manager, "/retention/lift", url.Values{"lift.reference": {ref}, "lift.reason": {"Claim settled"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("lift: %d", resp.StatusCode)
	}
	evs, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if k := evs[len(evs)-1].Kind; k != complaint.EventLegalHoldLifted || evs[len(evs)-2].Kind != complaint.EventLegalHoldPlaced {
		t.Errorf("the case's last events: %s", k)
	}
}

// TestAnErasureRequestIsRecordedAndDecidedOnTheRetentionPage: a manager
// records a request for a person by email, then grants it: the person's
// case is anonymised under the request, and the page says so. A request
// that names nobody is refused by field.
func TestAnErasureRequestIsRecordedAndDecidedOnTheRetentionPage(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Repairs not done", false)
	c, err := s.st.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	manager := s.signIn("manager")
	resp, body := s.post(manager, "/retention/erasure", url.Values{"erasure.kind": {"erasure"}, "erasure.reason": {"By letter"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter the person&#39;s email") {
		t.Errorf("a request naming nobody: %d", resp.StatusCode)
	}
	resp, _ = s.post(manager, "/retention/erasure", url.Values{"erasure.email": {c.Complainant.Email}, "erasure.kind": {"erasure"}, "erasure.reason": {"Asked by letter"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a request: %d", resp.StatusCode)
	}
	resp, body = s.post(manager, "/retention/erasure/1", url.Values{"grant": {"no"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Give the ground for refusing") {
		t.Errorf("a refusal without its ground: %d", resp.StatusCode)
	}
	resp, _ = s.post(manager, "/retention/erasure/1", url.Values{"grant": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("granting: %d", resp.StatusCode)
	}
	_, body = s.get(manager, "/retention?done=decided")
	if !strings.Contains(body, "1 case(s) anonymised") || !strings.Contains(body, "Erasure request ER-1") {
		t.Errorf("the page does not show the erasure:\n%s", body)
	}
	got, err := s.st.GetCase(context.Background(), ref)
	if err != nil || got.Anonymisation == nil || got.Anonymisation.Request != "ER-1" || got.Complainant.Name == c.Complainant.Name {
		t.Errorf("the case after: %+v %v", got.Anonymisation, err)
	}
	resp, body = s.get(manager, "/cases/"+ref)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "This case was anonymised on") || !strings.Contains(body, "on erasure request ER-1") ||
		!strings.Contains(body, "Erasure request: ER-1") || strings.Contains(body, c.Complainant.Name) {
		t.Errorf("the anonymised case's page: %d", resp.StatusCode)
	}

	// A restriction of processing, granted, is a warning on the person's
	// other case.
	other := s.newCase("officer", "Fence down", false)
	oc, err := s.st.GetCase(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	if _, body = s.get(manager, "/cases/"+other); strings.Contains(body, "restricted-banner") {
		t.Fatal("a case shows a restriction before any is asked for")
	}
	resp, _ = s.post(manager, "/retention/erasure", url.Values{"erasure.email": {oc.Complainant.Email}, "erasure.kind": {"restriction"}, "erasure.reason": {"Disputes the accuracy"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recording a restriction: %d", resp.StatusCode)
	}
	if resp, _ = s.post(manager, "/retention/erasure/2", url.Values{"grant": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("granting the restriction: %d", resp.StatusCode)
	}
	_, body = s.get(manager, "/cases/"+other)
	if !strings.Contains(body, "asked for the processing of their data to be restricted (request ER-2") {
		t.Errorf("the case of a restricted person has no warning")
	}
	if got, _ := s.st.GetCase(context.Background(), other); got.Anonymisation != nil {
		t.Error("a restriction anonymised the case")
	}
}
