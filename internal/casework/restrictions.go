package casework

import (
	"context"
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// restrictionLister is what case work reads of the restrictions register:
// the restrictions of one person. store.Store has it; a store without it
// holds no restrictions, so the restricted-contact exclusion is refused.
type restrictionLister interface {
	ListRestrictions(ctx context.Context, f store.RestrictionFilter) ([]restriction.Restriction, error)
}

// ActiveRestrictions returns the warnings and restrictions in force for
// c's complainant (002 §2.7), for the banner every case of theirs shows.
// A complainant who cannot be recognised has none.
func (s *Service) ActiveRestrictions(ctx context.Context, p complaint.Person) ([]restriction.Restriction, error) {
	l, ok := s.Store.(restrictionLister)
	key := p.Key()
	if !ok || key == "" {
		return nil, nil
	}
	return l.ListRestrictions(ctx, store.RestrictionFilter{PersonKey: key, ActiveOnly: true})
}

// restrictionInForce describes the restriction in force for c's
// complainant, or "" if none is: a refusal on the policy's restricted
// contact exclusion needs one (complaint.Env.RestrictionInForce).
func (s *Service) restrictionInForce(ctx context.Context, c complaint.Case) (string, error) {
	rs, err := s.ActiveRestrictions(ctx, c.Complainant)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.Status == restriction.InForce {
			return DescribeRestriction(r), nil
		}
	}
	return "", nil
}

// DescribeRestriction names a restriction in force as a refusal records
// it: its number, since when, and by whom it was decided.
func DescribeRestriction(r restriction.Restriction) string {
	s := fmt.Sprintf("restriction %d", r.ID)
	if r.Decision != nil {
		s += fmt.Sprintf(", in force since %s, decided by %s", calendar.DateOf(r.Decision.At), r.Decision.By)
	}
	return s
}

// refusalEnv is the register's answer for a refusal, looked up before the
// command is decided; other commands need nothing from the register.
func (s *Service) refusalEnv(ctx context.Context, c complaint.Case, cmd complaint.Command) (string, error) {
	if _, ok := cmd.(complaint.Refuse); !ok {
		return "", nil
	}
	return s.restrictionInForce(ctx, c)
}

// Restrictions runs the restrictions register (002 §2.7) beside case
// work: a restriction starts from the case it arose on, whose complainant
// it names, and only someone who may see that case may start one.
type Restrictions struct {
	Cases *Service
	Store store.RestrictionStore
}

func (rs *Restrictions) env(u store.User) restriction.Env {
	return restriction.Env{Now: rs.Cases.Now(), Actor: complaint.Actor{Email: u.Email, Role: u.Role}, Policy: rs.Cases.Policy}
}

// Start begins a restriction about the complainant of case ref with a
// warning or a decision.
func (rs *Restrictions) Start(ctx context.Context, u store.User, ref string, cmd restriction.Command) (restriction.Restriction, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return restriction.Restriction{}, complaint.InvalidField("case_ref", "is required: the case the behaviour arose on")
	}
	c, err := rs.Cases.Load(ctx, u, ref)
	if err != nil {
		if complaint.ErrorCode(err) == complaint.NotFound {
			return restriction.Restriction{}, complaint.InvalidField("case_ref", "there is no case %s", ref)
		}
		return restriction.Restriction{}, err
	}
	sub := restriction.Subject{PersonKey: c.Complainant.Key(), PersonName: c.Complainant.Name, CaseRef: c.Reference}
	return rs.Store.CreateRestriction(ctx, func() (restriction.Restriction, restriction.Event, error) {
		return restriction.Start(sub, cmd, rs.env(u))
	})
}

// Get returns restriction id and its events to u. A restriction names a
// person and the case it arose on, so only someone who may see that case
// may see it: to anyone else, a restriction on a confidential case does
// not exist.
func (rs *Restrictions) Get(ctx context.Context, u store.User, id int64) (restriction.Restriction, []restriction.Event, error) {
	r, err := rs.Store.GetRestriction(ctx, id)
	if err != nil {
		return restriction.Restriction{}, nil, err
	}
	if err := rs.see(ctx, u, r); err != nil {
		return restriction.Restriction{}, nil, complaint.Errorf(complaint.NotFound, "there is no restriction %d", id)
	}
	evs, err := rs.Store.RestrictionEvents(ctx, id)
	return r, evs, err
}

// List returns the register's entries matching f that u may see (Get).
func (rs *Restrictions) List(ctx context.Context, u store.User, f store.RestrictionFilter) ([]restriction.Restriction, error) {
	all, err := rs.Store.ListRestrictions(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []restriction.Restriction
	for _, r := range all {
		switch err := rs.see(ctx, u, r); {
		case err == nil:
			out = append(out, r)
		case complaint.ErrorCode(err) != complaint.NotFound:
			return nil, err
		}
	}
	return out, nil
}

// see returns a not-found error unless u may see the case r arose on.
func (rs *Restrictions) see(ctx context.Context, u store.User, r restriction.Restriction) error {
	_, err := rs.Cases.visible(ctx, u, r.CaseRef)
	return err
}

// Apply gives cmd to restriction id, if u may see it (Get).
func (rs *Restrictions) Apply(ctx context.Context, u store.User, id int64, ifVersion int, cmd restriction.Command) (restriction.Restriction, error) {
	if _, _, err := rs.Get(ctx, u, id); err != nil {
		return restriction.Restriction{}, err
	}
	return rs.Store.UpdateRestriction(ctx, id, ifVersion, func(r restriction.Restriction) (restriction.Restriction, restriction.Event, error) {
		return restriction.Apply(r, cmd, rs.env(u))
	})
}

// IssueLetter drafts and issues the letter restriction id's latest step
// calls for (letters.RestrictionLetterKind: the warning, the decision or
// the latest review), by email or post, to the complainant of the case it
// arose on, and files it there: it is in that case's letters and evidence
// pack, and its hash on the case's audit chain, like every letter. It is
// drafted as the landlord's template words it and checked like every
// letter; a later review's letter, a kind that case has already had, is
// recorded as sent again with the review as its reason.
func (rs *Restrictions) IssueLetter(ctx context.Context, u store.User, id int64, channel string) (complaint.Case, store.Letter, error) {
	r, err := rs.Store.GetRestriction(ctx, id)
	if err != nil {
		return complaint.Case{}, store.Letter{}, err
	}
	kind := letters.RestrictionLetterKind(r)
	if kind == "" {
		return complaint.Case{}, store.Letter{}, complaint.Errorf(complaint.Conflict, "restriction %d was a warning lifted before any decision: there is no letter to send", id)
	}
	cs := rs.Cases
	c, err := cs.Load(ctx, u, r.CaseRef)
	if err != nil {
		return complaint.Case{}, store.Letter{}, err
	}
	lh, err := cs.Letterhead(ctx)
	if err != nil {
		return c, store.Letter{}, err
	}
	tmpl, err := cs.LetterTemplate(ctx, kind)
	if err != nil {
		return c, store.Letter{}, err
	}
	l, err := letters.DraftRestriction(kind, c, r, cs.Policy, lh, tmpl, calendar.DateOf(cs.Now()))
	if err != nil {
		return c, store.Letter{}, err
	}
	d := LetterDraft{Letter: l, Letterhead: lh}
	prior, err := cs.LettersIssued(ctx, c, kind)
	if err != nil {
		return c, store.Letter{}, err
	}
	if len(prior) > 0 {
		d.Reissue = Reissue{Reason: fmt.Sprintf("restriction %d: %s of %s", id, strings.ToLower(kind.Title()), calendar.DateOf(r.UpdatedAt)), Confirmed: true}
	}
	return cs.IssueDraft(ctx, u, c, d, channel, 0)
}
