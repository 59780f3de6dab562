package evidence

import (
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/pdfdoc"
)

// hazardBlocks lays out the case's hazard under Awaab's Law (issue 14,
// item 6), since the Ombudsman investigates complaints involving hazards
// against these duties: its class and when the landlord became aware,
// each statutory clock with when it was due and whether its step was
// done in time, every step and every offer of alternative accommodation.
func hazardBlocks(c complaint.Case, now time.Time) []pdfdoc.Block {
	h := c.Hazard
	if h == nil {
		return nil
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "not yet"
		}
		return t.In(calendar.London).Format("2 January 2006 15:04")
	}
	law := "applies: a social rented tenancy"
	switch {
	case h.Class == complaint.HazardNone:
		law = "does not apply: found not to be a hazard"
	case !c.Statutory():
		law = "does not apply to this tenure (" + string(c.Tenure) + "); the landlord's other hazard duties do"
	}
	out := []pdfdoc.Block{
		pdfdoc.Heading{Level: 2, Text: "Hazard (Awaab's Law)"},
		pdfdoc.KeyValues{Pairs: [][2]string{
			{"Class", string(h.Class)},
			{"Landlord aware", when(h.AwareAt)},
			{"Description", h.Description},
			{"Classified", when(h.ClassifiedAt) + " by " + h.ClassifiedBy},
			{"Awaab's Law", law},
		}},
	}
	if len(h.Clocks) > 0 {
		t := pdfdoc.Table{Caption: "Statutory clocks", Header: []string{"Clock", "Due", "Done", "Result"}}
		for _, k := range h.Clocks {
			due := k.DueDate.Start().Format("2 January 2006") + " (end of day)"
			if k.Hours {
				due = when(k.Due)
			}
			result := "running"
			switch {
			case k.Met():
				result = "met"
			case !k.MetAt.IsZero():
				result = "missed: done late"
			case k.Missed(now):
				result = "missed: not done"
			}
			t.Rows = append(t.Rows, []string{k.Name, due, when(k.MetAt), result})
		}
		out = append(out, t)
	}
	steps := pdfdoc.Table{Caption: "Hazard steps", Header: []string{"Step", "When", "Details"}}
	for _, s := range []struct {
		name    string
		at      time.Time
		details string
	}{
		{"Investigation ended", h.InvestigatedAt, h.Findings},
		{"Written summary sent", h.SummarySentAt, ""},
		{"Made safe / safety work done", h.MadeSafeAt, ""},
		{"Further works begun", h.PreventativeAt, ""},
	} {
		if !s.at.IsZero() {
			steps.Rows = append(steps.Rows, []string{s.name, when(s.at), s.details})
		}
	}
	if h.NotPracticable != "" {
		steps.Rows = append(steps.Rows, []string{"Further works not practicable in the short time", "", h.NotPracticable})
	}
	if len(steps.Rows) > 0 {
		out = append(out, steps)
	}
	if len(h.Accommodation) > 0 {
		t := pdfdoc.Table{Caption: "Alternative accommodation", Header: []string{"Status", "When", "By", "Note"}}
		for _, a := range h.Accommodation {
			t.Rows = append(t.Rows, []string{a.Status, when(a.At), a.By, a.Note})
		}
		out = append(out, t)
	}
	if len(h.Clocks) == 0 && h.Class != complaint.HazardNone {
		out = append(out, pdfdoc.Paragraph{Text: fmt.Sprintf("No statutory clock was computed for this %s hazard.", h.Class)})
	}
	return out
}
