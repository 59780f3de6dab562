package complaint

import (
	"fmt"
	"time"
)

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
