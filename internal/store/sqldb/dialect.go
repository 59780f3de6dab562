package sqldb

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
)

// dialect is what differs between the two databases Redress stores in.
// Everything else (every table, column and query) is written once, in SQL
// both understand, so that the two stores cannot drift apart and one
// conformance suite holds both: queries use ? for parameters (rewritten to
// $1, $2 ... for PostgreSQL by its connector), times and dates are text in
// one sortable form (store.FormatTime), booleans are 0 and 1, and new rows
// report their ids with RETURNING.
type dialect struct {
	// name is "sqlite" or "postgres", as the migrations directory is
	// named.
	name string
	// forUpdate ends a SELECT whose rows the transaction will change, so
	// that another writer waits for it rather than reading what is about
	// to change. SQLite has one writer at a time and no such clause.
	forUpdate string
	// skipLocked ends the SELECT that claims queued work, so that several
	// instances claiming at once each take different rows, none waiting.
	skipLocked string
	// recordedLate is the condition that event e was recorded more than
	// 22 hours after its date (trust.go), leaving out the import event of
	// a case from an earlier complaints log, which is late by its nature.
	// SQLite's is word for word the condition of its partial index
	// events_recorded_late.
	recordedLate string
	// safetyWaiting is the condition that case c is flagged for health
	// and safety and no senior manager has acknowledged it (safety.go),
	// word for word the condition of the partial index
	// cases_safety_waiting, so that the query reads only the waiting
	// cases.
	safetyWaiting string
	// snapshot begins a read transaction whose every query sees the same
	// moment: SQLite's read transactions do (a snapshot from the first
	// read), PostgreSQL's need REPEATABLE READ.
	snapshot *sql.TxOptions
	// serialize makes the transaction wait for any other holding the
	// same key, until it ends: PostgreSQL's advisory transaction lock,
	// for a count and a write that must be one step across instances.
	// SQLite's one writer already is that.
	serialize func(ctx context.Context, tx *sql.Tx, key int64) error
	// search indexes a case and turns what a person typed into a
	// condition (search.go for SQLite's FTS5, search_postgres.go).
	search searcher
}

var sqliteDialect = dialect{
	name:          "sqlite",
	recordedLate:  `julianday(e.recorded_at) - julianday(e.at) > 22.0 / 24 AND e.kind <> 'imported'`,
	safetyWaiting: `json_extract(c.data, '$.health_and_safety') = 1 AND json_extract(c.data, '$.safety_acknowledged_at') IS NULL`,
	snapshot:      &sql.TxOptions{ReadOnly: true},
	serialize:     func(context.Context, *sql.Tx, int64) error { return nil },
	search:        fts5Search{},
}

var postgresDialect = dialect{
	name:          "postgres",
	forUpdate:     " FOR UPDATE",
	skipLocked:    " FOR UPDATE SKIP LOCKED",
	recordedLate:  `redress_instant(e.recorded_at) - redress_instant(e.at) > interval '22 hours' AND e.kind <> 'imported'`,
	safetyWaiting: `(c.data::jsonb ->> 'health_and_safety') = 'true' AND (c.data::jsonb ->> 'safety_acknowledged_at') IS NULL`,
	snapshot:      &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	serialize: func(ctx context.Context, tx *sql.Tx, key int64) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, key)
		return err
	},
	search: pgSearch{},
}

// indexedBy matches SQLite's INDEXED BY clause, with which a few report
// queries name the index SQLite's planner must read.
var indexedBy = regexp.MustCompile(`\s+INDEXED BY\s+\w+`)

// rebind rewrites a query for PostgreSQL: its ? parameters become $1, $2
// ..., leaving any ? in a quoted string or identifier alone, and SQLite's
// INDEXED BY hints go (PostgreSQL's planner chooses its indexes itself).
func rebind(q string) string {
	q = indexedBy.ReplaceAllString(q, "")
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(itoa(n))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
