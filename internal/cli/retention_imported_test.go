package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnImportedPastComplaintAnonymisedByRetentionStillVerifies imports
// a complaints log from 2018, whose cases are past the six years of the
// retention schedule at once, anonymises them, and checks the audit trail
// and the evidence pack still verify: the texts the import writes itself
// are made again by a replay of the anonymised import, so they must not
// be anonymised into something a replay cannot make.
func TestAnImportedPastComplaintAnonymisedByRetentionStillVerifies(t *testing.T) {
	clearSettings(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	log := filepath.Join(dir, "log.csv")
	content := "reference,received,acknowledged,stage1_responded,escalated,stage2_acknowledged,stage2_responded,outcome,compensation,tenure,channel,service_area,category,name,email,phone,postcode\n" +
		"OLD-1,2018-05-01,2018-05-02,2018-05-10,,,,upheld,£100.00,low_cost_rental,phone,Repairs,damp;mould,Ann Oldcase,ann.old@example.org,0191 496 0000,NE1 4ST\n" +
		"OLD-2,2018-06-01,2018-06-04,2018-06-12,2018-06-20,2018-06-21,2018-07-10,not upheld,,low_cost_rental,email,Repairs,damp,Bob Oldcase,bob.old@example.org,07700 900123,NE2 4ST\n"
	if err := os.WriteFile(log, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"import", "cases", log, "--db", db},
		{"retention", "run", "--db", db},
	} {
		if code, out, errs := redress(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s%s", args, code, out, errs)
		}
	}
	code, out, errs := redress(t, "audit", "verify", "--db", db)
	if code != 0 || strings.Count(out, "was anonymised on") != 2 {
		t.Fatalf("audit verify: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = redress(t, "export", "case", "OLD-2", "--db", db, "--out", filepath.Join(dir, "pack.zip"))
	if code != 0 {
		t.Fatalf("export: exit %d: %s%s", code, out, errs)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{"Oldcase", "ann.old@example.org", "900123"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the database still holds %q", personal)
		}
	}
}
