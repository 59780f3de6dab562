package report

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// The figure beside CH02 measures the same responses against the stage's
// own deadline (RespondBy), met on its last day.
func TestWithinPolicyIsMetOnOrBeforeTheLandlordsOwnDeadline(t *testing.T) {
	d := calendar.MustParseDate
	for _, tt := range []struct {
		name                 string
		responded, respondBy calendar.Date
		want                 bool
	}{
		{"before the deadline", d("2026-05-01"), d("2026-05-05"), true},
		{"on the deadline's last day", d("2026-05-05"), d("2026-05-05"), true},
		{"a day late", d("2026-05-06"), d("2026-05-05"), false},
		{"not responded to", calendar.Date{}, d("2026-05-05"), false},
		{"no deadline recorded", d("2026-05-01"), calendar.Date{}, false},
	} {
		if got := WithinPolicy(tt.responded, tt.respondBy); got != tt.want {
			t.Errorf("%s: WithinPolicy(%s, %s) = %v, want %v", tt.name, tt.responded, tt.respondBy, got, tt.want)
		}
	}
}

// An event dated more than one working day (by the landlord's calendar,
// in London) before it was recorded is listed; one working day is the
// ordinary delay of logging a call the next working day.
func TestRecordedLateIsMoreThanOneWorkingDayByTheLandlordsCalendar(t *testing.T) {
	cal, err := calendar.New(nil, "england-and-wales", []calendar.Date{calendar.MustParseDate("2026-12-29")})
	if err != nil {
		t.Fatal(err)
	}
	london := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tt := range []struct {
		name         string
		at, recorded string
		days         int
		late         bool
	}{
		{"recorded the same day", "2026-11-23 09:00", "2026-11-23 17:00", 0, false},
		{"recorded the next working day", "2026-11-23 09:00", "2026-11-24 09:00", 1, false},
		{"Friday's call logged on Monday", "2026-11-20 16:00", "2026-11-23 09:00", 1, false},
		{"two working days later", "2026-11-23 09:00", "2026-11-25 09:00", 2, true},
		{"Thursday's call logged on Monday", "2026-11-19 16:00", "2026-11-23 09:00", 2, true},
		// Good Friday and Easter Monday 2027 (26, 29 March) are not working days.
		{"over Easter", "2027-03-25 12:00", "2027-03-30 09:00", 1, false},
		{"over Easter and one more day", "2027-03-25 12:00", "2027-03-31 09:00", 2, true},
		// 25, 28 December 2026 are bank holidays (28th the substitute for
		// Boxing Day) and 29 December the landlord's closure day.
		{"over Christmas and a closure day", "2026-12-24 12:00", "2026-12-30 09:00", 1, false},
		{"dated after it was recorded", "2026-11-30 09:00", "2026-11-23 09:00", 0, false},
		// 23:30 UTC on 20 May is 00:30 on 21 May in London: one working
		// day before 22 May, where UTC's date would make it two.
		{"London dates, not UTC", "2026-05-20 23:30", "2026-05-22 10:00", 1, false},
		// The calendar does not know 2045's bank holidays: weekdays count.
		{"beyond the holiday table", "2045-01-02 09:00", "2045-01-05 09:00", 3, true},
	} {
		at, recorded := london(tt.at), london(tt.recorded)
		if tt.name == "London dates, not UTC" {
			at = time.Date(2026, 5, 20, 23, 30, 0, 0, time.UTC)
		}
		days, late := RecordedLate(cal, at, recorded)
		if days != tt.days || late != tt.late {
			t.Errorf("%s: RecordedLate(%s, %s) = %d, %v; want %d, %v", tt.name, tt.at, tt.recorded, days, late, tt.days, tt.late)
		}
	}
}
