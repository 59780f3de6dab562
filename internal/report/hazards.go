package report

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// Awaab's Law reporting (issue 14, item 5): the hazards a landlord
// became aware of in a reporting year, by class and by how they came in,
// whether each statutory clock was met, missed or is still running, and
// how long making them safe took. Every count carries the cases behind
// it, so that a figure can be checked case by case; a case the viewer may
// not see is counted, never named.

// HazardFact is one case's hazard as the reports count it. Storage keeps
// it, derived by HazardFactOf, beside every case that has a hazard.
type HazardFact struct {
	// Reference is the case's; empty, with Hidden set, for a case the
	// viewer may not see.
	Reference string                `json:"reference,omitempty"`
	Hidden    bool                  `json:"hidden,omitempty"`
	Class     complaint.HazardClass `json:"class"`
	// Complaint is whether it came in through a complaint (the case is
	// one) rather than through another contact.
	Complaint bool              `json:"complaint"`
	Channel   complaint.Channel `json:"channel"`
	// Statutory is whether Awaab's Law applies (complaint.Case.Statutory):
	// only then are the clocks counted.
	Statutory  bool                    `json:"statutory"`
	AwareAt    time.Time               `json:"aware_at"`
	MadeSafeAt time.Time               `json:"made_safe_at,omitzero"`
	Clocks     []complaint.HazardClock `json:"clocks,omitempty"`
}

// HazardFactOf returns the case's hazard as the reports count it, and
// false if the case has none.
func HazardFactOf(c *complaint.Case) (HazardFact, bool) {
	h := c.Hazard
	if h == nil {
		return HazardFact{}, false
	}
	return HazardFact{
		Reference: c.Reference, Class: h.Class, Complaint: c.Kind == complaint.KindComplaint, Channel: c.Channel,
		Statutory: c.Statutory(), AwareAt: h.AwareAt, MadeSafeAt: h.MadeSafeAt, Clocks: slices.Clone(h.Clocks),
	}, true
}

// HazardCount is a number of hazards and the cases behind it: those the
// viewer may see by reference, and how many more they may not.
type HazardCount struct {
	N          int      `json:"n"`
	References []string `json:"references"`
	Hidden     int      `json:"hidden"`
}

func (n *HazardCount) add(f HazardFact) {
	n.N++
	if f.Hidden {
		n.Hidden++
		return
	}
	n.References = append(n.References, f.Reference)
}

// HazardRow is a labelled count.
type HazardRow struct {
	Key   string      `json:"key"`
	Label string      `json:"label"`
	Count HazardCount `json:"count"`
}

// HazardClockRow counts one statutory clock of one class: met in time,
// missed (run out, or met late), still running, and waiting for the
// investigation that starts it.
type HazardClockRow struct {
	Class   complaint.HazardClass `json:"class"`
	Code    string                `json:"code"`
	Label   string                `json:"label"`
	Met     HazardCount           `json:"met"`
	Missed  HazardCount           `json:"missed"`
	Running HazardCount           `json:"running"`
	Waiting HazardCount           `json:"waiting"`
}

// MakeSafeTimes is how long the hazards of a class took to make safe,
// from awareness: in hours for emergencies, in working days for
// significant hazards. Median is nearest rank, as Percentiles: the lower
// middle value of an even number.
type MakeSafeTimes struct {
	Class   complaint.HazardClass `json:"class"`
	Unit    string                `json:"unit"` // "hours" or "working days"
	Count   HazardCount           `json:"count"`
	Median  float64               `json:"median"`
	Longest float64               `json:"longest"`
	// LongestCase is the case that took longest (empty if hidden).
	LongestCase string `json:"longest_case,omitempty"`
	// NotMadeSafe counts the hazards of the class not yet made safe.
	NotMadeSafe HazardCount `json:"not_made_safe"`
}

// Hazards is a reporting year's Awaab's Law figures.
type Hazards struct {
	Year Year      `json:"year"`
	From string    `json:"from"`
	To   string    `json:"to"`
	AsOf time.Time `json:"as_of"`
	// Reported counts every hazard the landlord became aware of in the
	// year and has classed emergency or significant; NotHazards those
	// first classed and then found not to be a hazard.
	Reported   HazardCount `json:"reported"`
	NotHazards HazardCount `json:"not_hazards"`
	ByClass    []HazardRow `json:"by_class"`
	// ByRoute splits Reported by whether it came through a complaint;
	// ByChannel by the contact's channel.
	ByRoute   []HazardRow `json:"by_route"`
	ByChannel []HazardRow `json:"by_channel"`
	// OutsideLaw counts the hazards of tenures Awaab's Law does not cover
	// (leaseholders, shared owners): reported, but with no clocks counted.
	OutsideLaw HazardCount      `json:"outside_law"`
	Clocks     []HazardClockRow `json:"clocks"`
	MakeSafe   []MakeSafeTimes  `json:"make_safe"`
	Notes      []string         `json:"notes,omitempty"`
}

// hazardClockCodes are each class's clocks, in the order they run.
var hazardClockCodes = map[complaint.HazardClass][]string{
	complaint.HazardEmergency:   {"investigate", "make_safe"},
	complaint.HazardSignificant: {"investigate", "summary", "safety_works", "preventative_works"},
}

// HazardClockLabel names a clock for a report.
func HazardClockLabel(code string) string {
	switch code {
	case "investigate":
		return "Investigation"
	case "make_safe":
		return "Made safe"
	case "summary":
		return "Written summary"
	case "safety_works":
		return "Safety work"
	case "preventative_works":
		return "Further works begun"
	}
	return code
}

// HazardClassLabel names a class for a report.
func HazardClassLabel(c complaint.HazardClass) string {
	switch c {
	case complaint.HazardEmergency:
		return "Emergency"
	case complaint.HazardSignificant:
		return "Significant"
	case complaint.HazardNone:
		return "Found not to be a hazard"
	}
	return string(c)
}

// ComputeHazards counts a year's hazards from their facts, as at now:
// a clock not met whose time has run out by now is missed, one not yet
// run out is running. Working days are the calendar's. Facts outside the
// year (by the London date of awareness) are left out.
func ComputeHazards(y Year, facts []HazardFact, cal *calendar.Calendar, now time.Time) Hazards {
	from, to := y.Dates()
	h := Hazards{Year: y, From: from.String(), To: to.String(), AsOf: now}
	facts = slices.Clone(facts)
	slices.SortStableFunc(facts, func(a, b HazardFact) int {
		return cmp.Or(a.AwareAt.Compare(b.AwareAt), cmp.Compare(a.Reference, b.Reference))
	})
	classes := []complaint.HazardClass{complaint.HazardEmergency, complaint.HazardSignificant}
	byClass := map[complaint.HazardClass]*HazardCount{}
	for _, c := range classes {
		byClass[c] = &HazardCount{}
	}
	var viaComplaint, viaOther HazardCount
	byChannel := map[complaint.Channel]*HazardCount{}
	type clockKey struct {
		class complaint.HazardClass
		code  string
	}
	clocks := map[clockKey]*HazardClockRow{}
	for _, c := range classes {
		for _, code := range hazardClockCodes[c] {
			row := &HazardClockRow{Class: c, Code: code, Label: HazardClockLabel(code)}
			clocks[clockKey{c, code}] = row
		}
	}
	type timed struct {
		v   float64
		ref string
	}
	times := map[complaint.HazardClass][]timed{}
	safe := map[complaint.HazardClass]*MakeSafeTimes{
		complaint.HazardEmergency:   {Class: complaint.HazardEmergency, Unit: "hours"},
		complaint.HazardSignificant: {Class: complaint.HazardSignificant, Unit: "working days"},
	}
	uncounted := 0
	for _, f := range facts {
		if d := calendar.DateOf(f.AwareAt); d.Before(from) || d.After(to) {
			continue
		}
		if f.Class == complaint.HazardNone {
			h.NotHazards.add(f)
			continue
		}
		n, ok := byClass[f.Class]
		if !ok {
			continue
		}
		h.Reported.add(f)
		n.add(f)
		if f.Complaint {
			viaComplaint.add(f)
		} else {
			viaOther.add(f)
		}
		if byChannel[f.Channel] == nil {
			byChannel[f.Channel] = &HazardCount{}
		}
		byChannel[f.Channel].add(f)
		if !f.Statutory {
			h.OutsideLaw.add(f)
		} else {
			for _, code := range hazardClockCodes[f.Class] {
				row := clocks[clockKey{f.Class, code}]
				i := slices.IndexFunc(f.Clocks, func(k complaint.HazardClock) bool { return k.Code == code })
				switch {
				case i < 0:
					row.Waiting.add(f)
				case f.Clocks[i].Met():
					row.Met.add(f)
				case f.Clocks[i].Missed(now):
					row.Missed.add(f)
				default:
					row.Running.add(f)
				}
			}
		}
		st := safe[f.Class]
		if f.MadeSafeAt.IsZero() {
			st.NotMadeSafe.add(f)
			continue
		}
		var v float64
		if f.Class == complaint.HazardEmergency {
			v = math.Round(f.MadeSafeAt.Sub(f.AwareAt).Hours()*10) / 10
		} else {
			wd, err := cal.WorkingDaysBetween(calendar.DateOf(f.AwareAt), calendar.DateOf(f.MadeSafeAt))
			if err != nil {
				// Only for want of the year's bank holidays.
				uncounted++
				continue
			}
			v = float64(wd)
		}
		st.Count.add(f)
		ref := f.Reference
		times[f.Class] = append(times[f.Class], timed{v, ref})
	}
	for _, c := range classes {
		h.ByClass = append(h.ByClass, HazardRow{Key: string(c), Label: HazardClassLabel(c), Count: *byClass[c]})
		for _, code := range hazardClockCodes[c] {
			h.Clocks = append(h.Clocks, *clocks[clockKey{c, code}])
		}
		st := safe[c]
		ts := times[c]
		if len(ts) > 0 {
			slices.SortStableFunc(ts, func(a, b timed) int { return cmp.Compare(a.v, b.v) })
			st.Median = ts[(len(ts)-1)/2].v
			st.Longest, st.LongestCase = ts[len(ts)-1].v, ts[len(ts)-1].ref
		}
		h.MakeSafe = append(h.MakeSafe, *st)
	}
	h.ByRoute = []HazardRow{
		{Key: "complaint", Label: "Through a complaint", Count: viaComplaint},
		{Key: "other", Label: "Through another contact", Count: viaOther},
	}
	for _, ch := range complaint.Channels {
		if n := byChannel[ch]; n != nil {
			h.ByChannel = append(h.ByChannel, HazardRow{Key: string(ch), Label: channelLabel(ch), Count: *n})
			delete(byChannel, ch)
		}
	}
	for _, ch := range slices.Sorted(maps.Keys(byChannel)) {
		h.ByChannel = append(h.ByChannel, HazardRow{Key: string(ch), Label: channelLabel(ch), Count: *byChannel[ch]})
	}
	h.Notes = append(h.Notes,
		"A hazard counts in the year the landlord became aware of it. Each clock is counted as it stood at "+now.In(calendar.London).Format("2 January 2006 15:04")+": met means its step was recorded in time; missed means its time ran out first, whether or not the step has since been done.",
		"Clocks are counted only where Awaab's Law applies: not for leaseholders or shared owners, whose landlord's other hazard duties still apply.",
		"Time to make safe runs from awareness: in hours for emergency hazards, in working days for significant hazards.")
	if uncounted > 0 {
		h.Notes = append(h.Notes, fmt.Sprintf("%d significant hazards made safe are left out of the time to make safe: the calendar has no bank holidays for their dates.", uncounted))
	}
	return h
}

// channelLabel names a channel in words.
func channelLabel(ch complaint.Channel) string {
	switch ch {
	case "in_person":
		return "In person"
	case "social_media":
		return "Social media"
	case "web":
		return "Web form"
	case "":
		return "Not recorded"
	}
	s := string(ch)
	return string(s[0]-'a'+'A') + s[1:]
}

// HazardSummary is the short, anonymous section of a board pack or
// annual report on Awaab's Law: counts only, naming no case.
type HazardSummary struct {
	Reported, Emergency, Significant, ViaComplaint, ViaOther int
	Met, Missed, Running                                     int
	EmergencyMedianHours, SignificantMedianDays              float64
	EmergencyMadeSafe, SignificantMadeSafe                   int
}

// Summary counts the year's figures for a pack, without references.
func (h Hazards) Summary() HazardSummary {
	s := HazardSummary{Reported: h.Reported.N}
	for _, r := range h.ByClass {
		switch r.Key {
		case string(complaint.HazardEmergency):
			s.Emergency = r.Count.N
		case string(complaint.HazardSignificant):
			s.Significant = r.Count.N
		}
	}
	for _, r := range h.ByRoute {
		if r.Key == "complaint" {
			s.ViaComplaint = r.Count.N
		} else {
			s.ViaOther = r.Count.N
		}
	}
	for _, k := range h.Clocks {
		s.Met, s.Missed, s.Running = s.Met+k.Met.N, s.Missed+k.Missed.N, s.Running+k.Running.N
	}
	for _, m := range h.MakeSafe {
		switch m.Class {
		case complaint.HazardEmergency:
			s.EmergencyMedianHours, s.EmergencyMadeSafe = m.Median, m.Count.N
		case complaint.HazardSignificant:
			s.SignificantMedianDays, s.SignificantMadeSafe = m.Median, m.Count.N
		}
	}
	return s
}
