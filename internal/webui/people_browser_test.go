package webui_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/sar"
	"github.com/redresshq/redress/internal/store"
)

// TestSubjectAccessExportInTheBrowser (issue 20, item 5): a manager goes
// from a case to the complainant's page in one click, sees the cases that
// name them with a link to correct the details on each, and downloads the
// export from it; it is recorded on the case. The find-a-person page with
// its error, and the person's page, are axe clean.
func TestSubjectAccessExportInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Pat Jones", Email: "pat@example.org"}, Summary: "Repairs not done"},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}

	tb.WantStatus("open the case signed out", tb.Open("/cases/"+c.Reference), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantStatus("follow the link to the complainant's page", tb.Submit(`a[href^="/people?person="]`), 200)
	tb.WantPath("the person's page", "/people?"+url.Values{"person": {"email:pat@example.org"}}.Encode())
	tb.WantText("the person's page", c.Reference, "Repairs not done", "complainant", "Change details", "Download the subject access export")
	tb.Look("person-page")

	// The button's form, sent as the browser sends it: a same-origin POST.
	got := browsertest.Eval[string](tb.Tab, `(() => {
		const f = document.querySelector('form[action="/people/export"]');
		const x = new XMLHttpRequest();
		x.open("POST", f.action, false);
		x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
		x.send(new URLSearchParams(new FormData(f)).toString());
		return JSON.stringify({status: x.status, type: x.getResponseHeader("Content-Type"), disposition: x.getResponseHeader("Content-Disposition")});
	})()`)
	var res struct {
		Status            int
		Type, Disposition string
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil || res.Status != 200 || res.Type != "application/zip" {
		t.Fatalf("the export from the browser: %s (%v)", got, err)
	}
	evs, err := tb.app.Store.CaseEvents(context.Background(), c.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != complaint.EventSubjectAccessExported || last.Actor != tb.users["manager"].Email {
		t.Errorf("after the export the case's last event is %s by %s", last.Kind, last.Actor)
	}

	tb.WantStatus("open Find a person", tb.Open("/people"), 200)
	tb.Look("people-page")
	tb.TypeInto("person", "not an address")
	tb.WantStatus("find nonsense", tb.Submit(`main form[action="/people"] button[type="submit"]`), 400)
	tb.WantFieldError(tb.ErrorSummary("find nonsense"), "person", "Enter an email address, or a key such as tenancy:T123 or phone:07700900123")
	tb.Look("people-page-error")

	// The export's own index.html, as a browser shows it from the
	// unzipped folder, is axe clean too.
	s, err := sar.ParseSubject("pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := sar.Build(context.Background(), tb.app.Store, sar.Request{Subject: s, Viewer: store.Viewer{AllConfidential: true},
		By: tb.users["manager"].Email, Landlord: "Riverside Vale Homes", Now: clock.Wall()})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(ex.Zip), int64(len(ex.Zip)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("index.html")
	if err != nil {
		t.Fatal(err)
	}
	index, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	page, _ := json.Marshal(string(index))
	tb.Do("open a blank page", chromedp.Navigate("about:blank"))
	browsertest.Eval[bool](tb.Tab, `(() => { document.open(); document.write(`+string(page)+`); document.close(); return true; })()`)
	tb.WantText("the export's index", "Subject access export", "Case "+c.Reference, "Article 15(4)")
	tb.Look("export-index")
}
