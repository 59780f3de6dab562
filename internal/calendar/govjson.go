package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
)

// MaxHolidaysFile is the largest holidays file Redress reads. The
// government's own file, covering a decade, is about 20 KiB.
const MaxHolidaysFile = 4 << 20

// govEvent and govDivision mirror https://www.gov.uk/bank-holidays.json.
type govEvent struct {
	Title   string `json:"title"`
	Date    string `json:"date"`
	Notes   string `json:"notes"`
	Bunting bool   `json:"bunting"`
}

type govDivision struct {
	Division string     `json:"division"`
	Events   []govEvent `json:"events"`
}

// WithFile returns a copy of h in which every year that the government-
// format bank-holidays file r lists for a division replaces that
// division's built-in year. Years the file does not mention keep their
// built-in holidays, so a file for 2026 to 2028 refreshes those years and
// can add years after 2040 without losing 2000 to 2025.
//
// A malformed file is refused as a whole with an error naming the problem;
// h is never changed.
func (h *Holidays) WithFile(r io.Reader) (*Holidays, error) {
	parsed, err := ParseHolidaysFile(r)
	if err != nil {
		return nil, err
	}
	out := &Holidays{days: map[Division][]Holiday{}, years: map[Division]map[int]bool{}}
	for _, div := range Divisions {
		out.years[div] = maps.Clone(h.years[div])
		if out.years[div] == nil {
			out.years[div] = map[int]bool{}
		}
		replaced := map[int]bool{}
		for _, hol := range parsed[div] {
			replaced[hol.Date.Year()] = true
			out.years[div][hol.Date.Year()] = true
		}
		for _, hol := range h.days[div] {
			if !replaced[hol.Date.Year()] {
				out.days[div] = append(out.days[div], hol)
			}
		}
		out.days[div] = append(out.days[div], parsed[div]...)
		slices.SortFunc(out.days[div], func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	}
	return out, nil
}

// ParseHolidaysFile reads a bank-holidays file in the government's JSON
// format and returns each division's holidays in date order. It checks the
// whole file before returning anything: every top-level key must be a
// division whose "division" field agrees with it, every event needs a title
// and a real YYYY-MM-DD date in a plausible year, and no division may list
// the same date twice.
func ParseHolidaysFile(r io.Reader) (map[Division][]Holiday, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxHolidaysFile+1))
	if err != nil {
		return nil, fmt.Errorf("holidays file: %w", err)
	}
	if len(data) > MaxHolidaysFile {
		return nil, fmt.Errorf("holidays file: larger than %d bytes", MaxHolidaysFile)
	}
	var file map[string]govDivision
	if err := decodeOne(data, &file); err != nil {
		return nil, fmt.Errorf("holidays file: %w", err)
	}
	if file == nil {
		return nil, errors.New("holidays file: want a JSON object keyed by division")
	}
	out := map[Division][]Holiday{}
	total := 0
	for _, key := range slices.Sorted(maps.Keys(file)) {
		div, err := ParseDivision(key)
		if err != nil {
			return nil, fmt.Errorf("holidays file: key %w", err)
		}
		gd := file[key]
		if gd.Division != key {
			return nil, fmt.Errorf("holidays file: %s: division is %q, want %q", key, gd.Division, key)
		}
		seen := map[Date]bool{}
		for i, ev := range gd.Events {
			where := fmt.Sprintf("holidays file: %s: event %d", key, i+1)
			d, err := ParseDate(ev.Date)
			if err != nil {
				return nil, fmt.Errorf("%s: date: %w", where, err)
			}
			if y := d.Year(); y < 1900 || y > 2200 {
				return nil, fmt.Errorf("%s: date %s is outside the years 1900 to 2200", where, ev.Date)
			}
			if ev.Title == "" {
				return nil, fmt.Errorf("%s (%s): title is empty", where, ev.Date)
			}
			if seen[d] {
				return nil, fmt.Errorf("%s: date %s is listed twice", where, ev.Date)
			}
			seen[d] = true
			out[div] = append(out[div], Holiday{Date: d, Title: ev.Title, Notes: ev.Notes})
		}
		slices.SortFunc(out[div], func(a, b Holiday) int { return a.Date.Compare(b.Date) })
		total += len(gd.Events)
	}
	if total == 0 {
		return nil, errors.New("holidays file: lists no events")
	}
	return out, nil
}

// decodeOne decodes exactly one JSON value from data into v and refuses
// trailing data. Unknown fields are ignored on purpose: if the government
// adds a field to its file, landlords must still be able to load it
// without waiting for a release; the fields Redress needs are checked.
func decodeOne(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return describeJSONError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// describeJSONError adds the line number to syntax and type errors, which
// encoding/json reports only as byte offsets.
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: %w", lineOf(data, syn.Offset), err)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: %s: want %s, got JSON %s", lineOf(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return errors.New("empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("ends before the JSON value is complete")
	}
	return err
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
