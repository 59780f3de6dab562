package calendar

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

const scotland2026Revised = `{
  "scotland": {"division": "scotland", "events": [
    {"title": "New Year’s Day", "date": "2026-01-01", "notes": "", "bunting": true},
    {"title": "A newly announced holiday", "date": "2026-06-16", "notes": "", "bunting": true, "new_field": 1}
  ]},
  "northern-ireland": {"division": "northern-ireland", "events": [
    {"title": "New Year’s Day", "date": "2041-01-01", "notes": "", "bunting": true}
  ]}
}`

func TestHolidaysFileReplacesOnlyTheYearsItCovers(t *testing.T) {
	base := BuiltIn()
	h, err := base.WithFile(strings.NewReader(scotland2026Revised))
	if err != nil {
		t.Fatal(err)
	}
	got := h.In(Scotland, 2026)
	if len(got) != 2 || got[1].Date.String() != "2026-06-16" {
		t.Fatalf("Scotland 2026 = %v, want exactly the file's two days", got)
	}
	if !slices.Equal(h.In(Scotland, 2025), base.In(Scotland, 2025)) {
		t.Error("Scotland 2025 changed though the file does not mention it")
	}
	if !slices.Equal(h.In(EnglandAndWales, 2026), base.In(EnglandAndWales, 2026)) {
		t.Error("England 2026 changed though the file does not mention England")
	}
	if len(base.In(Scotland, 2026)) != 10 {
		t.Error("loading a file changed the built-in table")
	}
	if !h.Covers(NorthernIreland, 2041) || h.Covers(Scotland, 2041) {
		t.Error("2041 coverage wrong")
	}

	// The new holiday now moves deadlines, and the removed ones no longer do.
	c, err := New(h, Scotland, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := c.AddWorkingDays(MustParseDate("2026-06-15"), 1); err != nil || d.String() != "2026-06-17" {
		t.Errorf("day after 15 June 2026 = %s, %v; want 2026-06-17", d, err)
	}
	if d, err := c.AddWorkingDays(MustParseDate("2026-11-27"), 1); err != nil || d.String() != "2026-11-30" {
		t.Errorf("St Andrew's Day still off after the file dropped it: %s, %v", d, err)
	}

	// A file reaching past 2040 lets deadlines run into its year, and only
	// up to where the run of known years ends.
	ni, err := New(h, NorthernIreland, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := ni.AddWorkingDays(MustParseDate("2040-12-31"), 1); err != nil || d.String() != "2041-01-02" {
		t.Errorf("into 2041: %s, %v", d, err)
	}
	var nc *NotCoveredError
	if _, err := ni.AddWorkingDays(MustParseDate("2041-12-30"), 5); !errors.As(err, &nc) || nc.Year != 2042 {
		t.Errorf("into 2042: %v", err)
	}
}

func TestTheGovernmentFileLoads(t *testing.T) {
	f, err := os.Open("testdata/gov-bank-holidays-2018-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := BuiltIn().WithFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, div := range Divisions {
		for y := FirstBuiltInYear; y <= LastBuiltInYear; y++ {
			if !slices.Equal(h.In(div, y), BuiltIn().In(div, y)) {
				t.Errorf("%s %d differs after loading the published file", div, y)
			}
		}
	}
}

func TestMalformedHolidaysFilesAreRefusedWhole(t *testing.T) {
	ev := func(date, title string) string {
		return `{"title":"` + title + `","date":"` + date + `","notes":"","bunting":true}`
	}
	div := func(key, name string, events ...string) string {
		return `"` + key + `":{"division":"` + name + `","events":[` + strings.Join(events, ",") + `]}`
	}
	tests := []struct {
		name, body, want string
	}{
		{"empty", ``, "empty"},
		{"not JSON", `bank holidays`, "line 1: invalid character"},
		{"array", `[]`, "line 1"},
		{"null", `null`, "want a JSON object"},
		{"truncated", "{\n" + div("scotland", "scotland", ev("2026-01-01", "x")), "ends before"},
		{"trailing data", "{" + div("scotland", "scotland", ev("2026-01-01", "x")) + "} {}", "unexpected data"},
		{"unknown division", "{" + div("wales", "wales", ev("2026-01-01", "x")) + "}", `key "wales" is not a division`},
		{"division disagrees with key", "{" + div("scotland", "england-and-wales", ev("2026-01-01", "x")) + "}", `scotland: division is "england-and-wales"`},
		{"impossible date", "{" + div("scotland", "scotland", ev("2026-02-30", "x")) + "}", `scotland: event 1: date: "2026-02-30" is not a date`},
		{"date with time", "{" + div("scotland", "scotland", ev("2026-01-01T00:00:00Z", "x")) + "}", "event 1: date"},
		{"implausible year", "{" + div("scotland", "scotland", ev("1066-10-14", "x")) + "}", "outside the years 1900 to 2200"},
		{"no title", "{" + div("scotland", "scotland", ev("2026-01-01", "x"), ev("2026-01-02", "")) + "}", "event 2 (2026-01-02): title is empty"},
		{"date twice", "{" + div("scotland", "scotland", ev("2026-01-01", "x"), ev("2026-01-01", "y")) + "}", "2026-01-01 is listed twice"},
		{"no events", "{" + div("scotland", "scotland") + "}", "lists no events"},
		{"wrong type on line 3", "{\n\"scotland\": {\"division\": \"scotland\",\n \"events\": \"none\"}}", "line 3"},
		{"too large", `{"scotland":{"division":"scotland","events":[],"x":"` + strings.Repeat("a", MaxHolidaysFile) + `"}}`, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := BuiltIn().WithFile(strings.NewReader(tt.body))
			if err == nil {
				t.Fatal("accepted")
			}
			if h != nil {
				t.Error("returned a table with the error")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "holidays file: ") {
				t.Errorf("error %q does not name the problem %q", err, tt.want)
			}
		})
	}
}

func FuzzParseHolidaysFile(f *testing.F) {
	f.Add([]byte(scotland2026Revised))
	if data, err := os.ReadFile("testdata/gov-bank-holidays-2018-2027.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"scotland":{"division":"scotland","events":[{"title":"x","date":"2026-01-01"}]}}`))
	f.Add([]byte(`{"scotland":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		parsed, err := ParseHolidaysFile(strings.NewReader(string(data)))
		if err != nil {
			if parsed != nil {
				t.Fatal("partial result returned with an error")
			}
			return
		}
		h, err := BuiltIn().WithFile(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("parsed but WithFile refused: %v", err)
		}
		for div, hs := range parsed {
			for i, hol := range hs {
				if hol.Title == "" || hol.Date.Year() < 1900 || hol.Date.Year() > 2200 {
					t.Fatalf("bad holiday accepted: %+v", hol)
				}
				if i > 0 && !hs[i-1].Date.Before(hol.Date) {
					t.Fatalf("not sorted or repeated: %v", hs)
				}
				if !h.Covers(div, hol.Date.Year()) {
					t.Fatalf("%s %d not covered after loading", div, hol.Date.Year())
				}
			}
			if _, err := New(h, div, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}
