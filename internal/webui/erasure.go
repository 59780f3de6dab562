package webui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Erasure and restriction requests (issue 20, item 5), on the retention
// page: a manager records a person's request, then grants it (erasing
// every case of theirs that is not held, or marking their data
// restricted) or refuses it with the ground.

func (s *Server) erasureStore() (interface {
	store.ErasureStore
	store.RetentionStore
}, error) {
	st, ok := s.Store.(interface {
		store.ErasureStore
		store.RetentionStore
	})
	if !ok {
		return nil, complaint.Errorf(complaint.NotFound, "this store keeps no erasure requests")
	}
	return st, nil
}

// newErasureRequest records a request from the form.
func (s *Server) newErasureRequest(w http.ResponseWriter, r *http.Request) error {
	st, err := s.erasureStore()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	p := complaint.Person{Email: strings.TrimSpace(f.Get("erasure.email")), TenancyRef: strings.TrimSpace(f.Get("erasure.tenancy_ref")), Phone: f.Get("erasure.phone")}
	req, err := store.NewErasureRequest(p, f.Get("erasure.kind"), f.Get("erasure.reason"), userOf(r).Email, s.Now())
	if err == nil {
		_, err = st.AddErasureRequest(r.Context(), req)
	}
	if err != nil {
		e, ok := domainErrors(err, "erasure")
		if !ok {
			return err
		}
		messages := map[string]fieldError{
			"person": {"erasure.email", "Enter the person's email, tenancy reference or phone number, as their cases record it"},
			"kind":   {"erasure.kind", "Choose erasure or restriction of processing"},
			"reason": {"erasure.reason", "Enter what the person asked and why"},
		}
		for i := range e {
			if m, ok := messages[e[i].Field]; ok {
				e[i] = m
			}
		}
		return s.renderRetention(w, r, http.StatusBadRequest, "erasure", f, e, "")
	}
	http.Redirect(w, r, "/retention?done=requested#erasure", http.StatusSeeOther)
	return nil
}

// decideErasureRequest grants or refuses request {id}.
func (s *Server) decideErasureRequest(w http.ResponseWriter, r *http.Request) error {
	st, err := s.erasureStore()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "there is no erasure request %q", r.PathValue("id"))
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	field := "decision_reason_" + strconv.FormatInt(id, 10)
	d := store.ErasureDecision{Grant: f.Get("grant") == "yes", Reason: f.Get(field), By: userOf(r).Email, Now: s.Now()}
	if _, err := store.DecideErasure(r.Context(), st, id, d); err != nil {
		e, ok := domainErrors(err, field)
		if !ok {
			return err
		}
		for i := range e {
			if e[i].Field == "decision_reason" {
				e[i] = fieldError{Field: field, Message: "Give the ground for refusing (UK GDPR Art. 17(3)), such as a case under Ombudsman or court proceedings"}
			}
		}
		return s.renderRetention(w, r, http.StatusBadRequest, "decide", f, e, "")
	}
	http.Redirect(w, r, "/retention?done=decided#erasure", http.StatusSeeOther)
	return nil
}
