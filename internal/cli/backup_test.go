package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backupRun runs the command line and returns its exit code and what it
// printed to stdout and stderr.
func backupRun(args ...string) (int, string) {
	var out, errs bytes.Buffer
	code := Main(args, &out, &errs)
	return code, out.String() + errs.String()
}

// Every bad use of backup and restore is a usage error (exit 2) that
// names the flag or argument and why.
func TestBackupAndRestoreNameWhatIsWrong(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	t.Setenv("REDRESS_DB", "")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "--db", missing}, "--out: name the backup file"},
		{[]string{"backup", "--db", missing, "--out", filepath.Join(dir, "b.db")}, "--db: stat " + missing},
		{[]string{"backup", "--db", missing, "--out", filepath.Join(dir, "b.db"), "extra"}, "backup takes no arguments"},
		{[]string{"backup", "--db", "postgres://u@localhost/redress", "--out", filepath.Join(dir, "b.db")}, "pg_dump"},
		{[]string{"backup", "--outt", "x"}, "flag provided but not defined: -outt"},
		{[]string{"restore", "--db", filepath.Join(dir, "r.db")}, "restore needs one backup file"},
		{[]string{"restore", filepath.Join(dir, "nothing.db"), "--db", filepath.Join(dir, "r.db")}, "backup file: stat"},
		{[]string{"restore", missing, "--db", "postgres://u@localhost/redress"}, "pg_dump"},
	} {
		code, out := backupRun(tc.args...)
		if code != exitUsage || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, out, tc.want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a refused backup created the database")
	}
}

// backup and restore, the way the README gives them: the key file beside
// the database signs the manifest's checkpoint, and a restore elsewhere
// finds the key in REDRESS_AUDIT_KEY_FILE, and says so when it is not
// the backup's.
func TestBackupThenRestoreFromTheCommandLine(t *testing.T) {
	t.Setenv("REDRESS_AUDIT_KEY", "")
	t.Setenv("REDRESS_AUDIT_KEY_FILE", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	keyedDatabase(t, db)
	out := filepath.Join(dir, "b.db")
	code, said := backupRun("backup", "--db", db, "--out", out)
	if code != 0 || !strings.Contains(said, "1 cases, 2 events; needs audit key") {
		t.Fatalf("backup: exit %d\n%s", code, said)
	}
	if code, said := backupRun("backup", "--db", db, "--out", out); code != exitUsage || !strings.Contains(said, "already exists") {
		t.Errorf("backup over the last: exit %d\n%s", code, said)
	}

	other := filepath.Join(dir, "other.key")
	os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	t.Setenv("REDRESS_AUDIT_KEY_FILE", other)
	target := filepath.Join(t.TempDir(), "restored.db")
	if code, said := backupRun("restore", out, "--db", target); code != exitUsage || !strings.Contains(said, "wrong audit key") || !strings.Contains(said, "REDRESS_AUDIT_KEY_FILE") {
		t.Errorf("restore with another key: exit %d\n%s", code, said)
	}
	t.Setenv("REDRESS_AUDIT_KEY_FILE", filepath.Join(dir, "redress.audit.key"))
	if code, said := backupRun("restore", out, "--db", target); code != 0 || !strings.Contains(said, "audit trail verified: 2 events, 1 cases") {
		t.Errorf("restore: exit %d\n%s", code, said)
	}
	if code, said := backupRun("restore", out, "--db", target); code != exitUsage || !strings.Contains(said, "give --replace") {
		t.Errorf("restore over it again: exit %d\n%s", code, said)
	}
	if code, said := backupRun("restore", out, "--db", target, "--replace"); code != 0 || !strings.Contains(said, "is now "+target+".before-restore-") {
		t.Errorf("restore --replace: exit %d\n%s", code, said)
	}
}
