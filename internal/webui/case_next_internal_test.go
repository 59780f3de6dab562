package webui

import (
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
)

func TestTheCasePagePutsTheStepTheCaseNeedsFirst(t *testing.T) {
	stage1 := complaint.Stage{Stage: 1, Handlers: []string{"ann@example.org"}, Points: []string{"The boiler"}}
	decided := stage1
	decided.Decisions = []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It failed"}}
	stage2 := complaint.Stage{Stage: 2, Points: []string{"Again"}}
	tests := []struct {
		name       string
		c          complaint.Case
		form, want string
		letter     letters.Kind
	}{
		{"a new complaint is acknowledged first", complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusReceived, Stages: []complaint.Stage{stage1}},
			"acknowledge", "Acknowledge and define the complaint", ""},
		{"an acknowledged complaint is decided", complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusAcknowledged, Handler: "ann@example.org", Stages: []complaint.Stage{stage1}},
			"respond", "Record the decisions", ""},
		{"drafted decisions go by the response letter", complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusAcknowledged, Handler: "ann@example.org", Stages: []complaint.Stage{decided}},
			"", "Send the stage 1 response letter", letters.Stage1Response},
		{"a responded stage 1 is closed", complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusResponded, Stages: []complaint.Stage{decided}},
			"close", "Close the case", ""},
		{"stage 2 still with its stage 1 handler needs a reviewer first (Code 6.13)", complaint.Case{Kind: complaint.KindComplaint, Stage: 2, Status: complaint.StatusReceived, Handler: "ann@example.org", Stages: []complaint.Stage{decided, stage2}},
			"assign", "Assign a stage 2 reviewer", ""},
		{"stage 2 with no handler needs a reviewer", complaint.Case{Kind: complaint.KindComplaint, Stage: 2, Status: complaint.StatusAcknowledged, Stages: []complaint.Stage{decided, stage2}},
			"assign", "Assign a stage 2 reviewer", ""},
		{"stage 2 with a new reviewer is acknowledged", complaint.Case{Kind: complaint.KindComplaint, Stage: 2, Status: complaint.StatusReceived, Handler: "rob@example.org", Stages: []complaint.Stage{decided, stage2}},
			"acknowledge", "Acknowledge and define the complaint", ""},
		{"a closed case with a remedy owed is followed through", complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusClosed, Stages: []complaint.Stage{decided},
			Remedies: []complaint.Remedy{{ID: 1, Kind: complaint.RemedyAction}}}, "", "Follow through the remedies", ""},
		{"a closed case whose remedy was superseded needs nothing", complaint.Case{Kind: complaint.KindComplaint, Stage: 2, Status: complaint.StatusClosed, Stages: []complaint.Stage{decided, stage2},
			Remedies: []complaint.Remedy{{ID: 1, Kind: complaint.RemedyAction, SupersededAt: decided.ReceivedAt.AddDate(2026, 0, 0)}}}, "", "Nothing to do", ""},
		{"an open service request is resolved", complaint.Case{Kind: complaint.KindServiceRequest, Status: complaint.StatusReceived}, "close", "Resolve the request", ""},
		{"an open compliment is closed under the policy's name for it", complaint.Case{Kind: complaint.KindCompliment, Status: complaint.StatusReceived}, "close", "Close the thanks", ""},
	}
	name := func(k any) string {
		if k == complaint.KindCompliment {
			return "Thanks"
		}
		return "Complaint"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextStepOf(tt.c, name, "")
			if got.Form != tt.form || got.Title != tt.want || got.Letter != tt.letter {
				t.Errorf("next step %q (form %q, letter %q), want %q (form %q, letter %q)", got.Title, got.Form, got.Letter, tt.want, tt.form, tt.letter)
			}
		})
	}
}

// TestDecidedFindingsAwaitingTheirReviewPutTheReviewFirst (002 §2.3): where
// the policy asks for the findings to be reviewed before the response
// letter and the review is awaited, the next step is the review (or the
// reason the letter goes without it), still due by the response date,
// not the letter.
func TestDecidedFindingsAwaitingTheirReviewPutTheReviewFirst(t *testing.T) {
	decided := complaint.Stage{Stage: 1, Points: []string{"The boiler"}, Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It failed"}}}
	decided.RespondBy = decided.AcknowledgeBy.AddDays(10)
	c := complaint.Case{Kind: complaint.KindComplaint, Stage: 1, Status: complaint.StatusAcknowledged, Stages: []complaint.Stage{decided}}
	got := nextStepOf(c, func(any) string { return "Complaint" }, "Service Manager")
	if got.Anchor != "within-stage" || got.Letter != "" || got.Title != "Have the findings reviewed by the Service Manager" || got.Due != decided.RespondBy {
		t.Errorf("next step %+v, want the Service Manager's review, due by the response date", got)
	}
}
