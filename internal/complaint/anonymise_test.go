package complaint

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/policy"
)

func TestAnonymiserConsidersEveryEventKind(t *testing.T) {
	for _, k := range EventKinds {
		if !anonymiseConsidered[k] {
			t.Errorf("event kind %s is not in anonymiseConsidered: decide which of its fields are personal (personalKeys) and add it", k)
		}
		if _, err := NewAnonymiser("C-1").Data(k, []byte(`{}`)); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if _, err := NewAnonymiser("C-1").Data("no_such_kind", []byte(`{}`)); err == nil {
		t.Error("an event kind no one has considered was anonymised")
	}
}

// TestAnonymiserClassifiesEveryField walks the case and every command an
// event records: each text field's key must be either personal or kept,
// so that a field added later is decided on rather than kept by default.
func TestAnonymiserClassifiesEveryField(t *testing.T) {
	types := map[string]reflect.Type{"case": reflect.TypeOf(Case{}), string(EventCreated): reflect.TypeOf(Create{}),
		string(EventImported): reflect.TypeOf(ImportCase{})}
	for k, c := range replayed {
		types[string(k)] = reflect.TypeOf(c)
	}
	for _, k := range EventKinds {
		if _, ok := types[string(k)]; !ok {
			t.Errorf("event kind %s is neither created nor replayed", k)
		}
	}
	seen := map[reflect.Type]bool{}
	var walk func(tp reflect.Type, path, key string)
	walk = func(tp reflect.Type, path, key string) {
		switch tp.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(tp.Elem(), path, key)
		case reflect.Map:
			walk(tp.Elem(), path+".*", key)
		case reflect.Struct:
			if tp.PkgPath() == "time" || strings.HasSuffix(tp.PkgPath(), "/calendar") || seen[tp] {
				return
			}
			seen[tp] = true
			defer delete(seen, tp)
			for i := range tp.NumField() {
				f := tp.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" || !f.IsExported() {
					continue
				}
				if f.Anonymous && name == "" {
					walk(f.Type, path, key) // flattened into its parent, as JSON does
					continue
				}
				if name == "" {
					name = f.Name
				}
				walk(f.Type, path+"."+name, name)
			}
		case reflect.String:
			if !personalKeys[key] && !keptKeys[key] {
				t.Errorf("%s: the text field %q is neither personal (personalKeys) nor kept (keptKeys)", path, key)
			}
			if personalKeys[key] && keptKeys[key] {
				t.Errorf("%s: %q is both personal and kept", path, key)
			}
		}
	}
	for name, tp := range types {
		walk(tp, name, "")
	}
}

// TestAnonymisedEventsReplayToTheAnonymisedCase runs a complaint through
// most of its life, with personal data in every place it can go, then
// anonymises its events and the case with one Anonymiser: replaying the
// anonymised events must make the anonymised case, and no personal value
// may be left in either.
func TestAnonymisedEventsReplayToTheAnonymisedCase(t *testing.T) {
	f := newFixture(t, "code-2024")
	type step struct {
		at    string
		actor Actor
		cmd   Command
	}
	create := validCreate()
	create.Complainant = Person{Name: "Ada Lovelace", Email: "ada@example.org", Phone: "07700 900123", Address: "1 Analytical Row", Postcode: "ab1 2cd", TenancyRef: "TEN-991"}
	create.Representative = &Representative{Name: "Charles Babbage", Relationship: "friend", ConsentRecorded: true, Email: "charles@example.org"}
	create.Description = "Ada's bedroom at 1 Analytical Row is damp"
	create.DesiredOutcome = "Fix Ada's damp"
	create.Vulnerabilities = []string{"Ada has asthma"}
	newName := "Ada King"
	newEmail := "ada.king@example.org"
	steps := []step{
		{"2026-12-22 10:00", officer, Note{Text: "Called Ada on 07700 900123"}},
		{"2026-12-22 11:00", officer, EditDetails{Complainant: &Person{Name: newName, Email: newEmail, Phone: "07700 900123"}, Reason: "Ada married"}},
		{"2026-12-23 10:00", officer, Acknowledge{Points: []string{"Ada's repair was not done"}, OutcomesSought: []string{"Fix the damp"}}},
		{"2026-12-24 10:00", officer, AddInformation{Source: "email", From: newEmail, Text: "Photos of the damp", Attachments: []AttachmentRef{{Name: "ada-bedroom.jpg", SHA256: strings.Repeat("cd", 32), Size: 10}}}},
		{"2027-01-05 10:00", officer, Respond{
			Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Ada was not visited"}},
			Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "For Ada's distress", AmountPence: 15000}},
		}},
		{"2027-01-05 10:05", officer, responseLetter(1, "email")},
		{"2027-01-06 10:00", reviewer, PlaceLegalHold{Reason: "Ada's solicitor wrote"}},
		{"2027-01-07 10:00", reviewer, LiftLegalHold{Reason: "Settled with Ada"}},
	}
	personal := []string{"Ada", "Lovelace", "ada@example.org", "07700", "Analytical", "AB1", "TEN-991", "Charles", "charles@", "asthma", "ada.king", "solicitor", "Settled", "Photos", "ada-bedroom"}

	received := london("2026-12-21 10:00")
	create.ReceivedAt = &received
	c, created, err := NewCase(create, f.env)
	if err != nil {
		t.Fatal(err)
	}
	evs := []Event{created}
	for _, s := range steps {
		next, ev, err := f.decide(c, s.at, s.actor, s.cmd)
		if err != nil {
			t.Fatalf("%T: %v", s.cmd, err)
		}
		if AwaitingSignOff(next, f.env.Policy) {
			t.Fatal("the code policy asks for a sign-off: choose a policy without one")
		}
		c, evs = next, append(evs, ev)
	}

	a := NewAnonymiser(c.Reference)
	anonData := make([][]byte, len(evs))
	for i, ev := range evs {
		raw, err := json.Marshal(ev.Data)
		if err != nil {
			t.Fatal(err)
		}
		if anonData[i], err = a.Data(ev.Kind, raw); err != nil {
			t.Fatal(err)
		}
		for _, p := range personal {
			if strings.Contains(strings.ToLower(string(anonData[i])), strings.ToLower(p)) {
				t.Errorf("event #%d (%s) still holds %q: %s", i+1, ev.Kind, p, anonData[i])
			}
		}
	}
	want, err := a.Case(c)
	if err != nil {
		t.Fatal(err)
	}
	anonymiseAt := london("2027-02-01 10:00")
	want, anonEv, err := Decide(want, Anonymise{Rule: "complaint: 6 years after closure"}, Env{Now: testNow, At: anonymiseAt, Actor: Actor{Email: "retention"}, Policy: f.env.Policy, Calendar: f.env.Calendar})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(anonEv.Data)
	anonData = append(anonData, raw)
	evs = append(evs, anonEv)
	b, _ := json.Marshal(want)
	for _, p := range personal {
		if strings.Contains(strings.ToLower(string(b)), strings.ToLower(p)) {
			t.Errorf("the anonymised case still holds %q", p)
		}
	}

	// Replay the anonymised events as storage's audit does.
	var got Case
	for i, ev := range evs {
		env := f.env
		env.Replay, env.Now, env.At, env.Actor = true, ev.RecordedAt, ev.At, Actor{Email: ev.Actor}
		env.NewReference = func(int) (string, error) { return c.Reference, nil }
		if i == 0 {
			var cmd Create
			if err := json.Unmarshal(anonData[0], &cmd); err != nil {
				t.Fatal(err)
			}
			got, _, err = NewCase(cmd, env)
		} else {
			var cmd Command
			if cmd, err = DecodeCommand(ev.Kind, anonData[i]); err != nil {
				t.Fatalf("#%d %s: %v", i+1, ev.Kind, err)
			}
			got, _, err = Decide(got, cmd, env)
		}
		if err != nil {
			t.Fatalf("replaying anonymised event #%d (%s): %v", i+1, ev.Kind, err)
		}
	}
	gb, _ := json.Marshal(got)
	var gm, wm any
	_ = json.Unmarshal(gb, &gm)
	_ = json.Unmarshal(b, &wm)
	if !reflect.DeepEqual(gm, wm) {
		t.Errorf("the anonymised events replay to\n%s\nnot the anonymised case\n%s", gb, b)
	}
	if got.Anonymisation == nil || !got.Anonymisation.At.Equal(anonymiseAt) || got.Anonymisation.Rule == "" {
		t.Errorf("the replayed case does not say it was anonymised: %+v", got.Anonymisation)
	}
	if got.Complainant.Key() == "" || strings.Contains(got.Complainant.Key(), "example.org") {
		t.Errorf("the anonymised complainant's key is %q", got.Complainant.Key())
	}
	// Anonymising again changes nothing.
	again, err := NewAnonymiser(c.Reference).Case(want)
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := json.Marshal(again)
	if string(ab) != string(b) {
		t.Error("anonymising an anonymised case changed it")
	}
}

func TestHoldsKeepACaseFromAnonymisation(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.received()
	for _, tc := range []struct {
		name string
		c    func() Case
		held bool
	}{
		{"no hold", func() Case { return c }, false},
		{"legal hold", func() Case { return f.must(c, "2026-12-22 10:00", reviewer, PlaceLegalHold{Reason: "litigation"}) }, true},
		{"lifted", func() Case {
			h := f.must(c, "2026-12-22 10:00", reviewer, PlaceLegalHold{Reason: "litigation"})
			return f.must(h, "2026-12-23 10:00", reviewer, LiftLegalHold{Reason: "settled"})
		}, false},
		{"ombudsman undetermined", func() Case { x := c; x.Ombudsman = &OmbudsmanReferral{}; return x }, true},
		{"ombudsman determined", func() Case { x := c; x.Ombudsman = &OmbudsmanReferral{Determination: &Determination{}}; return x }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := tc.c()
			if got := x.Held() != ""; got != tc.held {
				t.Fatalf("Held() = %q", x.Held())
			}
			_, _, err := f.decide(x, "", Actor{Email: "retention"}, Anonymise{Rule: "r"})
			if tc.held {
				wantError(t, err, Conflict)
			} else if err != nil {
				t.Fatal(err)
			}
		})
	}
	_, _, err := f.decide(c, "", officer, PlaceLegalHold{Reason: "x"})
	wantError(t, err, Forbidden)
	_, _, err = f.decide(c, "", reviewer, PlaceLegalHold{})
	wantError(t, err, Invalid, "reason")
	_, _, err = f.decide(c, "", reviewer, Anonymise{})
	wantError(t, err, Invalid, "rule")
}

// TestEveryKindHasARetentionPeriod keeps the policy's list of kinds with
// a retention period, which policy cannot import from here, in step
// with Kinds.
func TestEveryKindHasARetentionPeriod(t *testing.T) {
	var kinds []string
	for _, k := range Kinds {
		kinds = append(kinds, string(k))
	}
	if !slices.Equal(kinds, policy.RetentionKinds) {
		t.Errorf("policy.RetentionKinds is %v, want Kinds %v", policy.RetentionKinds, kinds)
	}
	for _, k := range kinds {
		if p, _ := (policy.Retention{}).For(k); p == (policy.Period{}) {
			t.Errorf("kind %s has no default retention period", k)
		}
	}
}
