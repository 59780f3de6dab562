package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// testHazardFacts holds a store to store.HazardFactsStore (issue 14, item
// 5): a period's hazards, by the London date of awareness, are exactly
// report.HazardFactOf of each case with a hazard, clocks and all, kept
// in step on every save; a confidential case is counted and not named;
// and a reversed period is refused.
func testHazardFacts(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	hazard := func(cmd complaint.Create, class complaint.HazardClass) complaint.Case {
		t.Helper()
		c := w.create(t, s, cmd)
		return w.do(t, s, c.Reference, officer, complaint.ClassifyHazard{Class: class, AwareAt: cmd.ReceivedAt})
	}

	w.create(t, s, complaintCmd("Fence", w.hoursAgo(5)))
	emergency := hazard(complaintCmd("Sparks from the socket", w.hoursAgo(30)), complaint.HazardEmergency)
	w.do(t, s, emergency.Reference, officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Loose cable"})
	emergency = w.do(t, s, emergency.Reference, officer, complaint.RecordHazardStep{Step: complaint.StepMadeSafe})
	enquiryCmd := complaintCmd("Mould in the bedroom", w.hoursAgo(24*20))
	enquiryCmd.Kind, enquiryCmd.Channel = complaint.KindEnquiry, "email"
	enquiry := hazard(enquiryCmd, complaint.HazardSignificant)
	sharedCmd := complaintCmd("Leak through the ceiling", w.hoursAgo(3))
	sharedCmd.Tenure = "low_cost_home_ownership"
	shared := hazard(sharedCmd, complaint.HazardEmergency)
	secretCmd := complaintCmd("Officer ignored the gas leak", w.hoursAgo(10))
	secretCmd.Confidential = true
	secret := hazard(secretCmd, complaint.HazardEmergency)
	notOne := hazard(complaintCmd("Condensation", w.hoursAgo(6)), complaint.HazardSignificant)
	notOne = w.do(t, s, notOne.Reference, officer, complaint.ClassifyHazard{Class: complaint.HazardNone, Reason: "Ventilation only"})
	lastYear := hazard(complaintCmd("Damp wall", time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)), complaint.HazardSignificant) // 00:30 on 1 April in London

	from, to := report.Year(2026).Dates()
	facts := func(v store.Viewer, from, to calendar.Date) []report.HazardFact {
		t.Helper()
		got, err := s.HazardFacts(ctx, store.HazardFactsQuery{From: from, To: to, Viewer: v})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := func(cs ...complaint.Case) []report.HazardFact {
		var out []report.HazardFact
		for _, c := range cs {
			got, err := s.GetCase(ctx, c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := report.HazardFactOf(&got)
			out = append(out, f)
		}
		return out
	}
	same := func(a, b report.HazardFact) bool {
		return a.Reference == b.Reference && a.Hidden == b.Hidden && a.Class == b.Class && a.Complaint == b.Complaint &&
			a.Channel == b.Channel && a.Statutory == b.Statutory && a.AwareAt.Equal(b.AwareAt) && a.MadeSafeAt.Equal(b.MadeSafeAt) &&
			slices.EqualFunc(a.Clocks, b.Clocks, func(x, y complaint.HazardClock) bool {
				return x.Code == y.Code && x.Name == y.Name && x.Due.Equal(y.Due) && x.DueDate == y.DueDate && x.Hours == y.Hours && x.MetAt.Equal(y.MetAt)
			})
	}
	all := store.Viewer{Email: "admin@example.org", AllConfidential: true}

	t.Run("TheYearsHazardsAreEachCasesFactsEarliestAwarenessFirst", func(t *testing.T) {
		got := facts(all, from, to)
		exp := want(lastYear, enquiry, emergency, secret, notOne, shared)
		if !slices.EqualFunc(got, exp, same) {
			t.Errorf("facts =\n%+v\nwant\n%+v", got, exp)
		}
		if len(got) > 2 && (len(got[2].Clocks) != 2 || got[2].Clocks[1].MetAt.IsZero() || got[2].Clocks[1].Met() || got[2].MadeSafeAt.IsZero()) {
			t.Errorf("the emergency made safe 30 hours on has clocks %+v, want them met late", got[2].Clocks)
		}
	})
	t.Run("AwarenessIsDatedInLondon", func(t *testing.T) {
		got := facts(all, calendar.MustParseDate("2025-04-01"), calendar.MustParseDate("2026-03-31"))
		if len(got) != 0 {
			t.Errorf("the year before holds %d hazards; the one aware at 23:30 on 31 March UTC is 1 April in London", len(got))
		}
	})
	t.Run("AConfidentialCaseIsCountedNotNamed", func(t *testing.T) {
		got := facts(store.Viewer{Email: "someone.else@example.org"}, from, to)
		if len(got) != 6 {
			t.Fatalf("%d facts, want 6", len(got))
		}
		for _, f := range got {
			if f.Hidden != (f.Reference == "") {
				t.Errorf("hidden %v with reference %q", f.Hidden, f.Reference)
			}
			if f.Reference == secret.Reference {
				t.Errorf("the confidential case %s is named", secret.Reference)
			}
		}
		if n := slices.IndexFunc(got, func(f report.HazardFact) bool { return f.Hidden }); n < 0 || got[n].Class != complaint.HazardEmergency {
			t.Errorf("the confidential case is not counted as an emergency: %+v", got)
		}
	})
	t.Run("AReversedPeriodIsInvalid", func(t *testing.T) {
		_, err := s.HazardFacts(ctx, store.HazardFactsQuery{From: to, To: from, Viewer: all})
		if complaint.ErrorCode(err) != complaint.Invalid {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}
