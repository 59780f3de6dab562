package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// TestDigestListsAwaabsLawClocksDueTodayOrMissedEmergenciesFirst: the
// handler's digest and every manager's list the hazard clocks due on the
// day or already missed, emergencies first, at the top and in the
// subject; a clock due later is not listed.
func TestDigestListsAwaabsLawClocksDueTodayOrMissedEmergenciesFirst(t *testing.T) {
	day := calendar.MustParseDate("2026-12-01") // a Tuesday
	w := newWorld(t, time.Date(2026, 12, 1, 8, 0, 0, 0, calendar.London))
	hazard := func(received time.Time, class complaint.HazardClass, handler string) string {
		cmd := adaComplaint("phone")
		cmd.ReceivedAt = &received
		ref := w.create(cmd).Reference
		w.do(ref, manager, complaint.Assign{Handler: handler, HandlerRole: "officer"})
		w.do(ref, officer, complaint.ClassifyHazard{Class: class, AwareAt: &received})
		return ref
	}
	significant := hazard(time.Date(2026, 11, 16, 10, 0, 0, 0, calendar.London), complaint.HazardSignificant, officer2) // investigate by Mon 30 Nov: missed
	emergency := hazard(time.Date(2026, 11, 30, 9, 0, 0, 0, calendar.London), complaint.HazardEmergency, officer)       // by 09:00 today
	later := hazard(time.Date(2026, 11, 30, 12, 0, 0, 0, calendar.London), complaint.HazardSignificant, officer)        // investigate by 14 Dec

	if _, err := w.relay.Digest(w.ctx, day); err != nil {
		t.Fatal(err)
	}
	byTo := map[string]string{}
	subjects := map[string]string{}
	for _, m := range claimDigests(t, w) {
		byTo[addrOf(m.To)], subjects[addrOf(m.To)] = m.TextBody, m.Subject
	}
	emergencyLine := emergency + " (EMERGENCY hazard): Investigate within 24 hours, due Tue 1 Dec 2026 09:00"
	significantLine := significant + " (significant hazard): Investigate within 10 working days of becoming aware, MISSED, was due Mon 30 Nov 2026"
	for _, tt := range []struct {
		to, subject string
		has, hasNot []string
	}{
		{officer, "Awaab's Law: 2 due today", []string{emergencyLine}, []string{significant, later + " ("}},
		{officer2, "Awaab's Law: 1 missed, 0 due today", []string{significantLine}, []string{emergency, later}},
		{manager, "Awaab's Law: 1 missed, 2 due today", []string{emergencyLine, significantLine}, []string{later + " ("}},
	} {
		body := byTo[tt.to]
		if !strings.HasPrefix(subjects[tt.to], tt.subject) {
			t.Errorf("digest to %s: subject %q, want it to start %q", tt.to, subjects[tt.to], tt.subject)
		}
		for _, s := range tt.has {
			if !strings.Contains(body, s) {
				t.Errorf("digest to %s lacks %q:\n%s", tt.to, s, body)
			}
		}
		for _, s := range tt.hasNot {
			if strings.Contains(body, s) {
				t.Errorf("digest to %s holds %q:\n%s", tt.to, s, body)
			}
		}
	}
	if m := byTo[manager]; strings.Index(m, emergencyLine) > strings.Index(m, significantLine) || strings.Index(m, "Awaab's Law") > strings.Index(m, "Here is what") {
		t.Errorf("the manager's digest does not put the hazard clocks first, emergencies first:\n%s", m)
	}
}
