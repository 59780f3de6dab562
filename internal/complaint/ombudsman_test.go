package complaint

import (
	"encoding/json"
	"strings"
	"testing"
)

var packHash = strings.Repeat("ef", 32)

// finalResponse is a complaint whose stage 2 response went on Wed 20
// January 2027: its final response.
func (f *fixture) finalResponse() Case {
	f.t.Helper()
	return f.respond(f.stage2Acknowledged(), "2027-01-20 10:00", reviewer, Respond{
		Decisions: []Decision{{Point: 1, Outcome: "not_upheld", Reasons: "The award follows our compensation policy"}},
	})
}

// referred is finalResponse referred to the Ombudsman on 1 February 2027.
func (f *fixture) referred() Case {
	f.t.Helper()
	return f.must(f.finalResponse(), "2027-02-01 10:00", reviewer, ReferToOmbudsman{Reference: "202612345", NotifiedOn: date("2027-02-01")})
}

func validDetermination() RecordOmbudsmanDetermination {
	return RecordOmbudsmanDetermination{
		DeterminedOn: date("2027-02-15"),
		Findings: []OmbudsmanFinding{
			{Point: "The handling of the damp", Finding: FindingMaladministration, Reasons: "Repairs were missed twice"},
			{Point: "Complaint handling", Finding: FindingServiceFailure, Reasons: "The stage 1 response was late"},
		},
		Orders: []OmbudsmanOrder{
			{Kind: KindOrder, Description: "Pay £300", Due: date("2027-03-15")},
			{Kind: KindRecommendation, Description: "Review the damp procedure"},
		},
	}
}

// Issue 19, item 4: the Ombudsman stage follows the final response.
// Only a complaint whose stage 2 response has gone may be referred, once,
// with the Ombudsman's reference and the date it told the landlord.
func TestOmbudsmanReferralFollowsOnlyTheFinalResponse(t *testing.T) {
	tests := []struct {
		name   string
		build  func(*fixture) Case
		cmd    ReferToOmbudsman
		code   string
		fields []string
	}{
		{"stage 1 responded is not final", (*fixture).responded, ReferToOmbudsman{Reference: "1", NotifiedOn: date("2027-02-01")}, Conflict, nil},
		{"stage 2 not yet responded", (*fixture).stage2Acknowledged, ReferToOmbudsman{Reference: "1", NotifiedOn: date("2027-02-01")}, Conflict, nil},
		{"already referred", (*fixture).referred, ReferToOmbudsman{Reference: "2", NotifiedOn: date("2027-02-01")}, Conflict, nil},
		{"no reference nor date", (*fixture).finalResponse, ReferToOmbudsman{}, Invalid, []string{"reference", "notified_on"}},
		{"told before the final response", (*fixture).finalResponse, ReferToOmbudsman{Reference: "1", NotifiedOn: date("2027-01-19")}, Invalid, []string{"notified_on"}},
		{"told after it is recorded", (*fixture).finalResponse, ReferToOmbudsman{Reference: "1", NotifiedOn: date("2027-02-02")}, Invalid, []string{"notified_on"}},
		{"after the final response", (*fixture).finalResponse, ReferToOmbudsman{Reference: " 202612345 ", NotifiedOn: date("2027-01-29")}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			c, ev, err := f.decide(tt.build(f), "2027-02-01 10:00", reviewer, tt.cmd)
			if tt.code != "" {
				wantError(t, err, tt.code, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Ombudsman == nil || c.Ombudsman.Reference != "202612345" || c.Ombudsman.NotifiedOn != date("2027-01-29") {
				t.Errorf("referral = %+v", c.Ombudsman)
			}
			if ev.Kind != EventOmbudsmanReferred {
				t.Errorf("event %s", ev.Kind)
			}
		})
	}
}

// Each request for evidence has what is asked and a due date, which the
// case's Ombudsman dues list until evidence answering it is sent.
func TestOmbudsmanEvidenceRequestsAreDueUntilEvidenceAnsweringThemIsSent(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.referred()
	_, _, err := f.decide(c, "2027-02-02 10:00", reviewer, RequestOmbudsmanEvidence{Due: date("2027-02-01")})
	wantError(t, err, Invalid, "what", "due")
	c = f.must(c, "2027-02-02 10:00", reviewer, RequestOmbudsmanEvidence{What: "The repairs log", Due: date("2027-02-16")})
	c = f.must(c, "2027-02-02 11:00", reviewer, RequestOmbudsmanEvidence{What: "Call recordings", Due: date("2027-02-09")})
	dues := c.Ombudsman.Dues()
	if len(dues) != 2 || dues[0].What != "Call recordings" || dues[0].Done || dues[1].Due != date("2027-02-16") {
		t.Fatalf("dues = %+v, want both requests open, soonest first", dues)
	}
	_, _, err = f.decide(c, "2027-02-05 10:00", reviewer, SendOmbudsmanEvidence{SHA256: "abc", Requests: []int{3}})
	wantError(t, err, Invalid, "sha256", "requests[0]")
	next, ev, err := f.decide(c, "2027-02-05 10:00", reviewer, SendOmbudsmanEvidence{SHA256: packHash, Requests: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	if d := next.Ombudsman.Dues(); !d[0].Done || d[1].Done {
		t.Errorf("dues = %+v, want only the call recordings answered", d)
	}
	if s := next.Ombudsman.Submissions; len(s) != 1 || s[0].SHA256 != packHash {
		t.Errorf("submissions = %+v", s)
	}
	// Naming no request answers every open one, and the event records
	// which, so a replay does not depend on what was open.
	next, ev, err = f.decide(next, "2027-02-06 10:00", reviewer, SendOmbudsmanEvidence{SHA256: packHash})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.Data.(SendOmbudsmanEvidence).Requests; len(got) != 1 || got[0] != 1 {
		t.Errorf("the event records requests %v, want [1]", got)
	}
	for _, d := range next.Ombudsman.Dues() {
		if !d.Done {
			t.Errorf("%+v still open", d)
		}
	}
	_, _, err = f.decide(next, "2027-02-06 11:00", reviewer, SendOmbudsmanEvidence{SHA256: packHash, Requests: []int{1}})
	wantError(t, err, Invalid, "requests[0]")
}

// 002 §2.6: "A member of our Executive Management Team will approve our
// response to the Housing Ombudsman in all cases." Under greatwell-homes
// nothing is recorded as sent to the Ombudsman without an approval
// recorded since the last thing sent; under the Code it is optional.
func TestExecutiveApprovalMustPrecedeEachResponseToTheOmbudsmanWherePolicyRequiresIt(t *testing.T) {
	tests := []struct {
		policy  string
		approve bool
		code    string
	}{
		{"greatwell-homes", false, Conflict},
		{"greatwell-homes", true, ""},
		{"code-2024", false, ""},
		{"code-2024", true, ""},
	}
	for _, tt := range tests {
		f := newFixture(t, tt.policy)
		c := f.referred()
		if tt.approve {
			_, _, err := f.decide(c, "2027-02-04 10:00", reviewer, ApproveOmbudsmanResponse{})
			wantError(t, err, Invalid, "name", "role")
			c = f.must(c, "2027-02-04 10:00", reviewer, ApproveOmbudsmanResponse{Name: "Sam Chief", Role: "Director of Housing"})
		}
		next, _, err := f.decide(c, "2027-02-05 10:00", reviewer, SendOmbudsmanEvidence{SHA256: packHash})
		if tt.code != "" {
			wantError(t, err, tt.code)
			continue
		}
		if err != nil {
			t.Fatalf("%s approve=%v: %v", tt.policy, tt.approve, err)
		}
		sub := next.Ombudsman.Submissions[0]
		if tt.approve != (sub.ApprovedBy == "Sam Chief, Director of Housing") {
			t.Errorf("%s: approved by %q", tt.policy, sub.ApprovedBy)
		}
		if tt.policy == "greatwell-homes" {
			// The approval is spent: the next response needs its own.
			_, _, err := f.decide(next, "2027-02-06 10:00", reviewer, SendOmbudsmanEvidence{SHA256: packHash})
			wantError(t, err, Conflict)
		}
	}
}

// The determination records a finding with the Ombudsman's reasons on
// each point, and its orders (which need a due date) and
// recommendations; compliance with each is recorded with its evidence.
func TestOmbudsmanDeterminationNeedsAFindingWithReasonsOnEachPoint(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*RecordOmbudsmanDetermination)
		fields []string
	}{
		{"no findings", func(d *RecordOmbudsmanDetermination) { d.Findings = nil }, []string{"findings"}},
		{"an unknown finding", func(d *RecordOmbudsmanDetermination) { d.Findings[0].Finding = "partly_upheld" }, []string{"findings[0].finding"}},
		{"no reasons nor point", func(d *RecordOmbudsmanDetermination) { d.Findings[1].Reasons, d.Findings[1].Point = "", "" }, []string{"findings[1].reasons", "findings[1].point"}},
		{"an order without a due date", func(d *RecordOmbudsmanDetermination) { d.Orders[0].Due = date("") }, []string{"orders[0].due"}},
		{"due before the determination", func(d *RecordOmbudsmanDetermination) { d.Orders[1].Due = date("2027-02-14") }, []string{"orders[1].due"}},
		{"an unknown kind", func(d *RecordOmbudsmanDetermination) { d.Orders[1].Kind = "wish" }, []string{"orders[1].kind"}},
		{"compliance given with the order", func(d *RecordOmbudsmanDetermination) { d.Orders[0].Met = true }, []string{"orders[0].id"}},
		{"determined before the referral", func(d *RecordOmbudsmanDetermination) { d.DeterminedOn = date("2027-01-31") }, []string{"determined_on"}},
		{"determined after it is recorded", func(d *RecordOmbudsmanDetermination) { d.DeterminedOn = date("2027-02-21") }, []string{"determined_on", "orders[0].due"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			cmd := validDetermination()
			tt.edit(&cmd)
			if tt.name == "determined after it is recorded" {
				cmd.Orders[0].Due = date("2027-02-20")
			}
			_, _, err := f.decide(f.referred(), "2027-02-20 10:00", reviewer, cmd)
			wantError(t, err, Invalid, tt.fields...)
		})
	}
	f := newFixture(t, "code-2024")
	_, _, err := f.decide(f.finalResponse(), "2027-02-20 10:00", reviewer, validDetermination())
	wantError(t, err, Conflict)
	c := f.must(f.referred(), "2027-02-20 10:00", reviewer, validDetermination())
	det := c.Ombudsman.Determination
	if len(det.Findings) != 2 || det.Findings[0].Finding != FindingMaladministration || len(det.Orders) != 2 || det.Orders[1].ID != 2 {
		t.Fatalf("determination = %+v", det)
	}
	_, _, err = f.decide(c, "2027-02-21 10:00", reviewer, validDetermination())
	wantError(t, err, Conflict)
}

// An order is overdue once its due date has passed unmet; recording the
// evidence of compliance as met ends that, once.
func TestOmbudsmanOrderIsOverdueUntilComplianceIsRecordedAsMet(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.must(f.referred(), "2027-02-20 10:00", reviewer, validDetermination())
	order := func(c Case) OmbudsmanOrder { return c.Ombudsman.Determination.Orders[0] }
	if !order(c).Overdue(date("2027-03-16")) || order(c).Overdue(date("2027-03-15")) {
		t.Error("an order due 15 March is overdue from the 16th, not before")
	}
	_, _, err := f.decide(c, "2027-02-22 10:00", reviewer, RecordOmbudsmanCompliance{Order: 9})
	wantError(t, err, Invalid, "order", "evidence")
	c = f.must(c, "2027-02-22 10:00", reviewer, RecordOmbudsmanCompliance{Order: 1, Evidence: "Payment pending approval", Met: false})
	if order(c).Met || !order(c).Overdue(date("2027-03-16")) {
		t.Error("compliance recorded as not met must leave the order open")
	}
	c = f.must(c, "2027-02-23 10:00", reviewer, RecordOmbudsmanCompliance{Order: 1, Evidence: "Paid £300 by BACS, remittance 991", Met: true})
	if !order(c).Met || order(c).Overdue(date("2027-03-16")) || order(c).MetAt.IsZero() {
		t.Errorf("order = %+v, want met", order(c))
	}
	_, _, err = f.decide(c, "2027-02-24 10:00", reviewer, RecordOmbudsmanCompliance{Order: 1, Evidence: "Again", Met: true})
	wantError(t, err, Conflict)
}

// The Ombudsman stage's events replay to the case they made, like every
// other command's.
func TestOmbudsmanStageEventsReplay(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	c := f.referred()
	steps := []Command{
		RequestOmbudsmanEvidence{What: "The repairs log", Due: date("2027-03-16")},
		ApproveOmbudsmanResponse{Name: "Sam Chief", Role: "Chief Executive"},
		SendOmbudsmanEvidence{SHA256: packHash},
		validDetermination(),
		RecordOmbudsmanCompliance{Order: 1, Evidence: "Paid", Met: true},
	}
	for i, cmd := range steps {
		next, ev, err := f.decide(c, "2027-02-2"+string(rune('0'+i))+" 10:00", reviewer, cmd)
		if err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
		data, err := json.Marshal(ev.Data)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeCommand(ev.Kind, data)
		if err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
		env := f.env
		env.Actor, env.At, env.Replay = reviewer, ev.At, true
		again, _, err := Decide(c, back, env)
		if err != nil {
			t.Fatalf("replay %s: %v", ev.Kind, err)
		}
		a, _ := json.Marshal(again)
		b, _ := json.Marshal(next)
		if string(a) != string(b) {
			t.Errorf("%s replays to a different case", ev.Kind)
		}
		c = next
	}
}

// TestOmbudsmanEvidenceKeptByRedressCarriesItsOwnHash: a pack Redress
// built and kept is recorded with the pack's own hash; a different hash
// typed beside it is refused, naming the field.
func TestOmbudsmanEvidenceKeptByRedressCarriesItsOwnHash(t *testing.T) {
	f := newFixture(t, "code-2024")
	c := f.referred()
	pack := &AttachmentRef{Name: "C-1-evidence.zip", SHA256: packHash, Size: 100}
	for _, tc := range []struct {
		name string
		cmd  SendOmbudsmanEvidence
		ok   bool
	}{
		{"the pack's hash filled in", SendOmbudsmanEvidence{Pack: pack}, true},
		{"the pack's hash given", SendOmbudsmanEvidence{Pack: pack, SHA256: packHash}, true},
		{"another hash beside the pack", SendOmbudsmanEvidence{Pack: pack, SHA256: strings.Repeat("0", 64)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, ev, err := f.decide(c, "2027-02-05 10:00", reviewer, tc.cmd)
			if !tc.ok {
				wantError(t, err, Invalid, "sha256")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sub := next.Ombudsman.Submissions[0]
			if sub.SHA256 != packHash || sub.Pack != pack.Name || ev.Data.(SendOmbudsmanEvidence).Pack == nil {
				t.Errorf("submission %+v, event %+v: want the pack's name and hash recorded", sub, ev.Data)
			}
		})
	}
}
