package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// openReplica opens the reporting replica at url and checks that it is
// one: a PostgreSQL server in recovery (a standby) whose schema is the
// primary's.
func (db *DB) openReplica(ctx context.Context, url string) error {
	if db.d.name != postgresDialect.name || !IsPostgres(url) {
		return errors.New("a read replica (REDRESS_DB_REPLICA) is for a PostgreSQL database: both must be postgres:// URLs")
	}
	rep, err := openPostgres(url)
	if err != nil {
		return fmt.Errorf("read replica: %w", err)
	}
	var standby bool
	var version int
	if err := rep.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), (SELECT coalesce(max(version), 0) FROM schema_migrations)`).Scan(&standby, &version); err != nil {
		rep.Close()
		return fmt.Errorf("read replica: %w", err)
	}
	if want := SchemaVersion("postgres://"); version != want {
		rep.Close()
		return fmt.Errorf("read replica: its schema is version %d, not %d: is it a replica of this database?", version, want)
	}
	if !standby {
		rep.Close()
		return errors.New("read replica: the server is not a standby (pg_is_in_recovery() is false): give the URL of a replica, or none")
	}
	db.rep = rep
	return nil
}

// FiguresAsOf implements store.Store: the moment the reports' figures
// are as of, when they are read from a replica that is behind the
// primary (behind is then true); with no replica, or one that has
// replayed everything the primary has written, the figures are as of now
// and behind is false.
func (db *DB) FiguresAsOf(ctx context.Context) (asOf time.Time, behind bool, err error) {
	if db.rep == db.r {
		return time.Time{}, false, nil
	}
	var lsn string
	var replayed sql.NullTime
	if err := db.rep.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn()::text, pg_last_xact_replay_timestamp()`).Scan(&lsn, &replayed); err != nil {
		return time.Time{}, false, fmt.Errorf("read replica: %w", err)
	}
	// The primary's insert position, not its write position: with
	// asynchronous commit a committed change may not be written out yet,
	// and the figures are behind it all the same.
	var lag int64
	if err := db.r.QueryRowContext(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), CAST(? AS pg_lsn))::bigint`, lsn).Scan(&lag); err != nil {
		return time.Time{}, false, fmt.Errorf("read replica: %w", err)
	}
	if lag <= 0 {
		return time.Time{}, false, nil
	}
	return replayed.Time, true, nil
}
