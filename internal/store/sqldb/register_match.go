package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// postcodeCandidates bounds the tenancies read for a postcode, wider than
// tenancy.MaxCandidates since most of them will not share the name: a
// postcode is fifteen homes on average, and a block of flats may have a
// hundred, of which the newest few dozen are read.
const postcodeCandidates = 3 * tenancy.MaxCandidates

// TenancyCandidates implements store.RegisterStore.
func (db *DB) TenancyCandidates(ctx context.Context, p complaint.Person) ([]tenancy.Candidate, error) {
	return tenancyCandidates(ctx, db.r, p)
}

// tenancyCandidates looks p up by each key it has, each look-up one index
// range bounded by a LIMIT, then reads the tenancies found in one query.
func tenancyCandidates(ctx context.Context, q rowsQuerier, p complaint.Person) ([]tenancy.Candidate, error) {
	var refs []string
	add := func(query string, limit int, args ...any) error {
		rows, err := q.QueryContext(ctx, query, append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			if !slices.Contains(refs, r) {
				refs = append(refs, r)
			}
		}
		return rows.Err()
	}
	if ref := strings.TrimSpace(p.TenancyRef); ref != "" {
		// References are kept as the export spells them; a resident may
		// type one in lower case.
		if err := add(`SELECT ref FROM register_tenancies WHERE ref IN (?, ?) LIMIT ?`, 2, ref, tenancy.RefKey(ref)); err != nil {
			return nil, err
		}
	}
	key := `SELECT tenancy_ref FROM register_tenancy_keys WHERE key_kind = ? AND value = ? ORDER BY tenancy_ref DESC LIMIT ?`
	if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" {
		if err := add(key, tenancy.MaxCandidates, "email", e); err != nil {
			return nil, err
		}
	}
	if ph := phoneKey(p.Phone); ph != "" {
		if err := add(key, tenancy.MaxCandidates, "phone", ph); err != nil {
			return nil, err
		}
	}
	if pc := postcodeKey(p.Postcode); pc != "" && strings.TrimSpace(p.Name) != "" {
		if err := add(key, postcodeCandidates, "postcode", pc); err != nil {
			return nil, err
		}
	}
	return readCandidates(ctx, q, refs)
}

// readCandidates reads the tenancies named, with their homes, in the
// order named.
func readCandidates(ctx context.Context, q rowsQuerier, refs []string) ([]tenancy.Candidate, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	args := make([]any, len(refs))
	for i, r := range refs {
		args[i] = r
	}
	rows, err := q.QueryContext(ctx, `SELECT t.data, h.data FROM register_tenancies t JOIN register_homes h ON h.ref = t.home_ref
		WHERE t.ref IN (?`+strings.Repeat(", ?", len(refs)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byRef := map[string]tenancy.Candidate{}
	for rows.Next() {
		var tdata, hdata string
		if err := rows.Scan(&tdata, &hdata); err != nil {
			return nil, err
		}
		var c tenancy.Candidate
		if err := json.Unmarshal([]byte(tdata), &c.Tenancy); err != nil {
			return nil, fmt.Errorf("reading the register's tenancy: %w", err)
		}
		if err := json.Unmarshal([]byte(hdata), &c.Home); err != nil {
			return nil, fmt.Errorf("reading the register's home %s: %w", c.Tenancy.HomeRef, err)
		}
		byRef[c.Tenancy.Ref] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tenancy.Candidate, 0, len(byRef))
	for _, r := range refs {
		if c, ok := byRef[r]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// suggestTenancy sets on a case being logged the tenancy its complainant
// best matches, as a suggestion for an officer to confirm. It runs in the
// transaction that saves the case, so that every channel's case (the
// staff's, the form's, an email's, an import's) is matched in one place.
// A case that already names a tenancy match is left as it is.
func suggestTenancy(ctx context.Context, tx *sql.Tx, c *complaint.Case) error {
	if c.Tenancy != nil {
		return nil
	}
	cands, err := tenancyCandidates(ctx, tx, c.Complainant)
	if err != nil {
		return fmt.Errorf("match the case to a tenancy: %w", err)
	}
	if ms := tenancy.Rank(c.Complainant, cands, calendar.DateOf(c.ReceivedAt)); len(ms) > 0 {
		m := tenancy.MatchFor(ms[0].Tenancy, ms[0].Home, ms[0].By)
		c.Tenancy = &m
	}
	return nil
}

// SearchRegister implements store.RegisterStore. A postcode and an
// email are index look-ups; a reference's start and a name are looked
// for by scanning the register's references and stored text, which for
// ten thousand tenancies takes milliseconds and happens only when an
// officer searches.
func (db *DB) SearchRegister(ctx context.Context, q string, limit int) ([]tenancy.Candidate, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, complaint.InvalidField("q", "give a tenancy reference, postcode, email or name to search the register for")
	}
	if len(q) > 200 {
		return nil, complaint.InvalidField("q", "is longer than 200 characters")
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var refs []string
	add := func(query string, args ...any) error {
		rows, err := db.r.QueryContext(ctx, query, append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			if !slices.Contains(refs, r) && len(refs) < limit {
				refs = append(refs, r)
			}
		}
		return rows.Err()
	}
	key := `SELECT tenancy_ref FROM register_tenancy_keys WHERE key_kind = ? AND value = ? ORDER BY tenancy_ref LIMIT ?`
	var err error
	switch {
	case strings.Contains(q, "@"):
		err = add(key, "email", strings.ToLower(q))
	default:
		// A reference, or the start of one, in any case.
		err = add(`SELECT ref FROM register_tenancies WHERE upper(ref) LIKE ? ESCAPE '\' ORDER BY ref LIMIT ?`, likeEscape(tenancy.RefKey(q))+"%")
		if err == nil && isPostcodeLike(postcodeKey(q)) {
			err = add(key, "postcode", postcodeKey(q))
		}
		if err == nil && len(refs) < limit && len([]rune(q)) >= 3 {
			like := "%" + likeEscape(strings.ToLower(q)) + "%"
			err = add(`SELECT ref FROM register_tenancies WHERE lower(data) LIKE ? ESCAPE '\' ORDER BY ref LIMIT ?`, like)
		}
	}
	if err != nil {
		return nil, err
	}
	return readCandidates(ctx, db.r, refs)
}

// likeEscape escapes what LIKE would take as a wildcard, for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
