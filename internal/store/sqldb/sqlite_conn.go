package sqldb

import (
	"context"
	"database/sql/driver"
	"fmt"

	"modernc.org/sqlite"
)

// sqliteConnector makes SQLite connections that keep the statements they
// run prepared. The store's queries are a few hundred fixed texts run over
// and over: a case create runs about twenty, and compiling each one again
// (SQLite's parser and planner) was about a quarter of a create's time.
// database/sql would prepare once only where the code asks it to, through
// a *sql.Stmt for each query; here every query is prepared on first use on
// each connection and reused after, with no change to the code that runs
// them.
type sqliteConnector struct {
	dsn string
	drv *sqlite.Driver
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	base, ok := conn.(sqliteBase)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite driver connection %T lacks a method the store needs", conn)
	}
	return &sqliteConn{sqliteBase: base, stmts: make(map[string]*cachedStmt)}, nil
}

func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// sqliteBase is what the store needs of a modernc.org/sqlite connection.
type sqliteBase interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// maxCachedStmts bounds the statements a connection keeps. The store's
// fixed queries are far fewer; queries built with a variable number of
// parameters add one per count, and once the cache is full a new text is
// run as before, prepared and finalised each time.
const maxCachedStmts = 512

// sqliteConn is a connection with its prepared statements. database/sql
// uses a connection from one goroutine at a time, so the map needs no
// lock.
type sqliteConn struct {
	sqliteBase
	stmts map[string]*cachedStmt
}

// cachedStmt is a prepared statement and whether rows read through it
// are still open: SQLite runs a statement once at a time, so a query
// run again while its earlier rows are open (a nested loop) is prepared
// afresh for that once.
type cachedStmt struct {
	st   preparedStmt
	busy bool
}

type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// prepared returns query's statement on this connection, preparing it
// the first time, or nil if it is not to be cached (the cache is full,
// or it is in use).
func (c *sqliteConn) prepared(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil, nil
	}
	st, err := c.sqliteBase.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ps, ok := st.(preparedStmt)
	if !ok {
		st.Close()
		return nil, nil
	}
	s := &cachedStmt{st: ps}
	c.stmts[query] = s
	return s, nil
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteBase.ExecContext(ctx, query, args)
	}
	return s.st.ExecContext(ctx, args)
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteBase.QueryContext(ctx, query, args)
	}
	rows, err := s.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	sr, ok := rows.(sqliteRows)
	if !ok {
		rows.Close()
		return nil, fmt.Errorf("sqlite driver rows %T lack a method the store needs", rows)
	}
	s.busy = true
	return &cachedRows{sqliteRows: sr, s: s}, nil
}

// Close finalises the connection's statements before closing it.
func (c *sqliteConn) Close() error {
	for _, s := range c.stmts {
		s.st.Close()
	}
	c.stmts = nil
	return c.sqliteBase.Close()
}

// sqliteRows is what database/sql uses of modernc.org/sqlite's rows.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedRows are rows read through a cached statement, which is free
// again once they are closed.
type cachedRows struct {
	sqliteRows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.sqliteRows.Close()
	r.s.busy = false
	return err
}
