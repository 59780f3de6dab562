package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// TestRetentionRunAnonymisesWhatIsDueAndTheRecordStillVerifies runs the
// operator's command on a database with a complaint closed seven years
// ago and one closed last month: a dry run names the old one and changes
// nothing, a run anonymises it, and audit verify and export case still
// verify and say so.
func TestRetentionRunAnonymisesWhatIsDueAndTheRecordStillVerifies(t *testing.T) {
	db := testdb.DSN(t)
	ctx := context.Background()
	st, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, cal := policytest.Code(t)
	now := clock.Wall()
	closedCase := func(name string, years int) complaint.Case {
		t.Helper()
		closedAt := now.AddDate(-years, -1, 0)
		recv := closedAt.AddDate(0, -1, 0)
		env := complaint.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org"}, Policy: p, Calendar: cal}
		c, err := st.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			env.NewReference = ref
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &recv,
				Complainant: complaint.Person{Name: name, Phone: "0191 000 0000"}, Summary: "Boiler keeps failing at " + name + "'s"}, env)
		})
		if err != nil {
			t.Fatal(err)
		}
		env.At = closedAt
		c, err = st.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, _ store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, complaint.Withdraw{Reason: "The resident withdrew it"}, env)
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	old := closedCase("Ada Resident", 7)
	recent := closedCase("Bea Resident", 0)
	st.Close()

	code, stdout, stderr := redress(t, "retention", "run", "--dry-run", "--db", db)
	if code != 0 || !strings.Contains(stdout, "would anonymise 1") || !strings.Contains(stdout, old.Reference) || strings.Contains(stdout, recent.Reference) {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = redress(t, "retention", "run", "--db", db)
	if code != 0 || !strings.Contains(stdout, "anonymised 1") || !strings.Contains(stdout, old.Reference) {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "Ada") || strings.Contains(stderr, old.Reference) {
		t.Errorf("the log names the case or the resident:\n%s", stderr)
	}
	code, stdout, _ = redress(t, "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(stdout, old.Reference+" was anonymised on") || !strings.Contains(stdout, "6 years after closure") {
		t.Fatalf("audit verify: exit %d\n%s", code, stdout)
	}
	out := filepath.Join(t.TempDir(), "pack.zip")
	code, stdout, stderr = redress(t, "export", "case", old.Reference, "--db", db, "--out", out)
	if code != 0 || !strings.Contains(stdout, "verified") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "Ada Resident") {
		t.Error("the pack of the anonymised case holds the resident's name")
	}

	for _, args := range [][]string{
		{"retention"},
		{"retention", "run", "--batch", "-1", "--db", db},
		{"retention", "run", "extra", "--db", db},
		{"retention", "run", "--policy", "no-such-policy", "--db", db},
	} {
		if code, _, stderr := redress(t, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
