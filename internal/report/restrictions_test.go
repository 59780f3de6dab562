package report

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/restriction"
)

// TestTheAnnualReportCountsRestrictedContactWithoutNamingAnyone (issue
// 19): the annual report's section gives each count, and a year with
// none says so.
func TestTheAnnualReportCountsRestrictedContactWithoutNamingAnyone(t *testing.T) {
	pk := BuildPack(packInput(t, "2026"))
	if got := flatten(pk.restrictionsSection()); !strings.Contains(got, "No one's contact was warned about or restricted") {
		t.Errorf("an empty year: %q", got)
	}
	pk.Restrictions = restriction.Counts{Warnings: 3, Decided: 2, WithoutWarning: 1, Reviews: 4, Lifted: 1, InForceAtEnd: 2}
	got := flatten(pk.restrictionsSection())
	for _, want := range []string{"Warnings given|3", "Restrictions decided|2", "of which without a warning first|1", "Reviews held|4",
		"Warnings and restrictions lifted|1", "Restrictions in force at the end of the period|2", "never whether a new complaint is logged"} {
		if !strings.Contains(got, want) {
			t.Errorf("the section lacks %q:\n%s", want, got)
		}
	}
}
