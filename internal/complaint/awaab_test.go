package complaint

import (
	"testing"
	"time"
)

// clock returns the hazard's clock with code, failing the test if there
// is none.
func clock(t *testing.T, c Case, code string) HazardClock {
	t.Helper()
	if c.Hazard == nil {
		t.Fatalf("the case has no hazard")
	}
	for _, k := range c.Hazard.Clocks {
		if k.Code == code {
			return k
		}
	}
	t.Fatalf("no %s clock in %+v", code, c.Hazard.Clocks)
	return HazardClock{}
}

// An emergency hazard is investigated and made safe within 24 hours of
// awareness, counted in hours: weekends, bank holidays and the change of
// the clocks all count as the hours they are.
func TestAwaabEmergencyClockIsTwentyFourHours(t *testing.T) {
	tests := []struct {
		name, aware, due string
	}{
		{"over a weekend", "2026-12-12 09:00", "2026-12-13 09:00"},
		{"into Christmas Day", "2026-12-24 18:00", "2026-12-25 18:00"},
		{"into the summer bank holiday", "2026-08-30 10:00", "2026-08-31 10:00"},
		// The clocks go back at 02:00 on Sun 25 Oct 2026: 24 hours from
		// 12:00 BST is 11:00 GMT.
		{"across the end of summer time", "2026-10-24 12:00", "2026-10-25 11:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			aware := london(tt.aware)
			c := f.create(validCreate(), tt.aware)
			c = f.must(c, tt.aware, officer, ClassifyHazard{Class: HazardEmergency, AwareAt: &aware, Description: "Gas smell in the kitchen"})
			for _, code := range []string{"investigate", "make_safe"} {
				k := clock(t, c, code)
				if !k.Hours || !k.Due.Equal(london(tt.due)) {
					t.Errorf("%s due %v (hours %v), want %s", code, k.Due.In(london(tt.due).Location()), k.Hours, tt.due)
				}
			}
			// Made safe a minute late is missed, though on the same day.
			late := london(tt.due).Add(time.Minute)
			env := f.env
			env.Now, env.At = late, late
			next, _, err := Decide(c, RecordHazardStep{Step: StepMadeSafe, Note: "Capped the supply"}, env)
			if err != nil {
				t.Fatal(err)
			}
			if k := clock(t, next, "make_safe"); k.Met() || !k.Missed(late) {
				t.Errorf("made safe a minute after the 24 hours: met %v", k.Met())
			}
		})
	}
}

// A significant hazard: investigated within 10 working days of awareness;
// the written summary within 3, the safety work and the beginning of the
// further works within 5 working days of the investigation's end, or the
// further works within 12 weeks where sooner is not reasonably
// practicable.
func TestAwaabSignificantClocks(t *testing.T) {
	f := newFixture(t, "code-2024")
	// Aware Mon 21 Dec 2026: 22, 23, 24, 29, 30, 31 Dec, 4-7 Jan (25 and
	// 28 Dec and 1 Jan are bank holidays): Thu 7 Jan 2027.
	c := f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant, Description: "Black mould in the child's bedroom"})
	if !c.Hazard.AwareAt.Equal(c.ReceivedAt) {
		t.Errorf("aware_at %v, want the receipt %v by default", c.Hazard.AwareAt, c.ReceivedAt)
	}
	if k := clock(t, c, "investigate"); k.DueDate != date("2027-01-07") || k.Hours {
		t.Errorf("investigate due %s, want 2027-01-07", k.DueDate)
	}
	if len(c.Hazard.Clocks) != 1 {
		t.Errorf("clocks before the investigation: %+v, want only the investigation's", c.Hazard.Clocks)
	}
	// The investigation ended Tue 5 Jan: summary by 6, 7, 8 Jan; safety
	// work and further works by 6, 7, 8, 11, 12 Jan.
	c = f.must(c, "2027-01-05 15:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "Mould from a failed extractor fan"})
	for code, due := range map[string]string{"investigate": "2027-01-07", "summary": "2027-01-08", "safety_works": "2027-01-12", "preventative_works": "2027-01-12"} {
		if k := clock(t, c, code); k.DueDate != date(due) {
			t.Errorf("%s due %s, want %s", code, k.DueDate, due)
		}
	}
	if k := clock(t, c, "investigate"); !k.Met() {
		t.Error("an investigation two days early is not met")
	}
	// Where the further works cannot begin in 5 working days: within 12
	// weeks of the investigation, Tue 30 Mar 2027.
	c = f.must(c, "2027-01-06 10:00", officer, RecordHazardStep{Step: StepPreventativeNotPracticable, Note: "The wall needs a damp-proof course: a specialist contractor"})
	if k := clock(t, c, "preventative_works"); k.DueDate != date("2027-03-30") {
		t.Errorf("further works due %s once not practicable, want 2027-03-30", k.DueDate)
	}
	// A complaint extension never moves a hazard clock.
	c = f.must(c, "2027-01-06 11:00", officer, Acknowledge{Points: []string{"Mould"}})
	c = f.must(c, "2027-01-06 12:00", officer, Extend{WorkingDays: 5, Reason: "Survey", OmbudsmanDetailsGiven: true})
	if k := clock(t, c, "summary"); k.DueDate != date("2027-01-08") {
		t.Errorf("summary due %s after a complaint extension, want 2027-01-08 still", k.DueDate)
	}
	// Sent Mon 11 Jan: late.
	c = f.must(c, "2027-01-11 09:00", officer, RecordHazardStep{Step: StepSummarySent})
	if k := clock(t, c, "summary"); k.Met() || !k.Missed(london("2027-01-11 09:00")) {
		t.Error("a summary sent a working day late is not missed")
	}
}

// Awareness is dated from the first mention, even when the case was
// logged later: mentioned by phone on Thu 17 Dec 2026 and logged Mon 21
// Dec, the investigation is due 10 working days from 17 Dec: 18, 21, 22,
// 23, 24, 29, 30, 31 Dec, 4, 5 Jan.
func TestAwaabAwarenessFromTheFirstMention(t *testing.T) {
	f := newFixture(t, "code-2024")
	first := london("2026-12-17 15:00")
	c := f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant, AwareAt: &first})
	if k := clock(t, c, "investigate"); k.DueDate != date("2027-01-05") {
		t.Errorf("investigate due %s, want 2027-01-05", k.DueDate)
	}
	// Never later than it is recorded.
	later := london("2026-12-21 12:00")
	_, _, err := f.decide(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant, AwareAt: &later})
	wantError(t, err, Invalid, "aware_at")
}

func TestAwaabRules(t *testing.T) {
	significant := func(f *fixture) Case {
		return f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant})
	}
	emergency := func(f *fixture) Case {
		return f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardEmergency})
	}
	investigated := func(f *fixture) Case {
		return f.must(significant(f), "2026-12-22 10:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "Mould"})
	}
	tests := []struct {
		name   string
		c      func(*fixture) Case
		cmd    Command
		code   string
		fields []string
	}{
		{"a class is required", (*fixture).received, ClassifyHazard{}, Invalid, []string{"class"}},
		{"an unknown class", (*fixture).received, ClassifyHazard{Class: "severe"}, Invalid, []string{"class"}},
		{"none needs a reason", significant, ClassifyHazard{Class: HazardNone}, Invalid, []string{"reason"}},
		{"none with no hazard", (*fixture).received, ClassifyHazard{Class: HazardNone, Reason: "x"}, Conflict, nil},
		{"a step with no hazard", (*fixture).received, RecordHazardStep{Step: StepMadeSafe}, Conflict, nil},
		{"an unknown step", significant, RecordHazardStep{Step: "fixed"}, Invalid, []string{"step"}},
		{"findings are required", significant, RecordHazardStep{Step: StepInvestigated}, Invalid, []string{"findings"}},
		{"investigated twice", investigated, RecordHazardStep{Step: StepInvestigated, Findings: "x"}, Conflict, nil},
		{"a summary before the investigation", significant, RecordHazardStep{Step: StepSummarySent}, Conflict, nil},
		{"a summary is not an emergency's step", emergency, RecordHazardStep{Step: StepSummarySent}, Conflict, nil},
		{"further works before the investigation", significant, RecordHazardStep{Step: StepPreventativeBegun}, Conflict, nil},
		{"not practicable needs a reason", investigated, RecordHazardStep{Step: StepPreventativeNotPracticable}, Invalid, []string{"note"}},
		{"accommodation accepted before it is offered", significant, RecordAccommodation{Status: "accepted"}, Conflict, nil},
		{"an unknown accommodation status", significant, RecordAccommodation{Status: "maybe"}, Invalid, []string{"status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "code-2024")
			_, _, err := f.decide(tt.c(f), "2026-12-23 10:00", officer, tt.cmd)
			wantError(t, err, tt.code, tt.fields...)
		})
	}
	// Accommodation offered, then declined, is kept in order.
	f := newFixture(t, "code-2024")
	c := f.must(significant(f), "2026-12-22 10:00", officer, RecordAccommodation{Status: "offered", Note: "Two-bed flat, Riverside"})
	c = f.must(c, "2026-12-22 15:00", officer, RecordAccommodation{Status: "declined"})
	if a := c.Hazard.Accommodation; len(a) != 2 || a[0].Status != "offered" || a[1].Status != "declined" {
		t.Errorf("accommodation %+v", a)
	}
	// Found not to be a hazard: no clocks.
	c = f.must(c, "2026-12-23 10:00", officer, ClassifyHazard{Class: HazardNone, Reason: "Condensation only, no mould"})
	if len(c.Hazard.Clocks) != 0 || c.Statutory() {
		t.Errorf("clocks after none: %+v", c.Hazard.Clocks)
	}
}

// Awaab's Law applies to tenants who rent; not to leaseholders or shared
// owners. A case with no tenure yet is treated as rented.
func TestAwaabAppliesToSocialRentedTenancies(t *testing.T) {
	for tenure, want := range map[Tenure]bool{"low_cost_rental": true, "": true, "low_cost_home_ownership": false, "other": false} {
		f := newFixture(t, "code-2024")
		cmd := validCreate()
		cmd.Tenure = tenure
		c := f.create(cmd, "2026-12-21 10:00")
		c = f.must(c, "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant})
		if got := c.Statutory(); got != want {
			t.Errorf("tenure %q: statutory %v, want %v", tenure, got, want)
		}
	}
}

// A landlord's faster times are used; the regulations' fill the rest.
func TestAwaabPolicyMayBeFaster(t *testing.T) {
	f := newFixture(t, "code-2024")
	p := *f.env.Policy
	p.Hazards.Emergency.MakeSafeHours = 12
	p.Hazards.Significant.InvestigateWorkingDays = 5
	f.env.Policy = &p
	c := f.must(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant})
	// 5 working days from Mon 21 Dec: 22, 23, 24, 29, 30 Dec.
	if k := clock(t, c, "investigate"); k.DueDate != date("2026-12-30") {
		t.Errorf("investigate due %s, want 2026-12-30", k.DueDate)
	}
	c = f.must(c, "2026-12-22 10:00", officer, RecordHazardStep{Step: StepInvestigated, Findings: "x"})
	if k := clock(t, c, "summary"); k.DueDate != date("2026-12-29") { // 23, 24, 29: the regulations' 3
		t.Errorf("summary due %s, want 2026-12-29", k.DueDate)
	}
}

// A hazard is a health-and-safety risk: classing one flags a case not
// yet flagged (and the event says so, for the alert), and never re-flags
// one already flagged or acknowledged.
func TestAwaabClassingAHazardFlagsTheCase(t *testing.T) {
	f := newFixture(t, "code-2024")
	c, ev, err := f.decide(f.received(), "2026-12-21 11:00", officer, ClassifyHazard{Class: HazardSignificant})
	if err != nil {
		t.Fatal(err)
	}
	if !c.HealthAndSafety || !c.SafetyWaiting() || !ev.Data.(ClassifyHazard).Flagged {
		t.Errorf("flagged %v, waiting %v, event flagged %v: want the case flagged and the event to say so", c.HealthAndSafety, c.SafetyWaiting(), ev.Data.(ClassifyHazard).Flagged)
	}
	c = f.must(c, "2026-12-21 12:00", reviewer, AcknowledgeHealthAndSafety{Note: "Surveyor booked"})
	c, ev, err = f.decide(c, "2026-12-21 13:00", officer, ClassifyHazard{Class: HazardEmergency, Flagged: true})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Data.(ClassifyHazard).Flagged || c.SafetyWaiting() {
		t.Error("reclassing a flagged, acknowledged case flagged it again")
	}
}
