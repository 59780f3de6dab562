package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Search that finds people (issue 16, item 7). A search box is typed into
// by someone with a resident on the phone or a letter in their hand, so
// what they type is matched four ways at once and a case found by any of
// them is found:
//
//   - its words, each as a prefix, in the case's text, names, emails,
//     phone numbers and postcodes as written (cases_fts, unicode61);
//   - a reference, whole or its beginning, in any case (case_refs);
//   - a phone number however it is spaced, with or without +44, 0044 or
//     the leading 0, anywhere within a number the case holds;
//   - a postcode however it is spaced or capitalised, and an email or any
//     part of one (cases_contact_fts, trigram: any substring of three or
//     more characters).
//
// Search only ever narrows the list: caseWhere puts the viewer's
// confidential-case condition first and ANDs this with it, so no one finds
// by search a case they could not open.

// searcher is how a database indexes cases for search and finds them:
// the rules of what is found are the ones above, whatever the database.
type searcher interface {
	// index keeps the case's search indexes in step with it. It replaces
	// the case's rows (existing says it may have some) rather than adding
	// to them, so a name or a number corrected on the case is no longer
	// found by its old value.
	index(ctx context.Context, tx *sql.Tx, existing bool, c complaint.Case) error
	// condition is the condition on cases c that what was typed finds
	// them, or "" if it holds nothing to search for (the list is then
	// not narrowed, as an empty box does not narrow it).
	condition(q string) (string, []any)
}

// fts5Search is SQLite's search, on two FTS5 tables: cases_fts
// (unicode61 words) and cases_contact_fts (trigrams).
type fts5Search struct{}

func (fts5Search) index(ctx context.Context, tx *sql.Tx, existing bool, c complaint.Case) error {
	if existing {
		for _, table := range []string{"cases_fts", "cases_contact_fts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid = ?`, c.ID); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cases_fts (rowid, text) VALUES (?, ?)`, c.ID, searchText(c)); err != nil {
		return err
	}
	phones, postcodes, emails := contactKeys(c)
	_, err := tx.ExecContext(ctx, `INSERT INTO cases_contact_fts (rowid, phone, postcode, email) VALUES (?, ?, ?, ?)`,
		c.ID, phones, postcodes, emails)
	return err
}

// searchChanged says whether the words and contact details a case is
// found by differ between old and c.
func searchChanged(old, c complaint.Case) bool {
	if searchText(old) != searchText(c) {
		return true
	}
	p1, c1, e1 := contactKeys(old)
	p2, c2, e2 := contactKeys(c)
	return p1 != p2 || c1 != c2 || e1 != e2
}

// searchText is the words a case is found by: its references, what it is
// about and everyone it names, as they were written.
func searchText(c complaint.Case) string {
	words := append(c.References(), c.Summary, c.Description, c.DesiredOutcome, c.Complainant.Name,
		c.Complainant.Email, c.Complainant.Postcode, c.Complainant.TenancyRef, c.ServiceArea)
	words = append(words, c.Categories...)
	words = append(words, c.Complainant.Phone)
	if r := c.Representative; r != nil {
		words = append(words, r.Name, r.Email, r.Phone)
	}
	if g := c.Group; g != nil {
		words = append(words, g.Name, g.PointOfContact)
	}
	return strings.Join(words, " ")
}

// contactKeys are the case's phone numbers, postcode and emails in the
// forms searchCondition looks for them in, one to a line so that a match
// never spans two of them.
func contactKeys(c complaint.Case) (phones, postcodes, emails string) {
	var ph, em []string
	add := func(list []string, v string) []string {
		if v != "" {
			list = append(list, v)
		}
		return list
	}
	ph = add(ph, phoneKey(c.Complainant.Phone))
	em = add(em, strings.ToLower(strings.TrimSpace(c.Complainant.Email)))
	if r := c.Representative; r != nil {
		ph = add(ph, phoneKey(r.Phone))
		em = add(em, strings.ToLower(strings.TrimSpace(r.Email)))
	}
	return strings.Join(ph, "\n"), postcodeKey(c.Complainant.Postcode), strings.Join(em, "\n")
}

// condition: each way of matching is a subquery of the indexes, so the
// cases found are read by their ids.
func (fts5Search) condition(q string) (string, []any) {
	var subs []string
	var args []any
	if m := ftsQuery(q); m != "" {
		subs = append(subs, `SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?`)
		args = append(args, m)
	}
	if p := referencePattern(q); p != "" {
		subs = append(subs, `SELECT case_id FROM case_refs WHERE reference GLOB ?`)
		args = append(args, p)
	}
	if m := contactQuery(q); m != "" {
		subs = append(subs, `SELECT rowid FROM cases_contact_fts WHERE cases_contact_fts MATCH ?`)
		args = append(args, m)
	}
	if len(subs) == 0 {
		return "", nil
	}
	return `c.id IN (` + strings.Join(subs, ` UNION `) + `)`, args
}

// ftsQuery turns what a person typed into an FTS5 query that matches
// every word as a prefix, with no FTS syntax of their own.
func ftsQuery(q string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool {
		return !(r == '-' || r == '@' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127)
	}) {
		if len(terms) == 10 {
			break
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, ``)+`"*`)
	}
	return strings.Join(terms, " ")
}

// referencePattern is a GLOB pattern for the references that begin with
// what was typed, or "" if it cannot begin one. References are letters,
// digits and hyphens in capitals (store.FormatReference), so the pattern
// holds no character GLOB treats specially and reads the index on
// case_refs as a range.
func referencePattern(q string) string {
	ref := strings.ToUpper(strings.TrimSpace(q))
	if ref == "" || strings.IndexFunc(ref, func(r rune) bool {
		return !(r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		return ""
	}
	return ref + "*"
}

// contactQuery is an FTS5 query of cases_contact_fts for what was typed
// read as a phone number, a postcode or part of an email, or "" if it
// reads as none of them. Every string in it is built only from the
// characters it matches on, with no quote, so what was typed cannot be
// FTS syntax.
func contactQuery(q string) string {
	q = strings.TrimSpace(q)
	var parts []string
	if isPhoneLike(q) {
		if k := phoneKey(q); len(k) >= minPhoneDigits {
			parts = append(parts, `phone : "`+k+`"`)
		}
	}
	if k := postcodeKey(q); isPostcodeLike(k) {
		parts = append(parts, `postcode : "`+k+`"`)
	}
	// One word, as an email or part of one is; the trigram tokenizer
	// matches nothing shorter than three characters.
	if e := strings.ToLower(strings.ReplaceAll(q, `"`, ``)); e != "" && !strings.ContainsFunc(e, unicode.IsSpace) && len([]rune(e)) >= 3 {
		parts = append(parts, `email : "`+e+`"`)
	}
	return strings.Join(parts, " OR ")
}

// minPhoneDigits is the fewest digits searched for within phone numbers:
// fewer would find numbers by chance (a year, part of a reference), and
// the words index still finds a number's first digits as typed.
const minPhoneDigits = 6

// isPhoneLike reports whether q is written only as a phone number is:
// digits, spaces, a plus, brackets, hyphens and dots.
func isPhoneLike(q string) bool {
	return q != "" && strings.IndexFunc(q, func(r rune) bool {
		return !(r >= '0' && r <= '9' || unicode.IsSpace(r) || strings.ContainsRune("+-().", r))
	}) < 0
}

// phoneKey is a phone number's national significant number
// (store.PhoneKey, shared with the subject access export).
func phoneKey(s string) string { return store.PhoneKey(s) }

// postcodeKey is a postcode in capitals without its spaces, so that
// "sw1a1aa" and "SW1A 1AA" are one key.
func postcodeKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// isPostcodeLike reports whether a postcodeKey could be a postcode or
// part of one: three to seven letters and digits, with both.
func isPostcodeLike(k string) bool {
	if len(k) < 3 || len(k) > 7 {
		return false
	}
	var letter, digit bool
	for _, r := range k {
		switch {
		case r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			return false
		}
	}
	return letter && digit
}

// indexSearchBackfill indexes every case for search as indexSearch does
// for a case saved now (migration 0026): it is what fills
// cases_contact_fts for the cases saved before it, and gives their
// cases_fts text the phone numbers and names added to it. It reads the
// cases in batches by id so that a large database is not held in memory.
func indexSearchBackfill(ctx context.Context, tx *sql.Tx, d dialect) error {
	const batch = 500
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, data FROM cases WHERE id > ? ORDER BY id LIMIT ?`, last, batch)
		if err != nil {
			return err
		}
		var cases []complaint.Case
		for rows.Next() {
			var id int64
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			var c complaint.Case
			if err := json.Unmarshal(data, &c); err != nil {
				rows.Close()
				return fmt.Errorf("indexing case %d for search: %w", id, err)
			}
			c.ID = id
			cases = append(cases, c)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return err
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, c := range cases {
			if err := d.search.index(ctx, tx, true, c); err != nil {
				return fmt.Errorf("indexing case %s for search: %w", c.Reference, err)
			}
		}
		if len(cases) < batch {
			return nil
		}
		last = cases[len(cases)-1].ID
	}
}

// queueConditions are the conditions on cases c of the team's queues and
// the workload page's filters (issue 22, item 2), for caseWhere: each is
// one of the filter's flags, so a queue's count and its list are the
// same cases. The two that read the case's JSON are written per
// database, as the dialect's safetyWaiting is; the rest are columns.
func queueConditions(d dialect, f store.CaseFilter) ([]string, []any) {
	var where []string
	var args []any
	if f.OpenOnly {
		where = append(where, `c.status IN (?, ?, ?)`)
		args = append(args, complaint.StatusReceived, complaint.StatusAcknowledged, complaint.StatusResponded)
	}
	if f.Unassigned {
		where = append(where, `c.handler = ''`)
	}
	if f.SafetyFlagged {
		if d.name == postgresDialect.name {
			where = append(where, `(c.data::jsonb ->> 'health_and_safety') = 'true'`)
		} else {
			where = append(where, `json_extract(c.data, '$.health_and_safety') = 1`)
		}
	}
	if f.UnreadFromResident {
		if d.name == postgresDialect.name {
			where = append(where, `(c.data::jsonb ->> 'unread_from_resident') IS NOT NULL`)
		} else {
			where = append(where, `json_extract(c.data, '$.unread_from_resident') IS NOT NULL`)
		}
	}
	if f.OpenActions {
		where = append(where, `c.open_remedies > 0`)
	}
	if !f.DueFrom.IsZero() {
		where = append(where, `c.next_due >= ?`)
		args = append(args, f.DueFrom.String())
	}
	return where, args
}
