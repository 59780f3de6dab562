package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
)

// Repeat complainants are the people with two or more complaints received
// in a period. Counted from contact_facts, that is a GROUP BY of every
// complaint in the period by person: over a million cases the costliest
// of the management figures, and no daily count can give it, as a person
// counts once however many days they complained on.
//
// complaint_chain (migration 0032) gives it without the sort. Take one
// person's complaints in the order they were received (then by case);
// each after the first has a row holding the date its previous one was
// received (prior) and the one before that (prior2). A person with two or
// more complaints in [from, to] has exactly one complaint in it whose
// previous one is also in it and whose one before that is not: their
// second in the period. So the repeat complainants are the rows received
// in the period with prior >= from and prior2 before from (or none),
// counted from one index. Only complaints with an earlier one have rows,
// so the index holds the repeats alone.

// repeatChainLock is the advisory lock namespace for a person's chain on
// PostgreSQL: two instances saving complaints by the same person at once
// would each read the chain without the other's complaint.
const repeatChainLock = 0x72657065 << 32 // "repe"

// chainPlace is where a complaint stands in its person's chain: the
// person and the day it was received (then its case id orders it).
type chainPlace struct {
	key      string
	received string
}

// relinkComplaints brings complaint_chain in step after caseID's contact
// facts were rewritten, at the places it stood and stands now in its
// people's chains (a key of "" is no one's): its own row goes first, as
// the case may no longer be a complaint or that person's.
func relinkComplaints(ctx context.Context, tx *sql.Tx, d dialect, caseID int64, places ...chainPlace) error {
	// The people's locks first, in one order: another save relinking the
	// same person may be changing this case's row, and two saves moving
	// complaints between the same two people must not each wait on the
	// other.
	slices.SortFunc(places, func(a, b chainPlace) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.received, b.received))
	})
	places = slices.DeleteFunc(slices.Compact(places), func(p chainPlace) bool { return p.key == "" })
	for i, p := range places {
		if i > 0 && places[i-1].key == p.key {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(p.key))
		if err := d.serialize(ctx, tx, int64(repeatChainLock|h.Sum64()>>32)); err != nil {
			return fmt.Errorf("repeat complainants: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM complaint_chain WHERE case_id = ?`, caseID); err != nil {
		return fmt.Errorf("repeat complainants: %w", err)
	}
	for _, p := range places {
		if err := relinkAround(ctx, tx, caseID, p); err != nil {
			return fmt.Errorf("repeat complainants: %w", err)
		}
	}
	return nil
}

// chainLink is one complaint of a person and its row in complaint_chain
// (null dates when it has none).
type chainLink struct {
	caseID                int64
	received              string
	present               bool // it has a row
	prior, prior2         sql.NullString
	wantPrior, wantPrior2 string // what its row should hold ("" for null)
}

// A person's complaints next to a place, nearest first, with their rows
// in complaint_chain, read from contact_facts_complainant (the key said
// not to be "" so that its partial index is used): those the same day
// before or after the case, then those on earlier or later days. Each is
// one seek of the index, however many complaints the person has.
const (
	chainSelect = `SELECT f.case_id, f.received, ch.case_id IS NOT NULL, ch.prior, ch.prior2
		FROM contact_facts f LEFT JOIN complaint_chain ch ON ch.case_id = f.case_id
		WHERE f.complainant_key = ? AND f.complainant_key <> '' AND f.kind = 'complaint' AND `
	chainSameDayBefore = chainSelect + `f.received = ? AND f.case_id < ? ORDER BY f.case_id DESC LIMIT 2`
	chainDaysBefore    = chainSelect + `f.received < ? ORDER BY f.received DESC, f.case_id DESC LIMIT 2`
	chainSameDayAfter  = chainSelect + `f.received = ? AND f.case_id > ? ORDER BY f.case_id LIMIT 2`
	chainDaysAfter     = chainSelect + `f.received > ? ORDER BY f.received, f.case_id LIMIT 2`
	chainAt            = chainSelect + `f.received = ? AND f.case_id = ?`
)

// relinkAround rewrites the rows that a complaint coming to or leaving
// place p can change, leaving the rest alone: its own, and the next two
// complaints', whose previous one and one before that it may be. The two
// complaints before it give their dates. So a save costs the same for a
// person with one complaint as for one with thousands (as an address
// shared by many, say, can have). The caller holds the person's lock
// (relinkComplaints).
func relinkAround(ctx context.Context, tx *sql.Tx, caseID int64, p chainPlace) error {
	read := func(q string, args ...any) ([]chainLink, error) {
		return queryAll(ctx, tx, func(sc scanner) (l chainLink, err error) {
			err = sc.Scan(&l.caseID, &l.received, &l.present, &l.prior, &l.prior2)
			return l, err
		}, q, args...)
	}
	// nearest reads up to two complaints, from the same day first.
	nearest := func(sameDay, days string) ([]chainLink, error) {
		links, err := read(sameDay, p.key, p.received, caseID)
		if err != nil || len(links) == 2 {
			return links, err
		}
		more, err := read(days, p.key, p.received)
		return append(links, more...)[:min(2, len(links)+len(more))], err
	}
	before, err := nearest(chainSameDayBefore, chainDaysBefore)
	if err != nil {
		return err
	}
	at, err := read(chainAt, p.key, p.received, caseID)
	if err != nil {
		return err
	}
	after, err := nearest(chainSameDayAfter, chainDaysAfter)
	if err != nil {
		return err
	}
	slices.Reverse(before)
	links := append(append(before, at...), after...)
	for i := len(before); i < len(links); i++ {
		l := &links[i]
		if i > 0 {
			l.wantPrior = links[i-1].received
		}
		if i > 1 {
			l.wantPrior2 = links[i-2].received
		}
		switch {
		case l.wantPrior == "" && l.present:
			_, err = tx.ExecContext(ctx, `DELETE FROM complaint_chain WHERE case_id = ?`, l.caseID)
		case l.wantPrior == "":
		case !l.present:
			_, err = tx.ExecContext(ctx, `INSERT INTO complaint_chain (case_id, received, prior, prior2) VALUES (?, ?, ?, ?)`,
				l.caseID, l.received, l.wantPrior, nullString(l.wantPrior2))
		case l.prior.String != l.wantPrior || l.prior2.String != l.wantPrior2:
			_, err = tx.ExecContext(ctx, `UPDATE complaint_chain SET received = ?, prior = ?, prior2 = ? WHERE case_id = ?`,
				l.received, l.wantPrior, nullString(l.wantPrior2), l.caseID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fillChain fills complaint_chain from contact_facts in one statement,
// with the rows relinkAround keeps one place at a time, for the migration
// that adds it (a copy into a new database copies its rows).
func fillChain(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO complaint_chain (case_id, received, prior, prior2)
		SELECT case_id, received, prior, prior2 FROM (
			SELECT case_id, received,
				lag(received, 1) OVER (PARTITION BY complainant_key ORDER BY received, case_id) AS prior,
				lag(received, 2) OVER (PARTITION BY complainant_key ORDER BY received, case_id) AS prior2
			FROM contact_facts WHERE kind = 'complaint' AND complainant_key <> '') chained
		WHERE prior IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("repeat complainants: %w", err)
	}
	return nil
}
