package complaint

import (
	"encoding/json"
	"strings"
	"testing"
)

// An apology or compensation is marked done with the day it was sent or
// paid: not after today, not before the remedy was agreed (the day its
// stage's response was sent, or before that the day the stage was
// received), and only for those two kinds. Not given, it is the day it is
// marked done, and the event records it. The fixture's response was sent
// on 5 January 2027; the stage was received on 21 December 2026; today is
// 1 March 2027. Remedies 1, 2 and 3 are an apology, compensation and an
// action.
func TestPaidOnIsBetweenTheAgreementAndToday(t *testing.T) {
	f := newFixture(t, "code-2024")
	sent := f.responded()
	drafted := f.must(f.acknowledged(), "2027-01-04 10:00", officer, respondCmd())
	tests := []struct {
		name   string
		c      Case
		id     int
		paidOn string
		want   string // the PaidOn kept; "" with field for a refusal
		field  string
	}{
		{"compensation paid before it was marked done", sent, 2, "2027-01-20", "2027-01-20", ""},
		{"paid on the day the response was sent", sent, 2, "2027-01-05", "2027-01-05", ""},
		{"not given: the day it is marked done", sent, 2, "", "2027-01-28", ""},
		{"an apology sent, not given", sent, 1, "", "2027-01-28", ""},
		{"before the response that agreed it", sent, 2, "2027-01-04", "", "paid_on"},
		{"after today", sent, 1, "2027-03-02", "", "paid_on"},
		{"today is allowed", sent, 1, "2027-03-01", "2027-03-01", ""},
		{"an action is not paid or sent", sent, 3, "2027-01-20", "", "paid_on"},
		{"an action done has no paid date", sent, 3, "", "", ""},
		{"drafted, not yet sent: on or after the stage was received", drafted, 1, "2026-12-21", "2026-12-21", ""},
		{"drafted, not yet sent: before the stage was received", drafted, 1, "2026-12-20", "", "paid_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(tt.c, "2027-01-28 10:00", officer, CompleteRemedy{ID: tt.id, PaidOn: date(tt.paidOn)})
			if tt.field != "" {
				wantError(t, err, Invalid, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := next.Remedies[tt.id-1]
			if !r.Done || r.PaidOn != date(tt.want) {
				t.Errorf("remedy %d: done %v, paid on %q, want done and paid on %q", tt.id, r.Done, r.PaidOn, tt.want)
			}
			b, err := json.Marshal(ev.Data)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b); (tt.want != "") != strings.Contains(got, `"paid_on":"`+tt.want+`"`) || tt.want == "" && strings.Contains(got, "paid_on") {
				t.Errorf("the event records %s, want paid_on %q", got, tt.want)
			}
		})
	}
}

// An event recorded before the payment date existed replays as it was
// recorded, with no date, so that a case stored then still matches its
// events.
func TestPaidOnIsNotAddedWhenAnOldEventIsReplayed(t *testing.T) {
	f := newFixture(t, "code-2024")
	env := f.env
	env.At, env.Replay = london("2027-01-28 10:00"), true
	next, _, err := Decide(f.responded(), CompleteRemedy{ID: 2}, env)
	if err != nil {
		t.Fatal(err)
	}
	if r := next.Remedies[1]; !r.Done || !r.PaidOn.IsZero() {
		t.Errorf("replayed: done %v, paid on %q, want done with no paid date", r.Done, r.PaidOn)
	}
}
