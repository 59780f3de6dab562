package webui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// finalResponse makes a complaint on the site that has had its final
// response, stage 1 by the officer and stage 2 by the reviewer, and
// returns its reference.
func (s *site) finalResponse() string {
	s.t.Helper()
	ctx := context.Background()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	env := func(role string, nr store.NewReference) complaint.Env {
		s.mu.Lock()
		defer s.mu.Unlock()
		return complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: nr}
	}
	received := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "The roof still leaks"}, env("officer", nr))
	})
	if err != nil {
		s.t.Fatal(err)
	}
	letter := func(n int) complaint.RecordLetter {
		return complaint.RecordLetter{Kind: complaint.ResponseLetterKind(n), Title: "Our response", Channel: "email", SHA256: strings.Repeat("ab", 32)}
	}
	decisions := complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault found"}}}
	for _, step := range []struct {
		role string
		cmd  complaint.Command
	}{
		{"officer", complaint.Acknowledge{Points: []string{"The roof"}}}, {"officer", decisions}, {"officer", letter(1)}, {"officer", complaint.Escalate{}},
		{"reviewer", complaint.Acknowledge{Points: []string{"Stage 1"}}}, {"reviewer", decisions}, {"reviewer", letter(2)},
	} {
		if _, err := s.st.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, step.cmd, env(step.role, nr))
		}); err != nil {
			s.t.Fatalf("%T: %v", step.cmd, err)
		}
	}
	return c.Reference
}

// Issue 19, item 4, on the case page: the section appears only after the
// final response; each step has its form, a bad determination names each
// field as the form labels it, and the order shows on the dashboard once
// past its due date unmet, then leaves it when compliance is recorded.
func TestTheOmbudsmanSectionTakesEachStepAndTheDashboardListsOrdersOverdue(t *testing.T) {
	s := newSite(t)
	plain := s.newCaseWith("officer", "Fence", false, "low_cost_rental")
	ref := s.finalResponse()
	manager := s.signIn("manager")
	if _, page := s.get(manager, "/cases/"+plain); strings.Contains(page, `id="ombudsman"`) {
		t.Error("a complaint without a final response shows the Ombudsman section")
	}
	post := func(form string, v url.Values, want int) string {
		t.Helper()
		resp, page := s.post(manager, "/cases/"+ref+"/"+form, v)
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d\n%s", form, resp.StatusCode, want, pageText(page))
		}
		return page
	}
	post("ombudsman-referral", url.Values{"reference": {"202601234"}, "notified_on.day": {"23"}, "notified_on.month": {"11"}, "notified_on.year": {"2026"}}, 303)
	post("ombudsman-evidence-request", url.Values{"what": {"Repairs log"}, "due.day": {"30"}, "due.month": {"11"}, "due.year": {"2026"}}, 303)
	post("ombudsman-approval", url.Values{"name": {"Sam Chief"}, "role": {"Chief Executive"}}, 303)
	post("ombudsman-evidence-sent", url.Values{"sha256": {strings.Repeat("AB", 32)}, "collated_by": {"Hana Head, Head of Housing"}}, 303)
	page := post("ombudsman-determination", url.Values{"determined_on.day": {"23"}, "determined_on.month": {"11"}, "determined_on.year": {"2026"},
		"findings[0].point": {"Roof"}, "findings[0].finding": {""}, "orders[0].kind": {"order"}, "orders[0].description": {"Pay £100"}}, 400)
	for _, want := range []string{"The finding on point 1 is required", "The Ombudsman's reasons on point 1 is required", "Item 1 due date is required for an order"} {
		if !strings.Contains(pageText(page), want) {
			t.Errorf("a bad determination does not say %q:\n%s", want, pageText(page))
		}
	}
	post("ombudsman-determination", url.Values{"determined_on.day": {"23"}, "determined_on.month": {"11"}, "determined_on.year": {"2026"},
		"findings[0].point": {"Roof"}, "findings[0].finding": {"service_failure"}, "findings[0].reasons": {"Slow survey"},
		"orders[0].kind": {"order"}, "orders[0].description": {"Pay £100"}, "orders[0].due.day": {"25"}, "orders[0].due.month": {"11"}, "orders[0].due.year": {"2026"}}, 303)
	_, page = s.get(manager, "/cases/"+ref)
	text := pageText(page)
	for _, want := range []string{"Ombudsman's reference 202601234", "collated by Hana Head, Head of Housing, approved by Sam Chief, Chief Executive", strings.Repeat("ab", 32), "Roof Service failure Slow survey", "Pay £100", "Record compliance with an order"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page lacks %q:\n%s", want, text)
		}
	}

	s.advance(3 * 24 * time.Hour) // Thu 26 November: the order was due on the 25th.
	manager = s.signIn("manager")
	_, dash := s.get(manager, "/")
	if !strings.Contains(dash, `id="ombudsman-orders-overdue"`) || !strings.Contains(pageText(dash), "Order: Pay £100") {
		t.Errorf("the dashboard does not list the order overdue:\n%s", pageText(dash))
	}
	post("ombudsman-compliance", url.Values{"order": {"1"}, "evidence": {"Paid by BACS"}, "met": {"yes"}}, 303)
	if _, dash := s.get(manager, "/"); strings.Contains(dash, `id="ombudsman-orders-overdue"`) {
		t.Error("an order met is still listed as overdue")
	}
}

// TestTheEvidencePackSentIsBuiltAndKeptByRedressWhenNoHashIsGiven: with no
// hash typed, recording the evidence as sent builds the pack, keeps that
// copy with the case's files and records its own hash, so the landlord can
// show byte for byte what it sent; the case's files still verify, the
// kept pack named by the event that recorded it.
func TestTheEvidencePackSentIsBuiltAndKeptByRedressWhenNoHashIsGiven(t *testing.T) {
	s := newSite(t)
	ref := s.finalResponse()
	manager := s.signIn("manager")
	for _, p := range []struct {
		form string
		v    url.Values
	}{
		{"ombudsman-referral", url.Values{"reference": {"202601235"}, "notified_on.day": {"23"}, "notified_on.month": {"11"}, "notified_on.year": {"2026"}}},
		{"ombudsman-evidence-sent", url.Values{"collated_by": {"Hana Head"}}},
	} {
		if resp, page := s.post(manager, "/cases/"+ref+"/"+p.form, p.v); resp.StatusCode != 303 {
			t.Fatalf("POST %s: %d\n%s", p.form, resp.StatusCode, pageText(page))
		}
	}
	c, err := s.st.GetCase(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if c.Ombudsman == nil || len(c.Ombudsman.Submissions) != 1 {
		t.Fatalf("the referral's submissions = %+v, want one", c.Ombudsman)
	}
	sub := c.Ombudsman.Submissions[0]
	files, err := s.st.Attachments(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var kept *store.Attachment
	for i := range files {
		if files[i].Name == sub.Pack {
			kept = &files[i]
		}
	}
	if sub.Pack == "" || kept == nil || kept.SHA256 != sub.SHA256 || kept.ContentType != "application/zip" {
		t.Fatalf("the pack sent %q (hash %s) is not among the case's files %+v", sub.Pack, sub.SHA256, files)
	}
	a, err := s.st.VerifyCase(context.Background(), ref)
	// (The fixture records its letters' events without the letters, so
	// only the files are checked here.)
	if err != nil || !a.AttachmentsOK || a.Attachments != 1 {
		t.Errorf("the case's files' audit after keeping the pack: %+v, %v", a, err)
	}
	if _, page := s.get(manager, "/cases/"+ref); !strings.Contains(pageText(page), "The copy sent is kept with the case's files as "+sub.Pack) {
		t.Errorf("the case page does not name the copy kept:\n%s", pageText(page))
	}
}
