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
	in.Email = strings.TrimSpace(in.Email)
	if !strings.Contains(in.Email, "@") || len(in.Email) > 200 {
		fields["email"] = "want an email address"
	}
	if strings.TrimSpace(in.Name) == "" || len(in.Name) > 200 {
		fields["name"] = "is required"
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
