package restriction

import (
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// Warn tells the person the landlord is considering restricting their
// contact: the behaviour of concern and the action plan, with the chance
// to change (002 §2.7). Any member of staff who may act may give it.
type Warn struct {
	Behaviour  string `json:"behaviour"`
	ActionPlan string `json:"action_plan"`
}

func (Warn) event() EventKind { return EventWarned }

func (cmd Warn) decide(r *Restriction, env Env, f fields) error {
	if r.Status != "" {
		return complaint.Errorf(complaint.Conflict, "this restriction is %s: a warning starts a new entry in the register", r.Status)
	}
	f.text("behaviour", cmd.Behaviour, true, true)
	f.text("action_plan", cmd.ActionPlan, true, true)
	r.Status = Warned
	r.Warning = &Warning{At: env.Now, By: env.Actor.Email, Behaviour: strings.TrimSpace(cmd.Behaviour), ActionPlan: strings.TrimSpace(cmd.ActionPlan)}
	return nil
}

// Decide puts a restriction in force, with the restricted contact
// arrangements and a review date. Only a decider may (002 §2.7: "the
// relevant Head of Service or Operational Manager"). It follows a
// warning, because action is taken when "business as usual" management
// has not worked; without one, WithoutWarning must say why (such as
// threats to staff).
type Decide struct {
	Reasons               string        `json:"reasons"`
	AdjustmentsConsidered string        `json:"adjustments_considered"`
	WithoutWarning        string        `json:"without_warning,omitempty"`
	Arrangements          Arrangements  `json:"arrangements"`
	ReviewDue             calendar.Date `json:"review_due,omitzero"`
}

func (Decide) event() EventKind { return EventDecided }

func (cmd Decide) decide(r *Restriction, env Env, f fields) error {
	if err := requireDecider(env, "decide"); err != nil {
		return err
	}
	switch r.Status {
	case "":
		if strings.TrimSpace(cmd.WithoutWarning) == "" {
			f.add("without_warning", "is required without a prior warning: 002 §2.7 restricts contact only when business as usual has not worked, so say why no warning was given (for example threats to staff)")
		}
	case Warned:
		if strings.TrimSpace(cmd.WithoutWarning) != "" {
			f.add("without_warning", "must be empty: a warning was given")
		}
	default:
		return complaint.Errorf(complaint.Conflict, "this restriction is %s: a decision follows a warning, or starts a new entry", r.Status)
	}
	f.text("reasons", cmd.Reasons, true, true)
	f.text("adjustments_considered", cmd.AdjustmentsConsidered, true, true)
	f.text("without_warning", cmd.WithoutWarning, false, true)
	a := cmd.Arrangements.check(f, "arrangements.")
	due := reviewDate(f, "review_due", cmd.ReviewDue, env)
	r.Status = InForce
	r.Decision = &Decision{At: env.Now, By: env.Actor.Email, Reasons: strings.TrimSpace(cmd.Reasons),
		AdjustmentsConsidered: strings.TrimSpace(cmd.AdjustmentsConsidered), WithoutWarning: strings.TrimSpace(cmd.WithoutWarning)}
	r.Arrangements = &a
	r.ReviewDue = due
	r.DecidedBy = env.Actor.Email
	return nil
}

// ReviewIt records a review of a restriction in force: continue it, vary
// its arrangements, or lift it, with reasons and (unless lifted) the next
// review date. Only a decider may.
type ReviewIt struct {
	Outcome      Outcome       `json:"outcome"`
	Reasons      string        `json:"reasons"`
	NextReview   calendar.Date `json:"next_review,omitzero"`
	Arrangements *Arrangements `json:"arrangements,omitempty"`
}

func (ReviewIt) event() EventKind { return EventReviewed }

func (cmd ReviewIt) decide(r *Restriction, env Env, f fields) error {
	if err := requireDecider(env, "review"); err != nil {
		return err
	}
	if r.Status != InForce {
		return complaint.Errorf(complaint.Conflict, "only a restriction in force is reviewed; this one is %s", r.Status)
	}
	f.text("reasons", cmd.Reasons, true, true)
	rv := Review{At: env.Now, By: env.Actor.Email, Outcome: cmd.Outcome, Reasons: strings.TrimSpace(cmd.Reasons)}
	switch cmd.Outcome {
	case Continue, Vary:
		rv.NextReview = reviewDate(f, "next_review", cmd.NextReview, env)
		if cmd.Outcome == Vary {
			if cmd.Arrangements == nil {
				f.add("arrangements.named_contact", "is required: a review that varies the restriction gives the new arrangements")
			} else {
				a := cmd.Arrangements.check(f, "arrangements.")
				rv.Arrangements = &a
				r.Arrangements = &a
			}
		} else if cmd.Arrangements != nil {
			f.add("arrangements", "only a review that varies the restriction changes its arrangements")
		}
		r.ReviewDue = rv.NextReview
		r.DecidedBy = env.Actor.Email
	case LiftIt:
		if !cmd.NextReview.IsZero() {
			f.add("next_review", "must be empty: a lifted restriction is not reviewed again")
		}
		r.Status = Lifted
		r.ReviewDue = calendar.Date{}
		r.Lift = &Lift{At: env.Now, By: env.Actor.Email, Reasons: rv.Reasons}
	default:
		f.add("outcome", "\""+string(cmd.Outcome)+"\" is not an outcome: want continue, vary or lift")
	}
	r.Reviews = append(r.Reviews, rv)
	return nil
}

// LiftNow ends a warning or a restriction between reviews, with reasons
// (the behaviour changed; the warning's action plan worked). Only a
// decider may.
type LiftNow struct {
	Reasons string `json:"reasons"`
}

func (LiftNow) event() EventKind { return EventLifted }

func (cmd LiftNow) decide(r *Restriction, env Env, f fields) error {
	if err := requireDecider(env, "lift"); err != nil {
		return err
	}
	if !r.Active() {
		return complaint.Errorf(complaint.Conflict, "this restriction is %s: only a warning or a restriction in force can be lifted", r.Status)
	}
	f.text("reasons", cmd.Reasons, true, true)
	r.Status = Lifted
	r.ReviewDue = calendar.Date{}
	r.Lift = &Lift{At: env.Now, By: env.Actor.Email, Reasons: strings.TrimSpace(cmd.Reasons)}
	return nil
}

// CommandFor returns an empty command for an event kind or a URL verb
// (warn, decide, review, lift), for decoding requests and events.
func CommandFor(name string) (Command, bool) {
	switch name {
	case "warn", string(EventWarned):
		return &Warn{}, true
	case "decide", string(EventDecided):
		return &Decide{}, true
	case "review", string(EventReviewed):
		return &ReviewIt{}, true
	case "lift", string(EventLifted):
		return &LiftNow{}, true
	}
	return nil, false
}
