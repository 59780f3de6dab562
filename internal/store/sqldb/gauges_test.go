package sqldb

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/pgserver"
)

// openTempWith is openTemp with options of the test's own.
func openTempWith(t testing.TB, opts Options) *DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "redress.db")
	if os.Getenv("REDRESS_TEST_STORE") == "postgres" {
		dsn = pgserver.TestDatabase(t, true, func(url string) error {
			db, err := Open(context.Background(), url, Options{})
			if err != nil {
				return err
			}
			return db.Close()
		})
	}
	opts.AuditKey = testAuditKey(t)
	db, err := Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func backlog(t *testing.T, db *DB) (int, time.Time) {
	t.Helper()
	n, oldest, err := db.OutboxBacklog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n, oldest
}

func TestOutboxBacklogCountsUnsentMessagesAndFindsTheOldest(t *testing.T) {
	db := openTemp(t)
	if n, oldest := backlog(t, db); n != 0 || !oldest.IsZero() {
		t.Fatalf("empty outbox: %d unsent, oldest %v; want 0 and none", n, oldest)
	}
	ref := outboxCase(t, db)
	first := letter("First " + ref)
	first.CaseRef = ref
	enqueue(t, db, first, outboxNow)
	enqueue(t, db, letter("Second"), outboxNow.Add(time.Hour))
	if n, oldest := backlog(t, db); n != 2 || !oldest.Equal(outboxNow) {
		t.Fatalf("two queued: %d unsent, oldest %v; want 2 and %v", n, oldest, outboxNow)
	}
	// A message claimed by a sender is still unsent; one the server has
	// accepted is not.
	ms := claim(t, db, outboxNow.Add(2*time.Hour), 1)
	if len(ms) != 1 {
		t.Fatalf("claimed %d messages, want 1", len(ms))
	}
	if n, _ := backlog(t, db); n != 2 {
		t.Fatalf("one claimed: %d unsent, want 2", n)
	}
	if err := db.MarkSent(context.Background(), ms[0].ID, "<first@example.org>", outboxNow.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, oldest := backlog(t, db); n != 1 || !oldest.Equal(outboxNow.Add(time.Hour)) {
		t.Fatalf("oldest sent: %d unsent, oldest %v; want 1 and %v", n, oldest, outboxNow.Add(time.Hour))
	}
}

func TestOverdueByStageCountsOpenCasesPastTheirNextDeadline(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	outboxCase(t, db)
	outboxCase(t, db)
	got, err := db.OverdueByStage(ctx, calendar.DateOf(outboxNow))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("on the day they arrived: %v, want no case overdue", got)
	}
	// Months later both stage 1 complaints are long past acknowledgement.
	got, err = db.OverdueByStage(ctx, calendar.DateOf(outboxNow.AddDate(0, 3, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int]int{1: 2}; !maps.Equal(got, want) {
		t.Errorf("three months later: %v, want %v", got, want)
	}
}

func TestGaugeQueriesReadIndexesNotTables(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	for _, q := range []struct {
		query, index string
		args         []any
	}{
		{outboxBacklogQuery, "outbox_due", nil},
		{overdueQuery, "cases_next_due", []any{"2026-11-23"}},
	} {
		plan := strings.Join(queryPlan(t, db, q.query, q.args...), "; ")
		if !strings.Contains(plan, "USING INDEX "+q.index) && !strings.Contains(plan, "USING COVERING INDEX "+q.index) {
			t.Errorf("%s\nplan %q, want it to read the index %s", q.query, plan, q.index)
		}
	}
}

func TestObserveCommitIsToldOfEachCommit(t *testing.T) {
	var commits atomic.Int64
	var total atomic.Int64
	db := openTempWith(t, Options{ObserveCommit: func(d time.Duration) {
		commits.Add(1)
		total.Add(int64(d))
	}})
	outboxCase(t, db)
	outboxCase(t, db)
	if n := commits.Load(); n < 2 {
		t.Errorf("%d commits observed after two cases were created, want at least 2", n)
	}
	if total.Load() <= 0 {
		t.Errorf("commits took %v in all, want a positive duration", time.Duration(total.Load()))
	}
}

// BenchmarkGaugeQueries times what one scrape reads from a database of
// 20,000 generated cases of every kind and state: the outbox backlog on
// every scrape, the overdue counts at most every 30 s.
func BenchmarkGaugeQueries(b *testing.B) {
	db := openTemp(b)
	importBenchCases(b, db, 20000, 2000)
	ctx := context.Background()
	today := calendar.DateOf(time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC))
	b.Run("OutboxBacklog", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := db.OutboxBacklog(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OverdueByStage", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.OverdueByStage(ctx, today); err != nil {
				b.Fatal(err)
			}
		}
	})
	n, err := db.OverdueByStage(ctx, today)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("overdue by stage: %v", n)
}
