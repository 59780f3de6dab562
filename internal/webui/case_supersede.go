package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// supersedePage is "Supersede a remedy": an earlier stage's remedy that
// a later stage replaced, say stage 1's compensation found too low at
// stage 2, is marked as no longer owed, with why and, optionally, which
// of this stage's remedies takes its place. Without it the old remedy
// stays open and letters and reminders go on counting it.
func (s *Server) supersedePage(w http.ResponseWriter, r *http.Request) error {
	c, rem, err := s.loadRemedy(r)
	if err != nil {
		return err
	}
	s.renderSupersede(w, r, http.StatusOK, c, rem, nil, nil)
	return nil
}

// supersedeRemedy records the supersession at the version the page
// showed, and goes back to the case.
func (s *Server) supersedeRemedy(w http.ResponseWriter, r *http.Request) error {
	c, rem, err := s.loadRemedy(r)
	if err != nil {
		return err
	}
	cmd := complaint.SupersedeRemedy{ID: rem.ID, Reason: r.PostForm.Get("reason")}
	var errs []fieldError
	if v := strings.TrimSpace(r.PostForm.Get("replaced_by")); v != "" {
		if cmd.ReplacedBy, err = strconv.Atoi(v); err != nil || cmd.ReplacedBy < 1 {
			errs = append(errs, fieldError{"replaced_by", "Choose the remedy that replaces it from the list, or none of them"})
		}
	}
	status := http.StatusBadRequest
	if len(errs) == 0 {
		next, err := s.cases().Apply(r.Context(), userOf(r), c.Reference, formVersion(r), time.Time{}, cmd)
		if err == nil {
			http.Redirect(w, r, "/cases/"+next.Reference+"?done=supersede", http.StatusSeeOther)
			return nil
		}
		var ok bool
		if errs, status, ok = pageErrors(err, "supersede"); !ok {
			return err
		}
		for i, e := range errs {
			switch e.Field {
			case "reason":
				if strings.HasSuffix(e.Message, "is required") {
					errs[i].Message = "Enter why the remedy is superseded"
				} else {
					errs[i].Message = "Why it is superseded " + strings.TrimPrefix(e.Message, "Reason ")
				}
			case "replaced_by":
				errs[i].Message = "The remedy that replaces it: " + strings.TrimPrefix(e.Message, "Replaced by ")
			case "supersede":
			default:
				errs[i].Field = "supersede"
			}
		}
	}
	latest, err := s.Store.GetCase(r.Context(), c.Reference)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(latest.Remedies, func(x complaint.Remedy) bool { return x.ID == rem.ID }); i >= 0 {
		rem = latest.Remedies[i]
	}
	s.renderSupersede(w, r, status, latest, rem, errs, r.PostForm)
	return nil
}

// loadRemedy returns the case, if the person may see it, and the remedy
// the address names.
func (s *Server) loadRemedy(r *http.Request) (complaint.Case, complaint.Remedy, error) {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return c, complaint.Remedy{}, err
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	i := slices.IndexFunc(c.Remedies, func(x complaint.Remedy) bool { return x.ID == id })
	if err != nil || i < 0 {
		return c, complaint.Remedy{}, complaint.Errorf(complaint.NotFound, "case %s has no remedy %s", c.Reference, r.PathValue("id"))
	}
	return c, c.Remedies[i], nil
}

// renderSupersede shows the supersede page for remedy rem, with what was
// typed and its errors after a refusal.
func (s *Server) renderSupersede(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, rem complaint.Remedy, errs []fieldError, typed url.Values) {
	// The choices are the current stage's remedies still owed: those the
	// domain accepts as a replacement are a later stage's, and it says
	// why if one is not.
	var later []complaint.Remedy
	for _, x := range c.Remedies {
		if x.Stage == c.Stage && x.Stage > rem.Stage && !x.Superseded() {
			later = append(later, x)
		}
	}
	replacedBy := newField("replaced_by", "", "", typed, errs)
	s.render(w, r, status, "case-supersede", map[string]any{
		"Title": "Supersede remedy " + strconv.Itoa(rem.ID) + " of " + c.Reference, "Nav": "cases", "Case": c, "Errors": errs,
		"Remedy": rem, "Later": later, "ReplacedBy": replacedBy,
		"Reason": rows(newField("reason", "Why it is superseded", "For example, what the later stage decided instead. It is kept with the remedy", typed, errs), 3),
	})
}
