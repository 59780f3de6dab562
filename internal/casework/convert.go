package casework

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// complaintBeside is converting the service request sr to a complaint
// as u, dated at (zero: now). A service request keeps its own target and
// stays open until it is done (Code 1.5), so a complaint is opened beside
// it, dated from when the resident expressed dissatisfaction, and the two
// are linked both ways so that each case's page leads to the other. It
// returns the complaint.
//
// Opening and linking are three transactions. Each is checked before the
// first is made, so only a storage failure can leave a complaint without
// its links; the error then names the complaint, which is kept.
func (s *Service) complaintBeside(ctx context.Context, u store.User, sr complaint.Case, ifVersion int, at time.Time, cmd complaint.Convert) (complaint.Case, error) {
	if ifVersion != 0 && ifVersion != sr.Version {
		return complaint.Case{}, complaint.Errorf(complaint.Stale, "the case has changed since version %d: it is at version %d", ifVersion, sr.Version)
	}
	now := s.Now()
	when := at
	if when.IsZero() {
		when = now
	}
	if when.After(now) {
		return complaint.Case{}, complaint.InvalidField("at", "is in the future")
	}
	if when.Before(sr.LastEventAt) {
		return complaint.Case{}, complaint.InvalidField("at", "is before the case's latest event at %s", sr.LastEventAt.Format(time.RFC3339))
	}
	create, err := complaint.ComplaintFromServiceRequest(sr, cmd, when)
	if err != nil {
		return complaint.Case{}, err
	}
	opened, err := s.Create(ctx, u, create)
	if err != nil {
		return complaint.Case{}, err
	}
	if _, err := s.Apply(ctx, u, opened.Reference, 0, when, complaint.Link{Reference: sr.Reference}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "complaint %s was opened but could not be linked to %s: %v", opened.Reference, sr.Reference, err)
	}
	if _, err := s.Apply(ctx, u, sr.Reference, 0, when, complaint.Link{Reference: opened.Reference}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "complaint %s was opened but %s could not be linked to it: %v", opened.Reference, sr.Reference, err)
	}
	return s.Load(ctx, u, opened.Reference)
}
