package casework

import (
	"context"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// tenancyFromRegister fills a ConfirmTenancy's match from the register,
// whatever the request said of it, so that the tenure and address a
// confirmation sets are the register's. Confirming the tenancy suggested
// keeps how it was found; any other is the officer's choice.
func (s *Service) tenancyFromRegister(ctx context.Context, c complaint.Case, cmd complaint.ConfirmTenancy) (complaint.ConfirmTenancy, error) {
	cmd.Match = nil
	ref := strings.TrimSpace(cmd.Ref)
	if cmd.Clear || ref == "" {
		return cmd, nil
	}
	t, h, err := s.Store.GetTenancy(ctx, ref)
	if k := tenancy.RefKey(ref); complaint.ErrorCode(err) == complaint.NotFound && k != ref {
		// Typed from a letter, perhaps in lower case or with spaces.
		t, h, err = s.Store.GetTenancy(ctx, k)
	}
	if complaint.ErrorCode(err) == complaint.NotFound {
		return cmd, complaint.InvalidField("ref", "there is no tenancy %s in the register", ref)
	}
	if err != nil {
		return cmd, err
	}
	by := tenancy.MatchedBy(complaint.MatchedByOfficer)
	if c.Tenancy != nil && c.Tenancy.Ref == t.Ref && !c.Tenancy.Confirmed {
		by = tenancy.MatchedBy(c.Tenancy.MatchedBy)
	}
	m := tenancy.MatchFor(t, h, by)
	cmd.Ref, cmd.Match = t.Ref, &m
	return cmd, nil
}

// TenancyMatches returns the tenancies in the register that the case's
// complainant matches, best first, for the officer confirming or
// changing the case's match; c is a case u may see.
func (s *Service) TenancyMatches(ctx context.Context, c complaint.Case) ([]tenancy.Match, error) {
	cands, err := s.Store.TenancyCandidates(ctx, c.Complainant)
	if err != nil {
		return nil, err
	}
	today := c.ReceivedAt
	if today.IsZero() {
		today = s.Now()
	}
	return tenancy.Rank(c.Complainant, cands, calendar.DateOf(today)), nil
}

// SearchRegister finds tenancies for an officer logging a contact (see
// store.RegisterStore.SearchRegister); the surfaces let only staff
// search.
func (s *Service) SearchRegister(ctx context.Context, q string) ([]tenancy.Candidate, error) {
	return s.Store.SearchRegister(ctx, q, 20)
}
