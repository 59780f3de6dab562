package casework

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// additionalComplaint logs new issues raised during the investigation of
// the complaint orig as a new stage 1 complaint, in one step for the
// officer (Code 6.8; 002 §2.3: where the response has been issued or
// adding them would cause an unreasonable delay, "the additional
// complaint(s) should be logged as a new one"). The new complaint has the
// same complainant and details, is received when the issues were raised
// (at, zero: now), and is linked to orig; orig records the additional
// complaint, which links it back. It returns the new complaint.
//
// Like complaintBeside, these are three transactions, each checked
// before the first is made, so only a storage failure can leave the new
// complaint without its links; the error then names it.
func (s *Service) additionalComplaint(ctx context.Context, u store.User, orig complaint.Case, ifVersion int, at time.Time, cmd complaint.LogAdditionalComplaint) (complaint.Case, error) {
	if ifVersion != 0 && ifVersion != orig.Version {
		return complaint.Case{}, complaint.Errorf(complaint.Stale, "the case has changed since version %d: it is at version %d", ifVersion, orig.Version)
	}
	now := s.Now()
	when := at
	if when.IsZero() {
		when = now
	}
	if when.After(now) {
		return complaint.Case{}, complaint.InvalidField("at", "is in the future")
	}
	if when.Before(orig.LastEventAt) {
		return complaint.Case{}, complaint.InvalidField("at", "is before the case's latest event at %s", orig.LastEventAt.Format(time.RFC3339))
	}
	create, err := complaint.AdditionalComplaintFrom(orig, cmd, when, s.env(u, when, nil))
	if err != nil {
		return complaint.Case{}, err
	}
	opened, err := s.Create(ctx, u, create)
	if err != nil {
		return complaint.Case{}, err
	}
	if _, err := s.Apply(ctx, u, opened.Reference, 0, when, complaint.Link{Reference: orig.Reference}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "complaint %s was opened but could not be linked to %s: %v", opened.Reference, orig.Reference, err)
	}
	cmd.Reference = opened.Reference
	if _, err := s.Store.UpdateCase(ctx, orig.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, s.env(u, when, nr))
	}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "complaint %s was opened but %s could not record it: %v", opened.Reference, orig.Reference, err)
	}
	return s.Load(ctx, u, opened.Reference)
}
