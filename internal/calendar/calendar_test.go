package calendar

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mustNew(t testing.TB, h *Holidays, div Division, closures ...string) *Calendar {
	t.Helper()
	var ds []Date
	for _, s := range closures {
		ds = append(ds, MustParseDate(s))
	}
	c, err := New(h, div, ds)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAddWorkingDays(t *testing.T) {
	E, S, N := EnglandAndWales, Scotland, NorthernIreland
	tests := []struct {
		name     string
		div      Division
		closures []string
		from     string
		n        int
		want     string
	}{
		{"anchor day is never counted", E, nil, "2026-11-23", 1, "2026-11-24"},
		{"five from a Monday is the next Monday", E, nil, "2026-11-23", 5, "2026-11-30"},
		{"weekend anchor counts from Monday, not the weekend", E, nil, "2026-11-21", 5, "2026-11-27"},
		{"Sunday anchor", E, nil, "2026-11-22", 1, "2026-11-23"},
		{"zero is the anchor itself", E, nil, "2026-11-21", 0, "2026-11-21"},
		{"St Andrew's Day skipped in Scotland", S, nil, "2026-11-21", 6, "2026-12-01"},
		{"St Andrew's Day is a working day in England", E, nil, "2026-11-21", 6, "2026-11-30"},
		{"Christmas 2026 and the Boxing Day substitute", E, nil, "2026-12-21", 5, "2026-12-30"},
		{"across New Year in England", E, nil, "2026-12-21", 10, "2027-01-07"},
		{"across New Year in Scotland, 2 January substitute", S, nil, "2026-12-21", 10, "2027-01-08"},
		{"Code stage 1 acknowledgement received Christmas Eve 2027", E, nil, "2027-12-24", 5, "2028-01-05"},
		{"received on Christmas Day itself", N, nil, "2026-12-25", 1, "2026-12-29"},
		{"Good Friday anchor skips Easter Monday in England", E, nil, "2026-04-03", 1, "2026-04-07"},
		{"Easter Monday is a working day in Scotland", S, nil, "2026-04-03", 1, "2026-04-06"},
		{"Boyne substitute in Northern Ireland", N, nil, "2026-07-10", 1, "2026-07-14"},
		{"no Boyne in England", E, nil, "2026-07-10", 1, "2026-07-13"},
		{"St Patrick's Day in Northern Ireland", N, nil, "2026-03-16", 1, "2026-03-18"},
		{"Scottish summer holiday", S, nil, "2026-07-31", 1, "2026-08-04"},
		{"English summer holiday", E, nil, "2026-08-28", 1, "2026-09-01"},
		{"World Cup holiday in Scotland", S, nil, "2026-06-12", 1, "2026-06-16"},
		{"Coronation 2023", E, nil, "2023-05-05", 1, "2023-05-09"},
		{"Early May 2023 and the Coronation", E, nil, "2023-04-28", 2, "2023-05-03"},
		{"State Funeral 2022", S, nil, "2022-09-16", 1, "2022-09-20"},
		{"Platinum Jubilee weekend", E, nil, "2022-06-01", 1, "2022-06-06"},
		{"closure days between Christmas and New Year", E, []string{"2026-12-29", "2026-12-30", "2026-12-31"}, "2026-12-21", 5, "2027-01-05"},
		{"closure at a weekend changes nothing", E, []string{"2026-11-28"}, "2026-11-23", 5, "2026-11-30"},
		{"closure on a bank holiday counts once", E, []string{"2026-12-25"}, "2026-12-24", 1, "2026-12-29"},
		{"Code stage 2 response up to New Year's Eve", N, nil, "2026-12-01", 20, "2026-12-31"},
		{"Code stage 2 response across the year end", N, nil, "2026-12-02", 20, "2027-01-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, nil, tt.div, tt.closures...)
			got, err := c.AddWorkingDays(MustParseDate(tt.from), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("%d working days after %s (%s) = %s, want %s", tt.n, tt.from, tt.div, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := mustNew(t, nil, EnglandAndWales)
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-12-24", "2027-01-04", 4},
		{"2027-01-04", "2026-12-24", -4},
		{"2026-11-23", "2026-11-23", 0},
		{"2026-11-21", "2026-11-22", 0},
		{"2026-11-20", "2026-11-23", 1},
		{"2026-04-02", "2026-04-07", 1},
	}
	for _, tt := range tests {
		got, err := c.WorkingDaysBetween(MustParseDate(tt.a), MustParseDate(tt.b))
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// The fast arithmetic must agree with counting one day at a time, for
// random anchors and spans in every division, with random closures.
func TestWorkingDayArithmeticAgreesWithCountingDayByDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	first, last := NewDate(FirstBuiltInYear, 1, 1), NewDate(LastBuiltInYear-1, 1, 1)
	span := last.Sub(first)
	for _, div := range Divisions {
		var closures []Date
		for range 200 {
			closures = append(closures, first.AddDays(rng.IntN(span)))
		}
		c, err := New(nil, div, closures)
		if err != nil {
			t.Fatal(err)
		}
		isOff := map[Date]bool{}
		for _, d := range closures {
			isOff[d] = true
		}
		for y := FirstBuiltInYear; y <= LastBuiltInYear; y++ {
			for _, h := range BuiltIn().In(div, y) {
				isOff[h.Date] = true
			}
		}
		slowWorking := func(d Date) bool { return isWeekday(d) && !isOff[d] }
		for range 3000 {
			from := first.AddDays(rng.IntN(span))
			n := rng.IntN(60)
			want, k := from, 0
			for k < n {
				want = want.AddDays(1)
				if slowWorking(want) {
					k++
				}
			}
			got, err := c.AddWorkingDays(from, n)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s: %d working days after %s = %s, counting gives %s", div, n, from, got, want)
			}
			if c.IsWorkingDay(from) != slowWorking(from) {
				t.Fatalf("%s: IsWorkingDay(%s) = %v", div, from, c.IsWorkingDay(from))
			}
			between, err := c.WorkingDaysBetween(from, want)
			if err != nil {
				t.Fatal(err)
			}
			if between != n {
				t.Fatalf("%s: WorkingDaysBetween(%s, %s) = %d, want %d", div, from, want, between, n)
			}
		}
	}
}

func TestDeadlinesBeyondTheKnownYearsAreRefused(t *testing.T) {
	c := mustNew(t, nil, Scotland)
	_, err := c.AddWorkingDays(MustParseDate("2040-12-20"), 20)
	var nc *NotCoveredError
	if !errors.As(err, &nc) || nc.Year != 2041 || nc.Division != Scotland {
		t.Fatalf("err = %v, want NotCoveredError for scotland 2041", err)
	}
	if _, err := c.WorkingDaysBetween(MustParseDate("1999-12-20"), MustParseDate("2000-01-10")); !errors.As(err, &nc) {
		t.Fatalf("err = %v, want NotCoveredError for 1999", err)
	}
	if got, err := c.AddWorkingDays(MustParseDate("2040-12-20"), 5); err != nil || got.String() != "2040-12-31" {
		t.Fatalf("within 2040: %s, %v", got, err)
	}
}

func TestDue(t *testing.T) {
	c := mustNew(t, nil, EnglandAndWales)
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		from string
		d    Duration
		want string
	}{
		{"calendar days ignore holidays", "2026-12-24T10:00:00Z", Duration{28, CalendarDays}, "2027-01-21"},
		{"working days count from the London date", "2026-06-30T23:30:00Z", Duration{1, WorkingDays}, "2026-07-02"},
		{"hours cross the spring clock change", "2026-03-28T12:00:00Z", Duration{24, Hours}, "2026-03-29"},
		{"hours from late evening", "2026-11-23T22:00:00Z", Duration{24, Hours}, "2026-11-24"},
		{"hours may land on a weekend", "2026-11-27T09:00:00Z", Duration{24, Hours}, "2026-11-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl, err := c.Due(at(tt.from), tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if dl.Date.String() != tt.want {
				t.Errorf("%s after %s = %s, want %s", tt.d, tt.from, dl.Date, tt.want)
			}
			if tt.d.Unit == Hours && !dl.At.Equal(at(tt.from).Add(time.Duration(tt.d.N)*time.Hour)) {
				t.Errorf("At = %s", dl.At)
			}
			if tt.d.Unit != Hours && !dl.At.IsZero() {
				t.Errorf("day deadline has an instant %s", dl.At)
			}
		})
	}
	if _, err := c.Due(at("2026-01-01T00:00:00Z"), Duration{1, "weeks"}); err == nil {
		t.Error("unknown unit accepted")
	}
}

func TestDeadlineIsMetOnTheDueDateInLondon(t *testing.T) {
	dl := Deadline{Date: MustParseDate("2026-07-01")}
	for _, tt := range []struct {
		at   string
		want bool
	}{
		{"2026-07-01T22:59:00Z", true},  // 23:59 BST on the due date
		{"2026-07-01T23:00:00Z", false}, // 00:00 BST the day after
		{"2026-06-20T10:00:00Z", true},
	} {
		ts, err := time.Parse(time.RFC3339, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := dl.Met(ts); got != tt.want {
			t.Errorf("Met(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

func TestWhy(t *testing.T) {
	c := mustNew(t, nil, Scotland, "2026-12-31")
	for date, want := range map[string]string{
		"2026-12-31": "Closure day",
		"2026-11-30": "St Andrew’s Day",
		"2026-11-28": "Saturday",
		"2026-11-27": "",
	} {
		if got := c.Why(MustParseDate(date)); got != want {
			t.Errorf("Why(%s) = %q, want %q", date, got, want)
		}
	}
}

func TestNewRefusesAnUnknownDivision(t *testing.T) {
	_, err := New(nil, "wales", nil)
	if err == nil || !strings.Contains(err.Error(), `"wales" is not a division`) {
		t.Fatalf("err = %v", err)
	}
}

func TestDate(t *testing.T) {
	for _, bad := range []string{"2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "", "0000-01-01"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	d := MustParseDate("2026-11-23")
	if d.Weekday() != time.Monday || d.Year() != 2026 || d.Month() != time.November || d.Day() != 23 {
		t.Errorf("2026-11-23 parts wrong: %v %d %v %d", d.Weekday(), d.Year(), d.Month(), d.Day())
	}
	if MustParseDate("0001-01-01").Weekday() != time.Monday {
		t.Error("day 1 is not a Monday")
	}
	if got := d.AddDays(-365).String(); got != "2025-11-23" {
		t.Errorf("AddDays(-365) = %s", got)
	}
	if DateOf(d.Start()) != d || d.Start().Location() != London {
		t.Errorf("Start() = %s", d.Start())
	}
	var z Date
	if !z.IsZero() || z.String() != "" {
		t.Error("zero Date not zero")
	}
	var back Date
	b, err := d.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Errorf("text round trip: %v %v", back, err)
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := mustNew(b, nil, Scotland, "2026-12-29", "2026-12-30", "2026-12-31")
	for _, n := range []int{5, 20, 2500, 9000} {
		b.Run(strconv.Itoa(n)+"_days", func(b *testing.B) {
			from := MustParseDate("2003-02-14")
			for i := 0; b.Loop(); i++ {
				if _, err := c.AddWorkingDays(from.AddDays(i%365), n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := mustNew(b, nil, NorthernIreland)
	from, to := MustParseDate("2000-01-01"), MustParseDate("2040-12-31")
	for i := 0; b.Loop(); i++ {
		if _, err := c.WorkingDaysBetween(from.AddDays(i%365), to); err != nil {
			b.Fatal(err)
		}
	}
}
