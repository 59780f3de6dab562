package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// AuditKeyPath is where the audit key lives when no other place is given:
// beside the database, named after it (redress.db's is redress.audit.key),
// so that the two are found, and backed up, together.
func AuditKeyPath(db string) string {
	return strings.TrimSuffix(db, filepath.Ext(db)) + ".audit.key"
}

// LoadAuditKey returns the audit key and where it came from: given (the
// key itself from REDRESS_AUDIT_KEY, or the contents of
// REDRESS_AUDIT_KEY_FILE) if not empty, else the key file beside the
// database. If there is no key file and create is set, a new key is
// written there (mode 0600) and created is true; if create is not set,
// the key is zero and the error nil, for commands that can work without
// one. A key file others may read is refused: whoever reads the key can
// rewrite the audit chain undetected.
func LoadAuditKey(db, given string, create bool) (key store.AuditKey, source string, created bool, err error) {
	if given != "" {
		key, err = store.ParseAuditKey(given)
		if err != nil {
			return store.AuditKey{}, "", false, fmt.Errorf("REDRESS_AUDIT_KEY: %w", err)
		}
		return key, "REDRESS_AUDIT_KEY", false, nil
	}
	if sqldb.IsPostgres(db) {
		// Several instances share a PostgreSQL database, and a key file
		// beside one of them is not beside the others: the key comes from
		// configuration, the same in every instance.
		if create {
			return store.AuditKey{}, "", false, errors.New("with a PostgreSQL database the audit key must be given, the same to every instance, in REDRESS_AUDIT_KEY or REDRESS_AUDIT_KEY_FILE (make one with: openssl rand -hex 32); it also signs residents' tracking proofs and device cookies")
		}
		return store.AuditKey{}, "", false, nil
	}
	path := AuditKeyPath(db)
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		key, err = writeAuditKey(path)
		return key, path, err == nil, err
	case errors.Is(err, fs.ErrNotExist):
		return store.AuditKey{}, "", false, nil
	case err != nil:
		return store.AuditKey{}, "", false, fmt.Errorf("audit key: %w", err)
	case info.Mode().Perm()&0o077 != 0:
		return store.AuditKey{}, "", false, fmt.Errorf("audit key %s may be read by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return store.AuditKey{}, "", false, fmt.Errorf("audit key: %w", err)
	}
	if key, err = store.ParseAuditKey(string(b)); err != nil {
		return store.AuditKey{}, "", false, fmt.Errorf("audit key %s: %w", path, err)
	}
	return key, path, false, nil
}

// writeAuditKey makes a new key file, only if none is there (so that two
// starts at once cannot each make one), and syncs it and its directory
// before the key is used: a key lost to a crash would leave a chain
// nothing can verify.
func writeAuditKey(path string) (store.AuditKey, error) {
	key, err := store.NewAuditKey()
	if err != nil {
		return key, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return store.AuditKey{}, fmt.Errorf("create the audit key: %w (or give one in REDRESS_AUDIT_KEY_FILE)", err)
	}
	_, err = f.WriteString(key.Encode() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return store.AuditKey{}, fmt.Errorf("write the audit key: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return key, nil
}

// keyAuditChain keys the chain from the next event and logs the chain's
// head, the first checkpoint of this run.
func (a *App) keyAuditChain(ctx context.Context, st *sqldb.DB, source string, created bool) error {
	if created {
		a.log.Warn("created a new audit key: back it up with the database; without it the audit trail cannot be verified", "key_file", source, "key_id", a.key.ID())
	}
	k, err := st.KeyAuditChain(ctx)
	if err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	switch {
	case k.KeyedNow && k.Earlier > 0 && created:
		a.log.Info("keyed the audit chain: earlier events keep their unkeyed hashes", "keyed_from_event", k.From, "earlier_events", k.Earlier, "key_id", a.key.ID())
	case k.KeyedNow && k.Earlier > 0:
		// Once, on the first start with a key; any other time, the record
		// of where the keyed chain started was removed, which is what
		// rewriting the chain without the key needs.
		a.log.Warn("keyed an audit chain that already had events with a key that already existed: expected only on the first start with this key; otherwise the chain may have been rewritten without the key, so check it against a kept checkpoint",
			"keyed_from_event", k.From, "earlier_events", k.Earlier, "key_id", a.key.ID())
	}
	return a.logCheckpoint(ctx)
}

// logCheckpoint writes the chain's head, signed, to the log: kept with the
// log, outside the database, it catches a later rewind of the chain
// (redress audit verify --checkpoint).
func (a *App) logCheckpoint(ctx context.Context) error {
	cp, err := a.Store.AuditCheckpoint(ctx, a.now())
	if err != nil {
		return err
	}
	a.log.Info("audit checkpoint", "events", cp.Count, "checkpoint", cp.String())
	a.checkpointed = cp.Count
	return nil
}

// checkpoints logs a checkpoint every interval in which the chain grew,
// and once more when ctx ends. Each costs one read of the chain's head and
// one HMAC, but a line per write would bury the log; a checkpoint a minute
// at most leaves a deletion of the last minute's events to be caught only
// against the next checkpoint taken by hand.
func (a *App) checkpoints(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			a.checkpointIfGrown(context.WithoutCancel(ctx))
			return
		case <-t.C:
			a.checkpointIfGrown(ctx)
		}
	}
}

func (a *App) checkpointIfGrown(ctx context.Context) {
	cp, err := a.Store.AuditCheckpoint(ctx, a.now())
	if err != nil {
		a.log.Error("audit checkpoint", "err", err)
		return
	}
	if cp.Count == a.checkpointed {
		return
	}
	a.log.Info("audit checkpoint", "events", cp.Count, "checkpoint", cp.String())
	a.checkpointed = cp.Count
}
