package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/store"
)

// cases is the case work the API does for its callers.
func (s *Server) cases() *casework.Service {
	return &casework.Service{Store: s.Store, Policy: s.Policy, Calendar: s.Calendar, Log: s.Log, Now: s.Now, ServiceName: s.ServiceName}
}

// viewer is u as lists and figures need them for the confidential-case
// rule under the policy (casework.Service.Viewer).
func (s *Server) viewer(u store.User) store.Viewer {
	return s.cases().Viewer(u)
}

// load returns the case ref if the user may see it.
func (s *Server) load(r *http.Request, ref string) (complaint.Case, error) {
	return s.cases().Load(r.Context(), userOf(r), ref)
}

func writeCase(w http.ResponseWriter, status int, c complaint.Case) error {
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(c.Version)))
	w.Header().Set("Location", "/api/v1/cases/"+c.Reference)
	return writeJSON(w, status, c)
}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	var cmd complaint.Create
	if err := decode(r, &cmd, false); err != nil {
		return err
	}
	c, err := s.cases().Create(r.Context(), userOf(r), cmd)
	if err != nil {
		return err
	}
	return writeCase(w, http.StatusCreated, c)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	return writeCase(w, http.StatusOK, c)
}

func (s *Server) caseEvents(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	evs, err := s.cases().Events(r.Context(), userOf(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"reference": c.Reference, "events": evs})
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.CaseFilter{
		Viewer: s.viewer(userOf(r)), Kind: complaint.Kind(q.Get("kind")), Status: complaint.Status(q.Get("status")),
		Handler: q.Get("handler"), ServiceArea: q.Get("service_area"), Q: q.Get("q"), Cursor: q.Get("cursor"), Sort: q.Get("sort"),
		Today: calendar.DateOf(s.Now()),
	}
	bad := map[string]string{}
	for key := range q {
		switch key {
		case "kind", "stage", "status", "handler", "service_area", "overdue", "no_tenure", "due_before", "received_from", "received_to", "q", "sort", "cursor", "limit":
		default:
			bad[key] = "is not a filter; see /api/openapi.json"
		}
	}
	if v := q.Get("kind"); v != "" {
		if _, err := enum.Parse(v, complaint.Kinds, "a kind of contact"); err != nil {
			bad["kind"] = err.Error()
		}
	}
	if v := q.Get("status"); v != "" {
		if _, err := enum.Parse(v, complaint.Statuses, "a status"); err != nil {
			bad["status"] = err.Error()
		}
	}
	if v := q.Get("stage"); v != "" {
		if f.Stage, _ = strconv.Atoi(v); f.Stage != 1 && f.Stage != 2 {
			bad["stage"] = "want 1 or 2"
		}
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad["overdue"] = "want true or false"
		}
		f.Overdue = b
	}
	if v := q.Get("no_tenure"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad["no_tenure"] = "want true or false"
		}
		f.NoTenure = b
	}
	if v := q.Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 500 {
			bad["limit"] = "want 1 to 500"
		} else {
			f.Limit = n
		}
	}
	if v := q.Get("due_before"); v != "" {
		d, err := calendar.ParseDate(v)
		if err != nil {
			bad["due_before"] = err.Error()
		}
		f.DueBefore = d
	}
	for key, dst := range map[string]*time.Time{"received_from": &f.ReceivedFrom, "received_to": &f.ReceivedTo} {
		if v := q.Get(key); v != "" {
			t, err := parseWhen(v)
			if err != nil {
				bad[key] = err.Error()
			}
			*dst = t
		}
	}
	if len(bad) > 0 {
		return &complaint.Error{Code: complaint.Invalid, Message: "the query has invalid filters", Fields: bad}
	}
	cases, next, err := s.cases().List(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"cases": cases, "next_cursor": next})
}

// parseWhen accepts an RFC 3339 time or a date, meaning its start in London.
func parseWhen(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a YYYY-MM-DD date", v)
	}
	return d.Start(), nil
}

// ifMatch returns the version the caller last saw, from If-Match, or 0.
func ifMatch(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, complaint.InvalidField("If-Match", "want the case's ETag, such as \"3\"")
	}
	return n, nil
}

// decodeCommand reads a command body: the command's own fields plus
// "at", when it happened. An "at" left out (or null) means now; an "at"
// given must be a real time, so "0001-01-01T00:00:00Z" (Go's zero time,
// which the domain reads as "now") is refused rather than silently
// meaning now.
func decodeCommand[T any](r *http.Request, emptyOK bool) (T, *time.Time, error) {
	var cmd T
	var fields map[string]json.RawMessage
	if err := decode(r, &fields, emptyOK); err != nil {
		return cmd, nil, err
	}
	var at *time.Time
	if raw, ok := fields["at"]; ok {
		delete(fields, "at")
		if string(bytes.TrimSpace(raw)) != "null" {
			var t time.Time
			if err := json.Unmarshal(raw, &t); err != nil {
				return cmd, nil, complaint.InvalidField("at", "%s", leafProblem(bytes.TrimSpace(raw), timeType, err))
			}
			if t.Year() < 2000 {
				return cmd, nil, complaint.InvalidField("at", "%s is not a time anything on a case happened: give when it happened, or leave at out to mean now", t.Format(time.RFC3339))
			}
			at = &t
		}
	}
	rest, _ := json.Marshal(fields)
	if err := decodeJSON(rest, &cmd); err != nil {
		return cmd, nil, err
	}
	return cmd, at, nil
}

// CommandNames are the values of {command} in POST
// /api/v1/cases/{ref}/{command}, each a domain command: the one list the
// error for an unknown command and the OpenAPI document's tests read.
var CommandNames = []string{
	"acknowledge", "assign", "extend", "respond", "escalate", "close",
	"withdraw", "refuse", "convert", "milestone", "notes", "link", "details",
	"definition", "mark-read",
	"safety-flag", "safety-acknowledge", "hazard", "hazard-step", "accommodation",
	"ombudsman-referral", "ombudsman-evidence-request", "ombudsman-approval", "ombudsman-evidence-sent", "ombudsman-determination", "ombudsman-compliance",
	"sign-off", "sign-off-waiver", "mediation", "additional-complaint",
	"response-method", "member-acknowledge", "member-response",
	"compliment", "tenancy",
}

func (s *Server) command(w http.ResponseWriter, r *http.Request) error {
	var (
		cmd complaint.Command
		at  *time.Time
		err error
	)
	switch name := r.PathValue("command"); name {
	case "acknowledge":
		cmd, at, err = decodeAs[complaint.Acknowledge](r, false)
	case "assign":
		var a complaint.Assign
		a, at, err = decodeCommand[complaint.Assign](r, false)
		if err == nil {
			a, err = s.resolveHandler(r, a)
		}
		cmd = a
	case "extend":
		cmd, at, err = decodeAs[complaint.Extend](r, false)
	case "respond":
		cmd, at, err = decodeAs[complaint.Respond](r, false)
	case "escalate":
		cmd, at, err = decodeAs[complaint.Escalate](r, true)
	case "close":
		cmd, at, err = decodeAs[complaint.Close](r, true)
	case "withdraw":
		cmd, at, err = decodeAs[complaint.Withdraw](r, false)
	case "refuse":
		cmd, at, err = decodeAs[complaint.Refuse](r, false)
	case "convert":
		cmd, at, err = decodeAs[complaint.Convert](r, true)
	case "milestone":
		cmd, at, err = decodeAs[complaint.RecordMilestone](r, false)
	case "notes":
		cmd, at, err = decodeAs[complaint.Note](r, false)
	case "details":
		var d complaint.EditDetails
		d, at, err = decodeCommand[complaint.EditDetails](r, false)
		// What changed is recorded by the rules, never given.
		if err == nil && d.Changes != nil {
			err = complaint.InvalidField("changes", "is recorded by Redress from the case's old and new values; give only the details to change")
		}
		cmd = d
	case "definition":
		var a complaint.AmendDefinition
		a, at, err = decodeCommand[complaint.AmendDefinition](r, false)
		// The definition before and after is recorded by the rules, never
		// given.
		if err == nil && (a.Before.Points != nil || a.Before.OutcomesSought != nil || a.After.Points != nil || a.After.OutcomesSought != nil) {
			err = complaint.InvalidField("before", "before and after are recorded by Redress from the complaint definition as it was and as it became; give only the changes")
		}
		cmd = a
	case "mark-read":
		var m complaint.MarkRead
		m, at, err = decodeCommand[complaint.MarkRead](r, true)
		// What was marked read is recorded by the rules, never given.
		if err == nil && !m.Since.IsZero() {
			err = complaint.InvalidField("since", "is recorded by Redress from when the oldest unread information arrived; send an empty body")
		}
		cmd = m
	case "link":
		var l complaint.Link
		l, at, err = decodeCommand[complaint.Link](r, false)
		if err == nil && strings.TrimSpace(l.Reference) != "" {
			// Link to the other case's own reference, whichever of its
			// references was given, so it cannot be linked twice.
			other, lerr := s.load(r, strings.TrimSpace(l.Reference))
			switch {
			case complaint.ErrorCode(lerr) == complaint.NotFound:
				err = complaint.InvalidField("reference", "there is no such case")
			case lerr != nil:
				err = lerr
			default:
				l.Reference = other.Reference
			}
		}
		cmd = l
	case "safety-flag":
		cmd, at, err = decodeAs[complaint.FlagHealthAndSafety](r, false)
	case "safety-acknowledge":
		cmd, at, err = decodeAs[complaint.AcknowledgeHealthAndSafety](r, true)
	case "hazard":
		cmd, at, err = decodeAs[complaint.ClassifyHazard](r, false)
	case "hazard-step":
		cmd, at, err = decodeAs[complaint.RecordHazardStep](r, false)
	case "accommodation":
		cmd, at, err = decodeAs[complaint.RecordAccommodation](r, false)
	case "ombudsman-referral", "ombudsman-evidence-request", "ombudsman-approval", "ombudsman-evidence-sent", "ombudsman-determination", "ombudsman-compliance":
		cmd, at, err = decodeOmbudsman(r, name)
	case "sign-off", "sign-off-waiver", "mediation", "additional-complaint":
		cmd, at, err = decodeWithinStage(r, name)
	case "response-method":
		cmd, at, err = decodeResponseMethod(r)
	case "member-acknowledge":
		cmd, at, err = decodeAs[complaint.AcknowledgeMemberEnquiry](r, true)
	case "member-response":
		cmd, at, err = decodeAs[complaint.RecordMemberResponse](r, false)
	case "compliment":
		var c complaint.PassOnCompliment
		c, at, err = decodeCommand[complaint.PassOnCompliment](r, false)
		if err == nil {
			c, err = s.praiseUsers(r, c)
		}
		cmd = c
	case "tenancy":
		var ct complaint.ConfirmTenancy
		ct, at, err = decodeCommand[complaint.ConfirmTenancy](r, false)
		// The tenancy's details are the register's, and what changed is
		// recorded by the rules: neither is given.
		if err == nil && ct.Match != nil {
			err = complaint.InvalidField("match", "is read from the register by its ref; give only ref, or clear")
		}
		if err == nil && ct.Changes != nil {
			err = complaint.InvalidField("changes", "is recorded by Redress from the case's old and new values; give only ref, or clear")
		}
		cmd = ct
	default:
		return complaint.Errorf(complaint.NotFound, "there is no command %q; the commands are %s", name, strings.Join(CommandNames, ", "))
	}
	if err != nil {
		return err
	}
	return s.apply(w, r, cmd, at)
}

func decodeAs[T complaint.Command](r *http.Request, emptyOK bool) (complaint.Command, *time.Time, error) {
	cmd, at, err := decodeCommand[T](r, emptyOK)
	return cmd, at, err
}

// apply runs a command against the case in one store transaction.
func (s *Server) apply(w http.ResponseWriter, r *http.Request, cmd complaint.Command, at *time.Time) error {
	ref := r.PathValue("ref")
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var when time.Time
	if at != nil {
		when = *at
	}
	c, err := s.cases().Apply(r.Context(), userOf(r), ref, version, when, cmd)
	if err != nil {
		return err
	}
	return writeCase(w, http.StatusOK, c)
}

// resolveHandler turns "user id or email" into the user's email and role.
func (s *Server) resolveHandler(r *http.Request, a complaint.Assign) (complaint.Assign, error) {
	h := strings.TrimSpace(a.Handler)
	if h == "" {
		return a, nil // The domain names the missing field.
	}
	var u store.User
	var err error
	if id, perr := strconv.ParseInt(h, 10, 64); perr == nil {
		u, err = s.Store.UserByID(r.Context(), id)
	} else {
		u, err = s.Store.UserByEmail(r.Context(), h)
	}
	if complaint.ErrorCode(err) == complaint.NotFound {
		return a, complaint.InvalidField("handler", "there is no user %q", h)
	}
	if err != nil {
		return a, err
	}
	return complaint.Assign{Handler: u.Email, HandlerRole: u.Role, HandlerLeft: u.Deactivated}, nil
}

func (s *Server) completeRemedy(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "there is no remedy %q", r.PathValue("id"))
	}
	// The remedy is named by the path, so the body holds only the note
	// and, for an apology or compensation, the day it was sent or paid.
	body, at, err := decodeCommand[struct {
		Note   string        `json:"note"`
		PaidOn calendar.Date `json:"paid_on,omitzero"`
	}](r, true)
	if err != nil {
		return err
	}
	return s.apply(w, r, complaint.CompleteRemedy{ID: id, Note: body.Note, PaidOn: body.PaidOn}, at)
}

// supersedeRemedy records that the complaint's current stage replaced an
// earlier stage's remedy (complaint.SupersedeRemedy). The remedy is named
// by the path, as for marking one done, so the body holds only why and
// what replaces it; the remedy before and after is the rules' to record.
func (s *Server) supersedeRemedy(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "there is no remedy %q", r.PathValue("id"))
	}
	body, at, err := decodeCommand[struct {
		Reason     string `json:"reason"`
		ReplacedBy int    `json:"replaced_by"`
	}](r, false)
	if err != nil {
		return err
	}
	return s.apply(w, r, complaint.SupersedeRemedy{ID: id, Reason: body.Reason, ReplacedBy: body.ReplacedBy}, at)
}
