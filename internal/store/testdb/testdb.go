// Package testdb gives a test "the store under test": a new, empty,
// migrated database of the kind the test run is for. By default that is
// a SQLite file in the test's temporary directory; with
// REDRESS_TEST_STORE=postgres it is a fresh database on a PostgreSQL
// server the tests start themselves (internal/pgserver), made from a
// migrated template so that each test's database costs one CREATE
// DATABASE. Every integration test opens its store here, so the whole
// suite runs against either store unchanged.
package testdb

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/redresshq/redress/internal/pgserver"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// Postgres reports whether this run's store under test is PostgreSQL.
func Postgres() bool { return os.Getenv("REDRESS_TEST_STORE") == "postgres" }

// DSN returns where a new, empty database for the test is: a SQLite path
// (not yet created) or a postgres:// URL of a database made for it
// (migrated already) and dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return SQLiteDSN(t)
	}
	return PostgresDSN(t)
}

// SQLiteDSN returns the path of a new SQLite database in the test's
// temporary directory, whatever the run's store.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "redress.db")
}

// PostgresDSN returns a fresh PostgreSQL database for the test whatever
// the run's store, for the tests that check PostgreSQL itself (the
// conformance suite runs on both). It skips the test with the reason when
// PostgreSQL is not installed, unless REDRESS_REQUIRE_POSTGRES=1 (as in
// CI), when it fails it.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return pgserver.TestDatabase(t, Postgres(), Migrate)
}

// Migrate brings the database at url to the current schema, for
// pgserver.TestDatabase's template.
func Migrate(url string) error {
	db, err := sqldb.Open(context.Background(), url, sqldb.Options{})
	if err != nil {
		return err
	}
	return db.Close()
}

// Open opens a new, empty store under test with opts, closed when the
// test ends.
func Open(t testing.TB, opts sqldb.Options) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), DSN(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Raw opens the database at dsn without the store, to change its rows
// behind the store's back, closed when the test ends.
func Raw(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sqldb.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testAuditKey is the audit key of the PostgreSQL runs (hex), which every
// instance must be given: a key file beside the database is SQLite's way.
const testAuditKey = "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a"

// AuditKey returns the audit key a test must configure for the store
// under test: none for SQLite (the server makes a key file beside the
// database) and a fixed one for PostgreSQL, which has no such place.
func AuditKey() string {
	if Postgres() {
		return testAuditKey
	}
	return ""
}
