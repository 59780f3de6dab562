package webui_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// TestTheRegisterIsImportedSearchedAndMatchedInTheBrowser (issue 20): a
// manager checks a homes file with a bad row on the import page and sees
// it refused by line and column, then imports the corrected file; an
// officer finds a tenancy from the new contact page and uses it; and
// confirms the tenancy suggested on a case that came in by email. Each
// page is axe clean.
func TestTheRegisterIsImportedSearchedAndMatchedInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "homes-bad.csv")
	good := filepath.Join(dir, "homes.csv")
	if err := os.WriteFile(bad, []byte(tenancy.Template()+strings.Replace(registerCSV, "01/04/2021", "31/02/2021", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(tenancy.Template()+registerCSV), 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The import: a dry run refuses the bad row, by line and column.
	tb.WantStatus("open the import page signed out", tb.Open("/admin/homes"), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the import page", "Import homes and tenancies", "Download the template")
	tb.Look("import-page")
	tb.Do("choose the bad file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}))
	tb.WantStatus("check the bad file", tb.Submit(`button[value="check"]`), 400)
	rows := tb.TableRows("Rows refused in homes-bad.csv")
	if len(rows) != 1 || rows[0][0] != "3" || rows[0][1] != "tenancy_start" {
		t.Fatalf("the refused rows: %v, want line 3, column tenancy_start", rows)
	}
	tb.ErrorSummary("the bad file")
	tb.Look("import-refused")
	tb.Do("choose the good file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}))
	tb.WantStatus("check the good file", tb.Submit(`button[value="check"]`), 200)
	tb.WantText("the dry run", "Checked: nothing was changed", "Importing it would add 3 homes and 3 tenancies")
	tb.Look("import-checked")
	tb.Do("choose the good file again", chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}))
	tb.WantStatus("import the good file", tb.Submit(`button[value="import"]`), 200)
	tb.WantText("the import", "Imported", "Added 3 homes and 3 tenancies")
	// A file of more than 5,000 tenancies is checked in the background,
	// on a page of its own with a progress bar and a button to look again,
	// until it shows the report; each state is axe clean.
	var large strings.Builder
	large.WriteString(tenancy.Template())
	for i := range 6000 {
		large.WriteString("HL" + strconv.Itoa(i) + ",,1 Large Street,,,Riverside,RV1 1AA,TL-" + strconv.Itoa(i) + ",General needs,01/04/2020,,Resident,,\n")
	}
	largeFile := filepath.Join(dir, "homes-large.csv")
	if err := os.WriteFile(largeFile, []byte(large.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.Do("choose the large file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{largeFile}))
	tb.WantStatus("check the large file", tb.Submit(`button[value="check"]`), 200)
	if !strings.HasPrefix(tb.Path(), "/admin/homes/import/") {
		t.Fatalf("a large file's check is at %s, want its own page", tb.Path())
	}
	tb.Look("import-large")
	for end := clock.Wall().Add(time.Minute); !strings.Contains(tb.MainText(), "Checked: nothing was changed"); {
		if clock.Wall().After(end) {
			t.Fatalf("the large file's check never finished:\n%s", tb.MainText())
		}
		tb.WantText("the progress page", "tenancies checked", "Check progress")
		time.Sleep(200 * time.Millisecond)
		tb.WantStatus("check progress", tb.Submit(`#import-progress a.govuk-button`), 200)
		tb.Look("import-large-progress")
	}
	tb.WantText("the large file's report", "Importing it would add 6000 homes and 6000 tenancies")
	tb.signOut()

	// 2. The officer searches the register from the new contact page.
	tb.WantStatus("open the new contact page", tb.Open("/cases/new"), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	tb.TypeInto("register-q", "rv1 1aa")
	tb.WantStatus("search the register", tb.Submit(`#register-search button[type="submit"]`), 200)
	if rows := tb.TableRows(`Tenancies found for “rv1 1aa”`); len(rows) != 3 {
		t.Errorf("the tenancies found: %v, want 3", rows)
	}
	tb.Look("register-search")
	tb.WantStatus("use T-2", tb.Submit(`a[href="/cases/new?tenancy=T-2"]`), 200)
	if v := tb.Value("complainant-tenancy-ref"); v != "T-2" {
		t.Errorf("the tenancy reference after using T-2: %q", v)
	}
	if v := tb.Value("complainant-postcode"); v != "RV1 1AA" {
		t.Errorf("the postcode after using T-2: %q", v)
	}
	if !tb.Checked("tenure-low_cost_home_ownership") {
		t.Error("using T-2 did not choose low-cost home ownership")
	}
	tb.Look("register-used")

	// 3. A case from Ada's email address is suggested T-1; the officer
	// confirms it on the case page.
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	c, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "email", ReceivedAt: &received,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ADA@example.org"}, Summary: "The window is still broken"},
			complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	tb.WantStatus("open the case", tb.Open("/cases/"+c.Reference), 200)
	tb.WantText("the suggestion", "Suggested", "Found by", "email address", "Confirm tenancy T-1")
	tb.Look("tenancy-suggested")
	tb.WantStatus("confirm T-1", tb.Submit(`#tenancy-confirm button[type="submit"]`), 200)
	tb.WantText("the case once confirmed", "The case is matched to tenancy T-1", "Confirmed", "Low-cost rental")
	tb.NoText("the case once confirmed", "Confirm tenancy T-1")
	tb.Look("tenancy-confirmed")
}
