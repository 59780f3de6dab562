package complaint

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// Issue 16, item 3: staff correct a case at any time, each correction an
// event showing the case before and after it, and a correction that is
// refused names the field and the reason and changes nothing.

// refusedChangesNothing checks that a refused command returned no case
// and left its input as it was.
func refusedChangesNothing(t *testing.T, before, input, next Case) {
	t.Helper()
	if !reflect.DeepEqual(next, Case{}) {
		t.Errorf("a refused command returned a case: %+v", next)
	}
	if !reflect.DeepEqual(input, before) {
		t.Errorf("a refused command changed the case it was given")
	}
}

// wantRefused checks a refused command's error: its code and, for
// invalid input, exactly the fields named, each with a reason.
func wantRefused(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	wantError(t, err, code, fields...)
	if e, ok := err.(*Error); ok {
		for f, why := range e.Fields {
			if why == "" {
				t.Errorf("field %s is named with no reason", f)
			}
		}
	}
}

func TestContactDetailsAndDescriptionAreCorrectedAtAnyStatusWithBeforeAndAfter(t *testing.T) {
	f := newFixture(t, "code-2024")
	acked := f.acknowledged()
	closed := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
	represented := f.must(acked, "", officer, EditDetails{Representative: &Representative{Name: "Cllr Byron", Relationship: "Councillor", Email: "byron@council.example"}})

	tests := []struct {
		name        string
		c           Case
		cmd         EditDetails
		wantChanges []DetailChange
		wantCode    string
		wantFields  []string
	}{
		{name: "the description is corrected after acknowledgement", c: acked,
			cmd:         EditDetails{Description: ptr(" Damp in the back bedroom since October "), Reason: "Resident called to correct it"},
			wantChanges: []DetailChange{{"description", "", "Damp in the back bedroom since October"}}},
		{name: "the complainant's phone is corrected after closure", c: closed,
			cmd:         EditDetails{Complainant: &Person{Name: "Ada Lovelace", Email: "ada@example.org", Phone: "0161 000 0001"}},
			wantChanges: []DetailChange{{"complainant.phone", "", "0161 000 0001"}}},
		{name: "a representative is named after closure", c: closed,
			cmd: EditDetails{Representative: &Representative{Name: " Cllr Byron ", Relationship: "Councillor", ConsentRecorded: true, Phone: "0161 000 0002"}},
			wantChanges: []DetailChange{{"representative.name", "", "Cllr Byron"}, {"representative.relationship", "", "Councillor"},
				{"representative.consent_recorded", "", "yes"}, {"representative.phone", "", "0161 000 0002"}}},
		{name: "a representative's email is corrected and consent recorded", c: represented,
			cmd: EditDetails{Representative: &Representative{Name: "Cllr Byron", Relationship: "Councillor", ConsentRecorded: true, Email: "g.byron@council.example"}},
			wantChanges: []DetailChange{{"representative.consent_recorded", "no", "yes"},
				{"representative.email", "byron@council.example", "g.byron@council.example"}}},
		{name: "a complainant with no contact details may be represented", c: represented,
			cmd:         EditDetails{Complainant: &Person{Name: "Ada Lovelace"}},
			wantChanges: []DetailChange{{"complainant.email", "ada@example.org", ""}}},

		{name: "a representative needs a name", c: acked, cmd: EditDetails{Representative: &Representative{Relationship: "Son"}},
			wantCode: Invalid, wantFields: []string{"representative.name"}},
		{name: "a representative's email must be an email address", c: closed,
			cmd:      EditDetails{Representative: &Representative{Name: "Tom", Relationship: "Son", Email: "tom at home"}},
			wantCode: Invalid, wantFields: []string{"representative.email"}},
		{name: "a description holds no control characters", c: acked, cmd: EditDetails{Description: ptr("Damp\x00")},
			wantCode: Invalid, wantFields: []string{"description"}},
		{name: "an unchanged description changes nothing", c: acked, cmd: EditDetails{Description: ptr("")},
			wantCode: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := clone(tt.c)
			next, ev, err := f.decide(tt.c, "", officer, tt.cmd)
			if tt.wantCode != "" {
				wantRefused(t, err, tt.wantCode, tt.wantFields...)
				refusedChangesNothing(t, before, tt.c, next)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != EventDetailsEdited {
				t.Errorf("event %s", ev.Kind)
			}
			if got := ev.Data.(EditDetails).Changes; !reflect.DeepEqual(got, tt.wantChanges) {
				t.Errorf("changes recorded = %+v\nwant %+v", got, tt.wantChanges)
			}
			if next.Status != tt.c.Status || !reflect.DeepEqual(next.Stages, tt.c.Stages) {
				t.Errorf("a correction moved the case on: status %s", next.Status)
			}
		})
	}
}

func TestTheComplaintDefinitionIsAmendedWithAReasonAndKeepsBeforeAndAfter(t *testing.T) {
	f := newFixture(t, "code-2024")
	acked := f.acknowledged() // points: 1 The repair was not done, 2 The operative was rude
	responded := f.responded()
	closed := f.must(responded, "2027-01-06 10:00", officer, Close{})
	escalated := f.escalated()
	stage2 := f.stage2Acknowledged()
	enquiry := f.enquiry()
	both := []string{"The repair was not done", "The operative was rude"}

	tests := []struct {
		name       string
		c          Case
		by         Actor
		cmd        AmendDefinition
		wantPoints []string
		wantSought []string
		wantGone   []WithdrawnPoint // Point, Text and Reason only
		wantCode   string
		wantFields []string
	}{
		{name: "a point is added", c: acked, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{" The letter was late "}, Reason: "Raised on the call"},
			wantPoints: append(slices.Clone(both), "The letter was late"), wantSought: []string{"Fix the damp"}},
		{name: "a point is reworded", c: acked, cmd: AmendDefinition{Reword: []PointWording{{2, "The operative swore"}}, Reason: "Resident's words"},
			wantPoints: []string{"The repair was not done", "The operative swore"}, wantSought: []string{"Fix the damp"}},
		{name: "a withdrawn point leaves the definition and is kept on the stage", c: acked,
			cmd:        AmendDefinition{Withdraw: []int{1}, Reason: "The repair was done yesterday"},
			wantPoints: []string{"The operative was rude"}, wantSought: []string{"Fix the damp"},
			wantGone: []WithdrawnPoint{{Point: 1, Text: "The repair was not done", Reason: "The repair was done yesterday"}}},
		{name: "the outcomes sought are replaced", c: acked, cmd: AmendDefinition{OutcomesSought: &[]string{"Fix the damp", " An apology "}, Reason: "Asked for"},
			wantPoints: both, wantSought: []string{"Fix the damp", "An apology"}},
		{name: "a point is reworded after the response was sent", c: responded, cmd: AmendDefinition{Reword: []PointWording{{1, "The repair was never done"}}, Reason: "Typing error"},
			wantPoints: []string{"The repair was never done", "The operative was rude"}, wantSought: []string{"Fix the damp"}},
		{name: "a point is reworded after closure", c: closed, cmd: AmendDefinition{Reword: []PointWording{{1, "The repair was never done"}}, Reason: "Typing error"},
			wantPoints: []string{"The repair was never done", "The operative was rude"}, wantSought: []string{"Fix the damp"}},
		{name: "stage 2's definition is amended by its reviewer", c: stage2, by: reviewer, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"Stage 1 ignored the photographs"}, Reason: "In the escalation email"},
			wantPoints: []string{"The compensation is too low", "Stage 1 ignored the photographs"}},

		{name: "a reason is required", c: acked, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"The letter was late"}},
			wantCode: Invalid, wantFields: []string{"reason"}},
		{name: "a withdrawn point must be one of the points", c: acked, cmd: AmendDefinition{Withdraw: []int{3}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"withdraw[0]"}},
		{name: "a reworded point must be one of the points", c: acked, cmd: AmendDefinition{Reword: []PointWording{{0, "x"}}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"reword[0].point"}},
		{name: "a point is not both withdrawn and reworded", c: acked, cmd: AmendDefinition{Withdraw: []int{2}, Reword: []PointWording{{2, "x"}}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"reword[0].point"}},
		{name: "a point is withdrawn once", c: acked, cmd: AmendDefinition{Withdraw: []int{2, 2}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"withdraw[1]"}},
		{name: "a new wording is not blank", c: acked, cmd: AmendDefinition{Reword: []PointWording{{1, " "}}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"reword[0].text"}},
		{name: "an added point is not blank", c: acked, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{""}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"add[0]"}},
		{name: "every point withdrawn leaves no complaint", c: acked, cmd: AmendDefinition{Withdraw: []int{1, 2}, Reason: "x"},
			wantCode: Invalid, wantFields: []string{"withdraw"}},
		{name: "an amendment names a change", c: acked, cmd: AmendDefinition{Reason: "x"},
			wantCode: Invalid, wantFields: []string{"body"}},
		{name: "no point is added once the response was sent", c: responded, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"The letter was late"}, Reason: "x"},
			wantCode: Conflict},
		{name: "no point is withdrawn once the response was sent", c: closed, cmd: AmendDefinition{Withdraw: []int{2}, Reason: "x"},
			wantCode: Conflict},
		{name: "a stage not yet acknowledged has no definition", c: escalated, by: reviewer, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"x"}, Reason: "x"},
			wantCode: Conflict},
		{name: "an enquiry has no definition", c: enquiry, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"x"}, Reason: "x"},
			wantCode: Conflict},
		{name: "the same wording changes nothing", c: acked, cmd: AmendDefinition{Reword: []PointWording{{1, "The repair was not done"}}, Reason: "x"},
			wantCode: Conflict},
		{name: "a stage 1 officer does not amend stage 2's definition (Code 6.13)", c: stage2, by: officer, cmd: AmendDefinition{NoUnreasonableDelay: true, Add: []string{"x"}, Reason: "x"},
			wantCode: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by := tt.by
			if by == (Actor{}) {
				by = officer
			}
			before := clone(tt.c)
			next, ev, err := f.decide(tt.c, "", by, tt.cmd)
			if tt.wantCode != "" {
				wantRefused(t, err, tt.wantCode, tt.wantFields...)
				refusedChangesNothing(t, before, tt.c, next)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st := next.Current()
			if !slices.Equal(st.Points, tt.wantPoints) || !slices.Equal(st.OutcomesSought, tt.wantSought) {
				t.Errorf("definition = %q, sought %q; want %q, sought %q", st.Points, st.OutcomesSought, tt.wantPoints, tt.wantSought)
			}
			var gone []WithdrawnPoint
			for _, w := range st.Withdrawn {
				if w.At.IsZero() || w.By != by.Email {
					t.Errorf("withdrawn point %d has no time or author: %+v", w.Point, w)
				}
				gone = append(gone, WithdrawnPoint{Point: w.Point, Text: w.Text, Reason: w.Reason})
			}
			if !reflect.DeepEqual(gone, tt.wantGone) {
				t.Errorf("withdrawn points = %+v, want %+v", gone, tt.wantGone)
			}
			if ev.Kind != EventDefinitionAmended {
				t.Errorf("event %s", ev.Kind)
			}
			rec := ev.Data.(AmendDefinition)
			was := tt.c.Current()
			if !slices.Equal(rec.Before.Points, was.Points) || !slices.Equal(rec.After.Points, st.Points) ||
				!slices.Equal(rec.Before.OutcomesSought, was.OutcomesSought) || !slices.Equal(rec.After.OutcomesSought, st.OutcomesSought) {
				t.Errorf("event records %+v -> %+v, want %+v -> %+v", rec.Before, rec.After, was.Points, st.Points)
			}
			if next.Status != tt.c.Status || st.RespondBy != was.RespondBy || st.CodeRespondBy != was.CodeRespondBy {
				t.Errorf("an amendment moved the case on: status %s, respond by %s", next.Status, st.RespondBy)
			}
		})
	}
}

// TestDraftDecisionsFollowTheirPointsWhenTheDefinitionIsAmended: a
// withdrawn point takes its draft decision with it and the later points
// keep theirs under their new numbers; a point added after the draft
// has no decision, so the response letter waits until the decisions are
// recorded again (Code 6.7).
func TestDraftDecisionsFollowTheirPointsWhenTheDefinitionIsAmended(t *testing.T) {
	f := newFixture(t, "code-2024")
	drafted := f.must(f.acknowledged(), "2027-01-04 10:00", officer, respondCmd())

	c := f.must(drafted, "2027-01-05 09:00", officer, AmendDefinition{Withdraw: []int{1}, Reason: "Repair done"})
	want := []Decision{{Point: 1, Outcome: "not_upheld", Reasons: "The operative's account is supported by a witness"}}
	if got := c.Current().Decisions; !reflect.DeepEqual(got, want) {
		t.Fatalf("decisions after withdrawing point 1 = %+v, want %+v", got, want)
	}
	if got := f.must(c, "2027-01-05 10:00", officer, responseLetter(1, "email")); got.Status != StatusResponded {
		t.Errorf("status %s after the response letter, want responded", got.Status)
	}

	c = f.must(drafted, "2027-01-05 09:00", officer, AmendDefinition{NoUnreasonableDelay: true, Add: []string{"The letter was late"}, Reason: "Raised on the call"})
	_, _, err := f.decide(c, "2027-01-05 10:00", officer, responseLetter(1, "email"))
	wantRefused(t, err, Conflict)
	redecided := respondCmd()
	redecided.Decisions = append(redecided.Decisions, Decision{Point: 3, Outcome: "upheld", Reasons: "It went a week late"})
	c = f.must(c, "2027-01-05 10:00", officer, redecided)
	if got := f.must(c, "2027-01-05 11:00", officer, responseLetter(1, "email")); got.Status != StatusResponded {
		t.Errorf("status %s once every point is decided, want responded", got.Status)
	}
}

// stage2Drafted is the standard complaint with stage 2's decisions
// drafted by its reviewer: stage 1's remedies are 1 (an apology), 2
// (compensation of £150) and 3 (an action); stage 2's is 4 (compensation
// of £300).
func (f *fixture) stage2Drafted() Case {
	f.t.Helper()
	return f.must(f.stage2Acknowledged(), "2027-01-20 10:00", reviewer, Respond{
		Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Stage 1 did not apply the compensation policy"}},
		Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "Compensation at the policy's rate", AmountPence: 30000}},
	})
}

func TestAnEarlierStagesRemedyIsSupersededAtALaterStageAndNoLongerOutstanding(t *testing.T) {
	f := newFixture(t, "code-2024")
	drafted := f.stage2Drafted()
	sent := f.must(drafted, "2027-01-21 10:00", reviewer, responseLetter(2, "email"))
	closed := f.must(sent, "2027-01-22 10:00", reviewer, Close{})
	escalated := f.escalated()
	apologised := f.must(drafted, "", reviewer, CompleteRemedy{ID: 1})
	superseded := f.must(drafted, "", reviewer, SupersedeRemedy{ID: 2, Reason: "Stage 2 offers more", ReplacedBy: 4})

	tests := []struct {
		name         string
		c            Case
		by           Actor
		cmd          SupersedeRemedy
		wantReplaced int
		wantCode     string
		wantFields   []string
	}{
		{name: "stage 1's compensation is replaced by stage 2's", c: drafted, cmd: SupersedeRemedy{ID: 2, Reason: " Stage 2 offers more ", ReplacedBy: 4}, wantReplaced: 4},
		{name: "stage 1's action is superseded with no replacement", c: escalated, cmd: SupersedeRemedy{ID: 3, Reason: "The damp is treated under the planned works"}},
		{name: "a remedy is superseded after stage 2 closed", c: closed, cmd: SupersedeRemedy{ID: 3, Reason: "Replaced by stage 2's compensation", ReplacedBy: 4}, wantReplaced: 4},

		{name: "a reason is required", c: drafted, cmd: SupersedeRemedy{ID: 2},
			wantCode: Invalid, wantFields: []string{"reason"}},
		{name: "the remedy is named", c: drafted, cmd: SupersedeRemedy{Reason: "x"},
			wantCode: Invalid, wantFields: []string{"id"}},
		{name: "the remedy must be on the case", c: drafted, cmd: SupersedeRemedy{ID: 9, Reason: "x"},
			wantCode: NotFound},
		{name: "the replacement must be on the case", c: drafted, cmd: SupersedeRemedy{ID: 2, Reason: "x", ReplacedBy: 9},
			wantCode: Invalid, wantFields: []string{"replaced_by"}},
		{name: "the replacement comes from a later stage", c: drafted, cmd: SupersedeRemedy{ID: 2, Reason: "x", ReplacedBy: 3},
			wantCode: Invalid, wantFields: []string{"replaced_by"}},
		{name: "the replacement is not itself superseded", c: superseded, cmd: SupersedeRemedy{ID: 3, Reason: "x", ReplacedBy: 2},
			wantCode: Invalid, wantFields: []string{"replaced_by"}},
		{name: "a stage's own remedy is not superseded", c: drafted, cmd: SupersedeRemedy{ID: 4, Reason: "x"},
			wantCode: Conflict},
		{name: "nothing is superseded at stage 1", c: f.responded(), cmd: SupersedeRemedy{ID: 2, Reason: "x"},
			wantCode: Conflict},
		{name: "a remedy done is not superseded", c: apologised, cmd: SupersedeRemedy{ID: 1, Reason: "x"},
			wantCode: Conflict},
		{name: "a remedy is superseded once", c: superseded, cmd: SupersedeRemedy{ID: 2, Reason: "x"},
			wantCode: Conflict},
		{name: "a stage 1 officer does not supersede at stage 2 (Code 6.13)", c: drafted, by: officer, cmd: SupersedeRemedy{ID: 2, Reason: "x"},
			wantCode: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by := tt.by
			if by == (Actor{}) {
				by = reviewer
			}
			before := clone(tt.c)
			next, ev, err := f.decide(tt.c, "", by, tt.cmd)
			if tt.wantCode != "" {
				wantRefused(t, err, tt.wantCode, tt.wantFields...)
				refusedChangesNothing(t, before, tt.c, next)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(next.Remedies, func(r Remedy) bool { return r.ID == tt.cmd.ID })
			r := next.Remedies[i]
			if !r.Superseded() || r.Outstanding() || r.SupersededBy != by.Email || r.ReplacedBy != tt.wantReplaced || r.SupersedeReason == "" {
				t.Errorf("remedy after = %+v: want it superseded by %s, replaced by %d, not outstanding", r, by.Email, tt.wantReplaced)
			}
			if r.Done {
				t.Errorf("a superseded remedy is recorded as done")
			}
			rec := ev.Data.(SupersedeRemedy)
			if ev.Kind != EventRemedySuperseded || rec.Before.Superseded() || !rec.Before.Outstanding() || !reflect.DeepEqual(rec.After, r) {
				t.Errorf("event %s records %+v -> %+v", ev.Kind, rec.Before, rec.After)
			}
			if next.Status != tt.c.Status {
				t.Errorf("status %s", next.Status)
			}
		})
	}

	// A superseded remedy is no longer owed, so it is not then done.
	_, _, err := f.decide(superseded, "", reviewer, CompleteRemedy{ID: 2})
	wantRefused(t, err, Conflict)

	// Stage 2's decisions recorded again replace its draft remedy 4; the
	// supersession stands, naming no remedy that has gone.
	redrafted := f.must(superseded, "", reviewer, Respond{
		Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Stage 1 did not apply the compensation policy"}},
		Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "Compensation at the policy's rate", AmountPence: 35000}},
	})
	i := slices.IndexFunc(redrafted.Remedies, func(r Remedy) bool { return r.ID == 2 })
	if r := redrafted.Remedies[i]; !r.Superseded() || r.ReplacedBy != 0 {
		t.Errorf("remedy 2 after stage 2 was redrafted = %+v, want superseded naming no replacement", r)
	}
}

// TestCorrectionsReplayFromTheirRecordedEvents: storage rebuilds a case
// from its events' JSON, so each correction, decoded from what its event
// recorded (before and after included), makes the same case again.
func TestCorrectionsReplayFromTheirRecordedEvents(t *testing.T) {
	f := newFixture(t, "code-2024")
	drafted := f.stage2Drafted()
	acked := f.acknowledged()
	steps := []struct {
		c   Case
		by  Actor
		cmd Command
	}{
		{acked, officer, AmendDefinition{Withdraw: []int{1}, Reword: []PointWording{{2, "The operative swore"}}, Add: []string{"The letter was late"},
			OutcomesSought: &[]string{"An apology"}, Reason: "Agreed on the call", NoUnreasonableDelay: true}},
		{acked, officer, EditDetails{Description: ptr("Damp since October"), Representative: &Representative{Name: "Tom", Relationship: "Son"}}},
		{drafted, reviewer, SupersedeRemedy{ID: 2, Reason: "Stage 2 offers more", ReplacedBy: 4}},
	}
	for _, s := range steps {
		want, ev, err := f.decide(s.c, "", s.by, s.cmd)
		if err != nil {
			t.Fatalf("%T: %v", s.cmd, err)
		}
		data, err := json.Marshal(ev.Data)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := DecodeCommand(ev.Kind, data)
		if err != nil {
			t.Fatalf("%T from %s: %v", s.cmd, data, err)
		}
		env := f.env
		env.Actor, env.At, env.Now, env.Replay = s.by, ev.At, ev.RecordedAt, true
		got, again, err := Decide(s.c, decoded, env)
		if err != nil {
			t.Fatalf("%T is refused when replayed: %v", s.cmd, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%T replays to %+v\nwant %+v", s.cmd, got, want)
		}
		if !reflect.DeepEqual(again.Data, ev.Data) {
			t.Errorf("%T records %+v when replayed, %+v when given", s.cmd, again.Data, ev.Data)
		}
	}
}
