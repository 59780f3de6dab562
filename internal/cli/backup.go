package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/backup"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// backupCmd takes a consistent copy of the SQLite database, while serve
// may be running, with its manifest beside it.
func backupCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	settings := newConfig(fs, "db", "audit-key")
	out := fs.String("out", "", "the backup file to write; it must not exist")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	db, given := &cfg.DB, cfg.AuditKey
	if len(pos) > 0 {
		return usagef("backup takes no arguments (got %q); name the file with --out", pos[0])
	}
	if *out == "" {
		return usagef("--out: name the backup file to write")
	}
	if sqldb.IsPostgres(*db) {
		return usageError{fmt.Errorf("--db: %w", backup.ErrPostgres)}
	}
	if err := existingDB(*db); err != nil {
		return err
	}
	// The key, if there is one, signs the manifest's checkpoint; a backup
	// can be taken without it.
	key, _, _, err := app.LoadAuditKey(*db, given, false)
	if err != nil {
		return usageError{err}
	}
	m, err := backup.Take(context.Background(), backup.Options{DB: *db, Out: *out, Key: key, Now: clock.Wall()})
	if err != nil {
		return usageError{err}
	}
	keyed := "audit chain not keyed"
	if m.AuditKeyID != "" {
		keyed = "needs audit key " + m.AuditKeyID + " (not in the backup: keep it apart)"
	}
	fmt.Fprintf(stdout, "backed up %s to %s: %d bytes, sha256 %s, schema %d, %d cases, %d events; %s; manifest %s\n",
		*db, *out, m.Size, m.SHA256, m.SchemaVersion, m.Cases, m.Events, keyed, backup.ManifestPath(*out))
	return nil
}

// restoreCmd checks a backup and only then puts it in place of the
// database.
func restoreCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	settings := newConfig(fs, "db", "audit-key")
	replace := fs.Bool("replace", false, "move an existing database aside (to DB.before-restore-TIME) and restore in its place")
	cfg, pos, err := settings.load(args)
	if err != nil {
		return err
	}
	db, given := &cfg.DB, cfg.AuditKey
	if len(pos) != 1 {
		return usagef("restore needs one backup file: redress restore FILE [--db FILE] [--replace]")
	}
	file := pos[0]
	if sqldb.IsPostgres(*db) {
		return usageError{fmt.Errorf("--db: %w", backup.ErrPostgres)}
	}
	if _, err := os.Stat(file); err != nil {
		return usagef("backup file: %v", err)
	}
	// The key the restored database will be used with: what serve would
	// load for it.
	key, _, _, err := app.LoadAuditKey(*db, given, false)
	if err != nil {
		return usageError{err}
	}
	place := app.AuditKeyPath(*db)
	if given != "" {
		place = "REDRESS_AUDIT_KEY or REDRESS_AUDIT_KEY_FILE"
	}
	r, err := backup.Restore(context.Background(), backup.RestoreOptions{
		Backup: file, DB: *db, Key: key, KeyPlace: place, Replace: *replace, Now: clock.Wall(),
	})
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintf(stdout, "restored %s (taken %s) to %s: checksum, integrity check and audit trail verified: %d events, %d cases",
		file, r.Manifest.Created.Format("2006-01-02T15:04:05Z"), *db, r.Audit.Events, r.Audit.Cases)
	if r.Migrated > 0 {
		fmt.Fprintf(stdout, "; migrated from schema %d", r.Migrated)
	}
	if r.MovedAside != "" {
		fmt.Fprintf(stdout, "; the database that was there is now %s", r.MovedAside)
	}
	fmt.Fprintln(stdout)
	return nil
}
