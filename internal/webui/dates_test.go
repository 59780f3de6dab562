package webui

import (
	"net/url"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

func TestDatesAreReadAsUKStaffTypeThem(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want string
		msg  string
	}{
		{"nothing entered", url.Values{}, "", ""},
		{"three empty boxes", url.Values{"due.day": {""}, "due.month": {""}, "due.year": {""}}, "", ""},
		{"the three boxes", url.Values{"due.day": {"12"}, "due.month": {"2"}, "due.year": {"2027"}}, "2027-02-12", ""},
		{"boxes with padding and spaces", url.Values{"due.day": {" 03 "}, "due.month": {"09"}, "due.year": {"2027"}}, "2027-09-03", ""},
		{"a month typed as a word", url.Values{"due.day": {"3"}, "due.month": {"Sept"}, "due.year": {"2027"}}, "2027-09-03", ""},
		{"ISO in one box", url.Values{"due": {"2027-02-12"}}, "2027-02-12", ""},
		{"slashes, day first", url.Values{"due": {"02/12/2027"}}, "2027-12-02", ""},
		{"short slashes", url.Values{"due": {"12/2/2027"}}, "2027-02-12", ""},
		{"dots", url.Values{"due": {"12.02.2027"}}, "2027-02-12", ""},
		{"spaces", url.Values{"due": {"12 2 2027"}}, "2027-02-12", ""},
		{"a month's name", url.Values{"due": {"12 February 2027"}}, "2027-02-12", ""},
		{"a month's short name", url.Values{"due": {"12 feb 2027"}}, "2027-02-12", ""},
		{"a missing year", url.Values{"due.day": {"12"}, "due.month": {"2"}}, "", "Due date must include a year"},
		{"a missing day and month", url.Values{"due.year": {"2027"}}, "", "Due date must include a day and a month"},
		{"the 30th of February", url.Values{"due.day": {"30"}, "due.month": {"2"}, "due.year": {"2027"}}, "", "Due date must be a real date"},
		{"month 13", url.Values{"due": {"1/13/2027"}}, "", "Due date must be a real date"},
		{"a two-digit year", url.Values{"due": {"12/2/27"}}, "", "Due date must include the year in full, like 2027"},
		{"words", url.Values{"due": {"next Tuesday"}}, "", "Due date must be a real date, like 27 3 2027"},
		{"letters in a box", url.Values{"due.day": {"x"}, "due.month": {"2"}, "due.year": {"2027"}}, "", "Due date must be a real date, like 27 3 2027"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := readDate(tt.form, "due", "Due date")
			if got != tt.want || msg != tt.msg {
				t.Errorf("readDate(%v) = %q, %q; want %q, %q", tt.form, got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestADateFieldShowsBackWhatWasTypedOrTheDateItHolds(t *testing.T) {
	typed := url.Values{"due.day": {"30"}, "due.month": {"2"}, "due.year": {"2027"}}
	if got := partsOf(typed, "due"); got != (dateParts{"30", "2", "2027"}) {
		t.Errorf("typed boxes shown back as %+v", got)
	}
	if got := partsOf(url.Values{"due": {"2027-02-12"}}, "due"); got != (dateParts{"12", "2", "2027"}) {
		t.Errorf("a held date shown as %+v", got)
	}
	if got := partsOf(url.Values{"due": {"nonsense"}}, "due"); got != (dateParts{}) {
		t.Errorf("an unreadable date shown as %+v", got)
	}
}

func TestTheDateHintFollowsTheDesignSystem(t *testing.T) {
	if got := dateExample(calendar.MustParseDate("2026-12-02")); got != "For example, 23 12 2026" {
		t.Errorf("dateExample = %q", got)
	}
}

func TestAHazardsAwarenessIsReadAsStaffTypeIt(t *testing.T) {
	want := time.Date(2026, 11, 23, 14, 30, 0, 0, calendar.London)
	for _, v := range []string{"23/11/2026 14:30", "23 11 2026 14:30", "2026-11-23 14:30", "23 November 2026 14:30"} {
		if got, ok := parseAware(v); !ok || !got.Equal(want) {
			t.Errorf("parseAware(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"last Tuesday", "23/11/2026", "31/11/2026 14:30", "23/11/2026 25:00"} {
		if got, ok := parseAware(v); ok {
			t.Errorf("parseAware(%q) = %v, want refused", v, got)
		}
	}
}

func TestTheDateAContactWasReceivedIsReadLikeEveryOtherDate(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want time.Time
		msg  string
	}{
		{"a date and a time", url.Values{"received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"}, "received.time": {"14:30"}},
			time.Date(2026, 11, 23, 14, 30, 0, 0, calendar.London), ""},
		{"no time is nine in the morning", url.Values{"received.day": {"23"}, "received.month": {"Nov"}, "received.year": {"2026"}},
			time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.London), ""},
		{"no date", url.Values{}, time.Time{}, "must be a real date, like 23 11 2026"},
		{"no year", url.Values{"received.day": {"23"}, "received.month": {"11"}}, time.Time{}, "must include a year"},
		{"a short year", url.Values{"received.day": {"23"}, "received.month": {"11"}, "received.year": {"26"}}, time.Time{}, "must include the year in full, like 2027"},
		{"before 2000", url.Values{"received.day": {"23"}, "received.month": {"11"}, "received.year": {"1999"}}, time.Time{}, "must be a real date, like 23 11 2026"},
		{"a bad time", url.Values{"received.day": {"23"}, "received.month": {"11"}, "received.year": {"2026"}, "received.time": {"2pm"}}, time.Time{}, "time must be like 14:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := receivedAt(tt.form)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if !got.Equal(tt.want) || msg != tt.msg {
				t.Errorf("receivedAt = %v, %q; want %v, %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}
