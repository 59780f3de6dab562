package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// caseAbout logs a complaint through the store with a service area and
// categories, as they were typed before the lists were kept.
func (s *site) caseAbout(area string, cats ...string) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	recv := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"}, Summary: "About " + area,
			ServiceArea: area, Categories: cats},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Reference
}

// entryID returns the id of the list's entry named name.
func (s *site) entryID(list, name string) string {
	s.t.Helper()
	es, err := s.st.Picklist(context.Background(), list)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, e := range es {
		if e.Name == name {
			return strconv.FormatInt(e.ID, 10)
		}
	}
	s.t.Fatalf("%q is not on the %s list", name, list)
	return ""
}

// Managers keep the lists on /admin/lists: seeded from the values on
// cases, added to, renamed, retired and merged, a duplicate refused on
// its field, and every change listed with who made it. Officers may not.
func TestManagersKeepTheListsAndEveryChangeIsListed(t *testing.T) {
	s := newSite(t)
	s.caseAbout("Repairs", "contractor", "damp")
	s.caseAbout("Estates", "contractor conduct")
	manager := s.signIn("manager")

	resp, page := s.get(manager, "/admin/lists")
	if resp.StatusCode != http.StatusOK || !strings.Contains(pageText(page), "The lists are empty") {
		t.Fatalf("the empty lists: %d, want 200 saying they are empty", resp.StatusCode)
	}
	if resp, _ := s.get(s.signIn("officer"), "/admin/lists"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer opening the lists: %d, want 403", resp.StatusCode)
	}

	steps := []struct {
		what, path string
		form       url.Values
	}{
		{"seed from the cases", "/admin/lists/seed", nil},
		{"add noise", "/admin/lists/add", url.Values{"list": {"categories"}, "add.categories.name": {"noise"}}},
		{"rename noise", "/admin/lists/rename", url.Values{"id": {"NOISE"}, "rename.NOISE.name": {"Noise nuisance"}}},
		{"retire damp", "/admin/lists/retire", url.Values{"id": {"DAMP"}}},
		{"merge contractor into contractor conduct", "/admin/lists/merge", url.Values{"list": {"categories"}, "merge.categories.from": {"CONTRACTOR"}, "merge.categories.into": {"CONDUCT"}}},
	}
	for _, st := range steps {
		form := url.Values{}
		for k, vs := range st.form {
			for _, v := range vs {
				for _, ph := range []struct{ key, name string }{{"NOISE", "noise"}, {"DAMP", "damp"}, {"CONTRACTOR", "contractor"}, {"CONDUCT", "contractor conduct"}} {
					if strings.Contains(k+v, ph.key) {
						id := s.entryID(store.ListCategories, ph.name)
						k, v = strings.ReplaceAll(k, ph.key, id), strings.ReplaceAll(v, ph.key, id)
					}
				}
				form.Add(k, v)
			}
		}
		if resp, page := s.post(manager, st.path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d, want 303\n%s", st.what, resp.StatusCode, pageText(page))
		}
	}

	resp, page = s.post(manager, "/admin/lists/add", url.Values{"list": {"categories"}, "add.categories.name": {" Contractor  Conduct "}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, `id="add-categories-name-error"`) || !strings.Contains(page, `href="#add-categories-name"`) {
		t.Errorf("adding a name the list has: %d, want 409 with the error on the new category's field", resp.StatusCode)
	}
	resp, page = s.post(manager, "/admin/lists/add", url.Values{"list": {"service_area"}, "add.service_area.name": {""}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText(page), "Enter a name") || !strings.Contains(page, `id="add-service-area-name-error"`) {
		t.Errorf("adding a blank name: %d, want 400 asking for a name on its field", resp.StatusCode)
	}

	// The management report's themes count the merged categories as one
	// row: the two cases about a contractor are both "contractor conduct".
	_, page = s.get(manager, "/reports/management")
	rows := tableOf(t, page, "Contacts by category")
	var labels []string
	for _, r := range rows[1:] {
		labels = append(labels, strings.Join(r, " "))
	}
	if !slices.Contains(labels, "contractor conduct 2") || slices.ContainsFunc(labels, func(l string) bool {
		return strings.HasPrefix(l, "contractor ") && !strings.HasPrefix(l, "contractor conduct")
	}) {
		t.Errorf("the management report's categories after the merge = %q, want one row of 2 for contractor conduct", labels)
	}

	_, page = s.get(manager, "/admin/lists")
	text := pageText(page)
	for _, want := range []string{
		"Repairs Offered", "Estates Offered", "contractor conduct contractor Offered", "Noise nuisance noise Offered",
		"damp Retired", "contractor Merged into contractor conduct",
		"manager@example.org Categories Merge: contractor merged into contractor conduct",
		"manager@example.org Categories Retire: damp", "manager@example.org Categories Rename: noise renamed Noise nuisance",
		"manager@example.org Categories Add: noise", "manager@example.org Service areas Seed: Repairs (already on cases)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the lists page does not say %q:\n%s", want, text)
		}
	}
}

// Where the lists are kept, a contact is logged with a service area and
// categories chosen from them: the page offers a select and checkboxes,
// a value off the list is refused naming the field, and a listed one is
// saved as the list spells it. A case's value retired from the list is
// still shown on its details page and kept when other details change.
func TestLoggingAContactChoosesFromTheLists(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	old := s.caseAbout("Gardens", "hedges")
	for _, e := range []struct{ list, name string }{{"service_area", "Repairs"}, {"service_area", "Gardens"}, {"categories", "damp"}, {"categories", "hedges"}, {"categories", "noise"}} {
		if _, err := s.st.AddPicklistEntry(ctx, e.list, e.name, "manager@example.org", s.now); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []struct{ list, name string }{{"service_area", "Gardens"}, {"categories", "hedges"}} {
		id, _ := strconv.ParseInt(s.entryID(e.list, e.name), 10, 64)
		if err := s.st.RetirePicklistEntry(ctx, id, "manager@example.org", s.now); err != nil {
			t.Fatal(err)
		}
	}
	officer := s.signIn("officer")

	_, page := s.get(officer, "/cases/new")
	for _, want := range []string{`<select class="govuk-select" id="service-area" name="service_area"`, `<option value="Repairs">Repairs</option>`,
		`name="categories" type="checkbox" value="damp"`, `name="categories_picklist" value="yes"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the log-a-contact page has no %s", want)
		}
	}
	if strings.Contains(page, `value="Gardens"`) || strings.Contains(page, `value="hedges"`) {
		t.Error("the log-a-contact page offers a retired entry")
	}

	contact := func(area string, cats ...string) url.Values {
		return url.Values{"kind": {"complaint"}, "channel": {"phone"}, "received.day": {"20"}, "received.month": {"11"}, "received.year": {"2026"},
			"complainant.name": {"Bea Resident"}, "complainant.phone": {"0191 496 0001"}, "summary": {"Damp in the bedroom"},
			"service_area": {area}, "categories": cats, "categories_picklist": {"yes"}}
	}
	resp, page := s.post(officer, "/cases/new", contact("Plumbing", "damp"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="service-area-error"`) || !strings.Contains(pageText(page), `"Plumbing" is not on the list of service areas`) {
		t.Errorf("an unlisted service area: %d, want 400 naming the service area", resp.StatusCode)
	}
	resp, page = s.post(officer, "/cases/new", contact("Repairs", "hedges"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="categories-error"`) || !strings.Contains(pageText(page), `Category "hedges" is not on the list of categories`) {
		t.Errorf("a retired category: %d, want 400 naming the categories", resp.StatusCode)
	}
	if resp, page := s.post(officer, "/cases/new", contact("repairs", "damp", "noise")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("listed values: %d, want 303\n%s", resp.StatusCode, pageText(page))
	}
	cases, _, err := s.st.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Q: "Damp in the bedroom"})
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases %v, %v: want the one logged", cases, err)
	}
	if c := cases[0]; c.ServiceArea != "Repairs" || !slices.Equal(c.Categories, []string{"damp", "noise"}) {
		t.Errorf("logged with %q %q, want Repairs [damp noise] as the list spells them", c.ServiceArea, c.Categories)
	}

	// The old case's retired values are shown, chosen, and kept.
	_, page = s.get(officer, "/cases/"+old+"/details")
	for _, want := range []string{`<option value="Gardens" selected>Gardens (not on the list)</option>`, `value="hedges" checked>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the details page of a case with retired values has no %s", want)
		}
	}
	resp, _ = s.post(officer, "/cases/"+old+"/details", url.Values{"version": {"1"}, "summary": {"About the hedge"}, "complainant.name": {"Ada Resident"},
		"complainant.email": {"ada@example.org"}, "service_area": {"Gardens"}, "categories": {"hedges", "noise"}, "categories_picklist": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("changing the details of a case with retired values: %d, want 303; log:\n%s", resp.StatusCode, s.log)
	}
	if c := s.caseNow(old); c.ServiceArea != "Gardens" || !slices.Equal(c.Categories, []string{"hedges", "noise"}) || c.Summary != "About the hedge" {
		t.Errorf("after the correction: %q %q %q, want Gardens kept and [hedges noise]", c.Summary, c.ServiceArea, c.Categories)
	}
	resp, _ = s.post(officer, "/cases/"+old+"/details", url.Values{"version": {"2"}, "summary": {"About the hedge"}, "complainant.name": {"Ada Resident"},
		"complainant.email": {"ada@example.org"}, "service_area": {"Plumbing"}, "categories": {"hedges"}, "categories_picklist": {"yes"}})
	if resp.StatusCode != http.StatusBadRequest || s.caseNow(old).ServiceArea != "Gardens" {
		t.Errorf("changing to an unlisted service area: %d, want 400 and nothing changed", resp.StatusCode)
	}
}

// An apology or compensation is marked done on the case page with the day
// it was sent or paid: a day after today is refused on that remedy's own
// field, and a day before is kept and shown on the case.
func TestCompensationIsMarkedPaidWithThePaymentDate(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "The repair was late", false)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	env := complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal}
	for _, cmd := range []complaint.Command{
		complaint.Acknowledge{Points: []string{"The repair was late"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It was late."}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For the delay", AmountPence: 5000, CompensationKind: "goodwill"}}},
	} {
		if _, err := s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			env.NewReference = nr
			return complaint.Decide(c, cmd, env)
		}); err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
	}
	officer := s.signIn("officer")
	_, page := s.get(officer, "/cases/"+ref)
	if !strings.Contains(page, `id="remedy-1-paid-on"`) || !strings.Contains(pageText(page), "Date remedy 1 was paid") {
		t.Fatal("the case page asks no payment date for the compensation")
	}
	tomorrow := s.now.AddDate(0, 0, 1)
	version := strconv.Itoa(s.caseNow(ref).Version)
	paid := func(d time.Time) url.Values {
		return url.Values{"version": {version}, "paid_on.day": {strconv.Itoa(d.Day())}, "paid_on.month": {strconv.Itoa(int(d.Month()))}, "paid_on.year": {strconv.Itoa(d.Year())}}
	}
	resp, page := s.post(officer, "/cases/"+ref+"/remedies/1/done", paid(tomorrow))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="remedy-1-paid-on-error"`) || !strings.Contains(pageText(page), "is after today") {
		t.Errorf("paid tomorrow: %d, want 400 on the remedy's date field", resp.StatusCode)
	}
	if s.caseNow(ref).Remedies[0].Done {
		t.Error("a refused payment date marked the remedy done")
	}
	if resp, page := s.post(officer, "/cases/"+ref+"/remedies/1/done", paid(s.now)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("paid today: %d, want 303\n%s", resp.StatusCode, pageText(page))
	}
	r := s.caseNow(ref).Remedies[0]
	if !r.Done || r.PaidOn.String() != s.now.Format("2006-01-02") {
		t.Errorf("remedy after marking it paid: done %v, paid on %s", r.Done, r.PaidOn)
	}
	_, page = s.get(officer, "/cases/"+ref)
	if !strings.Contains(pageText(page), "Paid "+s.now.Format("2 January 2006")) {
		t.Errorf("the case page does not show the payment date")
	}
}
