package webui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// registerCSV is a small register: a rental tenancy whose tenant's email
// is known, a shared ownership one, and a leasehold one ended in 2025.
const registerCSV = "H1,100000001,1 Quay Court,,,Riverside,RV1 1AA,T-1,General needs,01/04/2020,,Ada Resident,ada@example.org,\n" +
	"H2,100000002,2 Quay Court,,,Riverside,RV1 1AA,T-2,Shared ownership,01/04/2021,,Ben Owner,ben@example.org,\n" +
	"H3,100000003,3 Quay Court,,,Riverside,RV1 1AA,T-3,Leasehold,01/04/2015,2025-06-30,Cy Lessee,,\n"

// importRegister imports registerCSV straight into the store.
func (s *site) importRegister() {
	s.t.Helper()
	f, err := tenancy.ReadCSV(strings.NewReader(tenancy.Template()+registerCSV), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		s.t.Fatalf("%v %v", err, f.Errors)
	}
	if _, err := s.st.ImportRegister(context.Background(), f, store.RegisterImport{By: "admin@example.org", At: s.now}, nil); err != nil {
		s.t.Fatal(err)
	}
}

// A case logged for a tenant the register knows (newCase's complainant
// is ada@example.org) shows its tenancy as a suggestion, which changes
// nothing until an officer confirms it on the case page; confirming sets
// the tenure and address, and the timeline shows each change. A viewer
// sees the suggestion but no button.
func TestASuggestedTenancyIsConfirmedOnTheCasePage(t *testing.T) {
	s := newSite(t)
	s.importRegister()
	ref := s.newCase("officer", "Window not repaired", false)
	officer := s.signIn("officer")

	_, page := s.get(officer, "/cases/"+ref)
	text := pageText(page)
	for _, want := range []string{"Tenancy T-1 Suggested", "Home 1 Quay Court Riverside, RV1 1AA", "Found by email address", "Confirm tenancy T-1", "Tenure Not recorded"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page does not say %q:\n%s", want, text)
		}
	}
	if _, viewerPage := s.get(s.signIn("viewer"), "/cases/"+ref); !strings.Contains(pageText(viewerPage), "Tenancy T-1 Suggested") || strings.Contains(viewerPage, "Confirm tenancy") {
		t.Errorf("a viewer should see the suggestion without a way to confirm it")
	}

	// A tenancy the register does not have is named on its field.
	resp, page := s.post(officer, "/cases/"+ref+"/tenancy", url.Values{"version": {"1"}, "ref": {"T-404"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `href="#tenancy-ref"`) || !strings.Contains(pageText(page), "no tenancy T-404 in the register") {
		t.Fatalf("an unknown tenancy: %d\n%s", resp.StatusCode, pageText(page))
	}
	resp, _ = s.post(officer, "/cases/"+ref+"/tenancy", url.Values{"version": {"1"}, "ref": {"T-1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming: %d", resp.StatusCode)
	}
	c := s.caseNow(ref)
	if c.Tenancy == nil || !c.Tenancy.Confirmed || c.Tenancy.MatchedBy != "email" || c.Tenure != "low_cost_rental" ||
		c.Complainant.Address != "1 Quay Court\nRiverside" || c.Complainant.Postcode != "RV1 1AA" || c.Complainant.TenancyRef != "T-1" {
		t.Fatalf("after confirming: %+v tenure %q complainant %+v", c.Tenancy, c.Tenure, c.Complainant)
	}
	_, page = s.get(officer, resp.Header.Get("Location"))
	text = pageText(page)
	for _, want := range []string{"The case is matched to tenancy T-1", "Tenancy T-1 Confirmed", "Tenure Low-cost rental", "changed to Low-cost rental"} {
		if !strings.Contains(text, want) {
			t.Errorf("after confirming, the case page does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(page, "Confirm tenancy") {
		t.Errorf("a confirmed tenancy is offered for confirmation again")
	}

	// Another tenancy may be chosen by its reference, and the match
	// removed.
	if resp, _ := s.post(officer, "/cases/"+ref+"/tenancy", url.Values{"version": {"2"}, "ref": {"t-2"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing another: %d", resp.StatusCode)
	}
	if c := s.caseNow(ref); c.Tenancy.Ref != "T-2" || c.Tenancy.MatchedBy != complaint.MatchedByOfficer || c.Tenure != "low_cost_home_ownership" {
		t.Errorf("after choosing T-2: %+v tenure %q", c.Tenancy, c.Tenure)
	}
	if resp, _ := s.post(officer, "/cases/"+ref+"/tenancy", url.Values{"version": {"3"}, "clear": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("clearing: %d", resp.StatusCode)
	}
	if c := s.caseNow(ref); c.Tenancy != nil || c.Tenure != "low_cost_home_ownership" {
		t.Errorf("after clearing: %+v tenure %q (the tenure stays until corrected)", c.Tenancy, c.Tenure)
	}
}

// The new contact page searches the register with a GET form of its own,
// and a tenancy found fills in the contact's tenancy reference, tenure,
// address and postcode.
func TestOfficersSearchTheRegisterFromTheNewContactPage(t *testing.T) {
	s := newSite(t)
	s.importRegister()
	officer := s.signIn("officer")
	for q, want := range map[string][]string{
		"t-2": {"T-2"}, "rv1 1aa": {"T-1", "T-2", "T-3"}, "ben@example.org": {"T-2"}, "lessee": {"T-3"},
	} {
		resp, page := s.get(officer, "/cases/new?"+url.Values{"register_q": {q}}.Encode())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("searching %q: %d", q, resp.StatusCode)
		}
		for _, ref := range []string{"T-1", "T-2", "T-3"} {
			link := `href="/cases/new?tenancy=` + ref + `"`
			if found := strings.Contains(page, link); found != contains(want, ref) {
				t.Errorf("searching %q: link to use %s shown %v, want %v", q, ref, found, !found)
			}
		}
	}
	if _, page := s.get(officer, "/cases/new?register_q=nobody"); !strings.Contains(pageText(page), "No tenancy in the register matches") {
		t.Errorf("a search that finds nothing does not say so")
	}
	if resp, page := s.get(officer, "/cases/new?register_q="); resp.StatusCode != http.StatusOK || !strings.Contains(page, `href="#register-q"`) {
		t.Errorf("an empty search is not named on its field: %d", resp.StatusCode)
	}
	_, page := s.get(officer, "/cases/new?tenancy=T-2")
	for _, want := range []string{`name="complainant.tenancy_ref" type="text" value="T-2"`, `value="RV1 1AA"`, `value="low_cost_home_ownership" checked`, "2 Quay Court\nRiverside</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("using T-2 does not fill in %q", want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// postHomesFile sends a homes file to the import page.
func (s *site) postHomesFile(c *http.Client, action, csv string, fields map[string]string) (*http.Response, string) {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("action", action)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", "homes.csv")
	if err != nil {
		s.t.Fatal(err)
	}
	fw.Write([]byte(csv))
	mw.Close()
	req, err := http.NewRequest("POST", s.srv.URL+"/admin/homes", &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// The import page checks a file without changing anything, refuses one
// with problems naming each row by line and column, imports with the
// landlord's own headers mapped, and offers the template.
func TestTheHomesImportPageChecksThenImports(t *testing.T) {
	s := newSite(t)
	manager := s.signIn("manager")
	resp, page := s.get(manager, "/admin/homes/template.csv")
	if resp.StatusCode != http.StatusOK || page != tenancy.Template() || !strings.Contains(resp.Header.Get("Content-Disposition"), "homes-template.csv") {
		t.Errorf("the template: %d %q", resp.StatusCode, page)
	}

	bad := tenancy.Template() + strings.Replace(registerCSV, "RV1 1AA,T-2", "not a postcode,T-2", 1)
	resp, page = s.postHomesFile(manager, "check", bad, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText(page), "3 postcode") || !strings.Contains(page, `id="import-refused"`) {
		t.Fatalf("a bad row: %d, want 400 naming line 3, column postcode\n%s", resp.StatusCode, pageText(page))
	}

	// The landlord's export calls the tenancy reference "Tenancy No".
	mapped := strings.Replace(tenancy.Template(), "tenancy_ref", "Tenancy No", 1) + registerCSV
	resp, page = s.postHomesFile(manager, "check", mapped, map[string]string{"map.tenancy_ref": "Tenancy No"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(pageText(page), "Importing it would add 3 homes and 3 tenancies") {
		t.Fatalf("the dry run: %d\n%s", resp.StatusCode, pageText(page))
	}
	if _, _, err := s.st.GetTenancy(context.Background(), "T-1"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Fatalf("a dry run imported: %v", err)
	}
	resp, page = s.postHomesFile(manager, "import", mapped, map[string]string{"map.tenancy_ref": "Tenancy No"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(pageText(page), "Added 3 homes and 3 tenancies") {
		t.Fatalf("the import: %d\n%s", resp.StatusCode, pageText(page))
	}
	if _, _, err := s.st.GetTenancy(context.Background(), "T-1"); err != nil {
		t.Fatalf("after the import: %v", err)
	}
	if _, page := s.postHomesFile(manager, "import", mapped, map[string]string{"map.tenancy_ref": "Tenancy No"}); !strings.Contains(pageText(page), "Added 0 homes and 0 tenancies") {
		t.Errorf("importing again changed something:\n%s", pageText(page))
	}
	if resp, _ := s.postHomesFile(s.signIn("officer"), "import", mapped, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer importing: %d, want 403", resp.StatusCode)
	}
}

// Homes by tenure for a reporting year can be taken from the register
// as of 31 March at its end: the leasehold tenancy, and any that ended
// before then, are not counted.
func TestHomesByTenureAreTakenFromTheRegister(t *testing.T) {
	s := newSite(t)
	s.importRegister()
	manager := s.signIn("manager")
	_, page := s.get(manager, "/reports/homes?year=2026")
	if !strings.Contains(pageText(page), "Take from the register as of 31 March 2027") {
		t.Fatalf("the homes page has no button to take them from the register:\n%s", pageText(page))
	}
	resp, page := s.post(manager, "/reports/homes/register", url.Values{"year": {"2026"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(pageText(page), "Homes recorded for 2026") {
		t.Fatalf("taking homes from the register: %d\n%s", resp.StatusCode, pageText(page))
	}
	h, ok, err := s.st.HomesIn(context.Background(), 2026)
	if err != nil || !ok || h.LowCostRental != 1 || h.LowCostHomeOwnership != 1 {
		t.Errorf("homes recorded: %+v %v %v", h, ok, err)
	}
	if resp, _ := s.post(manager, "/reports/homes/register", url.Values{"year": {"1999"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a year the register has nothing for: %d, want 400", resp.StatusCode)
	}
}
