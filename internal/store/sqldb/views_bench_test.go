package sqldb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// BenchmarkQueueCounts measures what the case list's side list costs on
// every page: the four queues counted for one viewer (issue 22, item 2),
// on 5,000 cases of which one in ten is flagged for health and safety.
// Two of the queues read the case's JSON, with no index, so this is the
// figure to watch as a landlord's cases grow.
func BenchmarkQueueCounts(b *testing.B) {
	p, cal := policytest.Code(b)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	recv := now.Add(-time.Hour)
	db := openTemp(b)
	// Seeding only: the measured counts are reads.
	if _, err := db.w.Exec("PRAGMA synchronous = OFF"); err != nil {
		b.Fatal(err)
	}
	for i := range 5000 {
		cmd := complaint.Create{Kind: "complaint", Channel: "phone", ReceivedAt: &recv, HealthAndSafety: i%10 == 0,
			Complainant: complaint.Person{Name: "Ada", Phone: "0191 496 0000"}, Summary: fmt.Sprintf("Roof leaking %d", i)}
		if _, err := db.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(cmd, complaint.Env{Now: now, Actor: complaint.Actor{Email: "o@example.org"}, Policy: p, Calendar: cal, NewReference: ref})
		}); err != nil {
			b.Fatal(err)
		}
	}
	filters := []store.CaseFilter{
		{OpenOnly: true, Unassigned: true},
		{Stage: 2, OpenOnly: true, Unassigned: true},
		{SafetyFlagged: true, OpenOnly: true},
		{UnreadFromResident: true},
	}
	names := []string{"unassigned", "awaiting_reviewer", "safety", "new_from_resident"}
	for i, f := range filters {
		f.Viewer = store.Viewer{Email: "o@example.org"}
		b.Run(names[i], func(b *testing.B) {
			for b.Loop() {
				if _, err := db.CountCases(context.Background(), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
