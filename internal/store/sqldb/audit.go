package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The audit chain in SQLite: events carry prev_hash and hash, audit_head
// holds the newest hash and the count, and audit_chain (migration 18)
// records from which event the chain is keyed with the audit key. See
// package store for what each part protects against.

// chainState is where the keyed chain starts, as the database records it.
type chainState struct {
	keyedFrom int64 // the first keyed event's id; 0 while the chain is not keyed
	keyID     string
	seal      string
	missing   bool // the audit_chain row is gone
}

func readChain(ctx context.Context, q querier) (chainState, error) {
	var from sql.NullInt64
	var s chainState
	err := q.QueryRowContext(ctx, `SELECT keyed_from, key_id, seal FROM audit_chain WHERE id = 1`).Scan(&from, &s.keyID, &s.seal)
	if errors.Is(err, sql.ErrNoRows) {
		return chainState{missing: true}, nil
	}
	if err != nil {
		return chainState{}, fmt.Errorf("audit chain: %w", err)
	}
	s.keyedFrom = from.Int64
	return s, nil
}

// keyed reports whether event id is chained with the key.
func (s chainState) keyed(id int64) bool { return s.keyedFrom > 0 && id >= s.keyedFrom }

// checkKey refuses a key other than the one the chain is keyed with: a
// store that wrote with another key would make a chain no key verifies.
func checkKey(ctx context.Context, q querier, key store.AuditKey) error {
	s, err := readChain(ctx, q)
	if err != nil || key.IsZero() || s.keyedFrom == 0 || s.keyID == key.ID() {
		return err
	}
	return fmt.Errorf("the database's audit chain is keyed with audit key %s, but the key given is %s: start with the key it was written with (REDRESS_AUDIT_KEY_FILE or REDRESS_AUDIT_KEY); without it the chain cannot be verified", s.keyID, key.ID())
}

// KeyedChain says where the chain is keyed from.
type KeyedChain struct {
	// From is the id of the first event chained with the key.
	From int64
	// KeyedNow is true when this call started the keyed chain; Earlier is
	// then how many events were recorded before it, without a key.
	KeyedNow bool
	Earlier  int
}

// KeyAuditChain starts keying the chain with the store's audit key from
// the next event, if it is not keyed already. Redress calls it at start;
// it is explicit, rather than part of Open, so that a command that only
// verifies never keys a chain whose record of its keyed start was
// removed, which verification must report instead. A chain that already
// has events and is keyed now is worth a line in the log: it happens once,
// on the first start with a key, unless someone rewrote the chain without
// the key and removed the record.
func (db *DB) KeyAuditChain(ctx context.Context) (KeyedChain, error) {
	if db.key.IsZero() {
		return KeyedChain{}, errors.New("the audit chain cannot be keyed without an audit key")
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return KeyedChain{}, err
	}
	defer tx.Rollback()
	s, err := readChain(ctx, tx)
	if err != nil {
		return KeyedChain{}, err
	}
	if s.keyedFrom > 0 {
		return KeyedChain{From: s.keyedFrom}, checkKey(ctx, tx, db.key)
	}
	k, err := db.sealInTx(ctx, tx)
	if err != nil {
		return KeyedChain{}, err
	}
	return k, tx.Commit()
}

// sealInTx records that the chain is keyed from the next event.
func (db *DB) sealInTx(ctx context.Context, tx *sql.Tx) (KeyedChain, error) {
	var n int
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0) FROM events`).Scan(&n, &last); err != nil {
		return KeyedChain{}, err
	}
	from := last + 1
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_chain (id, keyed_from, key_id, seal) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET keyed_from = excluded.keyed_from, key_id = excluded.key_id, seal = excluded.seal`,
		from, db.key.ID(), db.key.Seal(from)); err != nil {
		return KeyedChain{}, fmt.Errorf("key the audit chain: %w", err)
	}
	return KeyedChain{From: from, KeyedNow: true, Earlier: n}, nil
}

// appendEvent adds ev to the case's trail and the global hash chain: with
// the audit key once the chain is keyed, else with the unkeyed hash of
// chains from before keys. A store without the key cannot add to a keyed
// chain, and a store with the key does not add unkeyed events to a chain
// that already has some (KeyAuditChain keys it first), so the chain never
// goes back from keyed to unkeyed.
func (db *DB) appendEvent(ctx context.Context, tx *sql.Tx, c complaint.Case, seq int, ev complaint.Event) error {
	data, err := json.Marshal(ev.Data)
	if err != nil {
		return err
	}
	var prev string
	var count int
	// The head is locked until commit (PostgreSQL; SQLite has one writer):
	// events are chained one at a time, and their ids, taken below while
	// it is held, are in the order their transactions commit.
	if err := tx.QueryRowContext(ctx, `SELECT hash, count FROM audit_head WHERE id = 1`+db.d.forUpdate).Scan(&prev, &count); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	chain, err := readChain(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case chain.missing:
		return errors.New("the audit chain's record of where it is keyed is missing: check the database with redress audit verify")
	case chain.keyedFrom == 0 && !db.key.IsZero() && count > 0:
		return errors.New("the audit chain has events but is not keyed: key it first (redress serve does at start), or check it with redress audit verify")
	case chain.keyedFrom == 0 && !db.key.IsZero():
		if chain, err = db.sealAndRead(ctx, tx); err != nil {
			return err
		}
	case chain.keyedFrom > 0 && db.key.IsZero():
		return fmt.Errorf("the audit chain is keyed with audit key %s: this store was opened without it and cannot record events", chain.keyID)
	case chain.keyedFrom > 0 && (chain.keyID != db.key.ID() || !db.key.SealOK(chain.keyedFrom, chain.seal)):
		return errors.New("the audit chain's record of where it is keyed was changed: check the database with redress audit verify")
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM events`).Scan(&id); err != nil {
		return err
	}
	// A keyed event always lies at or after the keyed start, even in a
	// chain whose newest events were deleted.
	if chain.keyedFrom > 0 && id < chain.keyedFrom {
		id = chain.keyedFrom
	}
	// Times are stored to the nanosecond in UTC; hash what is stored.
	at, _ := store.ParseTime(store.FormatTime(ev.At))
	rec, _ := store.ParseTime(store.FormatTime(ev.RecordedAt))
	hash := store.EventHash(prev, c.Reference, seq, string(ev.Kind), ev.Actor, at, rec, string(data))
	if chain.keyed(id) {
		hash = db.key.EventHash(prev, c.Reference, seq, string(ev.Kind), ev.Actor, at, rec, string(data))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, case_id, seq, kind, actor, at, recorded_at, data, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.ID, seq, ev.Kind, ev.Actor, store.FormatTime(at), store.FormatTime(rec), string(data), prev, hash); err != nil {
		return fmt.Errorf("save event: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET hash = ?, count = ? WHERE id = 1`, hash, count+1)
	return err
}

// sealAndRead keys a chain that has no events yet, which needs no
// decision: there is nothing before it to protect.
func (db *DB) sealAndRead(ctx context.Context, tx *sql.Tx) (chainState, error) {
	if _, err := db.sealInTx(ctx, tx); err != nil {
		return chainState{}, err
	}
	return readChain(ctx, tx)
}

// VerifyAudit implements store.Store: the chain (VerifyChain), then every
// case rebuilt from its events (VerifyCase).
func (db *DB) VerifyAudit(ctx context.Context) (store.AuditReport, error) {
	rep, err := db.VerifyChain(ctx)
	if err != nil {
		return rep, err
	}
	chain, err := readChain(ctx, db.r)
	if err != nil {
		return rep, err
	}
	ids, err := queryColumn[int64](ctx, db.r, `SELECT id FROM cases ORDER BY id`)
	if err != nil {
		return rep, err
	}
	var rb store.Rebuilder
	for _, id := range ids {
		a, err := db.auditCase(ctx, &rb, chain, id)
		if err != nil {
			return rep, err
		}
		rep.Cases++
		if a.Anonymised != nil {
			rep.Anonymised = append(rep.Anonymised, *a.Anonymised)
		}
		if !a.OK() {
			rep.OK = false
			addProblems(&rep, a.Problems...)
		}
	}
	return rep, nil
}

// maxProblems bounds a report: a database rewritten wholesale would
// otherwise list every event.
const maxProblems = 100

func addProblems(rep *store.AuditReport, ps ...string) {
	for _, p := range ps {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, p)
		}
	}
}

// VerifyChain implements store.Auditor.
func (db *DB) VerifyChain(ctx context.Context) (store.AuditReport, error) {
	rep := store.AuditReport{Problems: []string{}}
	broken := false
	problem := func(format string, args ...any) {
		broken = true
		addProblems(&rep, fmt.Sprintf(format, args...))
	}
	chain, err := readChain(ctx, db.r)
	if err != nil {
		return rep, err
	}
	switch {
	case chain.missing:
		problem("the record of where the chain is keyed (audit_chain) was deleted")
	case chain.keyedFrom > 0 && db.key.IsZero():
		problem("the chain is keyed with audit key %s from event %d: verify it with that key (REDRESS_AUDIT_KEY_FILE or REDRESS_AUDIT_KEY)", chain.keyID, chain.keyedFrom)
	case chain.keyedFrom > 0 && chain.keyID != db.key.ID():
		problem("the chain is keyed with audit key %s, not this one (%s): verify it with that key", chain.keyID, db.key.ID())
	case chain.keyedFrom > 0 && !db.key.SealOK(chain.keyedFrom, chain.seal):
		problem("the record that the chain is keyed from event %d is not sealed with the audit key: it was moved, to pass keyed events off as unkeyed ones", chain.keyedFrom)
	}
	canCheckKeyed := !db.key.IsZero() && chain.keyID == db.key.ID()
	anonymised, err := db.allAnonymised(ctx)
	if err != nil {
		return rep, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT e.id, e.case_id, c.reference, e.seq, e.kind, e.actor, e.at, e.recorded_at, e.data, e.prev_hash, e.hash
		FROM events e LEFT JOIN cases c ON c.id = e.case_id ORDER BY e.id`)
	if err != nil {
		return rep, err
	}
	defer rows.Close()
	prev := ""
	lastSeq := map[int64]int{}
	for rows.Next() {
		var id, caseID int64
		var seq int
		var ref sql.NullString
		var kind, actor, at, rec, data, prevHash, hash string
		if err := rows.Scan(&id, &caseID, &ref, &seq, &kind, &actor, &at, &rec, &data, &prevHash, &hash); err != nil {
			return rep, err
		}
		rep.Events++
		if !ref.Valid {
			problem("event %d belongs to case %d, which is gone: the case was deleted", id, caseID)
		}
		atT, err1 := store.ParseTime(at)
		recT, err2 := store.ParseTime(rec)
		if err1 != nil || err2 != nil {
			problem("event %d (%s #%d): its times are not readable", id, ref.String, seq)
		}
		if prevHash != prev {
			problem("event %d (%s #%d): the chain is broken before it: an event was deleted or changed", id, ref.String, seq)
		}
		sum, wasAnonymised := anonymised[id]
		switch {
		case wasAnonymised:
			// Its data was rewritten when its case was anonymised: the
			// event is checked against the hash the anonymisation
			// recorded of it (and VerifyCase checks that record against
			// the chained anonymisation event); its stored hash is the
			// link.
			if anonymisedHash(ref.String, seq, kind, actor, atT, recT, prevHash, data) != sum {
				problem("event %d (%s #%d): it does not match the hash its anonymisation recorded of it: its data, actor, time or kind was changed after", id, ref.String, seq)
			}
		case !chain.keyed(id):
			if store.EventHash(prevHash, ref.String, seq, kind, actor, atT, recT, data) != hash {
				problem("event %d (%s #%d): its content does not match its hash: it was edited", id, ref.String, seq)
			}
		case canCheckKeyed:
			if db.key.EventHash(prevHash, ref.String, seq, kind, actor, atT, recT, data) != hash {
				problem("event %d (%s #%d): its content does not match its keyed hash: it was edited, or its hash recomputed without the audit key", id, ref.String, seq)
			}
		}
		if seq != lastSeq[caseID]+1 {
			problem("case %s: event #%d follows #%d: events are missing", ref.String, seq, lastSeq[caseID])
		}
		lastSeq[caseID] = seq
		prev = hash
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	if chain.keyedFrom == 0 && !chain.missing && !db.key.IsZero() && rep.Events > 0 {
		problem("the chain is not keyed although the audit key is given: either Redress has not been started with the key since this database was upgraded (start it once), or the chain was rewritten without the key and the record of its keyed start removed")
	}
	var head string
	var count int
	if err := db.r.QueryRowContext(ctx, `SELECT hash, count FROM audit_head WHERE id = 1`).Scan(&head, &count); err != nil {
		return rep, err
	}
	if head != prev || count != rep.Events {
		problem("the chain ends at event %d of %d recorded: the newest events were deleted or changed", rep.Events, count)
	}
	if cp := db.signed.get(); cp.Count > 0 {
		p, err := db.key.CheckCheckpoint(cp, rep.Events, db.hashAt(ctx))
		if err != nil {
			return rep, err
		}
		if p != "" {
			problem("%s (a checkpoint this server signed)", p)
		}
	}
	rep.OK = !broken
	return rep, nil
}

// VerifyCase implements store.Auditor.
func (db *DB) VerifyCase(ctx context.Context, ref string) (store.CaseAudit, error) {
	c, err := getCase(ctx, db.r, ref, "")
	if err != nil {
		return store.CaseAudit{}, err
	}
	chain, err := readChain(ctx, db.r)
	if err != nil {
		return store.CaseAudit{}, err
	}
	var rb store.Rebuilder
	return db.auditCase(ctx, &rb, chain, c.ID)
}

// auditCase checks the case with this id: its events, the stored case and
// the columns and tables kept beside it against the case rebuilt from its
// events, and its letters and files.
func (db *DB) auditCase(ctx context.Context, rb *store.Rebuilder, chain chainState, id int64) (store.CaseAudit, error) {
	a := store.CaseAudit{EventsOK: true, CaseOK: true, LettersOK: true, AttachmentsOK: true, Problems: []string{}}
	var col struct {
		ref, kind, status, handler, area, received, createdBy, data string
		nextDue                                                     sql.NullString
		stage, version, openRemedies                                int
		confidential                                                bool
	}
	err := db.r.QueryRowContext(ctx, `SELECT reference, kind, stage, status, handler, service_area, received_at, next_due, confidential,
		created_by, version, open_remedies, data FROM cases WHERE id = ?`, id).Scan(&col.ref, &col.kind, &col.stage, &col.status,
		&col.handler, &col.area, &col.received, &col.nextDue, &col.confidential, &col.createdBy, &col.version, &col.openRemedies, &col.data)
	if err != nil {
		return a, err
	}
	a.Reference = col.ref
	caseProblem := func(format string, args ...any) {
		a.CaseOK = false
		a.Problems = append(a.Problems, fmt.Sprintf("case %s: ", col.ref)+fmt.Sprintf(format, args...))
	}
	var stored complaint.Case
	if err := json.Unmarshal([]byte(col.data), &stored); err != nil {
		caseProblem("the stored case is not readable: it was changed behind the application's back")
	}
	stored.ID = id

	anonymised, err := db.anonymisedEvents(ctx, db.r, id)
	if err != nil {
		return a, err
	}
	rows, err := db.r.QueryContext(ctx, auditEventsQuery, id)
	if err != nil {
		return a, err
	}
	var evs []complaint.Event
	var eventIDs []int64
	unkeyable := false
	for rows.Next() {
		var eid int64
		var ev complaint.Event
		var at, rec, data string
		if err := rows.Scan(&eid, &ev.Seq, &ev.Kind, &ev.Actor, &at, &rec, &data, &ev.PrevHash, &ev.Hash); err != nil {
			rows.Close()
			return a, err
		}
		ev.At, _ = store.ParseTime(at)
		ev.RecordedAt, _ = store.ParseTime(rec)
		ev.Data = json.RawMessage(data)
		evs = append(evs, ev)
		eventIDs = append(eventIDs, eid)
		a.Events++
		if ev.Seq != len(evs) {
			a.EventsOK = false
			a.Problems = append(a.Problems, fmt.Sprintf("case %s: event #%d follows #%d: events are missing", col.ref, ev.Seq, len(evs)-1))
		}
		if _, ok := anonymised[eid]; ok {
			continue // checked against its anonymisation below
		}
		want := store.EventHash(ev.PrevHash, col.ref, ev.Seq, string(ev.Kind), ev.Actor, ev.At, ev.RecordedAt, data)
		if chain.keyed(eid) {
			if db.key.IsZero() || chain.keyID != db.key.ID() {
				unkeyable = true
				continue
			}
			want = db.key.EventHash(ev.PrevHash, col.ref, ev.Seq, string(ev.Kind), ev.Actor, ev.At, ev.RecordedAt, data)
		}
		if want != ev.Hash {
			a.EventsOK = false
			a.Problems = append(a.Problems, fmt.Sprintf("case %s: event #%d (%s): its content does not match its hash: it was changed after it was recorded", col.ref, ev.Seq, ev.Kind))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return a, err
	}
	if ps, entry := checkAnonymised(col.ref, col.kind, evs, eventIDs, anonymised); len(ps) > 0 || entry != nil {
		a.Anonymised = entry
		if len(ps) > 0 {
			a.EventsOK = false
			a.Problems = append(a.Problems, ps...)
		}
	}
	if unkeyable {
		a.EventsOK = false
		a.Problems = append(a.Problems, fmt.Sprintf("case %s: its events are chained with audit key %s, which was not given, so they cannot be checked", col.ref, chain.keyID))
	}

	var rebuilt store.Rebuilt
	if a.CaseOK {
		var problems []string
		rebuilt, problems = rb.CheckCase(stored, evs)
		if len(problems) > 0 {
			a.CaseOK = false
			a.Problems = append(a.Problems, problems...)
		}
		// The columns lists filter on, and who may see a confidential case,
		// are kept beside the stored case: each must agree with it.
		var cols []string
		for _, d := range []struct {
			name string
			same bool
		}{
			{"reference", col.ref == stored.Reference},
			{"kind", col.kind == string(stored.Kind)},
			{"stage", col.stage == stored.Stage},
			{"status", col.status == string(stored.Status)},
			{"handler", col.handler == stored.Handler},
			{"service_area", col.area == stored.ServiceArea},
			{"received_at", col.received == store.FormatTime(stored.ReceivedAt)},
			{"next_due", nullDate(stored) == anyOf(col.nextDue)},
			{fmt.Sprintf("confidential (%v, the case says %v)", col.confidential, stored.Confidential), col.confidential == stored.Confidential},
			{"created_by", col.createdBy == stored.CreatedBy},
			{"version", col.version == stored.Version},
			{"open_remedies", col.openRemedies == openRemedies(stored)},
		} {
			if !d.same {
				cols = append(cols, d.name)
			}
		}
		if len(cols) > 0 {
			caseProblem("its %s column differs from the case as stored: the table was changed behind the application's back", strings.Join(cols, ", "))
		}
		if err := db.auditIndex(ctx, id, stored, rebuilt, caseProblem); err != nil {
			return a, err
		}
	}

	letters, err := db.caseLetters(ctx, id)
	if err != nil {
		return a, err
	}
	a.Letters = len(letters)
	if ps := store.CheckLetters(col.ref, evs, letters); len(ps) > 0 {
		a.LettersOK = false
		a.Problems = append(a.Problems, ps...)
	}
	files, err := db.caseFiles(ctx, id)
	if err != nil {
		return a, err
	}
	a.Attachments = len(files)
	if ps := store.CheckAttachments(col.ref, evs, files); len(ps) > 0 {
		a.AttachmentsOK = false
		a.Problems = append(a.Problems, ps...)
	}
	return a, nil
}

// anyOf is a nullable column as nullDate writes it.
func anyOf(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

// auditIndex checks the references that find the case and the people who
// may see it if confidential: someone added to case_people sees a
// confidential case that was never theirs.
func (db *DB) auditIndex(ctx context.Context, id int64, stored complaint.Case, rebuilt store.Rebuilt, problem func(string, ...any)) error {
	refs, err := db.column(ctx, auditRefsQuery, id)
	if err != nil {
		return err
	}
	want := stored.References()
	slices.Sort(want)
	if !slices.Equal(refs, want) {
		problem("the references that find it (case_refs) are not the case's own: one was added or removed behind the application's back")
	}
	if rebuilt.Case.Reference == "" {
		return nil // not rebuilt: CheckCase has said why
	}
	people, err := db.column(ctx, auditPeopleQuery, id)
	if err != nil {
		return err
	}
	var extra []string
	for _, p := range people {
		if !slices.Contains(rebuilt.People, p) {
			extra = append(extra, p)
		}
	}
	if len(extra) > 0 {
		problem("%s may see it as if they had handled it, though its events never made them its handler, the person who logged it or its line manager: who may see a confidential case was changed", strings.Join(extra, ", "))
	}
	return nil
}

// column reads one column of rows.
func (db *DB) column(ctx context.Context, query string, args ...any) ([]string, error) {
	out, err := queryColumn[string](ctx, db.r, query, args...)
	if out == nil && err == nil {
		out = []string{}
	}
	return out, err
}

// The audit reads each case's rows by these, one case at a time, so each
// must find them by index: a scan would make the audit of a million cases
// a million scans (TestAuditReadsEachCaseByIndex).
const (
	auditEventsQuery  = `SELECT id, seq, kind, actor, at, recorded_at, data, prev_hash, hash FROM events WHERE case_id = ? ORDER BY seq`
	auditRefsQuery    = `SELECT reference FROM case_refs WHERE case_id = ? ORDER BY reference`
	auditPeopleQuery  = `SELECT lower(email) FROM case_people WHERE case_id = ? ORDER BY 1`
	auditLettersQuery = `SELECT id, event_seq, kind, title, channel, sha256, pdf FROM letters WHERE case_id = ? ORDER BY id`
	auditFilesQuery   = `SELECT id, event_seq, name, size, sha256, data FROM attachments WHERE case_id = ? ORDER BY id`
)

// caseLetters reads what checking a case's letters needs, PDFs included.
func (db *DB) caseLetters(ctx context.Context, caseID int64) ([]store.Letter, error) {
	return queryAll(ctx, db.r, func(sc scanner) (l store.Letter, err error) {
		err = sc.Scan(&l.ID, &l.EventSeq, &l.Kind, &l.Title, &l.Channel, &l.SHA256, &l.PDF)
		return l, err
	}, auditLettersQuery, caseID)
}

// caseFiles reads what checking a case's files needs, data included.
func (db *DB) caseFiles(ctx context.Context, caseID int64) ([]store.Attachment, error) {
	return queryAll(ctx, db.r, func(sc scanner) (f store.Attachment, err error) {
		err = sc.Scan(&f.ID, &f.EventSeq, &f.Name, &f.Size, &f.SHA256, &f.Data)
		return f, err
	}, auditFilesQuery, caseID)
}

// signedHead remembers the newest checkpoint the store has signed, so that
// while Redress runs its own checks (the evidence pack's among them) catch
// a chain rewound behind that checkpoint without waiting for someone to
// bring a kept one. It is memory, not the database, so the rewind cannot
// rewind it too.
type signedHead struct {
	mu sync.Mutex
	cp store.Checkpoint
}

func (s *signedHead) get() store.Checkpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cp
}

func (s *signedHead) raise(cp store.Checkpoint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp.Count > s.cp.Count {
		s.cp = cp
	}
}

// AuditCheckpoint implements store.Auditor.
func (db *DB) AuditCheckpoint(ctx context.Context, at time.Time) (store.Checkpoint, error) {
	if db.key.IsZero() {
		return store.Checkpoint{}, errors.New("a checkpoint is signed with the audit key, and none was given")
	}
	var head string
	var count int
	if err := db.r.QueryRowContext(ctx, `SELECT hash, count FROM audit_head WHERE id = 1`).Scan(&head, &count); err != nil {
		return store.Checkpoint{}, fmt.Errorf("audit head: %w", err)
	}
	cp := db.key.SignCheckpoint(count, head, at)
	db.signed.raise(cp)
	return cp, nil
}

// VerifyCheckpoints implements store.Auditor.
func (db *DB) VerifyCheckpoints(ctx context.Context, cps []store.Checkpoint) ([]string, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		return nil, err
	}
	problems := []string{}
	hashAt := db.hashAt(ctx)
	for _, cp := range cps {
		p, err := db.key.CheckCheckpoint(cp, n, hashAt)
		if err != nil {
			return nil, err
		}
		if p != "" {
			problems = append(problems, p)
		}
	}
	return problems, nil
}

// hashAt returns the hash of the chain's nth event, from 1.
func (db *DB) hashAt(ctx context.Context) func(n int) (string, error) {
	return func(n int) (string, error) {
		var h string
		err := db.r.QueryRowContext(ctx, `SELECT hash FROM events ORDER BY id LIMIT 1 OFFSET ?`, n-1).Scan(&h)
		return h, err
	}
}
