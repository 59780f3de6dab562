package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Role  string `json:"role"`
	}
	if err := decode(r, &in, false); err != nil {
		return err
	}
	fe := &complaint.Error{Code: complaint.Invalid, Message: "the user has invalid fields", Fields: map[string]string{}}
	fields := fe.Fields
	// A user's email is their handle on every case they handle and the
	// address notices go to, so it is held to the domain's rules for an
	// email, and their name to its rules for a one-line identifier.
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case len(in.Email) > 200:
		fields["email"] = "is longer than 200 characters"
	case !complaint.ValidEmail(in.Email):
		fields["email"] = "want an email address, such as olive@example.org"
	}
	switch p := complaint.TextProblem(in.Name, false); {
	case in.Name == "":
		fields["name"] = "is required"
	case len(in.Name) > 200:
		fields["name"] = "is longer than 200 characters"
	case p != "":
		fields["name"] = p
	}
	if _, err := auth.ParseRole(in.Role); err != nil {
		fields["role"] = err.Error()
	}
	if len(fields) > 0 {
		return fe
	}
	u, err := s.Store.CreateUser(r.Context(), store.User{Email: in.Email, Name: strings.TrimSpace(in.Name), Role: in.Role})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "there is no user %q", r.PathValue("id"))
	}
	var in struct {
		Label string `json:"label"`
	}
	if err := decode(r, &in, true); err != nil {
		return err
	}
	in.Label = strings.TrimSpace(in.Label)
	if len(in.Label) > 200 {
		return complaint.InvalidField("label", "is longer than 200 characters")
	}
	if p := complaint.TextProblem(in.Label, false); p != "" {
		return complaint.InvalidField("label", "%s", p)
	}
	u, err := s.Store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	if err := s.Store.AddToken(r.Context(), u.ID, hash, in.Label); err != nil {
		return err
	}
	// The token is shown once, here; only its hash is kept.
	return writeJSON(w, http.StatusCreated, map[string]any{"user_id": u.ID, "token": token, "label": in.Label})
}
