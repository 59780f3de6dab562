package evidence_test

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/poppler"
)

// 002 §2.3 and 003: the Service Manager's review of the stage 1 findings
// and mediation are in the evidence pack's chronology, for the Housing
// Ombudsman, with who reviewed and the result.
func TestTheEvidencePackChronologyHoldsTheReviewAndMediation(t *testing.T) {
	w := newWorld(t)
	p, err := policy.Preset("greatwell-homes")
	if err != nil {
		t.Fatal(err)
	}
	p.Mediation = policy.Mediation{Offered: true, Source: "003"}
	w.p = p
	if w.cal, err = p.Calendar(nil); err != nil {
		t.Fatal(err)
	}
	c := w.create("Ada Resident", "ada@example.org", "2026-11-16 09:00")
	w.do(c.Reference, "officer@example.org", "2026-11-17 09:00", complaint.Acknowledge{Points: []string{"The boiler keeps failing"}})
	w.do(c.Reference, "officer@example.org", "2026-11-18 09:00", complaint.RecordMediation{Step: complaint.MediationOffered, Mediator: "Community Mediation"})
	w.do(c.Reference, "officer@example.org", "2026-11-19 09:00", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "Three visits failed"}}})
	w.do(c.Reference, "officer@example.org", "2026-11-20 09:00", complaint.RecordSignOff{Reviewer: "Sam Patel", Result: complaint.SignOffChangesAsked, Comments: "Name the engineer's findings"})
	pack, err := evidence.Build(ctx, w.st, c.Reference, "Greatwell Homes", at("2027-03-01 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := evidence.ReadFile(pack.Zip, "chronology.pdf")
	if err != nil {
		t.Fatal(err)
	}
	poppler.Need(t, "pdftotext")
	chron := poppler.Text(t, pdf)
	for _, s := range []string{"sign off recorded", "Sam Patel", "Service Manager", "changes_asked", "Name the engineer's findings", "mediation recorded", "Community Mediation"} {
		if !strings.Contains(chron, s) {
			t.Errorf("the chronology does not contain %q", s)
		}
	}
}
