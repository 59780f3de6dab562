package cli

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/app"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// keyedDatabase keys the new database at db as serve leaves it, with a
// key file made beside a SQLite database or, for PostgreSQL, with the key
// storeUnderTest set, and puts in it a compliment and a note on it, the
// note the newest event. It returns the key.
func keyedDatabase(t *testing.T, db string) store.AuditKey {
	t.Helper()
	ctx := context.Background()
	var given string
	if sqldb.IsPostgres(db) {
		given = testdb.AuditKey()
	}
	key, _, created, err := app.LoadAuditKey(db, given, true)
	if err != nil || created != (given == "") {
		t.Fatalf("key: created %v, %v", created, err)
	}
	st, err := sqldb.Open(ctx, db, sqldb.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.KeyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
	p := policy.Code()
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	recv := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	env := func(nr store.NewReference) complaint.Env {
		return complaint.Env{Now: recv.Add(time.Hour), Actor: complaint.Actor{Email: "o@example.org"}, Policy: p, Calendar: cal, NewReference: nr}
	}
	c, err := st.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "email", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Happy Resident", Email: "happy@example.org"}, Summary: "Thanks"}, env(nr))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateCase(ctx, c.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, complaint.Note{Text: "Passed on to the team"}, env(nr))
	}); err != nil {
		t.Fatal(err)
	}
	return key
}

// deleteNewestNote deletes the newest event (a note) and rewinds the case
// and the chain's head, leaving a shorter chain that is whole.
func deleteNewestNote(t *testing.T, db string) {
	t.Helper()
	conn := testdb.Raw(t, db)
	rewind := `UPDATE cases SET version = 1, data = json_set(data, '$.version', 1)`
	if sqldb.IsPostgres(db) {
		rewind = `UPDATE cases SET version = 1, data = jsonb_set(data::jsonb, '{version}', '1')::text`
	}
	for _, q := range []string{
		`DELETE FROM events WHERE id = (SELECT max(id) FROM events)`,
		rewind,
		`UPDATE audit_head SET count = (SELECT count(*) FROM events), hash = (SELECT hash FROM events ORDER BY id DESC LIMIT 1)`,
	} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditCheckpointPrintsALineThatVerifyHoldsTheChainTo(t *testing.T) {
	db := storeUnderTest(t)
	key := keyedDatabase(t, db)
	code, out, errs := redress(t, "audit", "checkpoint", "--db", db)
	line := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(line, "redress-audit-checkpoint/1 count=2 head=") || strings.Count(out, "\n") != 1 {
		t.Fatalf("audit checkpoint: exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, key.Encode()) {
		t.Error("the checkpoint holds the key")
	}
	if code, out, errs := redress(t, "audit", "verify", "--db", db, "--checkpoint", line); code != 0 ||
		!strings.Contains(out, "2 events, hash chain verified (with audit key ") || !strings.Contains(out, "1 cases match what their events record") ||
		!strings.Contains(out, "the chain holds all 1 kept checkpoints") {
		t.Fatalf("verify with the checkpoint: exit %d\n%s%s", code, out, errs)
	}
	// The checkpoint kept in the log, as serve writes it.
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("audit checkpoint", "events", 2, "checkpoint", line)
	logFile := filepath.Join(t.TempDir(), "redress.log")
	if err := os.WriteFile(logFile, []byte("time=x level=INFO msg=serving\n"+logged.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	deleteNewestNote(t, db)

	// The shorter chain is whole: only the kept checkpoint shows that its
	// newest event is gone.
	if code, out, errs := redress(t, "audit", "verify", "--db", db); code != 0 {
		t.Logf("the deletion left other traces: exit %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{{"--checkpoint", line}, {"--checkpoints", logFile}} {
		code, out, errs := redress(t, append([]string{"audit", "verify", "--db", db}, args...)...)
		if code != 1 || !strings.Contains(out, "AUDIT TRAIL BROKEN") || !strings.Contains(out, "the chain holds 1 events but the checkpoint of ") ||
			!strings.Contains(out, "the newest events were deleted") {
			t.Errorf("verify %s after deleting the newest event: exit %d\n%s%s", args[0], code, out, errs)
		}
	}
	code, out, _ = redress(t, "audit", "verify", "--db", db, "--json", "--checkpoint", line)
	if code != 1 || !strings.Contains(out, `"checkpoints": 1`) || !strings.Contains(out, `"ok": false`) {
		t.Errorf("verify --json: exit %d\n%s", code, out)
	}
}

func TestAuditCheckpointNeedsTheAuditKey(t *testing.T) {
	// SQLite whatever the run: it moves the key file beside the database
	// elsewhere and names it in REDRESS_AUDIT_KEY_FILE.
	db := testdb.SQLiteDSN(t)
	keyedDatabase(t, db)
	hidden := filepath.Join(t.TempDir(), "elsewhere.key")
	if err := os.Rename(app.AuditKeyPath(db), hidden); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := redress(t, "audit", "checkpoint", "--db", db); code != 2 || !strings.Contains(errs, "no audit key") {
		t.Errorf("checkpoint without the key: exit %d: %s", code, errs)
	}
	// Without the key the keyed chain cannot be verified, and verify says
	// so rather than passing.
	if code, out, _ := redress(t, "audit", "verify", "--db", db); code != 1 || !strings.Contains(out, "verify it with that key") {
		t.Errorf("verify without the key: exit %d\n%s", code, out)
	}
	// REDRESS_AUDIT_KEY_FILE names a key kept elsewhere.
	t.Setenv("REDRESS_AUDIT_KEY_FILE", hidden)
	code, out, errs := redress(t, "audit", "checkpoint", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "redress-audit-checkpoint/1 count=2") {
		t.Fatalf("checkpoint with REDRESS_AUDIT_KEY_FILE: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := redress(t, "audit", "verify", "--db", db, "--checkpoint", out); code != 0 {
		t.Errorf("verify with REDRESS_AUDIT_KEY_FILE: exit %d\n%s%s", code, out, errs)
	}
}

func TestAuditVerifyRefusesAnUnreadableCheckpoint(t *testing.T) {
	db := storeUnderTest(t)
	keyedDatabase(t, db)
	for _, args := range [][]string{
		{"--checkpoint", "count=2 head=abc"},
		{"--checkpoint", "redress-audit-checkpoint/1 count=two head=abc at=2026-01-01T00:00:00Z key=k mac=m"},
		{"--checkpoints", filepath.Join(t.TempDir(), "missing.log")},
	} {
		if code, _, errs := redress(t, append([]string{"audit", "verify", "--db", db}, args...)...); code != 2 || !strings.Contains(errs, args[0]) {
			t.Errorf("%q: exit %d: %s", args, code, errs)
		}
	}
	// A checkpoint forged without the key fails verification.
	forged, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	cp := forged.SignCheckpoint(2, "0000", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	if code, out, _ := redress(t, "audit", "verify", "--db", db, "--checkpoint", cp.String()); code != 1 || !strings.Contains(out, "was signed with audit key") {
		t.Errorf("a forged checkpoint: exit %d\n%s", code, out)
	}
}
