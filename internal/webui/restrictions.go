package webui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// The restrictions register's pages (002 §2.7; issue 19): the register,
// one page per restriction with its forms, the form that starts one from
// a case, and the banner every case of a restricted person shows.

func (s *Server) restrictionService() *casework.Restrictions {
	return &casework.Restrictions{Cases: s.cases(), Store: s.Store}
}

// channelNames are the channels as the pages name them.
var channelNames = map[string]string{"email": "Email", "letter": "Letter", "phone": "Phone", "in_person": "In person", "online_form": "Online form"}

// restrictionBanner is what the banner on a case, or on the new-contact
// page, shows: the person's warnings and restrictions in force.
type restrictionBanner struct {
	Restrictions []restriction.Restriction
	Channels     map[string]string
}

// addRestrictions puts the banner of p's restrictions into a case page's
// data.
func (s *Server) addRestrictions(ctx context.Context, data map[string]any, p complaint.Person) error {
	rs, err := s.cases().ActiveRestrictions(ctx, p)
	if err != nil {
		return err
	}
	data["Restrictions"] = restrictionBanner{Restrictions: rs, Channels: channelNames}
	return nil
}

// newContactRestrictions is the banner for the person a new contact is
// being logged from. A failed look-up is logged and shows no banner:
// a restriction limits how contact happens, never whether a contact is
// logged, so nothing about the register may stop the page.
func (s *Server) newContactRestrictions(r *http.Request, form url.Values) restrictionBanner {
	b := restrictionBanner{Channels: channelNames}
	if form == nil || r.Method != http.MethodPost {
		return b
	}
	p := complaint.Person{Email: strings.TrimSpace(form.Get("complainant.email")), TenancyRef: strings.TrimSpace(form.Get("complainant.tenancy_ref")),
		Phone: form.Get("complainant.phone")}
	rs, err := s.cases().ActiveRestrictions(r.Context(), p)
	if err != nil {
		s.Log.Error("looking up restrictions for a new contact", "err", err)
		return b
	}
	b.Restrictions = rs
	return b
}

func (s *Server) restrictionsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.RestrictionFilter{}
	status := q.Get("status")
	if status != "" {
		st, err := enum.Parse(status, restriction.Statuses, "a status")
		if err != nil {
			return complaint.InvalidField("status", "%v", err)
		}
		f.Status = st
	}
	today := calendar.DateOf(s.Now())
	due := q.Get("review_due") == "yes"
	if due {
		f.ReviewDueBy = today.AddDays(s.Policy.Restrictions.RemindBefore())
	}
	rs, err := s.restrictionService().List(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "restrictions", map[string]any{
		"Title": "Restrictions register", "Nav": "restrictions", "Restrictions": rs, "Status": status, "ReviewDue": due,
		"Today": today, "RemindDays": s.Policy.Restrictions.RemindBefore(), "Statuses": restriction.Statuses,
	})
	return nil
}

func (s *Server) restrictionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "there is no restriction %q", r.PathValue("id"))
	}
	return s.renderRestriction(w, r, http.StatusOK, id, "", nil, nil, r.URL.Query().Get("done"))
}

func (s *Server) renderRestriction(w http.ResponseWriter, r *http.Request, status int, id int64, active string, form url.Values, errs []fieldError, done string) error {
	u := userOf(r)
	rs, evs, err := s.restrictionService().Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.Now())
	kind := letters.RestrictionLetterKind(rs)
	s.render(w, r, status, "restriction", map[string]any{
		"LetterKind": kind, "LetterTitle": kind.Title(),
		"Title": "Restriction " + strconv.FormatInt(id, 10) + ": " + rs.PersonName, "Nav": "restrictions",
		"R": rs, "Events": evs, "Active": active, "Form": form, "Errors": errs, "Done": done,
		"CanAct": auth.Role(u.Role).CanAct(), "CanDecide": s.Policy.Restrictions.MayDecide(u.Role),
		"Channels": restriction.Channels, "ChannelNames": channelNames, "Outcomes": restriction.Outcomes,
		"ReviewHint":  reviewHint(s, today),
		"ReminderDue": rs.ReminderDue(today, s.Policy.Restrictions.RemindBefore()),
	})
	return nil
}

// readArrangements reads the arrangements fields of a decide or review
// form.
func readArrangements(f url.Values) restriction.Arrangements {
	return restriction.Arrangements{NamedContact: f.Get("arrangements.named_contact"), Channels: f["arrangements.channels"],
		Times: f.Get("arrangements.times"), Other: f.Get("arrangements.other")}
}

// readReviewDate reads an optional date field, adding a field error where
// it cannot be read.
func readReviewDate(f url.Values, name, label string, errs *[]fieldError) calendar.Date {
	iso, msg := readDate(f, name, label)
	if msg != "" {
		*errs = append(*errs, fieldError{Field: name, Message: msg})
		return calendar.Date{}
	}
	if iso == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(iso)
	if err != nil {
		*errs = append(*errs, fieldError{Field: name, Message: label + " must be a real date"})
	}
	return d
}

// readDecide reads the decision form.
func readDecide(f url.Values, errs *[]fieldError) restriction.Decide {
	return restriction.Decide{Reasons: f.Get("reasons"), AdjustmentsConsidered: f.Get("adjustments_considered"),
		WithoutWarning: f.Get("without_warning"), Arrangements: readArrangements(f),
		ReviewDue: readReviewDate(f, "review_due", "The review date", errs)}
}

// restrictionCommand serves the decide, review and lift forms of a
// restriction's page.
func (s *Server) restrictionCommand(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "there is no restriction %q", r.PathValue("id"))
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	name := r.PathValue("command")
	if name == "letter" {
		return s.restrictionLetter(w, r, id, f)
	}
	var errs []fieldError
	var cmd restriction.Command
	done := ""
	switch name {
	case "decide":
		cmd, done = readDecide(f, &errs), "decided"
	case "review":
		rv := restriction.ReviewIt{Outcome: restriction.Outcome(f.Get("outcome")), Reasons: f.Get("reasons"),
			NextReview: readReviewDate(f, "next_review", "The next review date", &errs)}
		if rv.Outcome == restriction.Vary {
			a := readArrangements(f)
			rv.Arrangements = &a
		}
		if rv.Outcome == "" {
			errs = append(errs, fieldError{Field: "outcome", Message: "Choose the review's outcome"})
		}
		cmd, done = rv, "reviewed"
	case "lift":
		// The lift form's reasons are named apart from the review's,
		// which may be on the same page.
		cmd, done = restriction.LiftNow{Reasons: f.Get("lift_reasons")}, "lifted"
	default:
		return complaint.Errorf(complaint.NotFound, "there is no restriction command %q", name)
	}
	version, _ := strconv.Atoi(f.Get("version"))
	if len(errs) == 0 {
		_, err = s.restrictionService().Apply(r.Context(), userOf(r), id, version, cmd)
		if e, ok := domainErrors(err, name); ok {
			errs = relabel(e)
		} else if err != nil {
			return err
		}
	}
	if name == "lift" {
		for i := range errs {
			if errs[i].Field == "reasons" {
				errs[i] = fieldError{Field: "lift_reasons", Message: "Why it is lifted " + strings.TrimPrefix(errs[i].Message, "Reasons ")}
			}
		}
	}
	if len(errs) > 0 {
		return s.renderRestriction(w, r, http.StatusBadRequest, id, name, f, errs, "")
	}
	http.Redirect(w, r, "/restrictions/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) newRestrictionPage(w http.ResponseWriter, r *http.Request) error {
	ref := r.URL.Query().Get("case")
	c, err := s.cases().Load(r.Context(), userOf(r), ref)
	if err != nil {
		return err
	}
	return s.renderNewRestriction(w, r, http.StatusOK, c, "", url.Values{}, nil)
}

func (s *Server) renderNewRestriction(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, active string, form url.Values, errs []fieldError) error {
	u := userOf(r)
	banner := restrictionBanner{Channels: channelNames}
	rs, err := s.cases().ActiveRestrictions(r.Context(), c.Complainant)
	if err != nil {
		return err
	}
	banner.Restrictions = rs
	today := calendar.DateOf(s.Now())
	s.render(w, r, status, "restriction-new", map[string]any{
		"Title": "Manage contact from " + c.Complainant.Name, "Nav": "restrictions", "Case": c, "Active": active,
		"Form": form, "Errors": errs, "CanDecide": s.Policy.Restrictions.MayDecide(u.Role), "Restrictions": banner,
		"Channels": restriction.Channels, "ChannelNames": channelNames, "ReviewHint": reviewHint(s, today), "Identified": c.Complainant.Key() != "",
	})
	return nil
}

// newRestriction starts a restriction from a case: a warning, or a
// decision without one that says why.
func (s *Server) newRestriction(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	c, err := s.cases().Load(r.Context(), userOf(r), f.Get("case"))
	if err != nil {
		return err
	}
	var errs []fieldError
	var cmd restriction.Command
	active := f.Get("start")
	switch active {
	case "warn":
		cmd = restriction.Warn{Behaviour: f.Get("behaviour"), ActionPlan: f.Get("action_plan")}
	case "decide":
		cmd = readDecide(f, &errs)
	default:
		return complaint.InvalidField("start", "want warn or decide")
	}
	var rs restriction.Restriction
	if len(errs) == 0 {
		rs, err = s.restrictionService().Start(r.Context(), userOf(r), c.Reference, cmd)
		if e, ok := domainErrors(err, active); ok {
			errs = relabel(e)
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderNewRestriction(w, r, http.StatusBadRequest, c, active, f, errs)
	}
	http.Redirect(w, r, "/restrictions/"+strconv.FormatInt(rs.ID, 10)+"?done="+map[string]string{"warn": "warned", "decide": "decided"}[active], http.StatusSeeOther)
	return nil
}

// channelList names a restriction's channels for the pages.
func channelList(cs []string) string {
	var out []string
	for _, c := range cs {
		out = append(out, channelNames[c])
	}
	return strings.Join(out, ", ")
}

// hasValue reports whether a form's multi-valued field holds v.
func hasValue(f url.Values, name, v string) bool { return f != nil && slices.Contains(f[name], v) }

// reviewHint is the hint of a review date field: the policy's default
// and an example.
func reviewHint(s *Server, today calendar.Date) string {
	return "Leave it blank for " + formatDate(restriction.DefaultReview(s.Policy, s.Now())) + ", the policy's review period. " + dateExample(today) + "."
}

// restrictionLabels name the register's fields as its forms label them.
var restrictionLabels = map[string]string{
	"behaviour": "The behaviour of concern", "action_plan": "The action plan", "reasons": "Reasons",
	"adjustments_considered": "Reasonable adjustments considered", "without_warning": "Why no warning was given first",
	"arrangements.named_contact": "Named contact", "arrangements.channels": "Ways the person may still make contact",
	"arrangements.times": "Set times", "arrangements.other": "Other arrangements", "review_due": "Review date",
	"next_review": "Next review date", "outcome": "Outcome",
}

// relabel rewrites the domain's messages about the register's fields with
// the labels the forms show.
func relabel(errs []fieldError) []fieldError {
	for i, e := range errs {
		if l, ok := restrictionLabels[e.Field]; ok {
			errs[i].Message = l + strings.TrimPrefix(e.Message, humanField(e.Field))
		}
	}
	return errs
}

// restrictionLetter issues the letter the restriction's latest step calls
// for, filed on the case it arose on (casework.Restrictions.IssueLetter).
// What stops it (an empty address, something the letter check finds
// missing) is shown on the restriction's page.
func (s *Server) restrictionLetter(w http.ResponseWriter, r *http.Request, id int64, f url.Values) error {
	c, l, err := s.restrictionService().IssueLetter(r.Context(), userOf(r), id, f.Get("channel"))
	var refused *casework.LetterRefused
	if errors.As(err, &refused) {
		var errs []fieldError
		for _, p := range refused.All() {
			errs = append(errs, fieldError{Field: "channel", Message: capitalise(p.Message)})
		}
		return s.renderRestriction(w, r, http.StatusBadRequest, id, "letter", f, errs, "")
	}
	if e, ok := domainErrors(err, "channel"); ok {
		return s.renderRestriction(w, r, http.StatusBadRequest, id, "letter", f, e, "")
	}
	if err != nil {
		return err
	}
	s.Log.Info("restriction letter issued", "restriction_id", id, "reference", c.Reference, "letter_id", l.ID, "user_id", userOf(r).ID)
	http.Redirect(w, r, "/restrictions/"+strconv.FormatInt(id, 10)+"?done=letter", http.StatusSeeOther)
	return nil
}
