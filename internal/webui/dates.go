package webui

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// dateExample is the hint every date field on the staff pages gives, in
// the GOV.UK Design System's own form ("For example, 27 3 2007"), with a
// date a few weeks ahead of the page's day so that it reads as a date the
// officer might really enter.
func dateExample(today calendar.Date) string {
	d := today.AddDays(21)
	return "For example, " + strconv.Itoa(d.Day()) + " " + strconv.Itoa(int(d.Month())) + " " + strconv.Itoa(d.Year())
}

// readDate reads the date field name of a staff form as UK staff type
// it, and returns it in the form the domain and the API take
// (2027-02-12), or "" where nothing was entered.
//
// The page's date fields are the Design System's date input: three boxes,
// name.day, name.month and name.year. A single box is read too, so that a
// form posted by hand, or a date pasted whole, is understood: 12/2/2027,
// 12-02-2027, 12.2.2027, 12 2 2027, 12 February 2027, 12 Feb 2027 and
// 2027-02-12 are all the 12th of February. A date like 02/12/2027 is
// always the 2nd of December: day first, as in the UK.
//
// The message, where the date cannot be read, speaks to the officer in
// the Design System's words ("must be a real date", "must include a
// year"), after the field's label.
func readDate(f url.Values, name, label string) (string, string) {
	day, month, year := f.Get(name+".day"), f.Get(name+".month"), f.Get(name+".year")
	if day == "" && month == "" && year == "" {
		return parseUKDate(f.Get(name), label)
	}
	return dateOfParts(strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year), label)
}

// dateParts is what a date field shows back: the day, month and year as
// typed, or as the date was (for a field that already has a value).
type dateParts struct{ Day, Month, Year string }

// partsOf splits a date field's value for its three boxes: what was typed
// into the boxes if the form has them, else the single value read as a
// date.
func partsOf(f url.Values, name string) dateParts {
	p := dateParts{f.Get(name + ".day"), f.Get(name + ".month"), f.Get(name + ".year")}
	if p != (dateParts{}) {
		return p
	}
	if iso, msg := parseUKDate(f.Get(name), ""); msg == "" && iso != "" {
		d := calendar.MustParseDate(iso)
		return dateParts{strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), strconv.Itoa(d.Year())}
	}
	return dateParts{}
}

var monthNames = func() map[string]int {
	m := map[string]int{}
	for i := time.January; i <= time.December; i++ {
		name := strings.ToLower(i.String())
		m[name], m[name[:3]] = int(i), int(i)
	}
	m["sept"] = 9
	return m
}()

// parseUKDate reads a date typed in one box.
func parseUKDate(s, label string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if d, err := calendar.ParseDate(s); err == nil {
		return d.String(), ""
	}
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '/' || r == '-' || r == '.' || r == ' ' || r == ','
	})
	if len(parts) != 3 {
		return "", label + " must be a real date, " + lowerFirst(dateLike)
	}
	month := parts[1]
	if n, ok := monthNames[month]; ok {
		month = strconv.Itoa(n)
	}
	return dateOfParts(parts[0], month, parts[2], label)
}

// dateLike is the example in the messages, fixed so that a message
// never depends on the day it is read.
const dateLike = "Like 27 3 2027"

func dateOfParts(day, month, year, label string) (string, string) {
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch len(missing) {
	case 0:
	case 3:
		return "", ""
	default:
		return "", label + " must include a " + strings.Join(missing, " and a ")
	}
	if n, ok := monthNames[strings.ToLower(month)]; ok {
		month = strconv.Itoa(n)
	}
	d, derr := strconv.Atoi(day)
	m, merr := strconv.Atoi(month)
	y, yerr := strconv.Atoi(year)
	if derr != nil || merr != nil || yerr != nil {
		return "", label + " must be a real date, " + lowerFirst(dateLike)
	}
	if len(year) != 4 {
		return "", label + " must include the year in full, like 2027"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return "", label + " must be a real date"
	}
	return calendar.NewDate(t.Date()).String(), ""
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
