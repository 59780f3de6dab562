package cli

import (
	"context"
	"crypto/sha256"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

var oneTimeLine = regexp.MustCompile(`(?m)^One-time password: (\S+)$`)

// printedPassword returns the one-time password in a command's output,
// checking that it is printed exactly once.
func printedPassword(t *testing.T, out string) string {
	t.Helper()
	m := oneTimeLine.FindAllStringSubmatch(out, -1)
	if len(m) != 1 {
		t.Fatalf("output has %d one-time password lines, want 1:\n%s", len(m), out)
	}
	if !strings.Contains(out, "must change it at first sign-in") {
		t.Errorf("output does not say the password must be changed:\n%s", out)
	}
	return m[0][1]
}

func openDB(t *testing.T, path string) *sqldb.DB {
	t.Helper()
	st, err := sqldb.Open(context.Background(), path, sqldb.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// checkPassword checks that pw is the user's password, to be changed.
func checkPassword(t *testing.T, st store.Store, email, pw string) store.User {
	t.Helper()
	u, pi, err := st.UserPassword(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := auth.VerifyPassword(pi.Hash, pw); !ok || err != nil {
		t.Errorf("the printed password does not verify against the stored hash: %v, %v", ok, err)
	}
	if !pi.MustChange {
		t.Error("a one-time password is not marked to be changed")
	}
	if strings.Contains(pi.Hash, pw) {
		t.Error("the password is stored in the clear")
	}
	return u
}

func TestAdminCreateUserPrintsAOneTimePasswordThatMustBeChanged(t *testing.T) {
	db := testdb.DSN(t) // on SQLite, a file not made yet: the first admin makes it
	code, out, errs := redress(t, "admin", "create-user", "--db", db, "--email", " Ann.Admin@Example.org ", "--role", "admin", "--name", "Ann Admin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	pw := printedPassword(t, out)
	if err := auth.CheckPassword(pw, "ann.admin@example.org"); err != nil {
		t.Errorf("one-time password %q fails the password rules: %v", pw, err)
	}
	st := openDB(t, db)
	u := checkPassword(t, st, "ann.admin@example.org", pw)
	if u.Email != "Ann.Admin@Example.org" || u.Name != "Ann Admin" || u.Role != "admin" {
		t.Errorf("created %+v", u)
	}

	// The name defaults to the email address.
	code, out, errs = redress(t, "admin", "create-user", "--email", "bob@example.org", "--role", "officer", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if u := checkPassword(t, st, "bob@example.org", printedPassword(t, out)); u.Name != "bob@example.org" || u.Role != "officer" {
		t.Errorf("created %+v", u)
	}
}

func TestAdminCreateUserRefusesBadInputNamingTheFlag(t *testing.T) {
	db := testdb.DSN(t)
	if code, _, errs := redress(t, "admin", "create-user", "--db", db, "--email", "ann@example.org", "--role", "officer"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "create-user or reset-password"},
		{"unknown subcommand", []string{"delete-user"}, `"delete-user"`},
		{"no email", []string{"create-user", "--role", "officer"}, "--email is required"},
		{"email without @", []string{"create-user", "--email", "ann.example.org", "--role", "officer"}, "--email"},
		{"email that is only a domain", []string{"create-user", "--email", "@example.org", "--role", "officer"}, "--email"},
		{"no role", []string{"create-user", "--email", "new@example.org"}, "--role is required"},
		{"unknown role", []string{"create-user", "--email", "new@example.org", "--role", "superuser"}, `--role: "superuser" is not a role`},
		{"email exists", []string{"create-user", "--email", "ann@example.org", "--role", "viewer"}, "--email: a user with email ann@example.org already exists"},
		{"email exists in other case", []string{"create-user", "--email", "ANN@example.org", "--role", "viewer"}, "already exists"},
		{"unknown flag", []string{"create-user", "--email", "new@example.org", "--role", "viewer", "--password", "x"}, "-password"},
		{"stray argument", []string{"create-user", "new@example.org", "--role", "viewer"}, "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := redress(t, append(append([]string{"admin"}, tt.args...), "--db", db)...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q does not mention %q", errs, tt.want)
			}
			if oneTimeLine.MatchString(out) {
				t.Errorf("a password was printed on failure:\n%s", out)
			}
		})
	}
	st := openDB(t, db)
	if n, err := st.CountUsers(context.Background()); err != nil {
		t.Errorf("counting users: %v", err)
	} else if n != 1 {
		t.Errorf("%d users after refused commands, want 1", n)
	}
	if _, pi, err := st.UserPassword(context.Background(), "ann@example.org"); err != nil {
		t.Errorf("ann's password: %v", err)
	} else if !pi.MustChange {
		t.Error("a refused create-user changed the existing user's password")
	}
}

func TestAdminResetPasswordGivesANewPasswordAndSignsTheUserOutEverywhere(t *testing.T) {
	ctx := context.Background()
	db := testdb.DSN(t)
	code, out, errs := redress(t, "admin", "create-user", "--db", db, "--email", "ann@example.org", "--role", "manager")
	if code != 0 {
		t.Fatalf("create-user: exit %d: %s", code, errs)
	}
	old := printedPassword(t, out)

	st := openDB(t, db)
	u, _, err := st.UserPassword(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	// Ann had chosen her own password and signed in on two browsers, and
	// someone has been guessing at her account.
	now := clock.Wall()
	mine, err := auth.HashPassword("a password of ann's own choosing")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(ctx, u.ID, mine, false); err != nil {
		t.Fatal(err)
	}
	var ids [][]byte
	for _, name := range []string{"laptop", "phone"} {
		id := sha256.Sum256([]byte(name))
		ids = append(ids, id[:])
		if err := st.CreateSession(ctx, store.Session{IDHash: id[:], UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RecordLoginFailure(ctx, "ann@example.org", now); err != nil {
		t.Fatal(err)
	}

	code, out, errs = redress(t, "admin", "reset-password", "--email", "ANN@example.org", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	pw := printedPassword(t, out)
	if pw == old {
		t.Error("the reset gave the same one-time password again")
	}
	checkPassword(t, st, "ann@example.org", pw)
	_, pi, err := st.UserPassword(ctx, "ann@example.org")
	if err != nil {
		t.Fatalf("ann's password: %v", err)
	}
	if ok, err := auth.VerifyPassword(pi.Hash, "a password of ann's own choosing"); err != nil {
		t.Errorf("checking the old password: %v", err)
	} else if ok {
		t.Error("the old password still works")
	}
	for _, id := range ids {
		if _, _, err := st.SessionUser(ctx, id, now, now.Add(-time.Hour)); complaint.ErrorCode(err) != complaint.NotFound {
			t.Errorf("a session survived the reset: %v", err)
		}
	}
	if n, err := st.CountLoginFailures(ctx, "ann@example.org", time.Time{}); err != nil {
		t.Errorf("counting failed sign-ins: %v", err)
	} else if n != 0 {
		t.Errorf("%d failed sign-ins kept after the reset, want 0", n)
	}
	// The reset is in the user audit, as one from the users page is.
	u, err = st.UserByEmail(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if audit, err := st.UserAudit(ctx, u.ID, 10); err != nil || len(audit) == 0 || audit[0].Action != store.UserPasswordReset || !strings.Contains(audit[0].Actor, "command line") {
		t.Errorf("user audit after the reset = %+v, %v; want a password_reset by the command line", audit, err)
	}
}

func TestAdminResetPasswordRefusesBadInputNamingTheFlag(t *testing.T) {
	dir := t.TempDir() // where a mistyped SQLite --db points
	db := testdb.DSN(t)
	if code, _, errs := redress(t, "admin", "create-user", "--db", db, "--email", "ann@example.org", "--role", "officer"); code != 0 {
		t.Fatalf("create-user: exit %d: %s", code, errs)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no email", []string{"--db", db}, "--email is required"},
		{"email without @", []string{"--db", db, "--email", "ann"}, "--email"},
		{"unknown user", []string{"--db", db, "--email", "nobody@example.org"}, "--email: there is no user with email nobody@example.org"},
		{"missing database", []string{"--db", filepath.Join(dir, "typo.db"), "--email", "ann@example.org"}, "--db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := redress(t, append([]string{"admin", "reset-password"}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
			if oneTimeLine.MatchString(out) {
				t.Errorf("a password was printed on failure:\n%s", out)
			}
		})
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "typo.db*")); len(m) > 0 {
		t.Errorf("reset-password created %v for a mistyped --db", m)
	}
}

func TestUsageListsTheAdminCommands(t *testing.T) {
	_, out, _ := redress(t, "help")
	for _, want := range []string{"redress admin create-user --email E --role R", "redress admin reset-password --email E"} {
		if !strings.Contains(out, want) {
			t.Errorf("usage does not list %q", want)
		}
	}
}
