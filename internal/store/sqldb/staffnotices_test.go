package sqldb_test

import (
	"context"
	"testing"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/storetest"
	"github.com/redresshq/redress/internal/store/testdb"
)

// The staff notices' conformance suite, against each database as
// TestConformance runs the main one.
func TestStaffNoticesConformance(t *testing.T) {
	open := func(dsn func(testing.TB) string) func(t *testing.T) store.Store {
		return func(t *testing.T) store.Store {
			db, err := sqldb.Open(context.Background(), dsn(t), sqldb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
	}
	t.Run("sqlite", func(t *testing.T) { storetest.RunStaffNotices(t, open(testdb.SQLiteDSN)) })
	t.Run("postgres", func(t *testing.T) {
		testdb.PostgresDSN(t) // skips here, once, if PostgreSQL is absent
		storetest.RunStaffNotices(t, open(testdb.PostgresDSN))
	})
}
