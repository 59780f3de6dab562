package httpapi

import (
	"net/http"
	"strconv"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/restriction"
	"github.com/redresshq/redress/internal/store"
)

// The restrictions register (002 §2.7; issue 19): list, read, start with
// a warning or a decision, and decide, review or lift. Anyone who may act
// may warn; the rules let only the policy's deciders (a manager or admin
// by default) decide, review and lift.

func (s *Server) restrictions() *casework.Restrictions {
	return &casework.Restrictions{Cases: s.cases(), Store: s.Store}
}

func (s *Server) listRestrictions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.RestrictionFilter{PersonKey: q.Get("person_key")}
	if v := q.Get("status"); v != "" {
		st, err := enum.Parse(v, restriction.Statuses, "a status")
		if err != nil {
			return complaint.InvalidField("status", "%v", err)
		}
		f.Status = st
	}
	switch q.Get("review_due") {
	case "":
	case "true":
		f.ReviewDueBy = calendar.DateOf(s.Now()).AddDays(s.Policy.Restrictions.RemindBefore())
	default:
		return complaint.InvalidField("review_due", "want true, or leave it out")
	}
	if ref := q.Get("case_ref"); ref != "" {
		c, err := s.load(r, ref)
		if err != nil {
			return err
		}
		rs, err := s.cases().ActiveRestrictions(r.Context(), c.Complainant)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"restrictions": nonNil(rs)})
	}
	rs, err := s.restrictions().List(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"restrictions": nonNil(rs)})
}

func nonNil(rs []restriction.Restriction) []restriction.Restriction {
	if rs == nil {
		return []restriction.Restriction{}
	}
	return rs
}

func restrictionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, complaint.Errorf(complaint.NotFound, "there is no restriction %q", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) getRestriction(w http.ResponseWriter, r *http.Request) error {
	id, err := restrictionID(r)
	if err != nil {
		return err
	}
	rs, evs, err := s.restrictions().Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeRestriction(w, http.StatusOK, rs, evs)
}

func writeRestriction(w http.ResponseWriter, status int, rs restriction.Restriction, evs []restriction.Event) error {
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(rs.Version)))
	w.Header().Set("Location", "/api/v1/restrictions/"+strconv.FormatInt(rs.ID, 10))
	body := map[string]any{"restriction": rs}
	if evs != nil {
		body["events"] = evs
	}
	return writeJSON(w, status, body)
}

// startRestriction begins an entry in the register from the case the
// behaviour arose on, with a warning or (giving the reason none came
// first) a decision.
func (s *Server) startRestriction(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		CaseRef string              `json:"case_ref"`
		Warn    *restriction.Warn   `json:"warn"`
		Decide  *restriction.Decide `json:"decide"`
	}
	if err := decode(r, &body, false); err != nil {
		return err
	}
	var cmd restriction.Command
	switch {
	case body.Warn != nil && body.Decide == nil:
		cmd = *body.Warn
	case body.Decide != nil && body.Warn == nil:
		cmd = *body.Decide
	default:
		return complaint.InvalidField("warn", "give exactly one of warn and decide: a restriction starts with a warning, or with a decision that says why none came first")
	}
	rs, err := s.restrictions().Start(r.Context(), userOf(r), body.CaseRef, cmd)
	if err != nil {
		return err
	}
	return writeRestriction(w, http.StatusCreated, rs, nil)
}

// restrictionCommand serves a decide, review or lift command to a
// restriction, checked against If-Match when sent.
func (s *Server) restrictionCommand(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := restrictionID(r)
		if err != nil {
			return err
		}
		cmd, _ := restriction.CommandFor(name)
		if err := decode(r, cmd, false); err != nil {
			return err
		}
		v, err := ifMatch(r)
		if err != nil {
			return err
		}
		rs, err := s.restrictions().Apply(r.Context(), userOf(r), id, v, deref(cmd))
		if err != nil {
			return err
		}
		return writeRestriction(w, http.StatusOK, rs, nil)
	}
}

// deref turns the pointer CommandFor decodes into into the value the
// event records.
func deref(cmd restriction.Command) restriction.Command {
	switch c := cmd.(type) {
	case *restriction.Decide:
		return *c
	case *restriction.ReviewIt:
		return *c
	case *restriction.LiftNow:
		return *c
	case *restriction.Warn:
		return *c
	}
	return cmd
}

// restrictionLetter issues the letter the restriction's latest step
// calls for, filed on the case it arose on; the answer is the letter as
// the case's letters list it.
func (s *Server) restrictionLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := restrictionID(r)
	if err != nil {
		return err
	}
	var body struct {
		Channel string `json:"channel"`
	}
	if err := decode(r, &body, false); err != nil {
		return err
	}
	_, l, err := s.restrictions().IssueLetter(r.Context(), userOf(r), id, body.Channel)
	if err != nil {
		return err
	}
	l.PDF = nil
	return writeJSON(w, http.StatusCreated, l)
}
