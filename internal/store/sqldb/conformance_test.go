package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/storetest"
	"github.com/redresshq/redress/internal/store/testdb"
)

// The one conformance suite, against each database: a SQLite file, and a
// database on a real PostgreSQL server (skipped, saying so, where
// PostgreSQL is not installed; required in CI).
func TestConformance(t *testing.T) {
	key, err := store.ParseAuditKey(strings.Repeat("5e", 32))
	if err != nil {
		t.Fatal(err)
	}
	open := func(dsn func(testing.TB) string) func(t *testing.T) store.Store {
		return func(t *testing.T) store.Store {
			db, err := sqldb.Open(context.Background(), dsn(t), sqldb.Options{AuditKey: key})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	}
	t.Run("sqlite", func(t *testing.T) { storetest.Run(t, open(testdb.SQLiteDSN)) })
	t.Run("postgres", func(t *testing.T) {
		testdb.PostgresDSN(t) // skips here, once, if PostgreSQL is absent
		storetest.Run(t, open(testdb.PostgresDSN))
	})
}
