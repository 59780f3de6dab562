package report

import (
	"slices"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

func hazardCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(nil, "england-and-wales", nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// london is a London wall-clock instant.
func london(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, calendar.London)
}

// clock is a clock due at due, met at met (zero: not yet), in hours or
// by the day.
func clock(code string, due time.Time, hours bool, met time.Time) complaint.HazardClock {
	k := complaint.HazardClock{Code: code, Due: due, DueDate: calendar.DateOf(due), Hours: hours, MetAt: met}
	if !hours {
		k.Due = k.DueDate.AddDays(1).Start().Add(-time.Nanosecond)
	}
	return k
}

func TestComputeHazardsCountsEachClockMetMissedOrRunningAsAtNow(t *testing.T) {
	now := london(2026, 12, 1, 12)
	aware := london(2026, 11, 2, 9) // a Monday
	emergency := func(ref string, madeSafe time.Time) HazardFact {
		return HazardFact{Reference: ref, Class: complaint.HazardEmergency, Statutory: true, AwareAt: aware, MadeSafeAt: madeSafe,
			Clocks: []complaint.HazardClock{clock("investigate", aware.Add(24*time.Hour), true, madeSafe), clock("make_safe", aware.Add(24*time.Hour), true, madeSafe)}}
	}
	for _, tt := range []struct {
		name                         string
		fact                         HazardFact
		code                         string
		met, missed, running, waited int
	}{
		{"an emergency made safe in 20 hours meets its clock", emergency("C-1", aware.Add(20*time.Hour)), "make_safe", 1, 0, 0, 0},
		{"an emergency made safe in 24 hours and a minute misses it", emergency("C-1", aware.Add(24*time.Hour+time.Minute)), "make_safe", 0, 1, 0, 0},
		{"an emergency never made safe has missed it once its 24 hours are up", emergency("C-1", time.Time{}), "make_safe", 0, 1, 0, 0},
		{"a significant hazard's investigation not yet due is running", HazardFact{Reference: "C-2", Class: complaint.HazardSignificant, Statutory: true, AwareAt: now.Add(-time.Hour),
			Clocks: []complaint.HazardClock{clock("investigate", london(2026, 12, 15, 0), false, time.Time{})}}, "investigate", 0, 0, 1, 0},
		{"its written summary waits for the investigation", HazardFact{Reference: "C-2", Class: complaint.HazardSignificant, Statutory: true, AwareAt: now.Add(-time.Hour),
			Clocks: []complaint.HazardClock{clock("investigate", london(2026, 12, 15, 0), false, time.Time{})}}, "summary", 0, 0, 0, 1},
		{"a step done late on its due day in London is met", HazardFact{Reference: "C-3", Class: complaint.HazardSignificant, Statutory: true, AwareAt: aware,
			Clocks: []complaint.HazardClock{clock("investigate", london(2026, 11, 16, 0), false, london(2026, 11, 16, 23))}}, "investigate", 1, 0, 0, 0},
		{"a leaseholder's hazard has no clocks counted", HazardFact{Reference: "C-4", Class: complaint.HazardEmergency, Statutory: false, AwareAt: aware,
			Clocks: []complaint.HazardClock{clock("make_safe", aware.Add(24*time.Hour), true, time.Time{})}}, "make_safe", 0, 0, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := ComputeHazards(2026, []HazardFact{tt.fact}, hazardCalendar(t), now)
			i := slices.IndexFunc(h.Clocks, func(r HazardClockRow) bool { return r.Class == tt.fact.Class && r.Code == tt.code })
			if i < 0 {
				t.Fatalf("no row for the %s clock of a %s hazard", tt.code, tt.fact.Class)
			}
			r := h.Clocks[i]
			if got := [4]int{r.Met.N, r.Missed.N, r.Running.N, r.Waiting.N}; got != [4]int{tt.met, tt.missed, tt.running, tt.waited} {
				t.Errorf("met, missed, running, waiting = %v, want %v", got, [4]int{tt.met, tt.missed, tt.running, tt.waited})
			}
			if h.Reported.N != 1 {
				t.Errorf("reported = %d, want 1", h.Reported.N)
			}
		})
	}
}

func TestComputeHazardsCountsByClassAndChannelAndDrillsDownToTheCases(t *testing.T) {
	now := london(2027, 1, 10, 12)
	aware := london(2026, 10, 5, 9)
	facts := []HazardFact{
		{Reference: "C-1", Class: complaint.HazardEmergency, Complaint: true, Channel: "phone", Statutory: true, AwareAt: aware},
		{Reference: "C-2", Class: complaint.HazardSignificant, Complaint: true, Channel: "web", Statutory: true, AwareAt: aware},
		{Reference: "C-3", Class: complaint.HazardSignificant, Complaint: false, Channel: "phone", Statutory: true, AwareAt: aware},
		{Hidden: true, Class: complaint.HazardSignificant, Complaint: false, Channel: "email", Statutory: true, AwareAt: aware},
		{Reference: "C-5", Class: complaint.HazardNone, Complaint: true, Channel: "phone", AwareAt: aware},
		// Aware in the year before: not this year's.
		{Reference: "C-6", Class: complaint.HazardEmergency, Complaint: true, Channel: "phone", Statutory: true, AwareAt: london(2026, 3, 31, 23)},
	}
	h := ComputeHazards(2026, facts, hazardCalendar(t), now)
	count := func(rows []HazardRow, key string) HazardCount {
		for _, r := range rows {
			if r.Key == key {
				return r.Count
			}
		}
		return HazardCount{}
	}
	for _, tt := range []struct {
		name   string
		got    HazardCount
		n      int
		refs   []string
		hidden int
	}{
		{"reported", h.Reported, 4, []string{"C-1", "C-2", "C-3"}, 1},
		{"emergency", count(h.ByClass, "emergency"), 1, []string{"C-1"}, 0},
		{"significant", count(h.ByClass, "significant"), 3, []string{"C-2", "C-3"}, 1},
		{"through a complaint", count(h.ByRoute, "complaint"), 2, []string{"C-1", "C-2"}, 0},
		{"through another contact", count(h.ByRoute, "other"), 2, []string{"C-3"}, 1},
		{"by phone", count(h.ByChannel, "phone"), 2, []string{"C-1", "C-3"}, 0},
		{"by email", count(h.ByChannel, "email"), 1, nil, 1},
		{"found not to be hazards", h.NotHazards, 1, []string{"C-5"}, 0},
	} {
		if tt.got.N != tt.n || !slices.Equal(tt.got.References, tt.refs) || tt.got.Hidden != tt.hidden {
			t.Errorf("%s = %d %v (+%d hidden), want %d %v (+%d hidden)", tt.name, tt.got.N, tt.got.References, tt.got.Hidden, tt.n, tt.refs, tt.hidden)
		}
	}
	if s := h.Summary(); s.Reported != 4 || s.Emergency != 1 || s.Significant != 3 || s.ViaComplaint != 2 || s.ViaOther != 2 {
		t.Errorf("summary = %+v", s)
	}
}

func TestTimeToMakeSafeIsHoursForEmergenciesAndWorkingDaysForSignificantHazards(t *testing.T) {
	now := london(2027, 2, 1, 12)
	for _, tt := range []struct {
		name            string
		class           complaint.HazardClass
		aware           time.Time
		madeSafe        []time.Time
		median, longest float64
		longestCase     string
	}{
		{"emergency hours run through a weekend", complaint.HazardEmergency, london(2026, 11, 6, 18), // a Friday evening
			[]time.Time{london(2026, 11, 7, 6), london(2026, 11, 7, 18), london(2026, 11, 6, 20)}, 12, 24, "C-1"},
		{"an even number's median is the lower middle", complaint.HazardEmergency, london(2026, 11, 6, 18),
			[]time.Time{london(2026, 11, 6, 20), london(2026, 11, 6, 22)}, 2, 4, "C-1"},
		{"significant working days skip Christmas and the weekend", complaint.HazardSignificant, london(2026, 12, 23, 9), // Wednesday
			[]time.Time{london(2026, 12, 24, 9), london(2026, 12, 29, 9), london(2027, 1, 4, 9)}, 2, 5, "C-2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var facts []HazardFact
			for i, at := range tt.madeSafe {
				facts = append(facts, HazardFact{Reference: "C-" + string(rune('0'+i)), Class: tt.class, Statutory: true, AwareAt: tt.aware, MadeSafeAt: at})
			}
			facts = append(facts, HazardFact{Reference: "C-9", Class: tt.class, Statutory: true, AwareAt: tt.aware})
			h := ComputeHazards(2026, facts, hazardCalendar(t), now)
			i := slices.IndexFunc(h.MakeSafe, func(m MakeSafeTimes) bool { return m.Class == tt.class })
			m := h.MakeSafe[i]
			if m.Median != tt.median || m.Longest != tt.longest || m.LongestCase != tt.longestCase || m.Count.N != len(tt.madeSafe) {
				t.Errorf("median %v, longest %v (%s), of %d; want %v, %v (%s), of %d", m.Median, m.Longest, m.LongestCase, m.Count.N,
					tt.median, tt.longest, tt.longestCase, len(tt.madeSafe))
			}
			if m.NotMadeSafe.N != 1 || !slices.Equal(m.NotMadeSafe.References, []string{"C-9"}) {
				t.Errorf("not made safe = %+v, want C-9", m.NotMadeSafe)
			}
		})
	}
}
