package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// restrictionLister is what the digest reads of the restrictions
// register. store.Store has it; a store without it has no register, and
// its digests no reviews.
type restrictionLister interface {
	ListRestrictions(ctx context.Context, f store.RestrictionFilter) ([]restriction.Restriction, error)
}

// restrictionReviews returns, by the lower-cased email of their
// decision-maker, the restrictions in force whose review falls due within
// the policy's reminder days of day, or is past (002 §2.7: a restriction
// must not run on unexamined; issue 19).
func (r *Relay) restrictionReviews(ctx context.Context, day calendar.Date) (map[string][]restriction.Restriction, error) {
	l, ok := r.Store.(restrictionLister)
	if !ok {
		return nil, nil
	}
	var settings policy.Restrictions
	if r.Policy != nil {
		settings = r.Policy.Restrictions
	}
	rs, err := l.ListRestrictions(ctx, store.RestrictionFilter{ReviewDueBy: day.AddDays(settings.RemindBefore())})
	if err != nil {
		return nil, fmt.Errorf("restriction reviews: %w", err)
	}
	out := map[string][]restriction.Restriction{}
	for _, x := range rs {
		key := strings.ToLower(x.DecidedBy)
		out[key] = append(out[key], x)
	}
	return out, nil
}

// withRestrictionReviews puts the reviews a decision-maker owes at the
// top of their digest and counts them in its subject. The person is
// named by the register's number only: a digest is an email.
func withRestrictionReviews(m *store.OutboundMessage, rs []restriction.Restriction, day calendar.Date, s Settings) {
	if len(rs) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("Restrictions of contact to review (you decided or last reviewed them)\n")
	for _, x := range rs {
		state := "due"
		if x.ReviewDue.Before(day) {
			state = "OVERDUE, was due"
		}
		fmt.Fprintf(&b, "- restriction %d (arose on %s): review %s %s\n", x.ID, x.CaseRef, state, shortDate(x.ReviewDue))
		if s.BaseURL != "" {
			fmt.Fprintf(&b, "  %s/restrictions/%d\n", s.BaseURL, x.ID)
		}
	}
	b.WriteString("\n")
	hello, rest, ok := strings.Cut(m.TextBody, "\n\n")
	if ok {
		m.TextBody = hello + "\n\n" + b.String() + rest
	} else {
		m.TextBody = b.String() + m.TextBody
	}
	word := "restrictions"
	if len(rs) == 1 {
		word = "restriction"
	}
	prefix := fmt.Sprintf("%d %s to review", len(rs), word)
	if strings.HasSuffix(m.Subject, ": ") {
		m.Subject = prefix
	} else {
		m.Subject = prefix + "; " + m.Subject
	}
}
