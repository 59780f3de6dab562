package complaint

import (
	"strings"
	"testing"
)

// summaryLetter is the hazard summary letter as issuing it records it.
func summaryLetter() RecordLetter {
	return RecordLetter{Kind: LetterHazardSummary, Title: "Summary of our hazard investigation", Channel: "email", SHA256: strings.Repeat("cd", 32)}
}

// Issuing the hazard summary letter is what records the written summary
// as sent, at the letter's time, and meets the summary clock; it is
// refused, as a conflict, on a case that does not call for it.
func TestHazardSummaryLetterRecordsTheSummaryAsSent(t *testing.T) {
	significant := func(f *fixture) Case {
		return f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant, Description: "Black mould in the child's bedroom"})
	}
	investigated := func(f *fixture) Case {
		return f.must(significant(f), "2027-01-05 15:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "Mould from a failed extractor fan"})
	}
	tests := []struct {
		name  string
		setup func(f *fixture) Case
		// conflict is a word the refusal must contain; empty, the letter
		// is accepted.
		conflict string
	}{
		{"an investigated significant hazard", investigated, ""},
		{"no hazard", func(f *fixture) Case { return f.received() }, "no hazard"},
		{"a hazard found to be none", func(f *fixture) Case {
			return f.must(significant(f), "2026-12-22 10:00", officer, ClassifyHazard{Class: HazardNone, Reason: "Condensation only, advice given"})
		}, "no hazard"},
		{"an emergency", func(f *fixture) Case {
			c := f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardEmergency})
			return f.must(c, "2026-12-21 15:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "Gas leak at the meter"})
		}, "emergency"},
		{"not yet investigated", significant, "not been investigated"},
		{"the summary already sent as a step", func(f *fixture) Case {
			return f.must(investigated(f), "2027-01-06 09:00", officer, RecordHazardStep{Step: StepSummarySent})
		}, "already sent"},
		{"the summary already sent as a letter", func(f *fixture) Case {
			return f.must(investigated(f), "2027-01-06 09:00", officer, summaryLetter())
		}, "already sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			c := tt.setup(f)
			next, ev, err := f.decide(c, "2027-01-07 10:00", officer, summaryLetter())
			if tt.conflict != "" {
				wantError(t, err, Conflict)
				if !strings.Contains(err.Error(), tt.conflict) {
					t.Errorf("refusal %q does not say %q", err, tt.conflict)
				}
				if c.Hazard != nil && next.Hazard != nil && !next.Hazard.SummarySentAt.Equal(c.Hazard.SummarySentAt) {
					t.Errorf("a refused letter changed the summary's time")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != "letter_issued" {
				t.Errorf("event %s, want letter_issued", ev.Kind)
			}
			want := london("2027-01-07 10:00")
			if !next.Hazard.SummarySentAt.Equal(want) {
				t.Errorf("summary sent at %v, want the letter's time %v", next.Hazard.SummarySentAt, want)
			}
			// Investigation ended Tue 5 Jan: the summary was due Fri 8 Jan.
			if k := clock(t, next, "summary"); !k.MetAt.Equal(want) || !k.Met() {
				t.Errorf("summary clock %+v: want met at the letter's time", k)
			}
			if !c.Hazard.SummarySentAt.IsZero() {
				t.Error("deciding changed the case it was given")
			}
		})
	}
}

// Other letters leave the hazard alone, even on a case whose summary is
// due.
func TestOtherLettersDoNotSendTheHazardSummary(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant})
	c = f.must(c, "2027-01-05 15:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "Mould from a failed extractor fan"})
	l := summaryLetter()
	l.Kind, l.Title = "acknowledgement", "Acknowledgement"
	c = f.must(c, "2027-01-06 09:00", officer, Acknowledge{Points: []string{"Mould"}})
	c = f.must(c, "2027-01-06 10:00", officer, l)
	if !c.Hazard.SummarySentAt.IsZero() {
		t.Errorf("an acknowledgement recorded the hazard summary as sent at %v", c.Hazard.SummarySentAt)
	}
}
