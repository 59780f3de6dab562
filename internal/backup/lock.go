package backup

import (
	"errors"
	"fmt"
	"os"
)

// LockPath is the lock file beside a SQLite database: db with ".lock"
// added. It holds nothing; what matters is who holds a lock on it.
func LockPath(db string) string { return db + ".lock" }

// ErrLive is returned when a database's lock is held by another holder:
// a redress serve (or any app.New) has the database open, or a restore is
// putting another database in its place.
var ErrLive = errors.New("the database is in use")

// Lock is a held advisory lock on a database's lock file. The kernel
// drops it when the process ends, however it ends, so a crashed server
// never leaves a stale lock behind: that is why it is an flock on an open
// file rather than a file whose presence means "locked".
type Lock struct{ f *os.File }

// LockShared takes the lock a running Redress holds on its SQLite
// database for its lifetime. Shared, so that several processes that may
// rightly use one database together (two servers during a restart, a
// test's two apps) can all hold it; a restore, which needs it exclusive,
// is refused while any of them does. It does not wait: a database being
// restored is not opened.
func LockShared(db string) (*Lock, error) { return lock(db, false) }

// LockExclusive takes the lock a restore holds while it replaces a
// database, refused (ErrLive, without waiting) while any process holds
// the database.
func LockExclusive(db string) (*Lock, error) { return lock(db, true) }

func lock(db string, exclusive bool) (*Lock, error) {
	f, err := os.OpenFile(LockPath(db), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	if err := flock(f, exclusive); err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Release drops the lock. A nil Lock (no lock taken, as for PostgreSQL)
// releases nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the file drops the flock
	l.f = nil
	return err
}
