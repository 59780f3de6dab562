package webui_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// repCase logs a complaint from Bo Other through the store with Ada as
// his representative.
func (s *site) repCase(summary string) string {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	recv := s.now.Add(-time.Hour)
	c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
			Complainant:    complaint.Person{Name: "Bo Otherperson", Email: "bo.otherperson@example.net", Phone: "0113 496 0123"},
			Representative: &complaint.Representative{Name: "Ada Resident", Relationship: "daughter", ConsentRecorded: true, Email: "ada@example.org"},
			Summary:        summary},
			complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Reference
}

// TestAManagerMakesASubjectAccessExportFromThePersonsPage (issue 20, item
// 5): from a case, a manager follows the link to the complainant's page,
// which lists every case naming them (the confidential one included) with
// a link to correct the details on each, and downloads the export in one
// click: a ZIP with the index, nothing of the other resident in it, and
// its hash recorded on every case it holds. Officers are offered no link;
// a person asked for by something that is not an email or key is told so.
func TestAManagerMakesASubjectAccessExportFromThePersonsPage(t *testing.T) {
	s := newSite(t)
	own := s.newCase("officer", "Damp in the kitchen", false)
	secret := s.newCase("officer", "About a member of staff", true)
	shared := s.repCase("Broken fence at Bo's")

	officer := s.signIn("officer")
	if _, body := s.get(officer, "/cases/"+own); strings.Contains(body, "/people/") {
		t.Error("an officer's case page links to the person's page, which only managers may open")
	}
	manager := s.signIn("manager")
	if _, body := s.get(manager, "/cases/"+own); !strings.Contains(body, `href="/people?person=email%3Aada%40example.org"`) {
		t.Fatalf("the manager's case page does not link to the complainant's page")
	}
	if _, body := s.get(manager, "/cases/"+shared); !strings.Contains(body, `href="/people?person=email%3Aada%40example.org">The representative's cases`) {
		t.Errorf("the case Ada represents Bo on does not link to her page as representative")
	}

	resp, body := s.get(manager, "/people?person=not+an+address")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter an email address, or a key such as tenancy:T123") {
		t.Errorf("finding a person by nonsense: %d, want 400 saying what to enter", resp.StatusCode)
	}

	// Found by the email as typed, in capitals, as the search finds it.
	resp, body = s.get(manager, "/people?person="+url.QueryEscape("ADA@example.org"))
	if resp.StatusCode != 200 {
		t.Fatalf("the person's page: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{own, secret, shared, "Confidential", "representative", `href="/cases/` + own + `/details"`, `href="/cases/` + shared + `/details"`,
		"Download the subject access export", "rectification"} {
		if !strings.Contains(body, want) {
			t.Errorf("the person's page does not show %q", want)
		}
	}

	resp, body = s.post(manager, "/people/export", url.Values{"person": {"email:ada@example.org"}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" || !strings.Contains(resp.Header.Get("Content-Disposition"), "subject-access-2026-11-23.zip") {
		t.Fatalf("the export: %d %s %s\n%.500s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), body)
	}
	zipped := []byte(body)
	sum := sha256.Sum256(zipped)
	hash := hex.EncodeToString(sum[:])
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		for _, other := range []string{"Bo Otherperson", "Otherperson", "bo.otherperson@example.net", "0113 496 0123"} {
			if bytes.Contains(b, []byte(other)) {
				t.Errorf("%s in the export contains %q, another resident's", f.Name, other)
			}
		}
	}
	for _, ref := range []string{own, secret, shared} {
		if !names["cases/"+ref+"/case.json"] {
			t.Errorf("the export lacks case %s", ref)
		}
		evs, err := s.st.CaseEvents(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		var d complaint.RecordSubjectAccessExport
		_ = json.Unmarshal(store.EventData(last), &d)
		if last.Kind != complaint.EventSubjectAccessExported || last.Actor != "manager@example.org" || d.SHA256 != hash || d.Cases != 3 {
			t.Errorf("case %s: last event %s by %s %+v; want the export by the manager naming %s", ref, last.Kind, last.Actor, d, hash)
		}
	}
	// The case's timeline shows the disclosure with the ZIP's hash.
	if _, body := s.get(manager, "/cases/"+own); !strings.Contains(body, "ubject access export made") || !strings.Contains(body, "The ZIP&#39;s SHA-256: "+hash) {
		t.Error("the case page's timeline does not show the export and its hash")
	}
	if !names["index.html"] || !names["index.json"] {
		t.Error("the export has no index")
	}
	if log := s.log.String(); !strings.Contains(log, "subject access export made") || strings.Contains(log, "ada@example.org") {
		t.Errorf("the log should record the export without naming the person:\n%s", log)
	}
}
