// Package sqldb is Redress's store in SQL: one implementation of
// store.Store over database/sql that runs on embedded SQLite (the
// default: one file, nothing to install) or on PostgreSQL (when a landlord
// outgrows one machine, or runs several instances). The SQL is written
// once for both; the few places they differ are in dialect.
//
// SQLite: WAL journal, synchronous=FULL: a commit returns only after the
// WAL has been synced to disk, so a change survives a process kill or a
// power cut the moment after. (synchronous=NORMAL would be about four
// times faster on these disks but can lose the last commits on power
// loss.) Writes go through a pool of one connection, so there is one
// writer and writes queue in Go rather than failing with SQLITE_BUSY;
// reads use their own pool and see the last committed state. Foreign keys
// are on and a busy timeout covers other processes, such as `redress
// audit verify`.
//
// PostgreSQL: a pool of connections through pgx, shared by any number of
// Redress instances. Where SQLite relies on having one writer, PostgreSQL
// takes row locks: a case is read FOR UPDATE before it changes, the audit
// chain's head is locked while an event is added (which also makes event
// ids commit-ordered, as the notify relay and audit verification need),
// queues are claimed FOR UPDATE SKIP LOCKED, and migrations run under an
// advisory lock.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Options change how Open treats the schema.
type Options struct {
	// NoMigrate refuses to open a database with pending migrations rather
	// than applying them.
	NoMigrate bool
	// AuditKey keys the audit chain (see package store). Without it the
	// store can read a keyed chain but not add to it or verify its keyed
	// events, and a chain that was never keyed stays unkeyed.
	AuditKey store.AuditKey
	// Replica is a postgres:// URL of a read replica of the (PostgreSQL)
	// database, from which the report figures and searches are read, so
	// that a year's figures over a million cases do not load the primary
	// (REDRESS_DB_REPLICA). Empty reads everything from the primary.
	Replica string
	// ObserveCommit, if set, is told how long each write transaction's
	// commit took: on SQLite each shared commit of the group-commit
	// writer, on PostgreSQL each transaction's. A commit is where a write
	// waits for the disk, so its latency is the first sign of a slow
	// volume; the store reports it this way to stay free of any metrics
	// library. It must be quick and safe for concurrent use.
	ObserveCommit func(time.Duration)
}

// DB is the store. It implements store.Store.
type DB struct {
	w, r *sql.DB
	// rep is where reports and searches read: the reporting replica
	// (Options.Replica) if there is one, else r.
	rep *sql.DB
	d   dialect
	key store.AuditKey
	// signed is the newest checkpoint this store has signed (audit.go).
	signed signedHead
	// commit runs SQLite's write transactions, several to a commit; nil
	// on PostgreSQL (groupcommit.go).
	commit *committer
	// observeCommit is Options.ObserveCommit, or nil.
	observeCommit func(time.Duration)
	// figures is held by the one report at a time that reads on several
	// connections at once (management.go); see readAtOnce.
	figures sync.Mutex
}

var _ store.Store = (*DB)(nil)

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
		// The writer's savepoints (one per write in a shared commit, see
		// committer) keep the pages they change in a statement journal,
		// which otherwise spills to a temporary file past 64 KiB, about
		// one case create: writing it was a sixth of the writer's time.
		// In memory it costs a create's pages, briefly.
		q.Add("_pragma", "temp_store(MEMORY)")
		// Deleted and overwritten rows are zeroed, not left in the file's
		// free space, so that a case anonymised (retention.go) leaves no
		// copy of what it removed in pages split or freed before.
		q.Add("_pragma", "secure_delete(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// checkPath refuses a SQLite path that would be read as part of the
// file: URI the driver is given.
func checkPath(path string) error {
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("database path %q may not contain ? or #", path)
	}
	return nil
}

// IsPostgres reports whether dsn names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database dsn names, a SQLite file path (created if need
// be) or a postgres:// URL, and brings its schema up to date, unless
// opts.NoMigrate. It refuses a database whose schema is newer than this
// build knows.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{key: opts.AuditKey, observeCommit: opts.ObserveCommit}
	var err error
	if IsPostgres(dsn) {
		db.d = postgresDialect
		if db.w, err = openPostgres(dsn); err != nil {
			return nil, err
		}
		db.r = db.w
		if err := checkCharacterType(ctx, db.w); err != nil {
			db.w.Close()
			return nil, err
		}
	} else {
		db.d = sqliteDialect
		if err := checkPath(dsn); err != nil {
			return nil, err
		}
		db.w = sql.OpenDB(sqliteConnector{dsn: sqliteDSN(dsn, false), drv: &sqlite.Driver{}})
		db.w.SetMaxOpenConns(1)
		db.w.SetConnMaxIdleTime(0)
		db.r = sql.OpenDB(sqliteConnector{dsn: sqliteDSN(dsn, true), drv: &sqlite.Driver{}})
		db.commit = newCommitter(db.w, opts.ObserveCommit)
		// As many kept idle as may be open: database/sql keeps two by
		// default, so under load each read past the second opened a
		// connection (its pragmas run again, its prepared statements
		// lost) and closed it after, a seventh of a create's time at
		// eight clients.
		db.r.SetMaxOpenConns(readConns)
		db.r.SetMaxIdleConns(readConns)
	}
	db.rep = db.r
	if err := db.migrate(ctx, !opts.NoMigrate); err != nil {
		db.Close()
		return nil, err
	}
	if opts.Replica != "" {
		if err := db.openReplica(ctx, opts.Replica); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := checkKey(ctx, db.w, opts.AuditKey); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database, checkpointing SQLite's WAL.
func (db *DB) Close() error {
	if db.commit != nil {
		db.commit.close()
	}
	var errs []error
	if db.rep != nil && db.rep != db.r {
		errs = append(errs, db.rep.Close())
	}
	if db.r != nil && db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	return errors.Join(append(errs, db.w.Close())...)
}

// reader is where a list of cases is read: a search from the reporting
// replica (a case saved a moment ago may not be found there yet, as the
// list page says when the replica is behind), any other list from the
// primary, so an officer always sees what they have just done.
func (db *DB) reader(f store.CaseFilter) *sql.DB {
	if f.Q != "" {
		return db.rep
	}
	return db.r
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// migrations returns a dialect's embedded migrations in order, numbered
// by their file names (0001_init.sql is version 1). The two databases
// number their migrations apart: PostgreSQL's began at SQLite's 29th.
func migrations(dialect string) ([]int, map[int]string, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, nil, err
	}
	var versions []int
	sqls := map[int]string{}
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return nil, nil, fmt.Errorf("migration %s has no number", e.Name())
		}
		b, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		versions = append(versions, n)
		sqls[n] = string(b)
	}
	slices.Sort(versions)
	return versions, sqls, nil
}

// SchemaVersion returns the newest schema version this build knows for
// the database dsn names.
func SchemaVersion(dsn string) int {
	d := sqliteDialect.name
	if IsPostgres(dsn) {
		d = postgresDialect.name
	}
	v, _, _ := migrations(d)
	return v[len(v)-1]
}

// migrationLock is the PostgreSQL advisory lock held while migrating, so
// that instances starting together migrate one at a time: the second
// finds the work done.
const migrationLock = 0x5265647265737301 // "Redress", 1

// signInLock is the advisory lock a sign-in attempt's count and record
// hold on PostgreSQL (signin.go).
const signInLock = 0x5265647265737302

// migrate brings the schema up to date, one migration per transaction,
// reading the version inside that transaction so that two processes
// migrating at once (PostgreSQL, under its advisory lock) cannot both
// apply one migration.
func (db *DB) migrate(ctx context.Context, apply bool) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer conn.Close()
	if db.d.name == postgresDialect.name {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("open database: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, int64(migrationLock))
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	versions, sqls, err := migrations(db.d.name)
	if err != nil {
		return err
	}
	latest := versions[len(versions)-1]
	for _, v := range versions {
		done, err := db.migrateOne(ctx, conn, v, latest, sqls[v], apply)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	return nil
}

// migrateOne applies migration v unless the schema is already there, and
// reports whether the schema is up to date without it.
func (db *DB) migrateOne(ctx context.Context, conn *sql.Conn, v, latest int, sql string, apply bool) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return false, err
	}
	if current > latest {
		return false, fmt.Errorf("the database's schema is version %d, newer than this redress knows (%d): run a newer redress", current, latest)
	}
	if current >= latest {
		return true, nil
	}
	if v <= current {
		return false, nil
	}
	if !apply {
		return false, fmt.Errorf("the database's schema is version %d and needs migrating to %d: run redress migrate", current, latest)
	}
	if _, err := tx.ExecContext(ctx, sql); err != nil {
		return false, fmt.Errorf("migration %d: %w", v, err)
	}
	if fill := migrationBackfill(db.d.name, v); fill != nil {
		if err := fill(ctx, tx, db.d); err != nil {
			return false, fmt.Errorf("migration %d: %w", v, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, store.FormatTime(clock.Wall())); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %d: %w", v, err)
	}
	return false, nil
}

// migrationBackfill is the Go that runs after migration v's SQL for the
// database named (as the dialect is), in its transaction, for a migration
// whose rows are made by Go rules that SQL would have to copy; nil for
// most migrations.
func migrationBackfill(database string, v int) func(context.Context, *sql.Tx, dialect) error {
	switch {
	case database == sqliteDialect.name && v == 26:
		return indexSearchBackfill
	case database == sqliteDialect.name && v == 32, database == postgresDialect.name && v == 4:
		return countFiguresBackfill
	}
	return nil
}

// readConns is how many connections SQLite's readers may hold open.
const readConns = 8

func notFound(ref string) error {
	return complaint.Errorf(complaint.NotFound, "there is no case %s", ref)
}

// refAllocator returns the NewReference of a transaction.
func refAllocator(ctx context.Context, tx *sql.Tx) store.NewReference {
	return func(year int) (string, error) {
		var n int64
		err := tx.QueryRowContext(ctx, `INSERT INTO reference_counters (year, last) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`, year).Scan(&n)
		if err != nil {
			return "", fmt.Errorf("allocate reference: %w", err)
		}
		return store.FormatReference(year, n), nil
	}
}

// CreateCase implements store.Store.
func (db *DB) CreateCase(ctx context.Context, decide func(store.NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error) {
	var c complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		c, err = db.createInTx(ctx, tx, decide)
		return err
	})
	return c, err
}

// ImportCases creates many cases in one transaction: all of them or, on
// the first error, none. It is for imports and for building large test
// databases, where one durable commit per case would take minutes.
func (db *DB) ImportCases(ctx context.Context, decides []func(store.NewReference) (complaint.Case, complaint.Event, error)) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, decide := range decides {
		if _, err := db.createInTx(ctx, tx, decide); err != nil {
			return fmt.Errorf("case %d: %w", i+1, err)
		}
	}
	return tx.Commit()
}

func (db *DB) createInTx(ctx context.Context, tx *sql.Tx, decide func(store.NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error) {
	c, ev, err := decide(refAllocator(ctx, tx))
	if err != nil {
		return complaint.Case{}, err
	}
	if err := suggestTenancy(ctx, tx, &c); err != nil { // register_match.go
		return complaint.Case{}, err
	}
	c.Version = 1
	data, err := json.Marshal(c)
	if err != nil {
		return complaint.Case{}, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO cases (reference, kind, stage, status, handler, service_area, received_at, next_due, confidential, created_by, version, open_remedies, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Reference, c.Kind, c.Stage, c.Status, c.Handler, c.ServiceArea, store.FormatTime(c.ReceivedAt),
		nullDate(c), c.Confidential, c.CreatedBy, c.Version, openRemedies(c), data).Scan(&c.ID)
	if err != nil {
		return complaint.Case{}, fmt.Errorf("save case: %w", err)
	}
	if err := db.index(ctx, tx, nil, c); err != nil {
		return complaint.Case{}, err
	}
	if err := db.appendEvent(ctx, tx, c, 1, ev); err != nil {
		return complaint.Case{}, err
	}
	return c, nil
}

// UpdateCase implements store.Store.
func (db *DB) UpdateCase(ctx context.Context, ref string, ifVersion int, decide store.Decision) (complaint.Case, error) {
	var next complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		next, _, err = db.updateInTx(ctx, tx, ref, ifVersion, decide)
		return err
	})
	return next, err
}

// updateInTx applies decide to the case and saves it with its event,
// returning the event's number on the case.
func (db *DB) updateInTx(ctx context.Context, tx *sql.Tx, ref string, ifVersion int, decide store.Decision) (complaint.Case, int, error) {
	c, err := getCase(ctx, tx, ref, db.d.forUpdate)
	if err != nil {
		return complaint.Case{}, 0, err
	}
	if ifVersion > 0 && c.Version != ifVersion {
		return complaint.Case{}, 0, complaint.Errorf(complaint.Stale, "case %s has changed: it is at version %d, not %d; reload it and try again", c.Reference, c.Version, ifVersion)
	}
	next, ev, err := decide(c, refAllocator(ctx, tx))
	if err != nil {
		return complaint.Case{}, 0, err
	}
	next.ID, next.Version = c.ID, c.Version+1
	data, err := json.Marshal(next)
	if err != nil {
		return complaint.Case{}, 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE cases SET kind = ?, stage = ?, status = ?, handler = ?, service_area = ?, next_due = ?,
		confidential = ?, version = ?, open_remedies = ?, data = ? WHERE id = ? AND version = ?`,
		next.Kind, next.Stage, next.Status, next.Handler, next.ServiceArea, nullDate(next),
		next.Confidential, next.Version, openRemedies(next), data, c.ID, c.Version)
	if err != nil {
		return complaint.Case{}, 0, fmt.Errorf("save case: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return complaint.Case{}, 0, complaint.Errorf(complaint.Stale, "case %s changed while saving; reload it and try again", c.Reference)
	}
	if err := db.index(ctx, tx, &c, next); err != nil {
		return complaint.Case{}, 0, err
	}
	var seq int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM events WHERE case_id = ?`, c.ID).Scan(&seq); err != nil {
		return complaint.Case{}, 0, err
	}
	if err := db.appendEvent(ctx, tx, next, seq, ev); err != nil {
		return complaint.Case{}, 0, err
	}
	return next, seq, nil
}

func nullDate(c complaint.Case) any {
	if d := c.NextDue(); !d.IsZero() {
		return d.String()
	}
	return nil
}

// index keeps the lookup tables in step with the case: its references,
// the people who may see it if confidential, its search indexes and its
// report facts. old is the case as it was before this change (nil for a
// new case): what old already put in a table and c would put there again
// is left as it is, so that a note or a letter, which changes none of
// them, costs no index writes (rewriting the search text alone was a
// quarter of a command's pages).
func (db *DB) index(ctx context.Context, tx *sql.Tx, old *complaint.Case, c complaint.Case) error {
	if old == nil || !slices.Equal(old.References(), c.References()) {
		for _, ref := range c.References() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_refs (reference, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, ref, c.ID); err != nil {
				return err
			}
		}
	}
	// Exactly the people the case names now: a line manager replaced is
	// no longer one of them.
	if old == nil || !slices.Equal(auth.Named(old), auth.Named(&c)) {
		if old != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM case_people WHERE case_id = ?`, c.ID); err != nil {
				return err
			}
		}
		for _, p := range auth.Named(&c) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_people (case_id, email) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.ID, p); err != nil {
				return err
			}
		}
	}
	if old == nil || searchChanged(*old, c) {
		if err := db.d.search.index(ctx, tx, old != nil, c); err != nil {
			return err
		}
	}
	if err := indexHazard(ctx, tx, c); err != nil {
		return err
	}
	if err := indexOmbudsman(ctx, tx, old, c); err != nil {
		return err
	}
	return indexFacts(ctx, tx, db.d, old, c)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getCase reads the case known by ref; lock is the dialect's forUpdate
// when the transaction will change it.
func getCase(ctx context.Context, q querier, ref, lock string) (complaint.Case, error) {
	var id int64
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT c.id, c.data FROM case_refs r JOIN cases c ON c.id = r.case_id WHERE r.reference = ?`+lock, ref).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.Case{}, notFound(ref)
	}
	if err != nil {
		return complaint.Case{}, err
	}
	var c complaint.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return complaint.Case{}, fmt.Errorf("case %s: %w", ref, err)
	}
	c.ID = id
	return c, nil
}

// GetCase implements store.Store.
func (db *DB) GetCase(ctx context.Context, ref string) (complaint.Case, error) {
	return getCase(ctx, db.r, ref, "")
}

// ListCases implements store.Store.
// CountCases implements store.Store: the cases ListCases would list
// for f, across every page, counted without reading them.
func (db *DB) CountCases(ctx context.Context, f store.CaseFilter) (int, error) {
	where, args, err := db.caseWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.reader(f).QueryRowContext(ctx, `SELECT count(*) FROM cases c WHERE `+strings.Join(where, ` AND `), args...).Scan(&n)
	return n, err
}

// caseWhere is the filter's conditions on cases c, shared by ListCases
// and CountCases so that a count is always of the cases listed. The
// first condition is always the viewer's. A service area is found under
// every name it is counted under (namesOf), as the figures count it.
func (db *DB) caseWhere(ctx context.Context, f store.CaseFilter) ([]string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	cond, vargs := visibleTo(f.Viewer)
	add(cond, vargs...)
	if f.Kind != "" {
		add(`c.kind = ?`, f.Kind)
	}
	if f.Stage != 0 {
		add(`c.stage = ?`, f.Stage)
	}
	if f.Status != "" {
		add(`c.status = ?`, f.Status)
	}
	if f.Handler != "" {
		add(`c.handler = ?`, f.Handler)
	}
	if f.ServiceArea != "" {
		names, err := db.namesOf(ctx, store.ListServiceAreas, f.ServiceArea)
		if err != nil {
			return nil, nil, err
		}
		cond, nargs := oneOfNames(`c.service_area`, names)
		add(cond, nargs...)
	}
	if f.NoTenure {
		// The contacts with no tenure, narrowed by what the facts also
		// hold (the kind, and the dates a period's times fall on) so
		// that a year's are read from one range of one index rather than
		// every year's looked up case by case.
		sub, sargs := `SELECT case_id FROM contact_facts WHERE tenure = ''`, []any{}
		if f.Kind != "" {
			sub += ` AND kind = ?`
			sargs = append(sargs, f.Kind)
		}
		if !f.ReceivedFrom.IsZero() {
			sub += ` AND received >= ?`
			sargs = append(sargs, calendar.DateOf(f.ReceivedFrom).String())
		}
		if !f.ReceivedTo.IsZero() {
			sub += ` AND received <= ?`
			sargs = append(sargs, calendar.DateOf(f.ReceivedTo).String())
		}
		add(`c.id IN (`+sub+`)`, sargs...)
	}
	if f.Overdue {
		add(`c.next_due < ?`, f.Today.String())
	}
	if !f.DueBefore.IsZero() {
		add(`c.next_due <= ?`, f.DueBefore.String())
	}
	if !f.ReceivedFrom.IsZero() {
		add(`c.received_at >= ?`, store.FormatTime(f.ReceivedFrom))
	}
	if !f.ReceivedTo.IsZero() {
		add(`c.received_at < ?`, store.FormatTime(f.ReceivedTo))
	}
	qw, qargs := queueConditions(db.d, f) // search.go
	where, args = append(where, qw...), append(args, qargs...)
	if cond, sargs := db.d.search.condition(f.Q); cond != "" {
		add(cond, sargs...)
	}
	return where, args, nil
}

func (db *DB) ListCases(ctx context.Context, f store.CaseFilter) ([]complaint.Case, string, error) {
	where, args, err := db.caseWhere(ctx, f)
	if err != nil {
		return nil, "", err
	}
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	order := `c.id DESC`
	switch f.Sort {
	case "":
	case "oldest":
		order = `c.id ASC`
	case "due":
		order = `c.next_due IS NULL, c.next_due, c.id`
	default:
		return nil, "", complaint.InvalidField("sort", "%q is not an order: want oldest or due", f.Sort)
	}
	if f.Cursor != "" {
		cur, err := decodeCursor(f.Cursor)
		if err != nil || cur.sort != f.Sort {
			return nil, "", complaint.InvalidField("cursor", "is not a cursor this server gave for this order")
		}
		switch {
		case f.Sort == "":
			add(`c.id < ?`, cur.id)
		case f.Sort == "oldest":
			add(`c.id > ?`, cur.id)
		case cur.due == "":
			add(`c.next_due IS NULL AND c.id > ?`, cur.id)
		default:
			add(`(c.next_due IS NULL OR c.next_due > ? OR (c.next_due = ? AND c.id > ?))`, cur.due, cur.due, cur.id)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	query := `SELECT c.id, c.data FROM cases c`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, limit+1)
	cases, err := casesFrom(ctx, db.reader(f), query, args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cases) > limit {
		cases = cases[:limit]
		last := cases[limit-1]
		next = encodeCursor(cursor{sort: f.Sort, id: last.ID, due: last.NextDue().String()})
	}
	return cases, next, nil
}

// cursor is where a page ended: the order, the last case's id and, for
// the "due" order, its next deadline.
type cursor struct {
	sort, due string
	id        int64
}

func encodeCursor(c cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.sort + "|" + c.due + "|" + strconv.FormatInt(c.id, 10)))
}

func decodeCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, err
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return cursor{}, errors.New("bad cursor")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	return cursor{sort: parts[0], due: parts[1], id: id}, err
}

// CaseEvents implements store.Store.
func (db *DB) CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error) {
	c, err := getCase(ctx, db.r, ref, "")
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT seq, kind, actor, at, recorded_at, data, prev_hash, hash FROM events WHERE case_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []complaint.Event
	for rows.Next() {
		var ev complaint.Event
		var at, rec, data string
		if err := rows.Scan(&ev.Seq, &ev.Kind, &ev.Actor, &at, &rec, &data, &ev.PrevHash, &ev.Hash); err != nil {
			return nil, err
		}
		ev.At, _ = store.ParseTime(at)
		ev.RecordedAt, _ = store.ParseTime(rec)
		ev.Data = json.RawMessage(data)
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}
