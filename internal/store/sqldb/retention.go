package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Retention and erasure: a case's personal data is removed from every
// table that holds it, in one transaction, and the removal is recorded
// on the audit chain without rehashing it (see complaint.Anonymiser and
// anonymised_events, migration 38).

var _ store.RetentionStore = (*DB)(nil)

// Ended implements store.RetentionStore.
func (db *DB) Ended(ctx context.Context) ([]complaint.Case, error) {
	all, err := queryAll(ctx, db.r, func(sc scanner) (c complaint.Case, err error) {
		var id int64
		var data []byte
		if err = sc.Scan(&id, &data); err != nil {
			return c, err
		}
		if err = json.Unmarshal(data, &c); err != nil {
			return c, fmt.Errorf("case %d: %w", id, err)
		}
		c.ID = id
		return c, nil
	}, `SELECT id, data FROM cases WHERE status IN ('closed', 'refused', 'withdrawn') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if c.Anonymisation == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// AnonymiseCase implements store.RetentionStore.
func (db *DB) AnonymiseCase(ctx context.Context, ref string, req store.AnonymiseRequest) (complaint.Case, error) {
	var next complaint.Case
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		next, err = db.anonymiseInTx(ctx, tx, ref, req)
		return err
	})
	return next, err
}

type storedEvent struct {
	id                   int64
	seq                  int
	kind                 complaint.EventKind
	actor, at, rec, data string
	prevHash             string
}

// anonymisedHash is what an anonymisation records of an event it
// rewrote: the unkeyed hash of the event as it now stands (its data
// anonymised, everything else as recorded, its place in the chain
// included), so that changing its actor, time or kind afterwards is
// caught as surely as changing its data. Its own stored hash, computed
// before, stays the chain's link.
func anonymisedHash(ref string, seq int, kind, actor string, at, rec time.Time, prev, data string) string {
	return store.EventHash(prev, ref, seq, kind, actor, at, rec, data)
}

func (db *DB) anonymiseInTx(ctx context.Context, tx *sql.Tx, ref string, req store.AnonymiseRequest) (complaint.Case, error) {
	c, err := getCase(ctx, tx, ref, db.d.forUpdate)
	if err != nil {
		return complaint.Case{}, err
	}
	if c.Anonymisation != nil {
		return complaint.Case{}, complaint.Errorf(complaint.Conflict, "case %s was anonymised on %s", c.Reference, c.Anonymisation.At.Format("2 January 2006"))
	}
	if h := c.Held(); h != "" {
		return complaint.Case{}, complaint.Errorf(complaint.Conflict, "case %s is held and may not be anonymised", c.Reference)
	}
	evs, err := queryAll(ctx, tx, func(sc scanner) (e storedEvent, err error) {
		err = sc.Scan(&e.id, &e.seq, &e.kind, &e.actor, &e.at, &e.rec, &e.data, &e.prevHash)
		return e, err
	}, `SELECT id, seq, kind, actor, at, recorded_at, data, prev_hash FROM events WHERE case_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return complaint.Case{}, err
	}
	anonSeq := len(evs) + 1
	a := complaint.NewAnonymiser(c.Reference)
	cmd := complaint.Anonymise{Rule: req.Rule, Request: req.Request}
	for _, e := range evs {
		data, err := a.Data(e.kind, []byte(e.data))
		if err != nil {
			return complaint.Case{}, fmt.Errorf("case %s event #%d: %w", c.Reference, e.seq, err)
		}
		at, err1 := store.ParseTime(e.at)
		rec, err2 := store.ParseTime(e.rec)
		if err1 != nil || err2 != nil {
			return complaint.Case{}, fmt.Errorf("case %s event #%d: its times are not readable", c.Reference, e.seq)
		}
		sum := anonymisedHash(c.Reference, e.seq, string(e.kind), e.actor, at, rec, e.prevHash, string(data))
		cmd.Events = append(cmd.Events, complaint.AnonymisedEvent{Seq: e.seq, SHA256: sum})
		if _, err := tx.ExecContext(ctx, `INSERT INTO anonymised_events (event_id, case_id, anonymisation_seq, anonymised_event_sha256) VALUES (?, ?, ?, ?)`,
			e.id, c.ID, anonSeq, sum); err != nil {
			return complaint.Case{}, fmt.Errorf("anonymise: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET data = ? WHERE id = ?`, string(data), e.id); err != nil {
			return complaint.Case{}, fmt.Errorf("anonymise: %w", err)
		}
	}
	if err := db.anonymiseCopies(ctx, tx, c, a); err != nil {
		return complaint.Case{}, fmt.Errorf("anonymise: %w", err)
	}
	env := complaint.Env{Now: req.Now, Actor: complaint.Actor{Email: req.By}}
	next, seq, err := db.updateInTx(ctx, tx, ref, 0, func(cur complaint.Case, _ store.NewReference) (complaint.Case, complaint.Event, error) {
		anon, err := a.Case(cur)
		if err != nil {
			return complaint.Case{}, complaint.Event{}, err
		}
		return complaint.Decide(anon, cmd, env)
	})
	if err != nil {
		return complaint.Case{}, err
	}
	if seq != anonSeq {
		return complaint.Case{}, fmt.Errorf("anonymise: the anonymisation is event #%d, not #%d", seq, anonSeq)
	}
	return next, nil
}

// anonymiseCopies removes the case's personal data from the tables kept
// beside it: its letters' and files' bytes (their hashes stay, as their
// events recorded them), the emails sent about it, the inbound mail that
// reached it, survey comments, drafts and the resident's tracking links.
func (db *DB) anonymiseCopies(ctx context.Context, tx *sql.Tx, c complaint.Case, a *complaint.Anonymiser) error {
	if _, err := tx.ExecContext(ctx, `UPDATE letters SET pdf = ?, recipient = '', subject = '', body = '' WHERE case_id = ?`, []byte{}, c.ID); err != nil {
		return err
	}
	type file struct {
		id   int64
		name string
	}
	files, err := queryAll(ctx, tx, func(sc scanner) (f file, err error) {
		err = sc.Scan(&f.id, &f.name)
		return f, err
	}, `SELECT id, name FROM attachments WHERE case_id = ?`, c.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, err := tx.ExecContext(ctx, `UPDATE attachments SET data = ?, name = ? WHERE id = ?`, []byte{}, a.Text(f.name), f.id); err != nil {
			return err
		}
	}
	stmts := []string{
		`UPDATE outbox_attachments SET data = ?, name = '' WHERE outbox_id IN (SELECT id FROM outbox WHERE case_id = ?)`,
		`UPDATE outbox SET recipient = '', subject = '', text_body = '', html_body = '', last_error = '',
			status = CASE WHEN status IN ('queued', 'sending') THEN 'failed' ELSE status END WHERE case_id = ?`,
		`UPDATE survey_answers SET comment = '' WHERE case_id = ?`,
		`DELETE FROM survey_invites WHERE case_id = ?`,
		`DELETE FROM tracking_links WHERE case_id = ?`,
		`DELETE FROM tracking_codes WHERE case_id = ?`,
	}
	for i, q := range stmts {
		args := []any{c.ID}
		if i == 0 {
			args = []any{[]byte{}, c.ID}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	for _, ref := range c.References() {
		if _, err := tx.ExecContext(ctx, `UPDATE inbound_messages SET raw = NULL, subject = '', from_domain = '', reason = '' WHERE case_ref = ?`, ref); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM portal_drafts WHERE case_ref = ?`, ref); err != nil {
			return err
		}
	}
	return nil
}

// Anonymisations implements store.RetentionStore.
func (db *DB) Anonymisations(ctx context.Context, limit int) ([]store.AnonymisationEntry, error) {
	return queryAll(ctx, db.r, func(sc scanner) (e store.AnonymisationEntry, err error) {
		var at, data string
		if err = sc.Scan(&e.Reference, &e.Kind, &e.By, &at, &data); err != nil {
			return e, err
		}
		e.At, _ = store.ParseTime(at)
		var cmd complaint.Anonymise
		if err = json.Unmarshal([]byte(data), &cmd); err != nil {
			return e, fmt.Errorf("the anonymisation of %s: %w", e.Reference, err)
		}
		e.Rule, e.Request, e.Events = cmd.Rule, cmd.Request, len(cmd.Events)
		return e, nil
	}, `SELECT c.reference, c.kind, e.actor, e.at, e.data FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind = 'anonymised' ORDER BY e.id DESC LIMIT ?`, limit)
}

// PurgeFreed implements store.RetentionStore. SQLite's search indexes
// keep a deleted row's words until their segments are merged, and its
// write-ahead log keeps the pages as they were until it is checkpointed
// and truncated; PostgreSQL's old row versions go at its next vacuum,
// which autovacuum runs.
func (db *DB) PurgeFreed(ctx context.Context) error {
	if db.d.name == postgresDialect.name {
		return nil
	}
	if err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, t := range []string{"cases_fts", "cases_contact_fts"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('optimize')`); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	// The checkpoint cannot run inside a transaction. Readers holding an
	// older snapshot may keep it from truncating the log; the next run
	// (or SQLite's own checkpoints) rewrites those pages.
	_, err := db.CheckpointWAL(ctx)
	return err
}

// CheckpointWAL copies the write-ahead log into the database and
// truncates it, so that pages as they were before an anonymisation are
// not left in it. It reports whether readers kept it from finishing.
func (db *DB) CheckpointWAL(ctx context.Context) (busy bool, err error) {
	if db.d.name == postgresDialect.name {
		return false, nil
	}
	var b, logged, done int
	if err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&b, &logged, &done); err != nil {
		return false, err
	}
	return b != 0, nil
}

// anonymisedEvents reads which events of the case with this id were
// anonymised, by event id, with the hash recorded of each.
func (db *DB) anonymisedEvents(ctx context.Context, q rowsQuerier, caseID int64) (map[int64]anonymisedRow, error) {
	rows, err := queryAll(ctx, q, func(sc scanner) (r anonymisedRow, err error) {
		err = sc.Scan(&r.eventID, &r.anonymisationSeq, &r.sha256)
		return r, err
	}, `SELECT event_id, anonymisation_seq, anonymised_event_sha256 FROM anonymised_events WHERE case_id = ?`, caseID)
	if err != nil {
		return nil, err
	}
	out := map[int64]anonymisedRow{}
	for _, r := range rows {
		out[r.eventID] = r
	}
	return out, nil
}

type anonymisedRow struct {
	eventID          int64
	anonymisationSeq int
	sha256           string
}

// allAnonymised reads every anonymised event's recorded hash, by event
// id, for checking the chain.
func (db *DB) allAnonymised(ctx context.Context) (map[int64]string, error) {
	rows, err := queryAll(ctx, db.r, func(sc scanner) (r anonymisedRow, err error) {
		err = sc.Scan(&r.eventID, &r.sha256)
		return r, err
	}, `SELECT event_id, anonymised_event_sha256 FROM anonymised_events`)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.eventID] = r.sha256
	}
	return out, nil
}

// checkAnonymised checks a case's anonymised events against the record
// of their anonymisation: the anonymised_events rows, and the chained
// anonymisation event, which lists each event it rewrote with the hash
// of its new data. An event rewritten must be listed in both, with the
// same hash, which its data must have; an event listed must have been
// rewritten. It returns the problems, and the anonymisation as its event
// records it (nil if the case was not anonymised).
func checkAnonymised(ref, kind string, evs []complaint.Event, ids []int64, rows map[int64]anonymisedRow) ([]string, *store.AnonymisationEntry) {
	var problems []string
	problem := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("case %s: ", ref)+fmt.Sprintf(format, args...))
	}
	listed := map[int]string{}
	var entry *store.AnonymisationEntry
	anonSeq := 0
	for _, ev := range evs {
		if ev.Kind != complaint.EventAnonymised {
			continue
		}
		var cmd complaint.Anonymise
		if err := json.Unmarshal(store.EventData(ev), &cmd); err != nil {
			problem("its anonymisation (event #%d) is not readable", ev.Seq)
			continue
		}
		anonSeq = ev.Seq
		entry = &store.AnonymisationEntry{Reference: ref, Kind: kind, At: ev.At, Rule: cmd.Rule, Request: cmd.Request, By: ev.Actor, Events: len(cmd.Events)}
		for _, e := range cmd.Events {
			listed[e.Seq] = e.SHA256
		}
	}
	for i, ev := range evs {
		row, rewritten := rows[ids[i]]
		want, isListed := listed[ev.Seq]
		switch {
		case rewritten && !isListed:
			problem("event #%d (%s) is recorded as anonymised, but no anonymisation event lists it: the record of anonymised events was changed", ev.Seq, ev.Kind)
		case isListed && !rewritten:
			problem("event #%d (%s) is listed by its anonymisation, but the record of anonymised events has lost it", ev.Seq, ev.Kind)
		case !rewritten:
		case row.sha256 != want || row.anonymisationSeq != anonSeq:
			problem("event #%d (%s): the record of its anonymisation differs from what the anonymisation event lists: it was changed", ev.Seq, ev.Kind)
		case anonymisedHash(ref, ev.Seq, string(ev.Kind), ev.Actor, ev.At, ev.RecordedAt, ev.PrevHash, string(store.EventData(ev))) != want:
			problem("event #%d (%s): it does not match the hash its anonymisation recorded of it: its data, actor, time or kind was changed after", ev.Seq, ev.Kind)
		}
	}
	return problems, entry
}
