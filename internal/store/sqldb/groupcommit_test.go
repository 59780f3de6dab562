package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// TestWritesWaitingTogetherShareOneCommit holds SQLite's writer while ten
// creates queue behind it, then lets them go: they are committed in one
// transaction, the ones whose rules refuse them (after taking a
// reference) are rolled back alone, and what is stored is exactly what
// ten separate transactions would have stored: gapless references, one
// event each, a whole audit chain.
func TestWritesWaitingTogetherShareOneCommit(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sqliteOnly(t, db)
	p, cal := policytest.Code(t)
	now := time.Date(2026, 5, 6, 10, 0, 0, 0, time.UTC)
	refused := errors.New("refused by the rules")
	create := func(i int) (complaint.Case, error) {
		return db.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			if i%3 == 0 {
				if _, err := ref(2026); err != nil {
					return complaint.Case{}, complaint.Event{}, err
				}
				return complaint.Case{}, complaint.Event{}, refused
			}
			return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "web",
				Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: fmt.Sprintf("case %d", i)},
				complaint.Env{Now: now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref})
		})
	}

	// Hold the one writer connection so the creates queue.
	hold, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := db.commit.commits.Load()
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	refs := make([]string, n)
	for i := range n {
		wg.Go(func() {
			c, err := create(i)
			refs[i], errs[i] = c.Reference, err
		})
	}
	// One is taken by the committer (and waits for the connection); the
	// rest wait in its queue.
	for tries := 0; len(db.commit.reqs) < n-1; tries++ {
		if tries == 10_000 {
			t.Fatalf("only %d creates queued", len(db.commit.reqs))
		}
		time.Sleep(time.Millisecond)
	}
	hold.Rollback()
	wg.Wait()

	var stored []string
	for i := range n {
		switch {
		case i%3 == 0 && !errors.Is(errs[i], refused):
			t.Errorf("create %d: %v, want its own refusal", i, errs[i])
		case i%3 != 0 && errs[i] != nil:
			t.Errorf("create %d failed beside a refused neighbour: %v", i, errs[i])
		case i%3 != 0:
			stored = append(stored, refs[i])
		}
	}
	slices.Sort(stored)
	var want []string
	for k := 1; k <= len(stored); k++ {
		want = append(want, store.FormatReference(2026, int64(k)))
	}
	if !slices.Equal(stored, want) {
		t.Errorf("references %v, want %v: a refused create's reference was not given back", stored, want)
	}
	// The first create taken may be a refused one, rolled back on its own
	// with nothing committed; the others make one commit.
	if got := db.commit.commits.Load() - before; got != 1 {
		t.Errorf("%d commits for %d creates waiting together, want 1", got, n)
	}
	count, err := db.CountCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || count != len(want) {
		t.Errorf("%d cases stored (%v), want %d", count, err, len(want))
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Events != len(want) {
		t.Errorf("audit after a shared commit: %+v, %v", rep, err)
	}
}

// A write whose caller has gone before its turn is not run, and a write
// that panics is answered with an error; neither stops the writer.
func TestAWriteThatPanicsOrWasAbandonedLeavesTheWriterRunning(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sqliteOnly(t, db)
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { panic("a bug") })
	if err == nil {
		t.Fatal("a panicking write returned no error")
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := db.commit.do(gone, func(context.Context, *sql.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("an abandoned write: ran %v, error %v; want not run, context.Canceled", ran, err)
	}
	if err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reference_counters (year, last) VALUES (1999, 7)`)
		return err
	}); err != nil {
		t.Fatalf("a write after them: %v", err)
	}
	var last int
	if err := db.r.QueryRowContext(ctx, `SELECT last FROM reference_counters WHERE year = 1999`).Scan(&last); err != nil || last != 7 {
		t.Errorf("the write after them: %d, %v", last, err)
	}
}

// Writes racing the store's Close are each answered, stored or refused
// as closed: none is left waiting for a loop that has gone.
func TestWritesRacingCloseAreAllAnswered(t *testing.T) {
	for range 20 {
		db := openTemp(t)
		sqliteOnly(t, db)
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				err := db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO reference_counters (year, last) VALUES (?, 1)`, 1000+i)
					return err
				})
				if err != nil && !errors.Is(err, errStoreClosed) && !strings.Contains(err.Error(), "closed") {
					t.Errorf("write %d: %v", i, err)
				}
			})
		}
		db.Close()
		wg.Wait()
	}
}
