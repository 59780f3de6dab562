package webui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// newMemberEnquiry logs an MP's enquiry on a resident's behalf through
// the store, as role.
func (s *site) newMemberEnquiry(role string) complaint.Case {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	recv := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindMemberEnquiry, Channel: "email", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "Sam Rahman MP asks about Ada's roof",
			Member: &complaint.Member{Name: "Sam Rahman MP", Office: complaint.OfficeMP, Email: "sam@parliament.example", ResidentConsent: true, CopyToResident: true}},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// 002 §3: member enquiries "follow a separate process"; they are not
// complaints. The management report counts them on a line of their own
// among contacts by kind, and never among the complaints received at a
// stage.
func TestAMemberEnquiryCountsAsItsOwnKindNeverAsAComplaint(t *testing.T) {
	s := newSite(t)
	s.newMemberEnquiry("officer")
	s.newCase("officer", "Roof leak", false)
	c := s.signIn("manager")
	_, body := s.get(c, "/reports/management?from=2026-11-01&to=2026-11-30")
	wantRows(t, "contacts by kind", tableOf(t, body, "Contacts by kind"), [][]string{{"Kind", "Number"}, {"Complaint", "1"}, {"Member enquiry", "1"}})
	stages := tableOf(t, body, "Received, timeliness and outcomes by stage")
	needRows(t, "the stage figures", stages, 2)
	if stages[1][0] != "Received" || stages[1][1] != "1" {
		t.Errorf("complaints received at stage 1: %q, want the complaint alone", stages[1])
	}
}

// An MP's enquiry taken on the phone is logged on the new-contact page
// with the member, their office and contact details and the resident's
// consent (001: "councillors, MPs and other elected representatives");
// without the consent or the office it is refused, each on its field,
// and nothing is kept.
func TestAnMPsEnquiryIsLoggedOnTheNewContactPage(t *testing.T) {
	s := newSite(t)
	officer := s.signIn("officer")
	form := url.Values{
		"kind": {"member_enquiry"}, "channel": {"phone"},
		"received.day": {"20"}, "received.month": {"11"}, "received.year": {"2026"},
		"complainant.name": {"Ada Resident"}, "complainant.email": {"ada@example.org"},
		"summary":     {"Sam Rahman MP asks about Ada's roof"},
		"member.name": {"Sam Rahman MP"}, "member.email": {"sam@parliament.example"},
	}
	resp, page := s.post(officer, "/cases/new", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("without office or consent: %d, want 400", resp.StatusCode)
	}
	for _, id := range []string{`id="member-office-error"`, `id="member-resident-consent-error"`} {
		if !strings.Contains(page, id) {
			t.Errorf("the page has no %s", id)
		}
	}
	if cases, _, _ := s.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}}); len(cases) != 0 {
		t.Fatalf("a refused enquiry was kept: %d cases", len(cases))
	}
	form.Set("member.office", "mp")
	form.Set("member.resident_consent", "yes")
	form.Set("member.copy_to_resident", "yes")
	if resp, _ = s.post(officer, "/cases/new", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a complete enquiry: %d, want 303; log:\n%s", resp.StatusCode, s.log)
	}
	cases, _, err := s.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || len(cases) != 1 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	c := cases[0]
	if c.Kind != complaint.KindMemberEnquiry || c.Member == nil || c.Member.Name != "Sam Rahman MP" || c.Member.Office != complaint.OfficeMP ||
		!c.Member.ResidentConsent || !c.Member.CopyToResident || c.Member.AcknowledgeBy.IsZero() {
		t.Errorf("logged %+v, member %+v", c, c.Member)
	}
	_, page = s.get(officer, "/cases/"+c.Reference)
	text := html.UnescapeString(pageText(page))
	for _, want := range []string{"Enquiry from Sam Rahman MP (MP)", "Nominate who will answer", "Resident's consent Recorded"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page does not say %q", want)
		}
	}
}

// TestAnMPsDetailsAreCorrectedOnTheDetailsPage (002 §3): the member who
// made an enquiry is corrected on "Correct the details" like the
// resident, a bad correction shown on its field and nothing changed, a
// good one kept with its old and new values in the timeline.
func TestAnMPsDetailsAreCorrectedOnTheDetailsPage(t *testing.T) {
	s := newSite(t)
	officer := s.signIn("officer")
	if resp, _ := s.post(officer, "/cases/new", url.Values{
		"kind": {"member_enquiry"}, "channel": {"phone"}, "received.day": {"20"}, "received.month": {"11"}, "received.year": {"2026"},
		"complainant.name": {"Ada Resident"}, "complainant.email": {"ada@example.org"}, "summary": {"Sam Rahman MP asks about Ada's roof"},
		"member.name": {"Sam Rahman MP"}, "member.office": {"mp"}, "member.email": {"sam@parliament.example"},
		"member.resident_consent": {"yes"}, "member.copy_to_resident": {"yes"},
	}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging the enquiry: %d", resp.StatusCode)
	}
	cases, _, err := s.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || len(cases) != 1 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	ref := cases[0].Reference
	_, page := s.get(officer, "/cases/"+ref+"/details")
	if !strings.Contains(page, `name="member.email"`) || !strings.Contains(page, `value="sam@parliament.example"`) {
		t.Fatal("the details page does not offer the member's details as they are")
	}
	c := s.caseNow(ref)
	form := url.Values{"version": {strconv.Itoa(c.Version)}, "tenure": {""}, "summary": {c.Summary}, "description": {c.Description},
		"complainant.name": {c.Complainant.Name}, "complainant.email": {c.Complainant.Email}, "line_manager": {""},
		"representative.name": {""}, "representative.relationship": {""}, "representative.email": {""}, "representative.phone": {""},
		"member.name": {c.Member.Name}, "member.office": {"mp"}, "member.email": {""}, "member.phone": {""}, "member.address": {""},
		"member.resident_consent": {"yes"}, "member.copy_to_resident": {"yes"}}
	resp, page := s.post(officer, "/cases/"+ref+"/details", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="details-member-email-error"`) {
		t.Fatalf("no way to reach the member: %d, want 400 on member.email\n%s", resp.StatusCode, pageText(page))
	}
	form.Set("member.email", "sam.rahman@parliament.example")
	form.Del("member.copy_to_resident")
	if resp, page := s.post(officer, "/cases/"+ref+"/details", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("correcting the member: %d\n%s", resp.StatusCode, pageText(page))
	}
	c, err = s.st.GetCase(context.Background(), ref)
	if err != nil || c.Member.Email != "sam.rahman@parliament.example" || c.Member.CopyToResident || !c.Member.ResidentConsent {
		t.Fatalf("member after the correction %+v, %v", c.Member, err)
	}
	_, page = s.get(officer, "/cases/"+ref)
	if text := html.UnescapeString(pageText(page)); !strings.Contains(text, "Member's email: sam@parliament.example changed to sam.rahman@parliament.example") {
		t.Errorf("the timeline does not show the member's email corrected:\n%s", text)
	}
}
