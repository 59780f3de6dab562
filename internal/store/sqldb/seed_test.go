package sqldb

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// seed makes two cases with four events between them.
func seed(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	p, cal := policytest.Code(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	env := func(ref store.NewReference) complaint.Env {
		return complaint.Env{Now: now, Actor: complaint.Actor{Email: "o@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref}
	}
	var refs []string
	for _, s := range []string{"first", "second"} {
		at := now.Add(-time.Hour)
		c, err := db.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "email", ReceivedAt: &at,
				Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: s}, env(ref))
		})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}
	for _, ref := range refs {
		if _, err := db.UpdateCase(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, complaint.Note{Text: "note on " + ref}, env(nr))
		}); err != nil {
			t.Fatal(err)
		}
	}
}
