package complaint

import (
	"reflect"
	"testing"
)

// Issue 12, rule 10, greatwell-homes (002): a confidential complaint about
// a member of staff names its line manager, the one person besides its
// handlers and whoever logged it whom the case names as able to see it.
// Under a policy that keeps confidential cases to the people they name,
// a confidential contact cannot be logged without one.
func TestConfidentialComplaintNeedsALineManagerWhereThePolicyKeepsItToNamedViewers(t *testing.T) {
	tests := []struct {
		name         string
		policy       string
		confidential bool
		lineManager  string
		want         string // the line manager kept, or "error" for a field error naming line_manager
	}{
		{"greatwell: confidential with a line manager", "greatwell-homes", true, "  Lena.Manager@landlord.example ", "Lena.Manager@landlord.example"},
		{"greatwell: confidential without one", "greatwell-homes", true, "", "error"},
		{"greatwell: confidential with only spaces", "greatwell-homes", true, "   ", "error"},
		{"greatwell: not confidential, none needed", "greatwell-homes", false, "", ""},
		{"greatwell: not confidential, one may still be named", "greatwell-homes", false, "lena@landlord.example", "lena@landlord.example"},
		{"the Code: confidential without one", "code-2024", true, "", ""},
		{"the Code: confidential with one", "code-2024", true, "lena@landlord.example", "lena@landlord.example"},
		{"any policy: not an email", "code-2024", true, "Lena", "error"},
		{"any policy: two lines", "greatwell-homes", true, "lena@landlord.example\nx@y.example", "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			cmd := validCreate()
			cmd.Confidential, cmd.LineManager = tt.confidential, tt.lineManager
			c, ev, err := NewCase(cmd, f.env)
			if tt.want == "error" {
				wantError(t, err, Invalid, "line_manager")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.LineManager != tt.want {
				t.Errorf("line manager %q, want %q", c.LineManager, tt.want)
			}
			if got := ev.Data.(Create).LineManager; got != tt.lineManager {
				t.Errorf("the created event records %q, want what was given, %q", got, tt.lineManager)
			}
		})
	}
}

// An event recorded before the rule replays as it was: a confidential
// complaint logged under greatwell-homes with no line manager is rebuilt,
// not refused.
func TestConfidentialComplaintWithoutALineManagerReplays(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	cmd := validCreate()
	cmd.Confidential = true
	env := f.env
	env.Replay = true
	if _, _, err := NewCase(cmd, env); err != nil {
		t.Errorf("replay: %v", err)
	}
}

// The line manager is set or changed at any time, in any status, as the
// other details are, with its old and new values in the event; under the
// policy it may be changed but not removed from a confidential case.
func TestLineManagerIsSetAndChangedThroughDetailsAndAudited(t *testing.T) {
	gw := newFixture(t, "greatwell-homes")
	code := newFixture(t, "code-2024")
	secret := validCreate()
	secret.Confidential, secret.LineManager = true, "lena@landlord.example"
	gwSecret := gw.create(secret, "2026-12-21 09:00")
	gwClosed := gw.must(gw.must(gwSecret, "2026-12-22 10:00", officer, Withdraw{Reason: "Resolved"}), "", officer, EditDetails{Summary: ptr("Withdrawn complaint")})
	plain := code.create(validCreate(), "2026-12-21 09:00")
	codeSecret := validCreate()
	codeSecret.Confidential = true
	codeSecretCase := code.create(codeSecret, "2026-12-21 09:00")

	tests := []struct {
		name        string
		f           *fixture
		c           Case
		cmd         EditDetails
		wantChanges []DetailChange
		wantCode    string
	}{
		{"named on a confidential case under the Code", code, codeSecretCase, EditDetails{LineManager: ptr(" Lena@landlord.example ")},
			[]DetailChange{{"line_manager", "", "Lena@landlord.example"}}, ""},
		{"changed under greatwell", gw, gwSecret, EditDetails{LineManager: ptr("max@landlord.example"), Reason: "Lena has left"},
			[]DetailChange{{"line_manager", "lena@landlord.example", "max@landlord.example"}}, ""},
		{"changed on a withdrawn case", gw, gwClosed, EditDetails{LineManager: ptr("max@landlord.example")},
			[]DetailChange{{"line_manager", "lena@landlord.example", "max@landlord.example"}}, ""},
		{"with other details", gw, gwSecret, EditDetails{LineManager: ptr("max@landlord.example"), ServiceArea: ptr("Repairs")},
			[]DetailChange{{"service_area", "", "Repairs"}, {"line_manager", "lena@landlord.example", "max@landlord.example"}}, ""},
		{"removed under the Code", code, code.must(codeSecretCase, "", officer, EditDetails{LineManager: ptr("lena@landlord.example")}), EditDetails{LineManager: ptr("")},
			[]DetailChange{{"line_manager", "lena@landlord.example", ""}}, ""},
		{"named on a case that is not confidential", code, plain, EditDetails{LineManager: ptr("lena@landlord.example")},
			[]DetailChange{{"line_manager", "", "lena@landlord.example"}}, ""},
		{"removed from a confidential case under greatwell", gw, gwSecret, EditDetails{LineManager: ptr(" ")}, nil, Invalid},
		{"not an email", gw, gwSecret, EditDetails{LineManager: ptr("max")}, nil, Invalid},
		{"the same again", gw, gwSecret, EditDetails{LineManager: ptr("lena@landlord.example")}, nil, Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := tt.f.decide(tt.c, "", officer, tt.cmd)
			if tt.wantCode != "" {
				if tt.wantCode == Invalid {
					wantError(t, err, Invalid, "line_manager")
				} else if ErrorCode(err) != tt.wantCode {
					t.Errorf("err = %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != "details_edited" {
				t.Errorf("event %s", ev.Kind)
			}
			if got := ev.Data.(EditDetails).Changes; !reflect.DeepEqual(got, tt.wantChanges) {
				t.Errorf("changes = %+v\nwant %+v", got, tt.wantChanges)
			}
			if want := tt.wantChanges[len(tt.wantChanges)-1].To; next.LineManager != want {
				t.Errorf("line manager %q, want %q", next.LineManager, want)
			}
			if next.Status != tt.c.Status {
				t.Errorf("status %s: naming the line manager moves nothing on", next.Status)
			}
		})
	}
}

// A service request converted to a complaint opens a complaint that names
// the same line manager, so the people who could see it still can.
func TestConvertedServiceRequestKeepsItsLineManager(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	cmd := validCreate()
	cmd.Kind, cmd.Confidential, cmd.LineManager = KindServiceRequest, true, "lena@landlord.example"
	sr := f.create(cmd, "2026-12-21 09:00")
	create, err := ComplaintFromServiceRequest(sr, Convert{}, london("2026-12-22 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if create.LineManager != "lena@landlord.example" || !create.Confidential {
		t.Errorf("the complaint beside it: confidential %v, line manager %q", create.Confidential, create.LineManager)
	}
}
