package restriction_test

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/restriction"
)

var (
	now     = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	subject = restriction.Subject{PersonKey: "email:pat@example.org", PersonName: "Pat Jones", CaseRef: "C-2026-000001"}
	arr     = restriction.Arrangements{NamedContact: "Sam Lee, Customer Experience Manager", Channels: []string{"email"}, Times: "Weekdays 10:00 to 12:00"}
)

func greatwell(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.Preset("greatwell-homes")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func env(t *testing.T, role string) restriction.Env {
	return restriction.Env{Now: now, Actor: complaint.Actor{Email: role + "@landlord.example", Role: role}, Policy: greatwell(t)}
}

func warned(t *testing.T) restriction.Restriction {
	t.Helper()
	r, _, err := restriction.Start(subject, restriction.Warn{Behaviour: "Abusive calls to staff", ActionPlan: "Contact by email only for three months"}, env(t, "officer"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func inForce(t *testing.T) restriction.Restriction {
	t.Helper()
	r, _, err := restriction.Apply(warned(t), restriction.Decide{Reasons: "Abuse continued", AdjustmentsConsidered: "Offered an advocate", Arrangements: arr}, env(t, "manager"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRestrictionLifecycleRules(t *testing.T) {
	later := calendar.DateOf(now).AddDays(30)
	tests := []struct {
		name   string
		from   func(t *testing.T) restriction.Restriction // nil: Start
		cmd    restriction.Command
		role   string
		code   string // "" for success
		field  string
		status restriction.Status
	}{
		{"AnyStaffMayWarnWithBehaviourAndActionPlan", nil, restriction.Warn{Behaviour: "x", ActionPlan: "y"}, "officer", "", "", restriction.Warned},
		{"AWarningNeedsTheBehaviourOfConcern", nil, restriction.Warn{ActionPlan: "y"}, "officer", complaint.Invalid, "behaviour", ""},
		{"AWarningNeedsAnActionPlan", nil, restriction.Warn{Behaviour: "x"}, "officer", complaint.Invalid, "action_plan", ""},
		{"AViewerMayNotWarn", nil, restriction.Warn{Behaviour: "x", ActionPlan: "y"}, "viewer", complaint.Forbidden, "", ""},
		{"AManagerDecidesAfterAWarning", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: arr}, "manager", "", "", restriction.InForce},
		{"AnOfficerMayNotDecide", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: arr}, "officer", complaint.Forbidden, "", ""},
		{"ADecisionNeedsTheAdjustmentsConsidered", warned, restriction.Decide{Reasons: "r", Arrangements: arr}, "admin", complaint.Invalid, "adjustments_considered", ""},
		{"ADecisionNeedsReasons", warned, restriction.Decide{AdjustmentsConsidered: "a", Arrangements: arr}, "manager", complaint.Invalid, "reasons", ""},
		{"ADecisionNeedsANamedContact", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: restriction.Arrangements{Channels: []string{"email"}}}, "manager", complaint.Invalid, "arrangements.named_contact", ""},
		{"ADecisionNeedsAChannel", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: restriction.Arrangements{NamedContact: "Sam"}}, "manager", complaint.Invalid, "arrangements.channels", ""},
		{"AnUnknownChannelIsRefused", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: restriction.Arrangements{NamedContact: "Sam", Channels: []string{"fax"}}}, "manager", complaint.Invalid, "arrangements.channels", ""},
		{"AReviewDateInThePastIsRefused", warned, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: arr, ReviewDue: calendar.DateOf(now).AddDays(-1)}, "manager", complaint.Invalid, "review_due", ""},
		{"ADecisionWithoutAWarningNeedsAReason", nil, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: arr}, "manager", complaint.Invalid, "without_warning", ""},
		{"ADecisionWithoutAWarningForThreatsToStaff", nil, restriction.Decide{Reasons: "r", AdjustmentsConsidered: "a", Arrangements: arr, WithoutWarning: "Threats of violence to staff"}, "manager", "", "", restriction.InForce},
		{"AReviewMayContinueWithANewDate", inForce, restriction.ReviewIt{Outcome: restriction.Continue, Reasons: "r", NextReview: later}, "manager", "", "", restriction.InForce},
		{"AReviewThatVariesGivesNewArrangements", inForce, restriction.ReviewIt{Outcome: restriction.Vary, Reasons: "r"}, "manager", complaint.Invalid, "arrangements.named_contact", ""},
		{"AReviewNeedsReasons", inForce, restriction.ReviewIt{Outcome: restriction.Continue}, "manager", complaint.Invalid, "reasons", ""},
		{"AReviewNeedsAKnownOutcome", inForce, restriction.ReviewIt{Outcome: "pause", Reasons: "r"}, "manager", complaint.Invalid, "outcome", ""},
		{"AReviewMayLift", inForce, restriction.ReviewIt{Outcome: restriction.LiftIt, Reasons: "r"}, "manager", "", "", restriction.Lifted},
		{"AnOfficerMayNotReview", inForce, restriction.ReviewIt{Outcome: restriction.Continue, Reasons: "r"}, "officer", complaint.Forbidden, "", ""},
		{"OnlyARestrictionInForceIsReviewed", warned, restriction.ReviewIt{Outcome: restriction.Continue, Reasons: "r"}, "manager", complaint.Conflict, "", ""},
		{"AWarningMayBeLiftedWhenBehaviourChanges", warned, restriction.LiftNow{Reasons: "Behaviour improved"}, "manager", "", "", restriction.Lifted},
		{"ALiftNeedsReasons", inForce, restriction.LiftNow{}, "manager", complaint.Invalid, "reasons", ""},
		{"ALiftedRestrictionCannotBeLiftedAgain", func(t *testing.T) restriction.Restriction {
			r, _, err := restriction.Apply(inForce(t), restriction.LiftNow{Reasons: "r"}, env(t, "manager"))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, restriction.LiftNow{Reasons: "r"}, "manager", complaint.Conflict, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(t, tt.role)
			var got restriction.Restriction
			var ev restriction.Event
			var err error
			if tt.from == nil {
				got, ev, err = restriction.Start(subject, tt.cmd, e)
			} else {
				got, ev, err = restriction.Apply(tt.from(t), tt.cmd, e)
			}
			if tt.code != "" {
				if complaint.ErrorCode(err) != tt.code {
					t.Fatalf("err = %v, want code %s", err, tt.code)
				}
				if tt.field != "" {
					var ce *complaint.Error
					if !asError(err, &ce) || ce.Fields[tt.field] == "" {
						t.Fatalf("err = %v, want field %s named", err, tt.field)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.status {
				t.Errorf("status = %s, want %s", got.Status, tt.status)
			}
			if ev.Actor != e.Actor.Email || !ev.At.Equal(now) {
				t.Errorf("event = %+v, want who and when recorded", ev)
			}
		})
	}
}

func TestADecisionDefaultsItsReviewToThePolicysPeriod(t *testing.T) {
	r := inForce(t)
	want := calendar.NewDate(2026, 9, 2)
	if r.ReviewDue != want {
		t.Errorf("review due %s, want %s (6 months, the greatwell-homes preset)", r.ReviewDue, want)
	}
	if r.DecidedBy != "manager@landlord.example" {
		t.Errorf("decided by %q, want the decision-maker, who is reminded", r.DecidedBy)
	}
	if !r.ReminderDue(want.AddDays(-14), 14) || r.ReminderDue(want.AddDays(-15), 14) {
		t.Error("the reminder should start 14 days before the review")
	}
}

func TestAReviewThatVariesReplacesTheArrangementsAndKeepsTheRecord(t *testing.T) {
	a := restriction.Arrangements{NamedContact: "Jo Bloggs", Channels: []string{"letter", "phone"}, Times: "Tuesdays"}
	r, _, err := restriction.Apply(inForce(t), restriction.ReviewIt{Outcome: restriction.Vary, Reasons: "Calls are calmer", Arrangements: &a}, env(t, "admin"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Arrangements.NamedContact != "Jo Bloggs" || len(r.Reviews) != 1 || r.Reviews[0].NextReview.IsZero() || r.ReviewDue != r.Reviews[0].NextReview {
		t.Errorf("after a varying review: %+v", r)
	}
}

func TestStartNeedsAPersonToRecogniseOnOtherCases(t *testing.T) {
	_, _, err := restriction.Start(restriction.Subject{PersonName: "Anon", CaseRef: "C-1"}, restriction.Warn{Behaviour: "x", ActionPlan: "y"}, env(t, "officer"))
	if complaint.ErrorCode(err) != complaint.Conflict {
		t.Fatalf("err = %v, want a conflict", err)
	}
}
