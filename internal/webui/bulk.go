package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// Bulk actions (issue 22, item 2): assigning several cases from the case
// list, and marking several actions done from the actions tracker. Each
// case gets the very command its own page gives, one by one, each in its
// own transaction, so every rule still holds case by case (a stage 2
// case is never given to its stage 1 handler, Code 6.13) and one refusal
// stops none of the others. The summary names each refused one with the
// reason.

// maxBulk is the most cases or actions one bulk action takes: a page of
// the list is 25, and a request must end well within its time limit.
const maxBulk = 100

// bulkRefusal is one case a bulk action did not change, and why.
type bulkRefusal struct {
	Reference, Reason string
}

// bulkReason is why a command was refused, in the page's words.
func (s *Server) bulkReason(r *http.Request, ref string, err error) string {
	if errs, ok := domainErrors(err, "case"); ok {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Message
		}
		return strings.Join(msgs, "; ")
	}
	if complaint.ErrorCode(err) == complaint.NotFound {
		return "There is no such case"
	}
	s.Log.ErrorContext(r.Context(), "bulk action failed on a case", "reference", ref, "err", err)
	return "Something went wrong; try this one on its own page"
}

func (s *Server) bulkAssign(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	list := r.Clone(r.Context())
	parsed, _ := url.ParseQuery(f.Get("query"))
	list.URL.RawQuery = viewQuery(parsed)
	refs := f["ref"]
	var errs []fieldError
	switch {
	case len(refs) == 0:
		errs = append(errs, fieldError{"bulk_assign", "Choose at least one case to assign, with its box in the list"})
	case len(refs) > maxBulk:
		errs = append(errs, fieldError{"bulk_assign", "Choose at most " + strconv.Itoa(maxBulk) + " cases at a time"})
	}
	handler := strings.TrimSpace(f.Get("handler"))
	if handler == "" {
		errs = append(errs, fieldError{"bulk_handler", "Choose who will handle the cases"})
	}
	form := url.Values{"handler": {handler}}
	if len(errs) > 0 {
		return s.renderCaseList(w, list, errs, form)
	}
	to, err := s.Store.UserByEmail(r.Context(), handler)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return s.renderCaseList(w, list, []fieldError{{"bulk_handler", "Choose a handler from the list"}}, form)
	}
	if err != nil {
		return err
	}
	var done []string
	var refused []bulkRefusal
	for _, ref := range refs {
		version, err := strconv.Atoi(f.Get("version." + ref))
		if err != nil {
			refused = append(refused, bulkRefusal{ref, "The list did not say which version of the case it showed: reload the list and try again"})
			continue
		}
		c, err := s.loadVisible(r, ref)
		if err == nil {
			c, err = s.cases().Apply(r.Context(), userOf(r), c.Reference, version, time.Time{}, complaint.Assign{Handler: to.Email, HandlerRole: to.Role, HandlerLeft: to.Deactivated})
		}
		if err != nil {
			refused = append(refused, bulkRefusal{ref, s.bulkReason(r, ref, err)})
			continue
		}
		done = append(done, c.Reference)
	}
	s.Log.InfoContext(r.Context(), "bulk assign", "assigned", len(done), "refused", len(refused))
	s.render(w, r, http.StatusOK, "bulk", map[string]any{
		"Title": "Cases assigned", "Nav": "cases", "What": "assigned to " + to.Name, "Noun": "case",
		"Done": done, "Refused": refused, "Back": "/cases?" + list.URL.RawQuery, "BackText": "Back to the case list",
	})
	return nil
}

// bulkDone marks each chosen action done (the remedy's own done
// command), from the actions tracker. Each is sent as REFERENCE:ID.
func (s *Server) bulkDone(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	chosen := r.PostForm["action"]
	// Back to the tracker as it was filtered.
	back := "/actions"
	kept := url.Values{}
	for _, k := range []string{"owner", "handler"} {
		if v := r.PostForm.Get(k); v != "" {
			kept.Set(k, v)
		}
	}
	if len(kept) > 0 {
		back += "?" + kept.Encode()
	}
	switch {
	case len(chosen) == 0:
		return s.renderActions(w, r, []fieldError{{"bulk_done", "Choose at least one action to mark done, with its box in the list"}})
	case len(chosen) > maxBulk:
		return s.renderActions(w, r, []fieldError{{"bulk_done", "Choose at most " + strconv.Itoa(maxBulk) + " actions at a time"}})
	}
	var done []string
	var refused []bulkRefusal
	for _, a := range chosen {
		ref, idText, _ := strings.Cut(a, ":")
		id, err := strconv.Atoi(idText)
		if err != nil || ref == "" {
			refused = append(refused, bulkRefusal{a, "This is not an action the list showed"})
			continue
		}
		c, err := s.loadVisible(r, ref)
		if err == nil {
			// Version 0: several actions of one case are marked done one
			// after another, each on the case as the last left it; the
			// command itself refuses an action already done.
			c, err = s.cases().Apply(r.Context(), userOf(r), c.Reference, 0, time.Time{}, complaint.CompleteRemedy{ID: id})
		}
		label := ref + ", action " + idText
		if err != nil {
			refused = append(refused, bulkRefusal{label, s.bulkReason(r, ref, err)})
			continue
		}
		done = append(done, label)
	}
	s.Log.InfoContext(r.Context(), "bulk mark done", "done", len(done), "refused", len(refused))
	s.render(w, r, http.StatusOK, "bulk", map[string]any{
		"Title": "Actions marked done", "Nav": "actions", "What": "marked done", "Noun": "action",
		"Done": done, "Refused": refused, "Back": back, "BackText": "Back to the actions tracker",
	})
	return nil
}
