package app

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/backup"
)

// Scheduled backups keep exactly the newest BackupKeep, each with its
// manifest, named by the UTC time they were taken, and log each one with
// its size and how long it took.
func TestScheduledBackupsKeepTheNewestN(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	var logged bytes.Buffer
	a, err := New(ctx, Config{DB: filepath.Join(dir, "redress.db"), BackupDir: backups, BackupKeep: 3, Demo: true},
		slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if info, err := os.Stat(backups); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("backup directory: %v, %v", info, err)
	}
	first := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	for i := range 5 {
		m, err := a.BackupNow(ctx, first.Add(time.Duration(i)*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if m.Cases == 0 || m.AuditKeyID != a.key.ID() {
			t.Errorf("backup %d: %+v", i, m)
		}
	}
	entries, _ := os.ReadDir(backups)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{
		"redress-20261205T020000Z.db", "redress-20261205T020000Z.db.manifest.json",
		"redress-20261206T020000Z.db", "redress-20261206T020000Z.db.manifest.json",
		"redress-20261207T020000Z.db", "redress-20261207T020000Z.db.manifest.json",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("kept %v\nwant %v", names, want)
	}
	if got := strings.Count(logged.String(), "msg=\"backup taken\""); got != 5 || !strings.Contains(logged.String(), "size_bytes=") || !strings.Contains(logged.String(), "duration_ms=") {
		t.Errorf("logged %d backups:\n%s", got, logged.String())
	}
	if got := strings.Count(logged.String(), "msg=\"old backup removed\""); got != 2 {
		t.Errorf("logged %d removals", got)
	}
	// Each one kept restores.
	r, err := backup.Restore(ctx, backup.RestoreOptions{Backup: filepath.Join(backups, want[4]), DB: filepath.Join(dir, "restored.db"), Key: a.key, Now: first})
	if err != nil || !r.Audit.OK || r.Audit.Cases == 0 {
		t.Errorf("restore the newest: %+v, %v", r, err)
	}
}

// Serve takes the scheduled backups itself, every BackupEvery.
func TestServeTakesScheduledBackups(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	var logs lockedBuffer
	a, err := New(ctx, Config{DB: filepath.Join(dir, "redress.db"), BackupDir: backups, BackupEvery: 50 * time.Millisecond, BackupKeep: 2},
		slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// Each backup gets its own second, so that their names differ.
	var seconds atomic.Int64
	a.now = func() time.Time {
		return time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC).Add(time.Duration(seconds.Add(1)) * time.Second)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	deadline := time.After(time.Minute)
	for {
		manifests, _ := filepath.Glob(filepath.Join(backups, "redress-*.db.manifest.json"))
		removed := strings.Contains(logs.String(), "old backup removed")
		if len(manifests) == 2 && removed {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("no pruned backups after a minute: %v\n%s", manifests, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Settings for scheduled backups that cannot work stop start-up, naming
// the setting.
func TestBackupSettingsThatCannotWorkStopStartUp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, nil, 0o600)
	db := filepath.Join(dir, "redress.db")
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{DB: "postgres://u@localhost/redress", BackupDir: dir}, "REDRESS_BACKUP_DIR"},
		{Config{DB: db, BackupDir: dir, BackupKeep: -1}, "REDRESS_BACKUP_KEEP"},
		{Config{DB: db, BackupDir: dir, BackupEvery: -time.Hour}, "REDRESS_BACKUP_EVERY"},
		{Config{DB: db, BackupEvery: time.Hour}, "no backup directory"},
		{Config{DB: db, BackupDir: file}, "REDRESS_BACKUP_DIR"},
	} {
		_, err := New(ctx, tc.cfg, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused start created the database")
	}
}

// An app holds its SQLite database's lock from New to Close: a restore is
// refused while it is open, and may go ahead once it is closed; a
// database being restored is not opened.
func TestTheAppHoldsItsDatabaseUntilClose(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "redress.db")
	a, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	// A second app on the same database (a restart overlapping the old
	// process) shares it.
	b, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.LockExclusive(db); err == nil {
		t.Fatal("a restore could lock a database two apps have open")
	}
	a.Close()
	if _, err := backup.LockExclusive(db); err == nil {
		t.Fatal("a restore could lock a database an app has open")
	}
	b.Close()
	lk, err := backup.LockExclusive(db)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	if _, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "being restored") {
		t.Errorf("start during a restore: %v", err)
	}
	lk.Release()
}

// lockedBuffer is a log that a test reads while the server writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
