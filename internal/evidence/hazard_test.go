package evidence_test

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/poppler"
)

// The evidence pack shows the hazard under Awaab's Law: its class and
// when the landlord became aware, each statutory clock with its due time
// and whether it was met, missed or is running, every step with the
// investigation's findings, and each offer of alternative accommodation.
func TestEvidencePackShowsTheHazardClocksAndTheirSteps(t *testing.T) {
	poppler.Need(t, "pdftotext")
	w := newWorld(t)
	c := w.create("Ada Resident", "ada@example.org", "2026-11-02 10:00")
	ref := c.Reference
	w.do(ref, "officer@example.org", "2026-11-02 11:00", complaint.ClassifyHazard{Class: complaint.HazardSignificant, Description: "Black mould in the bedroom"})
	w.do(ref, "officer@example.org", "2026-11-09 15:00", complaint.RecordHazardStep{Step: complaint.StepInvestigated, Findings: "Failed extractor fan; mould on the outside wall"})
	w.do(ref, "officer@example.org", "2026-11-10 10:00", complaint.RecordAccommodation{Status: "offered", Note: "A flat on Mill Lane while the wall dries"})
	w.do(ref, "officer@example.org", "2026-11-20 10:00", complaint.RecordHazardStep{Step: complaint.StepSummarySent})
	pack, err := evidence.Build(ctx, w.st, ref, "Riverside Vale Homes", at("2027-03-01 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := evidence.ReadFile(pack.Zip, "chronology.pdf")
	if err != nil {
		t.Fatal(err)
	}
	chron := strings.Join(strings.Fields(poppler.Text(t, b)), " ")
	for _, s := range []string{
		"Hazard (Awaab's Law)", "significant", "Black mould in the bedroom", "2 November 2026 10:00", "applies: a social rented tenancy",
		"Statutory clocks", "Investigate within 10 working days", "16 November 2026 (end of day)", "met",
		"Written summary within 3 working days", "missed: done late", "Safety work within 5 working days", "missed: not done",
		"Failed extractor fan; mould on the outside wall", "Alternative accommodation", "offered", "A flat on Mill Lane while the wall dries",
	} {
		if !strings.Contains(chron, s) {
			t.Errorf("the chronology does not contain %q", s)
		}
	}
}
