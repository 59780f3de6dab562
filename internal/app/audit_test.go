package app

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// The first start makes the audit key beside the database, readable by
// its owner alone, keys the chain with it, and logs a signed checkpoint;
// later starts use the same key.
func TestTheFirstStartMakesTheAuditKeyAndLogsACheckpoint(t *testing.T) {
	ctx := context.Background()
	// SQLite whatever the run: the key file beside the database is SQLite's.
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	var logged bytes.Buffer
	a, err := New(ctx, Config{DB: db, Demo: true}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "redress.audit.key")
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v, %v", path, info, err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(logged.String(), strings.TrimSpace(string(b))) {
		t.Error("the log holds the audit key")
	}
	if !strings.Contains(logged.String(), "created a new audit key") || !strings.Contains(logged.String(), "redress-audit-checkpoint/1 count=0") {
		t.Errorf("the log does not say so:\n%s", logged.String())
	}
	// The demo's events are keyed: a store without the key cannot verify
	// them.
	rep, err := a.Store.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Events == 0 {
		t.Fatalf("audit: %+v, %v", rep, err)
	}
	a.Close()
	keyless, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := keyless.VerifyAudit(ctx); err != nil || rep.OK {
		t.Errorf("verified without the key: %+v, %v", rep, err)
	}
	keyless.Close()

	logged.Reset()
	a, err = New(ctx, Config{DB: db}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if strings.Contains(logged.String(), "created a new audit key") {
		t.Error("a second start made another key")
	}
	line := logged.String()[strings.Index(logged.String(), "redress-audit-checkpoint/1"):]
	cp, err := store.ParseCheckpoint(line)
	if err != nil || cp.Count != rep.Events {
		t.Fatalf("the start's checkpoint: %+v, %v", cp, err)
	}
	if ps, err := a.Store.VerifyCheckpoints(ctx, []store.Checkpoint{cp}); err != nil || len(ps) != 0 {
		t.Errorf("the logged checkpoint does not hold: %q, %v", ps, err)
	}
}

// A database chained with one key does not start with another: events
// written with it could never be verified with the first.
func TestRedressDoesNotStartWithAnotherAuditKey(t *testing.T) {
	ctx := context.Background()
	// SQLite whatever the run: it loses and restores the key file beside
	// the database (TestPostgresStartsOnlyWithAGivenAuditKey checks the rest).
	db := testdb.SQLiteDSN(t)
	a, err := New(ctx, Config{DB: db, Demo: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	other, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, Config{DB: db, AuditKey: other.Encode()}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "keyed with audit key") {
		t.Errorf("started with another key: %v", err)
	}
	// A lost key file is not quietly replaced by a new key.
	kept, err := os.ReadFile(AuditKeyPath(db))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(AuditKeyPath(db))
	if _, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "keyed with audit key") {
		t.Errorf("started after losing the key: %v", err)
	}
	if _, err := os.Stat(AuditKeyPath(db)); err == nil {
		t.Error("a new key file was left in place of the lost one")
	}
	if err := os.WriteFile(AuditKeyPath(db), kept, 0o600); err != nil {
		t.Fatal(err)
	}
	if a, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler)); err != nil {
		t.Errorf("started with the restored key: %v", err)
	} else {
		a.Close()
	}
	if _, err := New(ctx, Config{DB: db, AuditKey: "not hex"}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "REDRESS_AUDIT_KEY") || strings.Contains(err.Error(), "not hex") {
		t.Errorf("started with an unreadable key: %v", err)
	}
}

// A key file others may read is refused: whoever reads it can rewrite the
// audit chain.
func TestAnAuditKeyFileOthersMayReadIsRefused(t *testing.T) {
	// SQLite whatever the run: the key file beside the database is SQLite's.
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	k, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(AuditKeyPath(db), []byte(k.Encode()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(AuditKeyPath(db), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(context.Background(), Config{DB: db}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("started with a readable key file: %v", err)
	}
	if got := AuditKeyPath("/var/lib/redress/landlord.db"); got != "/var/lib/redress/landlord.audit.key" {
		t.Errorf("AuditKeyPath = %s", got)
	}
}

// An installation upgraded with events already recorded keys its chain
// from the next event on its first start, says so, and still verifies.
func TestAnUpgradedDatabaseIsKeyedFromItsFirstStart(t *testing.T) {
	ctx := context.Background()
	// SQLite whatever the run: the first start makes the key file, which
	// is what the log line reports.
	db := testdb.SQLiteDSN(t)
	old, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := policy.Code()
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	recv := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	if _, err := old.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: complaint.KindCompliment, Channel: "email", ReceivedAt: &recv,
			Complainant: complaint.Person{Name: "Happy Resident", Email: "happy@example.org"}, Summary: "Thanks"},
			complaint.Env{Now: recv, Actor: complaint.Actor{Email: "o@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
	}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	var logged bytes.Buffer
	a, err := New(ctx, Config{DB: db}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !strings.Contains(logged.String(), "keyed the audit chain: earlier events keep their unkeyed hashes") || !strings.Contains(logged.String(), "earlier_events=1") {
		t.Errorf("log:\n%s", logged.String())
	}
	if rep, err := a.Store.VerifyAudit(ctx); err != nil || !rep.OK || rep.Events != 1 {
		t.Errorf("audit: %+v, %v", rep, err)
	}
}

// While serving, a checkpoint is logged once the chain has grown, and not
// again until it grows once more.
func TestACheckpointIsLoggedAfterTheChainGrows(t *testing.T) {
	ctx := context.Background()
	var logged bytes.Buffer
	a, err := New(ctx, Config{DB: testdb.DSN(t), AuditKey: testdb.AuditKey()}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	lines := func() int { return strings.Count(logged.String(), "redress-audit-checkpoint/1") }
	if lines() != 1 {
		t.Fatalf("%d checkpoints logged at start, want 1", lines())
	}
	a.checkpointIfGrown(ctx)
	if lines() != 1 {
		t.Errorf("a checkpoint was logged with nothing new")
	}
	if err := a.loadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	a.checkpointIfGrown(ctx)
	if lines() != 2 {
		t.Errorf("%d checkpoints logged after the demo was loaded, want 2:\n%s", lines(), logged.String())
	}
	a.checkpointIfGrown(ctx)
	if lines() != 2 {
		t.Errorf("%d checkpoints logged, want still 2", lines())
	}
}

// With PostgreSQL there is no key file beside the database: Redress does
// not start without a given key, saying where to give it, starts with
// one, and then refuses any other.
func TestPostgresStartsOnlyWithAGivenAuditKey(t *testing.T) {
	ctx := context.Background()
	db := testdb.PostgresDSN(t)
	if a, err := New(ctx, Config{DB: db}, slog.New(slog.DiscardHandler)); err == nil {
		a.Close()
		t.Fatal("started on PostgreSQL without an audit key")
	} else if !strings.Contains(err.Error(), "REDRESS_AUDIT_KEY") {
		t.Errorf("the refusal does not name REDRESS_AUDIT_KEY: %v", err)
	}
	key, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(ctx, Config{DB: db, AuditKey: key.Encode(), Demo: true}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("with the key: %v", err)
	}
	rep, err := a.Store.VerifyAudit(ctx)
	a.Close()
	if err != nil || !rep.OK || rep.Events == 0 {
		t.Fatalf("audit: %+v, %v", rep, err)
	}
	other, err := store.NewAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	if a, err := New(ctx, Config{DB: db, AuditKey: other.Encode()}, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "keyed with audit key") {
		if err == nil {
			a.Close()
		}
		t.Errorf("started with another key: %v", err)
	}
}
