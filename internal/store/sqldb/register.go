package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// errDryRun rolls back a dry run's transaction once its report is made.
var errDryRun = errors.New("dry run")

// ImportRegister implements store.RegisterStore. A dry run runs the very
// same transaction and rolls it back, so that what it reports is what the
// import would do, not an estimate made another way.
func (db *DB) ImportRegister(ctx context.Context, f *tenancy.File, imp store.RegisterImport, progress func(done, total int)) (store.RegisterReport, error) {
	if len(f.Errors) > 0 {
		return store.RegisterReport{}, complaint.Errorf(complaint.Invalid, "the file has %d problems (the first: %s); nothing was imported", len(f.Errors), f.Errors[0])
	}
	var rep store.RegisterReport
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rep = store.RegisterReport{Rows: f.Rows, DryRun: imp.DryRun, Changes: []store.RegisterChange{}}
		at := store.FormatTime(imp.At)
		postcodes := make(map[string]string, len(f.Homes))
		for _, h := range f.Homes {
			postcodes[h.Ref] = h.Postcode
			old, found, err := registerRow[tenancy.Home](ctx, tx, `SELECT data FROM register_homes WHERE ref = ?`, h.Ref)
			if err != nil {
				return err
			}
			data, err := json.Marshal(h)
			if err != nil {
				return err
			}
			switch {
			case !found:
				rep.HomesAdded++
				rep.Changes = append(rep.Changes, store.RegisterChange{Line: f.HomeLines[h.Ref], Kind: "home", Ref: h.Ref, Action: "add"})
				_, err = tx.ExecContext(ctx, `INSERT INTO register_homes (ref, postcode, data, updated_at) VALUES (?, ?, ?, ?)`, h.Ref, h.Postcode, string(data), at)
			case old.Equal(h):
				rep.HomesUnchanged++
			default:
				rep.HomesChanged++
				rep.Changes = append(rep.Changes, store.RegisterChange{Line: f.HomeLines[h.Ref], Kind: "home", Ref: h.Ref, Action: "change", Fields: homeChanges(old, h)})
				_, err = tx.ExecContext(ctx, `UPDATE register_homes SET postcode = ?, data = ?, updated_at = ? WHERE ref = ?`, h.Postcode, string(data), at, h.Ref)
				if err == nil && old.Postcode != h.Postcode {
					// The home's tenancies are matched by its new postcode.
					_, err = tx.ExecContext(ctx, `UPDATE register_tenancy_keys SET value = ? WHERE key_kind = 'postcode'
						AND tenancy_ref IN (SELECT ref FROM register_tenancies WHERE home_ref = ?)`, postcodeKey(h.Postcode), h.Ref)
				}
			}
			if err != nil {
				return err
			}
		}
		for i, t := range f.Tenancies {
			if progress != nil && i%500 == 0 {
				progress(i, len(f.Tenancies))
			}
			old, found, err := registerRow[tenancy.Tenancy](ctx, tx, `SELECT data FROM register_tenancies WHERE ref = ?`, t.Ref)
			if err != nil {
				return err
			}
			if found && old.Equal(t) {
				rep.TenanciesUnchanged++
				continue
			}
			data, err := json.Marshal(t)
			if err != nil {
				return err
			}
			end := ""
			if !t.End.IsZero() {
				end = t.End.String()
			}
			if !found {
				rep.TenanciesAdded++
				rep.Changes = append(rep.Changes, store.RegisterChange{Line: f.TenancyLines[t.Ref], Kind: "tenancy", Ref: t.Ref, Action: "add"})
				_, err = tx.ExecContext(ctx, `INSERT INTO register_tenancies (ref, home_ref, tenure, start_date, end_date, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					t.Ref, t.HomeRef, string(t.Tenure), t.Start.String(), end, string(data), at)
			} else {
				rep.TenanciesChanged++
				rep.Changes = append(rep.Changes, store.RegisterChange{Line: f.TenancyLines[t.Ref], Kind: "tenancy", Ref: t.Ref, Action: "change", Fields: tenancyChanges(old, t)})
				if _, err := tx.ExecContext(ctx, `DELETE FROM register_tenancy_keys WHERE tenancy_ref = ?`, t.Ref); err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE register_tenancies SET home_ref = ?, tenure = ?, start_date = ?, end_date = ?, data = ?, updated_at = ? WHERE ref = ?`,
					t.HomeRef, string(t.Tenure), t.Start.String(), end, string(data), at, t.Ref)
			}
			if err != nil {
				return err
			}
			if err := writeTenancyKeys(ctx, tx, t, postcodes[t.HomeRef]); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(len(f.Tenancies), len(f.Tenancies))
		}
		if imp.DryRun {
			return errDryRun
		}
		counts, err := json.Marshal(struct {
			store.RegisterReport
			Changes any `json:"changes,omitempty"`
		}{RegisterReport: rep})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO register_imports (file_sha256, row_count, report, imported_by, imported_at) VALUES (?, ?, ?, ?, ?)`,
			imp.FileSHA256, f.Rows, string(counts), imp.By, at)
		return err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return rep, err
}

// writeTenancyKeys indexes what a contact is matched to the tenancy by:
// each person's email address and phone number, and the home's postcode.
func writeTenancyKeys(ctx context.Context, tx *sql.Tx, t tenancy.Tenancy, postcode string) error {
	type key struct{ kind, value string }
	var keys []key
	for _, p := range t.People {
		if p.Email != "" {
			keys = append(keys, key{"email", p.Email})
		}
		if p.Phone != "" {
			keys = append(keys, key{"phone", phoneKey(p.Phone)})
		}
	}
	keys = append(keys, key{"postcode", postcodeKey(postcode)})
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO register_tenancy_keys (key_kind, value, tenancy_ref) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, k.kind, k.value, t.Ref); err != nil {
			return err
		}
	}
	return nil
}

// registerRow reads one home or tenancy kept as JSON.
func registerRow[T any](ctx context.Context, tx *sql.Tx, query string, ref string) (T, bool, error) {
	var out T
	var data string
	err := tx.QueryRowContext(ctx, query, ref).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return out, false, nil
	}
	if err != nil {
		return out, false, err
	}
	if err := json.Unmarshal([]byte(data), &out); err != nil {
		return out, false, fmt.Errorf("reading the register's %s: %w", ref, err)
	}
	return out, true, nil
}

// homeChanges names the fields of a home an import changes.
func homeChanges(old, h tenancy.Home) []string {
	var out []string
	if old.UPRN != h.UPRN {
		out = append(out, "uprn")
	}
	if !slices.Equal(old.Address, h.Address) {
		out = append(out, "address")
	}
	if old.Postcode != h.Postcode {
		out = append(out, "postcode")
	}
	return out
}

// tenancyChanges names the fields of a tenancy an import changes.
func tenancyChanges(old, t tenancy.Tenancy) []string {
	var out []string
	for _, c := range []struct {
		name    string
		changed bool
	}{
		{"home_ref", old.HomeRef != t.HomeRef}, {"tenure", old.Tenure != t.Tenure}, {"tenancy_start", old.Start != t.Start},
		{"tenancy_end", old.End != t.End}, {"people", !slices.Equal(old.People, t.People)},
	} {
		if c.changed {
			out = append(out, c.name)
		}
	}
	return out
}

// GetTenancy implements store.RegisterStore.
func (db *DB) GetTenancy(ctx context.Context, ref string) (tenancy.Tenancy, tenancy.Home, error) {
	var tdata, hdata string
	err := db.r.QueryRowContext(ctx, `SELECT t.data, h.data FROM register_tenancies t JOIN register_homes h ON h.ref = t.home_ref WHERE t.ref = ?`, ref).Scan(&tdata, &hdata)
	if errors.Is(err, sql.ErrNoRows) {
		return tenancy.Tenancy{}, tenancy.Home{}, complaint.Errorf(complaint.NotFound, "there is no tenancy %s in the register", ref)
	}
	if err != nil {
		return tenancy.Tenancy{}, tenancy.Home{}, err
	}
	var t tenancy.Tenancy
	var h tenancy.Home
	if err := json.Unmarshal([]byte(tdata), &t); err != nil {
		return t, h, err
	}
	return t, h, json.Unmarshal([]byte(hdata), &h)
}

// HomesByTenureOn implements store.RegisterStore.
func (db *DB) HomesByTenureOn(ctx context.Context, d calendar.Date) (map[tenancy.Tenure]int, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT tenure, COUNT(DISTINCT home_ref) FROM register_tenancies
		WHERE start_date <= ? AND (end_date = '' OR end_date >= ?) GROUP BY tenure`, d.String(), d.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tenancy.Tenure]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[tenancy.Tenure(t)] = n
	}
	return out, rows.Err()
}
