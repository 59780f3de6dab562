package complaint

import (
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Convert turns another kind of contact into a stage 1 complaint, keeping
// its history. The complaint dates from when the resident expressed
// dissatisfaction (Code 1.5 and 2.1; 003 on unresolved concerns keeping
// their receipt date): by default the contact's receipt; an officer may
// give a later time, never one after the conversion. Its deadlines and
// the CH01 year follow that date. A service request is not converted: it
// keeps its own target and stays open, and a linked complaint is opened
// beside it (casework.Service.Convert does both).
type Convert struct {
	DissatisfiedAt time.Time `json:"dissatisfied_at,omitzero"`
}

func (Convert) event() EventKind { return EventConverted }

func (cmd Convert) decide(d *decision) error {
	c, next, env := d.before, d.next, d.env
	if c.Kind == KindComplaint {
		return Errorf(Conflict, "the case is already a complaint")
	}
	if !c.Status.Open() {
		return Errorf(Conflict, "the %s is %s; log a new complaint instead", c.Kind, c.Status)
	}
	if c.Kind == KindServiceRequest && !env.Replay {
		return Errorf(Conflict, "a service request keeps its own target and stays open until it is done (Code 1.5): open a complaint linked to it instead")
	}
	dissatisfied, err := DissatisfiedAt(c, cmd, d.at, env.Replay)
	if err != nil {
		return err
	}
	cmd.DissatisfiedAt = dissatisfied
	d.recorded = cmd
	next.Kind = KindComplaint
	next.Stage = 1
	next.Status = StatusReceived
	next.ResolveBy = calendar.Date{}
	next.Stages = []Stage{{Stage: 1, Reference: c.Reference, ReceivedAt: dissatisfied, Handlers: []string{}, Extensions: []Extension{}}}
	if c.Handler != "" {
		next.Stages[0].Handlers = []string{c.Handler}
	}
	return d.deadlines()
}

// ComplaintFromServiceRequest is the complaint a resident's
// dissatisfaction with a service request opens. The Code (1.5) keeps the
// two apart: the request keeps its own target and stays open until it is
// done, while the complaint about how it was handled runs on the Code's
// clock from when the dissatisfaction was expressed (cmd.DissatisfiedAt:
// by default the request's receipt, never after at, the time of the
// conversion). The caller creates the complaint and links the two.
func ComplaintFromServiceRequest(sr Case, cmd Convert, at time.Time) (Create, error) {
	if sr.Kind != KindServiceRequest {
		return Create{}, Errorf(Conflict, "%s is a %s, not a service request", sr.Reference, sr.Kind)
	}
	if !sr.Status.Open() {
		return Create{}, Errorf(Conflict, "the service request is %s; log a new complaint instead", sr.Status)
	}
	dissatisfied, err := DissatisfiedAt(sr, cmd, at, false)
	if err != nil {
		return Create{}, err
	}
	var rep *Representative
	if sr.Representative != nil {
		r := *sr.Representative
		rep = &r
	}
	var group *Group
	if sr.Group != nil {
		g := *sr.Group
		group = &g
	}
	return Create{
		Kind: KindComplaint, Channel: sr.Channel, ReceivedAt: &dissatisfied,
		Complainant: sr.Complainant, Representative: rep, Group: group,
		Summary:        sr.Summary,
		Description:    fmt.Sprintf("Dissatisfaction with the handling of service request %s.\n\n%s", sr.Reference, sr.Description),
		DesiredOutcome: sr.DesiredOutcome, ServiceArea: sr.ServiceArea, Categories: sr.Categories, Tenure: sr.Tenure,
		HealthAndSafety: sr.HealthAndSafety, Confidential: sr.Confidential, LineManager: sr.LineManager,
		Adjustments: sr.Adjustments, Vulnerabilities: sr.Vulnerabilities,
	}, nil
}

// DissatisfiedAt is when a contact being converted became a complaint:
// when the resident expressed dissatisfaction, by default the contact's
// receipt, or a later time an officer gives, never after the conversion
// at. A conversion recorded before this rule was dated when it was made,
// and replays so.
func DissatisfiedAt(c Case, cmd Convert, at time.Time, replay bool) (time.Time, error) {
	t := cmd.DissatisfiedAt
	switch {
	case t.IsZero() && replay:
		return at, nil
	case t.IsZero():
		return c.ReceivedAt, nil
	case t.Before(c.ReceivedAt):
		return time.Time{}, InvalidField("dissatisfied_at", "is before the %s was received on %s", c.Kind, c.ReceivedAt.Format(time.RFC3339))
	case t.After(at):
		return time.Time{}, InvalidField("dissatisfied_at", "is after the conversion at %s", at.Format(time.RFC3339))
	}
	return t, nil
}
