package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/demo"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// demoOnSQLite makes a SQLite database holding the demo landlord, keyed
// with an audit key in the key file beside it, as `redress serve --demo`
// leaves one, and returns its path and the key file's contents.
func demoOnSQLite(t *testing.T) (path, encodedKey string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "redress.db")
	key, _, created, err := app.LoadAuditKey(path, "", true)
	if err != nil || !created {
		t.Fatalf("audit key: created %v, %v", created, err)
	}
	st, err := sqldb.Open(ctx, path, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.KeyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Open(policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := p.Calendar(calendar.BuiltIn())
	if err != nil {
		t.Fatal(err)
	}
	hash := func(string) (string, error) { return "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", nil }
	if err := demo.Seed(ctx, demo.Config{Store: st, Policy: p, Calendar: cal, Now: clock.Wall, HashPassword: hash}); err != nil {
		t.Fatal(err)
	}
	return path, key.Encode()
}

func TestMigrateStoreRefusesUnusableFlags(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	missing := filepath.Join(t.TempDir(), "missing.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "--from is required"},
		{"no target", []string{"--from", missing}, "--to is required"},
		{"from PostgreSQL", []string{"--from", "postgres://localhost/a", "--to", "postgres://localhost/b"}, "--from must be a SQLite file"},
		{"to a file", []string{"--from", missing, "--to", "other.db"}, "--to must be a postgres://"},
		{"no such source", []string{"--from", missing, "--to", "postgres://localhost/b"}, "--from:"},
		{"an argument", []string{"--from", missing, "--to", "postgres://localhost/b", "extra"}, "takes no arguments"},
		{"unknown flag", []string{"--db", missing}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := redress(t, append([]string{"migrate-store"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, errs, exitUsage, tt.want)
			}
		})
	}
}

func TestMigrateStoreCopiesALandlordAndSaysWhichKeyToGive(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	path, key := demoOnSQLite(t)
	dsn := testdb.PostgresDSN(t)
	code, out, errs := redress(t, "migrate-store", "--from", path, "--to", dsn)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"audit trail intact in the target", "REDRESS_AUDIT_KEY=<the contents of " + app.AuditKeyPath(path) + ">", "cases", "case_search"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output has no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errs, key) {
		t.Error("the audit key itself was printed")
	}
	if !strings.Contains(errs, "events: ") || !strings.Contains(errs, "case_search: ") {
		t.Errorf("progress on stderr:\n%s", errs)
	}
	// The target now holds the landlord, and audit verify agrees with
	// the key given as the output says.
	t.Setenv("REDRESS_AUDIT_KEY", key)
	if code, out, errs := redress(t, "audit", "verify", "--db", dsn); code != exitOK {
		t.Errorf("audit verify on the target: exit %d\n%s%s", code, out, errs)
	}
	// A second copy into it is refused, as a usage error.
	t.Setenv("REDRESS_AUDIT_KEY", "")
	if code, _, errs := redress(t, "migrate-store", "--from", path, "--to", dsn); code != exitUsage || !strings.Contains(errs, "not empty") {
		t.Errorf("copying into a target that holds data: exit %d, %s", code, errs)
	}
}

func TestMigrateStoreExitsOneWhenTheCopyDoesNotMatch(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	path, _ := demoOnSQLite(t)
	raw := testdb.Raw(t, path)
	if _, err := raw.Exec(`UPDATE policy_days SET n = n + 5 WHERE (day, stage, within_policy, tenure) = (SELECT day, stage, within_policy, tenure FROM policy_days LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := redress(t, "migrate-store", "--from", path, "--to", testdb.PostgresDSN(t))
	if code != exitBreach || !strings.Contains(errs, "policy_days") || !strings.Contains(errs, "do not use the target") {
		t.Errorf("exit %d:\n%s\n%s", code, out, errs)
	}
}
