package complaint

import (
	"strings"
	"testing"
)

// Code 6.8 and 002 §2.3: new issues raised during the investigation go
// into the response where they can; they are logged as a new complaint
// where the response has been issued or adding them would cause an
// unreasonable delay, which the officer records while the response is
// still to go. The new complaint has the same complainant and details.
func TestAdditionalComplaintsAreLoggedApartOnlyWithAReasonBeforeTheResponse(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	at := london("2027-01-06 10:00")
	ack, responded := f.acknowledged(), f.responded()
	tests := []struct {
		name   string
		c      Case
		cmd    LogAdditionalComplaint
		code   string
		fields []string
	}{
		{"no summary", responded, LogAdditionalComplaint{}, Invalid, []string{"summary"}},
		{"before the response, no reason", ack, LogAdditionalComplaint{Summary: "The fence is broken"}, Invalid, []string{"reason"}},
		{"before the response, a blank reason", ack, LogAdditionalComplaint{Summary: "The fence is broken", Reason: "\u200b"}, Invalid, []string{"reason"}},
		{"a reference given by the caller", responded, LogAdditionalComplaint{Reference: "C-2027-000009", Summary: "The fence"}, Invalid, []string{"reference"}},
		{"a closed complaint", f.must(responded, "2027-01-06 09:00", officer, Close{}), LogAdditionalComplaint{Summary: "The fence"}, Conflict, nil},
		{"a service request", f.serviceRequest(), LogAdditionalComplaint{Summary: "The fence", Reason: "x"}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AdditionalComplaintFrom(tt.c, tt.cmd, at, f.env)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	for _, tt := range []struct {
		name string
		c    Case
		cmd  LogAdditionalComplaint
	}{
		{"after the response, no reason needed", responded, LogAdditionalComplaint{Summary: "The fence is broken", Issues: "Since the storm"}},
		{"before the response, with the reason", ack, LogAdditionalComplaint{Summary: "The fence is broken", Reason: "Adding it would delay the response: a survey is needed"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			create, err := AdditionalComplaintFrom(tt.c, tt.cmd, at, f.env)
			if err != nil {
				t.Fatal(err)
			}
			if create.Kind != KindComplaint || create.Complainant != tt.c.Complainant || !create.ReceivedAt.Equal(at) ||
				create.Summary != "The fence is broken" || !strings.Contains(create.Description, tt.c.Reference) {
				t.Errorf("the new complaint: %+v", create)
			}
			tt.cmd.Reference = "C-2027-000009"
			next, ev, err := f.decide(tt.c, "2027-01-06 10:00", officer, tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != EventAdditionalComplaint || len(next.Links) != 1 || next.Links[0] != "C-2027-000009" {
				t.Errorf("event %s, links %v", ev.Kind, next.Links)
			}
			if next.Stages[0].RespondBy != tt.c.Stages[0].RespondBy || next.Status != tt.c.Status {
				t.Errorf("the complaint's own clock or status changed")
			}
		})
	}
	if _, _, err := f.decide(responded, "2027-01-06 10:00", officer, LogAdditionalComplaint{Reference: responded.Reference, Summary: "x"}); ErrorCode(err) != Conflict {
		t.Errorf("a complaint as its own additional complaint: %v", err)
	}
}

// Code 6.8 and 002 §2.3: new points go into the current definition only
// with the officer's confirmation that they will not unreasonably delay
// the response; once the response has gone, none is added (the officer
// logs an additional complaint instead).
func TestNewPointsAreAddedOnlyWithNoUnreasonableDelayRecorded(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	ack := f.acknowledged()
	tests := []struct {
		name   string
		c      Case
		cmd    AmendDefinition
		code   string
		fields []string
	}{
		{"a point added without the confirmation", ack, AmendDefinition{Add: []string{"The fence"}, Reason: "Raised on the call"}, Invalid, []string{"no_unreasonable_delay"}},
		{"a point added after the response, confirmed or not", f.responded(), AmendDefinition{Add: []string{"The fence"}, Reason: "x", NoUnreasonableDelay: true}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2027-01-06 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	next, ev, err := f.decide(ack, "2027-01-04 10:00", officer, AmendDefinition{Add: []string{"The fence"}, Reason: "Raised on the call", NoUnreasonableDelay: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec, ok := ev.Data.(AmendDefinition); !ok || !rec.NoUnreasonableDelay || len(next.Stages[0].Points) != 3 {
		t.Errorf("recorded %+v, points %q", ev.Data, next.Stages[0].Points)
	}
	// Rewording needs no confirmation: nothing new is investigated.
	f.must(ack, "2027-01-04 10:00", officer, AmendDefinition{Reword: []PointWording{{1, "The repair was never done"}}, Reason: "Typing error"})
	// An amendment recorded before the confirmation was asked replays.
	env := f.env
	env.Replay, env.At = true, london("2027-01-04 10:00")
	if _, _, err := Decide(ack, AmendDefinition{Add: []string{"The fence"}, Reason: "x"}, env); err != nil {
		t.Errorf("replaying an older amendment: %v", err)
	}
}
