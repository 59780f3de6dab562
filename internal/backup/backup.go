// Package backup copies Redress's SQLite database while it is served, with
// a manifest that lets the copy be checked later, and puts a copy back
// only once it has been checked: its checksum, SQLite's integrity check
// and the audit trail verified with the key the restored database will
// be used with. The command line (redress backup, redress restore) and
// the server's scheduled backups use the same code, so that what an
// operator tests by hand is what runs at night.
//
// PostgreSQL is not backed up here: its own tools (pg_dump,
// pg_basebackup) do it better, consistently and with point-in-time
// recovery, and the README says what to check after a restore.
package backup

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, for a connection of the backup's own

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// Format names the manifest's format, so that a later redress can tell
// what it is reading.
const Format = "redress-backup/1"

// ManifestSuffix is added to a backup's file name to name its manifest.
const ManifestSuffix = ".manifest.json"

// ManifestPath is where the manifest of the backup file lives.
func ManifestPath(file string) string { return file + ManifestSuffix }

// Manifest describes one backup file: enough to tell, before it is put in
// place, that it is the file that was written (size, SHA-256), which
// schema it holds, what it holds (cases, events), where its audit chain
// ended (to compare with a checkpoint kept elsewhere), and which audit
// key it needs. It never holds the key, only the key's id.
type Manifest struct {
	Format string `json:"format"`
	// Created is when the copy was taken, in UTC.
	Created time.Time `json:"created"`
	// File is the backup's file name (without its directory, so that
	// the pair can be moved together).
	File          string `json:"file"`
	SchemaVersion int    `json:"schema_version"`
	Size          int64  `json:"size"`
	SHA256        string `json:"sha256"`
	Cases         int    `json:"cases"`
	Events        int    `json:"events"`
	// AuditHead is the audit chain's head in the copy, as
	// `redress audit checkpoint` reports it: the count of events and
	// the newest event's hash.
	AuditHead Head `json:"audit_head"`
	// Checkpoint is that head signed with the audit key, in the form
	// `redress audit verify --checkpoint` takes; empty when the backup was
	// taken without the key.
	Checkpoint string `json:"checkpoint,omitempty"`
	// AuditKeyID is the fingerprint of the audit key the copy's chain is
	// keyed with (store.AuditKey.ID: the start of an HMAC made with the
	// key, from which the key cannot be found), so that a restore can say
	// whether the key it has is the one the backup needs. Empty when the
	// chain was never keyed.
	AuditKeyID string `json:"audit_key_id,omitempty"`
}

// Head is the audit chain's head: how many events it holds and the hash of
// the newest.
type Head struct {
	Count int    `json:"count"`
	Hash  string `json:"hash"`
}

// Options say what to back up and where.
type Options struct {
	// DB is the SQLite database file to copy. It may be in use by a
	// running server in this or another process.
	DB string
	// Out is the backup file to write. It must not exist, nor its
	// manifest.
	Out string
	// Key is the audit key, if known: with it the manifest carries a
	// signed checkpoint of the copy's head. A key other than the one the
	// database is keyed with is refused.
	Key store.AuditKey
	// Now is the time the backup is taken, for the manifest.
	Now time.Time
}

// ErrPostgres is the answer to a backup or restore of a PostgreSQL
// database.
var ErrPostgres = errors.New("a PostgreSQL database is backed up and restored with its own tools (pg_dump or pg_basebackup, and pg_restore), not redress backup: see \"Backups\" under \"Operations\" in the README for how, and what to check after a restore")

// Take copies opts.DB to opts.Out with VACUUM INTO, a consistent snapshot
// taken in one read transaction, so that writes by a running server go on
// while it is taken and none is half in the copy. The copy is written
// under a temporary name beside Out and linked to Out only once it is
// complete and synced, so that Out is never a half file; then the
// manifest is written beside it the same way.
func Take(ctx context.Context, opts Options) (m Manifest, err error) {
	if sqldb.IsPostgres(opts.DB) {
		return Manifest{}, ErrPostgres
	}
	if opts.Out == "" {
		return Manifest{}, errors.New("--out: the backup file to write is needed")
	}
	if err := checkPath(opts.DB); err != nil {
		return Manifest{}, fmt.Errorf("--db: %w", err)
	}
	if _, err := os.Stat(opts.DB); err != nil {
		return Manifest{}, fmt.Errorf("--db: %w", err)
	}
	for _, p := range []string{opts.Out, ManifestPath(opts.Out)} {
		if _, err := os.Lstat(p); err == nil {
			return Manifest{}, fmt.Errorf("--out: %s already exists; a backup never overwrites a file", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, fmt.Errorf("--out: %w", err)
		}
	}
	tmp, err := tempBeside(opts.Out, ".backup-")
	if err != nil {
		return Manifest{}, fmt.Errorf("--out: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := vacuumInto(ctx, opts.DB, tmp); err != nil {
		return Manifest{}, err
	}
	m, err = describe(ctx, tmp, opts.Key)
	if err != nil {
		return Manifest{}, err
	}
	m.Format, m.Created, m.File = Format, opts.Now.UTC().Truncate(time.Second), filepath.Base(opts.Out)
	if m.Size, m.SHA256, err = syncAndHash(tmp); err != nil {
		return Manifest{}, err
	}
	if m.AuditKeyID != "" && !opts.Key.IsZero() {
		m.Checkpoint = opts.Key.SignCheckpoint(m.AuditHead.Count, m.AuditHead.Hash, m.Created).String()
	}
	// A link, unlike a rename, never replaces a file that appeared at
	// Out since it was checked.
	if err := os.Link(tmp, opts.Out); err != nil {
		return Manifest{}, fmt.Errorf("--out: %w", err)
	}
	os.Remove(tmp)
	if err := writeManifest(ManifestPath(opts.Out), m); err != nil {
		os.Remove(opts.Out) // a backup without its manifest cannot be restored
		return Manifest{}, err
	}
	syncDir(filepath.Dir(opts.Out))
	return m, nil
}

// checkPath refuses a path that would be read as part of the file: URI
// the driver is given.
func checkPath(path string) error {
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("database path %q may not contain ? or #", path)
	}
	return nil
}

// openFile opens a SQLite file of the backup's own, never creating one
// (mode=rw), with the store's busy timeout so that a server's writes
// delay it rather than fail it.
func openFile(path string) (*sql.DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// tempBeside makes an empty file beside path, in the same directory so
// that it can be linked or renamed to path, with a name that says what
// it is if a crash leaves it behind.
func tempBeside(path, what string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+what+"*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// vacuumInto writes a consistent copy of db to the empty file out.
func vacuumInto(ctx context.Context, db, out string) error {
	src, err := openFile(db)
	if err != nil {
		return fmt.Errorf("--db: %w", err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return fmt.Errorf("copy the database: %w", err)
	}
	return nil
}

// describe reads what the manifest says of the copy from the copy itself,
// so that it describes exactly what was copied, never the live database a
// moment later.
func describe(ctx context.Context, file string, key store.AuditKey) (Manifest, error) {
	db, err := openFile(file)
	if err != nil {
		return Manifest{}, err
	}
	defer db.Close()
	var m Manifest
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&m.SchemaVersion); err != nil {
		return Manifest{}, fmt.Errorf("the copy is not a Redress database: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&m.Cases); err != nil {
		return Manifest{}, fmt.Errorf("count cases: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&m.Events); err != nil {
		return Manifest{}, fmt.Errorf("count events: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count, hash FROM audit_head WHERE id = 1`).Scan(&m.AuditHead.Count, &m.AuditHead.Hash); err != nil {
		return Manifest{}, fmt.Errorf("audit head: %w", err)
	}
	if m.AuditKeyID, err = chainKeyID(ctx, db); err != nil {
		return Manifest{}, err
	}
	if m.AuditKeyID != "" && !key.IsZero() && key.ID() != m.AuditKeyID {
		return Manifest{}, fmt.Errorf("the database's audit chain is keyed with audit key %s, but the key given is %s: back it up with the key it was written with, or without one", m.AuditKeyID, key.ID())
	}
	return m, nil
}

// chainKeyID returns the id of the key the database's audit chain is
// keyed with, as the database records it; empty if it is not keyed.
func chainKeyID(ctx context.Context, db *sql.DB) (string, error) {
	var from sql.NullInt64
	var id sql.NullString
	err := db.QueryRowContext(ctx, `SELECT keyed_from, key_id FROM audit_chain WHERE id = 1`).Scan(&from, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("audit chain: %w", err)
	}
	if from.Int64 == 0 {
		return "", nil
	}
	return id.String, nil
}

// syncAndHash syncs file to disk (VACUUM INTO does not) and returns its
// size and SHA-256.
func syncAndHash(file string) (int64, string, error) {
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, "", fmt.Errorf("sync the copy: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("read the copy: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeManifest writes m to path, never over an existing file and never
// as a half file.
func writeManifest(path string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := tempBeside(path, ".tmp-")
	if err != nil {
		return fmt.Errorf("write the manifest: %w", err)
	}
	defer os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write the manifest: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("write the manifest: %w", err)
	}
	return nil
}

// ReadManifest reads the manifest of the backup file.
func ReadManifest(file string) (Manifest, error) {
	path := ManifestPath(file)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, fmt.Errorf("the backup's manifest %s is missing: a backup is restored only with the manifest written beside it, which holds its checksum", path)
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest %s: %w", path, err)
	}
	if m.Format != Format {
		return Manifest{}, fmt.Errorf("manifest %s: format %q, not %q: it was not written by redress backup, or by a newer redress", path, m.Format, Format)
	}
	if len(m.SHA256) != sha256.Size*2 {
		return Manifest{}, fmt.Errorf("manifest %s: sha256 is missing or malformed", path)
	}
	return m, nil
}

// syncDir syncs a directory, so that a file just linked or renamed into
// it survives a power cut. It is best effort: not every file system can.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
