package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
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

// relinkComplaints brings complaint_chain in step with the complaints of the
// people keyed by keys (as complainant_key has them; "" is no one), after
// caseID's contact facts were rewritten: its own row goes first, as the
// case may no longer be a complaint or that person's.
func relinkComplaints(ctx context.Context, tx *sql.Tx, d dialect, caseID int64, keys ...string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM complaint_chain WHERE case_id = ?`, caseID); err != nil {
		return fmt.Errorf("repeat complainants: %w", err)
	}
	done := map[string]bool{"": true}
	for _, key := range keys {
		if done[key] {
			continue
		}
		done[key] = true
		if err := relinkPerson(ctx, tx, d, key); err != nil {
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

// relinkPerson rewrites the rows of one person's complaints that differ
// from what their order says, leaving the rest alone: most saves change
// none.
func relinkPerson(ctx context.Context, tx *sql.Tx, d dialect, key string) error {
	h := fnv.New64a()
	h.Write([]byte(key))
	if err := d.serialize(ctx, tx, int64(repeatChainLock|h.Sum64()>>32)); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT f.case_id, f.received, ch.case_id IS NOT NULL, ch.prior, ch.prior2
		FROM contact_facts f LEFT JOIN complaint_chain ch ON ch.case_id = f.case_id
		WHERE f.complainant_key = ? AND f.kind = 'complaint' ORDER BY f.received, f.case_id`, key)
	if err != nil {
		return err
	}
	var links []chainLink
	for rows.Next() {
		var l chainLink
		if err := rows.Scan(&l.caseID, &l.received, &l.present, &l.prior, &l.prior2); err != nil {
			rows.Close()
			return err
		}
		if n := len(links); n > 0 {
			l.wantPrior = links[n-1].received
			if n > 1 {
				l.wantPrior2 = links[n-2].received
			}
		}
		links = append(links, l)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, l := range links {
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
// with the rows relinkPerson keeps one person at a time, for the migration
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
