package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) newCasePage(w http.ResponseWriter, r *http.Request) error {
	now := s.Now().In(calendar.London)
	form := url.Values{
		"kind": {"complaint"}, "channel": {"phone"},
		"received.day": {strconv.Itoa(now.Day())}, "received.month": {strconv.Itoa(int(now.Month()))},
		"received.year": {strconv.Itoa(now.Year())}, "received.time": {now.Format("15:04")},
	}
	// The register's search and the tenancy chosen from it
	// (case_new_register.go).
	reg, errs, err := s.registerFromQuery(r.Context(), r.URL.Query(), form)
	if err != nil {
		return err
	}
	return s.renderNewCasePage(w, r, http.StatusOK, form, errs, nil, reg)
}

func (s *Server) renderNewCase(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []fieldError, dups []complaint.Case) error {
	return s.renderNewCasePage(w, r, status, form, errs, dups, registerSearch{})
}

// renderNewCasePage shows the log-a-contact form. The service area and
// categories are chosen from the lists managers keep (lists.go), or typed
// where a list is not kept yet.
func (s *Server) renderNewCasePage(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []fieldError, dups []complaint.Case, reg registerSearch) error {
	pl, err := s.casePicklists(r, "", form.Get("service_area"), formCategories(form, commaList))
	if err != nil {
		return err
	}
	s.render(w, r, status, "case-new", map[string]any{
		"Title": "Log a contact", "Nav": "new", "Form": form, "Errors": errs, "Duplicates": dups, "Restrictions": s.newContactRestrictions(r, form),
		"Channels":  []complaint.Channel{"phone", "in_person", "letter", "social_media", "email", "web"},
		"NamedOnly": s.Policy.Confidential.NamedViewersOnly, "Register": reg, "Picklists": pl,
	})
	return nil
}

// newCaseFields is the order of the log-a-contact form's fields.
var newCaseFields = []string{"kind", "channel", "received_at", "complainant.name", "complainant.email", "complainant.phone",
	"complainant.address", "complainant.postcode", "complainant.tenancy_ref", "tenure", "representative.name",
	"representative.relationship", "representative.email", "representative.phone", "summary", "description",
	"desired_outcome", "service_area", "categories", "adjustments", "vulnerabilities", "line_manager"}

func fieldOrder(field string) int {
	for i, f := range newCaseFields {
		if field == f || strings.HasPrefix(field, f+"[") {
			return i
		}
	}
	return len(newCaseFields)
}

// receivedAt reads the GOV.UK date input (readDate, as every date on the
// staff pages) and a time.
func receivedAt(form url.Values) (time.Time, error) {
	iso, msg := readDate(form, "received", "Date received")
	if msg != "" {
		return time.Time{}, errors.New(strings.TrimPrefix(msg, "Date received "))
	}
	if iso == "" || calendar.MustParseDate(iso).Year() < 2000 {
		return time.Time{}, errors.New("must be a real date, like 23 11 2026")
	}
	d := calendar.MustParseDate(iso)
	hm := strings.TrimSpace(form.Get("received.time"))
	if hm == "" {
		hm = "09:00"
	}
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return time.Time{}, fmt.Errorf("time must be like 14:30")
	}
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, calendar.London), nil
}

func (s *Server) newCase(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := r.PostForm
	var errs []fieldError
	received, err := receivedAt(form)
	if err != nil {
		errs = append(errs, fieldError{"received_at", "Date received " + err.Error()})
	}
	kind := complaint.Kind(form.Get("kind"))
	// Staff may treat expressed dissatisfaction as a complaint whatever
	// the contact was first logged as: the resident never has to use the
	// word.
	if form.Get("dissatisfied") == "yes" && kind != complaint.KindComplaint {
		kind = complaint.KindComplaint
	}
	cmd := complaint.Create{
		Kind: kind, Channel: complaint.Channel(form.Get("channel")), ReceivedAt: &received,
		Complainant: complaint.Person{
			Name: form.Get("complainant.name"), Email: strings.TrimSpace(form.Get("complainant.email")),
			Phone: form.Get("complainant.phone"), Address: form.Get("complainant.address"),
			Postcode: form.Get("complainant.postcode"), TenancyRef: form.Get("complainant.tenancy_ref"),
		},
		Summary: form.Get("summary"), Description: form.Get("description"), DesiredOutcome: form.Get("desired_outcome"),
		ServiceArea: form.Get("service_area"), Categories: formCategories(form, commaList),
		Tenure: complaint.Tenure(form.Get("tenure")), HealthAndSafety: form.Get("health_and_safety") == "yes",
		Confidential: form.Get("confidential") == "yes", LineManager: strings.TrimSpace(form.Get("line_manager")),
		Adjustments: lines(form.Get("adjustments")), Vulnerabilities: lines(form.Get("vulnerabilities")),
		ResponseMethod: complaint.ResponseMethod(form.Get("response_method")),
		Member:         memberFromForm(kind, form),
	}
	if name := strings.TrimSpace(form.Get("representative.name")); name != "" {
		cmd.Representative = &complaint.Representative{
			Name: name, Relationship: form.Get("representative.relationship"),
			ConsentRecorded: form.Get("representative.consent_recorded") == "yes",
			Email:           strings.TrimSpace(form.Get("representative.email")), Phone: form.Get("representative.phone"),
		}
	}
	if len(errs) > 0 {
		return s.renderNewCase(w, r, http.StatusBadRequest, form, errs, nil)
	}
	// Duplicate detection: the same complainant with a case still open.
	if form.Get("confirm_duplicate") != "yes" {
		dups, err := s.openCasesOf(r, cmd.Complainant)
		if err != nil {
			return err
		}
		if len(dups) > 0 {
			return s.renderNewCase(w, r, http.StatusOK, form, nil, dups)
		}
	}
	c, err := s.cases().Create(r.Context(), userOf(r), cmd)
	if errs, ok := domainErrors(err, "kind"); ok {
		for i := range errs {
			if errs[i].Field == "complainant" { // no way to reply: shown by the first of them, the email
				errs[i].Field = "complainant.email"
				errs[i].Message = "Enter an email address, phone number or address, so that we can reply"
			}
			if strings.HasPrefix(errs[i].Field, "categories[") { // shown on the list of categories
				errs[i].Field, errs[i].Message = "categories", "Category "+strings.TrimPrefix(errs[i].Message, humanField(errs[i].Field)+" ")
			}
		}
		// The error summary lists problems in the order of the page.
		slices.SortStableFunc(errs, func(a, b fieldError) int { return fieldOrder(a.Field) - fieldOrder(b.Field) })
		return s.renderNewCase(w, r, http.StatusBadRequest, form, errs, nil)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+c.Reference+"?created=1", http.StatusSeeOther)
	return nil
}

// openCasesOf finds open cases with the same email, phone or tenancy
// reference as the person.
func (s *Server) openCasesOf(r *http.Request, p complaint.Person) ([]complaint.Case, error) {
	seen := map[string]bool{}
	var out []complaint.Case
	for _, key := range []string{p.Email, p.TenancyRef} {
		key = strings.TrimSpace(key)
		if key == "" {
			continue
		}
		cases, _, err := s.Store.ListCases(r.Context(), store.CaseFilter{Viewer: s.viewer(userOf(r)), Q: key, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			same := strings.EqualFold(c.Complainant.Email, p.Email) && p.Email != "" ||
				strings.EqualFold(c.Complainant.TenancyRef, p.TenancyRef) && p.TenancyRef != ""
			if same && c.Status.Open() && !seen[c.Reference] {
				seen[c.Reference] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}
