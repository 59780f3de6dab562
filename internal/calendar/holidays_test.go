package calendar

import (
	"os"
	"slices"
	"testing"
)

// The published file is the government's own data for 2018 to 2027
// (testdata/gov-bank-holidays-2018-2027.json, Open Government Licence).
// The rules must reproduce it exactly: every date, title and note.
func TestBuiltInHolidaysMatchPublishedGovUKData2018To2027(t *testing.T) {
	f, err := os.Open("testdata/gov-bank-holidays-2018-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	published, err := ParseHolidaysFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, div := range Divisions {
		for y := 2018; y <= 2027; y++ {
			var want []Holiday
			for _, h := range published[div] {
				if h.Date.Year() == y {
					want = append(want, h)
				}
			}
			if len(want) < 8 {
				t.Fatalf("%s %d: published data has only %d holidays; the fixture is incomplete", div, y, len(want))
			}
			got := BuiltIn().In(div, y)
			if !slices.Equal(got, want) {
				t.Errorf("%s %d:\n got  %v\n want %v", div, y, got, want)
			}
		}
	}
}

func TestHolidayRules(t *testing.T) {
	E, S, N := EnglandAndWales, Scotland, NorthernIreland
	tests := []struct {
		name  string
		div   Division
		date  string
		title string // "" means the date must not be a holiday
	}{
		{"New Year on a Saturday moves to Monday", E, "2011-01-03", "New Year’s Day"},
		{"New Year on a Sunday moves to Monday", E, "2017-01-02", "New Year’s Day"},
		{"no 2 January in England", E, "2024-01-02", ""},
		{"Scotland 2 January", S, "2024-01-02", "2nd January"},
		{"Scotland 1 Jan Saturday: New Year to Monday", S, "2011-01-03", "New Year’s Day"},
		{"Scotland 1 Jan Saturday: 2 January to Tuesday", S, "2011-01-04", "2nd January"},
		{"Scotland 1 Jan Sunday: New Year to Monday", S, "2017-01-02", "New Year’s Day"},
		{"Scotland 1 Jan Sunday: 2 January to Tuesday", S, "2017-01-03", "2nd January"},
		{"Scotland 1 Jan Friday: 2 January to Monday", S, "2021-01-04", "2nd January"},
		{"Good Friday", E, "2000-04-21", "Good Friday"},
		{"Good Friday in Scotland", S, "2038-04-23", "Good Friday"},
		{"Easter Monday", N, "2040-04-02", "Easter Monday"},
		{"no Easter Monday in Scotland", S, "2024-04-01", ""},
		{"St Patrick's Day", N, "2026-03-17", "St Patrick’s Day"},
		{"St Patrick's Day on a Saturday moves to Monday", N, "2029-03-19", "St Patrick’s Day"},
		{"no St Patrick's Day in England", E, "2026-03-17", ""},
		{"Early May is the first Monday", E, "2015-05-04", "Early May bank holiday"},
		{"Spring is the last Monday of May", S, "2015-05-25", "Spring bank holiday"},
		{"Battle of the Boyne", N, "2027-07-12", "Battle of the Boyne (Orangemen’s Day)"},
		{"Boyne on a Sunday moves to Monday", N, "2015-07-13", "Battle of the Boyne (Orangemen’s Day)"},
		{"no Boyne in Scotland", S, "2027-07-12", ""},
		{"Summer is the last Monday of August", E, "2015-08-31", "Summer bank holiday"},
		{"Summer is the first Monday of August in Scotland", S, "2015-08-03", "Summer bank holiday"},
		{"no late August holiday in Scotland", S, "2015-08-31", ""},
		{"St Andrew's Day", S, "2016-11-30", "St Andrew’s Day"},
		{"St Andrew's Day on a Sunday moves to Monday", S, "2014-12-01", "St Andrew’s Day"},
		{"no St Andrew's Day before the 2007 Act", S, "2006-11-30", ""},
		{"no St Andrew's Day in Northern Ireland", N, "2016-11-30", ""},
		{"Christmas on a Saturday moves to Monday", E, "2010-12-27", "Christmas Day"},
		{"Boxing Day then moves to Tuesday", E, "2010-12-28", "Boxing Day"},
		{"Christmas on a Sunday: Boxing Day keeps Monday", N, "2005-12-26", "Boxing Day"},
		{"Christmas on a Sunday: Christmas moves to Tuesday", N, "2005-12-27", "Christmas Day"},
		{"Christmas on a Friday: Boxing Day moves to Monday", S, "2037-12-28", "Boxing Day"},
		{"2002 Golden Jubilee", S, "2002-06-03", "Golden Jubilee bank holiday"},
		{"2002 Spring moved to 4 June", E, "2002-06-04", "Spring bank holiday"},
		{"2002 no holiday on the last Monday of May", E, "2002-05-27", ""},
		{"2011 royal wedding", N, "2011-04-29", "Royal wedding"},
		{"2012 Spring moved to 4 June", N, "2012-06-04", "Spring bank holiday"},
		{"2012 Diamond Jubilee", E, "2012-06-05", "Queen’s Diamond Jubilee"},
		{"2012 no holiday on the last Monday of May", S, "2012-05-28", ""},
		{"2020 Early May moved to Friday 8 May", S, "2020-05-08", "Early May bank holiday (VE day)"},
		{"2020 no holiday on 4 May", E, "2020-05-04", ""},
		{"2022 Spring moved to 2 June", E, "2022-06-02", "Spring bank holiday"},
		{"2022 Platinum Jubilee", N, "2022-06-03", "Platinum Jubilee bank holiday"},
		{"2022 no holiday on 30 May", S, "2022-05-30", ""},
		{"2022 State Funeral", S, "2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{"2023 Coronation", E, "2023-05-08", "Bank holiday for the coronation of King Charles III"},
		{"2023 Early May still on 1 May", E, "2023-05-01", "Early May bank holiday"},
		{"2026 World Cup holiday in Scotland", S, "2026-06-15", "World Cup bank holiday"},
		{"2026 no World Cup holiday in England", E, "2026-06-15", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := MustParseDate(tt.date)
			var got string
			for _, h := range BuiltIn().In(tt.div, d.Year()) {
				if h.Date == d {
					got = h.Title
				}
			}
			if got != tt.title {
				t.Errorf("%s %s: holiday %q, want %q", tt.div, tt.date, got, tt.title)
			}
		})
	}
}

func TestEveryBuiltInYearHasTheRightNumberOfHolidays(t *testing.T) {
	extra := map[int]int{2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1}
	for _, div := range Divisions {
		for y := FirstBuiltInYear; y <= LastBuiltInYear; y++ {
			want := map[Division]int{EnglandAndWales: 8, Scotland: 9, NorthernIreland: 10}[div] + extra[y]
			if div == Scotland && y < 2007 {
				want-- // No St Andrew's Day before the 2007 Act.
			}
			if div == Scotland && y == 2026 {
				want++ // World Cup holiday.
			}
			hs := BuiltIn().In(div, y)
			if len(hs) != want {
				t.Errorf("%s %d: %d holidays, want %d: %v", div, y, len(hs), want, hs)
			}
			for i, h := range hs {
				if !isWeekday(h.Date) {
					t.Errorf("%s %d: %s %s falls at a weekend", div, y, h.Title, h.Date)
				}
				if i > 0 && !hs[i-1].Date.Before(h.Date) {
					t.Errorf("%s %d: holidays out of order or repeated at %s", div, y, h.Date)
				}
			}
			if !BuiltIn().Covers(div, y) {
				t.Errorf("%s %d not covered", div, y)
			}
		}
		if BuiltIn().Covers(div, LastBuiltInYear+1) || BuiltIn().Covers(div, FirstBuiltInYear-1) {
			t.Errorf("%s: built-in table claims years it does not hold", div)
		}
	}
}

func TestEasterSunday(t *testing.T) {
	for _, want := range []string{
		"2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21", "2024-03-31",
		"2025-04-20", "2026-04-05", "2038-04-25", "2040-04-01", "2285-03-22",
	} {
		d := MustParseDate(want)
		if got := EasterSunday(d.Year()); got != d {
			t.Errorf("Easter %d = %s, want %s", d.Year(), got, want)
		}
	}
}
