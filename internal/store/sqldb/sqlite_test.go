package sqldb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/pgserver"
)

// openTemp opens a new store for the test: a SQLite file, or with
// REDRESS_TEST_STORE=postgres a PostgreSQL database, so that the store's
// own tests of its outbox, inbound mail, drafts, notices and the rest run
// on both. (internal/store/testdb does the same for other packages; it
// imports this one, so it cannot be used here.)
func openTemp(t testing.TB) *DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "redress.db")
	if os.Getenv("REDRESS_TEST_STORE") == "postgres" {
		dsn = pgserver.TestDatabase(t, true, func(url string) error {
			db, err := Open(context.Background(), url, Options{})
			if err != nil {
				return err
			}
			return db.Close()
		})
	}
	db, err := Open(context.Background(), dsn, Options{AuditKey: testAuditKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPragmasGiveDurableWrites(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"} {
		var got string
		if err := db.w.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	var ok string
	db.r.QueryRow("PRAGMA integrity_check").Scan(&ok)
	if ok != "ok" {
		t.Errorf("integrity_check = %s", ok)
	}
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redress.db")
	if _, err := Open(ctx, path, Options{NoMigrate: true}); err == nil || !strings.Contains(err.Error(), "run redress migrate") {
		t.Fatalf("pending migrations not refused: %v", err)
	}
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Reopening applies nothing and is allowed with NoMigrate.
	db, err = Open(ctx, path, Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'later')`, SchemaVersion("x.db")+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path, Options{}); err == nil || !strings.Contains(err.Error(), "newer than this redress knows") {
		t.Fatalf("newer database not refused: %v", err)
	}
}

func TestAuditVerifyCatchesTampering(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, sql, want string
	}{
		{"edited event", `UPDATE events SET data = '{"text":"nothing happened"}' WHERE id = 3`, "it was edited"},
		{"edited time", `UPDATE events SET at = '2020-01-01T00:00:00.000000000Z' WHERE id = 2`, "it was edited"},
		{"deleted event", `DELETE FROM events WHERE id = 2`, "the chain is broken"},
		{"deleted newest event", `DELETE FROM events WHERE id = 4`, "the newest events were deleted"},
		{"re-ordered actor", `UPDATE events SET actor = 'someone.else@example.org' WHERE id = 1`, "it was edited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTemp(t)
			seed(t, db)
			if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK || rep.Events != 4 {
				t.Fatalf("before tampering: %+v, %v", rep, err)
			}
			if _, err := db.w.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			rep, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("audit after %s: %+v", tt.name, rep)
			}
		})
	}
}

// TestIssuedLettersNeverChange checks that the database itself refuses to
// change or delete an issued letter, whatever code asks.
func TestIssuedLettersNeverChange(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if _, err := db.w.ExecContext(ctx, `INSERT INTO cases (reference, kind, stage, status, handler, service_area, received_at, confidential, created_by, version, open_remedies, data)
		VALUES ('C-2026-000001', 'complaint', 1, 'received', '', '', '2026-11-23T10:00:00Z', 0, 'x', 1, 0, '{}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO letters (case_id, event_seq, kind, title, stage, issued_at, issued_by, channel, recipient, subject, body, pdf, sha256, large_print)
		VALUES ((SELECT id FROM cases), 2, 'acknowledgement', 'Acknowledgement', 1, '2026-11-23T10:00:00Z', 'x', 'print', 'Ada', 's', 'b', ?, 'h', 0)`, []byte{0}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`UPDATE letters SET body = 'changed'`, `DELETE FROM letters`} {
		if _, err := db.w.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "an issued letter") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	var body string
	if err := db.r.QueryRowContext(ctx, `SELECT body FROM letters`).Scan(&body); err != nil || body != "b" {
		t.Errorf("letter body %q, %v", body, err)
	}
}

// TestMigrationsAreNumberedWithoutGaps guards the migration runner, which
// applies every migration above the highest applied: a gap filled later
// would be skipped on databases already past it.
func TestMigrationsAreNumberedWithoutGaps(t *testing.T) {
	versions, _, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range versions {
		if v != i+1 {
			t.Fatalf("migration numbers %v: want 1 to %d with no gap", versions, len(versions))
		}
	}
}

// sqliteOnly skips a test of something only SQLite has (its query
// plans, pragmas, file or migration history) on a PostgreSQL run.
func sqliteOnly(t testing.TB, db *DB) {
	t.Helper()
	if db.d.name != sqliteDialect.name {
		t.Skip("checks SQLite itself; PostgreSQL's equivalent is tested elsewhere or has none")
	}
}
