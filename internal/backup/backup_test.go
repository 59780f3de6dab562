package backup_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/backup"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// taken is the moment every backup in these tests is taken at: the tests
// compare what the manifest says with what was given, never with the
// clock.
var taken = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)

// serving starts Redress on a new SQLite database in dir, as serve does
// (its key file made beside it, the chain keyed, the database locked),
// and returns it with its audit key.
func serving(t *testing.T, dir string) (*app.App, string, store.AuditKey) {
	t.Helper()
	db := filepath.Join(dir, "redress.db")
	a, err := app.New(context.Background(), app.Config{DB: db}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	key, _, _, err := app.LoadAuditKey(db, "", false)
	if err != nil || key.IsZero() {
		t.Fatalf("the key file serve made: %v, %v", key, err)
	}
	return a, db, key
}

// create creates a complaint through the app's store, with its rules and
// its audit event, as the API does.
func create(ctx context.Context, a *app.App, summary string) (string, error) {
	c, err := a.Store.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "web", Summary: summary,
			Complainant: complaint.Person{Name: "Backup Tester", Email: "tester@example.org"}},
			complaint.Env{Now: taken, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: a.Policy, Calendar: a.Cal, NewReference: nr})
	})
	return c.Reference, err
}

// checkRestored checks the restored database as an operator would after
// a restore: SQLite's integrity check and audit verify with the key; it
// returns the case references it holds, failing on any held twice.
func checkRestored(t *testing.T, db string, key store.AuditKey) map[string]bool {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var integrity string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check of the restored database: %q, %v", integrity, err)
	}
	rows, err := raw.Query(`SELECT reference FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for rows.Next() {
		var ref string
		rows.Scan(&ref)
		if refs[ref] {
			t.Errorf("case %s is in the restored database twice", ref)
		}
		refs[ref] = true
	}
	rows.Close()
	st, err := sqldb.Open(context.Background(), db, sqldb.Options{NoMigrate: true, AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := st.VerifyAudit(context.Background())
	if err != nil || !rep.OK || rep.Cases != len(refs) {
		t.Fatalf("audit verify of the restored database: %+v, %v", rep, err)
	}
	return refs
}

// A backup taken while eight clients are creating cases is a consistent
// snapshot: restored, it passes the integrity check and audit verify,
// holds every case whose create had returned before the backup began,
// none twice, and exactly as many cases and events as its manifest says.
func TestABackupTakenDuringCreatesRestoresEveryCaseCreatedBeforeIt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, db, key := serving(t, dir)

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	enough := make(chan struct{})
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ref, err := create(ctx, a, fmt.Sprintf("worker %d case %d", w, i))
				if err != nil {
					t.Errorf("create: %v", err)
					return
				}
				mu.Lock()
				acked = append(acked, ref)
				if len(acked) == 200 {
					close(enough)
				}
				mu.Unlock()
			}
		})
	}
	<-enough
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	out := filepath.Join(dir, "backups", "copy.db")
	os.Mkdir(filepath.Dir(out), 0o700)
	m, err := backup.Take(ctx, backup.Options{DB: db, Out: out, Key: key, Now: taken})
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases created before the backup began, %d while it was taken, %d in all; the backup holds %d", len(before), during, len(acked), m.Cases)

	if m.Format != backup.Format || !m.Created.Equal(taken) || m.File != "copy.db" || m.AuditKeyID != key.ID() || m.Checkpoint == "" {
		t.Errorf("manifest: %+v", m)
	}
	if m.Cases < len(before) || m.Events != m.AuditHead.Count || m.SchemaVersion != sqldb.SchemaVersion(db) {
		t.Errorf("manifest counts: %+v, %d created before", m, len(before))
	}

	target := filepath.Join(t.TempDir(), "restored.db")
	r, err := backup.Restore(ctx, backup.RestoreOptions{Backup: out, DB: target, Key: key, KeyPlace: "test", Now: taken})
	if err != nil {
		t.Fatal(err)
	}
	if r.MovedAside != "" || r.Audit.Events != m.Events || r.Audit.Cases != m.Cases {
		t.Errorf("restored: %+v", r)
	}
	refs := checkRestored(t, target, key)
	for _, ref := range before {
		if !refs[ref] {
			t.Errorf("case %s was created before the backup began but is not in it", ref)
		}
	}
	if len(refs) != m.Cases {
		t.Errorf("restored %d cases, the manifest says %d", len(refs), m.Cases)
	}
	// The manifest's checkpoint is the one `audit verify --checkpoint`
	// takes, and holds on the restored database.
	cp, err := store.ParseCheckpoint(m.Checkpoint)
	if err != nil || cp.Count != m.AuditHead.Count || cp.Head != m.AuditHead.Hash || !key.CheckpointSigned(cp) {
		t.Errorf("manifest checkpoint %q: %+v, %v", m.Checkpoint, cp, err)
	}
}

// A backup is never written over an existing file, and a PostgreSQL
// database is sent to its own tools.
func TestBackupRefusesToOverwriteAndRefusesPostgreSQL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, db, key := serving(t, dir)
	out := filepath.Join(dir, "b.db")
	os.WriteFile(out, []byte("precious"), 0o600)
	if _, err := backup.Take(ctx, backup.Options{DB: db, Out: out, Key: key, Now: taken}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "precious" {
		t.Errorf("the existing file was changed: %q", b)
	}
	if _, err := os.Stat(backup.ManifestPath(out)); err == nil {
		t.Error("a manifest was written for a backup that was refused")
	}
	if _, err := backup.Take(ctx, backup.Options{DB: "postgres://u@localhost/redress", Out: filepath.Join(dir, "pg.db"), Now: taken}); err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "README") {
		t.Errorf("PostgreSQL: %v", err)
	}
	if _, err := backup.Take(ctx, backup.Options{DB: filepath.Join(dir, "missing.db"), Out: filepath.Join(dir, "m.db"), Now: taken}); err == nil || !strings.Contains(err.Error(), "--db") {
		t.Errorf("a missing database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return "missing"
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A restore checks everything before it changes anything: a copy changed
// since it was taken, a backup without its manifest, a key that is not
// the backup's or no key at all, an existing database without --replace
// and a database a server holds are each refused, naming the problem, and
// leave the target as it was, with no file of the restore left beside it.
func TestRestoreRefusesAndLeavesTheTargetUntouched(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	a, db, key := serving(t, src)
	for i := range 3 {
		if _, err := create(ctx, a, fmt.Sprint("case ", i)); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(src, "good.db")
	if _, err := backup.Take(ctx, backup.Options{DB: db, Out: good, Key: key, Now: taken}); err != nil {
		t.Fatal(err)
	}
	other, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}

	// withBackup makes a copy of the good backup and its manifest in dir,
	// changed by change.
	withBackup := func(dir string, change func(file string)) string {
		file := filepath.Join(dir, "backup.db")
		copyFile(t, good, file)
		copyFile(t, backup.ManifestPath(good), backup.ManifestPath(file))
		if change != nil {
			change(file)
		}
		return file
	}
	flip := func(file string) {
		b, _ := os.ReadFile(file)
		b[len(b)/2] ^= 0x01
		os.WriteFile(file, b, 0o600)
	}
	for _, tc := range []struct {
		name    string
		change  func(file string)
		key     store.AuditKey
		target  string // "none", "existing" or "live"
		replace bool
		want    string
	}{
		{"a byte flipped", flip, key, "none", false, "does not match its manifest"},
		{"a byte flipped over a database", flip, key, "existing", true, "does not match its manifest"},
		{"no manifest", func(f string) { os.Remove(backup.ManifestPath(f)) }, key, "none", false, "manifest"},
		{"another key", nil, other, "none", false, "wrong audit key: the backup's audit chain is keyed with audit key " + key.ID()},
		{"no key", nil, store.AuditKey{}, "none", false, "no audit key for"},
		{"an existing database", nil, key, "existing", false, "already exists; give --replace"},
		{"a live database", nil, key, "live", true, "is live"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := withBackup(dir, tc.change)
			target := filepath.Join(dir, "target.db")
			switch tc.target {
			case "existing":
				os.WriteFile(target, []byte("the database that was here"), 0o600)
				os.WriteFile(target+"-wal", []byte("its log"), 0o600)
			case "live":
				// A server started on it holds it until it stops.
				serving(t, dir)
				target = filepath.Join(dir, "redress.db")
			}
			before := map[string]string{}
			for _, s := range []string{"", "-wal", "-shm"} {
				before[s] = sum(t, target+s)
			}
			_, err := backup.Restore(ctx, backup.RestoreOptions{Backup: file, DB: target, Key: tc.key, KeyPlace: "the key file beside it", Replace: tc.replace, Now: taken})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restore: %v, want %q", err, tc.want)
			}
			t.Log(err)
			for s, was := range before {
				if now := sum(t, target+s); now != was {
					t.Errorf("%s changed: %s, was %s", target+s, now, was)
				}
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*restore-*"))
			aside, _ := filepath.Glob(target + ".before-restore-*")
			if len(left)+len(aside) > 0 {
				t.Errorf("left behind: %q %q", left, aside)
			}
		})
	}
}

// With --replace the database that was there is moved aside with its
// write-ahead log (which may hold committed writes), never deleted, and
// the backup takes its place; a server that then starts on it finds the
// backup's cases.
func TestRestoreWithReplaceMovesTheOldDatabaseAside(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	a, db, key := serving(t, src)
	ref, err := create(ctx, a, "kept in the backup")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(src, "b.db")
	if _, err := backup.Take(ctx, backup.Options{DB: db, Out: file, Key: key, Now: taken}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "redress.db")
	os.WriteFile(target, []byte("old database"), 0o600)
	os.WriteFile(target+"-wal", []byte("old log"), 0o600)
	os.WriteFile(target+"-shm", []byte("old shm"), 0o600)
	r, err := backup.Restore(ctx, backup.RestoreOptions{Backup: file, DB: target, Key: key, Replace: true, Now: taken})
	if err != nil {
		t.Fatal(err)
	}
	want := target + ".before-restore-20261203T020000Z"
	if r.MovedAside != want {
		t.Errorf("moved aside to %q, want %q", r.MovedAside, want)
	}
	for s, was := range map[string]string{"": "old database", "-wal": "old log", "-shm": "old shm"} {
		if b, _ := os.ReadFile(want + s); string(b) != was {
			t.Errorf("%s holds %q, want %q", want+s, b, was)
		}
	}
	for _, s := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(target + s); err == nil {
			t.Errorf("the old %s is still beside the restored database", s)
		}
	}
	entries, _ := os.ReadDir(dir)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if want := "[redress.db redress.db.before-restore-20261203T020000Z redress.db.before-restore-20261203T020000Z-shm redress.db.before-restore-20261203T020000Z-wal redress.db.lock]"; fmt.Sprint(files) != want {
		t.Errorf("files after the restore: %v\nwant %s", files, want)
	}
	if refs := checkRestored(t, target, key); !refs[ref] || len(refs) != 1 {
		t.Errorf("restored cases: %v", refs)
	}
	// A second restore in the same second would move aside onto the
	// first one's: refused, and the restored database stays.
	if _, err := backup.Restore(ctx, backup.RestoreOptions{Backup: file, DB: target, Key: key, Replace: true, Now: taken}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second restore onto the same aside name: %v", err)
	}
}

// Prune keeps the newest backups by the time in their names, removes the
// older ones with their manifests, and leaves every other file alone.
func TestPruneKeepsTheNewestAndNothingElse(t *testing.T) {
	dir := t.TempDir()
	db := "/var/lib/redress/redress.db"
	var names []string
	for i := range 5 {
		n := backup.ScheduledName(db, taken.Add(time.Duration(i)*time.Hour))
		names = append(names, n)
		os.WriteFile(filepath.Join(dir, n), nil, 0o600)
		os.WriteFile(backup.ManifestPath(filepath.Join(dir, n)), nil, 0o600)
	}
	others := []string{"redress-by-hand.db", "other-20261203T020000Z.db", "notes.txt"}
	for _, n := range others {
		os.WriteFile(filepath.Join(dir, n), nil, 0o600)
	}
	removed, err := backup.Prune(dir, db, 2)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if fmt.Sprint(removed) != fmt.Sprint(names[:3]) {
		t.Errorf("removed %v, want %v", removed, names[:3])
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{"notes.txt", "other-20261203T020000Z.db", "redress-20261203T050000Z.db", "redress-20261203T050000Z.db.manifest.json",
		"redress-20261203T060000Z.db", "redress-20261203T060000Z.db.manifest.json", "redress-by-hand.db"}
	if fmt.Sprint(left) != fmt.Sprint(want) {
		t.Errorf("left %v\nwant %v", left, want)
	}
}
