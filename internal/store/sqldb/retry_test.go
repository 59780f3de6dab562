package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redresshq/redress/internal/pgserver"
)

// Two PostgreSQL transactions that lock the same two rows in opposite
// orders deadlock, and the server ends one of them: inTx runs that one
// again, so both writes land and the caller sees no error.
func TestATransactionEndedByADeadlockIsRunAgain(t *testing.T) {
	srv := pgserver.TestServer(t)
	ctx := context.Background()
	name := fmt.Sprintf("retry_%d", os.Getpid())
	if err := srv.CreateDatabase(ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DropDatabase(context.Background(), name) })
	db, err := Open(ctx, srv.URL(name), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE pair (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO pair VALUES (1, 0), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	var (
		tries    atomic.Int32
		locked   sync.WaitGroup // each holds its first row
		wg       sync.WaitGroup
		errs     [2]error
		firstRun [2]atomic.Bool
	)
	locked.Add(2)
	for i, order := range [2][2]int{{1, 2}, {2, 1}} {
		wg.Go(func() {
			errs[i] = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
				tries.Add(1)
				if _, err := tx.ExecContext(ctx, `UPDATE pair SET n = n + 1 WHERE id = ?`, order[0]); err != nil {
					return err
				}
				if !firstRun[i].Swap(true) {
					locked.Done()
					locked.Wait()
				}
				_, err := tx.ExecContext(ctx, `UPDATE pair SET n = n + 1 WHERE id = ?`, order[1])
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i+1, err)
		}
	}
	// At least one run again after the deadlock. On a busy machine the
	// run again can take its first row back before the survivor, which was
	// waiting for it, wakes: a second deadlock and a fourth run, which the
	// retry also absorbs.
	if n := tries.Load(); n < 3 {
		t.Errorf("%d runs, want at least 3: two, and one again after the deadlock", n)
	}
	var a, b int
	if err := db.r.QueryRowContext(ctx, `SELECT (SELECT n FROM pair WHERE id = 1), (SELECT n FROM pair WHERE id = 2)`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	if a != 2 || b != 2 {
		t.Errorf("rows after both transactions: %d and %d, want 2 and 2", a, b)
	}
}
