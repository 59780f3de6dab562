package history

import (
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
)

var today = calendar.MustParseDate("2026-12-03")

func TestCompensationIsReadInPoundsAndPence(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"£250.00", 25000, true}, {"250", 25000, true}, {"£1,250.50", 125050, true}, {"12.5", 1250, true},
		{"£ 75", 7500, true}, {"0", 0, true},
		{"£12.345", 0, false}, {"250p", 0, false}, {"-5", 0, false}, {"1,25", 0, false}, {"£2,000,000", 0, false}, {"", 0, false},
	} {
		got, err := ParsePence(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParsePence(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestOutcomesAreReadInTheWordsLogsUse(t *testing.T) {
	for in, want := range map[string]string{"Upheld": "upheld", "Partly Upheld": "partly_upheld", "partially  upheld": "partly_upheld",
		"NOT UPHELD": "not_upheld", "not_upheld": "not_upheld", "Justified": "upheld"} {
		if got, err := ParseOutcome(in); err != nil || string(got) != want {
			t.Errorf("ParseOutcome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseOutcome("resolved"); err == nil {
		t.Error(`ParseOutcome("resolved"): no error`)
	}
}

// TestEveryBadCellIsNamedByLineAndColumn reads a log in the landlord's
// own headers and names each problem where it is.
func TestEveryBadCellIsNamedByLineAndColumn(t *testing.T) {
	log := "Complaint No,Date In,acknowledged,stage 1 responded,Escalated,Stage 2 Responded,Outcome,Category,Channel\n" +
		"A1,01/06/2026,2026-06-02,2026-06-10,,,Upheld,Repairs; Damp ;Repairs,Face to face\n" + // good
		"A2,2026-06-01,,,2026-06-20,,,,\n" + // escalated with no stage 1 response
		"A1,2026-06-01,,,,,,,\n" + // repeated
		"C-2026-000001,2026-13-01,,,,,,,\n" + // our shape, not a date
		"A4,2026-06-01,,,,2026-06-30,,,pigeon\n" + // stage 2 response with no escalation; no such channel
		"A5,2027-01-01,,,,,Upheld,,\n" + // in the future; outcome with no response
		"A6,2026-06-01,2026-06-02\n" // too few cells
	m, err := ParseMapping("reference=Complaint No, received=Date In")
	if err != nil {
		t.Fatal(err)
	}
	var calls []int
	f, err := ReadCSV(strings.NewReader(log), m, today, func(n int) { calls = append(calls, n) })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range f.Errors {
		got = append(got, e.String())
	}
	want := []string{
		"line 3, column escalated: is given, and stage1_responded is empty: a complaint is escalated after its stage 1 response",
		"line 4, column reference: A1 is repeated: it is on line 2 too",
		"line 5, column reference: C-2026-000001 has the shape of a Redress reference, and would be taken for one; prefix it in the file",
		`line 5, column received: "2026-13-01" is not a date such as 2026-04-01 or 01/04/2026`,
		"line 6, column stage2_responded: is given, and escalated is empty",
		`line 6, column channel: "pigeon" is not a channel: want email, phone, web, letter, in person or social media`,
		"line 7, column received: 2027-01-01 is in the future",
		"line 7, column outcome: is given, and stage1_responded is empty: an outcome is the final response's",
		"line 8: has 3 cells, and the first line names 9 columns: wrong number of fields",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	if len(f.Rows) != 1 || f.Lines != 7 || !slices.Equal(calls, []int{7}) {
		t.Fatalf("rows %+v, lines %d, progress %v", f.Rows, f.Lines, calls)
	}
	r := f.Rows[0]
	if r.Received != calendar.MustParseDate("2026-06-01") || r.Outcome != "upheld" || r.Channel != "in_person" || !slices.Equal(r.Categories, []string{"Repairs", "Damp"}) {
		t.Errorf("row %+v", r)
	}
	if _, err := ReadCSV(strings.NewReader("ref,received\n"), nil, today, nil); err == nil || !strings.Contains(err.Error(), "no column reference") {
		t.Errorf("a log with no reference column: %v", err)
	}
}

// TestARowsFingerprintIgnoresItsLine: a re-import of the same row on
// another line is the same row; a changed date is not.
func TestARowsFingerprintIgnoresItsLine(t *testing.T) {
	a := Row{Line: 2, Ref: "A1", Received: calendar.MustParseDate("2026-06-01")}
	b := a
	b.Line = 40
	c := a
	c.Received = calendar.MustParseDate("2026-06-02")
	if a.SHA256() != b.SHA256() || a.SHA256() == c.SHA256() {
		t.Errorf("fingerprints %s %s %s", a.SHA256(), b.SHA256(), c.SHA256())
	}
}
