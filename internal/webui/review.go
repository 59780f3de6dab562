package webui

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// The review pages are where a manager writes what the annual report
// needs besides figures: the self-assessment against the Code, one
// section at a time; the service improvements; and the governing body's
// response. Each form saves on its own, so nothing typed waits on the
// rest.

// reviewYear reads the year from the query or the form; none is the
// current reporting year.
func (s *Server) reviewYear(v string) (report.Year, error) {
	if v == "" {
		return report.YearOf(calendar.DateOf(s.Now())), nil
	}
	n, err := strconv.Atoi(v)
	if err == nil {
		err = report.CheckYear(report.Year(n))
	}
	if err != nil {
		return 0, complaint.InvalidField("year", "%q is not a reporting year: want one such as 2026", v)
	}
	return report.Year(n), nil
}

// sectionProgress is one section of the Code on the review page.
type sectionProgress struct {
	report.CodeSection
	Assessed, Total int
	URL             string
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	y, err := s.reviewYear(r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, y, nil, nil, r.URL.Query().Get("saved"))
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, y report.Year, form url.Values, errs []fieldError, saved string) error {
	rv, err := s.Store.Review(r.Context(), y)
	if err != nil {
		return err
	}
	var sections []sectionProgress
	for _, sec := range report.CodeSections() {
		sp := sectionProgress{CodeSection: sec, URL: fmt.Sprintf("/reports/review/section/%d?year=%d", sec.Number, int(y))}
		for _, p := range report.CodeProvisions() {
			if p.Section == sec.Number {
				sp.Total++
				if _, ok := rv.Find(p.Number); ok {
					sp.Assessed++
				}
			}
		}
		sections = append(sections, sp)
	}
	member, err := s.Store.ComplaintsMember(r.Context(), y)
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{}
		if rv.Response.Text != "" {
			form.Set("text", rv.Response.Text)
			form.Set("date", rv.Response.Date.String())
		}
	}
	if _, typed := form["member"]; !typed {
		form.Set("member", member.Name)
	}
	s.render(w, r, status, "review", map[string]any{
		"Title": "Annual review " + y.String(), "Nav": "reports", "Year": y, "YearValue": int(y), "Review": rv,
		"Sections": sections, "Errors": errs, "Saved": saved,
		"YearField":        newSelect("year", "Reporting year", "1 April to 31 March", strconv.Itoa(int(y)), s.yearOptions(y), nil),
		"ResponseField":    rows(newField("text", "The governing body's response", "As agreed by the board; it is published with the annual report", form, errs), 8),
		"DateField":        withClass(newField("date", "Date the governing body agreed it", "For example, 2027-06-24", form, errs), "govuk-input--width-10"),
		"ServiceAreaField": newField("service_area", "Service area", "Optional", form, errs),
		"YouSaidField":     rows(newField("you_said", "You said", "What residents told us, with no names", form, errs), 3),
		"WeDidField":       rows(newField("we_did", "We did", "What we changed", form, errs), 3),
		"PackURL":          fmt.Sprintf("/reports/pack?period=%d", int(y)),
		"Member":           member,
		"MemberField":      newField("member", "Member Responsible for Complaints", "The member of the governing body the Code (9.5) asks to take lead responsibility for complaints, named in the annual report. Leave it empty if none is appointed", form, errs),
	})
	return nil
}

// withClass and rows adjust a field for the page: its width, its height.
func withClass(f formField, class string) formField { f.Class = class; return f }
func rows(f formField, n int) formField             { f.Rows = n; return f }

// redirectSaved sends the browser back to the review page after a save,
// so reloading it does not post again.
func redirectSaved(w http.ResponseWriter, r *http.Request, y report.Year, what, anchor string) {
	http.Redirect(w, r, fmt.Sprintf("/reports/review?year=%d&saved=%s#%s", int(y), url.QueryEscape(what), anchor), http.StatusSeeOther)
}

func (s *Server) setResponse(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	y, err := s.reviewYear(r.PostForm.Get("year"))
	if err != nil {
		return err
	}
	resp := report.Response{Text: strings.TrimSpace(r.PostForm.Get("text"))}
	var errs []fieldError
	if d := strings.TrimSpace(r.PostForm.Get("date")); d != "" {
		if resp.Date, err = calendar.ParseDate(d); err != nil {
			errs = append(errs, fieldError{"date", "Enter the date as year, month and day, like 2027-06-24"})
		}
	}
	if len(errs) == 0 {
		err = s.Store.SetResponse(r.Context(), y, resp, userOf(r).Email, s.Now())
		if e, ok := domainErrors(err, "text"); ok {
			errs = e
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderReview(w, r, http.StatusBadRequest, y, r.PostForm, errs, "")
	}
	s.Log.Info("governing body response recorded", "year", int(y), "user_id", userOf(r).ID)
	redirectSaved(w, r, y, "response", "response")
	return nil
}

// setComplaintsMember names the year's Member Responsible for
// Complaints, whom the annual report names (Code 9.5).
func (s *Server) setComplaintsMember(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	y, err := s.reviewYear(r.PostForm.Get("year"))
	if err != nil {
		return err
	}
	err = s.Store.SetComplaintsMember(r.Context(), report.ComplaintsMember{Year: y, Name: strings.TrimSpace(r.PostForm.Get("member")),
		UpdatedBy: signer(userOf(r)), UpdatedAt: s.Now()})
	if errs, ok := domainErrors(err, "member"); ok {
		return s.renderReview(w, r, http.StatusBadRequest, y, r.PostForm, errs, "")
	} else if err != nil {
		return err
	}
	s.Log.Info("member responsible for complaints recorded", "year", int(y), "user_id", userOf(r).ID)
	redirectSaved(w, r, y, "member", "complaints-member")
	return nil
}

func (s *Server) addImprovement(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	y, err := s.reviewYear(r.PostForm.Get("year"))
	if err != nil {
		return err
	}
	im := report.Improvement{
		ServiceArea: strings.TrimSpace(r.PostForm.Get("service_area")),
		YouSaid:     strings.TrimSpace(r.PostForm.Get("you_said")),
		WeDid:       strings.TrimSpace(r.PostForm.Get("we_did")),
	}
	_, err = s.Store.AddImprovement(r.Context(), y, im, userOf(r).Email, s.Now())
	if errs, ok := domainErrors(err, "you_said"); ok {
		return s.renderReview(w, r, http.StatusBadRequest, y, r.PostForm, errs, "")
	} else if err != nil {
		return err
	}
	s.Log.Info("service improvement recorded", "year", int(y), "user_id", userOf(r).ID)
	redirectSaved(w, r, y, "improvement", "improvements")
	return nil
}

func (s *Server) removeImprovement(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	y, err := s.reviewYear(r.PostForm.Get("year"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no improvement %q", r.PathValue("id"))
	}
	if err := s.Store.RemoveImprovement(r.Context(), y, id); err != nil {
		return err
	}
	s.Log.Info("service improvement removed", "year", int(y), "id", id, "user_id", userOf(r).ID)
	redirectSaved(w, r, y, "removed", "improvements")
	return nil
}

// provisionForm is one provision's part of a section's form.
type provisionForm struct {
	report.Provision
	Prefix             string // the form's field names start with it: "p6.2."
	Complies           string
	ChoiceError        string
	Evidence, Comments formField
}

func (s *Server) sectionOf(r *http.Request) (report.CodeSection, []report.Provision, error) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	for _, sec := range report.CodeSections() {
		if sec.Number == n {
			var ps []report.Provision
			for _, p := range report.CodeProvisions() {
				if p.Section == n {
					ps = append(ps, p)
				}
			}
			return sec, ps, nil
		}
	}
	return report.CodeSection{}, nil, complaint.Errorf(complaint.NotFound, "the Code has no section %q", r.PathValue("n"))
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) error {
	sec, ps, err := s.sectionOf(r)
	if err != nil {
		return err
	}
	y, err := s.reviewYear(r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	rv, err := s.Store.Review(r.Context(), y)
	if err != nil {
		return err
	}
	form := url.Values{}
	for _, p := range ps {
		if a, ok := rv.Find(p.Number); ok {
			form.Set("p"+p.Number+".complies", a.Complies)
			form.Set("p"+p.Number+".evidence", a.Evidence)
			form.Set("p"+p.Number+".commentary", a.Commentary)
		}
	}
	return s.renderAssessment(w, r, http.StatusOK, y, sec, ps, form, nil)
}

func (s *Server) renderAssessment(w http.ResponseWriter, r *http.Request, status int, y report.Year, sec report.CodeSection, ps []report.Provision, form url.Values, errs []fieldError) error {
	var pfs []provisionForm
	for _, p := range ps {
		pre := "p" + p.Number + "."
		pf := provisionForm{Provision: p, Prefix: pre, Complies: form.Get(pre + "complies"),
			Evidence: newField(pre+"evidence", "Evidence", "Where it is shown: a policy section, a page, a report", form, errs),
			Comments: newField(pre+"commentary", "Commentary", "Required if it is not fully met: why, and by when it will be", form, errs),
		}
		pf.Evidence.Rows, pf.Comments.Rows = 2, 2
		for _, e := range errs {
			if e.Field == pre+"complies" {
				pf.ChoiceError = e.Message
			}
		}
		pfs = append(pfs, pf)
	}
	s.render(w, r, status, "review-section", map[string]any{
		"Title": fmt.Sprintf("Section %d: %s", sec.Number, sec.Title), "Nav": "reports", "Year": y, "YearValue": int(y),
		"Section": sec, "Provisions": pfs, "Errors": errs, "Compliance": []option{{"yes", "Yes"}, {"partly", "Partly"}, {"no", "No"}},
		"Action": fmt.Sprintf("/reports/review/section/%d", sec.Number),
	})
	return nil
}

// saveAssessments saves the provisions of one section that have an
// answer. A provision with words but no answer is an error, not quietly
// dropped.
func (s *Server) saveAssessments(w http.ResponseWriter, r *http.Request) error {
	sec, ps, err := s.sectionOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	y, err := s.reviewYear(r.PostForm.Get("year"))
	if err != nil {
		return err
	}
	var as []report.Assessment
	var errs []fieldError
	for _, p := range ps {
		pre := "p" + p.Number + "."
		a := report.Assessment{Provision: p.Number, Complies: r.PostForm.Get(pre + "complies"),
			Evidence: strings.TrimSpace(r.PostForm.Get(pre + "evidence")), Commentary: strings.TrimSpace(r.PostForm.Get(pre + "commentary"))}
		if a.Complies == "" {
			if a.Evidence != "" || a.Commentary != "" {
				errs = append(errs, fieldError{pre + "complies", fmt.Sprintf("Provision %s: choose whether it is met", p.Number)})
			}
			continue
		}
		as = append(as, a)
	}
	if len(errs) == 0 {
		err = s.Store.SaveAssessments(r.Context(), y, as, userOf(r).Email, s.Now())
		var e *complaint.Error
		if errors.As(err, &e) && e.Code == complaint.Invalid {
			// The store names fields "6.2.commentary"; the form "p6.2.commentary".
			for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
				i := strings.LastIndex(k, ".")
				errs = append(errs, fieldError{"p" + k, fmt.Sprintf("Provision %s: %s %s", k[:max(i, 0)], k[i+1:], e.Fields[k])})
			}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderAssessment(w, r, http.StatusBadRequest, y, sec, ps, r.PostForm, errs)
	}
	s.Log.Info("self-assessment saved", "year", int(y), "section", sec.Number, "provisions", len(as), "user_id", userOf(r).ID)
	redirectSaved(w, r, y, fmt.Sprintf("section %d", sec.Number), "self-assessment")
	return nil
}
