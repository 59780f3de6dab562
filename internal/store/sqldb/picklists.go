package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Picklist implements store.PicklistStore.
func (db *DB) Picklist(ctx context.Context, list string) ([]store.PicklistEntry, error) {
	out, byID, names, err := db.readPicklist(ctx, list)
	if err != nil {
		return nil, err
	}
	// Every other name counts as the entry it leads to, through any
	// merges, as PicklistAliases maps them.
	for _, n := range names {
		i, ok := byID[final(out, byID, n.entry)]
		if ok && store.NameKey(out[i].Name) != n.key {
			out[i].OtherNames = append(out[i].OtherNames, n.name)
		}
	}
	slices.SortStableFunc(out, func(a, b store.PicklistEntry) int {
		return strings.Compare(store.NameKey(a.Name), store.NameKey(b.Name))
	})
	return out, nil
}

// readPicklist reads a list's entries, in the order they were added,
// with their positions by id, and every name they have had.
func (db *DB) readPicklist(ctx context.Context, list string) ([]store.PicklistEntry, map[int64]int, []picklistName, error) {
	if err := store.CheckList(list); err != nil {
		return nil, nil, nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, retired_at, COALESCE(merged_into, 0), created_at
		FROM picklist_entries WHERE list = ? ORDER BY id`, list)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read the %s list: %w", list, err)
	}
	defer rows.Close()
	var out []store.PicklistEntry
	byID := map[int64]int{}
	for rows.Next() {
		e := store.PicklistEntry{List: list}
		var retired, created string
		if err := rows.Scan(&e.ID, &e.Name, &retired, &e.MergedInto, &created); err != nil {
			return nil, nil, nil, err
		}
		if retired != "" {
			e.Retired, _ = store.ParseTime(retired)
		}
		e.CreatedAt, _ = store.ParseTime(created)
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	names, err := db.picklistNames(ctx, list)
	if err != nil {
		return nil, nil, nil, err
	}
	return out, byID, names, nil
}

// final follows an entry's merges to the entry it now counts as.
func final(es []store.PicklistEntry, byID map[int64]int, id int64) int64 {
	for range len(es) { // a chain is never longer than the list
		i, ok := byID[id]
		if !ok || es[i].MergedInto == 0 {
			break
		}
		id = es[i].MergedInto
	}
	return id
}

// picklistName is one name an entry has had.
type picklistName struct {
	key, name string
	entry     int64
}

// picklistNames reads every name of the list's entries, as first
// written, with the entry it belongs to.
func (db *DB) picklistNames(ctx context.Context, list string) ([]picklistName, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT n.name_key, n.name, n.entry_id FROM picklist_names n WHERE n.list = ? ORDER BY n.name_key`, list)
	if err != nil {
		return nil, fmt.Errorf("read the %s list's names: %w", list, err)
	}
	defer rows.Close()
	var out []picklistName
	for rows.Next() {
		var n picklistName
		if err := rows.Scan(&n.key, &n.name, &n.entry); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// PicklistAliases implements store.PicklistStore, in two queries: the
// management figures call it for every report.
func (db *DB) PicklistAliases(ctx context.Context, list string) (map[string]string, error) {
	es, byID, names, err := db.readPicklist(ctx, list)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range names {
		if i, ok := byID[final(es, byID, n.entry)]; ok {
			out[n.key] = es[i].Name
		}
	}
	return out, nil
}

// namesOf returns the names under which value of list is counted
// (PicklistAliases): value itself and, if an entry of the list has it as
// a name, every name of the entry it now counts as, through renames and
// merges. A filter on a service area finds its cases by these, so that
// it finds the cases the figures count under it, and not only those
// recorded with its current spelling.
func (db *DB) namesOf(ctx context.Context, list, value string) ([]string, error) {
	es, byID, names, err := db.readPicklist(ctx, list)
	if err != nil {
		return nil, err
	}
	out := []string{value}
	key := store.NameKey(value)
	i := slices.IndexFunc(names, func(n picklistName) bool { return n.key == key })
	if i < 0 {
		return out, nil
	}
	// Every name an entry has had, its current one too, is in names.
	target := final(es, byID, names[i].entry)
	for _, n := range names {
		if final(es, byID, n.entry) == target {
			out = append(out, n.name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// oneOfNames is the SQL condition that column holds one of names as the
// lists compare them (store.NameKey), whatever its case: "repairs" is
// "Repairs". SQL's lower folds only ASCII letters, so the names are
// matched as written too.
func oneOfNames(column string, names []string) (string, []any) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	args := make([]any, 0, 2*len(names))
	for _, n := range names {
		args = append(args, n)
	}
	for _, n := range names {
		args = append(args, store.NameKey(n))
	}
	return `(` + column + ` IN (` + marks + `) OR lower(` + column + `) IN (` + marks + `))`, args
}

// AddPicklistEntry implements store.PicklistStore.
func (db *DB) AddPicklistEntry(ctx context.Context, list, name, actor string, at time.Time) (store.PicklistEntry, error) {
	if err := store.CheckList(list); err != nil {
		return store.PicklistEntry{}, err
	}
	if err := store.CheckPicklistName(name); err != nil {
		return store.PicklistEntry{}, err
	}
	e := store.PicklistEntry{List: list, Name: strings.Join(strings.Fields(name), " "), CreatedAt: at.UTC()}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		e.ID, err = addEntry(ctx, tx, list, e.Name, at)
		if err != nil {
			return err
		}
		return audit(ctx, tx, list, e.ID, "add", e.Name, actor, at)
	})
	if err != nil {
		return store.PicklistEntry{}, err
	}
	return e, nil
}

// addEntry inserts an entry and its name, refusing a name the list has.
func addEntry(ctx context.Context, tx *sql.Tx, list, name string, at time.Time) (int64, error) {
	if err := nameFree(ctx, tx, list, name, 0); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO picklist_entries (list, name, created_at) VALUES (?, ?, ?) RETURNING id`,
		list, name, store.FormatTime(at)).Scan(&id); err != nil {
		return 0, fmt.Errorf("add to the %s list: %w", list, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO picklist_names (list, name_key, name, entry_id) VALUES (?, ?, ?, ?)`, list, store.NameKey(name), name, id); err != nil {
		if isConstraint(err, uniqueViolation) {
			return 0, nameTaken(name)
		}
		return 0, fmt.Errorf("add to the %s list: %w", list, err)
	}
	return id, nil
}

// nameFree refuses a name that the list has, or once had, for an entry
// other than self.
func nameFree(ctx context.Context, tx *sql.Tx, list, name string, self int64) error {
	var entry int64
	var current string
	err := tx.QueryRowContext(ctx, `SELECT n.entry_id, e.name FROM picklist_names n JOIN picklist_entries e ON e.id = n.entry_id
		WHERE n.list = ? AND n.name_key = ?`, list, store.NameKey(name)).Scan(&entry, &current)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case entry == self:
		return nil
	case store.NameKey(current) == store.NameKey(name):
		return nameTaken(name)
	}
	return complaint.ConflictField("name", "the name is taken", "%q was a name of %q, which cases recorded with it count as: choose another name, or rename %q", name, current, current)
}

func nameTaken(name string) error {
	return complaint.ConflictField("name", "the name is taken", "%q is already on the list", name)
}

// audit records one change to a list in tx.
func audit(ctx context.Context, tx *sql.Tx, list string, id int64, action, detail, actor string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO picklist_changes (list, entry_id, action, detail, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
		list, id, action, detail, actor, store.FormatTime(at))
	if err != nil {
		return fmt.Errorf("audit the change to the %s list: %w", list, err)
	}
	return nil
}

// lockEntry reads an entry for a change in tx, locked (on PostgreSQL;
// SQLite has one writer) so that two merges at once cannot each merge
// into the other: its list, name, whether it is retired and what it is
// merged into.
func (db *DB) lockEntry(ctx context.Context, tx *sql.Tx, id int64, field string) (list, name, retired string, merged int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT list, name, retired_at, COALESCE(merged_into, 0) FROM picklist_entries WHERE id = ?`+db.d.forUpdate, id).
		Scan(&list, &name, &retired, &merged)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", 0, complaint.ConflictField(field, "there is no such entry", "there is no entry %d on either list", id)
	}
	return list, name, retired, merged, err
}

// RenamePicklistEntry implements store.PicklistStore.
func (db *DB) RenamePicklistEntry(ctx context.Context, id int64, name, actor string, at time.Time) error {
	if err := store.CheckPicklistName(name); err != nil {
		return err
	}
	name = strings.Join(strings.Fields(name), " ")
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		list, was, _, merged, err := db.lockEntry(ctx, tx, id, "id")
		if err != nil {
			return err
		}
		if merged != 0 {
			return complaint.ConflictField("id", "the entry is merged", "%q was merged into another entry: rename that one", was)
		}
		if was == name {
			return complaint.ConflictField("name", "nothing would change", "the entry is already called %q", name)
		}
		if err := nameFree(ctx, tx, list, name, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE picklist_entries SET name = ? WHERE id = ?`, name, id); err != nil {
			return err
		}
		// The old name stays the entry's (cases have it); the new one is
		// added unless it was the entry's before, differing in case.
		if _, err := tx.ExecContext(ctx, `INSERT INTO picklist_names (list, name_key, name, entry_id) VALUES (?, ?, ?, ?)
			ON CONFLICT (list, name_key) DO NOTHING`, list, store.NameKey(name), name, id); err != nil {
			return err
		}
		// A rename to the same name committed meanwhile by another
		// transaction leaves the name with that entry: refuse this one.
		var owner int64
		if err := tx.QueryRowContext(ctx, `SELECT entry_id FROM picklist_names WHERE list = ? AND name_key = ?`, list, store.NameKey(name)).Scan(&owner); err != nil {
			return err
		}
		if owner != id {
			return nameTaken(name)
		}
		return audit(ctx, tx, list, id, "rename", fmt.Sprintf("%s renamed %s", was, name), actor, at)
	})
}

// RetirePicklistEntry implements store.PicklistStore.
func (db *DB) RetirePicklistEntry(ctx context.Context, id int64, actor string, at time.Time) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		list, name, retired, merged, err := db.lockEntry(ctx, tx, id, "id")
		if err != nil {
			return err
		}
		if retired != "" || merged != 0 {
			return complaint.ConflictField("id", "the entry is not on the picklists", "%q is already off the picklists", name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE picklist_entries SET retired_at = ? WHERE id = ?`, store.FormatTime(at), id); err != nil {
			return err
		}
		return audit(ctx, tx, list, id, "retire", name, actor, at)
	})
}

// MergePicklistEntries implements store.PicklistStore. A retired entry
// may be merged, or merged into: retiring hides an entry, and merging
// says how its cases count.
func (db *DB) MergePicklistEntries(ctx context.Context, from, into int64, actor string, at time.Time) error {
	if from == into {
		return complaint.InvalidField("into", "is the entry being merged: choose another entry to merge it into")
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		list, fromName, _, fromMerged, err := db.lockEntry(ctx, tx, from, "from")
		if err != nil {
			return err
		}
		intoList, intoName, _, intoMerged, err := db.lockEntry(ctx, tx, into, "into")
		if err != nil {
			return err
		}
		switch {
		case intoList != list:
			return complaint.InvalidField("into", "%q is on the other list: merge a service area into a service area, a category into a category", intoName)
		case fromMerged != 0:
			return complaint.ConflictField("from", "the entry is merged", "%q was already merged into another entry", fromName)
		case intoMerged != 0:
			return complaint.ConflictField("into", "the entry is merged", "%q was merged into another entry: merge into that one", intoName)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE picklist_entries SET merged_into = ? WHERE id = ?`, into, from); err != nil {
			return err
		}
		return audit(ctx, tx, list, from, "merge", fmt.Sprintf("%s merged into %s", fromName, intoName), actor, at)
	})
}

// SeedPicklists implements store.PicklistStore, from the report facts,
// which hold every case's service area and categories.
func (db *DB) SeedPicklists(ctx context.Context, actor string, at time.Time) (int, error) {
	added := 0
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		added = 0
		for _, q := range []struct{ list, sql string }{
			{store.ListServiceAreas, `SELECT DISTINCT service_area FROM contact_facts WHERE service_area <> '' ORDER BY service_area`},
			{store.ListCategories, `SELECT DISTINCT category FROM category_facts WHERE category <> '' ORDER BY category`},
		} {
			values, err := queryColumn[string](ctx, tx, q.sql)
			if err != nil {
				return fmt.Errorf("seed the %s list: %w", q.list, err)
			}
			seen := map[string]bool{}
			for _, v := range values {
				v = strings.Join(strings.Fields(v), " ")
				k := store.NameKey(v)
				if seen[k] || store.CheckPicklistName(v) != nil {
					continue
				}
				seen[k] = true
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM picklist_names WHERE list = ? AND name_key = ?`, q.list, k).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					continue
				}
				id, err := addEntry(ctx, tx, q.list, v, at)
				if err != nil {
					return err
				}
				if err := audit(ctx, tx, q.list, id, "seed", v+" (already on cases)", actor, at); err != nil {
					return err
				}
				added++
			}
		}
		return nil
	})
	return added, err
}

// PicklistChanges implements store.PicklistStore.
func (db *DB) PicklistChanges(ctx context.Context, limit int) ([]store.PicklistChange, error) {
	if limit < 1 {
		limit = 100
	}
	rows, err := db.r.QueryContext(ctx, `SELECT list, entry_id, action, detail, actor, at FROM picklist_changes ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read the changes to the lists: %w", err)
	}
	defer rows.Close()
	var out []store.PicklistChange
	for rows.Next() {
		var c store.PicklistChange
		var at string
		if err := rows.Scan(&c.List, &c.EntryID, &c.Action, &c.Detail, &c.Actor, &at); err != nil {
			return nil, err
		}
		c.At, _ = store.ParseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
