package sqldb

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// BenchmarkCreateCaseDurability measures what synchronous=FULL costs
// against NORMAL for a whole case create (case row, indexes, search text,
// event and hash chain in one transaction). Redress ships FULL: NORMAL
// can lose the last commits on a power cut.
func BenchmarkCreateCaseDurability(b *testing.B) {
	p, cal := policytest.Code(b)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	recv := now.Add(-time.Hour)
	cmd := complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv,
		Complainant: complaint.Person{Name: "Ada", Phone: "0191 496 0000"}, Summary: "Roof leaking"}
	for _, sync := range []string{"FULL", "NORMAL"} {
		b.Run(sync, func(b *testing.B) {
			db := openTemp(b)
			if _, err := db.w.Exec("PRAGMA synchronous = " + sync); err != nil {
				b.Fatal(err)
			}
			start := clock.Wall()
			for b.Loop() {
				_, err := db.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
					return complaint.NewCase(cmd, complaint.Env{Now: now, Actor: complaint.Actor{Email: "o@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/clock.Wall().Sub(start).Seconds(), "creates/s")
		})
	}
}
