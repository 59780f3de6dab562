package sqldb

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// isTransient reports whether err is PostgreSQL ending a transaction
// that would succeed if run again: a deadlock (40P01) or a serialization
// failure (40001).
func isTransient(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// constraint is a kind of integrity constraint a write can break.
type constraint int

const (
	uniqueViolation constraint = iota
	foreignKeyViolation
)

// isConstraint reports whether err is the database refusing a write for
// breaking a constraint of kind k, read from the driver's error code
// (SQLite's extended result code, PostgreSQL's SQLSTATE) rather than its
// message, which neither promises to keep.
func isConstraint(err error, k constraint) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch k {
		case uniqueViolation:
			return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		case foreignKeyViolation:
			return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch k {
		case uniqueViolation:
			return pe.Code == "23505"
		case foreignKeyViolation:
			return pe.Code == "23503"
		}
	}
	return false
}
