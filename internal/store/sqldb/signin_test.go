package sqldb

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
)

// Migration 17 replaced login_failures with sign_in_attempts. Failures
// counted before the upgrade are carried over, so that upgrading in the
// middle of an attack does not give the attacker a fresh start.
func TestSignInThrottleMigrationKeepsTheFailuresAlreadyCounted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redress.db")
	raw, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	versions, sqls, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if v >= 17 {
			break
		}
		if _, err := raw.Exec(sqls[v]); err != nil {
			t.Fatalf("migration %d: %v", v, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'then')`, v); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, key := range []string{"account:Ann@Example.org", "account:ann@example.org", "address:192.0.2.7", "address:192.0.2.7", "something:else"} {
		if _, err := raw.Exec(`INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, store.FormatTime(at)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path, Options{AuditKey: testAuditKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.CountLoginFailures(ctx, "ann@example.org", at); err != nil || n != 2 {
		t.Errorf("ann's failures after the upgrade: %d, %v; want 2", n, err)
	}
	l := store.SignInLimits{Since: at, PerAddress: 2}
	if _, limit, err := db.BeginSignIn(ctx, store.SignInAttempt{Account: "bob@example.org", Address: "192.0.2.7", At: at.Add(time.Minute)}, l); err != nil || limit != store.LimitAddress {
		t.Errorf("an address with 2 failures before the upgrade, limit 2: limit %q, %v; want %q", limit, err, store.LimitAddress)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM sign_in_attempts`).Scan(&n); err != nil || n != 4 {
		t.Errorf("%d attempts carried over, %v; want 4 (unknown keys dropped)", n, err)
	}
}

// Every attempt at signing in runs the throttle's statements, so each
// must read one range of an index, never the whole table: under attack
// the table holds a day of guesses.
func TestSignInThrottleQueriesReadIndexRanges(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	search := regexp.MustCompile(`^SEARCH sign_in_attempts USING (COVERING )?INDEX sign_in_attempts_\w+ \(`)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{countDeviceAttempts, []any{"d", "t"}},
		{countAccountAddressAttempts, []any{"a", "b", "t"}},
		{countAddressAttempts, []any{"b", "t"}},
		{countAccountAttempts, []any{"a", "t"}},
		{forgetDeviceAttempts, []any{"d"}},
		{forgetAccountAddressAttempts, []any{"a", "b"}},
		{forgetOldAttempts, []any{"t"}},
	} {
		plan := queryPlan(t, db, q.sql, q.args...)
		if len(plan) != 1 || !search.MatchString(plan[0]) {
			t.Errorf("%s:\n%s\nwant one search of an index", q.sql, strings.Join(plan, "\n"))
		}
	}
}
