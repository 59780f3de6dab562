package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens a pool of connections to the PostgreSQL database at
// url, through pgx, with every query's ? parameters rewritten as $n and
// booleans sent as 0 and 1 (see dialect).
func openPostgres(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	db := sql.OpenDB(pgConnector{base: stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	return db, nil
}

// pgConnector makes connections that speak the store's one dialect of
// SQL to PostgreSQL.
type pgConnector struct{ base driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.base.Driver() }

// pgConn is a pgx connection whose queries are rebound as they pass.
type pgConn struct{ *stdlib.Conn }

// rebound caches rebind's answers: the store's queries are a few hundred
// texts, most of them constants, and are rebound once each. A query built
// with a variable number of parameters adds one entry per count, so the
// cache stays small; it is emptied if it ever grows past maxRebound.
var rebound sync.Map

const maxRebound = 4096

var reboundCount int64
var reboundMu sync.Mutex

func rebindCached(q string) string {
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	r := rebind(q)
	reboundMu.Lock()
	if reboundCount++; reboundCount > maxRebound {
		rebound.Clear()
		reboundCount = 0
	}
	reboundMu.Unlock()
	rebound.Store(q, r)
	return r
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebindCached(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebindCached(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebindCached(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebindCached(query), args)
}

// CheckNamedValue sends a Go bool as 0 or 1, as the columns that hold
// booleans are integers in both databases.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.Conn.CheckNamedValue(nv)
}

// OpenRaw opens the database dsn names without the store around it, for
// the tests that change rows behind the store's back (to check that the
// audit catches it) and for tools that copy whole tables. Its queries are
// written as the store's are, with ? parameters, on either database.
func OpenRaw(dsn string) (*sql.DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	return sql.Open("sqlite", sqliteDSN(dsn, false))
}

// OpenReadOnly opens the database dsn names to look at, never to change,
// without the store around it: a SQLite file is opened read-only and
// without the store's switch to WAL mode, which is written into the file,
// so that a database a command only inspects (and refuses) is left
// exactly as it was.
func OpenReadOnly(dsn string) (*sql.DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	if err := checkPath(dsn); err != nil {
		return nil, err
	}
	return sql.Open("sqlite", sqliteDSN(dsn, true)+"&mode=ro")
}

// checkCharacterType refuses a PostgreSQL database whose character type
// is not C. Email addresses are compared without regard to case by
// lower(), which on SQLite folds the ASCII letters only, and on
// PostgreSQL folds by the database's character type: in a language's,
// an address with a non-ASCII letter would match differently from one
// database to the other, and who may see a confidential case is decided
// by such a match.
func checkCharacterType(ctx context.Context, db *sql.DB) error {
	var ctype string
	if err := db.QueryRowContext(ctx, `SELECT datctype FROM pg_database WHERE datname = current_database()`).Scan(&ctype); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if ctype != "C" && ctype != "POSIX" {
		return fmt.Errorf("the database's character type is %s; Redress needs C, so that email addresses compare as they do on SQLite: create the database with createdb -E UTF8 --lc-ctype=C -T template0 NAME (or CREATE DATABASE NAME ENCODING 'UTF8' LC_CTYPE 'C' TEMPLATE template0)", ctype)
	}
	return nil
}
