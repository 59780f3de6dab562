package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/reports"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
)

// historyYear is the reporting year the generated logs fall in: past on
// any date the tests run, and inside the built-in bank holidays.
const historyYear = report.Year(2024)

// historyRow is one complaint of a generated log, with the dates the
// test computes the measures from.
type historyRow struct {
	ref                                  string
	received, ack, resp, esc, ack2, rsp2 calendar.Date
	tenure                               complaint.Tenure
}

// historyLog makes a complaints log of n rows in the landlord's own
// headers, for --map, every one received in historyYear: some
// acknowledged or answered late, a fifth escalated, a tenth still
// unanswered, every tenure and none, and personal data on half of them.
// bad replaces rows with the given lines of text.
func historyLog(t testing.TB, n int, bad map[int]string) (string, []historyRow) {
	t.Helper()
	cal, err := policy.Code().Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	add := func(d calendar.Date, n int) calendar.Date {
		out, err := cal.AddWorkingDays(d, n)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	from, _ := historyYear.Dates()
	tenures := []struct {
		word string
		t    complaint.Tenure
	}{{"General needs", "low_cost_rental"}, {"Shared ownership", "low_cost_home_ownership"}, {"Leasehold", "other"}, {"", ""}}
	outcomes := []string{"Upheld", "Partly upheld", "Not upheld"}
	var b strings.Builder
	b.WriteString("Complaint No,Date Received,Acknowledged,Stage 1 Responded,Escalated,Stage 2 Acknowledged,Stage 2 Responded,Outcome,Compensation,Tenure,How Received,Service Area,Category,Name,Email,Phone,Postcode\n")
	var rows []historyRow
	date := func(d calendar.Date, british bool) string {
		if d.IsZero() {
			return ""
		}
		if british {
			return fmt.Sprintf("%02d/%02d/%04d", d.Day(), d.Month(), d.Year())
		}
		return d.String()
	}
	for i := range n {
		if row, ok := bad[i]; ok {
			b.WriteString(row + "\n")
			continue
		}
		r := historyRow{ref: fmt.Sprintf("H%05d", i), tenure: tenures[i%4].t}
		r.received = from.AddDays(i * 37 % 365)
		r.ack = add(r.received, 1+i%7)
		outcome, comp := "", ""
		if i%10 != 9 {
			r.resp = add(r.ack, 3+i%12)
			outcome = outcomes[i%3]
			if i%6 == 0 {
				comp = "£250.00"
			}
			if i%5 == 0 {
				r.esc = r.resp.AddDays(7)
				r.ack2 = add(r.esc, 2+i%7)
				r.rsp2 = add(r.ack2, 10+i%17)
			}
		}
		name, email := "", ""
		if i%2 == 0 {
			name, email = fmt.Sprintf("Resident %d", i), fmt.Sprintf("r%d@example.org", i)
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,Repairs,Repairs;Damp and mould,%s,%s,,\n",
			r.ref, date(r.received, i%2 == 1), date(r.ack, false), date(r.resp, false), date(r.esc, false), date(r.ack2, false), date(r.rsp2, false),
			outcome, comp, tenures[i%4].word, []string{"Telephone", "E-mail", "Online form", ""}[i%4], name, email)
		rows = append(rows, r)
	}
	p := filepath.Join(t.TempDir(), "history.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, rows
}

const historyMap = "reference=Complaint No,received=Date Received,stage1_responded=Stage 1 Responded,channel=How Received"

// TestImportFiveThousandPastComplaintsCountInTheirYearsReports imports a
// 5,000-row complaints log made here: a file with bad rows is refused
// whole, each bad cell named by line and column; a dry run reports every
// case it would add and adds none; the import adds them all, with
// progress; the same file again adds nothing, and a row changed since is
// refused; each case keeps its original reference, by which it is found,
// and its first event names the file's hash; the audit trail verifies;
// and CH01 and CH02 for the year, as the measures page computes them,
// match the figures computed here from the rows with the working-day
// calendar.
func TestImportFiveThousandPastComplaintsCountInTheirYearsReports(t *testing.T) {
	clearSettings(t)
	db := storeUnderTest(t)
	if code, _, errs := redress(t, "migrate", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	const n = 5_000
	bad, _ := historyLog(t, n, map[int]string{
		17:   badRow("H00017", "2024-05-10", "2024-05-09"),
		300:  badRow("H00299", "2024-06-01"),
		4200: badRow("H04200", "2024-07-01", "2024-07-02", "2024-07-10", "", "", "", "Sort of", "£12.345", "Freehold"),
	})
	code, out, _ := redress(t, "import", "cases", bad, "--db", db, "--map", historyMap)
	for _, want := range []string{
		"5 refused; nothing was imported",
		"line 19, column acknowledged: 2024-05-09 is before received (2024-05-10)",
		"line 302, column reference: H00299 is repeated: it is on line 301 too",
		`line 4202, column outcome: "Sort of" is not an outcome`,
		`line 4202, column compensation: "£12.345" is not an amount in pounds and pence`,
		`line 4202, column tenure: "Freehold" is not a tenure`,
	} {
		if code != exitBreach || !strings.Contains(out, want) {
			t.Fatalf("exit %d, want %q in:\n%s", code, want, out)
		}
	}

	good, rows := historyLog(t, n, nil)
	code, out, errs := redress(t, "import", "cases", good, "--db", db, "--map", historyMap, "--dry-run")
	if code != 0 || !strings.Contains(out, "would import (dry run: nothing was changed): 5000 cases added, 0 already imported") ||
		!strings.Contains(out, "line 2: add H00000 as C-2024-000001") || !strings.Contains(out, "line 5001: add H04999 as C-2024-") {
		t.Fatalf("dry run: exit %d: %s\n%.800s", code, errs, out)
	}
	if got := countCases(t, db); got != 0 {
		t.Fatalf("the dry run left %d cases", got)
	}

	code, out, errs = redress(t, "import", "cases", good, "--db", db, "--map", historyMap)
	if code != 0 || !strings.Contains(out, "imported: 5000 cases added, 0 already imported and unchanged") {
		t.Fatalf("import: exit %d: %s %s", code, errs, out)
	}
	if !strings.Contains(errs, "cases: 5000 rows") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	code, out, errs = redress(t, "import", "cases", good, "--db", db, "--map", historyMap, "--json")
	var rep struct {
		Added, Unchanged int
		FileSHA256       string `json:"file_sha256"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Added != 0 || rep.Unchanged != n {
		t.Fatalf("re-import: exit %d: %s %.500s", code, errs, out)
	}

	// A row changed since it was imported is refused, and with it the file.
	changed, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(changed), "H00003,", "H00003X,", 1)
	edited = strings.Replace(edited, "H00002,2024-06-14,", "H00002,2024-06-13,", 1)
	if edited == string(changed) || !strings.Contains(string(changed), "H00002,2024-06-14,") {
		t.Fatalf("the test's edit did not apply: %.300s", changed)
	}
	editedPath := filepath.Join(t.TempDir(), "edited.csv")
	if err := os.WriteFile(editedPath, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = redress(t, "import", "cases", editedPath, "--db", db, "--map", historyMap)
	if code != exitBreach || !strings.Contains(out, "line 4, column reference: H00002 was already imported as C-2024-000003") ||
		!strings.Contains(out, "already imported; correct it on the case") {
		t.Fatalf("a changed row: exit %d:\n%s", code, out)
	}
	if got := countCases(t, db); got != n {
		t.Fatalf("after a refused file there are %d cases, want %d", got, n)
	}

	ctx := context.Background()
	st, err := sqldb.Open(ctx, db, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.GetCase(ctx, "H00030")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Reference, "C-2024-") || c.Imported == nil || c.Imported.OriginalRef != "H00030" || c.Imported.FileSHA256 != rep.FileSHA256 ||
		c.Imported.Line != 32 || c.Stage != 2 || c.Status != complaint.StatusClosed || len(c.Remedies) != 1 ||
		c.Remedies[0].AmountPence != 25000 || c.Channel != "web" || c.Remedies[0].Outstanding() || c.Stages[1].Decisions[0].Outcome != "upheld" {
		t.Fatalf("H00030 is %s at stage %d, %s, imported %+v, remedies %+v", c.Reference, c.Stage, c.Status, c.Imported, c.Remedies)
	}
	evs, err := st.CaseEvents(ctx, "H00030")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != complaint.EventImported || !evs[0].At.Equal(rows[30].received.Start()) ||
		!strings.Contains(string(store.EventData(evs[0])), rep.FileSHA256) {
		t.Fatalf("H00030's events: %+v", evs)
	}
	if code, out, errs := redress(t, "audit", "verify", "--db", db); code != 0 {
		t.Fatalf("audit verify: exit %d: %s %s", code, out, errs)
	}
	pack := filepath.Join(t.TempDir(), "H00030.zip")
	if code, out, errs := redress(t, "export", "case", "H00030", "--out", pack, "--db", db); code != 0 {
		t.Fatalf("the evidence pack of an imported case: exit %d: %s %s", code, out, errs)
	}
	// An import is recorded long after the dates it carries by its
	// nature: the late-entry rule (issue 12) does not count it.
	from, to := historyYear.Dates()
	late, err := st.CountLateRecorded(ctx, from, to.AddDays(400), func(at, recordedAt time.Time) bool { return true })
	if err != nil || late != 0 {
		t.Errorf("%d imported events were counted as recorded late (%v)", late, err)
	}

	// The year's measures, computed here from the rows.
	const rental, ownership = 8000, 2000
	if err := st.SetHomes(ctx, policy.Homes{Year: int(historyYear), LowCostRental: rental, LowCostHomeOwnership: ownership}, "test", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	tsm, err := (&reports.Service{Store: st, Policy: policy.Code()}).TSM(ctx, historyYear)
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := policy.Code().Calendar(nil)
	in := func(d calendar.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }
	within := func(recv, ack, resp calendar.Date, days int) bool {
		due, _ := cal.AddWorkingDays(recv, 5)
		start := ack
		if due.Before(ack) {
			start = due // a late acknowledgement buys no time (Code 6.2, 6.3)
		}
		by, _ := cal.AddWorkingDays(start, days)
		return !resp.After(by)
	}
	type counts struct{ received, responded, within [3]int }
	want := map[complaint.Tenure]*counts{"": {}, "low_cost_rental": {}, "low_cost_home_ownership": {}}
	for _, r := range rows {
		var keys []complaint.Tenure
		if r.tenure != "" {
			keys = append(keys, r.tenure)
		}
		if r.tenure == "low_cost_rental" || r.tenure == "low_cost_home_ownership" {
			keys = append(keys, "") // all homes are the two social tenures
		}
		for _, k := range keys {
			c, ok := want[k]
			if !ok {
				continue
			}
			stages := []struct{ recv, ack, resp calendar.Date }{{r.received, r.ack, r.resp}, {r.esc, r.ack2, r.rsp2}}
			for s, st := range stages {
				if in(st.recv) {
					c.received[s+1]++
				}
				if in(st.resp) {
					c.responded[s+1]++
					if within(st.recv, st.ack, st.resp, []int{10, 20}[s]) {
						c.within[s+1]++
					}
				}
			}
		}
	}
	homes := map[complaint.Tenure]int{"": rental + ownership, "low_cost_rental": rental, "low_cost_home_ownership": ownership}
	for tenure, c := range want {
		for s := 1; s <= 2; s++ {
			ch01, _ := tsm.Find(fmt.Sprintf("CH01(%d)", s), tenure)
			wantValue := float64(int64(float64(c.received[s])*1000/float64(homes[tenure])*10+0.5)) / 10
			if ch01.Numerator != c.received[s] || ch01.Denominator != homes[tenure] || ch01.Value != wantValue || c.received[s] == 0 {
				t.Errorf("CH01(%d) %q: %d/%d = %v, want %d/%d = %v", s, tenure, ch01.Numerator, ch01.Denominator, ch01.Value, c.received[s], homes[tenure], wantValue)
			}
			ch02, _ := tsm.Find(fmt.Sprintf("CH02(%d)", s), tenure)
			wantPct := float64(int64(float64(c.within[s])*100/float64(c.responded[s])*10+0.5)) / 10
			if ch02.Numerator != c.within[s] || ch02.Denominator != c.responded[s] || ch02.Value != wantPct || c.within[s] == 0 || c.within[s] == c.responded[s] {
				t.Errorf("CH02(%d) %q: %d/%d = %v, want %d/%d = %v", s, tenure, ch02.Numerator, ch02.Denominator, ch02.Value, c.within[s], c.responded[s], wantPct)
			}
		}
	}
}

// badRow makes a row of a generated log from its first cells.
func badRow(cells ...string) string {
	return strings.Join(append(cells, make([]string, 17-len(cells))...), ",")
}

// countCases counts the cases in the database at path.
func countCases(t *testing.T, path string) int {
	t.Helper()
	st, err := sqldb.Open(context.Background(), path, sqldb.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportCasesRefusesWhatItCannotUse names the flag or the file's
// problem.
func TestImportCasesRefusesWhatItCannotUse(t *testing.T) {
	clearSettings(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	noRef := filepath.Join(dir, "noref.csv")
	if err := os.WriteFile(noRef, []byte("received\n2024-05-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ourRef := filepath.Join(dir, "ourref.csv")
	if err := os.WriteFile(ourRef, []byte("reference,received\nC-2024-000001,2024-05-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "cases"}, "import cases needs one CSV file"},
		{[]string{"import", "cases", noRef, "--map", "ref=No"}, `--map: "ref" is not a column of a complaints log`},
		{[]string{"import", "cases", noRef, "--db", db}, "the file has no column reference"},
		{[]string{"import", "cases", ourRef, "--db", db}, "line 2, column reference: C-2024-000001 has the shape of a Redress reference"},
		{[]string{"import", "cases", filepath.Join(dir, "none.csv"), "--db", db}, "none.csv"},
	} {
		code, out, errs := redress(t, c.args...)
		if code == 0 || !strings.Contains(out+errs, c.want) {
			t.Errorf("%v: exit %d, want %q in %s %s", c.args, code, c.want, out, errs)
		}
	}
	code, out, _ := redress(t, "import", "cases", "--template")
	if code != 0 || !strings.HasPrefix(out, "reference,received,acknowledged,stage1_responded,escalated,") {
		t.Errorf("--template: exit %d: %s", code, out)
	}
}

// BenchmarkImportCases measures how many rows of a complaints log the
// import saves a second, into a new SQLite database each time.
func BenchmarkImportCases(b *testing.B) {
	for _, s := range settings {
		b.Setenv(s.envName(), "")
	}
	const n = 2_000
	path, _ := historyLog(b, n, nil)
	var rows int
	for b.Loop() {
		b.StopTimer()
		db := filepath.Join(b.TempDir(), "redress.db")
		if code := Main([]string{"migrate", "--db", db}, io.Discard, io.Discard); code != 0 {
			b.Fatal("migrate failed")
		}
		b.StartTimer()
		if code := Main([]string{"import", "cases", path, "--db", db, "--map", historyMap}, io.Discard, io.Discard); code != 0 {
			b.Fatal("import failed")
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
