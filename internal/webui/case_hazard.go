package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// Awaab's Law on the case page and the dashboard (issue 14): the hazard's
// class, when the landlord became aware of it, whether the law applies,
// and each statutory clock with its due time and time left; forms to
// classify the hazard, record its steps and alternative accommodation;
// and a prompt to triage a case whose words suggest a hazard. The domain
// (complaint.ClassifyHazard and its siblings) holds every rule; this
// file only shows and asks.

// The forms of the case page's Awaab's Law section, as posted to
// /cases/{ref}/{command}; each is also the id of its part of the
// section, which the error summary links to.
const (
	formHazard        = "hazard"
	formHazardStep    = "hazard-step"
	formAccommodation = "accommodation"
)

// awareLayout is how the classification form shows and reads the time the
// landlord became aware, in London.
const awareLayout = "2006-01-02 15:04"

// hazardClassOptions are the classes as the form offers them.
var hazardClassOptions = []option{
	{string(complaint.HazardEmergency), "Emergency: an imminent and significant risk of harm; investigate and make safe within 24 hours"},
	{string(complaint.HazardSignificant), "Significant: a significant risk of harm, such as damp and mould; investigate within 10 working days"},
	{string(complaint.HazardNone), "Not a hazard: what was reported is not one (give the reason)"},
}

// hazardStepOptions are the steps as the form offers them.
var hazardStepOptions = []option{
	{complaint.StepInvestigated, "Investigated, with the findings"},
	{complaint.StepSummarySent, "Written summary of the findings sent to the resident"},
	{complaint.StepMadeSafe, "Made safe (an emergency), or the safety work done (a significant hazard)"},
	{complaint.StepPreventativeBegun, "Further preventative works begun"},
	{complaint.StepPreventativeNotPracticable, "Further works cannot reasonably begin within the short time (give the reason)"},
}

// accommodationOptions are the statuses of alternative accommodation.
var accommodationOptions = []option{
	{"offered", "Offered"}, {"accepted", "Accepted by the resident"}, {"declined", "Declined by the resident"},
}

// hazardClassName names a class for people.
func hazardClassName(c complaint.HazardClass) string {
	switch c {
	case complaint.HazardEmergency:
		return "Emergency hazard"
	case complaint.HazardSignificant:
		return "Significant hazard"
	case complaint.HazardNone:
		return "Not a hazard"
	}
	return report.Words(string(c))
}

// hazardClockRow is one statutory clock as the page shows it.
type hazardClockRow struct {
	Name string
	// Due is when it runs out: the time for a clock in hours, the day
	// for one in working days.
	Due string
	// Left is the time left while the clock runs ("5 hours 10 minutes
	// left", "3 working days left", "due today").
	Left   string
	Missed bool
	// Met is when its step was recorded; Late if after the due time.
	Met  string
	Late bool
}

// hazardClockRowOf describes a clock at now.
func (s *Server) hazardClockRowOf(k complaint.HazardClock, now time.Time) hazardClockRow {
	row := hazardClockRow{Name: k.Name, Due: "by the end of " + formatDate(k.DueDate)}
	if k.Hours {
		row.Due = "by " + formatTime(k.Due)
	}
	if !k.MetAt.IsZero() {
		row.Met, row.Late = formatTime(k.MetAt), !k.Met()
		return row
	}
	if k.Missed(now) {
		row.Missed = true
		return row
	}
	if k.Hours {
		row.Left = hoursLeft(k.Due.Sub(now)) + " left"
		return row
	}
	today := calendar.DateOf(now)
	switch n, _ := s.Calendar.WorkingDaysBetween(today, k.DueDate); {
	case k.DueDate == today || n <= 0:
		row.Left = "due today"
	case n == 1:
		row.Left = "1 working day left"
	default:
		row.Left = fmt.Sprintf("%d working days left", n)
	}
	return row
}

// hoursLeft writes a duration in hours and minutes: "5 hours 10 minutes".
func hoursLeft(d time.Duration) string {
	m := int(d / time.Minute)
	h, m := m/60, m%60
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case h == 0:
		return plural(m, "minute")
	case m == 0:
		return plural(h, "hour")
	}
	return plural(h, "hour") + " " + plural(m, "minute")
}

// hazardView is what the case page's Awaab's Law section shows.
type hazardView struct {
	Hazard    *complaint.Hazard
	ClassName string
	// Statutory is whether Awaab's Law applies (complaint.Case.Statutory);
	// NotStatutory says plainly why not, where a hazard is classified
	// and it does not; TenureUnknown that it is taken to apply until the
	// tenure is recorded.
	Statutory     bool
	NotStatutory  string
	TenureUnknown bool
	Clocks        []hazardClockRow
	Accommodation []accommodationRow
	// Triage lists the words that suggest a hazard, where none is
	// classified: a prompt, never a decision.
	Triage []string
	CanAct bool
	// Form is what the classification form shows: what was typed, after
	// it failed; else the class recorded and the time of awareness (the
	// one recorded, or the receipt).
	Form     url.Values
	Classes  []option
	Steps    []option
	Statuses []option
}

// accommodationRow is alternative accommodation offered, accepted or
// declined.
type accommodationRow struct{ Status, At, By, Note string }

// newHazardView builds the section for u at now; notes are the texts of
// the information added to the case (its notes), read by the triage
// prompt with its summary and description.
func (s *Server) newHazardView(u store.User, c complaint.Case, notes []string, now time.Time, active string, form url.Values) hazardView {
	v := hazardView{Hazard: c.Hazard, CanAct: auth.Role(u.Role).CanAct(), Classes: hazardClassOptions,
		Steps: hazardStepOptions, Statuses: accommodationOptions}
	aware := c.ReceivedAt
	if h := c.Hazard; h != nil {
		aware = h.AwareAt
		v.ClassName = hazardClassName(h.Class)
		v.Statutory = c.Statutory()
		if h.Class != complaint.HazardNone {
			switch c.Tenure {
			case "":
				v.TenureUnknown = true
			case "low_cost_home_ownership":
				v.NotStatutory = "the resident is a shared owner (low-cost home ownership), not a tenant who rents"
			case "low_cost_rental":
			default:
				v.NotStatutory = "the resident's tenure is not a social rented tenancy (for example a leaseholder)"
			}
		}
		for _, k := range h.Clocks {
			v.Clocks = append(v.Clocks, s.hazardClockRowOf(k, now))
		}
		for _, a := range h.Accommodation {
			v.Accommodation = append(v.Accommodation, accommodationRow{Status: report.Words(a.Status), At: formatTime(a.At), By: a.By, Note: a.Note})
		}
	} else {
		v.Triage = hazardMentions(append([]string{c.Summary, c.Description, c.DesiredOutcome}, notes...)...)
	}
	v.Form = form
	if active != formHazard {
		v.Form = url.Values{"aware_at": {aware.In(calendar.London).Format(awareLayout)}}
		if c.Hazard != nil {
			v.Form.Set("class", string(c.Hazard.Class))
		}
	}
	return v
}

// hazardWords are what the triage prompt looks for: words residents use
// for the hazards Awaab's Law and the Housing Health and Safety Rating
// System name. Each is a whole word or phrase, case folded.
var hazardWords = []struct {
	name string
	re   *regexp.Regexp
}{
	{"damp", regexp.MustCompile(`(?i)\bdamp\w*`)},
	{"mould", regexp.MustCompile(`(?i)\bmou?ld\w*`)},
	{"condensation", regexp.MustCompile(`(?i)\bcondensation\b`)},
	{"gas", regexp.MustCompile(`(?i)\bgas\b`)},
	{"carbon monoxide", regexp.MustCompile(`(?i)\bcarbon monoxide\b|\bCO alarm\b`)},
	{"electrics", regexp.MustCompile(`(?i)\belectric\w*`)},
	{"wiring", regexp.MustCompile(`(?i)\bwir(?:ing|es)\b`)},
	{"sparks", regexp.MustCompile(`(?i)\bspark\w*`)},
	{"leak", regexp.MustCompile(`(?i)\bleak\w*`)},
	{"flood", regexp.MustCompile(`(?i)\bflood\w*`)},
	{"no heating", regexp.MustCompile(`(?i)\bno (?:central )?heat(?:ing)?\b|\b(?:heating|boiler)(?: is| has)? (?:not working|broken|broke down|failed)\b`)},
	{"no hot water", regexp.MustCompile(`(?i)\bno hot water\b`)},
	{"asbestos", regexp.MustCompile(`(?i)\basbestos\b`)},
	{"fire", regexp.MustCompile(`(?i)\bfire\b|\bsmoke\b|\bburning smell\b`)},
	{"structural", regexp.MustCompile(`(?i)\bcollaps\w*|\bceiling (?:fell|falling|coming down)\b`)},
}

// hazardMentions returns, in a fixed order, the hazards the texts
// mention (damp, mould, gas, electrics, leaks and similar), each once.
// It only prompts an officer to triage; it decides nothing.
func hazardMentions(texts ...string) []string {
	all := strings.Join(texts, "\n")
	var out []string
	for _, w := range hazardWords {
		if w.re.MatchString(all) {
			out = append(out, w.name)
		}
	}
	return out
}

// noteTexts are the texts of the notes added to the case, from its
// events.
func noteTexts(evs []complaint.Event) []string {
	var out []string
	for _, ev := range evs {
		if ev.Kind != complaint.EventNoteAdded {
			continue
		}
		raw, _ := ev.Data.(json.RawMessage)
		var m struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Text != "" {
			out = append(out, m.Text)
		}
	}
	return out
}

// hazardCommand reads the Awaab's Law forms.
func hazardCommand(r *http.Request, c complaint.Case, name string) (complaint.Command, []fieldError) {
	f := r.PostForm
	switch name {
	case formHazardStep:
		return complaint.RecordHazardStep{Step: f.Get("step"), Findings: f.Get("findings"), Note: f.Get("note")}, nil
	case formAccommodation:
		return complaint.RecordAccommodation{Status: f.Get("status"), Note: f.Get("note")}, nil
	}
	cmd := complaint.ClassifyHazard{Class: complaint.HazardClass(f.Get("class")), Description: f.Get("description"), Reason: f.Get("reason")}
	aware := c.ReceivedAt
	if c.Hazard != nil {
		aware = c.Hazard.AwareAt
	}
	// The form shows the awareness already recorded (or the receipt) to
	// the minute; sent back unchanged it is left to the rules' default,
	// so its seconds are kept.
	v := strings.TrimSpace(strings.Replace(f.Get("aware_at"), "T", " ", 1))
	if v != "" && v != aware.In(calendar.London).Format(awareLayout) {
		t, ok := parseAware(v)
		if !ok {
			return nil, []fieldError{{"aware_at", "Enter the date and time the landlord became aware, like 23 11 2026 14:30"}}
		}
		cmd.AwareAt = &t
	}
	return cmd, nil
}

// parseAware reads a date and time in London as staff type them: the
// date as readDate reads one box (23/11/2026, 23 11 2026, 2026-11-23,
// 23 November 2026), then the time on the 24-hour clock (14:30).
func parseAware(v string) (time.Time, bool) {
	i := strings.LastIndexAny(v, " ")
	if i < 0 {
		return time.Time{}, false
	}
	hm, err := time.Parse("15:04", strings.TrimSpace(v[i+1:]))
	if err != nil {
		return time.Time{}, false
	}
	iso, msg := parseUKDate(v[:i], "date")
	if msg != "" || iso == "" {
		return time.Time{}, false
	}
	d := calendar.MustParseDate(iso)
	return time.Date(d.Year(), d.Month(), d.Day(), hm.Hour(), hm.Minute(), 0, 0, calendar.London), true
}

// hazardDetail describes an Awaab's Law event for the timeline.
func hazardDetail(kind complaint.EventKind, m map[string]any) []string {
	var out []string
	str := func(k string) string { s, _ := m[k].(string); return s }
	add := func(label, k string) {
		if s := str(k); s != "" {
			out = append(out, label+": "+s)
		}
	}
	switch kind {
	case complaint.EventHazardClassified:
		out = append(out, "Class: "+hazardClassName(complaint.HazardClass(str("class"))))
		if t, err := time.Parse(time.RFC3339Nano, str("aware_at")); err == nil {
			out = append(out, "Landlord aware since "+formatTime(t))
		}
		add("Description", "description")
		add("Reason", "reason")
	case complaint.EventHazardStep:
		step := report.Words(str("step"))
		for _, o := range hazardStepOptions {
			if o.Value == str("step") {
				step = o.Label
			}
		}
		out = append(out, "Step: "+step)
		add("Findings", "findings")
		add("Note", "note")
	case complaint.EventAccommodationRecorded:
		out = append(out, "Alternative accommodation: "+strings.ToLower(report.Words(str("status"))))
		add("Note", "note")
	}
	return out
}

// hazardRow is a case in the dashboard's Awaab's Law list.
type hazardRow struct {
	Case      complaint.Case
	ClassName string
	Clock     hazardClockRow
}

// hazardRows describes the store's list (store.HazardStore), in its
// order, at now.
func (s *Server) hazardRows(cases []complaint.Case, now time.Time) []hazardRow {
	var rows []hazardRow
	for _, c := range cases {
		k, ok := store.NextHazardClock(c)
		if !ok {
			continue
		}
		rows = append(rows, hazardRow{Case: c, ClassName: hazardClassName(c.Hazard.Class), Clock: s.hazardClockRowOf(k, now)})
	}
	return rows
}
