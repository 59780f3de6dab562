package notify

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// A contact flagged as a health-and-safety risk (a gas smell, exposed
// wiring, damp and mould harming a child) escalates at once to a named
// senior manager, as the design asks: it does not wait for the hold that
// other notices wait for, nor for a handler to open the case.

// SafetyAlerts are the alerts a created event calls for: one to each
// contact, when the case was flagged as a health-and-safety risk. The
// alert names the case and links to it; the details stay on the case
// page. Contacts are the named senior managers' addresses.
func SafetyAlerts(eventID int64, ev complaint.Event, c complaint.Case, contacts []string, s Settings) []store.OutboundMessage {
	if ev.Kind != evCreated || !c.HealthAndSafety {
		return nil
	}
	var out []store.OutboundMessage
	for _, to := range contacts {
		var b strings.Builder
		b.WriteString("Hello,\n\n")
		fmt.Fprintf(&b, "%s %s was logged on %s and flagged as a health and safety risk.\n\n",
			capitalise(kindNoun(c.Kind)), c.Reference, ev.At.Format("2 January 2006 at 15:04"))
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
		b.WriteString("\nPlease make sure the risk is being dealt with today. The details are on the case page, not in email.\n")
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

// alertSafety queues the safety alerts of events still inside the hold,
// at once; their dedupe keys make the relay's later pass over the same
// events queue nothing twice.
func (r *Relay) alertSafety(ctx context.Context, evs []store.CaseEvent, s Settings) (int, error) {
	var ms []store.OutboundMessage
	var contacts []string
	for _, ce := range evs {
		if ce.Event.Kind != evCreated || (s.MaxAge > 0 && r.now().Sub(ce.Event.At) > s.MaxAge) {
			continue
		}
		c, err := r.Store.GetCase(ctx, ce.CaseRef)
		if err != nil {
			return 0, err
		}
		if !c.HealthAndSafety {
			continue
		}
		if contacts == nil {
			if contacts, err = r.safetyContacts(ctx); err != nil {
				return 0, err
			}
		}
		ms = append(ms, SafetyAlerts(ce.ID, ce.Event, c, contacts, s)...)
	}
	if len(ms) == 0 {
		return 0, nil
	}
	return r.Store.EnqueueNew(ctx, ms, r.now())
}
