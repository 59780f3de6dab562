package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// gatedImports holds a register import part way, after it has reported
// some progress, until the test lets it go on.
type gatedImports struct {
	store.Store
	release chan struct{}
}

func (g gatedImports) ImportRegister(ctx context.Context, f *tenancy.File, imp store.RegisterImport, progress func(done, total int)) (store.RegisterReport, error) {
	progress(2500, len(f.Tenancies))
	<-g.release
	return g.Store.ImportRegister(ctx, f, imp, progress)
}

// A large homes file is imported in the background while its page shows
// a progress bar and a button to look again; only the person who started
// it sees it; the page then shows the report, and the register holds the
// file.
func TestALargeHomesFileShowsItsProgressThenItsReport(t *testing.T) {
	release := make(chan struct{})
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()
	s := newSiteWith(t, func(st store.Store) store.Store { return gatedImports{Store: st, release: release} })
	manager := s.signIn("manager")
	var csv strings.Builder
	csv.WriteString(tenancy.Template())
	for i := range 6000 {
		fmt.Fprintf(&csv, "H%d,,%d Large Street,,,Riverside,RV1 1AA,TL-%d,General needs,01/04/2020,,Resident %d,,\n", i, i, i, i)
	}
	resp, page := s.postHomesFile(manager, "import", csv.String(), nil)
	job := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, "/admin/homes/import/") {
		t.Fatalf("%d to %q, want 303 to the import's own page\n%s", resp.StatusCode, job, pageText(page))
	}
	_, page = s.get(manager, job)
	deadline := clock.Wall().Add(30 * time.Second)
	for !strings.Contains(page, `value="2500"`) {
		if clock.Wall().After(deadline) {
			t.Fatalf("the import's page never showed its progress:\n%s", pageText(page))
		}
		time.Sleep(20 * time.Millisecond)
		_, page = s.get(manager, job)
	}
	for _, want := range []string{`<progress id="import-progress-bar" max="6000" value="2500">`, `2500 of 6000 tenancies imported (41%)`, `href="` + job + `">Check progress</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the progress page does not hold %q:\n%s", want, page)
		}
	}
	if resp, _ := s.get(s.signIn("admin"), job); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another manager's look at the import: %d, want 404", resp.StatusCode)
	}
	if _, _, err := s.st.GetTenancy(context.Background(), "TL-1"); err == nil {
		t.Fatal("a tenancy was imported before the import finished")
	}
	close(release)
	released = true
	for !strings.Contains(pageText(page), "Added 6000 homes and 6000 tenancies") {
		if clock.Wall().After(deadline) {
			t.Fatalf("the import never finished:\n%s", pageText(page))
		}
		time.Sleep(50 * time.Millisecond)
		_, page = s.get(manager, job)
	}
	if strings.Contains(page, "<progress") {
		t.Error("the finished import still shows a progress bar")
	}
	if _, _, err := s.st.GetTenancy(context.Background(), "TL-5999"); err != nil {
		t.Errorf("after the import: %v", err)
	}
}
