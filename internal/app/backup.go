package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/redresshq/redress/internal/backup"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// DefaultBackupKeep is how many scheduled backups are kept when
// Config.BackupKeep is not set: a week of daily ones.
const DefaultBackupKeep = 7

// DefaultBackupEvery is how often scheduled backups are taken when
// Config.BackupEvery is not set.
const DefaultBackupEvery = 24 * time.Hour

// checkBackups fills in the scheduled backups' defaults and refuses
// settings that cannot work, before anything is opened. The directory is
// made (readable by the owner alone: a backup holds every complaint) if
// it is not there, so that a mistake in it shows at start, not at the
// first backup a day later.
func checkBackups(cfg *Config) error {
	if cfg.BackupDir == "" {
		if cfg.BackupEvery != 0 || cfg.BackupKeep != 0 {
			return errors.New("backup interval and count (REDRESS_BACKUP_EVERY, REDRESS_BACKUP_KEEP) are set but no backup directory (REDRESS_BACKUP_DIR)")
		}
		return nil
	}
	if sqldb.IsPostgres(cfg.DB) {
		return errors.New("backup directory (REDRESS_BACKUP_DIR): scheduled backups are of a SQLite database; back up PostgreSQL with its own tools (pg_dump or pg_basebackup), as the README's Backups section says, and unset it")
	}
	switch {
	case cfg.BackupEvery < 0:
		return fmt.Errorf("backup interval (REDRESS_BACKUP_EVERY): %v is negative", cfg.BackupEvery)
	case cfg.BackupEvery == 0:
		cfg.BackupEvery = DefaultBackupEvery
	}
	switch {
	case cfg.BackupKeep < 0:
		return fmt.Errorf("backups kept (REDRESS_BACKUP_KEEP): %d is negative", cfg.BackupKeep)
	case cfg.BackupKeep == 0:
		cfg.BackupKeep = DefaultBackupKeep
	}
	if err := os.MkdirAll(cfg.BackupDir, 0o700); err != nil {
		return fmt.Errorf("backup directory (REDRESS_BACKUP_DIR): %w", err)
	}
	if info, err := os.Stat(cfg.BackupDir); err != nil || !info.IsDir() {
		return fmt.Errorf("backup directory (REDRESS_BACKUP_DIR): %s is not a directory", cfg.BackupDir)
	}
	return nil
}

// BackupNow takes one scheduled backup, as taken at now, into the backup
// directory, with the code `redress backup` runs, then removes all but
// the newest BackupKeep. It logs the backup's size and how long it took.
func (a *App) BackupNow(ctx context.Context, now time.Time) (backup.Manifest, error) {
	if a.cfg.BackupDir == "" {
		return backup.Manifest{}, errors.New("no backup directory is set (REDRESS_BACKUP_DIR)")
	}
	start := clock.Wall()
	out := filepath.Join(a.cfg.BackupDir, backup.ScheduledName(a.cfg.DB, now))
	m, err := backup.Take(ctx, backup.Options{DB: a.cfg.DB, Out: out, Key: a.key, Now: now})
	if err != nil {
		return m, fmt.Errorf("scheduled backup: %w", err)
	}
	a.log.Info("backup taken", "file", out, "size_bytes", m.Size, "duration_ms", clock.Wall().Sub(start).Milliseconds(),
		"cases", m.Cases, "events", m.Events, "sha256", m.SHA256)
	removed, err := backup.Prune(a.cfg.BackupDir, a.cfg.DB, a.cfg.BackupKeep)
	for _, name := range removed {
		a.log.Info("old backup removed", "file", filepath.Join(a.cfg.BackupDir, name), "keep", a.cfg.BackupKeep)
	}
	if err != nil {
		return m, fmt.Errorf("scheduled backup: %w", err)
	}
	return m, nil
}

// backups takes a backup every interval until ctx ends. The first is one
// interval after start, not at start: a server restarted often would
// otherwise back up at every restart, and the newest BackupKeep would be
// minutes apart rather than days. A backup that fails is logged and the
// next is tried at the next interval.
func (a *App) backups(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, err := a.BackupNow(ctx, a.now())
			switch {
			case err != nil && ctx.Err() != nil:
				a.log.Info("scheduled backup stopped by shutdown; nothing was left under the backup's name", "err", err)
			case err != nil:
				a.log.Error("scheduled backup failed", "err", err)
			}
		}
	}
}
