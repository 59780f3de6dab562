package complaint

import (
	"reflect"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// TestTenureCanBeSetAndCorrectedAtAnyTimeAndIsAudited is issue 12's rule
// 7: an officer sets or corrects tenure, and every other case detail, in
// any status, a closed case included, and the event records the old and
// new values.
func TestTenureCanBeSetAndCorrectedAtAnyTimeAndIsAudited(t *testing.T) {
	f := newFixture(t, "code-2024")
	received := f.create(validCreate(), "2026-12-21 09:00")
	acked := f.must(received, "2026-12-22 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	responded := f.respond(acked, "2026-12-23 10:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "We were slow"}}})
	closed := f.must(responded, "2026-12-24 10:00", officer, Close{})
	withdrawn := f.must(acked, "2026-12-23 10:00", officer, Withdraw{Reason: "Resolved"})

	lcra := Tenure("low_cost_rental")
	tests := []struct {
		name        string
		c           Case
		cmd         EditDetails
		wantChanges []DetailChange
		wantField   string // the field an invalid command names
		wantCode    string
	}{
		{name: "tenure set on a new complaint", c: received, cmd: EditDetails{Tenure: &lcra},
			wantChanges: []DetailChange{{"tenure", "", "low_cost_rental"}}},
		{name: "tenure set on a closed complaint", c: closed, cmd: EditDetails{Tenure: &lcra, Reason: "Checked the tenancy"},
			wantChanges: []DetailChange{{"tenure", "", "low_cost_rental"}}},
		{name: "tenure set on a withdrawn complaint", c: withdrawn, cmd: EditDetails{Tenure: ptr(Tenure("other"))},
			wantChanges: []DetailChange{{"tenure", "", "other"}}},
		{name: "every detail corrected", c: acked, cmd: EditDetails{
			ServiceArea: ptr(" Repairs "), Categories: &[]string{" Damp ", "Mould"}, Summary: ptr("Damp and mould"),
			Complainant: &Person{Name: "Ada King", Phone: "0161 000 0000", Postcode: "m1 1aa"}},
			wantChanges: []DetailChange{
				{"service_area", "", "Repairs"}, {"categories", "", "Damp; Mould"}, {"summary", "The damp in the bedroom has not been fixed", "Damp and mould"},
				{"complainant.name", "Ada Lovelace", "Ada King"}, {"complainant.email", "ada@example.org", ""},
				{"complainant.phone", "", "0161 000 0000"}, {"complainant.postcode", "", "M1 1AA"}}},
		{name: "an unknown tenure", c: received, cmd: EditDetails{Tenure: ptr(Tenure("freehold"))}, wantField: "tenure", wantCode: Invalid},
		{name: "a blank summary", c: received, cmd: EditDetails{Summary: ptr("  ")}, wantField: "summary", wantCode: Invalid},
		{name: "a bad email", c: received, cmd: EditDetails{Complainant: &Person{Name: "Ada", Email: "ada at example"}}, wantField: "complainant.email", wantCode: Invalid},
		{name: "no way to reply", c: received, cmd: EditDetails{Complainant: &Person{Name: "Ada"}}, wantField: "complainant", wantCode: Invalid},
		{name: "a blank category", c: received, cmd: EditDetails{Categories: &[]string{""}}, wantField: "categories[0]", wantCode: Invalid},
		{name: "a multi-line service area", c: received, cmd: EditDetails{ServiceArea: ptr("a\nb")}, wantField: "service_area", wantCode: Invalid},
		{name: "nothing given", c: received, cmd: EditDetails{}, wantCode: Invalid},
		{name: "nothing changes", c: received, cmd: EditDetails{Summary: ptr(received.Summary)}, wantCode: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(tt.c, "", officer, tt.cmd)
			if tt.wantCode != "" {
				if ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				if tt.wantField != "" {
					e, _ := err.(*Error)
					if e == nil || e.Fields[tt.wantField] == "" {
						t.Errorf("err = %v, want it to name %s", err, tt.wantField)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != "details_edited" || ev.Actor != officer.Email {
				t.Errorf("event %s by %s", ev.Kind, ev.Actor)
			}
			got := ev.Data.(EditDetails).Changes
			if !reflect.DeepEqual(got, tt.wantChanges) {
				t.Errorf("changes recorded = %+v\nwant %+v", got, tt.wantChanges)
			}
			if next.Status != tt.c.Status || next.Stage != tt.c.Stage {
				t.Errorf("status %s stage %d: a correction moves nothing on", next.Status, next.Stage)
			}
			if !reflect.DeepEqual(next.Stages, tt.c.Stages) {
				t.Errorf("stages changed: a correction moves no deadline")
			}
			if tt.cmd.Tenure != nil && next.Tenure != *tt.cmd.Tenure {
				t.Errorf("tenure %q", next.Tenure)
			}
		})
	}

	// A correction of a correction: the trail keeps both.
	c := f.must(closed, "", officer, EditDetails{Tenure: ptr(Tenure("other"))})
	_, ev, err := f.decide(c, "", officer, EditDetails{Tenure: &lcra})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.Data.(EditDetails).Changes; !reflect.DeepEqual(got, []DetailChange{{"tenure", "other", "low_cost_rental"}}) {
		t.Errorf("correction recorded %+v", got)
	}
}
