package policy

import (
	"fmt"
	"slices"
)

// Restrictions are the landlord's settings for managing unacceptable,
// unreasonably persistent or vexatious behaviour (Greatwell Homes, 002
// §2.7; Peabody's 2018 policy, 003 §7 and its "Unacceptable customer
// behaviour guidance", 003 §10). A restriction limits how a person's
// contact happens, never whether a new complaint of theirs is logged and
// assessed on its merits. Zero values take the defaults below, each an
// assumption a preset states.
type Restrictions struct {
	// ReviewMonths is the default time from a decision (or a review) to
	// the next review of a restriction: restrictions must not run on
	// unexamined. Zero means DefaultReviewMonths.
	ReviewMonths int `yaml:"review_months,omitempty" json:"review_months"`
	// RemindDays is how many calendar days before a review falls due the
	// decision-maker is reminded in the daily digest and on the register.
	// Zero means DefaultRemindDays.
	RemindDays int `yaml:"remind_days,omitempty" json:"remind_days"`
	// DecidedBy are the roles that may decide, review and lift a
	// restriction: 002 §2.7 gives the decision to "the relevant Head of
	// Service or Operational Manager", which in Redress is a manager or an
	// admin. Empty means both.
	DecidedBy []string `yaml:"decided_by,omitempty" json:"decided_by"`
	// Exclusion names the policy's exclusion that refuses a complaint
	// because its complainant's contact is restricted (002 §2.7's
	// "vexatious complainant"). It may be used only while a restriction is
	// in force for the complainant.
	Exclusion string `yaml:"exclusion,omitempty" json:"exclusion,omitempty"`
	// Source quotes or cites the document; Assumed says the values are not
	// in it.
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`
	Assumed bool   `yaml:"assumed,omitempty" json:"assumed,omitempty"`
}

// Defaults for a policy that says nothing of restrictions (assumed: none
// of the five documents sets a review period).
const (
	DefaultReviewMonths = 6
	DefaultRemindDays   = 14
)

// Restriction roles, as auth names them (policy cannot import auth).
var restrictionRoles = []string{"admin", "manager", "officer", "reviewer"}

// ReviewPeriod returns the months between reviews of a restriction.
func (r Restrictions) ReviewPeriod() int {
	if r.ReviewMonths == 0 {
		return DefaultReviewMonths
	}
	return r.ReviewMonths
}

// RemindBefore returns the calendar days before a review's due date that
// its reminder starts.
func (r Restrictions) RemindBefore() int {
	if r.RemindDays == 0 {
		return DefaultRemindDays
	}
	return r.RemindDays
}

// Deciders returns the roles that may decide, review and lift a
// restriction: by default a manager or an admin (002 §2.7).
func (r Restrictions) Deciders() []string {
	if len(r.DecidedBy) == 0 {
		return []string{"manager", "admin"}
	}
	return r.DecidedBy
}

// MayDecide reports whether a user of role may decide on restrictions.
func (r Restrictions) MayDecide(role string) bool { return slices.Contains(r.Deciders(), role) }

func (p *Policy) validateRestrictions() []FieldError {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: "restrictions." + field, Message: fmt.Sprintf(format, args...)})
	}
	r := p.Restrictions
	if r.ReviewMonths < 0 || r.ReviewMonths > 24 {
		bad("review_months", "%d is impossible: want 1 to 24 months (or leave it out for %d)", r.ReviewMonths, DefaultReviewMonths)
	}
	if r.RemindDays < 0 || r.RemindDays > 90 {
		bad("remind_days", "%d is impossible: want 1 to 90 days (or leave it out for %d)", r.RemindDays, DefaultRemindDays)
	}
	for i, role := range r.DecidedBy {
		if !slices.Contains(restrictionRoles, role) {
			bad(fmt.Sprintf("decided_by[%d]", i), "%q is not a role that may act: want one of %v", role, restrictionRoles)
		}
	}
	if r.Exclusion != "" && !slices.ContainsFunc(p.Exclusions, func(x Exclusion) bool { return x.Code == r.Exclusion }) {
		bad("exclusion", "%q is not one of the policy's exclusions", r.Exclusion)
	}
	return errs
}
