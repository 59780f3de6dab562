package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// scanner is what reading one row needs of *sql.Row and *sql.Rows, so that
// one function reads a record whether it was asked for alone or in a list.
type scanner interface {
	Scan(dest ...any) error
}

// rowsQuerier is what queryAll needs of a pool or a transaction.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs query on q (a pool or a transaction) and reads each row
// with scan. Every list the store returns goes through it, so that each
// one closes its rows, stops at the first bad row and reports an error
// that ended the rows early. It returns nil for no rows.
func queryAll[T any](ctx context.Context, q rowsQuerier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryColumn runs query on q and reads the one column of each row as a
// T, through queryAll. It returns nil for no rows.
func queryColumn[T any](ctx context.Context, q rowsQuerier, query string, args ...any) ([]T, error) {
	return queryAll(ctx, q, func(sc scanner) (v T, err error) { return v, sc.Scan(&v) }, query, args...)
}

// storedTime scans a time the store wrote with store.FormatTime into the
// time it points at, so that a row that carries when it was made is read
// in one Scan, with no text left over to parse afterwards.
type storedTime struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s storedTime) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("a stored time is text, not %T", src)
	}
	var err error
	*s.t, err = store.ParseTime(text)
	return err
}

// orNotFound turns no row into a not_found error that says what is
// missing, so that a lookup never hands back a zero record as if it had
// been found; any other error passes through as it is.
func orNotFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.Errorf(complaint.NotFound, format, args...)
	}
	return err
}

// withBlob returns dest with blob after it when want is set. A stored
// document (a letter's PDF, a file, a raw message) is read by one row
// function for both a list, which leaves the bytes in the database, and a
// single read, which brings them.
func withBlob(want bool, blob *[]byte, dest ...any) []any {
	if want {
		return append(dest, blob)
	}
	return dest
}

// sha256Hex is the lower-case hex SHA-256 of b, the form in which the
// store keeps, and checks, the hash of every document it is given.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// inTx runs fn in one write transaction and commits it, so that what fn
// writes lands together or not at all: an error from fn rolls it back and
// is returned as it is. fn must do its work with the context it is given.
//
// On SQLite the transaction may be shared with other writes waiting at
// the same moment, each in a savepoint of its own (see committer); fn's
// context is then not cancelled with ctx, since a statement interrupted
// halfway would end them all.
//
// On PostgreSQL a transaction that meets a deadlock (two writers locking
// the same counters in a different order) or a serialization failure is
// run again, up to maxTries times: fn decides from what it reads, so a
// second run decides afresh, and the first changed nothing.
func (db *DB) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if db.commit != nil {
		return db.commit.do(ctx, fn)
	}
	for try := 1; ; try++ {
		err := db.inTxOnce(ctx, fn)
		if try == maxTries || !isTransient(err) {
			return err
		}
	}
}

// maxTries is how many times inTx runs a transaction that keeps failing
// for a transient reason.
const maxTries = 5

func (db *DB) inTxOnce(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	if err := timedCommit(tx, db.observeCommit); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// caseDocs is a table of documents kept beside a case's events: its
// letters and its attachments. Both are read the same way: listed by the
// case's reference without their bytes, which can be large, and fetched
// one at a time with them, only through their own case.
type caseDocs[T any] struct {
	table, alias string
	// columns are what a list reads, and scan reads them (and the bytes
	// after them when asked); blob is the column of the bytes.
	columns, blob string
	scan          func(sc scanner, withBlob bool) (T, error)
	// noun names one document in a not_found error.
	noun string
}

// list reads the documents of the case with reference ref, oldest first.
func (f caseDocs[T]) list(ctx context.Context, q *sql.DB, ref string) ([]T, error) {
	return queryAll(ctx, q, func(sc scanner) (T, error) { return f.scan(sc, false) },
		`SELECT `+f.columns+` FROM `+f.table+` `+f.alias+` JOIN cases c ON c.id = `+f.alias+`.case_id
		WHERE `+f.alias+`.case_id = (SELECT case_id FROM case_refs WHERE reference = ?) ORDER BY `+f.alias+`.id`, ref)
}

// one reads document id, with its bytes, if it belongs to the case with
// reference ref.
func (f caseDocs[T]) one(ctx context.Context, q *sql.DB, ref string, id int64) (T, error) {
	v, err := f.scan(q.QueryRowContext(ctx, `SELECT `+f.columns+`, `+f.alias+`.`+f.blob+` FROM `+f.table+` `+f.alias+` JOIN cases c ON c.id = `+f.alias+`.case_id
		WHERE `+f.alias+`.id = ? AND `+f.alias+`.case_id = (SELECT case_id FROM case_refs WHERE reference = ?)`, id, ref), true)
	return v, orNotFound(err, "case %s has no %s %d", ref, f.noun, id)
}
