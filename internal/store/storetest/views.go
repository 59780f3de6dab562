package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testTeamQueues checks the filters of the team's queues and the
// workload page (issue 22, item 2) on both databases: each selects
// exactly its cases, a count is of the cases listed, and a confidential
// case stays out of the queues of someone it does not name.
func testTeamQueues(t *testing.T, s store.Store) {
	w := newWorld(t, "gentoo")
	unassigned := w.create(t, s, complaintCmd("Nobody has this yet", w.now.Add(-2*time.Hour)))
	mine := w.create(t, s, complaintCmd("Assigned to the handler", w.now.Add(-2*time.Hour)))
	w.do(t, s, mine.Reference, officer, complaint.Assign{Handler: "handler@example.org", HandlerRole: "officer"})
	// A stage 2 case waiting for a reviewer: escalated, so its stage 1
	// handler is no longer its handler.
	review := w.create(t, s, complaintCmd("Wants a review", w.now.Add(-72*time.Hour)))
	w.do(t, s, review.Reference, "a@example.org", complaint.Acknowledge{Points: []string{"p"}})
	w.respond(t, s, review.Reference, "a@example.org", complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "not_upheld", Reasons: "r"}}})
	w.do(t, s, review.Reference, "a@example.org", complaint.Escalate{})
	flagged := complaintCmd("Gas smell in the hall", w.now.Add(-time.Hour))
	flagged.HealthAndSafety = true
	gas := w.create(t, s, flagged)
	w.do(t, s, gas.Reference, officer, complaint.Assign{Handler: "handler@example.org", HandlerRole: "officer"})
	news := w.do(t, s, mine.Reference, officer, complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "More photos"})
	if news.UnreadFromResident.IsZero() {
		t.Fatal("information from the portal did not mark the case new from the resident")
	}
	closed := w.create(t, s, complaintCmd("Withdrawn at once", w.now.Add(-time.Hour)))
	w.do(t, s, closed.Reference, officer, complaint.Withdraw{Reason: "Resolved by phone"})
	secretCmd := complaintCmd("About a member of staff", w.now.Add(-time.Hour))
	secretCmd.Confidential, secretCmd.LineManager = true, "lm@example.org"
	secret := w.create(t, s, secretCmd)

	today := calendar.DateOf(w.now)
	all := store.Viewer{AllConfidential: true}
	tests := []struct {
		name string
		f    store.CaseFilter
		want []string
	}{
		{"unassigned and open", store.CaseFilter{Viewer: all, OpenOnly: true, Unassigned: true},
			[]string{secret.Reference, review.Reference, unassigned.Reference}},
		{"unassigned, open, seen by someone the confidential case does not name", store.CaseFilter{Viewer: store.Viewer{Email: "someone@example.org"}, OpenOnly: true, Unassigned: true},
			[]string{review.Reference, unassigned.Reference}},
		{"stage 2 awaiting a reviewer", store.CaseFilter{Viewer: all, Stage: 2, OpenOnly: true, Unassigned: true}, []string{review.Reference}},
		{"health and safety, open", store.CaseFilter{Viewer: all, SafetyFlagged: true, OpenOnly: true}, []string{gas.Reference}},
		{"new from the resident", store.CaseFilter{Viewer: all, UnreadFromResident: true}, []string{mine.Reference}},
		{"a handler's open cases", store.CaseFilter{Viewer: all, Handler: "handler@example.org", OpenOnly: true}, []string{gas.Reference, mine.Reference}},
		{"due from today", store.CaseFilter{Viewer: all, OpenOnly: true, DueFrom: today, DueBefore: today.AddDays(60)},
			[]string{secret.Reference, gas.Reference, review.Reference, mine.Reference, unassigned.Reference}},
		{"due from far ahead", store.CaseFilter{Viewer: all, DueFrom: today.AddDays(365)}, nil},
		{"with open actions", store.CaseFilter{Viewer: all, OpenActions: true}, nil},
	}
	for _, tt := range tests {
		wantListed(t, s, tt.name, tt.f, tt.want)
	}
}

// testSavedViews checks saved views: each user sees their own and the
// shared ones, not another's private one; a second view of one name for
// one owner is a conflict on the name; a view is deleted once.
func testSavedViews(t *testing.T, s store.Store) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	mine, err := s.SaveView(ctx, store.SavedView{OwnerID: 1, Name: "My overdue", Query: "overdue=yes&handler=a%40example.org", CreatedAt: at})
	if err != nil || mine.ID == 0 {
		t.Fatalf("SaveView = %+v, %v", mine, err)
	}
	shared, err := s.SaveView(ctx, store.SavedView{OwnerID: 2, Name: "Stage 2 waiting", Query: "queue=awaiting_reviewer", Shared: true, CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveView(ctx, store.SavedView{OwnerID: 2, Name: "Private to two", Query: "kind=complaint", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveView(ctx, store.SavedView{OwnerID: 1, Name: "My overdue", Query: "overdue=yes", CreatedAt: at})
	if complaint.ErrorCode(err) != complaint.Conflict || !hasField(err, "name") {
		t.Errorf("a second view of one name: %v, want a conflict on the name", err)
	}
	// Another owner may use the same name.
	if _, err := s.SaveView(ctx, store.SavedView{OwnerID: 3, Name: "My overdue", Query: "overdue=yes", CreatedAt: at}); err != nil {
		t.Errorf("another owner's view of the same name: %v", err)
	}
	names := func(userID int64) []string {
		t.Helper()
		vs, err := s.SavedViews(ctx, userID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			out = append(out, v.Name)
		}
		return out
	}
	if got := names(1); !slices.Equal(got, []string{"My overdue", "Stage 2 waiting"}) {
		t.Errorf("user 1 sees %v", got)
	}
	if got := names(2); !slices.Equal(got, []string{"Private to two", "Stage 2 waiting"}) {
		t.Errorf("user 2 sees %v", got)
	}
	got, err := s.SavedView(ctx, shared.ID)
	if err != nil || got.Query != "queue=awaiting_reviewer" || !got.Shared || got.OwnerID != 2 || !got.CreatedAt.Equal(at) {
		t.Errorf("SavedView = %+v, %v", got, err)
	}
	if err := s.DeleteView(ctx, mine.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteView(ctx, mine.ID); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("deleting it again: %v, want not_found", err)
	}
	if _, err := s.SavedView(ctx, mine.ID); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("reading a deleted view: %v, want not_found", err)
	}
	if got := names(1); !slices.Equal(got, []string{"Stage 2 waiting"}) {
		t.Errorf("after deleting, user 1 sees %v", got)
	}
}

// hasField reports whether err is a complaint.Error naming field.
func hasField(err error, field string) bool {
	var e *complaint.Error
	if !errors.As(err, &e) {
		return false
	}
	_, ok := e.Fields[field]
	return ok
}
