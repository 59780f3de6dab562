package webui

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

func TestErrorsSpeakToTheOfficerInThePagesWords(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
		not  []string
	}{
		{"a point's reasons", complaint.InvalidField("decisions[0].reasons", "is required"), "Reasons for point 1 is required", []string{"decisions["}},
		{"a remedy is counted from one", complaint.InvalidField("remedies[2].due", "an action needs a due date"), "Remedy 3 due date an action needs a due date", []string{"remedies["}},
		{"a remedy's amount", complaint.InvalidField("remedies[0].amount_pence", "only compensation has an amount"), "Remedy 1 compensation amount only compensation has an amount", []string{"pence"}},
		{"a field the page labels", complaint.InvalidField("working_days", "0 is not allowed: want 1 to 260"), "Working days to add 0 is not allowed", []string{"working_days"}},
		{"a nested field", complaint.InvalidField("complainant.tenancy_ref", "is longer than 40 characters"), "Complainant's tenancy reference is longer", []string{"tenancy_ref"}},
		{"the Ombudsman's details", complaint.ConflictField("ombudsman_details_given", "the resident must be given the Ombudsman's contact details with an extension (Code 6.5 and 6.16)",
			"must be given to the resident with every extension (Code 6.5 and 6.16): confirm once they have been"),
			"The Housing Ombudsman's contact details must be given to the resident with every extension", []string{"ombudsman_details_given"}},
		{"a late escalation", complaint.ConflictField("late_reason", "the escalation window ended on 2027-01-04", "is required: the escalation window ended on 2027-01-04, so record why the late request is accepted"),
			"Why a late request is accepted is required", []string{"late_reason"}},
		{"a stale version", complaint.Errorf(complaint.Stale, "case C-1 has changed: it is at version 2, not 1; reload it and try again"), "Someone else changed this case", []string{"version 2", "not 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs, ok := domainErrors(tt.err, "form")
			if !ok || len(errs) != 1 {
				t.Fatalf("domainErrors = %v, %v", errs, ok)
			}
			if !strings.Contains(errs[0].Message, tt.want) {
				t.Errorf("message %q does not say %q", errs[0].Message, tt.want)
			}
			for _, n := range tt.not {
				if strings.Contains(errs[0].Message, n) {
					t.Errorf("message %q names %q", errs[0].Message, n)
				}
			}
		})
	}
}
