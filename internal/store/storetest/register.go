package storetest

import (
	"context"
	"fmt"
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
