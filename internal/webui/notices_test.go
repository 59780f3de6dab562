package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/inapp"
	"github.com/redresshq/redress/internal/store"
)

// processNotices runs the in-app notices' processor over the site's
// store once, as the app does every few seconds while it serves.
func (s *site) processNotices() {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	p := &inapp.Processor{Store: s.st, Calendar: cal, NamedOnly: s.p.Confidential.NamedViewersOnly,
		Now: func() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now }}
	if _, err := p.RunOnce(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// unreadIn reads the header's count of unread notices from a page.
func unreadIn(t *testing.T, body string) int {
	t.Helper()
	i := strings.Index(body, "Notices (")
	if i < 0 {
		t.Fatalf("the page's header has no link to the notices:\n%s", body)
	}
	var n int
	if _, err := fmt.Sscanf(body[i:], "Notices (%d unread)", &n); err != nil {
		t.Fatalf("the header's notices link %q: %v", body[i:i+30], err)
	}
	return n
}

func TestAssignedAndNewInformationNoticesShowInTheHeaderAndAreReadWhenOpened(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("manager", "Leaking roof not repaired", false)
	officer, manager := s.signIn("officer"), s.signIn("manager")
	if _, body := s.get(officer, "/"); unreadIn(t, body) != 0 {
		t.Fatalf("a new officer has unread notices")
	}
	if resp, body := s.post(manager, "/cases/"+ref+"/assign", url.Values{"handler": {"officer@example.org"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assigning: %d\n%s", resp.StatusCode, body)
	}
	s.processNotices()
	for _, path := range []string{"/", "/cases", "/cases/" + ref, "/actions"} {
		if _, body := s.get(officer, path); unreadIn(t, body) != 1 {
			t.Errorf("%s shows the officer %d unread, want 1", path, unreadIn(t, body))
		}
	}
	if _, body := s.get(manager, "/"); unreadIn(t, body) != 0 {
		t.Errorf("the manager who assigned it has %d unread, want 0", unreadIn(t, body))
	}
	// The resident writes in through their pages: the handler is told.
	if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.AddInformation{Source: "portal", From: "Ada Resident", Text: "Photos of the damp"},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "resident"}, Policy: s.p, Calendar: mustCalendar(t, s), NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}
	s.processNotices()
	s.processNotices() // twice: still one notice per event
	_, page := s.get(officer, "/notices")
	if unreadIn(t, page) != 2 {
		t.Fatalf("after the resident's information the officer has %d unread, want 2", unreadIn(t, page))
	}
	for _, want := range []string{"Assigned to you", "New information from the resident", `<td class="govuk-table__cell">` + ref, "2 unread", "Mark all as read"} {
		if !strings.Contains(page, want) {
			t.Errorf("the notices page does not say %q", want)
		}
	}
	if strings.Index(page, "New information from the resident") > strings.Index(page, "Assigned to you") {
		t.Errorf("the notices are not newest first")
	}
	ns, err := s.st.StaffNotices(context.Background(), s.users["officer"].ID, store.Viewer{Email: "officer@example.org"}, 10)
	if err != nil || len(ns) != 2 {
		t.Fatalf("the officer's notices: %+v, %v", ns, err)
	}
	// Someone else cannot open it, or learn which case it is about.
	if resp, _ := s.post(manager, fmt.Sprintf("/notices/%d/open", ns[0].ID), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the manager opening the officer's notice: %d, want 404", resp.StatusCode)
	}
	if resp, _ := s.post(officer, "/notices/first/open", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("opening notice \"first\": %d, want 400", resp.StatusCode)
	}
	// Opening one goes to its case and marks it read.
	resp, _ := s.post(officer, fmt.Sprintf("/notices/%d/open", ns[0].ID), nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases/"+ref {
		t.Fatalf("opening a notice: %d to %q, want 303 to /cases/%s", resp.StatusCode, resp.Header.Get("Location"), ref)
	}
	if _, body := s.get(officer, "/"); unreadIn(t, body) != 1 {
		t.Errorf("after opening one the officer has %d unread, want 1", unreadIn(t, body))
	}
	// Mark all read.
	if resp, _ := s.post(officer, "/notices/read", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/notices" {
		t.Fatalf("mark all read: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = s.get(officer, "/notices")
	if unreadIn(t, page) != 0 || strings.Contains(page, "Mark all as read") || !strings.Contains(page, `<td class="govuk-table__cell">`+ref) {
		t.Errorf("after marking all read the page still counts %d unread or offers to mark them, or lost them", unreadIn(t, page))
	}
}

func TestANoticeOfAConfidentialCaseIsNotShownToWhoCannotSeeIt(t *testing.T) {
	s := newSite(t)
	secret := s.newCase("manager", "About a member of staff", true) // names the manager, not the officer
	plain := s.newCase("manager", "Ordinary", false)
	// Notices made while the officer could see both cases (before a
	// change of role, say): the processor never makes one for a case its
	// recipient cannot see, so they are stored here directly.
	officerID := s.users["officer"].ID
	ns := []store.StaffNotice{
		{UserID: officerID, CaseRef: secret, Kind: store.NoticeStage2Requested, Key: "secret"},
		{UserID: officerID, CaseRef: plain, Kind: store.NoticeStage2Requested, Key: "plain"},
	}
	if _, err := s.st.AddStaffNotices(context.Background(), ns, s.now); err != nil {
		t.Fatal(err)
	}
	stored, err := s.st.StaffNotices(context.Background(), officerID, store.Viewer{AllConfidential: true}, 10)
	if err != nil || len(stored) != 2 || stored[0].CaseRef != plain {
		t.Fatalf("the officer's notices as stored: %+v, %v", stored, err)
	}
	officer := s.signIn("officer")
	_, page := s.get(officer, "/notices")
	if unreadIn(t, page) != 1 || !strings.Contains(page, plain) || strings.Contains(page, secret) {
		t.Errorf("the officer is shown %d unread, or not %s, or %s, which they cannot see:\n%s", unreadIn(t, page), plain, secret, page)
	}
	resp, body := s.post(officer, fmt.Sprintf("/notices/%d/open", stored[1].ID), nil)
	if resp.StatusCode != http.StatusNotFound || strings.Contains(resp.Header.Get("Location")+body, secret) {
		t.Errorf("opening the hidden notice: %d to %q, want 404 naming no case", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The manager it names sees it.
	if _, err := s.st.AddStaffNotices(context.Background(), []store.StaffNotice{{UserID: s.users["manager"].ID, CaseRef: secret, Kind: store.NoticeStage2Requested, Key: "manager"}}, s.now); err != nil {
		t.Fatal(err)
	}
	if _, page := s.get(s.signIn("manager"), "/notices"); unreadIn(t, page) != 1 || !strings.Contains(page, secret) {
		t.Errorf("the manager the case names is not shown its notice")
	}
}

func mustCalendar(t *testing.T, s *site) *calendar.Calendar {
	t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
