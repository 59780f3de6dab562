package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// RestoreOptions say what to restore, where, and with which key.
type RestoreOptions struct {
	// Backup is the backup file; its manifest is beside it.
	Backup string
	// DB is the SQLite database file to put it in place of.
	DB string
	// Key is the audit key the restored database will be used with: the
	// one a server started on DB would load. The backup never holds it.
	Key store.AuditKey
	// KeyPlace says where that key is looked for (the key file beside DB,
	// or REDRESS_AUDIT_KEY_FILE), for the error when it is missing or is
	// not the backup's.
	KeyPlace string
	// Replace allows an existing database at DB to be moved aside.
	Replace bool
	// Now is the time of the restore, which names the moved-aside file.
	Now time.Time
}

// Restored says what a restore did.
type Restored struct {
	Manifest Manifest
	// Audit is the verification of the restored copy.
	Audit store.AuditReport
	// MovedAside is where the database that was at DB now is; empty if
	// there was none.
	MovedAside string
	// Migrated is the schema version the copy was migrated from, if it
	// was older than this redress; 0 if not.
	Migrated int
}

// Restore puts the backup in place of opts.DB, after checking it, and
// only then: the manifest is there and the copy's size and SHA-256 match
// it, SQLite's integrity check passes, and the audit trail verifies (the
// chain, every case against its events, and the manifest's checkpoint)
// with the key the restored database will be used with. The checks run on
// a copy beside DB, which is then renamed into place, so DB is at every
// moment either the old database or the whole new one. An existing
// database is moved aside (never deleted), only with Replace, and never
// while a server holds it (LockShared).
func Restore(ctx context.Context, opts RestoreOptions) (r Restored, err error) {
	if sqldb.IsPostgres(opts.DB) {
		return Restored{}, ErrPostgres
	}
	if err := checkPath(opts.DB); err != nil {
		return Restored{}, fmt.Errorf("--db: %w", err)
	}
	if r.Manifest, err = ReadManifest(opts.Backup); err != nil {
		return Restored{}, err
	}
	lk, err := LockExclusive(opts.DB)
	if errors.Is(err, ErrLive) {
		return Restored{}, fmt.Errorf("%s is live: a running redress holds its lock (%s); stop it before restoring (%w)", opts.DB, LockPath(opts.DB), ErrLive)
	}
	if err != nil {
		return Restored{}, err
	}
	defer lk.Release()
	exists, err := fileExists(opts.DB)
	if err != nil {
		return Restored{}, fmt.Errorf("--db: %w", err)
	}
	if exists && !opts.Replace {
		return Restored{}, fmt.Errorf("--db: %s already exists; give --replace to move it aside (to %s) and restore in its place", opts.DB, asidePath(opts.DB, opts.Now))
	}

	tmp, err := tempBeside(opts.DB, ".restore-")
	if err != nil {
		return Restored{}, fmt.Errorf("--db: %w", err)
	}
	defer func() {
		if err != nil {
			removeWithJournal(tmp)
		}
	}()
	if err := copyChecked(opts.Backup, tmp, r.Manifest); err != nil {
		return Restored{}, err
	}
	if err := integrityCheck(ctx, tmp); err != nil {
		return Restored{}, err
	}
	if r.Audit, r.Migrated, err = verifyAudit(ctx, tmp, r.Manifest, opts); err != nil {
		return Restored{}, err
	}

	if exists {
		r.MovedAside = asidePath(opts.DB, opts.Now)
		if err := moveAside(opts.DB, r.MovedAside); err != nil {
			return Restored{}, err
		}
	} else {
		// A write-ahead log without its database is left from one that
		// was removed; beside the restored file SQLite would read it as
		// the new database's.
		for _, s := range []string{"-wal", "-shm"} {
			if err := os.Remove(opts.DB + s); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return Restored{}, fmt.Errorf("remove the stale %s: %w", opts.DB+s, err)
			}
		}
	}
	if err := os.Rename(tmp, opts.DB); err != nil {
		return Restored{}, fmt.Errorf("put the restored database in place: %w", err)
	}
	syncDir(filepath.Dir(opts.DB))
	return r, nil
}

// asidePath is where an existing database is moved by a restore.
func asidePath(db string, now time.Time) string {
	return db + ".before-restore-" + now.UTC().Format("20060102T150405Z")
}

func fileExists(path string) (bool, error) {
	_, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// moveAside renames db and its write-ahead log and shared-memory files to
// aside, together: committed writes may still be in the log (after a
// crash), and the database moved aside must keep them.
func moveAside(db, aside string) error {
	for _, s := range []string{"", "-wal", "-shm"} {
		if ok, err := fileExists(aside + s); err != nil || ok {
			return fmt.Errorf("cannot move %s aside: %s already exists", db, aside+s)
		}
	}
	for _, s := range []string{"-wal", "-shm", ""} {
		if err := os.Rename(db+s, aside+s); err != nil && !(s != "" && errors.Is(err, fs.ErrNotExist)) {
			return fmt.Errorf("move %s aside: %w", db+s, err)
		}
	}
	return nil
}

// removeWithJournal removes a SQLite file and any journal files left
// beside it.
func removeWithJournal(path string) {
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + s)
	}
}

// copyChecked copies the backup to tmp and checks, on what was written,
// that it is the file the manifest describes.
func copyChecked(backup, tmp string, m Manifest) error {
	in, err := os.Open(backup)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy the backup: %w", err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != m.Size || sum != m.SHA256 {
		return fmt.Errorf("the backup %s does not match its manifest (%d bytes with SHA-256 %s, the manifest says %d bytes with %s): it was damaged or changed since it was taken", backup, n, sum, m.Size, m.SHA256)
	}
	return nil
}

// integrityCheck runs SQLite's integrity check on the file.
func integrityCheck(ctx context.Context, file string) error {
	db, err := openFile(file)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: the backup is not a readable SQLite database: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check of the backup failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// verifyAudit opens the copy as Redress will (migrating it, if it is
// older than this redress, as serve would on start) and verifies its
// audit trail with the key the restored database will be used with.
func verifyAudit(ctx context.Context, file string, m Manifest, opts RestoreOptions) (store.AuditReport, int, error) {
	raw, err := openFile(file)
	if err != nil {
		return store.AuditReport{}, 0, err
	}
	keyID, err := chainKeyID(ctx, raw)
	var version int
	if err == nil {
		err = raw.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version)
	}
	raw.Close()
	if err != nil {
		return store.AuditReport{}, 0, err
	}
	key := opts.Key
	switch {
	case keyID == "":
		// A chain never keyed is verified by its plain hashes; a key
		// given would be reported as one the chain should have.
		key = store.AuditKey{}
	case key.IsZero():
		return store.AuditReport{}, 0, fmt.Errorf("no audit key for %s: the backup's audit chain is keyed with audit key %s, and the backup does not hold the key (it is kept apart from the database on purpose); put the key the backup was made with in %s (mode 600), then restore again", opts.DB, keyID, opts.KeyPlace)
	case key.ID() != keyID:
		return store.AuditReport{}, 0, fmt.Errorf("wrong audit key: the backup's audit chain is keyed with audit key %s, but the key %s would be used with (%s) is %s; put the key the backup was made with there, then restore again", keyID, opts.DB, opts.KeyPlace, key.ID())
	}
	st, err := sqldb.Open(ctx, file, sqldb.Options{AuditKey: key})
	if err != nil {
		return store.AuditReport{}, 0, fmt.Errorf("open the backup: %w", err)
	}
	rep, err := checkStore(ctx, st, m, key)
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the backup: %w", cerr)
	}
	if err != nil {
		return rep.AuditReport, 0, err
	}
	if rep.SchemaVersion != version {
		return rep.AuditReport, version, nil
	}
	return rep.AuditReport, 0, nil
}

// checked is what checkStore found: the audit report and the schema
// version after opening.
type checked struct {
	store.AuditReport
	SchemaVersion int
}

// checkStore verifies the opened copy's audit trail, and that it holds
// the head the manifest records.
func checkStore(ctx context.Context, st *sqldb.DB, m Manifest, key store.AuditKey) (checked, error) {
	applied, _, err := st.SchemaVersions(ctx)
	if err != nil {
		return checked{}, err
	}
	rep, err := st.VerifyAudit(ctx)
	if err != nil {
		return checked{}, fmt.Errorf("audit verify: %w", err)
	}
	if m.Checkpoint != "" && !key.IsZero() {
		cp, err := store.ParseCheckpoint(m.Checkpoint)
		if err != nil {
			return checked{rep, applied}, fmt.Errorf("manifest checkpoint: %w", err)
		}
		ps, err := st.VerifyCheckpoints(ctx, []store.Checkpoint{cp})
		if err != nil {
			return checked{rep, applied}, err
		}
		if len(ps) > 0 {
			rep.OK = false
			rep.Problems = append(rep.Problems, ps...)
		}
	}
	if rep.Events != m.AuditHead.Count {
		rep.OK = false
		rep.Problems = append(rep.Problems, fmt.Sprintf("the copy holds %d events, the manifest %d", rep.Events, m.AuditHead.Count))
	}
	if !rep.OK {
		const most = 5
		ps := rep.Problems
		if len(ps) > most {
			ps = append(ps[:most:most], fmt.Sprintf("and %d more", len(rep.Problems)-most))
		}
		return checked{rep, applied}, fmt.Errorf("the backup's audit trail does not verify: %s", strings.Join(ps, "; "))
	}
	return checked{rep, applied}, nil
}
