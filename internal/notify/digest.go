package notify

import (
	"cmp"
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// DueItem is one thing due on a case, as a digest lists it.
type DueItem struct {
	Reference string
	// What is due: "acknowledge stage 1 complaint", "complete action 2".
	What string
	Due  calendar.Date
	// Confidential items are listed without their reference: the
	// officer finds them in their case list, not in an inbox.
	Confidential bool
}

// caseItem is what is next due on an open case.
func caseItem(c *complaint.Case) DueItem {
	it := DueItem{Reference: stageRef(c, c.Stage), Due: c.NextDue(), Confidential: c.Confidential}
	switch {
	case c.Current() == nil:
		it.What = "resolve " + caseNoun(c.Kind, 0)
	case c.Status == complaint.StatusReceived:
		it.What = "acknowledge " + caseNoun(c.Kind, c.Stage)
	default:
		it.What = "respond to " + caseNoun(c.Kind, c.Stage)
	}
	return it
}

// remedyWhat says what an open remedy needs, without its description,
// which may name people.
func remedyWhat(r complaint.Remedy) string {
	switch r.Kind {
	case complaint.RemedyCompensation:
		return fmt.Sprintf("pay compensation (remedy %d)", r.ID)
	case complaint.RemedyAction:
		return fmt.Sprintf("complete action %d", r.ID)
	}
	return fmt.Sprintf("complete remedy %d (%s)", r.ID, strings.ReplaceAll(string(r.Kind), "_", " "))
}

// Digest queues, for a working day, one email to each user who can act
// and has something overdue, due that day or due within DigestDays
// working days: on the cases they handle, and for managers also on cases
// that nobody who can act handles. It returns how many digests it
// queued; a digest already queued for the day is not queued again, and
// a day that is not a working day has none.
func (r *Relay) Digest(ctx context.Context, day calendar.Date) (int, error) {
	if r.Calendar == nil {
		return 0, errNoCalendar
	}
	if !r.Calendar.IsWorkingDay(day) {
		return 0, nil
	}
	days := r.DigestDays
	if days <= 0 {
		days = DefaultDigestDays
	}
	horizon, err := r.Calendar.AddWorkingDays(day, days)
	if err != nil {
		return 0, fmt.Errorf("digest horizon: %w", err)
	}
	users, err := r.Store.ListUsers(ctx)
	if err != nil {
		return 0, err
	}
	actors := map[string]store.User{}
	for _, u := range users {
		if auth.Role(u.Role).CanAct() {
			actors[strings.ToLower(u.Email)] = u
		}
	}
	// Items by the lower-cased email of their handler; "" for nobody
	// who can act.
	items := map[string][]DueItem{}
	add := func(handler string, it DueItem) {
		key := strings.ToLower(handler)
		if _, ok := actors[key]; !ok {
			key = ""
		}
		items[key] = append(items[key], it)
	}
	everything := store.Viewer{AllConfidential: true}
	confidential := map[string]bool{}
	for cursor := ""; ; {
		cs, next, err := r.Store.ListCases(ctx, store.CaseFilter{Viewer: everything, DueBefore: horizon, Sort: "due", Cursor: cursor, Limit: 500})
		if err != nil {
			return 0, fmt.Errorf("cases due: %w", err)
		}
		for i := range cs {
			c := &cs[i]
			confidential[c.Reference] = c.Confidential
			add(c.Handler, caseItem(c))
		}
		if next == "" {
			break
		}
		cursor = next
	}
	actions, err := r.Store.OpenActions(ctx, everything)
	if err != nil {
		return 0, fmt.Errorf("open actions: %w", err)
	}
	for _, a := range actions {
		if a.Remedy.Due.IsZero() || a.Remedy.Due.After(horizon) {
			continue
		}
		secret, known := confidential[a.Reference]
		if !known {
			c, err := r.Store.GetCase(ctx, a.Reference)
			if err != nil {
				return 0, err
			}
			secret = c.Confidential
			confidential[a.Reference] = secret
		}
		add(a.Handler, DueItem{Reference: a.Reference, What: remedyWhat(a.Remedy), Due: a.Remedy.Due, Confidential: secret})
	}

	hazards, err := r.Store.HazardsDue(ctx, everything)
	if err != nil {
		return 0, fmt.Errorf("hazard clocks: %w", err)
	}
	clocks := hazardItems(hazards, day, r.now())
	reviews, err := r.restrictionReviews(ctx, day) // digest_restrictions.go
	if err != nil {
		return 0, err
	}

	s := r.settings(ctx)
	var ms []store.OutboundMessage
	for _, u := range users {
		key := strings.ToLower(u.Email)
		if _, ok := actors[key]; !ok {
			continue
		}
		var unassigned []DueItem
		if auth.Role(u.Role) == auth.Manager {
			unassigned = items[""]
		}
		hz := hazardItemsFor(clocks, u)
		if len(items[key]) == 0 && len(unassigned) == 0 && len(hz) == 0 && len(reviews[key]) == 0 {
			continue
		}
		m := DigestMessage(u, day, horizon, items[key], unassigned, s)
		withHazards(&m, hz, s)
		withRestrictionReviews(&m, reviews[key], day, s)
		if err := store.CheckOutbound(m); err != nil {
			r.log().Warn("digest not queued: the outbox refuses it", "user_id", u.ID, "error", err)
			continue
		}
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return 0, nil
	}
	n, err := r.Store.EnqueueNew(ctx, ms, r.now())
	if err != nil {
		return 0, fmt.Errorf("queue digests: %w", err)
	}
	if n > 0 {
		r.log().Info("digests queued", "day", day.String(), "queued", n)
		if r.Queued != nil {
			r.Queued()
		}
	}
	return n, nil
}

// DigestMessage writes one user's digest for day: their own items, and
// for a manager the items nobody who can act handles, each split into
// overdue, due today and due by horizon.
func DigestMessage(u store.User, day, horizon calendar.Date, own, unassigned []DueItem, s Settings) store.OutboundMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\nHere is what is overdue, due today (%s) and due by %s.\n",
		firstNonEmpty(u.Name, u.Email), longDate(day), longDate(horizon))
	over, today, soon := writeItems(&b, "Cases you handle", own, day, horizon, s)
	if len(unassigned) > 0 {
		o, t, n := writeItems(&b, "Cases with no handler who can act on them (you see these as a manager)", unassigned, day, horizon, s)
		over, today, soon = over+o, today+t, soon+n
	}
	if slices.ContainsFunc(own, func(it DueItem) bool { return it.Confidential }) ||
		slices.ContainsFunc(unassigned, func(it DueItem) bool { return it.Confidential }) {
		b.WriteString("\nConfidential cases are listed without their reference: find them in your case list.\n")
	}
	if s.BaseURL != "" {
		b.WriteString("\n")
		if len(own) > 0 {
			fmt.Fprintf(&b, "Your cases by due date: %s/cases?sort=due&handler=%s\n", s.BaseURL, url.QueryEscape(u.Email))
		}
		if len(unassigned) > 0 {
			fmt.Fprintf(&b, "All cases by due date: %s/cases?sort=due\n", s.BaseURL)
		}
		fmt.Fprintf(&b, "Open actions: %s/actions\n", s.BaseURL)
	}
	sign(&b, s)
	var counts []string
	for _, c := range []struct {
		n    int
		what string
	}{{over, "overdue"}, {today, "due today"}, {soon, "due by " + shortDate(horizon)}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return store.OutboundMessage{
		To:        (&mail.Address{Name: u.Name, Address: u.Email}).String(),
		Subject:   fmt.Sprintf("Due on %s: %s", shortDate(day), strings.Join(counts, ", ")),
		TextBody:  b.String(),
		Kind:      "digest",
		DedupeKey: fmt.Sprintf("digest:%s:%s", day, strings.ToLower(u.Email)),
	}
}

// writeItems writes a section of a digest and returns how many items
// were overdue, due on day and due later.
func writeItems(b *strings.Builder, title string, items []DueItem, day, horizon calendar.Date, s Settings) (over, today, soon int) {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(x, y DueItem) int {
		return cmp.Or(x.Due.Compare(y.Due), cmp.Compare(x.Reference, y.Reference))
	})
	if len(items) == 0 {
		return 0, 0, 0
	}
	fmt.Fprintf(b, "\n%s\n", title)
	groups := []struct {
		title string
		keep  func(calendar.Date) bool
		n     *int
	}{
		{"Overdue", func(d calendar.Date) bool { return d.Before(day) }, &over},
		{"Due today", func(d calendar.Date) bool { return d == day }, &today},
		{"Due by " + longDate(horizon), func(d calendar.Date) bool { return d.After(day) }, &soon},
	}
	for _, g := range groups {
		first := true
		for _, it := range items {
			if !g.keep(it.Due) {
				continue
			}
			if first {
				fmt.Fprintf(b, "\n%s:\n", g.title)
				first = false
			}
			*g.n++
			if it.Confidential {
				fmt.Fprintf(b, "- a confidential case: %s, due %s\n", it.What, shortDate(it.Due))
				continue
			}
			fmt.Fprintf(b, "- %s: %s, due %s\n", it.Reference, it.What, shortDate(it.Due))
			if s.BaseURL != "" {
				fmt.Fprintf(b, "  %s/cases/%s\n", s.BaseURL, url.PathEscape(it.Reference))
			}
		}
	}
	return over, today, soon
}

// shortDate writes a date for a list: Mon 30 Nov 2026.
func shortDate(d calendar.Date) string {
	return fmt.Sprintf("%s %d %s %d", d.Weekday().String()[:3], d.Day(), d.Month().String()[:3], d.Year())
}
