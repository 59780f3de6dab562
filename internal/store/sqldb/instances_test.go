package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
)

// Several instances share one database and each drains the outbox: every
// message must be claimed by exactly one of them. Two stores open on one
// database, eight claimers each, on SQLite (two connections pools on one
// file, as `serve` and a second process would have) and on PostgreSQL
// (where the claims are FOR UPDATE SKIP LOCKED).
func TestOutboxClaimsFromTwoInstancesTakeEachMessageOnce(t *testing.T) {
	for name, dsn := range map[string]func(testing.TB) string{"sqlite": testdb.SQLiteDSN, "postgres": testdb.PostgresDSN} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			url := dsn(t)
			var stores []*sqldb.DB
			for range 2 {
				db, err := sqldb.Open(ctx, url, sqldb.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				stores = append(stores, db)
			}
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			const messages = 300
			for i := range messages {
				_, err := stores[i%2].Enqueue(ctx, store.OutboundMessage{
					To: fmt.Sprintf("resident%d@example.org", i), Subject: "Your complaint", TextBody: "We have your complaint.",
					Kind: "acknowledgement", DedupeKey: fmt.Sprintf("test:%d", i),
				}, now)
				if err != nil {
					t.Fatal(err)
				}
			}
			var (
				mu      sync.Mutex
				claimed = map[int64]int{}
				wg      sync.WaitGroup
				errs    = make(chan error, 16)
			)
			for _, db := range stores {
				for range 8 {
					wg.Go(func() {
						for {
							ms, err := db.ClaimDue(ctx, now, 7, time.Hour)
							if err != nil {
								errs <- err
								return
							}
							if len(ms) == 0 {
								return
							}
							mu.Lock()
							for _, m := range ms {
								claimed[m.ID]++
							}
							mu.Unlock()
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("claim: %v", err)
			}
			if len(claimed) != messages {
				t.Errorf("%d of %d messages claimed", len(claimed), messages)
			}
			for id, n := range claimed {
				if n != 1 {
					t.Errorf("message %d claimed %d times", id, n)
				}
			}
		})
	}
}
