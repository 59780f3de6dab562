package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// homesCSV makes a homes file of n tenancies in the housing management
// system's own headers, for --map, with bad rows where bad says.
func homesCSV(t *testing.T, n int, bad map[int]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Property Ref,UPRN,Address 1,Address 2,Address 3,Town,Postcode,Tenancy No,Tenure,Start,End,Name,Email,Phone\n")
	for i := range n {
		if row, ok := bad[i]; ok {
			b.WriteString(row + "\n")
			continue
		}
		fmt.Fprintf(&b, "P%05d,%d,%d Import Road,,,Newtown,NE%d %dCD,TN%05d,%s,01/04/2019,,Tenant %d,t%d@example.org,0191 %07d\n",
			i, 200000+i, i, 1+i%9, i%10, i, []string{"General needs", "Shared ownership", "Leasehold"}[i%3], i, i, i)
	}
	p := filepath.Join(t.TempDir(), "homes.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const homesMap = "home_ref=Property Ref,address_1=Address 1,address_2=Address 2,address_3=Address 3,tenancy_ref=Tenancy No,tenancy_start=Start,tenancy_end=End"

// TestImportTenThousandHomesWithADryRunThenForRealThenAgain imports a
// 10,000-row export made here: a file with bad rows is refused whole,
// each bad cell named by line and column; a dry run reports every home
// and tenancy it would add and changes nothing; the import adds them
// all, reporting progress; and importing the same file again changes
// nothing.
func TestImportTenThousandHomesWithADryRunThenForRealThenAgain(t *testing.T) {
	clearSettings(t)
	db := filepath.Join(t.TempDir(), "redress.db")
	if code, _, errs := redress(t, "migrate", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	const n = 10_000
	bad := homesCSV(t, n, map[int]string{
		17:   "P00017,,17 Import Road,,,Newtown,NOT A POSTCODE,TN00017,General needs,01/04/2019,,Tenant 17,,",
		4200: "P04200,,4200 Import Road,,,Newtown,NE1 1CD,TN04200,General needs,31/04/2019,,Tenant 4200,,",
	})
	code, out, _ := redress(t, "import", "homes", bad, "--db", db, "--map", homesMap)
	if code != exitBreach || !strings.Contains(out, "2 refused; nothing was imported") ||
		!strings.Contains(out, "line 19, column postcode: \"NOT A POSTCODE\" is not a UK postcode") ||
		!strings.Contains(out, "line 4202, column tenancy_start: \"31/04/2019\" is not a date") {
		t.Fatalf("exit %d:\n%s", code, out)
	}

	good := homesCSV(t, n, nil)
	code, out, errs := redress(t, "import", "homes", good, "--db", db, "--map", homesMap, "--dry-run")
	if code != 0 || !strings.Contains(out, "would import (dry run: nothing was changed): homes 10000 added, 0 changed, 0 unchanged; tenancies 10000 added") ||
		!strings.Contains(out, "line 2: add home P00000") || !strings.Contains(out, "line 10001: add tenancy TN09999") {
		t.Fatalf("dry run: exit %d: %s\n%.500s", code, errs, out)
	}
	code, out, errs = redress(t, "import", "homes", good, "--db", db, "--map", homesMap, "--dry-run", "--json")
	var rep struct {
		TenanciesAdded int `json:"tenancies_added"`
		Changes        []struct {
			Line int `json:"line"`
		} `json:"changes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.TenanciesAdded != n || len(rep.Changes) != 2*n {
		t.Fatalf("a second dry run found something changed: exit %d %s %d", code, errs, rep.TenanciesAdded)
	}

	code, out, errs = redress(t, "import", "homes", good, "--db", db, "--map", homesMap)
	if code != 0 || !strings.Contains(out, "imported: homes 10000 added, 0 changed, 0 unchanged; tenancies 10000 added, 0 changed, 0 unchanged") {
		t.Fatalf("import: exit %d: %s %s", code, errs, out)
	}
	if !strings.Contains(errs, "tenancies: 10000 rows") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	code, out, errs = redress(t, "import", "homes", good, "--db", db, "--map", homesMap)
	if code != 0 || !strings.Contains(out, "homes 0 added, 0 changed, 10000 unchanged; tenancies 0 added, 0 changed, 10000 unchanged") {
		t.Fatalf("re-import: exit %d: %s %s", code, errs, out)
	}
}

func TestImportHomesRefusesWhatItCannotUse(t *testing.T) {
	clearSettings(t)
	code, out, _ := redress(t, "import", "homes", "--template")
	if code != 0 || !strings.HasPrefix(out, "home_ref,uprn,address_1") {
		t.Errorf("template: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "import needs a subcommand"},
		{[]string{"import", "homes"}, "needs one CSV file"},
		{[]string{"import", "homes", "/nonexistent.csv"}, "/nonexistent.csv"},
		{[]string{"import", "homes", homesCSV(t, 1, nil), "--map", "flat=Flat"}, "--map"},
		{[]string{"import", "homes", homesCSV(t, 1, nil)}, `no column home_ref (looked for "home_ref")`},
		{[]string{"import", "homes", homesCSV(t, 1, nil), "--map", homesMap, "--dry-run", "--db", filepath.Join(t.TempDir(), "missing.db")}, "--db"},
	} {
		code, _, errs := redress(t, tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d: %s", tc.args, code, errs)
		}
	}
}
