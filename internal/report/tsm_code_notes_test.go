package report

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/policy"
)

// The notes say when the Code's clock runs for CH02: a late
// acknowledgement buys no time (Code 6.2 with 6.3, 6.11 with 6.14), an
// extension counts only if given before the deadline it extends, and
// beyond the cap only with a good reason (Code 6.4, 6.15).
func TestTSMNotesStateLateAcknowledgementsAndExtensionsBuyNoTime(t *testing.T) {
	tsm := ComputeTSM(2026, TSMCounts{Survey: map[string]ByTenure{}}, policy.Homes{Year: 2026, LowCostRental: 100}, true)
	notes := strings.Join(tsm.Notes, " ")
	for _, must := range []string{
		"A late acknowledgement buys no time",
		"from the acknowledgement or from the day it was due (5 working days after receipt), whichever is earlier",
		"given before the deadline it extends",
		"counts as late",
		"only with a recorded good reason",
	} {
		if !strings.Contains(notes, must) {
			t.Errorf("notes do not state %q:\n%s", must, notes)
		}
	}
}
