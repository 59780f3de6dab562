package complaint

import (
	"encoding/json"
	"testing"
)

// TestConfirmingATenancySetsTenureAndAddressAndRecordsEachChange: a
// suggestion changes nothing; confirming it sets the tenure and the
// complainant's address, postcode and tenancy reference from the match,
// each change on the event with its old and new values; confirming the
// same tenancy again is a conflict; clearing removes only the match; and
// every refusal names its field.
func TestConfirmingATenancySetsTenureAndAddressAndRecordsEachChange(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.create(validCreate(), "2026-12-21 09:00")
	m := TenancyMatch{Ref: "T-1", HomeRef: "H-1", Tenure: "low_cost_rental", RegisterTenure: "low_cost_rental", Address: "1 Quay Court\nRiverside", Postcode: "RV1 1AA", MatchedBy: "email"}
	suggested := m
	c.Tenancy = &suggested

	next, ev, err := f.decide(c, "2026-12-22 10:00", officer, ConfirmTenancy{Ref: "T-1", Match: &m})
	if err != nil {
		t.Fatal(err)
	}
	if next.Tenure != "low_cost_rental" || next.Complainant.Address != m.Address || next.Complainant.Postcode != "RV1 1AA" || next.Complainant.TenancyRef != "T-1" ||
		next.Tenancy == nil || !next.Tenancy.Confirmed || next.Tenancy.ConfirmedBy != officer.Email || !next.Tenancy.ConfirmedAt.Equal(london("2026-12-22 10:00")) {
		t.Errorf("confirmed: tenure %q complainant %+v match %+v", next.Tenure, next.Complainant, next.Tenancy)
	}
	if c.Tenancy.Confirmed || c.Tenure != "" {
		t.Errorf("the case given to Decide was changed")
	}
	if ev.Kind != EventTenancyConfirmed {
		t.Errorf("event %s", ev.Kind)
	}
	var rec ConfirmTenancy
	raw, _ := json.Marshal(ev.Data)
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	fields := map[string]DetailChange{}
	for _, ch := range rec.Changes {
		fields[ch.Field] = ch
	}
	for _, want := range []DetailChange{
		{"tenancy", "", "T-1"}, {"tenure", "", "low_cost_rental"}, {"complainant.address", c.Complainant.Address, m.Address},
		{"complainant.postcode", c.Complainant.Postcode, "RV1 1AA"}, {"complainant.tenancy_ref", c.Complainant.TenancyRef, "T-1"},
	} {
		if got := fields[want.Field]; got != want && want.From != want.To {
			t.Errorf("change of %s: %+v, want %+v", want.Field, got, want)
		}
	}
	if rec.Match == nil || rec.Match.Ref != "T-1" {
		t.Errorf("the event does not record the match: %+v", rec.Match)
	}

	_, _, err = f.decide(next, "2026-12-22 11:00", officer, ConfirmTenancy{Ref: "T-1", Match: &m})
	wantError(t, err, Conflict)
	_, _, err = f.decide(next, "2026-12-22 11:00", officer, ConfirmTenancy{Ref: "T-1", Clear: true})
	wantError(t, err, Invalid, "ref")
	_, _, err = f.decide(next, "2026-12-22 11:00", officer, ConfirmTenancy{})
	wantError(t, err, Invalid, "ref")
	_, _, err = f.decide(next, "2026-12-22 11:00", officer, ConfirmTenancy{Ref: "T-9"})
	wantError(t, err, Invalid, "ref")
	_, _, err = f.decide(next, "2026-12-22 11:00", officer, ConfirmTenancy{Ref: "T-9", Match: &m})
	wantError(t, err, Invalid, "ref")

	cleared := f.must(next, "2026-12-22 12:00", officer, ConfirmTenancy{Clear: true})
	if cleared.Tenancy != nil || cleared.Tenure != "low_cost_rental" || cleared.Complainant.TenancyRef != "T-1" {
		t.Errorf("cleared: match %+v tenure %q: the details set stay", cleared.Tenancy, cleared.Tenure)
	}
	_, _, err = f.decide(cleared, "2026-12-22 13:00", officer, ConfirmTenancy{Clear: true})
	wantError(t, err, Conflict)

	// A replay has no suggestion (no event records one), so clearing one
	// replays on a case with none.
	env := f.env
	env.Replay = true
	if _, _, err := Decide(f.create(validCreate(), "2026-12-21 09:00"), ConfirmTenancy{Clear: true}, env); err != nil {
		t.Errorf("replaying the clearing of a suggestion: %v", err)
	}
}
