package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// A contact flagged as a health-and-safety risk (a gas smell, exposed
// wiring, damp and mould harming a child) escalates at once to a named
// senior manager (003: "immediately referred to a senior manager"). The
// flag may be set when the contact is logged or at any time after, on a
// case of any age, so the alert follows the flagging, not the case's
// creation, and it must go within a minute of the flagging being
// recorded, however many other events the relay has still to read.
//
// So flaggings are not found by reading the event log in order: the
// store keeps every flagging pending from the moment it is recorded, in
// the same transaction (store.SafetyStore), and the relay reads the
// pending ones by their own query before any ordinary event, at the start
// of every run and every SafetyEvery while it runs. A backlog, the hold
// that ordinary notices wait for, or a long run of batches cannot delay
// them. Each alert's dedupe key names its flag event,
// "safety:<event id>:<recipient>", so a flagging alerts each contact once
// however often it is read; setting the flag again is a new flagging and
// alerts again.

// DefaultSafetyEvery is how often Run looks for flaggings to alert,
// besides at the start of every run of notices.
const DefaultSafetyEvery = 15 * time.Second

// safetyBatch is how many pending flaggings one pass reads; more wait
// for the next pass, moments later.
const safetyBatch = 200

// hazardWord is a hazard class as the alert words it.
func hazardWord(c complaint.HazardClass) string {
	if c == complaint.HazardEmergency {
		return "an emergency"
	}
	return "a significant"
}

// SafetyAlerts are the alerts a flagging calls for: one to each contact
// when ev (a case created flagged, or the flag set later) finds the case
// still flagged and not yet acknowledged by a senior manager. The alert
// names the case and links to it; the details, and the reason given for
// the flag, stay on the case page. Contacts are the named senior
// managers' addresses.
func SafetyAlerts(eventID int64, ev complaint.Event, c complaint.Case, contacts []string, s Settings) []store.OutboundMessage {
	// Classing a hazard under Awaab's Law on a case not yet flagged flags it.
	if (ev.Kind != complaint.EventCreated && ev.Kind != complaint.EventSafetyFlagSet && ev.Kind != complaint.EventHazardClassified) || !c.SafetyWaiting() {
		return nil
	}
	var out []store.OutboundMessage
	for _, to := range contacts {
		var b strings.Builder
		b.WriteString("Hello,\n\n")
		when := ev.At.In(calendar.London).Format("2 January 2006 at 15:04")
		switch {
		case ev.Kind == complaint.EventCreated:
			fmt.Fprintf(&b, "%s %s was logged on %s and flagged as a health and safety risk.\n\n",
				capitalise(kindNoun(c.Kind)), c.Reference, when)
		case ev.Kind == complaint.EventHazardClassified && c.Hazard != nil:
			fmt.Fprintf(&b, "%s %s, received on %s, was classed on %s as %s hazard under Awaab's Law, whose clocks are running.\n\n",
				capitalise(kindNoun(c.Kind)), c.Reference, c.ReceivedAt.In(calendar.London).Format("2 January 2006"), when, hazardWord(c.Hazard.Class))
		default:
			fmt.Fprintf(&b, "%s %s, received on %s, was flagged as a health and safety risk on %s.\n\n",
				capitalise(kindNoun(c.Kind)), c.Reference, c.ReceivedAt.In(calendar.London).Format("2 January 2006"), when)
		}
		if c.ServiceArea != "" {
			fmt.Fprintf(&b, "Service area: %s\n", c.ServiceArea)
		}
		if c.Handler != "" {
			fmt.Fprintf(&b, "Handler: %s\n", c.Handler)
		} else {
			b.WriteString("Handler: not yet assigned\n")
		}
		if s.BaseURL != "" {
			fmt.Fprintf(&b, "Open it: %s/cases/%s\n", s.BaseURL, c.Reference)
		}
		b.WriteString("\nPlease make sure the risk is being dealt with today, and acknowledge it on the case page. The details are on the case page, not in email.\n")
		sign(&b, s)
		out = append(out, store.OutboundMessage{
			CaseRef: c.Reference, To: to, Kind: "safety_alert",
			Subject:   fmt.Sprintf("Health and safety: case %s needs attention today", c.Reference),
			TextBody:  b.String(),
			DedupeKey: "safety:" + fmt.Sprint(eventID) + ":" + strings.ToLower(to),
		})
	}
	return out
}

// safetyContacts are the addresses safety alerts go to: those configured,
// or, without any, every manager who may act.
func (r *Relay) safetyContacts(ctx context.Context) ([]string, error) {
	if len(r.SafetyContacts) > 0 {
		return r.SafetyContacts, nil
	}
	users, err := r.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		if auth.Role(u.Role) == auth.Manager {
			out = append(out, (&mail.Address{Name: u.Name, Address: u.Email}).String())
		}
	}
	return out, nil
}

// AlertSafety queues the senior managers' alerts of every flagging not
// yet alerted, whatever waits in the event log, and returns how many it
// queued. A flagging whose case has since been cleared or acknowledged,
// or one recorded longer than MaxAge ago (the dashboard's list holds it
// all the same), is marked dealt with and alerts no one; so is every
// flagging but a case's newest, when several wait together.
func (r *Relay) AlertSafety(ctx context.Context) (queued int, err error) {
	defer func() {
		if queued > 0 {
			r.log().Info("health and safety alerts queued", "queued", queued)
			if r.Queued != nil {
				r.Queued()
			}
		}
	}()
	s := r.settings(ctx)
	for ctx.Err() == nil {
		pending, err := r.Store.PendingSafetyFlags(ctx, safetyBatch)
		if err != nil || len(pending) == 0 {
			return queued, err
		}
		now := r.now()
		newest := map[string]int64{}
		for _, ce := range pending {
			newest[ce.CaseRef] = ce.ID
		}
		var ids []int64
		var ms []store.OutboundMessage
		var contacts []string
		looked := false
		for _, ce := range pending {
			ids = append(ids, ce.ID)
			if newest[ce.CaseRef] != ce.ID {
				continue
			}
			if s.MaxAge > 0 && now.Sub(ce.Event.RecordedAt) > s.MaxAge {
				r.log().Info("health and safety flag too old to alert", "event_id", ce.ID, "reference", ce.CaseRef)
				continue
			}
			c, err := r.Store.GetCase(ctx, ce.CaseRef)
			if err != nil {
				return queued, fmt.Errorf("the case of flag event %d: %w", ce.ID, err)
			}
			if !looked {
				if contacts, err = r.safetyContacts(ctx); err != nil {
					return queued, err
				}
				looked = true
				if len(contacts) == 0 {
					r.log().Warn("no senior manager to alert of a health and safety flag: name one (REDRESS_SAFETY_CONTACTS) or add a manager; the dashboard lists it", "event_id", ce.ID, "reference", ce.CaseRef)
				}
			}
			for _, m := range SafetyAlerts(ce.ID, ce.Event, c, contacts, s) {
				if err := store.CheckOutbound(m); err != nil {
					r.log().Warn("health and safety alert not queued: the outbox refuses it", "event_id", ce.ID, "reference", ce.CaseRef, "error", err)
					continue
				}
				ms = append(ms, m)
			}
		}
		n, err := r.Store.RecordSafetyAlerts(ctx, ids, ms, now)
		queued += n
		if err != nil {
			return queued, fmt.Errorf("record alerts of flag events %d to %d: %w", ids[0], ids[len(ids)-1], err)
		}
		if len(pending) < safetyBatch {
			return queued, nil
		}
	}
	return queued, ctx.Err()
}

// runSafety alerts flaggings every interval until ctx ends, beside the
// run of ordinary notices, so a long run of those never holds an alert
// back.
func (r *Relay) runSafety(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := r.AlertSafety(ctx); err != nil && ctx.Err() == nil {
			r.log().Error("health and safety alerts", "error", err)
		}
	}
}
