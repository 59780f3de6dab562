package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// TestSafetyQueriesReadOnlyTheWaitingRows checks that the dashboard's
// list of flagged contacts and the relay's pending flaggings each read
// their partial index, which holds only the rows waiting, so neither
// grows with the number of cases or events: the relay runs the second
// before every batch of ordinary events.
func TestSafetyQueriesReadOnlyTheWaitingRows(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	for _, v := range []store.Viewer{{Email: "olu@landlord.example"}, {Email: "mo@landlord.example", AllConfidential: true}} {
		q, args := db.safetyWaitingQuery(v)
		plan := queryPlan(t, db, q, args...)
		if !strings.Contains(strings.Join(plan, "\n"), "USING INDEX cases_safety_waiting") {
			t.Errorf("the waiting list for %+v does not read its partial index:\n%s", v, strings.Join(plan, "\n"))
		}
		for _, line := range plan {
			if line == "SCAN c" {
				t.Errorf("the waiting list for %+v scans every case:\n%s", v, strings.Join(plan, "\n"))
			}
		}
	}
	plan := strings.Join(queryPlan(t, db, pendingSafetyFlagsQuery, 100), "\n")
	if !strings.Contains(plan, "safety_flags_waiting") || strings.Contains(plan, "SCAN e") || strings.Contains(plan, "SCAN c") {
		t.Errorf("the pending flaggings are not read through their partial index alone:\n%s", plan)
	}
}

// Migration 0021 records the flaggings already in the log: those the
// relay has passed were alerted when they were created and are marked so;
// those it has not reached yet are left pending, to be alerted now; an
// unflagged contact is no flagging. This runs the migration's INSERT over
// a log of each and compares.
func TestMigration0021KeepsOnlyTheFlagsTheRelayHasNotReachedPending(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	ctx := context.Background()
	b, err := migrationFiles.ReadFile("migrations/sqlite/0021_safety_flags.sql")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "INSERT INTO safety_flags (event_id, case_id, alerted_at)")
	if start < 0 {
		t.Fatal("migration 0021 does not record the flaggings already made")
	}
	insert := text[start : start+strings.Index(text[start:], ";\n")]

	p, cal := policytest.Code(t)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var refs []string
	for i, flagged := range []bool{true, false, true, true} {
		c, err := db.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", HealthAndSafety: flagged,
				Complainant: complaint.Person{Name: "Ada", Phone: "0161 000 0000"}, Summary: fmt.Sprintf("case %d", i)},
				complaint.Env{Now: now, Actor: complaint.Actor{Email: "olu@landlord.example", Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr})
		})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}
	// The relay has read the first two events; then the table is as it
	// was before the migration.
	if err := db.SetNotifyCursor(ctx, 2, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM safety_flags`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, insert); err != nil {
		t.Fatalf("the migration's insert: %v\n%s", err, insert)
	}
	pending, err := db.PendingSafetyFlags(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ce := range pending {
		got = append(got, ce.CaseRef)
	}
	if want := refs[2:]; !slices.Equal(got, want) {
		t.Errorf("pending after the migration: %v, want %v (the flagged cases after the cursor)", got, want)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM safety_flags WHERE alerted_at IS NOT NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("flaggings marked alerted: %d, %v; want 1, the flagged case before the cursor", n, err)
	}
}
