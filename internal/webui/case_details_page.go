package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// detailsPage is "Correct the details": the case's details on a page of
// their own, so the case page can keep to the next step. The case page's
// inline form sends the same fields to the same address, so either works.
func (s *Server) detailsPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	return s.renderDetails(w, r, http.StatusOK, c, nil, nil)
}

// saveDetails records the corrections as one EditDetails, with the
// version the page showed, and goes back to the case, which shows that
// they were saved. A refused correction shows the page again with what
// was typed, each problem on its field.
func (s *Server) saveDetails(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	next, err := s.cases().Apply(r.Context(), userOf(r), c.Reference, formVersion(r), time.Time{}, detailsCommand(r, c))
	if errs, status, ok := pageErrors(err, "details"); ok {
		for i := range errs {
			if errs[i].Field == "body" {
				errs[i] = fieldError{"details", "Change at least one detail: everything on the form is as the case already has it"}
			}
			if strings.HasPrefix(errs[i].Field, "categories[") { // shown on the list of categories
				errs[i].Field, errs[i].Message = "categories", "Category "+strings.TrimPrefix(errs[i].Message, humanField(errs[i].Field)+" ")
			}
			errs[i].Field = detailsField(errs[i].Field)
		}
		latest, lerr := s.Store.GetCase(r.Context(), c.Reference)
		if lerr != nil {
			return lerr
		}
		return s.renderDetails(w, r, status, latest, errs, r.PostForm)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/cases/"+next.Reference+"?done=details", http.StatusSeeOther)
	return nil
}

// detailsField names a domain field as the details page's field, which
// carries the form's name as the case page's forms do ("details.summary"),
// so that either page shows the error on its field.
func detailsField(field string) string {
	switch field {
	case "details":
		return field // the whole form's
	case "complainant":
		// No way to reply: shown at the first of the ways.
		return "details.complainant.email"
	}
	return "details." + domainFieldToForm(field)
}

// renderDetails shows the details page: the case's details, or what was
// typed with its errors after a refusal.
func (s *Server) renderDetails(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, errs []fieldError, typed url.Values) error {
	active := ""
	if typed != nil {
		active = "details"
	}
	// The lists offer the case's own service area and categories even
	// where they are no longer on them, so that they are shown and kept.
	area, cats := c.ServiceArea, c.Categories
	if typed != nil {
		area, cats = typed.Get("service_area"), formCategories(typed, lines)
	}
	pl, err := s.casePicklists(r, "details-", area, append(slices.Clone(cats), c.Categories...))
	if err != nil {
		return err
	}
	if typed != nil { // what was typed decides which boxes are ticked
		chosen := map[string]bool{}
		for _, v := range cats {
			chosen[store.NameKey(v)] = true
		}
		for i := range pl.Cats {
			pl.Cats[i].Chosen = chosen[store.NameKey(pl.Cats[i].Value)]
		}
	}
	s.render(w, r, status, "case-details", map[string]any{
		"Title": "Correct the details of " + c.Reference, "Nav": "cases", "Case": c, "Errors": errs,
		"Form": detailsForm(c, active, typed), "NamedViewersOnly": s.Policy.Confidential.NamedViewersOnly,
		"Picklists": pl,
	})
	return nil
}

// formVersion is the case version the page showed, which a command is
// applied at so that a change made meanwhile is not overwritten. A form
// without one (0) is applied to the case as it is.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostForm.Get("version"))
	return v
}

// pageErrors turns a refusal into a page's errors and the status to show
// them with: 409 where the case had changed or the rules refuse the step
// as it stands, 400 for what was typed. It is false for any other error,
// which the error page shows.
func pageErrors(err error, form string) ([]fieldError, int, bool) {
	errs, ok := domainErrors(err, form)
	if !ok {
		return nil, 0, false
	}
	switch complaint.ErrorCode(err) {
	case complaint.Conflict, complaint.Stale:
		return errs, http.StatusConflict, true
	}
	return errs, http.StatusBadRequest, true
}
