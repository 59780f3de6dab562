package webui

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

const sessionCookie = "redress_session"

// Sign-in throttling: after this many failures in the window, an account
// or an address must wait.
const (
	maxFailuresPerAccount = 5
	maxFailuresPerAddress = 20
	failureWindow         = 15 * time.Minute
)

type sessionInfo struct {
	idHash     []byte
	mustChange bool
}

func hashID(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

// session returns the signed-in user, or a zero user if there is none.
func (s *Server) session(r *http.Request) (store.User, sessionInfo, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return store.User{}, sessionInfo{}, nil
	}
	now := s.Now()
	h := hashID(c.Value)
	u, sess, err := s.Store.SessionUser(r.Context(), h, now, now.Add(-s.IdleTimeout))
	if complaint.ErrorCode(err) == complaint.NotFound {
		return store.User{}, sessionInfo{}, nil
	}
	if err != nil {
		return store.User{}, sessionInfo{}, err
	}
	return u, sessionInfo{idHash: h, mustChange: sess.MustChangePassword}, nil
}

func sessionOf(r *http.Request) sessionInfo {
	si, _ := r.Context().Value(sessionKey).(sessionInfo)
	return si
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	if u, _, err := s.session(r); err == nil && u.ID != 0 {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "sign-in", map[string]any{
		"Title": "Sign in", "Next": safeNext(r.URL.Query().Get("next")), "Email": "", "SSO": s.ssoName(),
	})
	return nil
}

func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	fail := func(status int, field, msg string) error {
		s.render(w, r, status, "sign-in", map[string]any{
			"Title": "Sign in", "Next": next, "Email": email, "SSO": s.ssoName(),
			"Errors": []fieldError{{Field: field, Message: msg}},
		})
		return nil
	}
	if email == "" {
		return fail(http.StatusBadRequest, "email", "Enter your email address")
	}
	if password == "" {
		return fail(http.StatusBadRequest, "password", "Enter your password")
	}
	now := s.Now()
	accountKey, addressKey := "account:"+strings.ToLower(email), "address:"+clientAddress(r)
	for key, max := range map[string]int{accountKey: maxFailuresPerAccount, addressKey: maxFailuresPerAddress} {
		n, err := s.Store.CountLoginFailures(ctx, key, now.Add(-failureWindow))
		if err != nil {
			return err
		}
		if n >= max {
			s.Log.Warn("sign-in throttled", "key_kind", strings.SplitN(key, ":", 2)[0])
			return fail(http.StatusTooManyRequests, "email", "Too many failed attempts. Wait 15 minutes and try again.")
		}
	}
	u, pw, err := s.Store.UserPassword(ctx, email)
	if err != nil && complaint.ErrorCode(err) != complaint.NotFound {
		return err
	}
	// Check a password even for an unknown account, so the time taken
	// does not reveal which emails have accounts.
	hash := pw.Hash
	if hash == "" {
		hash = dummyHash()
	}
	ok, verr := auth.VerifyPassword(hash, password)
	if err != nil || pw.Hash == "" || verr != nil || !ok {
		for _, key := range []string{accountKey, addressKey} {
			if err := s.Store.RecordLoginFailure(ctx, key, now); err != nil {
				return err
			}
		}
		return fail(http.StatusUnauthorized, "email", "Enter a correct email address and password")
	}
	if err := s.Store.ClearLoginFailures(ctx, accountKey); err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	if pw.MustChange {
		next = "/change-password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// dummyHash is a valid argon2id hash of a random password, verified
// against when an account does not exist. It is made on first use, not
// at start-up: every redress command imports this package, and hashing
// takes 64 MiB and tens of milliseconds.
var dummyHash = sync.OnceValue(func() string {
	b := make([]byte, 16)
	rand.Read(b)
	h, _ := auth.HashPassword(base64.RawStdEncoding.EncodeToString(b))
	return h
})

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u store.User) error {
	b := make([]byte, 32)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	now := s.Now()
	if err := s.Store.CreateSession(r.Context(), store.Session{
		IDHash: hashID(id), UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.AbsoluteTimeout),
	}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: s.Secure || r.TLS != nil,
		// MaxAge, not Expires: the browser counts it from its own clock,
		// so the cookie lives as long as the session whether or not the
		// browser's clock agrees with the server's. The store keeps the
		// real expiry and is what decides.
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.AbsoluteTimeout / time.Second),
	})
	s.Log.Info("signed in", "user_id", u.ID)
	return nil
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.Store.DeleteSession(r.Context(), sessionOf(r).idHash); err != nil {
		return err
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := s.Store.DeleteUserSessions(r.Context(), userOf(r).ID); err != nil {
		return err
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (s *Server) changePasswordPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "change-password", map[string]any{"Title": "Change your password", "MustChange": sessionOf(r).mustChange})
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := userOf(r)
	current, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
	var errs []fieldError
	_, pw, err := s.Store.UserPassword(r.Context(), u.Email)
	if err != nil {
		return err
	}
	if ok, _ := auth.VerifyPassword(pw.Hash, current); !ok {
		errs = append(errs, fieldError{"current", "Enter your current password correctly"})
	}
	if err := auth.CheckPassword(next, u.Email); err != nil {
		errs = append(errs, fieldError{"new", "Choose a new password: " + err.Error()})
	} else if next != confirm {
		errs = append(errs, fieldError{"confirm", "Enter the same new password twice"})
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "change-password", map[string]any{"Title": "Change your password", "Errors": errs, "MustChange": sessionOf(r).mustChange})
		return nil
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if err := s.Store.SetPassword(r.Context(), u.ID, hash, false); err != nil {
		return err
	}
	// A new password signs every other session out.
	if err := s.Store.DeleteUserSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
