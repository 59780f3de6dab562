package complaint

import (
	"encoding/json"
	"testing"
)

// Issue 19, item 5: a compliment names who it praises and is passed on to
// them and their manager (000: "we offer individual feedback to
// colleagues when a compliment is received"; 003 §2: "Feedback on
// compliments is given to staff").

func (f *fixture) compliment() Case {
	f.t.Helper()
	cmd := validCreate()
	cmd.Kind = KindCompliment
	return f.create(cmd, "2026-12-21 10:00")
}

var (
	colleague  = Praised{Kind: PraisedColleague, Name: "Sam Jones", Email: "sam@landlord.example"}
	team       = Praised{Kind: PraisedTeam, Name: "Repairs"}
	contractor = Praised{Kind: PraisedContractor, Name: "Acme Roofing", Email: "office@acme.example"}
)

func TestComplimentPassedOnNamesWhoItPraisesAndTheirManager(t *testing.T) {
	f := newFixture(t, "gentoo")
	comp := f.compliment()
	passed := f.must(comp, "2026-12-22 09:00", officer, PassOnCompliment{Praised: []Praised{colleague}, Manager: "rita@landlord.example"})
	tests := []struct {
		name   string
		c      Case
		cmd    PassOnCompliment
		code   string
		fields []string
	}{
		{name: "a colleague, a team and a contractor with a manager are passed on",
			c: comp, cmd: PassOnCompliment{Praised: []Praised{colleague, team, contractor}, Manager: "rita@landlord.example"}},
		{name: "a team needs no email", c: comp, cmd: PassOnCompliment{Praised: []Praised{team}, Manager: "rita@landlord.example"}},
		{name: "nobody praised is refused", c: comp, cmd: PassOnCompliment{Manager: "rita@landlord.example"},
			code: Invalid, fields: []string{"praised"}},
		{name: "the manager is required", c: comp, cmd: PassOnCompliment{Praised: []Praised{colleague}},
			code: Invalid, fields: []string{"manager"}},
		{name: "a colleague without an email cannot be told", c: comp,
			cmd:  PassOnCompliment{Praised: []Praised{{Kind: PraisedColleague, Name: "Sam"}}, Manager: "rita@landlord.example"},
			code: Invalid, fields: []string{"praised[0].email"}},
		{name: "a contractor without an email cannot be told", c: comp,
			cmd:  PassOnCompliment{Praised: []Praised{{Kind: PraisedContractor, Name: "Acme"}}, Manager: "rita@landlord.example"},
			code: Invalid, fields: []string{"praised[0].email"}},
		{name: "every bad field is named at once", c: comp,
			cmd:  PassOnCompliment{Praised: []Praised{team, {Kind: "vicar", Email: "not an email"}}, Manager: "boss"},
			code: Invalid, fields: []string{"praised[1].kind", "praised[1].name", "praised[1].email", "manager"}},
		{name: "a quote for publishing without the resident's name is kept", c: comp,
			cmd: PassOnCompliment{Praised: []Praised{team}, Manager: "rita@landlord.example", Quote: "The repairs team were quick and kind"}},
		{name: "a quote naming the resident is refused", c: comp,
			cmd:  PassOnCompliment{Praised: []Praised{team}, Manager: "rita@landlord.example", Quote: "Mrs lovelace says the team were kind"},
			code: Invalid, fields: []string{"quote"}},
		{name: "only a compliment is passed on", c: f.received(),
			cmd: PassOnCompliment{Praised: []Praised{colleague}, Manager: "rita@landlord.example"}, code: Conflict},
		{name: "a compliment is passed on once", c: passed,
			cmd: PassOnCompliment{Praised: []Praised{team}, Manager: "rita@landlord.example"}, code: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(tt.c, "2026-12-23 09:00", officer, tt.cmd)
			if tt.code != "" {
				wantError(t, err, tt.code, tt.fields...)
				if tt.c.Kind == KindCompliment && tt.c.Praise == nil && next.Praise != nil {
					t.Error("a refused command changed the case")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := next.Praise
			if p == nil || len(p.Praised) != len(tt.cmd.Praised) || p.Manager != tt.cmd.Manager || p.PassedOnBy != officer.Email || !p.PassedOnAt.Equal(london("2026-12-23 09:00")) {
				t.Fatalf("praise = %+v", p)
			}
			if p.Quote != tt.cmd.Quote {
				t.Errorf("quote = %q, want %q", p.Quote, tt.cmd.Quote)
			}
			if !p.Praises(tt.cmd.Manager) {
				t.Error("the manager is not among those the compliment is for")
			}
			if ev.Kind != EventComplimentPassedOn {
				t.Errorf("event = %s", ev.Kind)
			}
		})
	}
}

func TestComplimentPassedOnReplaysFromItsEvent(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	comp := f.compliment()
	cmd := PassOnCompliment{Praised: []Praised{{Kind: " colleague ", Name: " Sam Jones ", Email: "sam@landlord.example"}}, Manager: " rita@landlord.example "}
	want, ev, err := f.decide(comp, "2026-12-22 09:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(ev.Data)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeCommand(ev.Kind, data)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := f.decide(comp, "2026-12-22 09:00", officer, back)
	if err != nil {
		t.Fatal(err)
	}
	if got.Praise.Manager != "rita@landlord.example" || got.Praise.Praised[0] != want.Praise.Praised[0] || got.Praise.Praised[0].Name != "Sam Jones" {
		t.Errorf("replayed praise = %+v, want %+v", got.Praise, want.Praise)
	}
	if !got.Praise.Praises("SAM@landlord.example") || got.Praise.Praises("other@landlord.example") {
		t.Error("Praises does not match the colleague named and no one else")
	}
}
