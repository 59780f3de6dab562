package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// A case an officer may see, linked to a confidential one they may not,
// showed the confidential case's reference in its links and its
// timeline. The officer's page, and the page shown after a command of
// theirs fails, now name it nowhere; a manager's page still does.
func TestCasePageNeverNamesALinkedConfidentialCaseTheReaderMayNotSee(t *testing.T) {
	s := newSite(t)
	hidden := s.newCase("manager", "Complaint about the conduct of a repairs officer", true)
	visible := s.newCase("manager", "Roof still leaking", false)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UpdateCase(context.Background(), visible, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Link{Reference: hidden},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "manager@example.org", Role: "manager"}, Policy: s.p, Calendar: cal, NewReference: nr})
	}); err != nil {
		t.Fatal(err)
	}

	officer := s.signIn("officer")
	if resp, _ := s.get(officer, "/cases/"+hidden); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the officer gets the confidential case: %d", resp.StatusCode)
	}
	resp, page := s.get(officer, "/cases/"+visible)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the officer's case page: %d", resp.StatusCode)
	}
	if strings.Contains(page, hidden) {
		t.Errorf("the case page names the confidential case %s to an officer who may not see it", hidden)
	}
	if !strings.Contains(pageText(page), "Linked to another case, not shown") {
		t.Errorf("the timeline does not say a case was linked and withheld")
	}
	resp, page = s.post(officer, "/cases/"+visible+"/notes", url.Values{"text": {" "}, "version": {"2"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an empty note: %d, want 400", resp.StatusCode)
	}
	if strings.Contains(page, hidden) {
		t.Errorf("the page after a failed command names the confidential case %s", hidden)
	}

	_, page = s.get(s.signIn("manager"), "/cases/"+visible)
	if !strings.Contains(page, `href="/cases/`+hidden+`"`) {
		t.Errorf("the manager's page does not link to %s", hidden)
	}
}
