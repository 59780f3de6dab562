package letters

import (
	"slices"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

// TestASupersededActionIsNotReportedAsOpen checks that a stage 1 action
// that stage 2 superseded is no longer reported as owed: a stage 2
// response lists it neither as an earlier action still open (Code 6.19)
// nor as overdue, and an action update lists it neither as open nor as
// done. Stage 2's own action (5) stays open.
func TestASupersededActionIsNotReportedAsOpen(t *testing.T) {
	f := newFixture(t, "code-2024")
	decided := f.stage2Decided()
	superseded := f.do(decided, "2027-02-03 11:00", reviewer, complaint.SupersedeRemedy{ID: 3, Reason: "The boiler was replaced under the landlord's planned programme instead"})

	actions := func(rs []Remedy) []int {
		var ids []int
		for _, r := range rs {
			ids = append(ids, r.Number)
		}
		return ids
	}
	for _, tt := range []struct {
		name          string
		c             complaint.Case
		kind          Kind
		earlier, open []int
	}{
		{"a stage 2 response before superseding reports the open action", decided, Stage2Response, []int{3}, []int{3, 5}},
		{"a stage 2 response after superseding does not", superseded, Stage2Response, nil, []int{5}},
		{"an action update after superseding does not", superseded, ActionUpdate, nil, []int{5}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewData(tt.kind, tt.c, f.p, f.cal, letterhead, day("2027-03-01"))
			if err != nil {
				t.Fatal(err)
			}
			if got := actions(d.EarlierActions); !slices.Equal(got, tt.earlier) {
				t.Errorf("earlier actions %v, want %v", got, tt.earlier)
			}
			if got := actions(d.OpenActions); !slices.Equal(got, tt.open) {
				t.Errorf("open actions %v, want %v", got, tt.open)
			}
			if got := actions(d.DoneActions); len(got) != 0 {
				t.Errorf("done actions %v, want none", got)
			}
		})
	}
}
