package webui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	msg := ""
	if id, err := strconv.ParseInt(r.URL.Query().Get("cleared"), 10, 64); err == nil {
		if u, err := s.Store.UserByID(r.Context(), id); err == nil {
			msg = "The failed sign-ins of " + u.Email + " are cleared: they can sign in from anywhere again."
		}
	}
	return s.renderUsers(w, r, http.StatusOK, nil, nil, msg)
}

// lockedUser is a user with failed sign-ins in the throttle's window.
type lockedUser struct {
	store.User
	store.SignInFailures
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []fieldError, created string) error {
	states, err := s.Store.UserStates(r.Context(), s.Now())
	if err != nil {
		return err
	}
	users := make([]store.User, len(states))
	for i, u := range states {
		users[i] = u.User
	}
	audit, err := s.Store.UserAudit(r.Context(), 0, userAuditShown)
	if err != nil {
		return err
	}
	leftCases, leftActions, err := s.ownerLeft(r)
	if err != nil {
		return err
	}
	failed, err := s.Store.FailedSignIns(r.Context(), signInLimits(s.Now()))
	if err != nil {
		return err
	}
	// Only users' accounts are shown: failures at addresses nobody has
	// are an attacker's guesses, and there is nothing to clear for them.
	byEmail := map[string]store.User{}
	for _, u := range users {
		byEmail[strings.ToLower(u.Email)] = u
	}
	var locked []lockedUser
	for _, f := range failed {
		if u, ok := byEmail[strings.ToLower(f.Account)]; ok {
			locked = append(locked, lockedUser{u, f})
		}
	}
	s.render(w, r, status, "users", map[string]any{
		"Title": "Users and roles", "Nav": "users", "Users": states, "Roles": auth.Roles,
		"Audit": audit, "LeftCases": len(leftCases), "LeftActions": len(leftActions),
		"Form": form, "Errors": errs, "Created": created, "Locked": locked,
		"Window": int(failureWindow / time.Minute), "PerAccountAddress": maxFailuresPerAccountAddress,
	})
	return nil
}

// clearSignInFailures forgets a user's failed sign-ins, from every
// address and browser, so that a lock-out ends at once: for when the
// person has been locked out of an account under attack and the attack
// has been dealt with, or they simply mistyped too often.
func (s *Server) clearSignInFailures(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no user %q", r.PathValue("id"))
	}
	u, err := s.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	n, err := s.Store.CountLoginFailures(r.Context(), u.Email, time.Time{})
	if err != nil {
		return err
	}
	if err := s.Store.ClearLoginFailures(r.Context(), u.Email); err != nil {
		return err
	}
	s.Log.Info("failed sign-ins cleared", "cleared_user_id", u.ID, "attempts", n, "user_id", userOf(r).ID)
	http.Redirect(w, r, "/users?cleared="+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

// createUser adds a user and shows their one-time password once; they
// choose their own at first sign-in.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := map[string]string{"email": strings.TrimSpace(r.PostForm.Get("email")), "name": strings.TrimSpace(r.PostForm.Get("name")), "role": r.PostForm.Get("role")}
	var errs []fieldError
	if !strings.Contains(form["email"], "@") {
		errs = append(errs, fieldError{"email", "Enter an email address, like name@example.org"})
	}
	if form["name"] == "" {
		errs = append(errs, fieldError{"name", "Enter the person's name"})
	} else if p := complaint.TextProblem(form["name"], false); p != "" {
		errs = append(errs, fieldError{"name", "The name " + p})
	}
	if p := complaint.TextProblem(form["email"], false); p != "" && len(errs) == 0 {
		errs = append(errs, fieldError{"email", "The email address " + p})
	}
	if _, err := auth.ParseRole(form["role"]); err != nil {
		errs = append(errs, fieldError{"role", "Choose a role"})
	}
	if len(errs) > 0 {
		return s.renderUsers(w, r, http.StatusBadRequest, form, errs, "")
	}
	u, err := s.Store.CreateUser(r.Context(), store.User{Email: form["email"], Name: form["name"], Role: form["role"]})
	if complaint.ErrorCode(err) == complaint.Conflict {
		return s.renderUsers(w, r, http.StatusConflict, form, []fieldError{{"email", "A user with this email address already exists"}}, "")
	}
	if err != nil {
		return err
	}
	pw := auth.NewOneTimePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.Store.SetPassword(r.Context(), u.ID, hash, true); err != nil {
		return err
	}
	return s.renderUsers(w, r, http.StatusCreated, nil, nil, u.Email+" can now sign in with the one-time password "+pw+" (shown only now); they must choose their own at first sign-in.")
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) error {
	findings := policy.Check(s.Policy)
	s.render(w, r, http.StatusOK, "policy", map[string]any{
		"Title": "Policy in force", "Nav": "policy", "Policy": s.Policy, "Findings": findings,
		"Breach": policy.HasBreach(findings), "Division": s.Calendar.Division(),
	})
	return nil
}
