package letters

import (
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/poppler"
)

const memberFinding = "The heat exchanger was cracked; our engineer replaced it on 4 January."

// memberEnquiry is an MP's enquiry on the resident's behalf under
// greatwell-homes (002 §3), acknowledged, with its response recorded.
func (f *fixture) memberEnquiry(copyToResident bool) complaint.Case {
	f.t.Helper()
	cmd := complaintCmd()
	cmd.Kind = complaint.KindMemberEnquiry
	cmd.Summary = "Why has the boiler failed three times since October?"
	cmd.Member = &complaint.Member{Name: "Sam Rahman MP", Office: complaint.OfficeMP, Email: "sam.rahman.mp@parliament.example",
		Address: "House of Commons\nLondon\nSW1A 0AA", ResidentConsent: true, CopyToResident: copyToResident}
	c := f.do(f.create(cmd, "2026-12-21 10:00"), "2026-12-22 10:00", officer, complaint.AcknowledgeMemberEnquiry{})
	return f.do(c, "2027-01-05 10:00", officer, complaint.RecordMemberResponse{Response: memberFinding})
}

// 002 §3: the nominated Head of Service will "compile and send the
// response" to the MP or councillor. The response is addressed to the
// member, names the resident and the enquiry, says what was found and
// that the resident may still complain, passes the letter check, and
// reads back from its PDF; its copy goes to the resident, says it is a
// copy of the response to the member, and reads back likewise.
func TestTheMemberResponseGoesToTheMemberWithACopyToTheResident(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	c := f.memberEnquiry(true)
	if !slices.Contains(Applicable(c), MemberResponse) || slices.Contains(Applicable(c), MemberResponseCopy) {
		t.Fatalf("applicable before the response: %v, want the member response and not yet the copy", Applicable(c))
	}
	l := f.draft(MemberResponse, c, "2027-01-06")
	if l.Recipient.Name != "Sam Rahman MP" || l.Recipient.Email != "sam.rahman.mp@parliament.example" || !slices.Equal(l.Recipient.Address, []string{"House of Commons", "London", "SW1A 0AA"}) {
		t.Errorf("the response is addressed to %+v, want the member", l.Recipient)
	}
	if missing := Check(l.Kind, l.Data, l.Body); len(missing) > 0 {
		t.Fatalf("Check found missing elements in the default response: %+v\n%s", missing, l.Body)
	}
	pdf, err := Render(l, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	text := poppler.Text(t, pdf)
	for _, want := range []string{"Dear Sam Rahman MP", "on behalf of Margaret Pemberton", "Why has the boiler failed three times since October?", memberFinding, "can still make a complaint", "Head of Service", c.Reference} {
		if !strings.Contains(text, poppler.Squash(want)) {
			t.Errorf("the response PDF lacks %q:\n%s", want, text)
		}
	}

	sent := f.issue(c, "2027-01-06 10:00", officer, MemberResponse)
	if !slices.Contains(Applicable(sent), MemberResponseCopy) {
		t.Fatalf("applicable after the response: %v, want the copy", Applicable(sent))
	}
	cp := f.draft(MemberResponseCopy, sent, "2027-01-06")
	if cp.Recipient.Name != "Margaret Pemberton" || cp.Recipient.Email != "margaret@example.org" {
		t.Errorf("the copy is addressed to %+v, want the resident", cp.Recipient)
	}
	if missing := Check(cp.Kind, cp.Data, cp.Body); len(missing) > 0 {
		t.Fatalf("Check found missing elements in the default copy: %+v\n%s", missing, cp.Body)
	}
	pdf, err = Render(cp, letterhead)
	if err != nil {
		t.Fatal(err)
	}
	text = poppler.Text(t, pdf)
	for _, want := range []string{"Dear Margaret Pemberton", "Sam Rahman MP (MP) asked us", "This is that copy", memberFinding, "make a complaint"} {
		if !strings.Contains(text, poppler.Squash(want)) {
			t.Errorf("the copy PDF lacks %q:\n%s", want, text)
		}
	}

	noCopy := f.issue(f.memberEnquiry(false), "2027-01-06 10:00", officer, MemberResponse)
	if slices.Contains(Applicable(noCopy), MemberResponseCopy) {
		t.Error("a copy is offered where the member did not ask for one")
	}
	if slices.Contains(Applicable(f.acknowledged()), MemberResponse) {
		t.Error("a member response is offered on a complaint")
	}
}

// Check names what an officer's edit of a member response leaves out,
// and a case with no response recorded.
func TestCheckNamesWhatAMemberResponseLeavesOut(t *testing.T) {
	f := newFixture(t, "greatwell-homes")
	c := f.memberEnquiry(true)
	l := f.draft(MemberResponse, c, "2027-01-06")
	cp := f.draft(MemberResponseCopy, f.issue(c, "2027-01-06 10:00", officer, MemberResponse), "2027-01-06")
	tests := []struct {
		name string
		l    Letter
		cut  string
		code string
	}{
		{"without the resident", l, "Margaret Pemberton", "resident"},
		{"without the enquiry", l, "Why has the boiler failed three times since October?", "enquiry"},
		{"without the response", l, memberFinding, "member_response"},
		{"without the right to complain", l, "can still make a complaint", "right_to_complain"},
		{"a copy not saying so", cp, ", and asked that you have a copy of our response. This is that copy", "copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := strings.ReplaceAll(tt.l.Body, tt.cut, "")
			if edited == tt.l.Body {
				t.Fatalf("the edit changed nothing:\n%s", tt.l.Body)
			}
			got := Check(tt.l.Kind, tt.l.Data, edited)
			if len(got) != 1 || got[0].Code != tt.code {
				t.Errorf("Check = %+v, want one %s", got, tt.code)
			}
		})
	}
	d := l.Data
	d.Member.Response = ""
	if got := Check(MemberResponse, d, l.Body); len(got) != 1 || got[0].Code != "case.member_response" {
		t.Errorf("Check of a case with no response = %+v, want case.member_response", got)
	}
}
