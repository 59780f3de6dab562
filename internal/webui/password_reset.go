package webui

// Password reset by email (issue 22, item 1): "Forgot password?" on the
// sign-in page emails a single-use link, valid for resetLinkTTL, to the
// address given if it is an active user's, and answers the same whether
// it is or not, so the page tells nobody which addresses have accounts.
// Only the SHA-256 of the link's token is stored. Setting a password
// through it ends all the user's sessions.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/ratelimit"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/useradmin"
	"github.com/redresshq/redress/internal/web"
)

// resetLinkTTL is how long a reset link works.
const resetLinkTTL = useradmin.LinkTTL

// The limits on asking for reset links, kept in the store's rate limits
// so they hold across instances and restarts. Each request counts,
// whether or not the address has an account, so the limits say nothing
// about which addresses do: an address may ask a few times an hour, and
// one place may ask for a handful of addresses.
var (
	resetPerAccount = ratelimit.Rate{N: 3, Per: time.Hour}
	resetPerAddress = ratelimit.Rate{N: 10, Per: time.Hour}
)

// noBaseURL says why no reset link can be emailed.
var noBaseURL = capitalise(useradmin.NoBaseURL)

func (s *Server) forgotPasswordPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot-password", map[string]any{"Title": "Reset your password", "NoBaseURL": s.BaseURL == ""})
	return nil
}

// forgotPassword emails a reset link to an active user's address, and
// shows the same page for any address.
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	email := strings.TrimSpace(r.PostForm.Get("email"))
	fail := func(status int, msg string) error {
		s.render(w, r, status, "forgot-password", map[string]any{"Title": "Reset your password", "Email": email,
			"NoBaseURL": s.BaseURL == "", "Errors": []fieldError{{"email", msg}}})
		return nil
	}
	switch {
	case email == "":
		return fail(http.StatusBadRequest, "Enter your email address")
	case len(email) > maxEmailLength:
		return fail(http.StatusBadRequest, fmt.Sprintf("Enter an email address of at most %d characters", maxEmailLength))
	case !complaint.ValidEmail(email):
		return fail(http.StatusBadRequest, "Enter an email address, like name@example.org")
	}
	if s.BaseURL == "" {
		return fail(http.StatusServiceUnavailable, "Reset links cannot be emailed because the service has no web address set. Ask an admin to reset your password")
	}
	ctx := r.Context()
	now := s.Now()
	for _, l := range []struct {
		name, key string
		rate      ratelimit.Rate
	}{{"reset_account", strings.ToLower(email), resetPerAccount}, {"reset_address", web.ClientAddr(r), resetPerAddress}} {
		ok, retry, err := s.Store.TakeRate(ctx, l.name, l.key, l.rate, now)
		if err != nil {
			return err
		}
		if !ok {
			s.Log.Warn("password reset requests throttled", "limit", l.name)
			minutes := int(retry/time.Minute) + 1
			w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)+1))
			return fail(http.StatusTooManyRequests, fmt.Sprintf("Too many reset links have been asked for. Wait %d minutes and try again", minutes))
		}
	}
	u, err := s.Store.UserByEmail(ctx, email)
	switch {
	case err == nil:
		// A deactivated user is sent nothing: AddPasswordReset refuses.
		if err := s.sendResetLink(r, u, store.UserChange{At: now}); err != nil && complaint.ErrorCode(err) != complaint.Forbidden {
			return err
		}
	case complaint.ErrorCode(err) != complaint.NotFound:
		return err
	}
	// An unknown address is sent nothing, and told nothing.
	s.render(w, r, http.StatusOK, "forgot-password", map[string]any{"Title": "Check your email", "Sent": true,
		"Minutes": int(resetLinkTTL / time.Minute)})
	return nil
}

// sendResetLink makes a reset link for u and queues the mail carrying
// it, as ch.Actor (zero when asked for on the sign-in page).
func (s *Server) sendResetLink(r *http.Request, u store.User, ch store.UserChange) error {
	reset, m, err := useradmin.ResetLink{ServiceName: s.ServiceName, BaseURL: s.BaseURL}.Make(u, ch.Actor.ID != 0, ch.At)
	if err != nil {
		return err
	}
	if err := s.Store.AddPasswordReset(r.Context(), ch, reset, m); err != nil {
		return err
	}
	s.Log.Info("password reset link queued", "target_user_id", u.ID, "by_admin", ch.Actor.ID != 0)
	return nil
}

// resetToken hashes the token of a reset link, as it is stored.
func resetToken(token string) []byte { return useradmin.HashToken(token) }

// resetPasswordPage asks for a new password, or says at once why the
// link cannot be used.
func (s *Server) resetPasswordPage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	return s.renderReset(w, r, token, nil)
}

// renderReset shows the new-password form for token, with errs, or the
// reason the link cannot be used.
func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, token string, errs []fieldError) error {
	data := map[string]any{"Title": "Choose a new password", "Token": token, "Errors": errs}
	if token == "" {
		data["Problem"] = "This link has no token: open the whole link from the email, or ask for a new one."
		s.render(w, r, http.StatusBadRequest, "reset-password", data)
		return nil
	}
	u, err := s.Store.PasswordResetUsable(r.Context(), resetToken(token), s.Now())
	if code := complaint.ErrorCode(err); err != nil && (code == complaint.NotFound || code == complaint.Conflict) {
		data["Problem"] = capitalise(err.Error()) + "."
		status := http.StatusGone
		if code == complaint.NotFound {
			status = http.StatusNotFound
		}
		s.render(w, r, status, "reset-password", data)
		return nil
	} else if err != nil {
		return err
	}
	data["Email"] = u.Email
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "reset-password", data)
	return nil
}

// setPasswordByLink sets the password through a reset link, uses the
// link up and ends every session of the user; they then sign in with
// the new password.
func (s *Server) setPasswordByLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PostForm.Get("token")
	next, confirm := r.PostForm.Get("new"), r.PostForm.Get("confirm")
	if token == "" {
		return s.renderReset(w, r, "", nil)
	}
	u, err := s.Store.PasswordResetUsable(r.Context(), resetToken(token), s.Now())
	if err != nil {
		return s.renderReset(w, r, token, nil)
	}
	if err := auth.CheckPassword(next, u.Email); err != nil {
		return s.renderReset(w, r, token, []fieldError{{"new", "Choose a new password: " + err.Error()}})
	}
	if next != confirm {
		return s.renderReset(w, r, token, []fieldError{{"confirm", "Enter the same new password twice"}})
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if _, err := s.Store.UsePasswordReset(r.Context(), resetToken(token), hash, s.Now()); err != nil {
		if c := complaint.ErrorCode(err); c == complaint.NotFound || c == complaint.Conflict {
			return s.renderReset(w, r, token, nil)
		}
		return err
	}
	s.Log.Info("password set through a reset link", "target_user_id", u.ID)
	s.clearCookie(w, r)
	http.Redirect(w, r, "/sign-in?reset=1", http.StatusSeeOther)
	return nil
}
