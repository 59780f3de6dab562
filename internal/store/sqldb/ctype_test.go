package sqldb

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/pgserver"
)

// A PostgreSQL database whose character type folds more than ASCII
// letters is refused, with the way to make one that will do; a C one is
// opened.
func TestAPostgreSQLDatabaseMustHaveTheCCharacterType(t *testing.T) {
	srv := pgserver.TestServer(t)
	ctx := context.Background()
	name := fmt.Sprintf("ctype_%d", os.Getpid())
	if _, err := srv.Exec(ctx, "postgres", `CREATE DATABASE "`+name+`" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	db, err := Open(ctx, srv.URL(name), Options{})
	if err == nil {
		db.Close()
		t.Fatal("a database with the C.UTF-8 character type was opened")
	}
	for _, want := range []string{"C.UTF-8", "--lc-ctype=C"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	var tables int
	raw, err := OpenRaw(srv.URL(name))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the refused database has %d tables (%v): it was migrated", tables, err)
	}
}
