package policy

import (
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Code 6.2 with 6.3 (stage 1), 6.11 with 6.14 (stage 2): counted for the
// Code, a response runs from the acknowledgement or from the day it was
// due, whichever is earlier; counted for a landlord, from the actual
// acknowledgement.
func TestLateAcknowledgementBuysNoTimeWhenCountedForTheCode(t *testing.T) {
	p := Code()
	cal, err := p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Received Mon 21 Dec 2026: acknowledgement due Wed 30 Dec (22, 23,
	// 24, 29, 30), stage 2 due Mon 18 Jan from Mon 11 Jan.
	tests := []struct {
		name         string
		stage        int
		received     string
		acknowledged string
		forTheCode   bool
		want         string
	}{
		{"stage 1 on time, for the Code", 1, "2026-12-21 10:00", "2026-12-23 10:00", true, "2027-01-11"},
		{"stage 1 on the day due, for the Code", 1, "2026-12-21 10:00", "2026-12-30 23:00", true, "2027-01-14"},
		{"stage 1 late, for the landlord", 1, "2026-12-21 10:00", "2027-01-04 10:00", false, "2027-01-18"},
		{"stage 1 late, for the Code", 1, "2026-12-21 10:00", "2027-01-04 10:00", true, "2027-01-14"},
		{"stage 2 late, for the landlord", 2, "2027-01-11 10:00", "2027-01-20 10:00", false, "2027-02-17"},
		{"stage 2 late, for the Code", 2, "2027-01-11 10:00", "2027-01-20 10:00", true, "2027-02-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl, err := p.Deadlines(cal, tt.stage, Timeline{
				Received: at(tt.received), Acknowledged: at(tt.acknowledged), AcknowledgedNoLaterThanDue: tt.forTheCode,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := dl.RespondBy.Date.String(); got != tt.want {
				t.Errorf("respond by %s, want %s", got, tt.want)
			}
		})
	}
}
