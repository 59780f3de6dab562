package complaint

import (
	"strings"
	"time"

	"github.com/redresshq/redress/internal/enum"
)

// TenancyMatch is the tenancy in the landlord's register a case is
// matched to (issue 20). Storage suggests one when the case is logged,
// from the complainant's tenancy reference, email, phone or postcode and
// name; a suggestion is never applied: it changes nothing on the case
// until an officer confirms it (ConfirmTenancy), since a wrong tenancy
// would put the complaint in another tenure's measures and send letters
// to another address.
type TenancyMatch struct {
	Ref     string `json:"ref"`
	HomeRef string `json:"home_ref"`
	// Tenure is the tenure a complaint from the tenancy counts under;
	// RegisterTenure is the register's own, which may be finer
	// (leasehold counts as other).
	Tenure         Tenure `json:"tenure"`
	RegisterTenure string `json:"register_tenure,omitempty"`
	Address        string `json:"address,omitempty"`
	Postcode       string `json:"postcode,omitempty"`
	// MatchedBy says how it was found: reference, email, phone,
	// postcode_name, or officer where an officer chose it.
	MatchedBy   string    `json:"matched_by"`
	Confirmed   bool      `json:"confirmed"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}

// MatchedByOfficer is a TenancyMatch's MatchedBy when an officer chose
// the tenancy rather than confirming the one suggested.
const MatchedByOfficer = "officer"

// ConfirmTenancy confirms the tenancy a case is matched to, or chooses
// another, or clears the match. Confirming sets the case's tenure from
// the tenancy's and the complainant's address, postcode and tenancy
// reference from the register, each change recorded with its old and new
// values as an EditDetails records them, so that a complaint from the
// form or by email reaches the Tenant Satisfaction Measures under its
// tenure. Clearing removes the match and changes nothing else: the
// details it set stay until corrected, as any detail does.
//
// The caller gives Ref (or Clear); case work fills Match from the
// register, so that what is recorded is the register's tenancy, never
// what a request claimed. Allowed in any status, as a correction is.
type ConfirmTenancy struct {
	Ref   string        `json:"ref,omitempty"`
	Clear bool          `json:"clear,omitempty"`
	Match *TenancyMatch `json:"match,omitempty"`
	// Reason says why, for the audit trail; optional.
	Reason string `json:"reason,omitempty"`
	// Changes is filled in by Decide: every detail that changed.
	Changes []DetailChange `json:"changes,omitempty"`
}

// EventTenancyConfirmed records a ConfirmTenancy: a case's tenancy
// confirmed, chosen or cleared.
const EventTenancyConfirmed EventKind = "tenancy_confirmed"

func (ConfirmTenancy) event() EventKind { return EventTenancyConfirmed }

func (cmd ConfirmTenancy) decide(d *decision) error {
	c, next, fe := d.before, d.next, d.fe
	ref := strings.TrimSpace(cmd.Ref)
	switch {
	case cmd.Clear && ref != "":
		fe.add("ref", "give a tenancy reference or clear, not both")
	case !cmd.Clear && ref == "":
		fe.add("ref", "is required: the tenancy reference to match the case to (or clear: true to remove the match)")
	case !cmd.Clear && cmd.Match == nil:
		fe.add("ref", "there is no tenancy %s in the register", ref)
	case !cmd.Clear && !strings.EqualFold(cmd.Match.Ref, ref):
		fe.add("ref", "%s is not the tenancy the match names (%s)", ref, cmd.Match.Ref)
	}
	if cmd.Match != nil && cmd.Match.Tenure != "" {
		if _, err := enum.Parse(string(cmd.Match.Tenure), Tenures, "a tenure"); err != nil {
			fe.add("match.tenure", "%v", err)
		}
	}
	checkText(fe, "reason", cmd.Reason, maxText, false)
	if err := fe.err(); err != nil {
		return err
	}
	var changes []DetailChange
	change := func(field, from, to string) {
		if from != to {
			changes = append(changes, DetailChange{Field: field, From: from, To: to})
		}
	}
	old := ""
	if c.Tenancy != nil && c.Tenancy.Confirmed {
		old = c.Tenancy.Ref
	}
	if cmd.Clear {
		if c.Tenancy == nil && !fe.replay {
			// A replay never has the suggestion, which no event records.
			return Errorf(Conflict, "the case is matched to no tenancy")
		}
		change("tenancy", old, "")
		next.Tenancy = nil
		cmd.Match = nil
	} else {
		m := *cmd.Match
		m.Confirmed, m.ConfirmedBy, m.ConfirmedAt = true, d.env.Actor.Email, d.at
		if c.Tenancy != nil && c.Tenancy.Confirmed && c.Tenancy.Ref == m.Ref {
			return Errorf(Conflict, "the case is already matched to tenancy %s", m.Ref)
		}
		change("tenancy", old, m.Ref)
		next.Tenancy = &m
		if m.Tenure != "" {
			change("tenure", string(c.Tenure), string(m.Tenure))
			next.Tenure = m.Tenure
		}
		p := &next.Complainant
		if m.Address != "" {
			change("complainant.address", p.Address, m.Address)
			p.Address = m.Address
		}
		if m.Postcode != "" {
			change("complainant.postcode", p.Postcode, m.Postcode)
			p.Postcode = m.Postcode
		}
		change("complainant.tenancy_ref", p.TenancyRef, m.Ref)
		p.TenancyRef = m.Ref
		cmd.Match = &m
	}
	cmd.Ref = ref
	cmd.Reason = strings.TrimSpace(cmd.Reason)
	cmd.Changes = changes
	d.recorded = cmd
	return nil
}
