package complaint

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
)

// The people in the tests: officer handles stage 1, officer2 is a second
// stage 1 officer, reviewer is the senior manager who reviews stage 2.
var (
	officer  = Actor{Email: "olu@landlord.example", Role: "officer"}
	officer2 = Actor{Email: "priya@landlord.example", Role: "officer"}
	reviewer = Actor{Email: "rita@landlord.example", Role: "manager"}
)

// testNow is the real time in every test. It is later than every date the
// tests give, so backdated commands are allowed.
var testNow = time.Date(2027, time.March, 1, 12, 0, 0, 0, calendar.London)

// london returns the instant a "2006-01-02 15:04" wall-clock time in
// London names.
func london(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
	if err != nil {
		panic(err)
	}
	return t
}

// date returns a calendar date, or the zero Date for "".
func date(s string) calendar.Date {
	if s == "" {
		return calendar.Date{}
	}
	return calendar.MustParseDate(s)
}

// references stands in for storage's reference allocator: a counter that
// remembers the year it was asked for each time.
type references struct {
	years []int
}

func (r *references) next(year int) (string, error) {
	r.years = append(r.years, year)
	return fmt.Sprintf("C-%d-%06d", year, len(r.years)), nil
}

// fixture is an Env for one preset policy, with its reference counter.
type fixture struct {
	t    *testing.T
	env  Env
	refs *references
}

func newFixture(t *testing.T, policyName string) *fixture {
	t.Helper()
	p, err := policy.Preset(policyName)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	refs := &references{}
	return &fixture{t: t, refs: refs, env: Env{
		Now: testNow, Actor: officer, Policy: p, Calendar: cal, NewReference: refs.next,
	}}
}

// create logs cmd as received at the London time received, as officer.
func (f *fixture) create(cmd Create, received string) Case {
	f.t.Helper()
	r := london(received)
	cmd.ReceivedAt = &r
	c, _, err := NewCase(cmd, f.env)
	if err != nil {
		f.t.Fatalf("NewCase: %v", err)
	}
	return c
}

// decide gives cmd as actor at the London time at, or now if at is "".
func (f *fixture) decide(c Case, at string, actor Actor, cmd Command) (Case, Event, error) {
	env := f.env
	env.Actor = actor
	if at != "" {
		env.At = london(at)
	}
	return Decide(c, cmd, env)
}

// must is decide for a step that has to succeed.
func (f *fixture) must(c Case, at string, actor Actor, cmd Command) Case {
	f.t.Helper()
	next, _, err := f.decide(c, at, actor, cmd)
	if err != nil {
		f.t.Fatalf("%T at %s: %v", cmd, at, err)
	}
	return next
}

// validCreate is a complaint with every required field and nothing else.
func validCreate() Create {
	return Create{
		Kind:        KindComplaint,
		Channel:     "email",
		Complainant: Person{Name: "Ada Lovelace", Email: "ada@example.org"},
		Summary:     "The damp in the bedroom has not been fixed",
	}
}

// The standard complaint, as each stage of its life leaves it. Under the
// Code (and gentoo, whose timescales are the same):
//
//   - received Mon 21 Dec 2026: acknowledge by Wed 30 Dec 2026 (22, 23,
//     24, 29, 30; 25 and 28 Dec are bank holidays), respond by Thu 14 Jan
//     2027 (10 working days from 30 Dec: 31, 4, 5, 6, 7, 8, 11, 12, 13, 14;
//     1 Jan is a bank holiday);
//   - acknowledged Wed 23 Dec 2026: respond by Mon 11 Jan 2027 (24, 29,
//     30, 31, 4, 5, 6, 7, 8, 11);
//   - responded Tue 5 Jan 2027; gentoo's 15-working-day escalation window
//     ends Tue 26 Jan 2027 (6, 7, 8, 11-15, 18-22, 25, 26);
//   - escalated Mon 11 Jan 2027: stage 2 acknowledge by Mon 18 Jan (12,
//     13, 14, 15, 18), respond by Mon 15 Feb 2027 (20 working days from 18
//     Jan: 19-22, 25-29, 1-5 Feb, 8-12 Feb, 15 Feb);
//   - stage 2 acknowledged Wed 13 Jan 2027: respond by Wed 10 Feb 2027
//     (14, 15, 18-22, 25-29, 1-5 Feb, 8, 9, 10).
func (f *fixture) received() Case {
	f.t.Helper()
	return f.create(validCreate(), "2026-12-21 10:00")
}

func (f *fixture) acknowledged() Case {
	f.t.Helper()
	return f.must(f.received(), "2026-12-23 10:00", officer, Acknowledge{
		Points:         []string{"The repair was not done", "The operative was rude"},
		OutcomesSought: []string{"Fix the damp"},
	})
}

// respondCmd decides both points of the standard complaint, with an
// apology (remedy 1), compensation (2) and an action (3).
func respondCmd() Respond {
	return Respond{
		Decisions: []Decision{
			{Point: 1, Outcome: "upheld", Reasons: "The job was closed without a visit"},
			{Point: 2, Outcome: "not_upheld", Reasons: "The operative's account is supported by a witness"},
		},
		Remedies: []RemedyInput{
			{Kind: RemedyApology, Description: "Apology for the missed repair"},
			{Kind: RemedyCompensation, Description: "For the delay", AmountPence: 15000},
			{Kind: RemedyAction, Description: "Treat the damp", Owner: "repairs@landlord.example", Due: "2027-01-29"},
		},
	}
}

func (f *fixture) responded() Case {
	f.t.Helper()
	return f.respond(f.acknowledged(), "2027-01-05 10:00", officer, respondCmd())
}

func (f *fixture) escalated() Case {
	f.t.Helper()
	return f.must(f.responded(), "2027-01-11 10:00", officer, Escalate{Reason: "The compensation is too low"})
}

func (f *fixture) stage2Acknowledged() Case {
	f.t.Helper()
	return f.must(f.escalated(), "2027-01-13 10:00", reviewer, Acknowledge{Points: []string{"The compensation is too low"}})
}

// serviceRequest is a service request received Mon 21 Dec 2026.
func (f *fixture) serviceRequest() Case {
	f.t.Helper()
	cmd := validCreate()
	cmd.Kind = KindServiceRequest
	return f.create(cmd, "2026-12-21 10:00")
}

// enquiry is an enquiry received Mon 21 Dec 2026.
func (f *fixture) enquiry() Case {
	f.t.Helper()
	cmd := validCreate()
	cmd.Kind = KindEnquiry
	return f.create(cmd, "2026-12-21 10:00")
}

// wantError fails unless err is an *Error with code and, for Invalid,
// exactly the named fields.
func wantError(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *Error with code %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("error code = %s (%v), want %s", e.Code, e, code)
	}
	if code != Invalid && len(fields) == 0 {
		if len(e.Fields) != 0 {
			t.Errorf("error has fields %v, want none", e.Fields)
		}
		return
	}
	var got []string
	for k := range e.Fields {
		got = append(got, k)
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("invalid fields = [%s], want [%s] (%v)", strings.Join(got, " "), strings.Join(want, " "), e)
	}
}

// needStages fails the test unless c has at least n stages, so that a
// case short of a stage fails one test rather than panicking.
func needStages(t *testing.T, c Case, n int) {
	t.Helper()
	if len(c.Stages) < n {
		t.Fatalf("the case at stage %d has %d stages, want at least %d: %+v", c.Stage, len(c.Stages), n, c.Stages)
	}
}

// needExtensions fails the test unless st has at least n extensions.
func needExtensions(t *testing.T, st Stage, n int) {
	t.Helper()
	if len(st.Extensions) < n {
		t.Fatalf("stage %d has %d extensions, want at least %d: %+v", st.Stage, len(st.Extensions), n, st.Extensions)
	}
}

// wantDeadlines checks a stage's three due dates ("" for none).
func wantDeadlines(t *testing.T, label string, st Stage, acknowledgeBy, respondBy, escalateBy string) {
	t.Helper()
	for _, d := range []struct {
		name      string
		got, want calendar.Date
	}{
		{"acknowledge_by", st.AcknowledgeBy, date(acknowledgeBy)},
		{"respond_by", st.RespondBy, date(respondBy)},
		{"escalate_by", st.EscalateBy, date(escalateBy)},
	} {
		if d.got != d.want {
			t.Errorf("%s: stage %d %s = %q, want %q", label, st.Stage, d.name, d.got, d.want)
		}
	}
}

// respond records the decisions as actor at the London time at and
// issues the stage's response letter by email at the same time: a stage
// is responded only once its written response has gone (issue 12, rule
// 1).
func (f *fixture) respond(c Case, at string, actor Actor, cmd Respond) Case {
	f.t.Helper()
	c = f.must(c, at, actor, cmd)
	if AwaitingSignOff(c, f.env.Policy) { // 002 §2.3: the findings are reviewed first
		c = f.must(c, at, actor, RecordSignOff{Reviewer: "Sam Patel", Result: SignOffAgreed})
	}
	return f.must(c, at, actor, responseLetter(c.Stage, "email"))
}

// responseLetter is stage n's response letter as issuing it records it.
func responseLetter(n int, channel string) RecordLetter {
	return RecordLetter{Kind: ResponseLetterKind(n), Title: fmt.Sprintf("Stage %d response", n), Channel: channel, SHA256: strings.Repeat("ab", 32)}
}
