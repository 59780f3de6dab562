package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/evidence"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

func TestExportCaseWritesAVerifiedEvidencePack(t *testing.T) {
	dir := t.TempDir()
	db := testdb.DSN(t)
	ctx := context.Background()
	st, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // closed below too, before the command opens it
	p, cal := policytest.Code(t)
	recv := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	c, err := st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 000 0000"}, Summary: "Boiler keeps failing"},
			complaint.Env{Now: recv.Add(time.Hour), Actor: complaint.Actor{Email: "officer@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := filepath.Join(dir, "pack.zip")
	code, stdout, stderr := redress(t, "export", "case", c.Reference, "--db", db, "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote "+out+": case "+c.Reference+", 1 events, 0 letters") || !strings.Contains(stdout, "verified:") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	files, err := evidence.Files(b)
	if err != nil || !slices.Contains(files, "chronology.pdf") || !slices.Contains(files, "events.json") {
		t.Errorf("pack files %q, %v", files, err)
	}
	// An existing file is never overwritten; an unknown case is named.
	if code, _, stderr := redress(t, "export", "case", c.Reference, "--db", db, "--out", out); code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("export over an existing file: exit %d, %s", code, stderr)
	}
	if code, _, stderr := redress(t, "export", "case", "C-2026-999999", "--db", db, "--out", filepath.Join(dir, "x.zip")); code != 2 || !strings.Contains(stderr, "there is no case C-2026-999999") {
		t.Errorf("export of an unknown case: exit %d, %s", code, stderr)
	}
	if code, _, _ := redress(t, "export", "case", "--db", db); code != 2 {
		t.Errorf("export with no reference: exit %d", code)
	}

	// A record changed behind the application's back: the pack is still
	// written, and the command says so and exits 1.
	if _, err := testdb.Raw(t, db).Exec(`UPDATE events SET actor = 'someone-else@example.org'`); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(dir, "tampered.zip")
	code, stdout, _ = redress(t, "export", "case", c.Reference, "--db", db, "--out", tampered)
	if code != 1 || !strings.Contains(stdout, "VERIFICATION FAILED") || !strings.Contains(stdout, "event #1 (created)") {
		t.Errorf("export of a tampered case: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(tampered); err != nil {
		t.Errorf("the tampered case's pack was not written: %v", err)
	}
}

func TestServeRefusesBadNoticeSettings(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--safety-contacts", "not an address"}, "--safety-contacts"},
		{[]string{"serve", "--digest-hour", "25"}, "--digest-hour"},
		{[]string{"serve", "--base-url", "complaints.example.org"}, "--base-url"},
	} {
		code, _, stderr := redress(t, append(tt.args, "--db", filepath.Join(t.TempDir(), "x.db"))...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s", tt.args, code, stderr)
		}
	}
}
