package webui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestCasePageAndAcknowledgementGiveTheTrackingCode opens a case logged by
// phone, which has no tracking code until one is needed: the case page
// makes it and shows it, for staff to read to a resident without email,
// and the acknowledgement letter drafted next prints the same code.
func TestCasePageAndAcknowledgementGiveTheTrackingCode(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Boiler keeps failing", false)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Acknowledge{Points: []string{"The boiler failed"}},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}
	c := s.signIn("officer")
	_, page := s.get(c, "/cases/"+ref)
	code, err := s.st.TrackingCode(context.Background(), ref, s.now)
	if err != nil {
		t.Fatal(err)
	}
	shown := store.FormatTrackingCode(code)
	wantContains(t, "the case page", page, `id="tracking-code">`+shown+`<`)
	_, page = s.get(c, "/cases/"+ref+"/letters/new?kind=acknowledgement")
	if body := draftBody(t, page); !strings.Contains(body, "this tracking code: "+shown+".") {
		t.Errorf("the acknowledgement does not print the tracking code %s:\n%s", shown, body)
	}
}
