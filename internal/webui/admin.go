package webui

import (
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form map[string]string, errs []fieldError, created string) error {
	users, err := s.Store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, status, "users", map[string]any{
		"Title": "Users and roles", "Nav": "users", "Users": users, "Roles": auth.Roles,
		"Form": form, "Errors": errs, "Created": created,
	})
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
