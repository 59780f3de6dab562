package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pgserver"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// A landlord's reporting replica: a real PostgreSQL standby following a
// primary by streaming replication. Searches and report figures are read
// from it, cases from the primary; while the standby is behind, the
// store says the figures are as of the moment it has reached.
func TestReportsReadFromAReplicaSayHowCurrentTheyAre(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	testdb.PostgresDSN(t) // skips, saying why, where PostgreSQL is absent
	ctx := context.Background()
	primary, err := pgserver.Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Stop() })
	if err := primary.CreateDatabase(ctx, "redress", ""); err != nil {
		t.Fatal(err)
	}
	// The schema is made on the primary before the copy is taken.
	migrated, err := sqldb.Open(ctx, primary.URL("redress"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	migrated.Close()
	replica, err := pgserver.StartReplica(ctx, t.TempDir(), primary)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Stop() })

	// A replica that is not one, and a replica for SQLite, are refused.
	if _, err := sqldb.Open(ctx, primary.URL("redress"), sqldb.Options{Replica: primary.URL("redress")}); err == nil {
		t.Error("the primary was accepted as its own replica")
	}
	if _, err := sqldb.Open(ctx, testdb.SQLiteDSN(t), sqldb.Options{Replica: replica.URL("redress")}); err == nil {
		t.Error("a replica was accepted for a SQLite database")
	}

	db, err := sqldb.Open(ctx, primary.URL("redress"), sqldb.Options{Replica: replica.URL("redress")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, cal := policytest.Code(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	create := func(summary string) complaint.Case {
		t.Helper()
		received := now.Add(-time.Hour)
		c, err := db.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{
				Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
				Complainant: complaint.Person{Name: "Ada Resident", Email: "ada@example.org"},
				Summary:     summary, ServiceArea: "repairs",
			}, complaint.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref})
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	search := func(q string) int {
		t.Helper()
		n, err := db.CountCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Q: q})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// waitFor polls until cond holds, within a bound that is a safety net
	// against a hang, never a target.
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for range 600 {
			if cond() {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: not within a minute", what)
	}

	create("Damp in the bathroom")
	waitFor("the replica replays the first case", func() bool { return search("bathroom") == 1 })
	waitFor("the replica has caught up", func() bool {
		_, behind, err := db.FiguresAsOf(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return !behind
	})

	// Replay paused: the replica falls behind, and says so.
	if _, err := replica.Exec(ctx, "redress", "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	// Replay stops before the next change it reads (the pause is only
	// "requested" until there is one), so the case below is not replayed.
	c := create("Broken kitchen window")
	if _, err := db.GetCase(ctx, c.Reference); err != nil {
		t.Errorf("the case just saved is not read from the primary: %v", err)
	}
	if n := search("window"); n != 0 {
		t.Errorf("a search read %d cases saved after the replica stopped replaying: it is not reading the replica", n)
	}
	asOf, behind, err := db.FiguresAsOf(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !behind || asOf.IsZero() {
		t.Errorf("FiguresAsOf with replay paused = %v, %v; want behind, as of the last replayed change", asOf, behind)
	}
	if _, err := db.TSMCounts(ctx, calendar.DateOf(now).AddDays(-30), calendar.DateOf(now)); err != nil {
		t.Fatalf("report figures from the replica: %v", err)
	}

	if _, err := replica.Exec(ctx, "redress", "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	waitFor("the replica catches up again", func() bool {
		_, behind, err := db.FiguresAsOf(ctx)
		return err == nil && !behind && search("window") == 1
	})
}
