package notify_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// A contact flagged as a health-and-safety risk reaches the senior
// manager at once, not after the hold, and only once; other contacts
// raise no alert.
func TestHealthAndSafetyEscalatesAtOnce(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	ordinary := w.create(adaComplaint("phone"))
	risky := adaComplaint("phone")
	risky.HealthAndSafety = true
	risky.ServiceArea = "repairs"
	c := w.create(risky)

	// Within the hold: nothing else goes, but the alert does.
	if _, err := w.relay.RunOnce(w.ctx); err != nil {
		t.Fatal(err)
	}
	alerts := func(ref string) []string {
		out, err := w.db.Outbox(w.ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range out {
			got = append(got, m.Kind+" to "+m.To)
		}
		return got
	}
	if got := alerts(c.Reference); !slices.Equal(got, []string{`safety_alert to "Mo Manager" <mo@landlord.example>`}) {
		t.Errorf("within the hold, the flagged case's mail = %q, want only the alert to the manager", got)
	}
	if got := alerts(ordinary.Reference); len(got) != 0 {
		t.Errorf("an ordinary case raised %q within the hold", got)
	}
	out, _ := w.db.Outbox(w.ctx, c.Reference)
	body := out[0].TextBody
	for _, want := range []string{c.Reference, "health and safety risk", "Service area: repairs", "Handler: not yet assigned", "https://complaints.example/cases/" + c.Reference} {
		if !strings.Contains(body, want) {
			t.Errorf("the alert does not say %q:\n%s", want, body)
		}
	}
	for _, private := range []string{"Ada", "asthma", "Mould", "07700"} {
		if strings.Contains(body, private) || strings.Contains(out[0].Subject, private) {
			t.Errorf("the alert holds %q, which belongs on the case page", private)
		}
	}

	// Running again within the hold, and after it, sends it no second time.
	w.relay.RunOnce(w.ctx)
	w.relayAfterHold()
	got := alerts(c.Reference)
	if n := strings.Count(strings.Join(got, "\n"), "safety_alert"); n != 1 {
		t.Errorf("alerts after the hold: %q", got)
	}
	if !slices.Contains(got, "notice_created to \"Ada Resident\" <ada@example.org>") {
		t.Errorf("the resident's confirmation did not follow: %q", got)
	}

	// Named contacts take the place of the managers.
	w.relay.SafetyContacts = []string{"Head of Repairs <head.repairs@landlord.example>"}
	risky.Complainant.Email = "bo@example.org"
	c2 := w.create(risky)
	w.relay.RunOnce(w.ctx)
	if got := alerts(c2.Reference); !slices.Equal(got, []string{"safety_alert to Head of Repairs <head.repairs@landlord.example>"}) {
		t.Errorf("with a named contact: %q", got)
	}
}
