package webui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Saved views of the case list (issue 22, item 2): a named filter kept
// per user, so that the cases someone works from are one link away; a
// manager may share one with everyone. A view is only the list's query
// string: what it finds is decided when it is opened, under the rules of
// whoever opens it, so a shared view never shows anyone a confidential
// case they may not see.

// listKeys are the case list's filters a view keeps. Anything else in a
// query (a page cursor, a stray parameter) is left out, so a view always
// opens at its first page. The search words (q) are left out too: they
// are often a resident's name, email or postcode, and a view is kept
// apart from any case, out of reach of retention and erasure, so it must
// hold no one's personal data.
var listKeys = []string{"queue", "kind", "status", "stage", "service_area", "handler", "received_from", "received_to",
	"sort", "overdue", "no_tenure", "open", "due_within", "actions"}

// maxViewName is the longest name a view may have: it is a link in a
// side list.
const maxViewName = 80

// viewQuery is the query string a view of the list q keeps: its filters
// that are set, in a fixed order.
func viewQuery(q url.Values) string {
	out := url.Values{}
	for _, k := range listKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out.Encode()
}

// viewRow is a saved view as the list shows it.
type viewRow struct {
	store.SavedView
	URL string
	// Mine says the signed-in user saved it; CanDelete that they may
	// delete it (their own, or a shared one if they are a manager).
	Mine, CanDelete bool
}

// mayDeleteView is who may delete a view: its owner, and managers and
// admins a shared one, so that a shared view outlives its maker's
// leaving.
func mayDeleteView(u store.User, v store.SavedView) bool {
	return v.OwnerID == u.ID || v.Shared && Managers.Allows(auth.Role(u.Role))
}

func (s *Server) savedViewsFor(ctx context.Context, u store.User) ([]viewRow, error) {
	views, err := s.Store.SavedViews(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]viewRow, len(views))
	for i, v := range views {
		out[i] = viewRow{SavedView: v, URL: "/cases?" + v.Query, Mine: v.OwnerID == u.ID, CanDelete: mayDeleteView(u, v)}
	}
	return out, nil
}

// saveView keeps the list's filters, sent as the form's query, under a
// name. A problem is shown on the list it was sent from.
func (s *Server) saveView(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := userOf(r)
	f := r.PostForm
	parsed, perr := url.ParseQuery(f.Get("query"))
	query := viewQuery(parsed)
	// The list is shown again, as it was, with the problems.
	list := r.Clone(r.Context())
	list.URL.RawQuery = query
	name := strings.TrimSpace(f.Get("view_name"))
	shared := f.Get("view_shared") == "yes"
	var errs []fieldError
	switch {
	case name == "":
		errs = append(errs, fieldError{"view_name", "Enter a name for the view"})
	case len([]rune(name)) > maxViewName:
		errs = append(errs, fieldError{"view_name", "Name must be " + strconv.Itoa(maxViewName) + " characters or fewer"})
	case strings.ContainsAny(name, "\r\n"):
		errs = append(errs, fieldError{"view_name", "Name must be one line"})
	}
	if perr != nil {
		errs = append(errs, fieldError{"view_name", "The filters to save could not be read: apply them again and save"})
	} else if _, ferrs := s.listFilter(list); len(ferrs) > 0 {
		errs = append(errs, fieldError{"view_name", "Correct the filters before saving them as a view"})
	}
	if shared && !Managers.Allows(auth.Role(u.Role)) {
		errs = append(errs, fieldError{"view_shared", "Only managers and admins can share a view with everyone"})
	}
	form := url.Values{"view_name": {name}}
	if shared {
		form.Set("view_shared", "yes")
	}
	if len(errs) > 0 {
		return s.renderCaseList(w, list, errs, form)
	}
	v, err := s.Store.SaveView(r.Context(), store.SavedView{OwnerID: u.ID, Name: name, Query: query, Shared: shared, CreatedAt: s.Now()})
	if complaint.ErrorCode(err) == complaint.Conflict {
		return s.renderCaseList(w, list, []fieldError{{"view_name", "You already have a view called " + strconv.Quote(name) + ": choose another name or delete that one"}}, form)
	}
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "saved view created", "view_id", v.ID, "shared", v.Shared)
	http.Redirect(w, r, "/cases?"+query, http.StatusSeeOther)
	return nil
}

// deleteView deletes a view its owner, or a manager for a shared one,
// no longer wants. Someone else's private view does not exist for them.
func (s *Server) deleteView(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no saved view %q", r.PathValue("id"))
	}
	v, err := s.Store.SavedView(r.Context(), id)
	if err != nil {
		return err
	}
	if !v.Shared && v.OwnerID != u.ID {
		return complaint.Errorf(complaint.NotFound, "there is no saved view %d", id)
	}
	if !mayDeleteView(u, v) {
		return complaint.Errorf(complaint.Forbidden, "only managers and admins can delete a shared view made by someone else")
	}
	if err := s.Store.DeleteView(r.Context(), id); err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "saved view deleted", "view_id", id, "shared", v.Shared)
	http.Redirect(w, r, "/cases", http.StatusSeeOther)
	return nil
}
