package sqldb

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
)

// Every way a UK number is written is one key, and a number abroad keeps
// its country code however its international prefix is written.
func TestPhoneKeyIsOneKeyForEveryWayANumberIsWritten(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"07700 900123", "7700900123"},
		{"07700900123", "7700900123"},
		{"+44 7700 900123", "7700900123"},
		{"+447700900123", "7700900123"},
		{"0044 7700 900123", "7700900123"},
		{"+44 (0)7700 900123", "7700900123"},
		{"447700900123", "7700900123"},
		{"(0161) 496-0000", "1614960000"},
		{"7700 900 123", "7700900123"},
		{"+33 6 12 34 56 78", "33612345678"},
		{"0033 6 12 34 56 78", "33612345678"},
		{"4477", "4477"}, // too few digits to be +44 and a number
		{"", ""},
	} {
		if got := phoneKey(tt.in); got != tt.want {
			t.Errorf("phoneKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What was typed never reaches FTS5 as syntax: every string in the
// contact query is built from letters, digits and the characters of an
// email, quoted, with no quote of its own.
func TestContactQueryReadsWhatWasTypedAsText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"+44 7700 900123", `phone : "7700900123"`},
		{"sw1a 1aa", `postcode : "SW1A1AA"`},
		{"Ada@Example.org", `email : "ada@example.org"`},
		{`da"@ex`, `email : "da@ex"`},
		{"900123", `phone : "900123" OR email : "900123"`},
		{"12345", `email : "12345"`}, // too few digits for a phone search
		{"ab", ""},
		{"damp and mould", ""},
	} {
		if got := contactQuery(tt.in); got != tt.want {
			t.Errorf("contactQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Migration 0026 indexes the cases saved before it: a database whose
// cases were saved with only the words index (as before the migration)
// finds them by phone number, postcode and part of an email once it is
// opened and migrated, and by the representative's name now in the words.
func TestMigration0026IndexesTheCasesAlreadySaved(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "redress.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, cal := policytest.Code(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c, err := db.CreateCase(ctx, func(nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(complaint.Create{Kind: "complaint", Channel: "phone",
			Complainant:    complaint.Person{Name: "Ada Lovelace", Email: "ada.lovelace@example.org", Phone: "07700 900123", Postcode: "SW1A 1AA"},
			Representative: &complaint.Representative{Name: "Cleo Advocate", Relationship: "advocate", ConsentRecorded: true},
			Summary:        "Leaking roof"},
			complaint.Env{Now: now, Actor: complaint.Actor{Email: "o@example.org", Role: "officer"}, Policy: p, Calendar: cal, NewReference: nr})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Back to how migration 0025 left it: no contact index, and the
	// words index without the representative.
	for _, stmt := range []string{
		`DROP TABLE cases_contact_fts`,
		`DELETE FROM cases_fts`,
		`INSERT INTO cases_fts (rowid, text) SELECT id, reference || ' Leaking roof Ada Lovelace' FROM cases`,
		`DELETE FROM schema_migrations WHERE version >= 26`,
	} {
		if _, err := db.w.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()

	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"+44 7700 900123", "sw1a1aa", "lovelace@exam", "Cleo", "roof"} {
		found, _, err := db.ListCases(ctx, store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}, Q: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 || found[0].Reference != c.Reference {
			t.Errorf("after migrating, searching %q finds %v, want %s", q, refsOfCases(found), c.Reference)
		}
	}
}

// A search reads the cases it finds by their ids from the indexes; it
// does not read every case to test each.
func TestSearchReadsCasesByTheirIDs(t *testing.T) {
	db := openTemp(t)
	sqliteOnly(t, db)
	// A reference is searched for all three ways: as words, as the
	// beginning of a reference and as part of an email.
	where, args, err := db.caseWhere(context.Background(), store.CaseFilter{Viewer: store.Viewer{Email: "o@example.org"}, Q: "C-2026-00001"})
	if err != nil {
		t.Fatal(err)
	}
	lines := queryPlan(t, db, `SELECT c.id FROM cases c WHERE `+strings.Join(where, ` AND `), args...)
	plan := strings.Join(lines, "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "SCAN c ") || l == "SCAN c" || strings.HasPrefix(l, "SCAN case_refs") {
			t.Errorf("the search's plan scans a table whole (%s):\n%s", l, plan)
		}
	}
	for _, want := range []string{"SEARCH c USING INTEGER PRIMARY KEY", "cases_fts VIRTUAL TABLE", "SEARCH case_refs USING PRIMARY KEY", "cases_contact_fts VIRTUAL TABLE"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the search's plan has no %q:\n%s", want, plan)
		}
	}
}

func refsOfCases(cs []complaint.Case) []string {
	var refs []string
	for _, c := range cs {
		refs = append(refs, c.Reference)
	}
	return refs
}
