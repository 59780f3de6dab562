package webui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The retention page (issue 20, item 4): what falls due for anonymisation
// in the next 30 days, the holds that keep ended cases from it, a
// manager's form to put a legal hold on a case or lift one, and the log
// of what was anonymised when. Anonymising itself is the daily job's, or
// `redress retention run`'s: no button here removes a resident's data.

// retentionWindow is how far ahead the page looks, in days.
const retentionWindow = 30

// retentionLogLength is how many anonymisations the page lists.
const retentionLogLength = 100

func (s *Server) retentionStore() (store.RetentionStore, error) {
	st, ok := s.Store.(store.RetentionStore)
	if !ok {
		return nil, complaint.Errorf(complaint.NotFound, "this store keeps no retention schedule")
	}
	return st, nil
}

func (s *Server) retentionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRetention(w, r, http.StatusOK, "", nil, nil, r.URL.Query().Get("done"))
}

func (s *Server) renderRetention(w http.ResponseWriter, r *http.Request, status int, active string, form url.Values, errs []fieldError, done string) error {
	st, err := s.retentionStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	ended, err := st.Ended(ctx)
	if err != nil {
		return err
	}
	now := s.Now()
	var due, held []store.RetentionDue
	for _, d := range store.RetentionSchedule(ended, s.Policy.Retention, now.AddDate(0, 0, retentionWindow)) {
		if d.Held != "" {
			held = append(held, d)
		} else {
			due = append(due, d)
		}
	}
	// A hold on an ended case whose date is further off is listed too:
	// it is there to be lifted once the proceedings end.
	for _, c := range ended {
		if c.Held() != "" && !containsRef(held, c.Reference) {
			held = append(held, store.RetentionDue{Reference: c.Reference, Kind: c.Kind, Closed: c.ClosedAt, Rule: s.Policy.Retention.Rule(string(c.Kind)), Held: c.Held()})
		}
	}
	log, err := st.Anonymisations(ctx, retentionLogLength)
	if err != nil {
		return err
	}
	rules := make([]string, 0, len(complaint.Kinds))
	for _, k := range complaint.Kinds {
		rules = append(rules, s.Policy.Retention.Rule(string(k)))
	}
	var requests []store.ErasureRequest
	if es, err := s.erasureStore(); err == nil {
		if requests, err = es.ErasureRequests(ctx); err != nil {
			return err
		}
	}
	s.render(w, r, status, "retention", map[string]any{
		"Title": "Retention", "Nav": "retention", "Due": due, "Held": held, "Log": log, "Rules": rules, "Requests": requests,
		"Window": retentionWindow, "Active": active, "Form": form, "Errors": errs, "Done": done,
	})
	return nil
}

func containsRef(ds []store.RetentionDue, ref string) bool {
	for _, d := range ds {
		if d.Reference == ref {
			return true
		}
	}
	return false
}

// retentionHold serves the hold and lift forms: a legal hold is put on a
// case, or lifted, with its reason, as an event on the case.
func (s *Server) retentionHold(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	name := r.PathValue("command")
	ref := strings.TrimSpace(f.Get(name + ".reference"))
	reason := f.Get(name + ".reason")
	var cmd complaint.Command
	switch name {
	case "hold":
		cmd = complaint.PlaceLegalHold{Reason: reason}
	case "lift":
		cmd = complaint.LiftLegalHold{Reason: reason}
	default:
		return complaint.Errorf(complaint.NotFound, "there is no retention command %q", name)
	}
	var errs []fieldError
	if ref == "" {
		errs = append(errs, fieldError{Field: name + ".reference", Message: "Enter the case's reference"})
	}
	if strings.TrimSpace(reason) == "" {
		errs = append(errs, fieldError{Field: name + ".reason", Message: "Enter the reason"})
	}
	if len(errs) == 0 {
		_, err := s.cases().Apply(r.Context(), userOf(r), ref, 0, s.Now(), cmd)
		switch {
		case complaint.ErrorCode(err) == complaint.NotFound:
			errs = append(errs, fieldError{Field: name + ".reference", Message: "There is no case " + ref + " that you may see"})
		case err != nil:
			e, ok := domainErrors(err, name)
			if !ok {
				return err
			}
			for _, x := range e {
				if x.Field == "reason" {
					x.Field = name + ".reason"
				} else if x.Field == "" || x.Field == name {
					x.Field = name + ".reference"
				}
				errs = append(errs, x)
			}
		}
	}
	if len(errs) > 0 {
		return s.renderRetention(w, r, http.StatusBadRequest, name, f, errs, "")
	}
	done := "held"
	if name == "lift" {
		done = "lifted"
	}
	http.Redirect(w, r, "/retention?done="+done, http.StatusSeeOther)
	return nil
}

// retentionBanner is what the case page says of the case's retention:
// that it was anonymised (when, why), that it is held, or that its
// resident asked for its processing to be restricted.
type retentionBanner struct {
	Anonymisation *complaint.Anonymisation
	Held          string
	Restricted    *store.ErasureRequest
}

// addRetention puts the case's retention banner into a case page's data.
func (s *Server) addRetention(r *http.Request, data map[string]any, c complaint.Case) error {
	b := retentionBanner{Anonymisation: c.Anonymisation, Held: c.Held()}
	if es, err := s.erasureStore(); err == nil {
		req, ok, err := es.ProcessingRestricted(r.Context(), c.Complainant.Key())
		if err != nil {
			return err
		}
		if ok {
			b.Restricted = &req
		}
	}
	data["Retention"] = b
	return nil
}
