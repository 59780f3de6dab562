package letters

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// The people in the tests: officer handles stage 1, reviewer stage 2.
var (
	officer  = complaint.Actor{Email: "olu@landlord.example", Role: "officer"}
	reviewer = complaint.Actor{Email: "rita@landlord.example", Role: "manager"}
)

// testNow is later than every date the tests give, so that every step can
// be dated in the past.
var testNow = time.Date(2027, time.March, 1, 12, 0, 0, 0, calendar.London)

var letterhead = Letterhead{
	Name:    "Riverside Vale Homes",
	Address: []string{"Riverside House", "1 Quay Street", "Riverside Vale", "ZZ1 1AA"},
	Contact: []string{"Telephone 0300 123 4567", "Email complaints@riversidevale.example"},
}

func london(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) calendar.Date { return calendar.MustParseDate(s) }

// fixture drives cases through the lifecycle under one preset policy, as
// storage would: complaint.NewCase and complaint.Decide with dated steps.
type fixture struct {
	t    *testing.T
	p    *policy.Policy
	cal  *calendar.Calendar
	refs int
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
	return &fixture{t: t, p: p, cal: cal}
}

func (f *fixture) env(at string, actor complaint.Actor) complaint.Env {
	return complaint.Env{
		Now: testNow, At: london(at), Actor: actor, Policy: f.p, Calendar: f.cal,
		NewReference: func(year int) (string, error) {
			f.refs++
			return fmt.Sprintf("C-%d-%06d", year, f.refs), nil
		},
	}
}

func (f *fixture) create(cmd complaint.Create, at string) complaint.Case {
	f.t.Helper()
	r := london(at)
	cmd.ReceivedAt = &r
	c, _, err := complaint.NewCase(cmd, f.env(at, officer))
	if err != nil {
		f.t.Fatalf("NewCase: %v", err)
	}
	return c
}

func (f *fixture) do(c complaint.Case, at string, actor complaint.Actor, cmd complaint.Command) complaint.Case {
	f.t.Helper()
	next, _, err := complaint.Decide(c, cmd, f.env(at, actor))
	if err != nil {
		f.t.Fatalf("%T at %s: %v", cmd, at, err)
	}
	return next
}

func complaintCmd() complaint.Create {
	return complaint.Create{
		Kind: complaint.KindComplaint, Channel: "phone",
		Complainant: complaint.Person{
			Name: "Margaret Pemberton", Phone: "01632 960274", Email: "margaret@example.org",
			Address: "7 Primrose Gardens, Riverside Vale", Postcode: "ZZ1 8LS", TenancyRef: "RVH-001187",
		},
		Summary:     "Boiler keeps breaking down and engineers have missed three appointments",
		ServiceArea: "repairs",
	}
}

// The standard complaint, step by step: received Mon 21 Dec 2026,
// acknowledged Wed 23 Dec, responded Tue 5 Jan 2027, escalated Mon 11 Jan,
// stage 2 acknowledged Wed 13 Jan and responded Wed 3 Feb.
func (f *fixture) received() complaint.Case {
	f.t.Helper()
	return f.create(complaintCmd(), "2026-12-21 10:00")
}

func (f *fixture) acknowledged() complaint.Case {
	f.t.Helper()
	return f.do(f.received(), "2026-12-23 10:00", officer, complaint.Acknowledge{
		Points: []string{
			"Repeated boiler breakdowns leaving Mrs Pemberton without heating and hot water",
			"Three missed engineer appointments",
			"Letters not in large print",
		},
		OutcomesSought: []string{"Boiler replaced", "Letters in large print"},
	})
}

func (f *fixture) extended() complaint.Case {
	f.t.Helper()
	return f.do(f.acknowledged(), "2027-01-06 10:00", officer, complaint.Extend{
		WorkingDays: 5, Reason: "We are waiting for our heating contractor's report on the boiler.",
		AgreedWithResident: true, OmbudsmanDetailsGiven: true,
	})
}

// issue records the stage's response letter as sent, which is what makes
// the stage responded (issue 12, rule 1).
func (f *fixture) issue(c complaint.Case, at string, actor complaint.Actor, kind Kind) complaint.Case {
	f.t.Helper()
	return f.do(c, at, actor, complaint.RecordLetter{Kind: string(kind), Title: kind.Title(), Channel: "email", SHA256: strings.Repeat("ab", 32)})
}

// responded is the standard complaint with its stage 1 response sent.
func (f *fixture) responded() complaint.Case {
	f.t.Helper()
	return f.issue(f.decided(), "2027-01-05 10:30", officer, Stage1Response)
}

// decided is the standard complaint with stage 1's decisions recorded
// but its response not yet sent: a draft, still acknowledged.
func (f *fixture) decided() complaint.Case {
	f.t.Helper()
	return f.do(f.acknowledged(), "2027-01-05 10:00", officer, complaint.Respond{
		Decisions: []complaint.Decision{
			{Point: 1, Outcome: "partly_upheld", Reasons: "The boiler has had three faults in eight weeks, so it will be replaced ahead of the planned programme. It passed its annual service, so it did not need replacing sooner."},
			{Point: 2, Outcome: "upheld", Reasons: "Our contractor's records confirm three missed appointments."},
			{Point: 3, Outcome: "not_upheld", Reasons: "Every letter since 2 December was sent in large print, as our records show."},
		},
		Remedies: []complaint.RemedyInput{
			{Kind: complaint.RemedyApology, Description: "We apologise for leaving Mrs Pemberton without heating."},
			{Kind: complaint.RemedyCompensation, Description: "For the three missed appointments", AmountPence: 9000, CompensationKind: "time_and_trouble"},
			{Kind: complaint.RemedyAction, Description: "Replace the boiler at 7 Primrose Gardens", Owner: "Heating Contracts Manager", Due: "2027-01-29"},
		},
	})
}

func (f *fixture) escalated() complaint.Case {
	f.t.Helper()
	return f.do(f.responded(), "2027-01-11 10:00", officer, complaint.Escalate{Reason: "The compensation is too low"})
}

func (f *fixture) stage2Acknowledged() complaint.Case {
	f.t.Helper()
	return f.do(f.escalated(), "2027-01-13 10:00", reviewer, complaint.Acknowledge{
		Points:         []string{"The compensation offered at stage 1 is too low"},
		OutcomesSought: []string{"Compensation of £300"},
	})
}

func (f *fixture) stage2Responded() complaint.Case {
	f.t.Helper()
	return f.issue(f.stage2Decided(), "2027-02-03 10:30", reviewer, Stage2Response)
}

func (f *fixture) stage2Decided() complaint.Case {
	f.t.Helper()
	return f.do(f.stage2Acknowledged(), "2027-02-03 10:00", reviewer, complaint.Respond{
		Decisions: []complaint.Decision{
			{Point: 1, Outcome: "partly_upheld", Reasons: "Our compensation policy allows for the extra cost of heating, which stage 1 did not consider."},
		},
		Remedies: []complaint.RemedyInput{
			{Kind: complaint.RemedyCompensation, Description: "Towards the cost of running electric heaters", AmountPence: 6000, CompensationKind: "financial_loss"},
			{Kind: complaint.RemedyAction, Description: "Review how missed appointments are reported", Owner: "repairs@landlord.example", Due: "2027-03-31"},
		},
	})
}

func (f *fixture) refused() complaint.Case {
	f.t.Helper()
	return f.do(f.received(), "2026-12-22 10:00", officer, complaint.Refuse{
		Exclusion: f.exclusion().Code, Explanation: "The breakdowns you describe were in the winter of 2024, and you told us about them then.",
	})
}

func (f *fixture) escalationRefused() complaint.Case {
	f.t.Helper()
	return f.do(f.escalated(), "2027-01-12 10:00", reviewer, complaint.Refuse{
		Exclusion: f.escalationExclusion().Code, Explanation: "Your solicitor has filed a claim about the boiler at the county court.",
	})
}

func (f *fixture) withdrawn() complaint.Case {
	f.t.Helper()
	return f.do(f.acknowledged(), "2026-12-30 10:00", officer, complaint.Withdraw{
		Reason: "Mrs Pemberton rang to say the boiler is fixed and asked us to withdraw the complaint.",
	})
}

// actionsUpdated is the stage 2 response with the stage 1 action done.
func (f *fixture) actionsUpdated() complaint.Case {
	f.t.Helper()
	c := f.stage2Responded()
	return f.do(c, "2027-02-10 10:00", officer, complaint.CompleteRemedy{ID: 3, Note: "New boiler fitted"})
}

func (f *fixture) compliment() complaint.Case {
	f.t.Helper()
	cmd := complaintCmd()
	cmd.Kind = complaint.KindCompliment
	cmd.Summary = "Thank you to Dave, who fixed my boiler on Christmas Eve"
	return f.create(cmd, "2026-12-24 16:00")
}

// exclusion is the policy's first exclusion, failing the test if the
// policy has none.
func (f *fixture) exclusion() policy.Exclusion {
	f.t.Helper()
	if len(f.p.Exclusions) == 0 {
		f.t.Fatalf("the %s policy has no exclusions", f.p.Name)
	}
	return f.p.Exclusions[0]
}

// escalationExclusion is the policy's first exclusion that may refuse a
// stage 2 (legal proceedings: neither "previously considered" nor the time
// limit can).
func (f *fixture) escalationExclusion() policy.Exclusion {
	f.t.Helper()
	xs := complaint.RefusalExclusions(f.escalated(), f.p)
	if len(xs) == 0 {
		f.t.Fatalf("the %s policy has no exclusion that may refuse stage 2", f.p.Name)
	}
	return xs[0]
}

// needStages fails the test unless c has at least n stages, so that a
// case short of a stage fails one test rather than panicking.
func needStages(t *testing.T, c complaint.Case, n int) {
	t.Helper()
	if len(c.Stages) < n {
		t.Fatalf("the case at stage %d has %d stages, want at least %d", c.Stage, len(c.Stages), n)
	}
}

// draft drafts a letter with the built-in template, failing the test if it
// cannot.
func (f *fixture) draft(kind Kind, c complaint.Case, today string) Letter {
	f.t.Helper()
	l, err := Draft(kind, c, f.p, f.cal, letterhead, nil, day(today))
	if err != nil {
		f.t.Fatalf("Draft(%s): %v", kind, err)
	}
	return l
}
