package report

import (
	"fmt"
	"strconv"

	"github.com/redresshq/redress/internal/restriction"
)

// restrictionsSection is the board pack's and the annual report's count
// of restricted contact (issue 19; 002 §2.7): warnings given, restrictions
// decided (and how many without a warning first), reviews held, lifted,
// and in force at the end of the period. Counts only: the pack names no
// resident.
func (pk Pack) restrictionsSection() PackSection {
	c := pk.Restrictions
	s := PackSection{ID: "restrictions", Heading: "Unacceptable behaviour and restricted contact"}
	if c == (restriction.Counts{}) {
		s.Blocks = []PackBlock{PackParagraph{Text: fmt.Sprintf("No one's contact was warned about or restricted in %s.", pk.Period)}}
		return s
	}
	s.Blocks = []PackBlock{
		PackTable{Caption: "Restricted contact, " + pk.Period.String(), NumericColumns: []int{1}, RowHeaders: true, Rows: [][]string{
			{"Warnings given", strconv.Itoa(c.Warnings)},
			{"Restrictions decided", strconv.Itoa(c.Decided)},
			{"of which without a warning first", strconv.Itoa(c.WithoutWarning)},
			{"Reviews held", strconv.Itoa(c.Reviews)},
			{"Warnings and restrictions lifted", strconv.Itoa(c.Lifted)},
			{"Restrictions in force at the end of the period", strconv.Itoa(c.InForceAtEnd)},
		}},
		PackParagraph{Text: "A restriction limits how a resident's contact happens, never whether a new complaint is logged and assessed on its merits."},
	}
	return s
}
