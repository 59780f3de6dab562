package letters

import (
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// Issue 19, item 6 (003: "Where we provide a written response we will
// make this available to all petitioners"): under a policy that says so,
// the response to a group that lists its members says a copy goes to
// every member; elsewhere it says nothing of copies.
func TestAGroupsResponseSaysACopyGoesToEveryMemberWhereThePolicySaysSo(t *testing.T) {
	for _, tt := range []struct {
		preset string
		copies bool
	}{{"feedback-policy-2018", true}, {"code-2024", false}} {
		t.Run(tt.preset, func(t *testing.T) {
			f := newFixture(t, tt.preset)
			c := f.decided()
			c.Group = &complaint.Group{Name: "the Mill Lane petition", PointOfContact: "Margaret Pemberton", People: []complaint.GroupMember{
				{Name: "Margaret Pemberton", Email: "margaret@example.org"}, {Name: "Bo Chen", Address: "2 Mill Lane"}}}
			l := f.draft(Stage1Response, c, "2027-01-05")
			if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
				t.Fatalf("Check: %+v", missing)
			}
			sentence := "We are sending a copy of this response to every member of the Mill Lane petition."
			if got := strings.Contains(pdfText(t, l), sentence); got != tt.copies {
				t.Errorf("the PDF says %q: %v, want %v", sentence, got, tt.copies)
			}
			if !tt.copies {
				return
			}
			missing := Check(l.Kind, l.Data, strings.Replace(l.Body, sentence, "", 1))
			if len(missing) != 1 || missing[0].Code != "group_copies" {
				t.Errorf("a response that leaves out the copies: Check = %+v, want group_copies", missing)
			}
		})
	}
}
