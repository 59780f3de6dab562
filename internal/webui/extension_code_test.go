package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Issue 12's rules 3 and 4 on the staff case page: the extend form asks
// for the good reason the Code wants beyond its cap (Code 6.4) and names
// the field when it is missing; an extension given after the response was
// due is shown as outside the Code's timescale.
func TestCasePageSaysALateExtensionLeavesTheResponseOutsideTheCode(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("manager", "Roof still leaking", false) // received Mon 23 Nov 2026
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Acknowledged Tue 24 Nov: the response is due Tue 8 Dec (25-27, 30
	// Nov, 1-4, 7, 8 Dec). The extension comes on Thu 10 Dec.
	s.advance(17 * 24 * time.Hour)
	if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Acknowledge{Points: []string{"The roof was not fixed"}},
			complaint.Env{Now: s.now, At: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Actor: complaint.Actor{Email: "manager@example.org", Role: "manager"}, Policy: s.p, Calendar: cal, NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}

	manager := s.signIn("manager")
	_, page := s.get(manager, "/cases/"+ref)
	if !strings.Contains(page, `name="good_reason"`) {
		t.Fatal("the extend form has no good_reason field")
	}
	form := url.Values{"working_days": {"15"}, "reason": {"Waiting for scaffolding"}, "agreed_with_resident": {"yes"},
		"ombudsman_details_given": {"yes"}, "version": {"2"}}
	resp, page := s.post(manager, "/cases/"+ref+"/extend", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `href="#extend-good-reason"`) {
		t.Fatalf("15 working days without a good reason: %d; want 400 naming the good reason\n%s", resp.StatusCode, pageText(page))
	}
	form.Set("working_days", "5")
	if resp, page := s.post(manager, "/cases/"+ref+"/extend", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a late extension of 5 working days: %d, want it recorded\n%s", resp.StatusCode, pageText(page))
	}
	_, page = s.get(manager, "/cases/"+ref)
	if !strings.Contains(pageText(page), "Given after the response was due: the response is outside the Code's timescale.") {
		t.Errorf("the case page does not say the extension was late:\n%s", pageText(page))
	}
}
