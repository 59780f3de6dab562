package sqldb

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// runMigration runs one embedded migration's SQL again, on a database
// made to look as it was before it.
func runMigration(t *testing.T, db *DB, version int) {
	t.Helper()
	_, sqls, err := migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(sqls[version]); err != nil {
		t.Fatalf("migration %d: %v", version, err)
	}
}

// TestMigrationTagsCasesWithUnreadInformationAsTheirEventsDo checks
// 0027: a case stored before information from outside tagged it "new
// from resident" is given the tag its events give it, from its earliest
// such information, so the audit's rebuild agrees with the stored case;
// information staff added tags nothing.
func TestMigrationTagsCasesWithUnreadInformationAsTheirEventsDo(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sqliteOnly(t, db)
	p, cal := policytest.Code(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	received := now.Add(-5 * time.Hour)
	add := func(ref, source string, at time.Time) {
		t.Helper()
		info := complaint.AddInformation{Source: source, From: "someone", Text: "More from " + source}
		if _, _, err := db.AddInformation(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, info, complaint.Env{Now: now, At: at, Policy: p, Calendar: cal, NewReference: nr})
		}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var refs []string
	for _, summary := range []string{"from the resident", "from staff only"} {
		c, err := db.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "email", ReceivedAt: &received,
				Complainant: complaint.Person{Name: "R", Email: "r@example.org"}, Summary: summary},
				complaint.Env{Now: now, Actor: complaint.Actor{Email: "o@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: ref})
		})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}
	first := now.Add(-4 * time.Hour)
	add(refs[0], "staff", now.Add(-4*time.Hour-time.Minute))
	add(refs[0], "portal", first)
	add(refs[0], "email", now.Add(-3*time.Hour))
	add(refs[1], "staff", first)

	// As the cases were stored before this version.
	if _, err := db.w.Exec(`UPDATE cases SET data = json_remove(data, '$.unread_from_resident')`); err != nil {
		t.Fatal(err)
	}
	if rep, err := db.VerifyAudit(ctx); err != nil || rep.OK {
		t.Fatalf("before the migration the audit should find the tag missing: %+v, %v", rep, err)
	}
	runMigration(t, db, 27)
	if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("after the migration: %+v, %v", rep, err)
	}
	for i, want := range []time.Time{first, {}} {
		c, err := db.GetCase(ctx, refs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !c.UnreadFromResident.Equal(want) {
			t.Errorf("case %s is unread from %s, want %s", refs[i], c.UnreadFromResident, want)
		}
	}
}

// TestMigrationStopsCountingSupersededRemediesAsOpen checks 0028: the
// count of a case's open remedies leaves out the superseded, as
// openRemedies now does.
func TestMigrationStopsCountingSupersededRemediesAsOpen(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	c := complaint.Case{Reference: "C-2026-000001", Remedies: []complaint.Remedy{
		{ID: 1, Stage: 1, Kind: complaint.RemedyAction},
		{ID: 2, Stage: 1, Kind: complaint.RemedyCompensation, SupersededAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)},
		{ID: 3, Stage: 2, Kind: complaint.RemedyCompensation, Done: true},
	}}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	// Counted as 0003 counted it: every remedy not done.
	if _, err := db.w.Exec(`INSERT INTO cases (reference, kind, stage, status, handler, service_area, received_at, confidential, created_by, version, open_remedies, data)
		VALUES ('C-2026-000001', 'complaint', 2, 'responded', '', '', '2026-11-19T10:00:00Z', 0, 'x', 1, 2, ?)`, string(data)); err != nil {
		t.Fatal(err)
	}
	runMigration(t, db, 28)
	var n int
	if err := db.w.QueryRow(`SELECT open_remedies FROM cases`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := openRemedies(c); n != want || want != 1 {
		t.Errorf("open remedies after the migration: %d; openRemedies says %d; want 1", n, want)
	}
}
