package webui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/web"
)

const sessionCookie = "redress_session"

// Sign-in throttling. Every attempt is counted before its password is
// checked, and each limit bounds the attempts not proven good within
// failureWindow. The tight limit is on one account from one address, so
// that guessing from one place is slow while it locks out nobody else;
// an address is also limited across accounts, so it cannot try one
// password at many. The account as a whole has a much higher limit,
// reached only by guessing from many addresses, and even then a browser
// holding a device cookie for the account (one that has signed in to it
// before) is counted apart: someone at their usual browser is never
// locked out by failures from elsewhere, and a stolen device cookie is
// worth only its own few tries.
const (
	failureWindow                = 15 * time.Minute
	maxFailuresPerAccountAddress = 5
	maxFailuresPerAddress        = 20
	maxFailuresPerAccount        = 50
	maxFailuresPerDevice         = 5
)

// Reasons a sign-in failed, as Server.SignInFailed is told them.
const (
	// SignInBadCredentials is an unknown email or a wrong password.
	SignInBadCredentials = "bad_credentials"
	// SignInThrottled is an attempt refused by the throttle before its
	// password was checked.
	SignInThrottled = "throttled"
	// SignInDeactivated is the right password for a deactivated user's
	// account: a leaver, or someone using their password.
	SignInDeactivated = "deactivated"
)

// signInFailed tells SignInFailed, if set, of a failed sign-in.
func (s *Server) signInFailed(reason string) {
	if s.SignInFailed != nil {
		s.SignInFailed(reason)
	}
}

// signInLimits are the throttle's limits for an attempt at now.
func signInLimits(now time.Time) store.SignInLimits {
	return store.SignInLimits{
		Since: now.Add(-failureWindow), PerAccountAddress: maxFailuresPerAccountAddress,
		PerAddress: maxFailuresPerAddress, PerAccount: maxFailuresPerAccount, PerDevice: maxFailuresPerDevice,
	}
}

// throttledMessage tells someone refused by a limit what they can do.
func throttledMessage(limit string) string {
	switch limit {
	case store.LimitAccount:
		return "Too many failed attempts to sign in to this account from browsers it has not been used with. " +
			"Sign in from a browser you have signed in with before, wait 15 minutes, or ask an administrator to clear the failed attempts."
	case store.LimitDevice:
		return "Too many failed attempts from this browser. Wait 15 minutes and try again."
	}
	return "Too many failed attempts. Wait 15 minutes and try again, or sign in from a browser you have signed in with before."
}

// maxEmailLength is the longest email address an SMTP path allows (RFC
// 5321): a longer one cannot be a user's, and is not worth counting.
const maxEmailLength = 254

type sessionInfo struct {
	idHash     []byte
	mustChange bool
	// endedOwner is, where the browser's session had just ended, the
	// user it belonged to: a form it sent is kept for them (resume.go).
	endedOwner int64
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
		// An ended session still names its user, for a form sent on it.
		return store.User{}, sessionInfo{endedOwner: sess.UserID}, nil
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

// safeNext returns where to send someone after signing in: next if it is
// a path on this site with a page to GET, otherwise "/". A redirect to
// "//evil.example" or "/\evil.example" leaves the site in a browser
// (which reads a backslash as a slash, and drops tabs and newlines), so
// only printable ASCII without backslashes is accepted, and it must
// parse as a path alone that resolves to this site. A path that only
// takes a form (a session ending as one was sent) would be a 404 after
// the redirect turns it into a GET, so it goes to "/" as well.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") || strings.Contains(u.Path, "\\") {
		return "/"
	}
	const here = "redress.invalid"
	if to := (&url.URL{Scheme: "https", Host: here, Path: "/"}).ResolveReference(u); to.Host != here || to.User != nil {
		return "/"
	}
	// Dot segments and doubled slashes are not how this site writes its
	// addresses, and browsers resolve "%2E%2E" as "..".
	if clean := path.Clean(u.Path); clean != u.Path && clean+"/" != u.Path {
		return "/"
	}
	if !hasPage(u.Path) {
		return "/"
	}
	return u.RequestURI()
}

// returnTo is where to come back to after signing in, for a request that
// found no session: the address itself for a page; for a form, the page
// it was sent from (the Referer, which the Referrer-Policy sends in full
// within the site) or, failing that, the form's own page if its route
// answers GET too, and otherwise the dashboard. safeNext has the last
// word, so next is only ever a page that answers GET (issue 16, item 5).
func returnTo(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return safeNext(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && (ref.Scheme == "http" || ref.Scheme == "https") {
		if next := safeNext(ref.RequestURI()); next != "/" && ref.Path != "/sign-in" {
			return next
		}
	}
	if !ownPage(r) {
		return "/"
	}
	return safeNext(r.URL.RequestURI())
}

// ownPage reports whether the form r sends has a page at its own address
// from its own route, as "POST /cases/new" has "GET /cases/new". An
// address another route happens to match is not the form's page: "POST
// /cases/{ref}/letters/preview" would be taken by "GET
// /cases/{ref}/letters/{file}" for a letter called "preview", a 404.
func ownPage(r *http.Request) bool {
	_, pattern := getPages.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: r.URL.Path}})
	_, own, _ := strings.Cut(r.Pattern, " ")
	_, page, _ := strings.Cut(pattern, " ")
	return own != "" && own == page
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	if u, _, err := s.session(r); err == nil && u.ID != 0 {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	data, err := s.signInData(r, safeNext(r.URL.Query().Get("next")), "")
	if err != nil {
		return err
	}
	data["NotKept"] = r.URL.Query().Get("kept") == "no"
	data["Reset"] = r.URL.Query().Get("reset") == "1"
	s.render(w, r, http.StatusOK, "sign-in", data)
	return nil
}

// signInData is what the sign-in page shows, with the form kept from an
// ended session, if the browser has one waiting, so that the person
// signing in knows their work is not lost.
func (s *Server) signInData(r *http.Request, next, email string) (map[string]any, error) {
	data := map[string]any{"Title": "Sign in", "Next": next, "Email": email, "SSO": s.ssoName()}
	p, ok, err := s.pendingOf(r)
	if err != nil {
		return nil, err
	}
	if ok {
		data["Kept"] = map[string]any{"Hours": int(pendingFormTTL / time.Hour), "Check": p.UserID == 0}
	}
	return data, nil
}

// signIn checks an email address and password. The attempt is counted
// before the password is checked, in the same transaction as the count
// that may refuse it, so attempts sent all at once cannot each pass a
// count taken before any was recorded.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	fail := func(status int, field, msg string) error {
		data, err := s.signInData(r, next, email)
		if err != nil {
			return err
		}
		data["Errors"] = []fieldError{{Field: field, Message: msg}}
		s.render(w, r, status, "sign-in", data)
		return nil
	}
	if email == "" {
		return fail(http.StatusBadRequest, "email", "Enter your email address")
	}
	if len(email) > maxEmailLength {
		return fail(http.StatusBadRequest, "email", fmt.Sprintf("Enter an email address of at most %d characters", maxEmailLength))
	}
	if password == "" {
		return fail(http.StatusBadRequest, "password", "Enter your password")
	}
	now := s.Now()
	account := strings.ToLower(email)
	device := s.deviceID(r, account, now)
	attempt, limit, err := s.Store.BeginSignIn(ctx, store.SignInAttempt{Account: account, Address: web.ClientAddr(r), Device: device, At: now}, signInLimits(now))
	if err != nil {
		return err
	}
	if limit != "" {
		s.Log.Warn("sign-in throttled", "limit", limit, "device_cookie", device != "")
		s.signInFailed(SignInThrottled)
		w.Header().Set("Retry-After", strconv.Itoa(int(failureWindow/time.Second)))
		return fail(http.StatusTooManyRequests, "email", throttledMessage(limit))
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
	if verr != nil && pw.Hash != "" {
		s.Log.Error("a stored password hash cannot be read", "user_id", u.ID, "err", verr)
	}
	if err != nil || pw.Hash == "" || verr != nil || !ok {
		// The attempt stays recorded: it was a failure.
		s.signInFailed(SignInBadCredentials)
		return fail(http.StatusUnauthorized, "email", "Enter a correct email address and password")
	}
	if err := s.Store.SignInSucceeded(ctx, attempt); err != nil {
		return err
	}
	s.upgradeHash(ctx, u, pw.Hash, password)
	id, err := s.startSession(w, r, u)
	if complaint.ErrorCode(err) == complaint.Forbidden {
		// A leaver, deactivated (issue 22). Saying so on the form is
		// safe: only someone who knows the password gets this far.
		s.signInFailed(SignInDeactivated)
		return fail(http.StatusForbidden, "email", "This account has been deactivated: ask an admin if you need it again")
	}
	if err != nil {
		return err
	}
	s.setDeviceCookie(w, r, account, now)
	if pw.MustChange {
		// A kept form waits until the new password is set: every page
		// but that one is closed to the session until then.
		http.Redirect(w, r, "/change-password", http.StatusSeeOther)
		return nil
	}
	return s.signedIn(w, r, u, id, next)
}

// upgradeHash stores a new hash of password, just checked against old,
// when old was made with other parameters than auth.HashPassword uses
// now: sign-in is the only time the server holds the password, so it is
// when hashes made before the parameters were raised can catch up. A
// failure is logged, not shown: the person has signed in either way.
func (s *Server) upgradeHash(ctx context.Context, u store.User, old, password string) {
	if !auth.NeedsRehash(old) {
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.Log.Error("upgrade password hash", "user_id", u.ID, "err", err)
		return
	}
	upgraded, err := s.Store.UpgradePasswordHash(ctx, u.ID, old, hash)
	if err != nil {
		s.Log.Error("upgrade password hash", "user_id", u.ID, "err", err)
		return
	}
	if upgraded {
		s.Log.Info("password hash upgraded to the current parameters", "user_id", u.ID)
	}
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

// startSession signs u in on this browser and returns the new session's
// id, with which a form kept from an ended session is sent as u.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u store.User) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	now := s.Now()
	if err := s.Store.CreateSession(r.Context(), store.Session{
		IDHash: hashID(id), UserID: u.ID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.AbsoluteTimeout),
	}); err != nil {
		return "", err
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
	return id, nil
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
	// The current password is checked under the same throttle as
	// sign-in, so that a session left open is no way to guess it.
	now := s.Now()
	attempt, limit, err := s.Store.BeginSignIn(r.Context(), store.SignInAttempt{Account: strings.ToLower(u.Email), Address: web.ClientAddr(r), At: now}, signInLimits(now))
	if err != nil {
		return err
	}
	if limit != "" {
		s.Log.Warn("password change throttled", "limit", limit, "user_id", u.ID)
		errs = append(errs, fieldError{"current", throttledMessage(limit)})
	} else if ok, _ := auth.VerifyPassword(pw.Hash, current); !ok {
		errs = append(errs, fieldError{"current", "Enter your current password correctly"})
	} else if err := s.Store.SignInSucceeded(r.Context(), attempt); err != nil {
		return err
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
	id, err := s.startSession(w, r, u)
	if err != nil {
		return err
	}
	return s.signedIn(w, r, u, id, "/")
}

// Device cookies (OWASP's defence against lock-out by password guessing):
// after a good sign-in the browser gets a cookie, signed with the server's
// key, saying it has signed in to that account. Attempts presenting a
// valid one are counted by the cookie alone, so failures from elsewhere,
// however many, do not lock its holder out. The cookie proves nothing
// about who is signing in, only that this browser did before; the
// password is still checked.
const (
	devicePrefix = "redress_device_"
	// deviceCookieAge is how long a device cookie is valid: each good
	// sign-in renews it, so it lapses only for a browser left unused.
	deviceCookieAge = 90 * 24 * time.Hour
)

// checkDeviceKey refuses a short device key, and makes a random one when
// none is given.
func (s *Server) checkDeviceKey() error {
	if len(s.DeviceKey) == 0 {
		s.DeviceKey = make([]byte, 32)
		rand.Read(s.DeviceKey)
		if s.Log != nil {
			s.Log.Warn("no device cookie key is set: browsers will not be recognised after the server restarts")
		}
		return nil
	}
	if len(s.DeviceKey) < 32 {
		return fmt.Errorf("the device cookie key must be at least 32 bytes, not %d", len(s.DeviceKey))
	}
	return nil
}

func (s *Server) deviceMAC(parts ...string) []byte {
	m := hmac.New(sha256.New, s.DeviceKey)
	for _, p := range parts {
		// Length-prefixed, so that no two lists of parts sign alike.
		fmt.Fprintf(m, "%d:%s;", len(p), p)
	}
	return m.Sum(nil)
}

// deviceCookieName is the name of the device cookie for account. Each
// account has its own, so that people sharing a computer each keep
// theirs; the name is a keyed hash, so it does not show the address.
func (s *Server) deviceCookieName(account string) string {
	return devicePrefix + hex.EncodeToString(s.deviceMAC("name", account)[:8])
}

// deviceID returns the id of the valid device cookie r presents for
// account at now, or "" if it presents none.
func (s *Server) deviceID(r *http.Request, account string, now time.Time) string {
	c, err := r.Cookie(s.deviceCookieName(account))
	if err != nil {
		return ""
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return ""
	}
	id, issued, mac := parts[0], parts[1], parts[2]
	got, err := base64.RawURLEncoding.DecodeString(mac)
	if err != nil || !hmac.Equal(got, s.deviceMAC("device", account, id, issued)) {
		return ""
	}
	sec, err := strconv.ParseInt(issued, 10, 64)
	if err != nil {
		return ""
	}
	// Valid from when it was issued (with a minute's grace for a clock
	// set back) for deviceCookieAge.
	if at := time.Unix(sec, 0); now.Before(at.Add(-time.Minute)) || !now.Before(at.Add(deviceCookieAge)) {
		return ""
	}
	return id
}

// setDeviceCookie gives the browser a new device cookie for account: the
// id is new each time, so failures counted against an old one do not
// follow it.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, account string, now time.Time) {
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	issued := strconv.FormatInt(now.Unix(), 10)
	http.SetCookie(w, &http.Cookie{
		Name:  s.deviceCookieName(account),
		Value: id + "." + issued + "." + base64.RawURLEncoding.EncodeToString(s.deviceMAC("device", account, id, issued)),
		// Only the sign-in form needs it.
		Path: "/sign-in", HttpOnly: true, Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
		// MaxAge, as for the session cookie; deviceID checks the age too.
		MaxAge: int(deviceCookieAge / time.Second),
	})
}
