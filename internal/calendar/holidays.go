package calendar

import (
	"github.com/redresshq/redress/internal/enum"
	"slices"
	"sync"
	"time"
)

// Division is one of the three bank-holiday divisions of the United
// Kingdom, spelled as the government's bank-holidays file spells them.
type Division string

// The three divisions. Wales shares England's bank holidays.
const (
	EnglandAndWales Division = "england-and-wales"
	Scotland        Division = "scotland"
	NorthernIreland Division = "northern-ireland"
)

// Divisions lists every division in the order the government's file uses.
var Divisions = []Division{EnglandAndWales, Scotland, NorthernIreland}

// ParseDivision checks that s names a division.
func ParseDivision(s string) (Division, error) { return enum.Parse(s, Divisions, "a division") }

// Holiday is one bank holiday: the day it is observed on, its name and the
// government's note ("Substitute day" or nothing). One-off days carry no
// note, as in the government's file.
type Holiday struct {
	Date  Date   `json:"date"`
	Title string `json:"title"`
	Notes string `json:"notes,omitempty"`
}

// The years whose bank holidays are built in. Outside them Redress knows
// only weekends and closures, and says so rather than guessing.
const (
	FirstBuiltInYear = 2000
	LastBuiltInYear  = 2040
)

// Holidays is an immutable table of bank holidays by division, with the
// years each division's list is complete for. Share it freely.
type Holidays struct {
	days  map[Division][]Holiday // sorted by date
	years map[Division]map[int]bool
}

// In returns the bank holidays of div in year, in date order.
func (h *Holidays) In(div Division, year int) []Holiday {
	all := h.days[div]
	lo, _ := slices.BinarySearchFunc(all, NewDate(year, time.January, 1), byDate)
	hi, _ := slices.BinarySearchFunc(all, NewDate(year+1, time.January, 1), byDate)
	return slices.Clone(all[lo:hi])
}

// Covers reports whether the table holds every bank holiday of div in year.
func (h *Holidays) Covers(div Division, year int) bool { return h.years[div][year] }

// Years returns the first and last year the table holds for div.
func (h *Holidays) Years(div Division) (first, last int) {
	for y := range h.years[div] {
		if first == 0 || y < first {
			first = y
		}
		if y > last {
			last = y
		}
	}
	return first, last
}

func byDate(h Holiday, d Date) int { return h.Date.Compare(d) }

// BuiltIn returns the bank holidays of 2000 to 2040 for every division,
// generated from the statutory and customary rules plus every one-off
// change proclaimed in those years. The table is computed once.
var BuiltIn = sync.OnceValue(func() *Holidays {
	h := &Holidays{days: map[Division][]Holiday{}, years: map[Division]map[int]bool{}}
	for _, div := range Divisions {
		h.years[div] = map[int]bool{}
		for y := FirstBuiltInYear; y <= LastBuiltInYear; y++ {
			h.days[div] = append(h.days[div], ruleHolidays(div, y)...)
			h.years[div][y] = true
		}
	}
	return h
})

const substitute = "Substitute day"

// ruleHolidays returns the bank holidays of div in year y, in date order.
//
// The rules are those of the Banking and Financial Dealings Act 1971 and
// the royal proclamations that make the customary days and substitutes,
// as the government publishes them: a holiday falling at a weekend is
// observed on the next weekday that is not already a holiday.
func ruleHolidays(div Division, y int) []Holiday {
	var hs []Holiday
	add := func(d Date, title, notes string) { hs = append(hs, Holiday{Date: d, Title: title, Notes: notes}) }
	single := func(d Date, title string) {
		switch d.Weekday() {
		case time.Saturday:
			add(d.AddDays(2), title, substitute)
		case time.Sunday:
			add(d.AddDays(1), title, substitute)
		default:
			add(d, title, "")
		}
	}
	// pair observes two consecutive holidays (Christmas and Boxing Day,
	// and Scotland's 1 and 2 January): when either falls at a weekend both
	// are observed on the first free weekdays. The dates never differ, but
	// the names do: when the first day is a Sunday, Boxing Day keeps its
	// own Monday and Christmas moves to the Tuesday, whereas Scotland's
	// New Year moves to the Monday and 2 January to the Tuesday, as the
	// government publishes them.
	pair := func(d Date, first, second string, secondKeepsMonday bool) {
		switch d.Weekday() {
		case time.Friday:
			add(d, first, "")
			add(d.AddDays(3), second, substitute)
		case time.Saturday:
			add(d.AddDays(2), first, substitute)
			add(d.AddDays(3), second, substitute)
		case time.Sunday:
			if secondKeepsMonday {
				add(d.AddDays(1), second, "")
				add(d.AddDays(2), first, substitute)
			} else {
				add(d.AddDays(1), first, substitute)
				add(d.AddDays(2), second, substitute)
			}
		default:
			add(d, first, "")
			add(d.AddDays(1), second, "")
		}
	}

	if div == Scotland {
		pair(NewDate(y, time.January, 1), "New Year’s Day", "2nd January", false)
	} else {
		single(NewDate(y, time.January, 1), "New Year’s Day")
	}
	if div == NorthernIreland {
		single(NewDate(y, time.March, 17), "St Patrick’s Day")
	}
	easter := EasterSunday(y)
	add(easter.AddDays(-2), "Good Friday", "")
	if div != Scotland {
		add(easter.AddDays(1), "Easter Monday", "")
	}
	if y == 2011 {
		add(NewDate(2011, time.April, 29), "Royal wedding", "")
	}

	switch y {
	case 2020: // Moved to the Friday for the 75th anniversary of VE Day.
		add(NewDate(2020, time.May, 8), "Early May bank holiday (VE day)", "")
	default:
		add(firstMonday(y, time.May), "Early May bank holiday", "")
	}
	if y == 2023 {
		add(NewDate(2023, time.May, 8), "Bank holiday for the coronation of King Charles III", "")
	}

	switch y {
	case 2002: // Golden Jubilee: spring holiday moved to Tuesday 4 June.
		add(NewDate(2002, time.June, 3), "Golden Jubilee bank holiday", "")
		add(NewDate(2002, time.June, 4), "Spring bank holiday", "")
	case 2012: // Diamond Jubilee: spring holiday moved to Monday 4 June.
		add(NewDate(2012, time.June, 4), "Spring bank holiday", "")
		add(NewDate(2012, time.June, 5), "Queen’s Diamond Jubilee", "")
	case 2022: // Platinum Jubilee: spring holiday moved to Thursday 2 June.
		add(NewDate(2022, time.June, 2), "Spring bank holiday", "")
		add(NewDate(2022, time.June, 3), "Platinum Jubilee bank holiday", "")
	default:
		add(lastMonday(y, time.May), "Spring bank holiday", "")
	}

	if div == Scotland && y == 2026 { // Proclaimed for Scotland alone.
		add(NewDate(2026, time.June, 15), "World Cup bank holiday", "")
	}
	if div == NorthernIreland {
		single(NewDate(y, time.July, 12), "Battle of the Boyne (Orangemen’s Day)")
	}
	if div == Scotland {
		add(firstMonday(y, time.August), "Summer bank holiday", "")
	} else {
		add(lastMonday(y, time.August), "Summer bank holiday", "")
	}
	if y == 2022 {
		add(NewDate(2022, time.September, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II", "")
	}
	// St Andrew's Day became a bank holiday by the St Andrew's Day Bank
	// Holiday (Scotland) Act 2007.
	if div == Scotland && y >= 2007 {
		single(NewDate(y, time.November, 30), "St Andrew’s Day")
	}
	pair(NewDate(y, time.December, 25), "Christmas Day", "Boxing Day", true)

	slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// EasterSunday returns the date of Easter Sunday in year y of the Gregorian
// calendar (the anonymous Gregorian algorithm, valid for every year).
func EasterSunday(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, time.Month(month), day)
}

func firstMonday(y int, m time.Month) Date {
	d := NewDate(y, m, 1)
	return d.AddDays((8 - int(d.Weekday())) % 7)
}

func lastMonday(y int, m time.Month) Date {
	d := NewDate(y, m+1, 1).AddDays(-1)
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}
