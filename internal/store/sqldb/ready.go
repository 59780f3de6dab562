package sqldb

import (
	"context"
	"fmt"
)

// SchemaVersions reports the schema version the database has applied and
// the newest this build knows, for the readiness check (/readyz): they
// differ when another instance, newer or older, has migrated the database
// since this one started, and then this instance should take no traffic.
// It reads through the read pool, so a probe never queues behind writes
// on SQLite's one writer, and the query doubles as the proof that the
// database answers.
func (db *DB) SchemaVersions(ctx context.Context) (applied, known int, err error) {
	if err := db.r.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return 0, 0, fmt.Errorf("read the schema version: %w", err)
	}
	versions, _, err := migrations(db.d.name)
	if err != nil {
		return 0, 0, err
	}
	return applied, versions[len(versions)-1], nil
}
