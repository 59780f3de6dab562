package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// registerFile makes a homes file of n tenancies, one home each, with
// every tenth a joint tenancy of two people and every seventh ended
// before 31 March 2026; tenures cycle so that the count of each on a day
// can be computed by the test.
func registerFile(n int, edit func(i int, row []string) []string) string {
	var b strings.Builder
	b.WriteString(tenancy.Template())
	tenures := []string{"General needs", "low_cost_rental", "Shared ownership", "leasehold", "other"}
	for i := range n {
		end := ""
		if i%7 == 0 {
			end = "2025-12-31"
		}
		people := []string{fmt.Sprintf("Resident %d", i)}
		if i%10 == 0 {
			people = append(people, fmt.Sprintf("Joint %d", i))
		}
		for j, name := range people {
			row := []string{fmt.Sprintf("H%06d", i), fmt.Sprint(100000000 + i), fmt.Sprintf("%d Register Street", i), "", "", "Newtown",
				fmt.Sprintf("NE%d %dAB", 1+i%9, i%10), fmt.Sprintf("T%06d", i), tenures[i%len(tenures)], "01/04/2020", end,
				name, fmt.Sprintf("r%d.%d@example.org", i, j), fmt.Sprintf("0191 %03d %04d", i/10000, i%10000)}
			if edit != nil {
				row = edit(i, row)
			}
			b.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	return b.String()
}

// testRegister imports a homes file, dry run first, then for real, then
// again unchanged, then with changes; and counts homes by tenure from it.
func testRegister(t *testing.T, s store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	const n = 600
	f, err := tenancy.ReadCSV(strings.NewReader(registerFile(n, nil)), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		t.Fatalf("%v %v", err, f.Errors)
	}
	imp := store.RegisterImport{FileSHA256: "abc", By: "admin@example.org", At: at, DryRun: true}
	dry, err := s.ImportRegister(ctx, f, imp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if dry.HomesAdded != n || dry.TenanciesAdded != n || len(dry.Changes) != 2*n || !dry.DryRun {
		t.Errorf("dry run: %+v", dry)
	}
	if _, _, err := s.GetTenancy(ctx, "T000001"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Fatalf("a dry run left a tenancy behind: %v", err)
	}
	imp.DryRun = false
	var calls, last int
	rep, err := s.ImportRegister(ctx, f, imp, func(done, total int) { calls++; last = done })
	if err != nil {
		t.Fatal(err)
	}
	if rep.HomesAdded != n || rep.TenanciesAdded != n || rep.TenanciesChanged != 0 || calls < 2 || last != n {
		t.Errorf("import: %+v; progress called %d times, last %d", rep, calls, last)
	}
	ten, home, err := s.GetTenancy(ctx, "T000010")
	if err != nil {
		t.Fatal(err)
	}
	if ten.Tenure != tenancy.LowCostRental || len(ten.People) != 2 || ten.People[1].Name != "Joint 10" || home.Postcode != "NE2 0AB" ||
		ten.Start != calendar.MustParseDate("2020-04-01") || !ten.End.IsZero() {
		t.Errorf("T000010: %+v in %+v", ten, home)
	}

	// The same file again changes nothing.
	again, err := s.ImportRegister(ctx, f, imp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.HomesUnchanged != n || again.TenanciesUnchanged != n || len(again.Changes) != 0 {
		t.Errorf("re-import: %+v", again)
	}

	// A changed file changes what it changes, naming the fields, and
	// never adds a second tenancy for a reference.
	changed, err := tenancy.ReadCSV(strings.NewReader(registerFile(n, func(i int, row []string) []string {
		if i == 3 {
			row[6] = "NE9 9ZZ" // postcode
		}
		if i == 4 {
			row[8] = "low_cost_rental" // tenure
			row[10] = "2026-03-01"     // ended
		}
		return row
	})), nil, nil)
	if err != nil || len(changed.Errors) > 0 {
		t.Fatalf("%v %v", err, changed.Errors)
	}
	rep, err = s.ImportRegister(ctx, changed, imp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.HomesChanged != 1 || rep.TenanciesChanged != 1 || rep.TenanciesAdded != 0 || len(rep.Changes) != 2 {
		t.Fatalf("changes: %+v", rep)
	}
	if c := rep.Changes[1]; c.Ref != "T000004" || strings.Join(c.Fields, ",") != "tenure,tenancy_end" || c.Line == 0 {
		t.Errorf("the tenancy's change: %+v", c)
	}
	if c := rep.Changes[0]; c.Ref != "H000003" || strings.Join(c.Fields, ",") != "postcode" {
		t.Errorf("the home's change: %+v", c)
	}

	// Homes by tenure on 31 March 2026, computed here from the rows.
	want := map[tenancy.Tenure]int{}
	for i := range n {
		if i%7 == 0 || i == 4 {
			continue // ended before 31 March 2026
		}
		want[[]tenancy.Tenure{tenancy.LowCostRental, tenancy.LowCostRental, tenancy.LowCostHomeOwnership, tenancy.Leasehold, tenancy.Other}[i%5]]++
	}
	got, err := s.HomesByTenureOn(ctx, calendar.MustParseDate("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("homes by tenure on 31 March 2026: %v, want %v", got, want)
	}
	before, err := s.HomesByTenureOn(ctx, calendar.MustParseDate("2019-03-31"))
	if err != nil || len(before) != 0 {
		t.Errorf("before any tenancy started: %v %v", before, err)
	}

	// A file with problems imports nothing.
	bad, err := tenancy.ReadCSV(strings.NewReader(registerFile(3, func(i int, row []string) []string {
		if i == 2 {
			row[6] = "not a postcode"
		}
		row[0] = "NEW" + row[0]
		row[7] = "NEW" + row[7]
		return row
	})), nil, nil)
	if err != nil || len(bad.Errors) != 1 {
		t.Fatalf("%v %v", err, bad.Errors)
	}
	if _, err := s.ImportRegister(ctx, bad, imp, nil); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("a file with problems: %v", err)
	}
	if _, _, err := s.GetTenancy(ctx, "NEWT000000"); complaint.ErrorCode(err) != complaint.NotFound {
		t.Errorf("a file with problems was half applied: %v", err)
	}
}

// testTenancyMatch finds the tenancies a contact may be from by each key,
// bounded; suggests the best on a new case without changing anything
// else; confirms it through the rules; and the audit still rebuilds
// every case from its events.
func testTenancyMatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 60
	// Every tenancy shares one postcode, and the first twenty a surname,
	// so that a postcode look-up has more than it may read.
	f, err := tenancy.ReadCSV(strings.NewReader(registerFile(n, func(i int, row []string) []string {
		row[6] = "NE1 4AB"
		if i < 20 {
			row[11] = fmt.Sprintf("Pat%d Smith", i)
		}
		return row
	})), nil, nil)
	if err != nil || len(f.Errors) > 0 {
		t.Fatalf("%v %v", err, f.Errors)
	}
	if _, err := s.ImportRegister(ctx, f, store.RegisterImport{By: "admin@example.org", At: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
	refs := func(cs []tenancy.Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Tenancy.Ref)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		p    complaint.Person
		want []string // the candidates that must be among those found
		most int
	}{
		{"a reference typed in lower case", complaint.Person{TenancyRef: "t000042"}, []string{"T000042"}, 1},
		{"an email in another case", complaint.Person{Email: "R43.0@Example.org"}, []string{"T000043"}, 1},
		{"a phone written with +44", complaint.Person{Phone: "+44 191 000 0044"}, []string{"T000044"}, 1},
		{"a postcode with a name reads a bounded number", complaint.Person{Name: "Smith", Postcode: "ne14ab"}, nil, 3 * tenancy.MaxCandidates},
		{"a postcode without a name is not looked up", complaint.Person{Postcode: "NE1 4AB"}, nil, 0},
		{"nothing in the register", complaint.Person{Name: "Nobody", Email: "nobody@example.org", Postcode: "SR3 3XR"}, nil, 0},
	} {
		got, err := s.TenancyCandidates(ctx, tc.p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !slices.Contains(refs(got), w) {
				t.Errorf("%s: found %v, not %s", tc.name, refs(got), w)
			}
		}
		if len(got) > tc.most || (tc.most > 0 && len(got) == 0) {
			t.Errorf("%s: found %d candidates, want 1 to %d", tc.name, len(got), tc.most)
		}
		for _, c := range got {
			if c.Home.Ref != c.Tenancy.HomeRef || c.Home.Postcode != "NE1 4AB" {
				t.Errorf("%s: %s came with home %+v", tc.name, c.Tenancy.Ref, c.Home)
			}
		}
	}

	// The register is searched by reference, postcode, email and name.
	for _, tc := range []struct{ q, want string }{
		{"t00005", "T000050"}, {"ne1 4ab", "T000000"}, {"r7.0@example.org", "T000007"}, {"pat3 smith", "T000003"},
	} {
		got, err := s.SearchRegister(ctx, tc.q, 20)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(refs(got), tc.want) || len(got) > 20 {
			t.Errorf("searching for %q found %v, want %s among at most 20", tc.q, refs(got), tc.want)
		}
	}
	if _, err := s.SearchRegister(ctx, "  ", 20); complaint.ErrorCode(err) != complaint.Invalid {
		t.Errorf("an empty search: %v", err)
	}

	// A new case is given the best match as a suggestion, and nothing
	// else about it changes.
	w := newWorld(t, "code-2024")
	cmd := complaintCmd("Boiler broken", w.hoursAgo(2))
	cmd.Complainant = complaint.Person{Name: "Mrs P Smith", Email: "r12.0@example.org", Phone: "0191 000 0013", Postcode: "NE1 4AB"}
	c := w.create(t, s, cmd)
	if c.Tenancy == nil || c.Tenancy.Ref != "T000012" || c.Tenancy.MatchedBy != "email" || c.Tenancy.Confirmed {
		t.Fatalf("suggested: %+v", c.Tenancy)
	}
	if c.Tenure != "" || c.Complainant.Address != "" || c.Complainant.TenancyRef != "" {
		t.Errorf("a suggestion changed the case: tenure %q, complainant %+v", c.Tenure, c.Complainant)
	}
	got, err := s.GetCase(ctx, c.Reference)
	if err != nil || got.Tenancy == nil || got.Tenancy.Ref != "T000012" {
		t.Fatalf("stored suggestion: %+v %v", got.Tenancy, err)
	}
	none := w.create(t, s, complaintCmd("No tenancy", w.hoursAgo(1)))
	if none.Tenancy != nil {
		t.Errorf("a contact the register does not know was matched: %+v", none.Tenancy)
	}

	// Confirming another tenancy sets the tenure (a leasehold counts as
	// other) and the address.
	ten, home, err := s.GetTenancy(ctx, "T000013")
	if err != nil {
		t.Fatal(err)
	}
	m := tenancy.MatchFor(ten, home, "officer")
	c = w.do(t, s, c.Reference, officer, complaint.ConfirmTenancy{Ref: "T000013", Match: &m})
	if c.Tenancy == nil || !c.Tenancy.Confirmed || c.Tenancy.ConfirmedBy != officer || c.Tenure != "other" || c.Tenancy.RegisterTenure != "leasehold" ||
		c.Complainant.TenancyRef != "T000013" || c.Complainant.Address != "13 Register Street\nNewtown" {
		t.Errorf("confirmed: %+v tenure %q complainant %+v", c.Tenancy, c.Tenure, c.Complainant)
	}
	// A case whose suggestion was cleared, and one whose was confirmed,
	// replay to what is stored: the suggestion is not compared.
	cleared := w.create(t, s, cmd)
	if cleared.Tenancy == nil {
		t.Fatal("no suggestion to clear")
	}
	w.do(t, s, cleared.Reference, officer, complaint.ConfirmTenancy{Clear: true})
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK {
		t.Errorf("audit: %+v, %v", rep, err)
	}
}
