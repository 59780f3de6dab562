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
	return s.openLinked(ctx, u, sr, ifVersion, at, func(when time.Time) (complaint.Create, error) {
		return complaint.ComplaintFromServiceRequest(sr, cmd, when)
	}, func(opened complaint.Case) complaint.Command {
		return complaint.Link{Reference: opened.Reference}
	})
}

// openLinked opens a new case beside orig as u, dated at (zero: now),
// from what create makes of that date, links it to orig, and records on
// orig what back makes of it (a link, or an event that links), so that
// each case's page leads to the other. It returns the new case.
//
// Opening and linking are three transactions. Each is checked before the
// first is made, so only a storage failure can leave a case without its
// links; the error then names the new case, which is kept.
func (s *Service) openLinked(ctx context.Context, u store.User, orig complaint.Case, ifVersion int, at time.Time,
	create func(when time.Time) (complaint.Create, error), back func(opened complaint.Case) complaint.Command) (complaint.Case, error) {
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
	cmd, err := create(when)
	if err != nil {
		return complaint.Case{}, err
	}
	opened, err := s.create(ctx, u, cmd, append([]string{orig.ServiceArea}, orig.Categories...)...)
	if err != nil {
		return complaint.Case{}, err
	}
	if _, err := s.Apply(ctx, u, opened.Reference, 0, when, complaint.Link{Reference: orig.Reference}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "%s was opened but could not be linked to %s: %v", opened.Reference, orig.Reference, err)
	}
	// Decided here rather than through Apply, which would take a command
	// that opens a case (LogAdditionalComplaint) for a new request.
	if _, err := s.Store.UpdateCase(ctx, orig.Reference, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, back(opened), s.env(u, when, nr))
	}); err != nil {
		return opened, complaint.Errorf(complaint.Internal, "%s was opened but %s could not be linked to it: %v", opened.Reference, orig.Reference, err)
	}
	return s.Load(ctx, u, opened.Reference)
}
