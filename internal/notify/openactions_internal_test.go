package notify

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// TestClosingNoticePromisesOnlyActionsStillOwed checks that the closing
// notice's promise to do the actions left counts only those still owed:
// an action a later stage superseded will not be done, and the resident
// must not be told it will.
func TestClosingNoticePromisesOnlyActionsStillOwed(t *testing.T) {
	superseded := time.Date(2027, 2, 3, 11, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		remedies []complaint.Remedy
		want     bool
	}{
		{"an action not done", []complaint.Remedy{{ID: 1, Kind: complaint.RemedyAction}}, true},
		{"an action done", []complaint.Remedy{{ID: 1, Kind: complaint.RemedyAction, Done: true}}, false},
		{"an action superseded", []complaint.Remedy{{ID: 1, Kind: complaint.RemedyAction, SupersededAt: superseded}}, false},
		{"compensation not paid is not an action", []complaint.Remedy{{ID: 1, Kind: complaint.RemedyCompensation}}, false},
		{"a superseded action beside one still owed", []complaint.Remedy{
			{ID: 1, Kind: complaint.RemedyAction, SupersededAt: superseded}, {ID: 2, Kind: complaint.RemedyAction}}, true},
	} {
		c := complaint.Case{Remedies: tt.remedies}
		if got := openActions(&c); got != tt.want {
			t.Errorf("%s: openActions = %v, want %v", tt.name, got, tt.want)
		}
	}
}
