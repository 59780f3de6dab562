package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// rawSQLite opens a pool of one caching connection to a new SQLite file.
func rawSQLite(t *testing.T) *sql.DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "redress.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.w
}

// cached reads the statements the pool's one connection holds.
func cached(t *testing.T, pool *sql.DB) map[string]*cachedStmt {
	t.Helper()
	conn, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var m map[string]*cachedStmt
	if err := conn.Raw(func(dc any) error {
		m = make(map[string]*cachedStmt)
		for q, s := range dc.(*sqliteConn).stmts {
			m[q] = s
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSQLiteStatementsArePreparedOnceAndReused(t *testing.T) {
	ctx := context.Background()
	pool := rawSQLite(t)
	const q = `SELECT count(*) FROM cases WHERE id > ?`
	var n int
	if err := pool.QueryRowContext(ctx, q, 0).Scan(&n); err != nil {
		t.Fatal(err)
	}
	first := cached(t, pool)[q]
	if first == nil {
		t.Fatalf("%q was not kept prepared", q)
	}
	for i := range 3 {
		if err := pool.QueryRowContext(ctx, q, i).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if again := cached(t, pool)[q]; again != first {
		t.Errorf("%q was prepared again", q)
	}
	if first.busy {
		t.Error("the statement is still marked in use after its rows were closed")
	}
}

// A query run again while its earlier rows are still being read (a nested
// loop over the same text) must not disturb them: SQLite runs a prepared
// statement once at a time.
func TestSQLiteStatementRunAgainWhileItsRowsAreOpen(t *testing.T) {
	ctx := context.Background()
	pool := rawSQLite(t)
	for i := range 3 {
		if _, err := pool.ExecContext(ctx, `INSERT INTO reference_counters (year, last) VALUES (?, ?)`, 2000+i, i); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT year, last FROM reference_counters WHERE year >= ? ORDER BY year`
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, q, 2000)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []int
	for rows.Next() {
		var year, last int
		if err := rows.Scan(&year, &last); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, year)
		in, err := tx.QueryContext(ctx, q, year)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for in.Next() {
			n++
		}
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(outer) != "[2000 2001 2002]" || fmt.Sprint(inner) != "[3 2 1]" {
		t.Errorf("outer rows %v, inner counts %v; want [2000 2001 2002] and [3 2 1]", outer, inner)
	}
}

// Queries past the cache's bound still run; they are just not kept.
func TestSQLiteStatementCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	pool := rawSQLite(t)
	for i := range maxCachedStmts + 20 {
		var n int
		if err := pool.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i {
			t.Fatalf("SELECT %d gave %d", i, n)
		}
	}
	if got := len(cached(t, pool)); got != maxCachedStmts {
		t.Errorf("the connection holds %d statements, want the bound %d", got, maxCachedStmts)
	}
}
