package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testHazards holds a store to store.HazardStore (issue 14): the
// dashboard's Awaab's Law list holds every case the viewer may see whose
// hazard is under the law with a clock not yet met, emergencies first,
// then by the next unmet clock's due time, a missed one first; a case
// leaves it once every clock's step is recorded, when the hazard is found
// not to be one, and never joins it when the law does not apply.
func testHazards(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	classify := func(c complaint.Case, class complaint.HazardClass, aware time.Time) complaint.Case {
		t.Helper()
		return w.do(t, s, c.Reference, officer, complaint.ClassifyHazard{Class: class, AwareAt: &aware, Description: "Found on the call"})
	}
	hazard := func(summary string, received time.Time, class complaint.HazardClass, tenure complaint.Tenure, confidential bool) complaint.Case {
		t.Helper()
		cmd := complaintCmd(summary, received)
		cmd.Tenure, cmd.Confidential = tenure, confidential
		return classify(w.create(t, s, cmd), class, received)
	}

	w.create(t, s, complaintCmd("Fence", w.hoursAgo(5)))
	emergencySoon := hazard("Sparks from the socket", w.hoursAgo(2), complaint.HazardEmergency, "low_cost_rental", false)
	emergencyMissed := hazard("Gas smell", w.hoursAgo(30), complaint.HazardEmergency, "", false)
	significantMissed := hazard("Mould in the bedroom", w.hoursAgo(24*20), complaint.HazardSignificant, "low_cost_rental", false)
	significantSoon := hazard("Damp wall", w.hoursAgo(1), complaint.HazardSignificant, "low_cost_rental", false)
	sharedOwner := hazard("Leak through the ceiling", w.hoursAgo(3), complaint.HazardEmergency, "low_cost_home_ownership", false)
	madeSafe := hazard("Exposed wiring", w.hoursAgo(4), complaint.HazardEmergency, "low_cost_rental", false)
	w.do(t, s, madeSafe.Reference, officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Loose cable"})
	w.do(t, s, madeSafe.Reference, officer, complaint.RecordHazardStep{Step: complaint.StepMadeSafe})
	notOne := hazard("Condensation", w.hoursAgo(6), complaint.HazardSignificant, "low_cost_rental", false)
	w.do(t, s, notOne.Reference, officer, complaint.ClassifyHazard{Class: complaint.HazardNone, Reason: "Ventilation only; no mould"})
	secret := hazard("Officer ignored the gas leak", w.hoursAgo(10), complaint.HazardEmergency, "low_cost_rental", true)

	refs := func(cs []complaint.Case) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Reference)
		}
		return out
	}
	due := func(v store.Viewer) []string {
		t.Helper()
		got, err := s.HazardsDue(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			if _, ok := store.NextHazardClock(c); !ok || c.ID == 0 {
				t.Errorf("%s is listed with no unmet clock (or no id): %+v", c.Reference, c.Hazard)
			}
		}
		return refs(got)
	}
	someone := store.Viewer{Email: "someone.else@example.org"}

	t.Run("EmergenciesFirstThenByTheNextClockMissedFirst", func(t *testing.T) {
		want := []string{emergencyMissed.Reference, emergencySoon.Reference, significantMissed.Reference, significantSoon.Reference}
		if got := due(someone); !slices.Equal(got, want) {
			t.Errorf("hazards due = %v, want %v", got, want)
		}
	})

	t.Run("ConfidentialCasesFollowTheVisibilityRule", func(t *testing.T) {
		got := due(store.Viewer{Email: "admin@example.org", AllConfidential: true})
		if !slices.Contains(got, secret.Reference) {
			t.Errorf("a viewer of every confidential case does not see %s: %v", secret.Reference, got)
		}
		if slices.Contains(due(someone), secret.Reference) {
			t.Errorf("a viewer not named on %s sees it", secret.Reference)
		}
		// An emergency with 14 hours left comes after the missed one and
		// before the one with 22 hours left.
		if i, j := slices.Index(got, secret.Reference), slices.Index(got, emergencySoon.Reference); i < 0 || i > j {
			t.Errorf("the confidential emergency is out of order: %v", got)
		}
	})

	t.Run("NoRowWhereTheLawDoesNotApplyOrEveryClockIsMet", func(t *testing.T) {
		got := due(store.Viewer{Email: "admin@example.org", AllConfidential: true})
		for _, c := range []complaint.Case{sharedOwner, madeSafe, notOne} {
			if slices.Contains(got, c.Reference) {
				t.Errorf("%s (%s) is listed", c.Reference, c.Summary)
			}
		}
	})

	t.Run("RecordingAStepMovesTheCaseToItsNextClock", func(t *testing.T) {
		// The late investigation starts the summary and works clocks
		// from now: the case now waits behind the one still within its
		// first ten working days.
		w.do(t, s, significantMissed.Reference, officer, complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Black mould, failed extractor"})
		want := []string{emergencyMissed.Reference, emergencySoon.Reference, significantMissed.Reference, significantSoon.Reference}
		c, err := s.GetCase(ctx, significantMissed.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if next, _ := store.NextHazardClock(c); next.Code != "summary" {
			t.Errorf("after the investigation the next clock is %q, want the summary's", next.Code)
		}
		if next, _ := store.NextHazardClock(c); next.Due.After(significantSoon.Hazard.Clocks[0].Due) {
			want = []string{emergencyMissed.Reference, emergencySoon.Reference, significantSoon.Reference, significantMissed.Reference}
		}
		if got := due(someone); !slices.Equal(got, want) {
			t.Errorf("hazards due = %v, want %v", got, want)
		}
		for _, step := range []string{complaint.StepSummarySent, complaint.StepMadeSafe, complaint.StepPreventativeBegun} {
			w.do(t, s, significantMissed.Reference, officer, complaint.RecordHazardStep{Step: step})
		}
		if got := due(someone); slices.Contains(got, significantMissed.Reference) {
			t.Errorf("with every step recorded %s is still listed: %v", significantMissed.Reference, got)
		}
	})
}
