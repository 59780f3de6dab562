package webui

// User administration (issue 22, item 1): an admin's page for one user,
// where they change the user's role, deactivate or reactivate them and
// reset their password; and the "owner has left" list of work whose
// handler or owner has been deactivated.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// userAuditShown is how many of the latest user audit entries /users
// shows; the API returns more.
const userAuditShown = 50

// userID reads the {id} of a /users/{id} address; a malformed one is a
// user that does not exist.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, complaint.Errorf(complaint.NotFound, "there is no user %q", r.PathValue("id"))
	}
	return id, nil
}

// userDone are the messages shown on a user's page after a change, by
// the done parameter of the redirect that follows it.
var userDone = map[string]string{
	"role":        "The role is changed.",
	"deactivated": "The user is deactivated: they were signed out everywhere and their API tokens no longer work.",
	"reactivated": "The user is reactivated: they can sign in again. Their old API tokens stay revoked.",
	"emailed":     "A password reset link is emailed to the user. It works once, for 30 minutes.",
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, id, http.StatusOK, nil, userDone[r.URL.Query().Get("done")])
}

// renderUser shows one user's page, with errs against its forms or a
// message of what was just done.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, id int64, status int, errs []fieldError, msg string) error {
	u, err := s.Store.UserState(r.Context(), id, s.Now())
	if err != nil {
		return err
	}
	audit, err := s.Store.UserAudit(r.Context(), id, userAuditShown)
	if err != nil {
		return err
	}
	s.render(w, r, status, "user", map[string]any{
		"Title": u.Name, "Nav": "users", "Target": u, "Roles": auth.Roles, "Errors": errs, "Done": msg,
		"Self": u.ID == userOf(r).ID, "Audit": audit, "CanEmail": s.BaseURL != "",
	})
	return nil
}

// change is who is changing a user, now.
func (s *Server) change(r *http.Request) store.UserChange {
	return store.UserChange{Actor: userOf(r), At: s.Now()}
}

// userChanged shows a refused change on the user's page, against the
// form's field, and anything else as the error it is.
func (s *Server) userChanged(w http.ResponseWriter, r *http.Request, id int64, field string, err error, done string) error {
	if err == nil {
		s.Log.Info("user changed", "target_user_id", id, "change", done)
		http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return nil
	}
	switch complaint.ErrorCode(err) {
	case complaint.Conflict, complaint.Forbidden:
		return s.renderUser(w, r, id, http.StatusConflict, []fieldError{{field, capitalise(err.Error())}}, "")
	}
	return err
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	role := r.PostForm.Get("role")
	if _, err := auth.ParseRole(role); err != nil {
		return s.renderUser(w, r, id, http.StatusBadRequest, []fieldError{{"role", "Choose a role"}}, "")
	}
	_, err = s.Store.ChangeRole(r.Context(), s.change(r), id, role)
	return s.userChanged(w, r, id, "role", err, "role")
}

func (s *Server) deactivateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	_, err = s.Store.DeactivateUser(r.Context(), s.change(r), id)
	return s.userChanged(w, r, id, "deactivate", err, "deactivated")
}

func (s *Server) reactivateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	_, err = s.Store.ReactivateUser(r.Context(), s.change(r), id)
	return s.userChanged(w, r, id, "reactivate", err, "reactivated")
}

// resetPassword resets a user's password in one of two ways: a one-time
// password shown to the admin once, which the user must change at first
// sign-in (as when a user is added); or a reset link emailed to them.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := s.Store.UserState(r.Context(), id, s.Now())
	if err != nil {
		return err
	}
	switch r.PostForm.Get("method") {
	case "one_time":
		pw := auth.NewOneTimePassword()
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := s.Store.ResetPassword(r.Context(), s.change(r), id, hash, true, "one-time password set by an admin"); err != nil {
			return s.userChanged(w, r, id, "method", err, "")
		}
		s.Log.Info("password reset with a one-time password", "target_user_id", id)
		return s.renderUser(w, r, id, http.StatusOK, nil,
			u.Email+" can now sign in with the one-time password "+pw+" (shown only now); they must choose their own at first sign-in. They are signed out everywhere.")
	case "email":
		if s.BaseURL == "" {
			return s.renderUser(w, r, id, http.StatusConflict, []fieldError{{"method", noBaseURL}}, "")
		}
		if err := s.sendResetLink(r, u.User, s.change(r)); err != nil {
			return s.userChanged(w, r, id, "method", err, "")
		}
		return s.userChanged(w, r, id, "method", nil, "emailed")
	}
	return s.renderUser(w, r, id, http.StatusBadRequest, []fieldError{{"method", "Choose how to reset the password"}}, "")
}

// leftCase is an open case whose handler has been deactivated.
type leftCase struct {
	complaint.Case
	HandlerName string
}

// leftAction is an outstanding remedy or action whose owner (or, with
// no owner, whose case's handler) has been deactivated.
type leftAction struct {
	store.OpenAction
	OwnerEmail, OwnerName string
}

// ownerLeftPage lists the work held by people who have left: open cases
// whose handler is deactivated and outstanding actions whose owner is,
// so that a manager can hand each one on.
func (s *Server) ownerLeftPage(w http.ResponseWriter, r *http.Request) error {
	cases, actions, err := s.ownerLeft(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "users-left", map[string]any{
		"Title": "Work whose owner has left", "Nav": "users", "Cases": cases, "Actions": actions,
	})
	return nil
}

// ownerLeft finds the work held by deactivated users that the viewer may
// see. Leavers are few, so each one's cases are listed by handler.
func (s *Server) ownerLeft(r *http.Request) ([]leftCase, []leftAction, error) {
	ctx := r.Context()
	users, err := s.Store.UserStates(ctx, s.Now())
	if err != nil {
		return nil, nil, err
	}
	left := map[string]store.UserState{}
	for _, u := range users {
		if !u.Active() {
			left[strings.ToLower(u.Email)] = u
		}
	}
	cases := []leftCase{}
	actions := []leftAction{}
	if len(left) == 0 {
		return cases, actions, nil
	}
	v := s.viewer(userOf(r))
	for _, u := range users {
		if u.Active() {
			continue
		}
		for cursor := ""; ; {
			page, next, err := s.Store.ListCases(ctx, store.CaseFilter{Viewer: v, Handler: u.Email, Sort: "due", Cursor: cursor, Limit: 200})
			if err != nil {
				return nil, nil, err
			}
			for _, c := range page {
				if c.Status.Open() {
					cases = append(cases, leftCase{c, u.Name})
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	open, err := s.Store.OpenActions(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range open {
		owner := a.Remedy.Owner
		if owner == "" {
			owner = a.Handler
		}
		if u, ok := left[strings.ToLower(owner)]; ok {
			actions = append(actions, leftAction{a, u.Email, u.Name})
		}
	}
	return cases, actions, nil
}
