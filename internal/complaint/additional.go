package complaint

import (
	"slices"
	"strings"
	"time"
)

// LogAdditionalComplaint records on a complaint that new issues the
// resident raised during its investigation were logged as a new stage 1
// complaint, linked to it. The Code (6.8) and Greatwell Homes (002 §2.3:
// "Where the stage one response has been issued, or it would cause an
// unreasonable delay, the additional complaint(s) should be logged as a
// new one") put related new issues into the current response where they
// can be (AmendDefinition adds them as points), and log them apart
// otherwise: so while this stage's response has not been issued, the
// officer records why they are not added to it (the delay it would
// cause, or that they are unrelated).
//
// casework.Service opens the new complaint, from the same complainant
// and details (AdditionalComplaintFrom), links it back, and then records
// this command, with the new complaint's reference, on this one; a
// caller gives everything but the reference.
type LogAdditionalComplaint struct {
	// Reference is the new complaint's, filled in by Redress.
	Reference string `json:"reference"`
	// Summary and Issues are what the resident raised: the new
	// complaint's summary and description.
	Summary string `json:"summary"`
	Issues  string `json:"issues,omitempty"`
	// Reason is why the issues are not added to this complaint's
	// definition: required until this stage's response has been issued.
	Reason string `json:"reason,omitempty"`
}

func (LogAdditionalComplaint) event() EventKind { return EventAdditionalComplaint }

func (cmd LogAdditionalComplaint) decide(d *decision) error {
	c, fe := &d.before, d.fe
	checkLine(fe, "reference", cmd.Reference, maxShort, true)
	if err := cmd.check(c, fe); err != nil {
		return err
	}
	ref := strings.TrimSpace(cmd.Reference)
	if slices.Contains(c.References(), ref) {
		return Errorf(Conflict, "a complaint cannot be its own additional complaint")
	}
	if !slices.Contains(d.next.Links, ref) {
		d.next.Links = append(d.next.Links, ref)
	}
	cmd.Reference, cmd.Summary, cmd.Issues, cmd.Reason = ref, strings.TrimSpace(cmd.Summary), strings.TrimSpace(cmd.Issues), strings.TrimSpace(cmd.Reason)
	d.recorded = cmd
	return nil
}

// check adds to fe every problem with the additional complaint's fields
// and returns them, or says why c cannot take one.
func (cmd LogAdditionalComplaint) check(c *Case, fe fieldErrors) error {
	if c.Kind != KindComplaint || c.Current() == nil {
		return Errorf(Conflict, "the case is a %s: additional complaints are raised during a complaint's investigation", c.Kind)
	}
	if !c.Status.Open() {
		return Errorf(Conflict, "the complaint is %s: log the new issues as a new complaint", c.Status)
	}
	responded := c.Status == StatusResponded
	checkLine(fe, "summary", cmd.Summary, 500, true)
	checkText(fe, "issues", cmd.Issues, maxText, false)
	if !responded && fe.blank(cmd.Reason) {
		fe.add("reason", "is required while stage %d's response has not been issued: say why the issues are not added to this complaint (it would cause an unreasonable delay, or they are unrelated; Code 6.8)", c.Stage)
	}
	checkText(fe, "reason", cmd.Reason, maxText, false)
	return fe.err()
}

// AdditionalComplaintFrom is the new stage 1 complaint that the issues
// in cmd, raised at at during c's investigation, are logged as: the same
// complainant and details as c, received when they were raised. The
// caller creates it, links it to c, and records cmd on c.
func AdditionalComplaintFrom(c Case, cmd LogAdditionalComplaint, at time.Time, env Env) (Create, error) {
	if strings.TrimSpace(cmd.Reference) != "" {
		return Create{}, InvalidField("reference", "is filled in by Redress with the new complaint's reference; leave it out")
	}
	if err := cmd.check(&c, newFieldErrors(env)); err != nil {
		return Create{}, err
	}
	var rep *Representative
	if c.Representative != nil {
		r := *c.Representative
		rep = &r
	}
	var group *Group
	if c.Group != nil {
		g := *c.Group
		group = &g
	}
	description := "Raised during the investigation of complaint " + c.Reference + "."
	if s := strings.TrimSpace(cmd.Issues); s != "" {
		description += "\n\n" + s
	}
	return Create{
		Kind: KindComplaint, Channel: c.Channel, ReceivedAt: &at,
		Complainant: c.Complainant, Representative: rep, Group: group,
		Summary: strings.TrimSpace(cmd.Summary), Description: description,
		ServiceArea: c.ServiceArea, Categories: slices.Clone(c.Categories), Tenure: c.Tenure,
		HealthAndSafety: c.HealthAndSafety, Confidential: c.Confidential, LineManager: c.LineManager,
		Adjustments: slices.Clone(c.Adjustments), Vulnerabilities: slices.Clone(c.Vulnerabilities),
	}, nil
}

// checkNoUnreasonableDelay asks, with new points added to a definition
// whose response has not been issued, for the officer's confirmation that
// adding them will not unreasonably delay the response: where it would,
// the Code (6.8) and 002 §2.3 have them logged as a new complaint. Once
// the response is issued no point is added at all (AmendDefinition says
// so). An amendment recorded before the confirmation was asked replays.
func checkNoUnreasonableDelay(c *Case, cmd AmendDefinition, env Env, fe fieldErrors) {
	if len(cmd.Add) == 0 || cmd.NoUnreasonableDelay || env.Replay || c.Status != StatusAcknowledged {
		return
	}
	fe.add("no_unreasonable_delay", "must be confirmed with new points: adding them must not unreasonably delay stage %d's response; if it would, log them as an additional complaint instead (Code 6.8)", c.Stage)
}
