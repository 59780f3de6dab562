package webui_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Team work (issue 22, item 2) through the staff pages: queues, workload
// by officer, bulk mark-done and the dashboard's links.

// caseAt logs a complaint through the store as role, received at recv,
// confidential with lineManager when that is not "".
func (s *site) caseAt(role, summary string, recv time.Time, lineManager string) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
			Confidential: lineManager != "", LineManager: lineManager,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: summary},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Reference
}

// stageTwo is a complaint answered at stage 1 by the officer and
// escalated, waiting for a reviewer.
func (s *site) stageTwo(summary string) string {
	s.t.Helper()
	ref := s.newCase("officer", summary, false)
	s.decideAs(ref, "officer", complaint.Acknowledge{Points: []string{"The roof"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "No fault found"}}},
		complaint.RecordLetter{Kind: complaint.ResponseLetterKind(1), Title: "Our response", Channel: "email", SHA256: strings.Repeat("ab", 32)},
		complaint.Escalate{})
	return ref
}

// listTotal is the total the case list says it found.
var listTotal = regexp.MustCompile(`id="case-total">(\d+ cases?|No cases match)`)

// cases is how the list's total says n cases.
func cases(n int) string {
	if n == 1 {
		return "1 case"
	}
	return itoa(n) + " cases"
}

func itoa(n int) string { return strconv.Itoa(n) }

func total(page string) string {
	m := listTotal.FindStringSubmatch(page)
	if m == nil {
		return "no total"
	}
	return m[1]
}

// queueCount is the count the case list's side list gives a queue.
func queueCount(page, name string) string {
	m := regexp.MustCompile(`href="/cases\?queue=` + name + `"[^>]*>[^<]*</a> <strong class="govuk-tag govuk-tag--grey">(\d+)</strong>`).FindStringSubmatch(page)
	if m == nil {
		return "none"
	}
	return m[1]
}

// Each queue lists exactly its cases and counts them, and a confidential
// case is in no queue, list or count of someone it does not name.
func TestQueuesListTheirCasesWithCountsAndHideConfidentialCases(t *testing.T) {
	s := newSite(t)
	free := s.newCase("officer", "Nobody has this yet", false)
	taken := s.newCase("officer", "Someone has this", false)
	s.decideAs(taken, "officer", complaint.Assign{Handler: "officer@example.org", HandlerRole: "officer"},
		complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "More photos of the damp"})
	gas := s.newCase("officer", "Gas smell in the hall", false)
	s.decideAs(gas, "officer", complaint.Assign{Handler: "officer@example.org", HandlerRole: "officer"},
		complaint.FlagHealthAndSafety{Flagged: true, Reason: "Gas"})
	review := s.stageTwo("Wants a review")
	secret := s.caseAt("admin", "About a member of staff", s.now.Add(-time.Hour), "manager@example.org")
	closed := s.newCase("officer", "Withdrawn at once", false)
	s.decideAs(closed, "officer", complaint.Withdraw{Reason: "Sorted by phone"})

	tests := []struct {
		queue, who string
		want       []string
	}{
		{"unassigned", "admin", []string{free, review, secret}},
		{"unassigned", "reviewer", []string{free, review}},
		{"awaiting_reviewer", "reviewer", []string{review}},
		{"safety", "reviewer", []string{gas}},
		{"new_from_resident", "reviewer", []string{taken}},
	}
	all := []string{free, taken, gas, review, secret, closed}
	for _, tt := range tests {
		c := s.signIn(tt.who)
		resp, page := s.get(c, "/cases?queue="+tt.queue)
		if resp.StatusCode != 200 {
			t.Fatalf("%s /cases?queue=%s: %d", tt.who, tt.queue, resp.StatusCode)
		}
		for _, ref := range all {
			want := strings.Contains(strings.Join(tt.want, " "), ref)
			if got := strings.Contains(page, `href="/cases/`+ref+`"`); got != want {
				t.Errorf("%s, queue %s: lists %s %v, want %v", tt.who, tt.queue, ref, got, want)
			}
		}
		n := cases(len(tt.want))
		if got := total(page); got != n {
			t.Errorf("%s, queue %s: total %q, want %q", tt.who, tt.queue, got, n)
		}
		if got := queueCount(page, tt.queue); got != itoa(len(tt.want)) {
			t.Errorf("%s, queue %s: the side list counts %s, want %d", tt.who, tt.queue, got, len(tt.want))
		}
		if !strings.Contains(page, `<span class="govuk-caption-l">Cases</span>`) {
			t.Errorf("%s, queue %s: the heading does not name the queue", tt.who, tt.queue)
		}
	}
	// The dashboard counts the queues as the list does, each a link.
	_, dash := s.get(s.signIn("reviewer"), "/")
	if !strings.Contains(dash, `<a class="govuk-link" href="/cases?queue=unassigned">Unassigned: 2 cases</a>`) {
		t.Errorf("the reviewer's dashboard does not link the unassigned queue with 2 cases")
	}
	resp, page := s.get(s.signIn("officer"), "/cases?queue=everything")
	if resp.StatusCode != 400 || !strings.Contains(page, "Choose a queue from the list") {
		t.Errorf("an unknown queue: %d, want 400 naming the queue", resp.StatusCode)
	}
}

// The workload page counts each officer's open cases, what is due in the
// next five working days, what is overdue and the actions outstanding on
// their cases; each number is a link to a list that shows that many.
func TestWorkloadCountsEachOfficersCasesAndLinksToThem(t *testing.T) {
	s := newSite(t)
	s.addUser("max", "officer")
	late := s.caseAt("officer", "Received weeks ago", s.now.Add(-30*24*time.Hour), "")
	fresh := s.newCase("officer", "Received this morning", false)
	s.decideAs(late, "officer", complaint.Assign{Handler: "officer@example.org", HandlerRole: "officer"})
	s.decideAs(fresh, "officer", complaint.Assign{Handler: "officer@example.org", HandlerRole: "officer"})
	withAction := respondedCase(s) // acknowledged by the officer, so theirs, with one action to come
	s.newCase("officer", "Nobody has this yet", false)
	maxCase := s.newCase("officer", "Max's case", false)
	s.decideAs(maxCase, "officer", complaint.Assign{Handler: "max@example.org", HandlerRole: "officer"})

	if resp, _ := s.get(s.signIn("officer"), "/workload"); resp.StatusCode != 403 {
		t.Errorf("an officer GET /workload: %d, want 403", resp.StatusCode)
	}
	mgr := s.signIn("manager")
	resp, page := s.get(mgr, "/workload")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /workload: %d\n%.2000s", resp.StatusCode, page)
	}
	row := regexp.MustCompile(`(?s)officer@example\.org</span></th>.*?</tr>`).FindString(page)
	cells := regexp.MustCompile(`href="([^"]+)">(\d+)<span`).FindAllStringSubmatch(row, -1)
	if len(cells) != 4 {
		t.Fatalf("the officer's row has %d linked numbers, want 4:\n%s", len(cells), row)
	}
	want := []struct {
		n    string
		refs []string
	}{
		{"3", []string{late, fresh, withAction}},
		{"1", []string{fresh}},
		{"1", []string{late}},
		{"1", []string{withAction}},
	}
	for i, w := range want {
		if cells[i][2] != w.n {
			t.Errorf("the officer's number %d is %s, want %s", i+1, cells[i][2], w.n)
		}
		_, list := s.get(mgr, html.UnescapeString(cells[i][1]))
		if i < 3 {
			if got, wantTotal := total(list), cases(len(w.refs)); got != wantTotal {
				t.Errorf("number %d links to %s, which says %q, want %q", i+1, cells[i][1], got, wantTotal)
			}
		} else if !strings.Contains(list, `>1 open</caption>`) {
			t.Errorf("the actions number links to %s, which does not show 1 open action", cells[i][1])
		}
		for _, ref := range w.refs {
			if !strings.Contains(list, `href="/cases/`+ref+`"`) {
				t.Errorf("number %d links to %s, which does not list %s", i+1, cells[i][1], ref)
			}
		}
	}
	if !strings.Contains(page, `href="/cases?queue=unassigned" id="workload-unassigned">1 open case has no handler</a>`) {
		t.Error("the workload page does not link the one unassigned case")
	}
	maxRow := regexp.MustCompile(`(?s)max@example\.org</span></th>.*?</tr>`).FindString(page)
	if got := regexp.MustCompile(`>(\d+)<span`).FindAllStringSubmatch(maxRow, -1); len(got) != 4 || got[0][1] != "1" || got[2][1] != "0" {
		t.Errorf("max's row: %v, want 1 open and 0 overdue", got)
	}
}

// Several actions are marked done at once from the actions tracker, each
// by its own done command; one already done and one on no case are
// refused, named with the reason, and stop none of the others.
func TestBulkMarkDoneMarksEachChosenActionAndNamesTheRefused(t *testing.T) {
	s := newSite(t)
	a, b := respondedCase(s), respondedCase(s)
	ida := s.caseNow(a).Remedies[0].ID
	idb := s.caseNow(b).Remedies[0].ID
	c := s.signIn("officer")
	_, page := s.get(c, "/actions")
	if !strings.Contains(page, `value="`+a+":"+itoa(ida)+`"`) {
		t.Fatalf("the actions tracker offers no box for %s's action", a)
	}
	resp, page := s.post(c, "/actions/done", url.Values{"action": {a + ":" + itoa(ida), b + ":" + itoa(idb), a + ":" + itoa(ida), "C-1999-999999:1"}})
	if resp.StatusCode != 200 {
		t.Fatalf("POST /actions/done: %d\n%.2000s", resp.StatusCode, page)
	}
	for _, want := range []string{"2 actions marked done", "2 refused", "Remedy " + itoa(ida) + " is already done", "C-1999-999999, action 1</strong>: There is no such case"} {
		if !strings.Contains(page, want) {
			t.Errorf("the summary does not say %q:\n%.3000s", want, page)
		}
	}
	for _, ref := range []string{a, b} {
		if r := s.caseNow(ref).Remedies[0]; !r.Done {
			t.Errorf("%s's action is not done", ref)
		}
	}
	resp, page = s.post(c, "/actions/done", url.Values{})
	if resp.StatusCode != 400 || !strings.Contains(page, "Choose at least one action to mark done") {
		t.Errorf("marking nothing done: %d, want 400 saying to choose one", resp.StatusCode)
	}
}

// Every count on the dashboard by kind, stage and status is a link to
// the case list, which finds the same number of cases.
func TestDashboardCountsLinkToTheCasesTheyCount(t *testing.T) {
	s := newSite(t)
	s.newCase("officer", "One", false)
	s.newCase("officer", "Two", false)
	s.stageTwo("Three")
	c := s.signIn("officer")
	_, dash := s.get(c, "/")
	links := regexp.MustCompile(`govuk-table__cell--numeric"><a class="govuk-link" href="([^"]+)">(\d+)<span`).FindAllStringSubmatch(dash, -1)
	if len(links) < 2 {
		t.Fatalf("the dashboard's counts are not links: %v", links)
	}
	for _, l := range links {
		_, list := s.get(c, html.UnescapeString(l[1]))
		n, _ := strconv.Atoi(l[2])
		if got := total(list); got != cases(n) {
			t.Errorf("the count %s links to %s, which finds %q", l[2], l[1], got)
		}
	}
}

// "Assign to me" on the case page assigns the case to whoever presses
// it, by the assign command, and is not offered to someone the Code
// (6.13) keeps off a stage 2 case.
func TestAssignToMeAssignsTheSignedInUser(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Nobody has this yet", false)
	c := s.signIn("reviewer")
	_, page := s.get(c, "/cases/"+ref)
	if !strings.Contains(page, `id="assign-to-me"`) {
		t.Fatal("the case page offers no Assign to me")
	}
	resp, _ := s.post(c, "/cases/"+ref+"/assign", url.Values{"handler": {"reviewer@example.org"}, "version": {s.caseVersion(ref)}})
	if resp.StatusCode != 303 || s.caseNow(ref).Handler != "reviewer@example.org" {
		t.Fatalf("assign to me: %d, handler %q", resp.StatusCode, s.caseNow(ref).Handler)
	}
	if _, page = s.get(c, "/cases/"+ref); strings.Contains(page, `id="assign-to-me"`) {
		t.Error("the handler is still offered Assign to me")
	}
	review := s.stageTwo("Wants a review")
	if _, page = s.get(s.signIn("officer"), "/cases/"+review); strings.Contains(page, `id="assign-to-me"`) {
		t.Error("the stage 1 handler is offered Assign to me at stage 2")
	}
	if _, page = s.get(s.signIn("viewer"), "/cases/"+ref); strings.Contains(page, `id="assign-to-me"`) {
		t.Error("a viewer is offered Assign to me")
	}
}
