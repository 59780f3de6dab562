package webui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/sar"
)

// The person's page and their subject access export (issue 20, item 5):
// a manager finds a person by email, tenancy reference or phone number
// (or follows the link on a case), sees every case that names them and
// the part they play in each, corrects their details through each case's
// "Change details" (rectification, audited as every correction is), and
// downloads the export in one click. The export is recorded on every
// case it holds before it is sent (sar.Record).

// personPath is the address of the person's page for a subject. The
// person is in the query, not the path, so that the access log, which
// records paths, never records who was looked up.
func personPath(s sar.Subject) string { return "/people?" + url.Values{"person": {s.Key()}}.Encode() }

// peoplePage asks who, or, told who, shows that person's page. What is
// not an email address or a key is shown back with the reason.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("person")
	if q == "" {
		s.render(w, r, http.StatusOK, "people", map[string]any{"Title": "Find a person", "Nav": "people", "Form": url.Values{}})
		return nil
	}
	subject, err := sar.ParseSubject(q)
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "people", map[string]any{"Title": "Find a person", "Nav": "people", "Form": r.URL.Query(),
			"Errors": []fieldError{{"person", "Enter an email address, or a key such as tenancy:T123 or phone:07700900123"}}})
		return nil
	}
	return s.personPage(w, r, subject)
}

// personCase is a case on the person's page.
type personCase struct {
	Case  complaint.Case
	Roles []string
}

// personPage lists the cases that name the person and that the manager
// may see, and offers the export when they may see every one.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request, subject sar.Subject) error {
	matches, err := sar.Find(r.Context(), s.Store, subject)
	if err != nil {
		return err
	}
	v := s.viewer(userOf(r))
	var cases []personCase
	hidden := false
	for _, m := range matches {
		if !auth.Sees(v.AllConfidential, v.Email, &m.Case) {
			hidden = true
			continue
		}
		cases = append(cases, personCase{Case: m.Case, Roles: m.Roles})
	}
	s.render(w, r, http.StatusOK, "person", map[string]any{
		"Title": "Person: " + subject.Key(), "Nav": "people", "Key": subject.Key(),
		"Cases": cases, "Hidden": hidden, "CanExport": !hidden && len(cases) > 0,
	})
	return nil
}

// subjectAccessExport makes the export of the person the form names,
// records it on every case it holds, and sends it. The log names the
// manager, how many cases and the ZIP's hash, never the person.
func (s *Server) subjectAccessExport(w http.ResponseWriter, r *http.Request) error {
	subject, err := sar.ParseSubject(r.PostFormValue("person"))
	if err != nil {
		return err
	}
	u := userOf(r)
	landlord := s.ServiceName
	if lh, ok, err := s.Store.Letterhead(r.Context()); err != nil {
		return err
	} else if ok {
		landlord = lh.Name
	}
	now := s.Now()
	ex, err := sar.Build(r.Context(), s.Store, sar.Request{Subject: subject, Viewer: s.viewer(u), By: u.Email, Landlord: landlord, Now: now})
	if err != nil {
		return err
	}
	apply := func(ctx context.Context, ref string, cmd complaint.Command) error {
		_, err := s.cases().Apply(ctx, u, ref, 0, time.Time{}, cmd)
		return err
	}
	if err := sar.Record(r.Context(), ex, apply); err != nil {
		return err
	}
	s.Log.Info("subject access export made", "user_id", u.ID, "cases", len(ex.Cases), "sha256", ex.SHA256)
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="subject-access-%s.zip"`, calendar.DateOf(now)))
	w.Header().Set("Content-Length", strconv.Itoa(len(ex.Zip)))
	_, err = w.Write(ex.Zip)
	return err
}

// personLink is the link from a case to the person's page of someone it
// names, for the managers who may open that page; "" for anyone else, or
// for someone the case knows by no email, tenancy reference or phone.
func personLink(role string, p complaint.Person) string {
	if !Managers.Allows(auth.Role(role)) {
		return ""
	}
	subject, err := sar.ParseSubject(p.Key())
	if err != nil {
		return ""
	}
	return personPath(subject)
}
