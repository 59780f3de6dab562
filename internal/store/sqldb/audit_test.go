package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// The tests here attack the audit trail as someone with write access to
// the database file would: through their own SQL connection to it, with
// foreign keys and the application's rules out of the way, but without
// the audit key, which is held outside the database.

// testAuditKey is a fixed key for the store under test.
func testAuditKey(t testing.TB) store.AuditKey {
	t.Helper()
	k, err := store.ParseAuditKey(strings.Repeat("5e", 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// openKeyed opens a new database with the test key and returns it with
// its path.
func openKeyed(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "redress.db")
	db, err := Open(context.Background(), path, Options{AuditKey: testAuditKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// attacker is a connection of one's own to the database file.
func attacker(t *testing.T, path string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func mustExec(t *testing.T, conn *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// auditWorld records commands on cases with a fixed policy and clock.
type auditWorld struct {
	t   *testing.T
	db  *DB
	now time.Time
}

func (w auditWorld) env(actor string, at time.Time, nr store.NewReference) complaint.Env {
	p, cal := policytest.Code(w.t)
	return complaint.Env{Now: w.now, At: at, Actor: complaint.Actor{Email: actor, Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr}
}

func (w auditWorld) create(summary string, confidential bool, at time.Time) complaint.Case {
	w.t.Helper()
	c, err := w.db.CreateCase(context.Background(), func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &at,
			Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org", Postcode: "SR3 3XR"},
			Summary:     summary, ServiceArea: "repairs", Confidential: confidential}, w.env("logger@example.org", at, nr))
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w auditWorld) do(ref, actor string, at time.Time, cmd complaint.Command) complaint.Case {
	w.t.Helper()
	c, err := w.db.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, w.env(actor, at, nr))
	})
	if err != nil {
		w.t.Fatalf("%T: %v", cmd, err)
	}
	return c
}

// send issues the case's stage response letter as actor at at, through
// the store, so that the stage is responded.
func (w auditWorld) send(ref, actor string, at time.Time) complaint.Case {
	w.t.Helper()
	c, err := w.db.GetCase(context.Background(), ref)
	if err != nil {
		w.t.Fatal(err)
	}
	pdf := []byte("%PDF-1.3 the response to " + ref)
	sum := sha256.Sum256(pdf)
	l := store.Letter{Kind: complaint.ResponseLetterKind(c.Stage), Title: "Response", Stage: c.Stage, IssuedAt: at, IssuedBy: actor,
		Channel: "print", Recipient: c.Complainant.Name, Subject: "Our response", Body: "Dear resident", PDF: pdf, SHA256: hex.EncodeToString(sum[:])}
	c, _, err = w.db.IssueLetter(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}, w.env(actor, at, nr))
	}, l, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// auditedCases makes a confidential complaint handled through its
// response, with a remedy, and an ordinary complaint; the newest events
// are a note on each. It returns the confidential one first.
func auditedCases(t *testing.T, db *DB) (complaint.Case, complaint.Case) {
	t.Helper()
	w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	secret := w.create("Complaint about the housing officer", true, day(2))
	plain := w.create("Boiler keeps failing", false, day(3))
	w.do(secret.Reference, "handler@example.org", day(4), complaint.Acknowledge{Points: []string{"The officer was rude"}})
	w.do(secret.Reference, "handler@example.org", day(10), complaint.Respond{
		Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The call recording bears it out."}},
		Remedies:  []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For the distress", AmountPence: 5000}}})
	w.send(secret.Reference, "handler@example.org", day(10))
	w.do(secret.Reference, "handler@example.org", day(11), complaint.Note{Text: "Apology sent"})
	plain = w.do(plain.Reference, "other@example.org", day(12), complaint.Note{Text: "Engineer booked"})
	secret, err := db.GetCase(context.Background(), secret.Reference)
	if err != nil {
		t.Fatal(err)
	}
	return secret, plain
}

func verify(t *testing.T, db *DB) store.AuditReport {
	t.Helper()
	rep, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// rewind deletes the newest n events, which must be notes (a note changes
// nothing on the case but its version and the time of its latest event),
// and puts the case and the chain's head back as they were before them,
// so that what is left is a whole, consistent chain.
func rewind(t *testing.T, conn *sql.DB, n int) {
	t.Helper()
	for range n {
		var id, caseID int64
		var kind string
		if err := conn.QueryRow(`SELECT id, case_id, kind FROM events ORDER BY id DESC LIMIT 1`).Scan(&id, &caseID, &kind); err != nil {
			t.Fatal(err)
		}
		if kind != "note_added" {
			t.Fatalf("rewind: the newest event is a %s, not a note", kind)
		}
		mustExec(t, conn, `DELETE FROM events WHERE id = ?`, id)
		mustExec(t, conn, `UPDATE cases SET version = version - 1,
			data = json_set(data, '$.version', version - 1, '$.last_event_at', (SELECT replace(at, '.000000000Z', 'Z') FROM events WHERE case_id = ? ORDER BY seq DESC LIMIT 1))
			WHERE id = ?`, caseID, caseID)
	}
	mustExec(t, conn, `UPDATE audit_head SET count = (SELECT count(*) FROM events), hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)`)
}

func TestDeletingTheNewestEventsIsCaughtByAKeptCheckpoint(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		before func(t *testing.T, db *DB)
		attack func(t *testing.T, db *DB, conn *sql.DB)
		want   string
	}{
		{"the newest event", nil, func(t *testing.T, db *DB, conn *sql.DB) { rewind(t, conn, 1) }, "the newest events were deleted"},
		{"the newest two events, across cases", nil, func(t *testing.T, db *DB, conn *sql.DB) { rewind(t, conn, 2) }, "the newest events were deleted"},
		{"the newest event, replaced by a later one", nil, func(t *testing.T, db *DB, conn *sql.DB) {
			rewind(t, conn, 1)
			w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			w.do("C-2026-000002", "other@example.org", w.now, complaint.Note{Text: "Nothing to see"})
		}, "events up to it were replaced"},
		{"the newest case, whole", func(t *testing.T, db *DB) {
			w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			w.create("A case to lose", false, w.now)
		}, func(t *testing.T, db *DB, conn *sql.DB) {
			mustExec(t, conn, `DELETE FROM events WHERE case_id = 3`)
			for _, table := range []string{"case_refs", "case_people", "contact_facts", "stage_facts", "category_facts", "remedy_facts"} {
				mustExec(t, conn, `DELETE FROM `+table+` WHERE case_id = 3`)
			}
			mustExec(t, conn, `DELETE FROM cases WHERE id = 3`)
			mustExec(t, conn, `UPDATE audit_head SET count = (SELECT count(*) FROM events), hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)`)
		}, "the newest events were deleted"},
		{"every event and case", nil, func(t *testing.T, db *DB, conn *sql.DB) {
			for _, table := range []string{"events", "case_refs", "case_people", "contact_facts", "stage_facts", "category_facts", "remedy_facts", "cases"} {
				mustExec(t, conn, `DELETE FROM `+table)
			}
			mustExec(t, conn, `UPDATE audit_head SET count = 0, hash = ''`)
		}, "the newest events were deleted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openKeyed(t)
			auditedCases(t, db)
			if tt.before != nil {
				tt.before(t, db)
			}
			kept, err := db.AuditCheckpoint(ctx, time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if ps, err := db.VerifyCheckpoints(ctx, []store.Checkpoint{kept}); err != nil || len(ps) > 0 {
				t.Fatalf("the checkpoint before the attack: %q, %v", ps, err)
			}
			// The checkpoint as an operator keeps it: a line of the log.
			var logged bytes.Buffer
			slog.New(slog.NewTextHandler(&logged, nil)).Info("audit checkpoint", "checkpoint", kept.String())
			fromLog, err := store.ParseCheckpoint(logged.String())
			if err != nil {
				t.Fatalf("the logged checkpoint does not read back: %v\n%s", err, logged.String())
			}

			tt.attack(t, db, attacker(t, path))

			// The rewound chain is whole, so a store that signed no
			// checkpoint itself finds nothing wrong: only a kept
			// checkpoint can tell.
			fresh, err := Open(ctx, path, Options{AuditKey: testAuditKey(t), NoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			if rep := verify(t, fresh); !rep.OK {
				t.Logf("the attack left other traces: %q", rep.Problems)
			}
			ps, err := fresh.VerifyCheckpoints(ctx, []store.Checkpoint{fromLog})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || !strings.Contains(ps[0], tt.want) {
				t.Errorf("against the kept checkpoint: %q, want %q", ps, tt.want)
			}
			// The store that signed the checkpoint remembers it, so the
			// running server's own checks (the evidence pack's) catch it.
			if rep := verify(t, db); rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "a checkpoint this server signed") {
				t.Errorf("the signing store's audit: %+v", rep)
			}
		})
	}
}

func TestAForgedOrAlteredCheckpointIsRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := openKeyed(t)
	auditedCases(t, db)
	cp, err := db.AuditCheckpoint(ctx, time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	shorter := cp
	shorter.Count--
	forged := other.SignCheckpoint(3, "0000", cp.At)
	forged.KeyID = cp.KeyID
	for _, tt := range []struct {
		name string
		cp   store.Checkpoint
		want string
	}{
		{"a count changed", shorter, "not signed with this audit key"},
		{"signed with another key", other.SignCheckpoint(cp.Count, cp.Head, cp.At), "was signed with audit key"},
		{"forged under this key's id", forged, "not signed with this audit key"},
	} {
		ps, err := db.VerifyCheckpoints(ctx, []store.Checkpoint{tt.cp})
		if err != nil || len(ps) != 1 || !strings.Contains(ps[0], tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.name, ps, err, tt.want)
		}
	}
}

func TestEditingAStoredCaseIsCaught(t *testing.T) {
	tests := []struct {
		name, sql string
		want      string
	}{
		{"summary", `UPDATE cases SET data = json_set(data, '$.summary', 'Nothing much') WHERE id = 1`, "summary differ"},
		{"status, everywhere", `UPDATE cases SET status = 'closed', data = json_set(data, '$.status', 'closed') WHERE id = 1`, `status (stored "closed", events "responded")`},
		{"status column alone", `UPDATE cases SET status = 'closed' WHERE id = 1`, "its status column differs"},
		{"confidential cleared, everywhere", `UPDATE cases SET confidential = 0, data = json_set(data, '$.confidential', json('false')) WHERE id = 1`, "confidential (stored false, events true)"},
		{"confidential column cleared, so lists show it to every officer", `UPDATE cases SET confidential = 0 WHERE id = 1`, "confidential (false, the case says true) column differs"},
		{"confidential cleared in the case alone, so its page shows it to every officer", `UPDATE cases SET data = json_set(data, '$.confidential', json('false')) WHERE id = 1`, "confidential (stored false, events true)"},
		{"someone added to who may see it", `INSERT INTO case_people (case_id, email) VALUES (1, 'nosy@example.org')`, "nosy@example.org may see it"},
		{"a line manager named behind the application's back", `UPDATE cases SET data = json_set(data, '$.line_manager', 'nosy@example.org') WHERE id = 1`, "line_manager differ"},
		{"handler", `UPDATE cases SET handler = 'someone@example.org', data = json_set(data, '$.handler', 'someone@example.org') WHERE id = 1`, "handler differ"},
		{"decision", `UPDATE cases SET data = json_set(data, '$.stages[0].decisions[0].outcome', 'not_upheld') WHERE id = 1`, "stages[0].decisions[0].outcome"},
		{"compensation", `UPDATE cases SET data = json_set(data, '$.remedies[0].amount_pence', 50) WHERE id = 1`, "remedies[0].amount_pence (stored 50, events 5000)"},
		{"remedy marked done", `UPDATE cases SET open_remedies = 0, data = json_set(data, '$.remedies[0].done', json('true')) WHERE id = 1`, "remedies[0].done (stored true, events false)"},
		{"resident's email", `UPDATE cases SET data = json_set(data, '$.complainant.email', 'mallory@example.org') WHERE id = 1`, "complainant.email"},
		{"received time", `UPDATE cases SET received_at = '2026-11-01T10:00:00.000000000Z', data = json_set(data, '$.received_at', '2026-11-01T10:00:00Z') WHERE id = 1`, "received_at"},
		{"version", `UPDATE cases SET version = 9, data = json_set(data, '$.version', 9) WHERE id = 1`, "it is at version 9 but has 5 events"},
		{"a reference added", `INSERT INTO case_refs (reference, case_id) VALUES ('C-2026-000099', 1)`, "case_refs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openKeyed(t)
			secret, _ := auditedCases(t, db)
			if rep := verify(t, db); !rep.OK || rep.Cases != 2 {
				t.Fatalf("before the attack: %+v", rep)
			}
			mustExec(t, attacker(t, path), tt.sql)
			rep := verify(t, db)
			if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("audit after editing the %s: %q, want %q", tt.name, rep.Problems, tt.want)
			}
			ca, err := db.VerifyCase(context.Background(), secret.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if ca.OK() || ca.CaseOK || !ca.EventsOK {
				t.Errorf("the case's own check: %+v", ca)
			}
		})
	}
}

// chainHash is how an attacker recomputes an event's hash.
type chainHash func(prev, ref string, seq int, kind, actor string, at, rec time.Time, data string) string

// rechain recomputes every event's hash, in order, and the head, with
// hash: what someone rewriting history must do for the chain to hold.
func rechain(t *testing.T, conn *sql.DB, hash chainHash) {
	t.Helper()
	rows, err := conn.Query(`SELECT e.id, c.reference, e.seq, e.kind, e.actor, e.at, e.recorded_at, e.data FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id                        int64
		ref, kind, actor, at, rec string
		data                      string
		seq                       int
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.ref, &r.seq, &r.kind, &r.actor, &r.at, &r.rec, &r.data); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		at, _ := store.ParseTime(r.at)
		rec, _ := store.ParseTime(r.rec)
		h := hash(prev, r.ref, r.seq, r.kind, r.actor, at, rec, r.data)
		mustExec(t, conn, `UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?`, prev, h, r.id)
		prev = h
	}
	mustExec(t, conn, `UPDATE audit_head SET hash = ?, count = ?`, prev, len(all))
}

func TestRecomputingTheChainWithoutTheKeyIsCaught(t *testing.T) {
	guessed, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	// Each attack rewrites the summary in the created event and in the
	// stored case alike, so that the case still matches its events: only
	// the chain's key stands in the way.
	const rewrite = `UPDATE events SET data = json_set(data, '$.summary', 'Nothing much') WHERE case_id = 1 AND seq = 1;
		UPDATE cases SET data = json_set(data, '$.summary', 'Nothing much') WHERE id = 1`
	tests := []struct {
		name, sql string
		hash      chainHash
		want      string
	}{
		{"with the unkeyed hash", "", store.EventHash, "recomputed without the audit key"},
		{"with a guessed key", "", guessed.EventHash, "recomputed without the audit key"},
		{"with the unkeyed hash, the record of the keyed start removed", `UPDATE audit_chain SET keyed_from = NULL, key_id = '', seal = ''`, store.EventHash, "the chain is not keyed although the audit key is given"},
		{"with the unkeyed hash, the keyed start moved past the end", `UPDATE audit_chain SET keyed_from = 1000`, store.EventHash, "not sealed with the audit key"},
		{"with the unkeyed hash, the record of the keyed start deleted", `DELETE FROM audit_chain`, store.EventHash, "audit_chain) was deleted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openKeyed(t)
			auditedCases(t, db)
			conn := attacker(t, path)
			mustExec(t, conn, rewrite)
			if tt.sql != "" {
				mustExec(t, conn, tt.sql)
			}
			rechain(t, conn, tt.hash)
			fresh, err := Open(context.Background(), path, Options{AuditKey: testAuditKey(t), NoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer fresh.Close()
			rep := verify(t, fresh)
			if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("audit after recomputing %s: %q, want %q", tt.name, rep.Problems, tt.want)
			}
			// Nor can the running store add to the rewritten chain as if
			// nothing had happened.
			w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			_, err = db.UpdateCase(context.Background(), "C-2026-000002", 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
				return complaint.Decide(c, complaint.Note{Text: "after"}, w.env("other@example.org", w.now, nr))
			})
			if tt.sql != "" && err == nil {
				t.Error("the store added an event to a chain whose keyed start was tampered with")
			}
		})
	}
}

func TestALetterOrFileChangedAfterIssueIsCaught(t *testing.T) {
	tests := []struct {
		name, sql, want string
	}{
		{"letter PDF and its stored hash", `DROP TRIGGER letters_never_change;
			UPDATE letters SET pdf = x'255044462d312e370a', sha256 = 'd1f8e2a4c8a4d7b1f0b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718'`, "its PDF does not match the hash recorded when it was issued"},
		{"letter PDF alone", `DROP TRIGGER letters_never_change; UPDATE letters SET pdf = x'00'`, "its PDF does not match the hash recorded when it was issued"},
		{"letter deleted", `DROP TRIGGER letters_never_deleted; DELETE FROM letters`, "the letter that event #2 issued (acknowledgement) is missing"},
		{"letter moved to another event", `DROP TRIGGER letters_never_change; UPDATE letters SET event_seq = 1`, "claims event #1, which issued no letter"},
		{"file and its stored hash", `DROP TRIGGER attachments_never_change; UPDATE attachments SET data = x'00', sha256 = '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', size = 1`, "claims event #3, which received no such file"},
		{"file alone", `DROP TRIGGER attachments_never_change; UPDATE attachments SET data = x'ffd8ff00'`, "its content does not match the hash recorded when it was received"},
		{"file deleted", `DELETE FROM attachments`, "a file that event #3 received is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openKeyed(t)
			ctx := context.Background()
			w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			c := w.create("Boiler keeps failing", false, time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
			pdf := []byte("%PDF-1.7 the acknowledgement")
			_, _, err := db.IssueLetter(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
				return complaint.Decide(c, complaint.RecordLetter{Kind: "acknowledgement", Title: "Acknowledgement", Channel: "print", SHA256: sha(pdf)}, w.env("o@example.org", time.Time{}, nr))
			}, store.Letter{Kind: "acknowledgement", Title: "Acknowledgement", Stage: 1, IssuedAt: w.now, IssuedBy: "o@example.org", Channel: "print",
				Recipient: "Ada", Subject: "s", Body: "b", PDF: pdf, SHA256: sha(pdf)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			photo := []byte("\xff\xd8\xff a photo")
			_, _, err = db.AddInformation(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
				return complaint.Decide(c, complaint.AddInformation{Source: "portal", From: "Ada", Text: "A photo",
					Attachments: []complaint.AttachmentRef{{Name: "boiler.jpg", SHA256: sha(photo), Size: int64(len(photo))}}}, w.env("Ada", time.Time{}, nr))
			}, []store.Attachment{{Name: "boiler.jpg", ContentType: "image/jpeg", Data: photo, SHA256: sha(photo), Source: "portal", AddedAt: w.now, AddedBy: "Ada"}})
			if err != nil {
				t.Fatal(err)
			}
			if ca, err := db.VerifyCase(ctx, c.Reference); err != nil || !ca.OK() || ca.Letters != 1 || ca.Attachments != 1 {
				t.Fatalf("before the attack: %+v, %v", ca, err)
			}
			mustExec(t, attacker(t, path), tt.sql)
			rep := verify(t, db)
			if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tt.want) {
				t.Errorf("audit: %q, want %q", rep.Problems, tt.want)
			}
			ca, err := db.VerifyCase(ctx, c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if ca.LettersOK && ca.AttachmentsOK {
				t.Errorf("the case's own check: %+v", ca)
			}
		})
	}
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestOldUnkeyedChainsStillVerify(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redress.db")
	// A database from before audit keys: its events are chained with the
	// unkeyed hash.
	old, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, old)
	if rep := verify(t, old); !rep.OK || rep.Events != 4 {
		t.Fatalf("the unkeyed chain: %+v", rep)
	}
	old.Close()

	db, err := Open(ctx, path, Options{AuditKey: testAuditKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if rep := verify(t, db); rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "has not been started with the key") {
		t.Errorf("before it is keyed, a chain verified with a key says so: %+v", rep)
	}
	k, err := db.KeyAuditChain(ctx)
	if err != nil || !k.KeyedNow || k.From != 5 || k.Earlier != 4 {
		t.Fatalf("keyed %+v, %v", k, err)
	}
	if again, err := db.KeyAuditChain(ctx); err != nil || again.KeyedNow || again.From != 5 {
		t.Errorf("keyed again: %+v, %v", again, err)
	}
	w := auditWorld{t: t, db: db, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	w.do("C-2026-000001", "o@example.org", w.now, complaint.Note{Text: "after the key"})
	w.do("C-2026-000002", "o@example.org", w.now, complaint.Note{Text: "after the key"})
	rep := verify(t, db)
	if !rep.OK || rep.Events != 6 || rep.Cases != 2 {
		t.Fatalf("old and new together: %+v", rep)
	}
	// The old events keep their unkeyed hashes; the new ones are keyed.
	evs, err := db.CaseEvents(ctx, "C-2026-000002")
	if err != nil || len(evs) != 3 {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	hashed := func(ev complaint.Event, hash chainHash) bool {
		return ev.Hash == hash(ev.PrevHash, "C-2026-000002", ev.Seq, string(ev.Kind), ev.Actor, ev.At, ev.RecordedAt, string(store.EventData(ev)))
	}
	if !hashed(evs[1], store.EventHash) {
		t.Error("an event from before the key no longer has its unkeyed hash")
	}
	if !hashed(evs[2], testAuditKey(t).EventHash) {
		t.Error("an event after the key is not keyed")
	}
	conn := attacker(t, path)

	// Rewriting the old, unkeyed part is caught too: the first keyed
	// event's hash covers the last unkeyed one's.
	mustExec(t, conn, `UPDATE events SET data = '{"text":"nothing happened"}' WHERE id = 3`)
	rechain(t, conn, func(prev, ref string, seq int, kind, actor string, at, rec time.Time, data string) string {
		return store.EventHash(prev, ref, seq, kind, actor, at, rec, data)
	})
	if rep := verify(t, db); rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "recomputed without the audit key") {
		t.Errorf("after rewriting the unkeyed part: %+v", rep)
	}
}

func TestAStoreNeedsTheKeyTheChainWasWrittenWith(t *testing.T) {
	ctx := context.Background()
	db, path := openKeyed(t)
	seed(t, db)
	other, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, Options{AuditKey: other}); err == nil || !strings.Contains(err.Error(), "keyed with audit key "+testAuditKey(t).ID()) {
		t.Errorf("opened with another key: %v", err)
	}
	keyless, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer keyless.Close()
	if rep := verify(t, keyless); rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "verify it with that key") {
		t.Errorf("verified without the key: %+v", rep)
	}
	w := auditWorld{t: t, db: keyless, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	if _, err := keyless.UpdateCase(ctx, "C-2026-000001", 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Note{Text: "x"}, w.env("o@example.org", w.now, nr))
	}); err == nil || !strings.Contains(err.Error(), "opened without it") {
		t.Errorf("a store without the key added to the keyed chain: %v", err)
	}
	if _, err := keyless.AuditCheckpoint(ctx, w.now); err == nil {
		t.Error("a store without the key signed a checkpoint")
	}
}

// The key is a secret: it is never written to the database, and never
// printed, however it is formatted or logged.
func TestTheAuditKeyIsNeverInTheDatabaseOrTheLog(t *testing.T) {
	db, path := openKeyed(t)
	seed(t, db)
	key := testAuditKey(t)
	if _, err := db.AuditCheckpoint(context.Background(), time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(path + "-wal")
	secret, _ := hex.DecodeString(key.Encode())
	for _, b := range [][]byte{raw, wal} {
		if bytes.Contains(b, []byte(key.Encode())) || bytes.Contains(b, secret) {
			t.Error("the database holds the audit key")
		}
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "key", key, "any", any(key))
	printed := fmt.Sprintf("%v %s %x %X %q %#v %+v", key, key, key, key, key, key, key) + logged.String() + fmt.Sprint(errors.New(key.String()))
	if strings.Contains(printed, key.Encode()) || strings.Contains(strings.ToLower(printed), key.Encode()) || bytes.Contains([]byte(printed), secret) {
		t.Errorf("the key was printed: %s", printed)
	}
	if !strings.Contains(printed, key.ID()) {
		t.Errorf("the key is not named by its id: %s", printed)
	}
}

// TestAuditReadsEachCaseByIndex checks that the audit's reads of one
// case's rows each search an index and scan no table (sorting a case's own
// few rows is fine).
func TestAuditReadsEachCaseByIndex(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	for _, q := range []string{auditEventsQuery, auditRefsQuery, auditPeopleQuery, auditLettersQuery, auditFilesQuery} {
		plan := queryPlan(t, db, q, 1)
		for _, line := range plan {
			if !strings.HasPrefix(line, "SEARCH ") && line != "USE TEMP B-TREE FOR ORDER BY" {
				t.Errorf("%s:\n  %s", q, strings.Join(plan, "\n  "))
				break
			}
		}
	}
}
