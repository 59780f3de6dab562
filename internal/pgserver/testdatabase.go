package pgserver

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
)

// TestDatabase returns the URL of a new database for the test on the
// test binary's shared server, copied from a template that prepare made
// once (a migrated schema, say), and dropped when the test ends. Copying
// a template costs one CREATE DATABASE, a fraction of migrating anew.
// The test is skipped, saying why, when PostgreSQL cannot be started,
// unless REDRESS_REQUIRE_POSTGRES=1 or required is set, when it fails.
// prepare must close every connection it opens to the template, or the
// copy is refused.
func TestDatabase(t testing.TB, required bool, prepare func(url string) error) string {
	t.Helper()
	srv, tmpl, err := template(prepare)
	if err != nil {
		unavailable(t, required, err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), databases.Add(1))
	if err := srv.CreateDatabase(context.Background(), name, tmpl); err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.DropDatabase(context.Background(), name); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return srv.URL(name)
}

var databases atomic.Int64

// TestServer returns the test binary's shared server, for a test that
// makes databases of its own, skipping or failing as TestDatabase does
// when PostgreSQL cannot be started.
func TestServer(t testing.TB) *Server {
	t.Helper()
	srv, err := Shared()
	if err != nil {
		unavailable(t, false, err)
	}
	return srv
}

// unavailable skips the test, saying why, or fails it when PostgreSQL
// is required (REDRESS_REQUIRE_POSTGRES=1, as in CI).
func unavailable(t testing.TB, required bool, err error) {
	t.Helper()
	if required || os.Getenv("REDRESS_REQUIRE_POSTGRES") == "1" {
		t.Fatalf("PostgreSQL is needed and could not be started: %v", err)
	}
	t.Skipf("skipping: PostgreSQL could not be started (%v)", err)
}

var (
	templateOnce sync.Once
	templateSrv  *Server
	templateName string
	templateErr  error
)

// template starts the shared server and makes its template database with
// prepare, once per test binary: every caller in one binary prepares the
// same schema.
func template(prepare func(url string) error) (*Server, string, error) {
	templateOnce.Do(func() {
		srv, err := Shared()
		if err != nil {
			templateErr = err
			return
		}
		name := fmt.Sprintf("redress_template_%d", os.Getpid())
		if err := srv.CreateDatabase(context.Background(), name, ""); err != nil {
			templateErr = err
			return
		}
		if err := prepare(srv.URL(name)); err != nil {
			templateErr = fmt.Errorf("prepare the template database: %w", err)
			return
		}
		templateSrv, templateName = srv, name
	})
	return templateSrv, templateName, templateErr
}
