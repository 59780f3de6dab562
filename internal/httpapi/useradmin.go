package httpapi

// User administration (issue 22, item 1), as the staff pages offer it:
// deactivating a leaver, reactivating, changing a role and resetting a
// password, each audited, and the user audit itself. The rules (not your
// own role, never no active admin) are the store's, in the transaction.

import (
	"net/http"
	"strconv"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/useradmin"
)

// pathUserID reads the {id} of a users route; a malformed one is a user
// that does not exist.
func pathUserID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, complaint.Errorf(complaint.NotFound, "there is no user %q", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) change(r *http.Request) store.UserChange {
	return store.UserChange{Actor: userOf(r), At: s.Now()}
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	u, err := s.Store.UserState(r.Context(), id, s.Now())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// userChange runs a change that takes no body and returns the user after it.
func (s *Server) userChange(w http.ResponseWriter, r *http.Request, do func(store.UserChange, int64) (store.UserState, error)) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var in struct{}
	if err := decode(r, &in, true); err != nil {
		return err
	}
	u, err := do(s.change(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) deactivateUser(w http.ResponseWriter, r *http.Request) error {
	return s.userChange(w, r, func(ch store.UserChange, id int64) (store.UserState, error) {
		return s.Store.DeactivateUser(r.Context(), ch, id)
	})
}

func (s *Server) reactivateUser(w http.ResponseWriter, r *http.Request) error {
	return s.userChange(w, r, func(ch store.UserChange, id int64) (store.UserState, error) {
		return s.Store.ReactivateUser(r.Context(), ch, id)
	})
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var in struct {
		Role string `json:"role"`
	}
	if err := decode(r, &in, false); err != nil {
		return err
	}
	if _, err := auth.ParseRole(in.Role); err != nil {
		return complaint.InvalidField("role", "%s", err.Error())
	}
	u, err := s.Store.ChangeRole(r.Context(), s.change(r), id, in.Role)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// resetPassword resets a user's password with a one-time password,
// returned once, or by emailing them a reset link.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var in struct {
		Method string `json:"method"`
	}
	if err := decode(r, &in, false); err != nil {
		return err
	}
	if in.Method != "one_time" && in.Method != "email" {
		return complaint.InvalidField("method", "must be one_time or email")
	}
	u, err := s.Store.UserState(r.Context(), id, s.Now())
	if err != nil {
		return err
	}
	ch := s.change(r)
	if in.Method == "email" {
		if s.BaseURL == "" {
			return complaint.InvalidField("method", "%s", useradmin.NoBaseURL)
		}
		reset, m, err := useradmin.ResetLink{ServiceName: s.ServiceName, BaseURL: s.BaseURL}.Make(u.User, true, ch.At)
		if err != nil {
			return err
		}
		if err := s.Store.AddPasswordReset(r.Context(), ch, reset, m); err != nil {
			return err
		}
		return writeJSON(w, http.StatusAccepted, map[string]any{"user_id": u.ID, "method": in.Method, "expires_at": reset.ExpiresAt})
	}
	pw := auth.NewOneTimePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.Store.ResetPassword(r.Context(), ch, id, hash, true, "one-time password set by an admin"); err != nil {
		return err
	}
	// The password is shown once, here; only its hash is kept.
	return writeJSON(w, http.StatusOK, map[string]any{"user_id": u.ID, "method": in.Method, "one_time_password": pw})
}

// userAudit returns the latest entries of the user audit, latest first:
// limit (default 50, at most 1000), and user_id to keep one user's.
func (s *Server) userAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return complaint.InvalidField("limit", "must be a whole number from 1 to 1000")
		}
		limit = n
	}
	var target int64
	if v := q.Get("user_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return complaint.InvalidField("user_id", "must be a user's id")
		}
		target = n
	}
	entries, err := s.Store.UserAudit(r.Context(), target, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
