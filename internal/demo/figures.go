package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// figuresStore is what the demo needs beside case work for its report
// pages to show real figures: the homes by tenure the measures are per
// 1,000 of, the TP09 perception survey's result, residents' answers to
// Redress's own survey, the year's improvements ("you said, we did") and
// the restrictions register. store.Store has
// all of them; they are the calls the report pages, the survey and the
// register themselves make.
type figuresStore interface {
	SetHomes(ctx context.Context, h policy.Homes, by string, at time.Time) error
	RecordTP09(ctx context.Context, r report.TP09Result) error
	RecordSurveyAnswers(ctx context.Context, ref string, a store.SurveyAnswers, at time.Time) error
	AddImprovement(ctx context.Context, year report.Year, im report.Improvement, by string, at time.Time) (int64, error)
	store.RestrictionStore
}

// improvements are the "you said, we did" of last year and this, which
// the annual review and the annual report list.
var improvements = []report.Improvement{
	{ServiceArea: "repairs", YouSaid: "Repairs reported twice were closed as duplicates and never done.",
		WeDid: "A second report of the same repair now reopens the first and goes to the repairs team leader."},
	{ServiceArea: "repairs", YouSaid: "Leaks between flats took months to trace to the flat above.",
		WeDid: "Contractor jobs for leaks between flats can no longer be closed without a photograph of the repair at source."},
}

// residentActor is who the record names for what a resident sends
// through their pages, as the residents' pages name them.
var residentActor = complaint.Actor{Email: "resident (web form)", Role: "resident"}

// figures gives the demo what its cases alone cannot: the homes by
// tenure and the TP09 result for this reporting year and the last, so
// that the measures per 1,000 homes and the published summary have
// figures for both; survey answers on the closed complaints; a
// resident's follow-up on the open ones; and a contact restriction,
// warned and then decided, in the register. Everything is dated back
// from now, as the cases are.
func (b *builder) figures(ctx context.Context, now time.Time) error {
	st := b.cfg.Store
	manager := b.staffWith("manager")
	year := report.YearOf(calendar.DateOf(now))
	for i, y := range []report.Year{year - 1, year} {
		h := policy.Homes{Year: int(y), LowCostRental: 4790 + 22*i, LowCostHomeOwnership: 341 + 15*i}
		if err := st.SetHomes(ctx, h, manager.Email, now.Add(-time.Hour)); err != nil {
			return fmt.Errorf("homes in %s: %w", y, err)
		}
		tp09 := report.TP09Result{Year: y,
			LowCostRental:        report.TP09Count{Satisfied: 212 + 9*i, Respondents: 611 + 4*i},
			LowCostHomeOwnership: report.TP09Count{Satisfied: 31 + 2*i, Respondents: 88 + 3*i},
			RecordedBy:           manager.Email, RecordedAt: now.Add(-time.Hour)}
		if err := st.RecordTP09(ctx, tp09); err != nil {
			return fmt.Errorf("TP09 in %s: %w", y, err)
		}
		if _, err := st.AddImprovement(ctx, y, improvements[i], manager.Email, now.Add(-time.Hour)); err != nil {
			return fmt.Errorf("improvement in %s: %w", y, err)
		}
	}
	answers := []store.SurveyAnswers{
		{Handling: "very_satisfied", Outcome: "fairly_satisfied", Comment: "Sorted quickly once it reached the right person."},
		{Handling: "fairly_dissatisfied", Outcome: "neither", Comment: "I had to chase twice before anyone called me back."},
		{Handling: "fairly_satisfied", Outcome: "very_satisfied"},
	}
	var answered, followedUp int
	for _, c := range b.loaded {
		switch {
		case c.Kind != complaint.KindComplaint:
		case c.Status == complaint.StatusClosed:
			a := answers[answered%len(answers)]
			at := c.ClosedAt.Add(26 * time.Hour)
			if at.After(now) {
				at = now.Add(-time.Hour)
			}
			if err := st.RecordSurveyAnswers(ctx, c.Reference, a, at); err != nil {
				return fmt.Errorf("%s survey answers: %w", c.Reference, err)
			}
			answered++
		case c.Status.Open() && followedUp < 2:
			// The resident adds something through their pages, as the
			// case page's "new from the resident" shows.
			info := complaint.AddInformation{Source: "portal", From: c.Complainant.Name,
				Text: "Just to add: it is still happening, and I can be reached on my mobile any weekday after 4pm."}
			if _, err := b.casework(b.cfg.Now).Receive(ctx, residentActor, c.Reference, now.Add(-time.Duration(30+10*followedUp)*time.Minute), info, nil); err != nil {
				return fmt.Errorf("%s follow-up: %w", c.Reference, err)
			}
			followedUp++
		}
	}
	return b.restriction(ctx, now)
}

// restriction warns the complainant of the service charge case about
// their contact and, after the warning did not work, restricts it, as
// the register's pages do (002 §2.7). Under a policy whose deciders are
// none of the demo's staff, the warning stands alone.
func (b *builder) restriction(ctx context.Context, now time.Time) error {
	i := slices.IndexFunc(b.loaded, func(c complaint.Case) bool { return strings.HasPrefix(c.Summary, "Communal cleaning charge") })
	if i < 0 {
		return nil
	}
	ref := b.loaded[i].Reference
	st := b.cfg.Store
	warnedAt := now.Add(-20 * 24 * time.Hour)
	rs := &casework.Restrictions{Cases: b.casework(func() time.Time { return warnedAt }), Store: st}
	by := b.staffWith("manager")
	r, err := rs.Start(ctx, by, ref, restriction.Warn{
		Behaviour:  "Eleven calls to the contact centre in one day, several abusive to the advisers, about the service charge complaint already being answered.",
		ActionPlan: "One call a week with the case handler, who will ring with every update; abusive calls will be ended.",
	})
	if err != nil {
		return fmt.Errorf("%s restriction warning: %w", ref, err)
	}
	decider, ok := b.decider()
	if !ok {
		return nil
	}
	decidedAt := now.Add(-6 * 24 * time.Hour)
	rs.Cases = b.casework(func() time.Time { return decidedAt })
	_, err = rs.Apply(ctx, decider, r.ID, r.Version, restriction.Decide{
		Reasons:               "The calls carried on after the warning, with abuse to two advisers on one day.",
		AdjustmentsConsidered: "Contact by email, which the resident said suits them, is kept open; no adjustments are on record.",
		Arrangements: restriction.Arrangements{NamedContact: decider.Name, Channels: []string{"email", "letter"},
			Times: "Email at any time; a reply within two working days"},
	})
	if err != nil {
		return fmt.Errorf("%s restriction decision: %w", ref, err)
	}
	return nil
}

// staffWith is the demo's first member of staff with role.
func (b *builder) staffWith(role string) store.User {
	for _, u := range b.landlord.Staff {
		if u.Role == role {
			return u
		}
	}
	return b.landlord.Staff[0]
}

// decider is the demo's first member of staff the policy lets decide a
// restriction.
func (b *builder) decider() (store.User, bool) {
	for _, u := range b.landlord.Staff {
		if b.cfg.Policy.Restrictions.MayDecide(u.Role) {
			return u, true
		}
	}
	return store.User{}, false
}
