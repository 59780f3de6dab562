package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// stampLayout is the UTC time in a scheduled backup's name: it sorts as
// the backups were taken, and has no character a file system refuses.
const stampLayout = "20060102T150405Z"

// ScheduledName is the file name of the scheduled backup of db taken at
// t: the database's name and the UTC time, as in
// redress-20261203T020000Z.db.
func ScheduledName(db string, t time.Time) string {
	return stem(db) + "-" + t.UTC().Format(stampLayout) + ".db"
}

func stem(db string) string {
	base := filepath.Base(db)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Prune removes from dir all but the newest keep scheduled backups of db,
// each with its manifest, and returns the names it removed. Only files
// named exactly as ScheduledName names them are counted or removed, so
// that a backup taken by hand into the same directory, or any other
// file, is left alone.
func Prune(dir, db string, keep int) ([]string, error) {
	if keep < 1 {
		return nil, fmt.Errorf("keep %d backups: at least 1", keep)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup directory: %w", err)
	}
	type taken struct {
		name string
		at   time.Time
	}
	var all []taken
	prefix := stem(db) + "-"
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		stamp, ok = strings.CutSuffix(stamp, ".db")
		if !ok {
			continue
		}
		at, err := time.Parse(stampLayout, stamp)
		if err != nil {
			continue
		}
		all = append(all, taken{name, at})
	}
	if len(all) <= keep {
		return nil, nil
	}
	slices.SortFunc(all, func(a, b taken) int { return b.at.Compare(a.at) })
	var removed, problems []string
	for _, t := range all[keep:] {
		// The backup first: a manifest left alone is harmless, a backup
		// without its manifest cannot be restored and would not be pruned
		// differently.
		path := filepath.Join(dir, t.name)
		err := os.Remove(path)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			err = os.Remove(ManifestPath(path))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, err.Error())
			continue
		}
		removed = append(removed, t.name)
	}
	if len(problems) > 0 {
		return removed, fmt.Errorf("remove old backups: %s", strings.Join(problems, "; "))
	}
	return removed, nil
}
