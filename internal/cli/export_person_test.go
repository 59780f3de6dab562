package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestExportPersonWritesARecordedSubjectAccessExport: redress export
// person writes the person's export (their case, and the case they are
// another resident's representative on, with that resident redacted),
// records it on both cases as made by the manager named by --by with the
// ZIP's hash, and names what is wrong with each bad argument.
func TestExportPersonWritesARecordedSubjectAccessExport(t *testing.T) {
	dir := t.TempDir()
	db := testdb.DSN(t)
	ctx := context.Background()
	st, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, cal := policytest.Code(t)
	// A month before the wall clock, which the export is recorded at: a
	// pinned date would put the export before the case's own events on
	// some real date.
	recv := clock.Wall().UTC().Add(-30 * 24 * time.Hour).Truncate(time.Second)
	create := func(cmd complaint.Create) complaint.Case {
		t.Helper()
		cmd.Kind, cmd.Channel, cmd.ReceivedAt = complaint.KindComplaint, "phone", &recv
		c, err := st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(cmd, complaint.Env{Now: recv.Add(time.Hour), Actor: complaint.Actor{Email: "officer@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	own := create(complaint.Create{Complainant: complaint.Person{Name: "Ada Lovelace", Email: "ada@example.org"}, Summary: "Damp in the bedroom"})
	shared := create(complaint.Create{Complainant: complaint.Person{Name: "Bertram Quill", Email: "bertram@example.net", Phone: "0161 496 0777"},
		Representative: &complaint.Representative{Name: "Ada Lovelace", Relationship: "advocate", ConsentRecorded: true, Email: "ada@example.org"},
		Summary:        "Leaking gutter"})
	for _, u := range []store.User{{Email: "manager@example.org", Name: "Mo Manager", Role: "manager"}, {Email: "officer@example.org", Name: "Olu Officer", Role: "officer"}} {
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	out := filepath.Join(dir, "ada.zip")
	code, stdout, stderr := redress(t, "export", "person", "ada@example.org", "--db", db, "--out", out, "--by", "manager@example.org")
	if code != 0 || !strings.Contains(stdout, "wrote "+out+": 2 case(s) naming email:ada@example.org") {
		t.Fatalf("export person: exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		for _, other := range []string{"Bertram", "Quill", "bertram@example.net", "0161 496 0777"} {
			if bytes.Contains(data, []byte(other)) {
				t.Errorf("%s contains %q", f.Name, other)
			}
		}
	}
	for _, want := range []string{"index.html", "index.json", "cases/" + own.Reference + "/case.json", "cases/" + shared.Reference + "/case.json"} {
		if !names[want] {
			t.Errorf("the export lacks %s", want)
		}
	}

	st2, err := sqldb.Open(ctx, db, sqldb.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []complaint.Case{own, shared} {
		evs, err := st2.CaseEvents(ctx, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		var d complaint.RecordSubjectAccessExport
		_ = json.Unmarshal(store.EventData(last), &d)
		if last.Kind != complaint.EventSubjectAccessExported || last.Actor != "manager@example.org" || d.SHA256 != hash {
			t.Errorf("case %s: last event %s by %s naming %s; want the export by manager@example.org naming %s", c.Reference, last.Kind, last.Actor, d.SHA256, hash)
		}
	}
	st2.Close()

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"ada@example.org", "--out", out, "--by", "manager@example.org"}, "already exists"},
		{[]string{"ada@example.org", "--out", filepath.Join(dir, "x.zip")}, "--by: is required"},
		{[]string{"ada@example.org", "--out", filepath.Join(dir, "x.zip"), "--by", "officer@example.org"}, "made by a manager or an admin"},
		{[]string{"ada@example.org", "--out", filepath.Join(dir, "x.zip"), "--by", "nobody@example.org"}, "--by: there is no user nobody@example.org"},
		{[]string{"ada@example.org", "--by", "manager@example.org"}, "--out: is required"},
		{[]string{"nobody@example.org", "--out", filepath.Join(dir, "x.zip"), "--by", "manager@example.org"}, "no case names email:nobody@example.org"},
		{[]string{"phone:12", "--out", filepath.Join(dir, "x.zip"), "--by", "manager@example.org"}, "person: phone: needs a phone number"},
		{[]string{"--out", filepath.Join(dir, "x.zip"), "--by", "manager@example.org"}, "export person needs one person"},
	} {
		code, _, stderr := redress(t, append(append([]string{"export", "person"}, tt.args...), "--db", db)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("export person %q: exit %d, %s; want 2 saying %q", tt.args, code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.zip")); err == nil {
		t.Error("a refused export left a file behind")
	}
}
