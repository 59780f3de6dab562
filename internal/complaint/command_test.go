package complaint

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// --- acknowledge ---

func TestAcknowledgeRecordsTheDefinitionAndTakesTheCaseOn(t *testing.T) {
	f := newFixture(t, "code-2024")
	cmd := Acknowledge{Points: []string{" The repair was not done ", "The operative was rude"}, OutcomesSought: []string{" Fix the damp "}}
	next, ev, err := f.decide(f.received(), "2026-12-23 10:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	st := next.Current()
	if next.Status != StatusAcknowledged || !st.AcknowledgedAt.Equal(london("2026-12-23 10:00")) {
		t.Errorf("status %s, acknowledged_at %v", next.Status, st.AcknowledgedAt)
	}
	if !reflect.DeepEqual(st.Points, []string{"The repair was not done", "The operative was rude"}) || !reflect.DeepEqual(st.OutcomesSought, []string{"Fix the damp"}) {
		t.Errorf("points %q, outcomes sought %q: want them trimmed", st.Points, st.OutcomesSought)
	}
	if next.Handler != officer.Email || !reflect.DeepEqual(st.Handlers, []string{officer.Email}) {
		t.Errorf("handler %q, stage handlers %q: whoever acknowledges takes the case on", next.Handler, st.Handlers)
	}
	// 10 working days from Wed 23 Dec: 24, 29, 30, 31 Dec, 4-8 Jan, 11 Jan.
	wantDeadlines(t, "acknowledged", *st, "2026-12-30", "2027-01-11", "")
	if ev.Kind != "acknowledged" || ev.Actor != officer.Email || !reflect.DeepEqual(ev.Data, cmd) {
		t.Errorf("event = %+v", ev)
	}
}

func TestAcknowledgeKeepsAnExistingHandler(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.received(), "2026-12-22 09:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	next := f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	if next.Handler != officer2.Email || !reflect.DeepEqual(next.Stages[0].Handlers, []string{officer2.Email}) {
		t.Errorf("handler %q, stage handlers %q; want %s kept", next.Handler, next.Stages[0].Handlers, officer2.Email)
	}
}

func TestAcknowledgeSetsRespondByFromTheAcknowledgementDate(t *testing.T) {
	tests := []struct {
		at, respondBy string
	}{
		// The day received: 22-24, 29-31 Dec, 4-7 Jan.
		{"2026-12-21 15:00", "2027-01-07"},
		// 24, 29-31 Dec, 4-8 Jan, 11 Jan.
		{"2026-12-23 10:00", "2027-01-11"},
		// Christmas Eve: 29-31 Dec, 4-8 Jan, 11, 12 Jan.
		{"2026-12-24 17:00", "2027-01-12"},
		// The last day allowed gives the date shown before acknowledgement.
		{"2026-12-30 10:00", "2027-01-14"},
		// Late: 5-8 Jan, 11-15 Jan, 18 Jan.
		{"2027-01-04 10:00", "2027-01-18"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			next := f.must(f.received(), tt.at, officer, Acknowledge{Points: []string{"Damp"}})
			wantDeadlines(t, tt.at, next.Stages[0], "2026-12-30", tt.respondBy, "")
			if next.NextDue() != date(tt.respondBy) {
				t.Errorf("NextDue = %q, want the response deadline %s", next.NextDue(), tt.respondBy)
			}
		})
	}
}

func TestAcknowledgeRules(t *testing.T) {
	ok := Acknowledge{Points: []string{"Damp"}}
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Acknowledge
		code   string
		fields []string
	}{
		{"needs at least one point", (*fixture).received, Acknowledge{}, Invalid, []string{"points"}},
		{"a blank point", (*fixture).received, Acknowledge{Points: []string{"Damp", "  "}}, Invalid, []string{"points[1]"}},
		{"a blank outcome sought", (*fixture).received, Acknowledge{Points: []string{"Damp"}, OutcomesSought: []string{""}}, Invalid, []string{"outcomes_sought[0]"}},
		{"more than 50 points", (*fixture).received, Acknowledge{Points: slices.Repeat([]string{"Damp"}, 51)}, Invalid, []string{"points"}},
		{"a point over 20000 characters", (*fixture).received, Acknowledge{Points: []string{strings.Repeat("a", 20001)}}, Invalid, []string{"points[0]"}},
		{"only a complaint is acknowledged", (*fixture).serviceRequest, ok, Conflict, nil},
		{"not twice", (*fixture).acknowledged, ok, Conflict, nil},
		{"not once responded", (*fixture).responded, ok, Conflict, nil},
		{"not once withdrawn", func(f *fixture) Case {
			return f.must(f.received(), "2026-12-22 10:00", officer, Withdraw{Reason: "Sorted"})
		}, ok, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

func TestStage2AcknowledgedBySomeoneNotInvolvedTakesItOn(t *testing.T) {
	f := newFixture(t, "code-2024")
	next := f.must(f.escalated(), "2027-01-12 10:00", reviewer, Acknowledge{Points: []string{"Compensation"}})
	needStages(t, next, 2)
	if next.Handler != reviewer.Email || !reflect.DeepEqual(next.Stages[1].Handlers, []string{reviewer.Email}) {
		t.Errorf("handler %q, stage 2 handlers %q; want %s", next.Handler, next.Stages[1].Handlers, reviewer.Email)
	}
}

// --- assign ---

func TestAssignMakesTheHandlerAndRecordsEveryHandlerOfTheStage(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.received(), "2026-12-22 09:00", officer, Assign{Handler: officer.Email, HandlerRole: "officer"})
	next, ev, err := f.decide(c, "2026-12-22 11:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	if err != nil {
		t.Fatal(err)
	}
	if next.Handler != officer2.Email || !reflect.DeepEqual(next.Stages[0].Handlers, []string{officer.Email, officer2.Email}) {
		t.Errorf("handler %q, stage handlers %q", next.Handler, next.Stages[0].Handlers)
	}
	if ev.Kind != "assigned" {
		t.Errorf("event kind = %q, want assigned", ev.Kind)
	}
	// Assigning the same person again does not list them twice.
	again := f.must(next, "2026-12-22 12:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	if len(again.Stages[0].Handlers) != 2 {
		t.Errorf("stage handlers = %q, want each person once", again.Stages[0].Handlers)
	}
}

func TestAssignAServiceRequest(t *testing.T) {
	f := newFixture(t, "code-2024")
	next := f.must(f.serviceRequest(), "2026-12-22 09:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	if next.Handler != officer2.Email || len(next.Stages) != 0 {
		t.Errorf("handler %q, stages %d", next.Handler, len(next.Stages))
	}
}

func TestAssignRules(t *testing.T) {
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Assign
		code   string
		fields []string
	}{
		{"a handler is required", (*fixture).received, Assign{}, Invalid, []string{"handler"}},
		{"a viewer cannot handle cases", (*fixture).received, Assign{Handler: "vic@landlord.example", HandlerRole: "viewer"}, Conflict, nil},
		{"a leaver cannot be given a case", (*fixture).received, Assign{Handler: "lee@landlord.example", HandlerRole: "officer", HandlerLeft: true}, Conflict, nil},
		{"a stage 1 handler cannot handle stage 2", (*fixture).escalated, Assign{Handler: officer.Email, HandlerRole: "officer"}, Conflict, nil},
		{"nothing left to handle once closed", func(f *fixture) Case {
			return f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
		}, Assign{Handler: officer2.Email, HandlerRole: "officer"}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

func TestStage1HandlerReassignedAwayIsStillRefusedAtStage2(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.received(), "2026-12-22 09:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	c = f.must(c, "2026-12-22 10:00", officer, Assign{Handler: officer.Email, HandlerRole: "officer"})
	c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	c = f.respond(c, "2027-01-05 10:00", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
	c = f.must(c, "2027-01-11 10:00", officer, Escalate{})
	_, _, err := f.decide(c, "2027-01-12 10:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	wantError(t, err, Conflict)
	next := f.must(c, "2027-01-12 10:00", officer, Assign{Handler: reviewer.Email, HandlerRole: "manager"})
	needStages(t, next, 2)
	if next.Handler != reviewer.Email || !reflect.DeepEqual(next.Stages[1].Handlers, []string{reviewer.Email}) {
		t.Errorf("handler %q, stage 2 handlers %q", next.Handler, next.Stages[1].Handlers)
	}
}

// --- extend ---

func TestExtendCountsWorkingDaysFromTheCurrentDueDate(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged() // respond by Mon 11 Jan 2027
	cmd := Extend{WorkingDays: 5, Reason: " Waiting for a damp survey ", OmbudsmanDetailsGiven: true}
	next, ev, err := f.decide(c, "2027-01-08 10:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	// 12, 13, 14, 15, 18 Jan.
	want := Extension{
		WorkingDays: 5, Reason: "Waiting for a damp survey", OmbudsmanDetailsGiven: true,
		At: london("2027-01-08 10:00"), By: officer.Email, NewRespondBy: date("2027-01-18"),
	}
	if !reflect.DeepEqual(next.Stages[0].Extensions, []Extension{want}) {
		t.Errorf("extensions = %+v, want [%+v]", next.Stages[0].Extensions, want)
	}
	wantDeadlines(t, "extended once", next.Stages[0], "2026-12-30", "2027-01-18", "")
	if ev.Kind != "extended" {
		t.Errorf("event kind = %q", ev.Kind)
	}

	// A second extension counts from the extended date: 19-22, 25 Jan.
	next = f.must(next, "2027-01-15 10:00", officer, Extend{WorkingDays: 5, Reason: "Contractor delayed", OmbudsmanDetailsGiven: true})
	exts := next.Stages[0].Extensions
	if len(exts) != 2 || exts[0].NewRespondBy != date("2027-01-18") || exts[1].NewRespondBy != date("2027-01-25") || exts[1].OverCap {
		t.Errorf("extensions = %+v; want new respond_by 2027-01-18 then 2027-01-25, neither over the cap", exts)
	}
	wantDeadlines(t, "extended twice", next.Stages[0], "2026-12-30", "2027-01-25", "")
}

func TestExtendOverThePolicyCapNeedsTheResidentsAgreement(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged() // respond by Mon 11 Jan 2027; the stage 1 cap is 10
	ext := func(n int, agreed bool) Extend {
		return Extend{WorkingDays: n, Reason: "Survey", AgreedWithResident: agreed, OmbudsmanDetailsGiven: true}
	}

	// Up to the cap needs no agreement: 12-15, 18-22, 25 Jan.
	next := f.must(c, "2027-01-08 10:00", officer, ext(10, false))
	needExtensions(t, next.Stages[0], 1)
	if e := next.Stages[0].Extensions[0]; e.OverCap || e.NewRespondBy != date("2027-01-25") {
		t.Errorf("10 working days: %+v; want not over the cap, new respond_by 2027-01-25", e)
	}

	_, _, err := f.decide(c, "2027-01-08 10:00", officer, ext(11, false))
	wantError(t, err, Conflict)

	// The cap is on the total of the stage's extensions.
	six := f.must(c, "2027-01-08 10:00", officer, ext(6, false))
	_, _, err = f.decide(six, "2027-01-12 10:00", officer, ext(5, false))
	wantError(t, err, Conflict)

	// With agreement it is allowed and flagged: 12-15, 18-22, 25, 26 Jan.
	next = f.must(c, "2027-01-08 10:00", officer, withGoodReason(ext(11, true)))
	needExtensions(t, next.Stages[0], 1)
	if e := next.Stages[0].Extensions[0]; !e.OverCap || !e.AgreedWithResident || e.NewRespondBy != date("2027-01-26") {
		t.Errorf("11 agreed working days: %+v; want over the cap, agreed, new respond_by 2027-01-26", e)
	}
	next = f.must(six, "2027-01-12 10:00", officer, withGoodReason(ext(5, true)))
	needExtensions(t, next.Stages[0], 2)
	if e := next.Stages[0].Extensions[1]; !e.OverCap {
		t.Errorf("6 then 5 agreed working days: %+v; want the second flagged over the cap", e)
	}
}

func TestExtendCapIsThePolicysStageCap(t *testing.T) {
	tests := []struct {
		policy string
		days   int
		code   string // "" for allowed without agreement
	}{
		{"code-2024", 20, ""}, // Code 6.15: up to 20 working days at stage 2
		{"code-2024", 21, Conflict},
		{"greatwell-homes", 10, ""}, // Greatwell allows only 10 at stage 2
		{"greatwell-homes", 11, Conflict},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d working days", tt.policy, tt.days), func(t *testing.T) {
			f := newFixture(t, tt.policy)
			_, _, err := f.decide(f.stage2Acknowledged(), "2027-01-20 10:00", reviewer, Extend{WorkingDays: tt.days, Reason: "Survey", OmbudsmanDetailsGiven: true})
			if tt.code == "" {
				if err != nil {
					t.Errorf("%d working days at stage 2: %v", tt.days, err)
				}
				return
			}
			wantError(t, err, tt.code)
		})
	}
}

func TestExtendBeforeAcknowledgementMovesTheAssumedResponseDate(t *testing.T) {
	f := newFixture(t, "code-2024")
	// Before acknowledgement the response is due 14 Jan 2027; 3 more
	// working days are 15, 18, 19 Jan.
	next := f.must(f.received(), "2026-12-22 10:00", officer, Extend{WorkingDays: 3, Reason: "Survey", OmbudsmanDetailsGiven: true})
	wantDeadlines(t, "extended", next.Stages[0], "2026-12-30", "2027-01-19", "")
	needExtensions(t, next.Stages[0], 1)
	if e := next.Stages[0].Extensions[0]; e.NewRespondBy != date("2027-01-19") {
		t.Errorf("new respond_by = %s, want 2027-01-19", e.NewRespondBy)
	}
	// Acknowledged on 23 Dec the response is due 11 Jan, and the extension
	// still adds 3 working days: 12, 13, 14 Jan.
	next = f.must(next, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	wantDeadlines(t, "acknowledged", next.Stages[0], "2026-12-30", "2027-01-14", "")
	// The extension is a record of what was decided then; later commands
	// do not rewrite it.
	needExtensions(t, next.Stages[0], 1)
	if e := next.Stages[0].Extensions[0]; e.NewRespondBy != date("2027-01-19") {
		t.Errorf("the extension's new respond_by was rewritten to %s; want the recorded 2027-01-19", e.NewRespondBy)
	}
}

func TestExtendRules(t *testing.T) {
	ok := Extend{WorkingDays: 5, Reason: "Survey", OmbudsmanDetailsGiven: true}
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Extend
		code   string
		fields []string
	}{
		{"the Ombudsman's details must be given", (*fixture).acknowledged, Extend{WorkingDays: 5, Reason: "Survey", AgreedWithResident: true}, Conflict, []string{"ombudsman_details_given"}},
		{"a reason is required", (*fixture).acknowledged, Extend{WorkingDays: 5, Reason: " ", OmbudsmanDetailsGiven: true}, Invalid, []string{"reason"}},
		{"at least one working day", (*fixture).acknowledged, Extend{Reason: "Survey", OmbudsmanDetailsGiven: true}, Invalid, []string{"working_days"}},
		{"no negative extension", (*fixture).acknowledged, Extend{WorkingDays: -1, Reason: "Survey", OmbudsmanDetailsGiven: true}, Invalid, []string{"working_days"}},
		{"at most 260 working days", (*fixture).acknowledged, Extend{WorkingDays: 261, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, Invalid, []string{"working_days"}},
		{"both field problems at once", (*fixture).acknowledged, Extend{}, Invalid, []string{"working_days", "reason"}},
		{"only a complaint", (*fixture).serviceRequest, ok, Conflict, nil},
		{"not once responded", (*fixture).responded, ok, Conflict, nil},
		{"not once closed", func(f *fixture) Case {
			return f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
		}, ok, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-08 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

// --- respond ---

func TestRespondRecordsDecisionsAndRemedies(t *testing.T) {
	f := newFixture(t, "code-2024")
	cmd := Respond{
		Decisions: []Decision{
			{Point: 2, Outcome: "partly_upheld", Reasons: " Partly "},
			{Point: 1, Outcome: "upheld", Reasons: "Yes"},
		},
		Remedies: []RemedyInput{
			{Kind: RemedyApology, Description: " Sorry "},
			{Kind: RemedyCompensation, Description: "Delay", AmountPence: 15000},
			{Kind: RemedyAction, Description: "Treat the damp", Owner: " repairs@landlord.example ", Due: "2027-01-29"},
			{Kind: RemedyPolicyChange, Description: "Check jobs before closing them"},
		},
	}
	next, ev, err := f.decide(f.acknowledged(), "2027-01-05 10:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != "decisions_recorded" {
		t.Errorf("event kind = %q", ev.Kind)
	}
	next = f.must(next, "2027-01-06 09:00", officer, responseLetter(1, "print"))
	st := next.Stages[0]
	if next.Status != StatusResponded || !st.RespondedAt.Equal(london("2027-01-06 09:00")) {
		t.Errorf("status %s, responded_at %v: want responded when the letter went", next.Status, st.RespondedAt)
	}
	wantDecisions := []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}, {Point: 2, Outcome: "partly_upheld", Reasons: "Partly"}}
	if !reflect.DeepEqual(st.Decisions, wantDecisions) {
		t.Errorf("decisions = %+v, want them in point order, trimmed: %+v", st.Decisions, wantDecisions)
	}
	wantRemedies := []Remedy{
		{ID: 1, Stage: 1, Kind: RemedyApology, Description: "Sorry"},
		{ID: 2, Stage: 1, Kind: RemedyCompensation, Description: "Delay", AmountPence: 15000, CompensationKind: "goodwill"},
		{ID: 3, Stage: 1, Kind: RemedyAction, Description: "Treat the damp", Owner: "repairs@landlord.example", Due: date("2027-01-29")},
		{ID: 4, Stage: 1, Kind: RemedyPolicyChange, Description: "Check jobs before closing them"},
	}
	if !reflect.DeepEqual(next.Remedies, wantRemedies) {
		t.Errorf("remedies = %+v\nwant %+v", next.Remedies, wantRemedies)
	}
	// The Code has no escalation window.
	wantDeadlines(t, "responded", st, "2026-12-30", "2027-01-11", "")
	if !next.NextDue().IsZero() {
		t.Errorf("NextDue = %s, want none once responded", next.NextDue())
	}
}

func TestRespondSetsTheEscalationWindowOfThePolicy(t *testing.T) {
	tests := []struct {
		policy, respondedAt, escalateBy string
	}{
		// gentoo: 15 working days from Tue 5 Jan 2027: 6-8, 11-15, 18-22,
		// 25, 26 Jan.
		{"gentoo", "2027-01-05 10:00", "2027-01-26"},
		// From Wed 23 Dec 2026 the window crosses Christmas and New Year:
		// 24, 29, 30, 31 Dec, 4-8, 11-15, 18 Jan.
		{"gentoo", "2026-12-23 11:00", "2027-01-18"},
		// greatwell: 20 working days from 5 Jan: 6-8, 11-15, 18-22, 25-29
		// Jan, 1, 2 Feb.
		{"greatwell-homes", "2027-01-05 10:00", "2027-02-02"},
		// The Code sets no window.
		{"code-2024", "2027-01-05 10:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.policy+" "+tt.respondedAt, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			next := f.respond(f.acknowledged(), tt.respondedAt, officer, respondCmd())
			if got := next.Stages[0].EscalateBy; got != date(tt.escalateBy) {
				t.Errorf("escalate_by = %q, want %q", got, tt.escalateBy)
			}
		})
	}
}

func TestRespondBeforeAcknowledgeIsAConflict(t *testing.T) {
	f := newFixture(t, "code-2024")
	_, _, err := f.decide(f.received(), "2026-12-22 10:00", officer, respondCmd())
	wantError(t, err, Conflict)
}

func TestRespondRules(t *testing.T) {
	ds := func(d ...Decision) []Decision { return d }
	p1 := Decision{Point: 1, Outcome: "upheld", Reasons: "Yes"}
	p2 := Decision{Point: 2, Outcome: "not_upheld", Reasons: "No"}
	withRemedy := func(r RemedyInput) Respond { return Respond{Decisions: ds(p1, p2), Remedies: []RemedyInput{r}} }
	tests := []struct {
		name   string
		cmd    Respond
		code   string
		fields []string
	}{
		{"a decision for every point", Respond{Decisions: ds(p1)}, Conflict, nil},
		{"no decisions at all", Respond{}, Conflict, nil},
		{"an unknown outcome", Respond{Decisions: ds(Decision{Point: 1, Outcome: "partly", Reasons: "Yes"}, p2)}, Invalid, []string{"decisions[0].outcome"}},
		{"a missing outcome", Respond{Decisions: ds(p1, Decision{Point: 2, Reasons: "No"})}, Invalid, []string{"decisions[1].outcome"}},
		{"a point that does not exist", Respond{Decisions: ds(p1, p2, Decision{Point: 3, Outcome: "upheld", Reasons: "Yes"})}, Invalid, []string{"decisions[2].point"}},
		{"point 0 does not exist", Respond{Decisions: ds(Decision{Point: 0, Outcome: "upheld", Reasons: "Yes"}, p1, p2)}, Invalid, []string{"decisions[0].point"}},
		{"a point decided twice", Respond{Decisions: ds(p1, p2, p1)}, Invalid, []string{"decisions[2].point"}},
		{"reasons are required", Respond{Decisions: ds(p1, Decision{Point: 2, Outcome: "not_upheld", Reasons: " "})}, Invalid, []string{"decisions[1].reasons"}},
		{"compensation needs an amount", withRemedy(RemedyInput{Kind: RemedyCompensation, Description: "Delay"}), Invalid, []string{"remedies[0].amount_pence"}},
		{"compensation cannot be negative", withRemedy(RemedyInput{Kind: RemedyCompensation, Description: "Delay", AmountPence: -100}), Invalid, []string{"remedies[0].amount_pence"}},
		{"compensation of at most £1,000,000", withRemedy(RemedyInput{Kind: RemedyCompensation, Description: "Delay", AmountPence: 100_000_001}), Invalid, []string{"remedies[0].amount_pence"}},
		{"compensation of an unknown kind", withRemedy(RemedyInput{Kind: RemedyCompensation, Description: "Delay", AmountPence: 100, CompensationKind: "bribe"}), Invalid, []string{"remedies[0].compensation_kind"}},
		{"a kind of compensation on an apology", withRemedy(RemedyInput{Kind: RemedyApology, Description: "Sorry", CompensationKind: "goodwill"}), Invalid, []string{"remedies[0].compensation_kind"}},
		{"only compensation has an amount", withRemedy(RemedyInput{Kind: RemedyApology, Description: "Sorry", AmountPence: 100}), Invalid, []string{"remedies[0].amount_pence"}},
		{"an action needs an owner", withRemedy(RemedyInput{Kind: RemedyAction, Description: "Fix", Due: "2027-02-01"}), Invalid, []string{"remedies[0].owner"}},
		{"an action needs a due date", withRemedy(RemedyInput{Kind: RemedyAction, Description: "Fix", Owner: "repairs"}), Invalid, []string{"remedies[0].due"}},
		{"an action needs both", withRemedy(RemedyInput{Kind: RemedyAction, Description: "Fix"}), Invalid, []string{"remedies[0].owner", "remedies[0].due"}},
		{"a due date must be a date", withRemedy(RemedyInput{Kind: RemedyAction, Description: "Fix", Owner: "repairs", Due: "2027-02-30"}), Invalid, []string{"remedies[0].due"}},
		{"a remedy kind must be known", withRemedy(RemedyInput{Kind: "voucher", Description: "Flowers"}), Invalid, []string{"remedies[0].kind"}},
		{"a remedy needs a description", withRemedy(RemedyInput{Kind: RemedyApology}), Invalid, []string{"remedies[0].description"}},
		{"more than 50 remedies", Respond{Decisions: ds(p1, p2), Remedies: slices.Repeat([]RemedyInput{{Kind: RemedyApology, Description: "Sorry"}}, 51)}, Invalid, []string{"remedies"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(f.acknowledged(), "2027-01-05 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

func TestRespondReportsDecisionAndRemedyProblemsTogether(t *testing.T) {
	f := newFixture(t, "code-2024")
	cmd := Respond{
		Decisions: []Decision{{Point: 1, Outcome: "maybe", Reasons: "Yes"}, {Point: 2, Outcome: "upheld", Reasons: "Yes"}},
		Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "Delay"}},
	}
	_, _, err := f.decide(f.acknowledged(), "2027-01-05 10:00", officer, cmd)
	wantError(t, err, Invalid, "decisions[0].outcome", "remedies[0].amount_pence")

	// An invalid remedy is reported even when a point is undecided.
	cmd = Respond{
		Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}},
		Remedies:  []RemedyInput{{Kind: RemedyAction, Description: "Fix", Owner: "repairs"}},
	}
	_, _, err = f.decide(f.acknowledged(), "2027-01-05 10:00", officer, cmd)
	wantError(t, err, Invalid, "remedies[0].due")
}

func TestRespondStateRules(t *testing.T) {
	tests := []struct {
		name  string
		c     func(*fixture) Case
		actor Actor
	}{
		{"not twice", (*fixture).responded, officer},
		{"only a complaint", (*fixture).serviceRequest, officer},
		{"a stage 1 handler cannot respond at stage 2", (*fixture).stage2Acknowledged, officer},
		{"stage 2 must be acknowledged first", (*fixture).escalated, reviewer},
		{"not once withdrawn", func(f *fixture) Case {
			return f.must(f.acknowledged(), "2026-12-24 10:00", officer, Withdraw{Reason: "Moved out"})
		}, officer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", tt.actor, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}})
			wantError(t, err, Conflict)
		})
	}
}

func TestStage2RemediesFollowStage1Numbering(t *testing.T) {
	f := newFixture(t, "code-2024")
	next := f.respond(f.stage2Acknowledged(), "2027-02-01 10:00", reviewer, Respond{
		Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Too low"}},
		Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "More", AmountPence: 10000}},
	})
	if len(next.Remedies) != 4 {
		t.Fatalf("remedies = %+v, want stage 1's three and one more", next.Remedies)
	}
	if r := next.Remedies[3]; r.ID != 4 || r.Stage != 2 || r.AmountPence != 10000 {
		t.Errorf("stage 2 remedy = %+v, want id 4 at stage 2", r)
	}
	if next.Handler != reviewer.Email || next.Status != StatusResponded {
		t.Errorf("handler %q, status %s", next.Handler, next.Status)
	}
}

// --- escalate ---

func TestEscalateStartsStage2FromTheEscalationDate(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.responded()
	next, ev, err := f.decide(c, "2027-01-11 10:00", officer, Escalate{Reason: " The compensation is too low "})
	if err != nil {
		t.Fatal(err)
	}
	if next.Stage != 2 || next.Status != StatusReceived || len(next.Stages) != 2 {
		t.Fatalf("stage %d, status %s, %d stages; want stage 2 received", next.Stage, next.Status, len(next.Stages))
	}
	s2 := next.Stages[1]
	if s2.Stage != 2 || !s2.ReceivedAt.Equal(london("2027-01-11 10:00")) || s2.Reason != "The compensation is too low" || s2.LateReason != "" {
		t.Errorf("stage 2 = %+v", s2)
	}
	// Stage 2: 12-15, 18 Jan; then 20 working days from 18 Jan.
	wantDeadlines(t, "stage 2", s2, "2027-01-18", "2027-02-15", "")
	// Stage 1 keeps its record.
	wantDeadlines(t, "stage 1", next.Stages[0], "2026-12-30", "2027-01-11", "")
	if !reflect.DeepEqual(next.Stages[0], c.Stages[0]) {
		t.Errorf("stage 1 changed on escalation:\n%+v\nwas\n%+v", next.Stages[0], c.Stages[0])
	}
	if next.Handler != "" || s2.Handlers == nil || len(s2.Handlers) != 0 || s2.Extensions == nil || len(s2.Extensions) != 0 {
		t.Errorf("handler %q, stage 2 handlers %v, extensions %v: want the handler cleared and empty lists", next.Handler, s2.Handlers, s2.Extensions)
	}
	// The Code does not give stage 2 a new reference.
	if s2.Reference != "" && s2.Reference != c.Reference {
		t.Errorf("stage 2 reference = %q, want none new", s2.Reference)
	}
	if len(f.refs.years) != 1 || !reflect.DeepEqual(next.References(), []string{c.Reference}) {
		t.Errorf("references %q after %d allocations; want only %s", next.References(), len(f.refs.years), c.Reference)
	}
	if next.NextDue() != date("2027-01-18") || ev.Kind != "escalated" {
		t.Errorf("NextDue %s, event %q", next.NextDue(), ev.Kind)
	}
}

func TestEscalateUnderGentooGivesStage2ANewReference(t *testing.T) {
	f := newFixture(t, "gentoo")
	c := f.responded()
	next := f.must(c, "2027-01-11 10:00", officer, Escalate{})
	needStages(t, next, 2)
	if got := next.Stages[1].Reference; got != "C-2027-000002" {
		t.Errorf("stage 2 reference = %q, want C-2027-000002, allocated for the year of escalation", got)
	}
	if !reflect.DeepEqual(f.refs.years, []int{2026, 2027}) {
		t.Errorf("references asked for years %v, want [2026 2027]", f.refs.years)
	}
	if next.Reference != "C-2026-000001" || !reflect.DeepEqual(next.References(), []string{"C-2026-000001", "C-2027-000002"}) {
		t.Errorf("reference %q, references %q", next.Reference, next.References())
	}
	wantDeadlines(t, "stage 2", next.Stages[1], "2027-01-18", "2027-02-15", "")
}

func TestEscalateReturnsAReferenceFailure(t *testing.T) {
	f := newFixture(t, "gentoo")
	c := f.responded()
	boom := errors.New("sequence unavailable")
	f.env.NewReference = func(int) (string, error) { return "", boom }
	if _, _, err := f.decide(c, "2027-01-11 10:00", officer, Escalate{}); !errors.Is(err, boom) {
		t.Errorf("error = %v, want %v", err, boom)
	}
}

func TestEscalateAfterThePolicysWindowNeedsALateReason(t *testing.T) {
	// gentoo: 15 working days from the response on Tue 5 Jan 2027 ends Tue 26 Jan.
	tests := []struct {
		name string
		at   string
		cmd  Escalate
		code string
	}{
		{"on the last day of the window", "2027-01-26 23:59", Escalate{}, ""},
		{"the day after the window", "2027-01-27 00:01", Escalate{}, Conflict},
		{"a blank late reason is no reason", "2027-01-27 10:00", Escalate{LateReason: "  "}, Conflict},
		{"after the window with a late reason", "2027-01-27 10:00", Escalate{LateReason: " Resident was in hospital "}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "gentoo")
			next, _, err := f.decide(f.responded(), tt.at, officer, tt.cmd)
			if tt.code != "" {
				// The rule is about one field, which it names.
				wantError(t, err, tt.code, "late_reason")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if next.Stage != 2 || len(next.Stages) != 2 || next.Stages[1].LateReason != strings.TrimSpace(tt.cmd.LateReason) {
				t.Errorf("stage %d, stages %+v, want stage 2 with late reason %q", next.Stage, next.Stages, strings.TrimSpace(tt.cmd.LateReason))
			}
		})
	}
	// The Code has no window: a year later needs no late reason.
	f := newFixture(t, "code-2024")
	f.env.Now = time.Date(2028, time.March, 1, 12, 0, 0, 0, calendar.London)
	if _, _, err := f.decide(f.responded(), "2028-01-27 10:00", officer, Escalate{}); err != nil {
		t.Errorf("escalating a year later under the Code: %v", err)
	}
}

func TestEscalateAClosedStage1ReopensIt(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
	next := f.must(c, "2027-01-11 10:00", officer, Escalate{})
	if next.Status != StatusReceived || next.Stage != 2 || !next.ClosedAt.IsZero() {
		t.Errorf("status %s, stage %d, closed_at %v; want stage 2 received and open", next.Status, next.Stage, next.ClosedAt)
	}
}

func TestEscalateRules(t *testing.T) {
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Escalate
		code   string
		fields []string
	}{
		{"not before acknowledgement", (*fixture).received, Escalate{}, Conflict, nil},
		{"not before the stage 1 response", (*fixture).acknowledged, Escalate{}, Conflict, nil},
		{"no stage 3", (*fixture).escalated, Escalate{}, Conflict, nil},
		{"no stage 3 after the stage 2 response", func(f *fixture) Case {
			return f.respond(f.stage2Acknowledged(), "2027-02-01 10:00", reviewer, Respond{Decisions: []Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No"}}})
		}, Escalate{}, Conflict, nil},
		{"only a complaint", (*fixture).serviceRequest, Escalate{}, Conflict, nil},
		{"not once withdrawn", func(f *fixture) Case {
			return f.must(f.responded(), "2027-01-06 10:00", officer, Withdraw{Reason: "Happy now"})
		}, Escalate{}, Conflict, nil},
		{"not once refused", func(f *fixture) Case {
			return f.must(f.received(), "2026-12-22 10:00", officer, Refuse{Exclusion: "legal_proceedings", Explanation: "Claim filed"})
		}, Escalate{}, Conflict, nil},
		{"a reason over 20000 characters", (*fixture).responded, Escalate{Reason: strings.Repeat("a", 20001)}, Invalid, []string{"reason"}},
		{"a late reason over 20000 characters", (*fixture).responded, Escalate{LateReason: strings.Repeat("a", 20001)}, Invalid, []string{"late_reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-02-10 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

// --- close, withdraw, refuse ---

func TestCloseAComplaintOnlyAfterItsResponse(t *testing.T) {
	f := newFixture(t, "code-2024")
	next, ev, err := f.decide(f.responded(), "2027-01-06 10:00", officer, Close{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Status != StatusClosed || !next.ClosedAt.Equal(london("2027-01-06 10:00")) || ev.Kind != "closed" {
		t.Errorf("status %s, closed_at %v, event %q", next.Status, next.ClosedAt, ev.Kind)
	}
	for name, c := range map[string]func(*fixture) Case{
		"received":       (*fixture).received,
		"acknowledged":   (*fixture).acknowledged,
		"stage 2":        (*fixture).escalated,
		"already closed": func(f *fixture) Case { return f.must(f.responded(), "2027-01-06 10:00", officer, Close{}) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(c(f), "2027-02-10 10:00", officer, Close{})
			wantError(t, err, Conflict)
		})
	}
}

func TestCloseOtherContactsInAnyOpenState(t *testing.T) {
	for _, kind := range []Kind{KindServiceRequest, KindCompliment, KindSuggestion, KindFeedback, KindEnquiry} {
		t.Run(string(kind), func(t *testing.T) {
			f := newFixture(t, "code-2024")
			cmd := validCreate()
			cmd.Kind = kind
			c := f.create(cmd, "2026-12-21 10:00")
			next := f.must(c, "2026-12-22 10:00", officer, Close{})
			if next.Status != StatusClosed || !next.ClosedAt.Equal(london("2026-12-22 10:00")) {
				t.Errorf("status %s, closed_at %v", next.Status, next.ClosedAt)
			}
			_, _, err := f.decide(next, "2026-12-23 10:00", officer, Close{})
			wantError(t, err, Conflict)
			withdrawn := f.must(c, "2026-12-22 10:00", officer, Withdraw{Reason: "Sorted"})
			_, _, err = f.decide(withdrawn, "2026-12-23 10:00", officer, Close{})
			wantError(t, err, Conflict)
		})
	}
}

func TestWithdrawFromAnyOpenState(t *testing.T) {
	for name, c := range map[string]func(*fixture) Case{
		"received":        (*fixture).received,
		"acknowledged":    (*fixture).acknowledged,
		"responded":       (*fixture).responded,
		"stage 2":         (*fixture).stage2Acknowledged,
		"service request": (*fixture).serviceRequest,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			next, ev, err := f.decide(c(f), "2027-01-20 10:00", officer, Withdraw{Reason: " Moved out "})
			if err != nil {
				t.Fatal(err)
			}
			if next.Status != StatusWithdrawn || next.EndReason != "Moved out" || !next.ClosedAt.Equal(london("2027-01-20 10:00")) || ev.Kind != "withdrawn" {
				t.Errorf("status %s, end reason %q, closed_at %v, event %q", next.Status, next.EndReason, next.ClosedAt, ev.Kind)
			}
		})
	}
}

func TestWithdrawRules(t *testing.T) {
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Withdraw
		code   string
		fields []string
	}{
		{"a reason is required", (*fixture).received, Withdraw{Reason: " "}, Invalid, []string{"reason"}},
		{"not when closed", func(f *fixture) Case { return f.must(f.responded(), "2027-01-06 10:00", officer, Close{}) }, Withdraw{Reason: "x"}, Conflict, nil},
		{"not twice", func(f *fixture) Case { return f.must(f.received(), "2026-12-22 10:00", officer, Withdraw{Reason: "x"}) }, Withdraw{Reason: "x"}, Conflict, nil},
		{"not when refused", func(f *fixture) Case {
			return f.must(f.received(), "2026-12-22 10:00", officer, Refuse{Exclusion: "legal_proceedings", Explanation: "Claim filed"})
		}, Withdraw{Reason: "x"}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

func TestRefuseOnOneOfThePolicysExclusions(t *testing.T) {
	for name, c := range map[string]func(*fixture) Case{
		"received":     (*fixture).received,
		"acknowledged": (*fixture).acknowledged,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			next, ev, err := f.decide(c(f), "2026-12-24 10:00", officer, Refuse{Exclusion: "older_than_12_months", Explanation: " The leak was fixed in 2024 "})
			if err != nil {
				t.Fatal(err)
			}
			if next.Status != StatusRefused || next.Exclusion != "older_than_12_months" || next.EndReason != "The leak was fixed in 2024" ||
				!next.ClosedAt.Equal(london("2026-12-24 10:00")) || ev.Kind != "refused" {
				t.Errorf("status %s, exclusion %q, end reason %q, closed_at %v, event %q", next.Status, next.Exclusion, next.EndReason, next.ClosedAt, ev.Kind)
			}
		})
	}
}

func TestRefuseRules(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		c      func(*fixture) Case
		cmd    Refuse
		code   string
		fields []string
	}{
		{"the exclusion must be the policy's", "code-2024", (*fixture).received, Refuse{Exclusion: "vexatious", Explanation: "x"}, Invalid, []string{"exclusion"}},
		{"another policy's exclusion", "greatwell-homes", (*fixture).received, Refuse{Exclusion: "anti_social_behaviour", Explanation: "x"}, Invalid, []string{"exclusion"}},
		{"an exclusion is required", "code-2024", (*fixture).received, Refuse{Explanation: "x"}, Invalid, []string{"exclusion"}},
		{"an explanation is required", "code-2024", (*fixture).received, Refuse{Exclusion: "legal_proceedings", Explanation: " "}, Invalid, []string{"explanation"}},
		{"both at once", "code-2024", (*fixture).received, Refuse{}, Invalid, []string{"exclusion", "explanation"}},
		{"only a complaint", "code-2024", (*fixture).serviceRequest, Refuse{Exclusion: "legal_proceedings", Explanation: "x"}, Conflict, nil},
		{"not once responded", "code-2024", (*fixture).responded, Refuse{Exclusion: "legal_proceedings", Explanation: "x"}, Conflict, nil},
		{"not once withdrawn", "code-2024", func(f *fixture) Case {
			return f.must(f.received(), "2026-12-22 10:00", officer, Withdraw{Reason: "x"})
		}, Refuse{Exclusion: "legal_proceedings", Explanation: "x"}, Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			_, _, err := f.decide(tt.c(f), "2027-01-20 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	// greatwell's own exclusion is allowed under greatwell, while a
	// restriction is in force (refuse_restricted_test.go).
	f := newFixture(t, "greatwell-homes")
	f.env.RestrictionInForce = "restriction 1"
	if _, _, err := f.decide(f.received(), "2026-12-22 10:00", officer, Refuse{Exclusion: "vexatious", Explanation: "Restricted"}); err != nil {
		t.Errorf("greatwell's vexatious exclusion: %v", err)
	}
}

// --- convert ---

func TestConvertMakesAStage1ComplaintReceivedWhenDissatisfactionWasExpressed(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.enquiry() // received Mon 21 Dec 2026
	c = f.must(c, "2026-12-22 09:00", officer, Note{Text: "Called back; still unhappy"})
	next, ev, err := f.decide(c, "2026-12-23 10:00", officer, Convert{})
	if err != nil {
		t.Fatal(err)
	}
	if next.Kind != KindComplaint || next.Stage != 1 || next.Status != StatusReceived || len(next.Stages) != 1 {
		t.Fatalf("case is %s, stage %d, %s, %d stages", next.Kind, next.Stage, next.Status, len(next.Stages))
	}
	if next.Reference != c.Reference || next.Stages[0].Reference != c.Reference || len(f.refs.years) != 1 {
		t.Errorf("reference %q, stage reference %q, %d allocations: want %s kept", next.Reference, next.Stages[0].Reference, len(f.refs.years), c.Reference)
	}
	// Rule 5: the complaint dates from the contact's receipt, although a
	// note came between.
	if !next.Stages[0].ReceivedAt.Equal(c.ReceivedAt) || !next.ReceivedAt.Equal(c.ReceivedAt) {
		t.Errorf("stage received_at %v, case received_at %v, want both %v", next.Stages[0].ReceivedAt, next.ReceivedAt, c.ReceivedAt)
	}
	// 5 working days from Mon 21 Dec: 22, 23, 24, 29, 30 Dec; then 10
	// from 30 Dec: 31 Dec, 4-8, 11-14 Jan.
	wantDeadlines(t, "converted", next.Stages[0], "2026-12-30", "2027-01-14", "")
	if ev.Kind != "converted" {
		t.Errorf("event kind = %q", ev.Kind)
	}
	// The event records the date chosen, so a replay never depends on
	// the default.
	if got := ev.Data.(Convert).DissatisfiedAt; !got.Equal(c.ReceivedAt) {
		t.Errorf("event dissatisfied_at = %v, want %v", got, c.ReceivedAt)
	}
}

func TestConvertDatesTheComplaintFromTheDissatisfaction(t *testing.T) {
	received := "2026-12-21 10:00"
	tests := []struct {
		name, dissatisfied string
		field              string // the invalid field, or ""
		ack, respond       string
	}{
		{"by default the contact's receipt", "", "", "2026-12-30", "2027-01-14"},
		// Expressed Thu 24 Dec: 29, 30, 31 Dec, 4, 5 Jan; then 6-8, 11-15,
		// 18, 19 Jan.
		{"a later time the officer gives", "2026-12-24 15:00", "", "2027-01-05", "2027-01-19"},
		{"at the conversion itself", "2027-01-04 10:00", "", "2027-01-11", "2027-01-25"},
		{"never before the contact was received", "2026-12-20 10:00", "dissatisfied_at", "", ""},
		{"never after the conversion", "2027-01-04 10:01", "dissatisfied_at", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			feedback := validCreate()
			feedback.Kind = KindFeedback
			c := f.create(feedback, received)
			cmd := Convert{}
			if tt.dissatisfied != "" {
				cmd.DissatisfiedAt = london(tt.dissatisfied)
			}
			next, _, err := f.decide(c, "2027-01-04 10:00", officer, cmd)
			if tt.field != "" {
				wantError(t, err, Invalid, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantDeadlines(t, tt.name, next.Stages[0], tt.ack, tt.respond, "")
			// CH01 counts the complaint in the year of the dissatisfaction.
			if got, want := next.Facts()[0].Received, calendar.DateOf(next.Stages[0].ReceivedAt); got != want {
				t.Errorf("the fact's received date = %s, want %s", got, want)
			}
		})
	}
}

func TestConvertingAServiceRequestIsRefusedLeavingItOpen(t *testing.T) {
	f := newFixture(t, "code-2024")
	_, _, err := f.decide(f.serviceRequest(), "2026-12-23 10:00", officer, Convert{})
	wantError(t, err, Conflict)
}

func TestComplaintFromAServiceRequest(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	sr := f.serviceRequest()
	sr.Tenure = "low_cost_rental"
	sr.ServiceArea = "Repairs"
	tests := []struct {
		name, dissatisfied, at string
		field                  string
		want                   time.Time
	}{
		{"from the request's receipt by default", "", "2026-12-23 10:00", "", sr.ReceivedAt},
		{"from a later time given", "2026-12-22 16:00", "2026-12-23 10:00", "", london("2026-12-22 16:00")},
		{"not before the request", "2026-12-20 16:00", "2026-12-23 10:00", "dissatisfied_at", time.Time{}},
		{"not after now", "2026-12-23 10:01", "2026-12-23 10:00", "dissatisfied_at", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := Convert{}
			if tt.dissatisfied != "" {
				cmd.DissatisfiedAt = london(tt.dissatisfied)
			}
			create, err := ComplaintFromServiceRequest(sr, cmd, london(tt.at))
			if tt.field != "" {
				wantError(t, err, Invalid, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if create.Kind != KindComplaint || create.ReceivedAt == nil || !create.ReceivedAt.Equal(tt.want) {
				t.Fatalf("create = %s received %v, want a complaint received %v", create.Kind, create.ReceivedAt, tt.want)
			}
			if create.Complainant != sr.Complainant || create.Tenure != sr.Tenure || create.ServiceArea != sr.ServiceArea || create.Channel != sr.Channel {
				t.Errorf("the complaint does not carry the request's resident, tenure, area and channel: %+v", create)
			}
			if !strings.Contains(create.Description, sr.Reference) {
				t.Errorf("description %q does not name the service request %s", create.Description, sr.Reference)
			}
		})
	}
}

func TestConvertKeepsTheHandler(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	c := f.enquiry()
	c = f.must(c, "2026-12-21 11:00", officer, Assign{Handler: officer2.Email, HandlerRole: "officer"})
	next := f.must(c, "2026-12-23 10:00", officer, Convert{DissatisfiedAt: london("2026-12-23 10:00")})
	if next.Handler != officer2.Email || !reflect.DeepEqual(next.Stages[0].Handlers, []string{officer2.Email}) {
		t.Errorf("handler %q, stage 1 handlers %q", next.Handler, next.Stages[0].Handlers)
	}
	// Greatwell: acknowledge within 3 working days and respond within 10,
	// both from the dissatisfaction on 23 Dec: 24, 29, 30 Dec; 24, 29-31
	// Dec, 4-8 Jan, 11 Jan.
	wantDeadlines(t, "greatwell", next.Stages[0], "2026-12-30", "2027-01-11", "")
}

func TestConvertRules(t *testing.T) {
	for name, c := range map[string]func(*fixture) Case{
		"already a complaint":      (*fixture).received,
		"a closed service request": func(f *fixture) Case { return f.must(f.serviceRequest(), "2026-12-22 10:00", officer, Close{}) },
		"a withdrawn service request": func(f *fixture) Case {
			return f.must(f.serviceRequest(), "2026-12-22 10:00", officer, Withdraw{Reason: "x"})
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(c(f), "2026-12-23 10:00", officer, Convert{})
			wantError(t, err, Conflict)
		})
	}
	// Staff can convert any contact: a compliment that turns out to hold a complaint.
	f := newFixture(t, "code-2024")
	cmd := validCreate()
	cmd.Kind = KindCompliment
	if _, _, err := f.decide(f.create(cmd, "2026-12-21 10:00"), "2026-12-23 10:00", officer, Convert{}); err != nil {
		t.Errorf("converting a compliment: %v", err)
	}
}

// --- note, link, complete remedy ---

func TestNoteChangesNothingButTheTimeOfTheLatestEvent(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged()
	next, ev, err := f.decide(c, "2026-12-24 10:00", officer, Note{Text: "Called the resident"})
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.LastEventAt = london("2026-12-24 10:00")
	if !reflect.DeepEqual(next, want) {
		t.Errorf("note changed the case:\n%+v\nwant\n%+v", next, want)
	}
	if ev.Kind != "note_added" || !reflect.DeepEqual(ev.Data, Note{Text: "Called the resident"}) {
		t.Errorf("event = %+v", ev)
	}
	// Notes may be added to a closed case.
	closed := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
	if _, _, err := f.decide(closed, "2027-01-07 10:00", officer, Note{Text: "Resident phoned to say thanks"}); err != nil {
		t.Errorf("note on a closed case: %v", err)
	}
	for _, text := range []string{"", "  ", strings.Repeat("a", 20001)} {
		_, _, err := f.decide(c, "2026-12-24 10:00", officer, Note{Text: text})
		wantError(t, err, Invalid, "text")
	}
}

func TestRecordLetterPutsTheLettersHashOnTheRecord(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged()
	hash := strings.Repeat("ab", 32)
	cmd := RecordLetter{Kind: "acknowledgement", Title: "Acknowledgement", Channel: "email", SHA256: hash}
	next, ev, err := f.decide(c, "2026-12-24 10:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.LastEventAt = london("2026-12-24 10:00")
	if !reflect.DeepEqual(next, want) || ev.Kind != "letter_issued" || !reflect.DeepEqual(ev.Data, cmd) {
		t.Errorf("letter changed the case or recorded %+v", ev)
	}
	for _, tt := range []struct {
		cmd   RecordLetter
		field string
	}{
		{RecordLetter{Title: "x", Channel: "email", SHA256: hash}, "kind"},
		{RecordLetter{Kind: "x", Channel: "email", SHA256: hash}, "title"},
		{RecordLetter{Kind: "x", Title: "x", Channel: "fax", SHA256: hash}, "channel"},
		{RecordLetter{Kind: "x", Title: "x", Channel: "print", SHA256: strings.ToUpper(hash)}, "sha256"},
		{RecordLetter{Kind: "x", Title: "x", Channel: "print", SHA256: hash[:10]}, "sha256"},
	} {
		_, _, err := f.decide(c, "2026-12-24 10:00", officer, tt.cmd)
		wantError(t, err, Invalid, tt.field)
	}
}

func TestAddInformationIsRecordedWithItsFiles(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged()
	hash := strings.Repeat("cd", 32)
	cmd := AddInformation{Source: "portal", From: "Ada Resident", Text: "Photos of the mould", Attachments: []AttachmentRef{{Name: "mould.jpg", SHA256: hash, Size: 2048}}}
	next, ev, err := f.decide(c, "2026-12-24 10:00", officer, cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.LastEventAt = london("2026-12-24 10:00")
	// Only the "new from resident" tag changes: the information is on
	// the event and the files beside the case.
	want.UnreadFromResident = london("2026-12-24 10:00")
	if !reflect.DeepEqual(next, want) || ev.Kind != "information_added" || !reflect.DeepEqual(ev.Data, cmd) {
		t.Errorf("information changed the case or recorded %+v", ev)
	}
	// Files alone are enough; text alone is enough; neither is not.
	if _, _, err := f.decide(c, "2026-12-24 10:00", officer, AddInformation{Source: "email", Attachments: cmd.Attachments}); err != nil {
		t.Errorf("files with no text: %v", err)
	}
	for _, tt := range []struct {
		cmd   AddInformation
		field string
	}{
		{AddInformation{Source: "portal"}, "text"},
		{AddInformation{Source: "fax", Text: "x"}, "source"},
		{AddInformation{Source: "portal", Text: "x", Attachments: []AttachmentRef{{Name: "a.pdf", SHA256: "short", Size: 1}}}, "attachments[0]"},
		{AddInformation{Source: "portal", Text: "x", Attachments: []AttachmentRef{{Name: "", SHA256: hash, Size: 1}}}, "attachments[0]"},
	} {
		_, _, err := f.decide(c, "2026-12-24 10:00", officer, tt.cmd)
		wantError(t, err, Invalid, tt.field)
	}
}

func TestLinkRules(t *testing.T) {
	f := newFixture(t, "gentoo")
	c := f.escalated() // C-2026-000001, stage 2 C-2027-000002
	next, ev, err := f.decide(c, "2027-01-12 10:00", officer, Link{Reference: " C-2026-000099 "})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(next.Links, []string{"C-2026-000099"}) || ev.Kind != "linked" {
		t.Errorf("links %q, event %q", next.Links, ev.Kind)
	}
	tests := []struct {
		name   string
		c      Case
		ref    string
		code   string
		fields []string
	}{
		{"a reference is required", c, " ", Invalid, []string{"reference"}},
		{"not to itself", c, "C-2026-000001", Conflict, nil},
		{"not to its own stage 2 reference", c, "C-2027-000002", Conflict, nil},
		{"not twice", next, "C-2026-000099", Conflict, nil},
		{"not twice, however spaced", next, "C-2026-000099 ", Conflict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2027-01-12 10:00", officer, Link{Reference: tt.ref})
			wantError(t, err, tt.code, tt.fields...)
		})
	}
}

func TestCompleteRemedyAfterTheCaseCloses(t *testing.T) {
	f := newFixture(t, "code-2024")
	closed := f.must(f.responded(), "2027-01-06 10:00", officer, Close{})
	next, ev, err := f.decide(closed, "2027-01-28 10:00", officer, CompleteRemedy{ID: 3, Note: " Damp treated "})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Remedies) != 3 {
		t.Fatalf("remedies = %+v, want the three of stage 1", next.Remedies)
	}
	r := next.Remedies[2]
	if r.ID != 3 || !r.Done || !r.DoneAt.Equal(london("2027-01-28 10:00")) || r.DoneNote != "Damp treated" {
		t.Errorf("remedy 3 = %+v", r)
	}
	if next.Remedies[0].Done || next.Remedies[1].Done {
		t.Errorf("other remedies changed: %+v", next.Remedies)
	}
	if next.Status != StatusClosed || !next.ClosedAt.Equal(closed.ClosedAt) || ev.Kind != "remedy_done" {
		t.Errorf("status %s, closed_at %v, event %q: the case stays closed", next.Status, next.ClosedAt, ev.Kind)
	}

	_, _, err = f.decide(next, "2027-01-29 10:00", officer, CompleteRemedy{ID: 3})
	wantError(t, err, Conflict)
	for _, id := range []int{0, 4, -1} {
		_, _, err = f.decide(closed, "2027-01-29 10:00", officer, CompleteRemedy{ID: id})
		wantError(t, err, NotFound)
	}
	_, _, err = f.decide(closed, "2027-01-29 10:00", officer, CompleteRemedy{ID: 1, Note: strings.Repeat("a", 20001)})
	wantError(t, err, Invalid, "note")
}

// --- when a command happened ---

func TestAtInTheFutureIsInvalid(t *testing.T) {
	f := newFixture(t, "code-2024")
	env := f.env
	env.At = testNow.Add(time.Second)
	_, _, err := Decide(f.received(), Note{Text: "x"}, env)
	wantError(t, err, Invalid, "at")
}

func TestAtBeforeTheLatestEventIsInvalid(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.acknowledged() // latest event 23 Dec 2026 10:00
	_, _, err := f.decide(c, "2026-12-23 09:59", officer, Note{Text: "x"})
	wantError(t, err, Invalid, "at")
	// The same instant as the latest event is allowed.
	if _, _, err := f.decide(c, "2026-12-23 10:00", officer, Note{Text: "x"}); err != nil {
		t.Errorf("at the same instant as the latest event: %v", err)
	}
}

func TestAtZeroMeansNow(t *testing.T) {
	f := newFixture(t, "code-2024")
	next, ev, err := Decide(f.received(), Note{Text: "x"}, f.env)
	if err != nil {
		t.Fatal(err)
	}
	if !next.LastEventAt.Equal(testNow) || !ev.At.Equal(testNow) || !ev.RecordedAt.Equal(testNow) {
		t.Errorf("last_event_at %v, event at %v, recorded at %v; want now", next.LastEventAt, ev.At, ev.RecordedAt)
	}
}

func TestBackdatedAtIsUsedForTimestampsAndDeadlines(t *testing.T) {
	f := newFixture(t, "code-2024")
	// Recorded on 1 Mar 2027; acknowledged on paper on Tue 22 Dec 2026:
	// respond by 23, 24, 29, 30, 31 Dec, 4-8 Jan.
	next, ev, err := f.decide(f.received(), "2026-12-22 14:00", officer, Acknowledge{Points: []string{"Damp"}})
	if err != nil {
		t.Fatal(err)
	}
	at := london("2026-12-22 14:00")
	if !next.Stages[0].AcknowledgedAt.Equal(at) || !next.LastEventAt.Equal(at) || !ev.At.Equal(at) || !ev.RecordedAt.Equal(testNow) {
		t.Errorf("acknowledged_at %v, last_event_at %v, event at %v, recorded at %v", next.Stages[0].AcknowledgedAt, next.LastEventAt, ev.At, ev.RecordedAt)
	}
	wantDeadlines(t, "backdated acknowledgement", next.Stages[0], "2026-12-30", "2027-01-08", "")

	// A backdated escalation dates stage 2: received Thu 7 Jan 2027,
	// acknowledge by 8, 11, 12, 13, 14 Jan; respond 20 working days from
	// 14 Jan: 15, 18-22, 25-29, 1-5 Feb, 8-11 Feb.
	c := f.responded()
	next = f.must(c, "2027-01-07 16:00", officer, Escalate{})
	needStages(t, next, 2)
	if !next.Stages[1].ReceivedAt.Equal(london("2027-01-07 16:00")) {
		t.Errorf("stage 2 received_at = %v", next.Stages[1].ReceivedAt)
	}
	wantDeadlines(t, "backdated escalation", next.Stages[1], "2027-01-14", "2027-02-11", "")
}

func TestDeadlinesBeyondKnownBankHolidaysAreUnavailable(t *testing.T) {
	f := newFixture(t, "code-2024")
	f.env.Now = time.Date(2041, time.January, 10, 12, 0, 0, 0, calendar.London)
	c := f.create(validCreate(), "2040-11-01 10:00")
	// Acknowledged Thu 20 Dec 2040, the tenth working day falls in 2041,
	// whose bank holidays are not built in.
	_, _, err := f.decide(c, "2040-12-20 10:00", officer, Acknowledge{Points: []string{"Damp"}})
	wantError(t, err, Unavailable)
}

func TestUnknownCommandIsInternal(t *testing.T) {
	f := newFixture(t, "code-2024")
	// Commands are values; a pointer is not one Decide knows.
	_, _, err := Decide(f.received(), &Note{Text: "x"}, f.env)
	wantError(t, err, Internal)
}

// --- Decide never changes its input ---

func TestDecideNeverChangesItsInput(t *testing.T) {
	// rich builds the same case every time: a gentoo complaint responded
	// at stage 1 with every list filled, escalated, and acknowledged at
	// stage 2 with an extension.
	rich := func(t *testing.T) (*fixture, Case) {
		f := newFixture(t, "gentoo")
		cmd := validCreate()
		cmd.Representative = &Representative{Name: "Cllr Jones", Relationship: "councillor", ConsentRecorded: true}
		cmd.Group = &Group{Name: "Tower residents", Members: 40, PointOfContact: "Flat 12"}
		cmd.Categories = []string{"damp"}
		cmd.Adjustments = []string{"large print"}
		cmd.Vulnerabilities = []string{"asthma"}
		c := f.create(cmd, "2026-12-21 10:00")
		c = f.must(c, "2026-12-23 10:00", officer, Acknowledge{Points: []string{"Repair", "Rudeness"}, OutcomesSought: []string{"Fix it"}})
		c = f.must(c, "2026-12-24 10:00", officer, Extend{WorkingDays: 2, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true})
		c = f.respond(c, "2027-01-05 10:00", officer, respondCmd())
		c = f.must(c, "2027-01-06 10:00", officer, Link{Reference: "C-2026-000099"})
		c = f.must(c, "2027-01-11 10:00", officer, Escalate{Reason: "Too low"})
		c = f.must(c, "2027-01-12 10:00", reviewer, Assign{Handler: reviewer.Email, HandlerRole: "manager"})
		c = f.must(c, "2027-01-13 10:00", reviewer, Acknowledge{Points: []string{"Too low"}})
		c = f.must(c, "2027-01-14 10:00", reviewer, Extend{WorkingDays: 2, Reason: "Survey", AgreedWithResident: true, OmbudsmanDetailsGiven: true})
		return f, c
	}
	cmds := []struct {
		name  string
		actor Actor
		cmd   Command
	}{
		{"respond", reviewer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}, Remedies: []RemedyInput{{Kind: RemedyApology, Description: "Sorry"}}}},
		{"extend", reviewer, Extend{WorkingDays: 1, Reason: "More", AgreedWithResident: true, OmbudsmanDetailsGiven: true}},
		{"assign", reviewer, Assign{Handler: "sam@landlord.example", HandlerRole: "manager"}},
		{"link", reviewer, Link{Reference: "C-2026-000100"}},
		{"complete a remedy", reviewer, CompleteRemedy{ID: 3, Note: "Done"}},
		{"note", reviewer, Note{Text: "x"}},
		{"withdraw", reviewer, Withdraw{Reason: "x"}},
		{"refuse", reviewer, Refuse{Exclusion: "legal_proceedings", Explanation: "x"}},
		{"a failing command", officer, Respond{Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "Yes"}}}},
	}
	for _, tt := range cmds {
		t.Run(tt.name, func(t *testing.T) {
			_, before := rich(t)
			f, c := rich(t)
			if !reflect.DeepEqual(c, before) {
				t.Fatal("rich does not build the same case twice")
			}
			next, _, _ := f.decide(c, "2027-01-20 10:00", tt.actor, tt.cmd)
			if !reflect.DeepEqual(c, before) {
				t.Errorf("Decide changed its input:\n%+v\nwas\n%+v", c, before)
			}
			// Nor does the result share memory with the input.
			if len(next.Stages) > 0 {
				for i := range next.Stages {
					st := &next.Stages[i]
					for _, s := range [][]string{st.Handlers, st.Points, st.OutcomesSought} {
						for j := range s {
							s[j] = "changed"
						}
					}
					for j := range st.Extensions {
						st.Extensions[j].Reason = "changed"
					}
					for j := range st.Decisions {
						st.Decisions[j].Reasons = "changed"
					}
				}
				for _, s := range [][]string{next.Categories, next.Adjustments, next.Vulnerabilities, next.Links} {
					for j := range s {
						s[j] = "changed"
					}
				}
				for j := range next.Remedies {
					next.Remedies[j].Description = "changed"
				}
				if next.Representative != nil {
					next.Representative.Name = "changed"
				}
				if next.Group != nil {
					next.Group.Name = "changed"
				}
				if !reflect.DeepEqual(c, before) {
					t.Errorf("changing the result changed the input:\n%+v\nwas\n%+v", c, before)
				}
			}
		})
	}
}

func TestDecideTwiceFromOneCaseGivesIndependentResults(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.acknowledged(), "2026-12-24 10:00", officer, Link{Reference: "C-2026-000050"})
	a := f.must(c, "2026-12-24 11:00", officer, Link{Reference: "C-2026-000051"})
	b := f.must(c, "2026-12-24 11:00", officer, Link{Reference: "C-2026-000052"})
	if !reflect.DeepEqual(a.Links, []string{"C-2026-000050", "C-2026-000051"}) || !reflect.DeepEqual(b.Links, []string{"C-2026-000050", "C-2026-000052"}) {
		t.Errorf("links %q and %q", a.Links, b.Links)
	}
	e1 := f.must(c, "2026-12-24 11:00", officer, Extend{WorkingDays: 1, Reason: "a", OmbudsmanDetailsGiven: true})
	e2 := f.must(c, "2026-12-24 11:00", officer, Extend{WorkingDays: 2, Reason: "b", OmbudsmanDetailsGiven: true})
	needExtensions(t, e1.Stages[0], 1)
	needExtensions(t, e2.Stages[0], 1)
	if e1.Stages[0].Extensions[0].Reason != "a" || e2.Stages[0].Extensions[0].Reason != "b" || len(c.Stages[0].Extensions) != 0 {
		t.Errorf("extensions %+v and %+v from input %+v", e1.Stages[0].Extensions, e2.Stages[0].Extensions, c.Stages[0].Extensions)
	}
}

// --- the whole life of a complaint ---

// TestTwoStageComplaintAcrossChristmas2026 follows one complaint through
// both stages, with every deadline worked out by hand from the England and
// Wales bank holidays (Fri 25 Dec 2026, Mon 28 Dec 2026 for Boxing Day,
// Fri 1 Jan 2027) and weekends. It runs under the Code and under gentoo,
// which has the Code's timescales plus a 15-working-day escalation window
// and a new stage 2 reference.
func TestTwoStageComplaintAcrossChristmas2026(t *testing.T) {
	for _, pol := range []string{"code-2024", "gentoo"} {
		t.Run(pol, func(t *testing.T) {
			gentoo := pol == "gentoo"
			// 15 working days from Tue 15 Dec 2026: 16, 17, 18, 21, 22, 23,
			// 24, 29, 30, 31 Dec, 4, 5, 6, 7, 8 Jan.
			escalateBy := ""
			if gentoo {
				escalateBy = "2027-01-08"
			}
			f := newFixture(t, pol)
			type dates struct{ ack, respond, escalate string }
			steps := []struct {
				name   string
				at     string
				actor  Actor
				cmd    Command
				status Status
				stage  int
				s1, s2 dates
				due    string // NextDue
			}{
				// Received Tue 24 Nov 2026: acknowledge by 25, 26, 27, 30
				// Nov, 1 Dec; respond, assuming acknowledgement on 1 Dec,
				// by 2, 3, 4, 7-11, 14, 15 Dec.
				{"received", "2026-11-24 14:30", officer, nil, StatusReceived, 1,
					dates{"2026-12-01", "2026-12-15", ""}, dates{}, "2026-12-01"},
				// Acknowledged Fri 27 Nov: 30 Nov, 1-4 Dec, 7-11 Dec.
				{"acknowledge", "2026-11-27 11:00", officer, Acknowledge{Points: []string{"Damp not treated"}}, StatusAcknowledged, 1,
					dates{"2026-12-01", "2026-12-11", ""}, dates{}, "2026-12-11"},
				// 3 working days from 11 Dec: 14, 15, 16 Dec.
				{"extend", "2026-12-09 09:00", officer, Extend{WorkingDays: 3, Reason: "Survey booked", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, StatusAcknowledged, 1,
					dates{"2026-12-01", "2026-12-16", ""}, dates{}, "2026-12-16"},
				{"respond", "2026-12-15 16:00", officer, Respond{
					Decisions: []Decision{{Point: 1, Outcome: "upheld", Reasons: "The job was closed in error"}},
					Remedies: []RemedyInput{
						{Kind: RemedyCompensation, Description: "Delay", AmountPence: 15000},
						{Kind: RemedyAction, Description: "Treat the damp", Owner: "repairs", Due: "2027-01-15"},
					},
				}, StatusAcknowledged, 1, dates{"2026-12-01", "2026-12-16", ""}, dates{}, "2026-12-16"},
				// The decisions are a draft until the letter goes.
				{"send the response", "2026-12-15 16:30", officer, responseLetter(1, "email"), StatusResponded, 1,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{}, ""},
				// Escalated Mon 21 Dec: acknowledge by 22, 23, 24, 29, 30 Dec;
				// respond, assuming acknowledgement on 30 Dec, 20 working
				// days later: 31 Dec, 4-8, 11-15, 18-22, 25-28 Jan.
				{"escalate", "2026-12-21 10:00", officer, Escalate{Reason: "Compensation too low"}, StatusReceived, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-28", ""}, "2026-12-30"},
				{"assign the reviewer", "2026-12-22 09:00", reviewer, Assign{Handler: reviewer.Email, HandlerRole: "manager"}, StatusReceived, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-28", ""}, "2026-12-30"},
				// Acknowledged Wed 23 Dec: 24, 29, 30, 31 Dec, 4-8, 11-15,
				// 18-22, 25 Jan.
				{"acknowledge stage 2", "2026-12-23 12:00", reviewer, Acknowledge{Points: []string{"Compensation too low"}}, StatusAcknowledged, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-25", ""}, "2027-01-25"},
				// 4 working days from 25 Jan: 26, 27, 28, 29 Jan.
				{"extend stage 2", "2027-01-20 10:00", reviewer, Extend{WorkingDays: 4, Reason: "Awaiting valuation", AgreedWithResident: true, OmbudsmanDetailsGiven: true}, StatusAcknowledged, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-29", ""}, "2027-01-29"},
				{"respond stage 2", "2027-01-28 15:00", reviewer, Respond{
					Decisions: []Decision{{Point: 1, Outcome: "partly_upheld", Reasons: "Raised"}},
					Remedies:  []RemedyInput{{Kind: RemedyCompensation, Description: "Further award", AmountPence: 25000}},
				}, StatusAcknowledged, 2, dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-29", ""}, "2027-01-29"},
				{"send the final response", "2027-01-28 15:10", reviewer, responseLetter(2, "print"), StatusResponded, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-29", ""}, ""},
				{"close", "2027-02-01 09:00", reviewer, Close{}, StatusClosed, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-29", ""}, ""},
				{"complete the action after closure", "2027-02-03 10:00", officer, CompleteRemedy{ID: 2, Note: "Treated"}, StatusClosed, 2,
					dates{"2026-12-01", "2026-12-16", escalateBy}, dates{"2026-12-30", "2027-01-29", ""}, ""},
			}
			var c Case
			for _, s := range steps {
				if s.cmd == nil {
					c = f.create(validCreate(), s.at)
				} else {
					c = f.must(c, s.at, s.actor, s.cmd)
				}
				if c.Status != s.status || c.Stage != s.stage {
					t.Fatalf("%s: status %s at stage %d, want %s at stage %d", s.name, c.Status, c.Stage, s.status, s.stage)
				}
				wantDeadlines(t, s.name, c.Stages[0], s.s1.ack, s.s1.respond, s.s1.escalate)
				if s.stage == 2 {
					needStages(t, c, 2)
					wantDeadlines(t, s.name, c.Stages[1], s.s2.ack, s.s2.respond, s.s2.escalate)
				}
				if got := c.NextDue(); got != date(s.due) {
					t.Errorf("%s: NextDue = %q, want %q", s.name, got, s.due)
				}
				if !c.LastEventAt.Equal(london(s.at)) {
					t.Errorf("%s: last_event_at = %v, want %s", s.name, c.LastEventAt, s.at)
				}
			}

			// The extensions as recorded.
			needStages(t, c, 2)
			// Over the cap only where the policy's is below the days given
			// (gentoo's is 0: every new date is agreed with the resident).
			overCap := func(stage, days int) bool {
				ps, _ := f.env.Policy.StageOf(stage)
				return days > ps.Extension.CapWorkingDays
			}
			if e := c.Stages[0].Extensions; len(e) != 1 || e[0].NewRespondBy != date("2026-12-16") || e[0].OverCap != overCap(1, 3) {
				t.Errorf("stage 1 extensions = %+v", e)
			}
			if e := c.Stages[1].Extensions; len(e) != 1 || e[0].NewRespondBy != date("2027-01-29") || e[0].OverCap != overCap(2, 4) || e[0].By != reviewer.Email {
				t.Errorf("stage 2 extensions = %+v", e)
			}
			// Handlers: the officer at stage 1, only the reviewer at stage 2.
			if !reflect.DeepEqual(c.Stages[0].Handlers, []string{officer.Email}) || !reflect.DeepEqual(c.Stages[1].Handlers, []string{reviewer.Email}) {
				t.Errorf("handlers %q then %q", c.Stages[0].Handlers, c.Stages[1].Handlers)
			}
			// Remedies numbered across both stages; the action done after closure.
			var got []string
			for _, r := range c.Remedies {
				got = append(got, fmt.Sprintf("%d %s stage %d done %v", r.ID, r.Kind, r.Stage, r.Done))
			}
			want := []string{"1 compensation stage 1 done false", "2 action stage 1 done true", "3 compensation stage 2 done false"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("remedies %q, want %q", got, want)
			}
			// References: a new one for stage 2 only under gentoo, for the
			// year of the escalation.
			wantRefs := []string{"C-2026-000001"}
			if gentoo {
				wantRefs = append(wantRefs, "C-2026-000002")
			}
			if !reflect.DeepEqual(c.References(), wantRefs) {
				t.Errorf("references = %q, want %q", c.References(), wantRefs)
			}
			if !c.ClosedAt.Equal(london("2027-02-01 09:00")) {
				t.Errorf("closed_at = %v", c.ClosedAt)
			}
			// There is no stage 3.
			_, _, err := f.decide(c, "2027-02-04 10:00", officer, Escalate{})
			wantError(t, err, Conflict)
		})
	}
}
