package notify_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/restriction"
)

// TestDigestRemindsTheDecisionMakerOfARestrictionReviewBeforeItIsDue
// (issue 19; 002 §2.7): the manager who decided a restriction is reminded
// in their digest once its review is within the policy's reminder days
// (14 by default), and not before; nobody else is.
func TestDigestRemindsTheDecisionMakerOfARestrictionReviewBeforeItIsDue(t *testing.T) {
	decided := time.Date(2026, 11, 2, 10, 0, 0, 0, calendar.London)
	w := newWorld(t, decided)
	ref := w.create(adaComplaint("phone")).Reference
	env := restriction.Env{Now: decided, Actor: complaint.Actor{Email: manager, Role: "manager"}, Policy: w.p}
	r, err := w.db.CreateRestriction(w.ctx, func() (restriction.Restriction, restriction.Event, error) {
		return restriction.Start(restriction.Subject{PersonKey: "email:ada@example.org", PersonName: "Ada", CaseRef: ref},
			restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", WithoutWarning: "threats", ReviewDue: calendar.MustParseDate("2026-12-14"),
				Arrangements: restriction.Arrangements{NamedContact: "Sam", Channels: []string{"email"}}}, env)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day  string
		want bool
	}{
		{"2026-11-27", false}, // 17 days before
		{"2026-11-30", true},  // 14 days before
		{"2026-12-15", true},  // overdue
	} {
		day := calendar.MustParseDate(tt.day)
		if _, err := w.relay.Digest(w.ctx, day); err != nil {
			t.Fatal(err)
		}
		got := false
		for _, m := range claimDigests(t, w) {
			has := strings.Contains(m.TextBody, "restriction "+strconv.FormatInt(r.ID, 10)+" (arose on "+ref+")")
			if has && addrOf(m.To) != manager {
				t.Errorf("%s: %s is reminded of a review they do not owe", tt.day, m.To)
			}
			if has && addrOf(m.To) == manager {
				got = true
				if !strings.Contains(m.Subject, "1 restriction to review") {
					t.Errorf("%s: subject %q", tt.day, m.Subject)
				}
			}
		}
		if got != tt.want {
			t.Errorf("%s: reminded %v, want %v", tt.day, got, tt.want)
		}
	}
}
