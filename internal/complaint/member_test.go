package complaint

import (
	"testing"
)

// memberCreate is an MP's enquiry on Ada's behalf, with her consent.
func memberCreate() Create {
	cmd := validCreate()
	cmd.Kind, cmd.Channel = KindMemberEnquiry, "email"
	cmd.Summary = "Mr Rahman MP asks why Ada's roof is still leaking"
	cmd.Member = &Member{Name: "Sam Rahman MP", Office: OfficeMP, Email: "sam.rahman.mp@parliament.example",
		Address: "House of Commons\nLondon SW1A 0AA", ResidentConsent: true, CopyToResident: true}
	return cmd
}

// 002 §3: "MP and Councillor enquiries follow a separate process with
// identical timescales". A member enquiry is due to be acknowledged and
// answered on the days a stage 1 complaint received with it would be,
// but it has no stages: it is not a complaint.
func TestAMemberEnquiryIsDueAsAStage1ComplaintButIsNotOne(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	m := f.create(memberCreate(), "2026-12-21 10:00")
	c := f.create(validCreate(), "2026-12-21 10:00")
	if m.Kind != KindMemberEnquiry || m.Stage != 0 || len(m.Stages) != 0 || m.Member == nil {
		t.Fatalf("member enquiry %+v: want a member enquiry with its member and no stages", m)
	}
	st := c.Stages[0]
	if m.Member.AcknowledgeBy != st.AcknowledgeBy || m.Member.RespondBy != st.RespondBy {
		t.Errorf("member enquiry due %s/%s, a stage 1 complaint %s/%s: want the same", m.Member.AcknowledgeBy, m.Member.RespondBy, st.AcknowledgeBy, st.RespondBy)
	}
	if m.NextDue() != st.AcknowledgeBy {
		t.Errorf("next due %s, want the acknowledgement %s", m.NextDue(), st.AcknowledgeBy)
	}
	ack := f.must(m, "2026-12-22 10:00", officer, AcknowledgeMemberEnquiry{})
	cack := f.must(c, "2026-12-22 10:00", officer, Acknowledge{Points: []string{"The roof"}})
	if ack.Status != StatusAcknowledged || ack.Member.AcknowledgedAt.IsZero() || ack.Member.RespondBy != cack.Stages[0].RespondBy || ack.NextDue() != ack.Member.RespondBy {
		t.Errorf("acknowledged %s, respond by %s: want acknowledged, due %s as the complaint", ack.Status, ack.Member.RespondBy, cack.Stages[0].RespondBy)
	}
	if !m.Member.AcknowledgedAt.IsZero() || m.Status != StatusReceived {
		t.Error("acknowledging changed the case it was given")
	}
	if _, _, err := f.decide(ack, "2026-12-23 10:00", officer, AcknowledgeMemberEnquiry{}); err == nil {
		t.Error("an enquiry was acknowledged twice")
	} else {
		wantError(t, err, Conflict)
	}
	if _, _, err := f.decide(c, "2026-12-23 10:00", officer, AcknowledgeMemberEnquiry{}); err == nil {
		t.Error("a complaint was acknowledged as a member enquiry")
	}
}

// A member enquiry names the member, their office and a way to answer
// them, with the resident's consent to the member acting for them (001:
// "councillors, MPs and other elected representatives"); no other kind
// has a member. Every problem is named at once.
func TestAMemberEnquiryNeedsItsMemberAndTheResidentsConsent(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	tests := []struct {
		name   string
		edit   func(*Create)
		fields []string
	}{
		{"no member", func(c *Create) { c.Member = nil }, []string{"member"}},
		{"nameless", func(c *Create) { c.Member.Name = " " }, []string{"member.name"}},
		{"an unknown office", func(c *Create) { c.Member.Office = "mayor" }, []string{"member.office"}},
		{"no way to answer", func(c *Create) { c.Member.Email, c.Member.Address = "", "" }, []string{"member.email"}},
		{"a bad email", func(c *Create) { c.Member.Email = "sam at parliament" }, []string{"member.email"}},
		{"no consent", func(c *Create) { c.Member.ResidentConsent = false }, []string{"member.resident_consent"}},
		{"a member on a complaint", func(c *Create) { c.Kind = KindComplaint }, []string{"member"}},
		{"all at once", func(c *Create) { c.Member.Name, c.Member.Office, c.Member.ResidentConsent = "", "", false },
			[]string{"member.name", "member.office", "member.resident_consent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := memberCreate()
			m := *cmd.Member
			cmd.Member = &m
			tt.edit(&cmd)
			_, _, err := NewCase(cmd, f.env)
			wantError(t, err, Invalid, tt.fields...)
		})
	}
	refuse := newFixture(t, "code-2024")
	refuse.env.Policy.MemberEnquiries.Accept = false
	if _, _, err := NewCase(memberCreate(), refuse.env); err == nil {
		t.Error("a policy that takes no member enquiries took one")
	} else {
		wantError(t, err, Invalid, "kind")
	}
}

// 002 §3: "a Head of Service will be nominated accordingly to undertake
// the investigation and compile and send the response". Under
// greatwell-homes the nominee must be a manager; under a policy that
// names no one, anyone who may handle cases may answer.
func TestAMemberEnquiryIsAnsweredByTheNomineeThePolicyNames(t *testing.T) {
	tests := []struct {
		policy, role string
		ok           bool
	}{
		{"greatwell-homes", "officer", false},
		{"greatwell-homes", "reviewer", false},
		{"greatwell-homes", "manager", true},
		{"greatwell-homes", "admin", true},
		{"customer-feedback", "officer", true},
	}
	for _, tt := range tests {
		t.Run(tt.policy+" "+tt.role, func(t *testing.T) {
			f := newFixture(t, tt.policy)
			m := f.create(memberCreate(), "2026-12-21 10:00")
			got, _, err := f.decide(m, "2026-12-21 11:00", reviewer, Assign{Handler: "hos@landlord.example", HandlerRole: tt.role})
			switch {
			case tt.ok && err != nil:
				t.Errorf("nominating a %s: %v", tt.role, err)
			case tt.ok && got.Handler != "hos@landlord.example":
				t.Errorf("handler %q after nominating", got.Handler)
			case !tt.ok:
				wantError(t, err, Conflict)
			}
		})
	}
}

// The member response letter answers the enquiry when it is first
// issued; the copy to the resident goes only where the member asked for
// it, and after the response.
func TestTheMemberResponseAnswersTheEnquiryAndTheCopyFollowsIt(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	m := f.must(f.create(memberCreate(), "2026-12-21 10:00"), "2026-12-22 10:00", officer, AcknowledgeMemberEnquiry{})
	letter := func(kind string) RecordLetter {
		return RecordLetter{Kind: kind, Title: kind, Channel: "email", SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
	}
	noCopy := memberCreate()
	noCopy.Member.CopyToResident = false
	tests := []struct {
		name string
		c    Case
		cmd  RecordLetter
	}{
		{"the copy before the response", m, letter(LetterMemberResponseCopy)},
		{"a member response on a complaint", f.acknowledged(), letter(LetterMemberResponse)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.decide(tt.c, "2026-12-23 10:00", officer, tt.cmd)
			wantError(t, err, Conflict)
		})
	}
	sent := f.must(m, "2026-12-23 10:00", officer, letter(LetterMemberResponse))
	if sent.Status != StatusResponded || !sent.Member.RespondedAt.Equal(london("2026-12-23 10:00")) {
		t.Fatalf("after the response: %s, responded %s", sent.Status, sent.Member.RespondedAt)
	}
	again := f.must(sent, "2026-12-24 10:00", officer, letter(LetterMemberResponse))
	if !again.Member.RespondedAt.Equal(sent.Member.RespondedAt) {
		t.Error("sending the response again moved the date it was answered")
	}
	f.must(sent, "2026-12-23 11:00", officer, letter(LetterMemberResponseCopy))
	other := f.must(f.create(noCopy, "2026-12-21 10:00"), "2026-12-23 10:00", officer, letter(LetterMemberResponse))
	if _, _, err := f.decide(other, "2026-12-23 11:00", officer, letter(LetterMemberResponseCopy)); err == nil {
		t.Error("a copy went to a resident the member did not ask to copy in")
	}
	// Treated as a complaint, its deadlines are the complaint's.
	conv := f.must(m, "2026-12-22 11:00", officer, Convert{})
	if conv.Kind != KindComplaint || conv.NextDue() != conv.Stages[0].AcknowledgeBy {
		t.Errorf("converted: %s due %s, want a complaint due %s", conv.Kind, conv.NextDue(), conv.Stages[0].AcknowledgeBy)
	}
	closed := f.must(sent, "2026-12-24 10:00", officer, Close{})
	if closed.Status != StatusClosed || !closed.NextDue().IsZero() {
		t.Errorf("closed enquiry %s, next due %s", closed.Status, closed.NextDue())
	}
}

// A member enquiry's member is corrected like any other detail: checked
// as when it was logged, every change recorded with its old and new
// values, the enquiry's dates untouched; no other kind takes a member.
func TestAMemberEnquirysMemberIsCorrectedAndEachChangeRecorded(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	m := f.create(memberCreate(), "2026-12-21 10:00")
	c := f.create(validCreate(), "2026-12-21 10:00")
	fixed := m.Member.Member
	fixed.Email, fixed.CopyToResident = "  sam.rahman@parliament.example ", false
	tests := []struct {
		name   string
		c      Case
		member Member
		fields []string
	}{
		{"the member's email and the copy corrected", m, fixed, nil},
		{"no way left to reach the member", m, Member{Name: "Sam Rahman MP", Office: OfficeMP, ResidentConsent: true}, []string{"member.email"}},
		{"the consent taken away and the office unknown", m, Member{Name: "Sam Rahman MP", Office: "mayor", Email: "x@example.org"}, []string{"member.office", "member.resident_consent"}},
		{"a complaint has no member", c, fixed, []string{"member"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(tt.c, "2026-12-22 10:00", officer, EditDetails{Member: &tt.member})
			if tt.fields != nil {
				wantError(t, err, Invalid, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if next.Member.Email != "sam.rahman@parliament.example" || next.Member.CopyToResident || next.Member.RespondBy != m.Member.RespondBy {
				t.Errorf("member after the correction %+v, want the email trimmed, no copy, the same dates", next.Member)
			}
			got := ev.Data.(EditDetails).Changes
			want := []DetailChange{{"member.email", "sam.rahman.mp@parliament.example", "sam.rahman@parliament.example"}, {"member.copy_to_resident", "yes", "no"}}
			if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
				t.Errorf("changes %+v, want %+v", got, want)
			}
			if m.Member.Email != "sam.rahman.mp@parliament.example" {
				t.Error("the correction changed the case it was given")
			}
		})
	}
}
