package notify

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// HazardItem is one Awaab's Law clock a digest lists (issue 14): due on
// the digest's day or already missed, with its step not yet recorded.
// Complaint extensions never move these clocks, so they are listed apart
// from the complaint's own deadlines, emergencies first.
type HazardItem struct {
	Reference    string
	Handler      string
	Emergency    bool
	What         string // the clock's name
	Due          time.Time
	Hours        bool
	Missed       bool
	Confidential bool
}

// hazardItems lists the clocks, among the cases' unmet ones, that are
// missed at now or run out by the end of day: emergencies first, then by
// due time.
func hazardItems(cases []complaint.Case, day calendar.Date, now time.Time) []HazardItem {
	end := day.AddDays(1).Start()
	var out []HazardItem
	for _, c := range cases {
		if !c.Statutory() {
			continue
		}
		for _, k := range c.Hazard.Clocks {
			if !k.MetAt.IsZero() || !k.Due.Before(end) {
				continue
			}
			out = append(out, HazardItem{Reference: c.Reference, Handler: c.Handler, Emergency: c.Hazard.Class == complaint.HazardEmergency,
				What: k.Name, Due: k.Due, Hours: k.Hours, Missed: k.Missed(now), Confidential: c.Confidential})
		}
	}
	slices.SortStableFunc(out, func(a, b HazardItem) int {
		return cmp.Or(-boolCmp(a.Emergency, b.Emergency), a.Due.Compare(b.Due), cmp.Compare(a.Reference, b.Reference))
	})
	return out
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// hazardItemsFor keeps a user's clocks: those on the cases they handle,
// and for a manager every one, since a statutory clock missed is the
// landlord's and no manager should learn of it late.
func hazardItemsFor(items []HazardItem, u store.User) []HazardItem {
	var out []HazardItem
	for _, it := range items {
		if auth.Role(u.Role) == auth.Manager || strings.EqualFold(it.Handler, u.Email) {
			out = append(out, it)
		}
	}
	return out
}

// withHazards puts the user's Awaab's Law clocks at the top of their
// digest and counts them in its subject.
func withHazards(m *store.OutboundMessage, items []HazardItem, s Settings) {
	if len(items) == 0 {
		return
	}
	var b strings.Builder
	missed := 0
	b.WriteString("Awaab's Law: hazard clocks missed or due today (complaint extensions do not move these)\n")
	for _, it := range items {
		state := "due "
		if it.Missed {
			state, missed = "MISSED, was due ", missed+1
		}
		due := it.Due.In(calendar.London).Format("Mon 2 Jan 2006 15:04")
		if !it.Hours {
			due = shortDate(calendar.DateOf(it.Due))
		}
		class := "significant hazard"
		if it.Emergency {
			class = "EMERGENCY hazard"
		}
		ref := it.Reference
		if it.Confidential {
			ref = "a confidential case"
		}
		fmt.Fprintf(&b, "- %s (%s): %s, %s%s\n", ref, class, it.What, state, due)
		if s.BaseURL != "" && !it.Confidential {
			fmt.Fprintf(&b, "  %s/cases/%s\n", s.BaseURL, url.PathEscape(it.Reference))
		}
	}
	b.WriteString("\n")
	hello, rest, ok := strings.Cut(m.TextBody, "\n\n")
	if ok {
		m.TextBody = hello + "\n\n" + b.String() + rest
	} else {
		m.TextBody = b.String() + m.TextBody
	}
	prefix := fmt.Sprintf("Awaab's Law: %d due today", len(items)-missed)
	if missed > 0 {
		prefix = fmt.Sprintf("Awaab's Law: %d missed, %d due today", missed, len(items)-missed)
	}
	// A digest with nothing else due has a subject of the date alone,
	// which the hazard clocks replace.
	if strings.HasSuffix(m.Subject, ": ") {
		m.Subject = prefix
	} else {
		m.Subject = prefix + "; " + m.Subject
	}
}
