package letters

import (
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/poppler"
	"github.com/redresshq/redress/internal/restriction"
)

// TestRestrictionLettersSayWhat002AsksAndReadBackFromTheirPDFs (issue 19;
// 002 §2.7): the warning gives the behaviour and the action plan; the
// decision its reasons, the arrangements and the review date, with the
// Ombudsman's details; each review its outcome and reasons. Each passes
// the letter check as drafted and says the same read back from its PDF;
// each is offered only at its step.
func TestRestrictionLettersSayWhat002AsksAndReadBackFromTheirPDFs(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	c := f.received()
	now := time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)
	env := func(role string) restriction.Env {
		return restriction.Env{Now: now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: f.p}
	}
	must := func(r restriction.Restriction, _ restriction.Event, err error) restriction.Restriction {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	warned := must(restriction.Start(restriction.Subject{PersonKey: c.Complainant.Key(), PersonName: c.Complainant.Name, CaseRef: c.Reference},
		restriction.Warn{Behaviour: "Abusive calls to the repairs team", ActionPlan: "Email your named contact for three months"}, env("officer")))
	arr := restriction.Arrangements{NamedContact: "Sam Lee", Channels: []string{"email", "letter"}, Times: "weekdays 10am to 12 noon"}
	decided := must(restriction.Apply(warned, restriction.Decide{Reasons: "The abuse continued", AdjustmentsConsidered: "An advocate was offered", Arrangements: arr}, env("manager")))
	reviewed := must(restriction.Apply(decided, restriction.ReviewIt{Outcome: restriction.Continue, Reasons: "Two abusive emails in March"}, env("manager")))
	lifted := must(restriction.Apply(decided, restriction.ReviewIt{Outcome: restriction.LiftIt, Reasons: "Contact has been courteous"}, env("manager")))
	today := calendar.DateOf(now)
	tests := []struct {
		kind Kind
		r    restriction.Restriction
		want []string
		not  []string
	}{
		{RestrictionWarning, warned, []string{"Abusive calls to the repairs team", "Email your named contact for three months", "logged and looked at on its merits"}, nil},
		{RestrictionDecision, decided, []string{"The abuse continued", "An advocate was offered", "Your named contact is Sam Lee", "email and letter",
			"weekdays 10am to 12 noon", "by Sunday 4 July 2027", "Housing Ombudsman", "logged and looked at on its merits"}, nil},
		{RestrictionReview, reviewed, []string{"outcome: continue", "Two abusive emails in March", "Your named contact is Sam Lee", "Housing Ombudsman"}, nil},
		{RestrictionReview, lifted, []string{"outcome: lift", "Contact has been courteous"}, []string{"named contact is"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+string(tt.r.Status), func(t *testing.T) {
			l, err := DraftRestriction(tt.kind, c, tt.r, f.p, letterhead, nil, today)
			if err != nil {
				t.Fatal(err)
			}
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Fatalf("the drafted letter fails the letter check: %+v\n%s", missing, l.Body)
			}
			pdf, err := Render(l, letterhead)
			if err != nil {
				t.Fatal(err)
			}
			poppler.Need(t, "pdftotext")
			text := poppler.Squash(poppler.Text(t, pdf))
			for _, w := range tt.want {
				if !strings.Contains(text, poppler.Squash(w)) {
					t.Errorf("the PDF lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("the PDF says %q", w)
				}
			}
		})
	}
	// Each letter only at its step, and never from the case's own list.
	if _, err := DraftRestriction(RestrictionDecision, c, warned, f.p, letterhead, nil, today); complaint.ErrorCode(err) != complaint.Conflict {
		t.Errorf("a decision letter for a warning: %v, want a conflict", err)
	}
	for _, k := range Applicable(c) {
		if restrictionKinds[k] {
			t.Errorf("the case offers %s: restriction letters are written from the register", k)
		}
	}
	// The check names what an edit leaves out.
	l, err := DraftRestriction(RestrictionDecision, c, decided, f.p, letterhead, nil, today)
	if err != nil {
		t.Fatal(err)
	}
	missing := Check(l.Kind, l.Data, strings.ReplaceAll(l.Body, "Sam Lee", "someone"))
	if len(missing) != 1 || missing[0].Code != "named_contact" {
		t.Errorf("without the named contact: %+v", missing)
	}
}
