package webui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// Code 6.8 and 002 §2.3 on the definition page: new points are added only
// with the officer's confirmation that they will not unreasonably delay
// the response; without it the page says so on the box, and nothing
// changes.
func TestNewPointsNeedTheConfirmationOfNoUnreasonableDelay(t *testing.T) {
	s := newSite(t)
	ref := acknowledgedWithPoints(s)
	officer := s.signIn("officer")
	path := "/cases/" + ref + "/definition"
	before := s.caseNow(ref)
	v := strconv.Itoa(before.Version)
	resp, page := s.post(officer, path, url.Values{"version": {v}, "add": {"The fence is broken"}, "reason": {"Raised on the call"}})
	wantFieldError(t, "a point added without the confirmation", resp, page, http.StatusBadRequest, "no-unreasonable-delay")
	wantContains(t, "the refused definition", pageText(page), "Confirm that adding the new points will not unreasonably delay the response")
	wantUnchanged(t, "a refused amendment", before, s.caseNow(ref))

	resp, page = s.post(officer, path, url.Values{"version": {v}, "add": {"The fence is broken"}, "reason": {"Raised on the call"}, "no_unreasonable_delay": {"yes"}})
	wantRedirect(t, "the confirmed amendment", resp, page, "/cases/"+ref+"?done=definition")
	after := s.caseNow(ref)
	if pts := after.Current().Points; len(pts) != 4 || pts[3] != "The fence is broken" {
		t.Errorf("points %q", pts)
	}
}
