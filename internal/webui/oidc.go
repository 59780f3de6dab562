package webui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/redresshq/redress/internal/clock"

	"github.com/redresshq/redress/internal/complaint"
)

// oidcCallbackPath is where the provider sends the browser back; the
// redirect URL registered with the provider must end in it.
const oidcCallbackPath = "/sign-in/oidc/callback"

// oidcFlowTTL is how long a browser has between leaving for the provider
// and coming back.
const oidcFlowTTL = 10 * time.Minute

// OIDCConfig is how to reach an OpenID Connect provider for single
// sign-on.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL. For Microsoft Entra ID it is
	// https://login.microsoftonline.com/<tenant id>/v2.0: the tenant's
	// own, so that only that tenant's accounts are accepted.
	Issuer string
	// ClientID and ClientSecret are the credentials of Redress's
	// registration with the provider. The secret may be empty for a
	// provider that accepts public clients with PKCE.
	ClientID     string
	ClientSecret string
	// RedirectURL is this service's callback as registered with the
	// provider: https://<host>/sign-in/oidc/callback.
	RedirectURL string
	// Name is the provider as people know it, such as "Microsoft", for
	// the sign-in button.
	Name string
	// HTTPClient talks to the provider. Nil means a client that gives up
	// after 10 seconds.
	HTTPClient *http.Client
}

// OIDC is single sign-on with an OpenID Connect provider, by the
// authorization code flow with PKCE. It signs in existing users only,
// matched by email; it never creates accounts.
type OIDC struct {
	name     string
	client   *http.Client
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	// now is the server's clock, set by New, so that an ID token's exp
	// and iat are judged by the same clock as the rest of the sign-in.
	now func() time.Time
}

// NewOIDC discovers the provider's endpoints and keys. It fails if the
// settings are incomplete or the provider cannot be reached, so that a
// misconfiguration stops start-up rather than the first sign-in.
func NewOIDC(ctx context.Context, c OIDCConfig) (*OIDC, error) {
	switch {
	case c.Issuer == "":
		return nil, errors.New("the issuer URL is required")
	case c.ClientID == "":
		return nil, errors.New("the client id is required")
	case c.RedirectURL == "":
		return nil, errors.New("the redirect URL is required")
	}
	ru, err := url.Parse(c.RedirectURL)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" || ru.Path != oidcCallbackPath {
		return nil, fmt.Errorf("the redirect URL %q must be an absolute URL ending in %s", c.RedirectURL, oidcCallbackPath)
	}
	if c.Name == "" {
		c.Name = "single sign-on"
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.HTTPClient), c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovery at %s: %w", c.Issuer, err)
	}
	o := &OIDC{
		name:   c.Name,
		client: c.HTTPClient,
		oauth: oauth2.Config{
			ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
		},
		now: clock.Wall,
	}
	o.verifier = p.Verifier(&oidc.Config{ClientID: c.ClientID, Now: func() time.Time { return o.now() }})
	return o, nil
}

// Name is the provider's name, for the sign-in button.
func (o *OIDC) Name() string { return o.name }

// ssoName is what the sign-in page needs to offer single sign-on: the
// provider's name, or "" when there is none.
func (s *Server) ssoName() string {
	if s.OIDC == nil {
		return ""
	}
	return s.OIDC.Name()
}

// oidcFlow is one browser's sign-in in progress, kept in a cookie while
// the browser is at the provider. Its random values are checked against
// what comes back, so a callback that this browser did not start (login
// cross-site request forgery) or a replayed token is refused.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
	At       int64  `json:"t"`
}

// oidcCookieName uses the __Host- prefix when it can (over TLS), so that
// a neighbouring subdomain cannot plant a flow cookie of its own.
func (s *Server) oidcCookieName(r *http.Request) string {
	if s.Secure || r.TLS != nil {
		return "__Host-redress_oidc"
	}
	return "redress_oidc"
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return complaint.Errorf(complaint.NotFound, "single sign-on is not set up")
	}
	next := safeNext(r.URL.Query().Get("next"))
	if u, _, err := s.session(r); err == nil && u.ID != 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	f := oidcFlow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(), Next: next, At: s.Now().Unix()}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.oidcCookieName(r), Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		MaxAge: int(oidcFlowTTL / time.Second), HttpOnly: true, Secure: s.Secure || r.TLS != nil,
		// Lax, not Strict: the browser comes back from the provider by a
		// top-level navigation from another site.
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, s.OIDC.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
	return nil
}

// oidcFlowOf reads the browser's flow cookie, or returns false if it has
// none, it is garbled or it is too old.
func (s *Server) oidcFlowOf(r *http.Request) (oidcFlow, bool) {
	var f oidcFlow
	c, err := r.Cookie(s.oidcCookieName(r))
	if err != nil {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(b, &f) != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return oidcFlow{}, false
	}
	if age := s.Now().Sub(time.Unix(f.At, 0)); age < 0 || age > oidcFlowTTL {
		return oidcFlow{}, false
	}
	f.Next = safeNext(f.Next)
	return f, true
}

// idClaims are the ID token's claims that sign-in uses.
type idClaims struct {
	Email             string `json:"email"`
	PreferredUsername string `json:"preferred_username"`
	// EmailVerified is a bool, or a string from some providers.
	EmailVerified   any    `json:"email_verified"`
	AuthorizedParty string `json:"azp"`
}

// email is the address to match a user by: the email claim, or else
// preferred_username, which Entra ID fills with the user principal name.
func (c idClaims) email() string {
	e := strings.TrimSpace(c.Email)
	if e == "" {
		e = strings.TrimSpace(c.PreferredUsername)
	}
	if !strings.Contains(e, "@") || strings.ContainsAny(e, " \t\r\n") {
		return ""
	}
	return e
}

// unverified reports whether the provider says the email is not
// verified. No claim at all is not a refusal: Entra ID does not send it.
func (c idClaims) unverified() bool {
	switch v := c.EmailVerified.(type) {
	case bool:
		return !v
	case string:
		return strings.EqualFold(v, "false")
	}
	return false
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return complaint.Errorf(complaint.NotFound, "single sign-on is not set up")
	}
	ctx := r.Context()
	q := r.URL.Query()
	f, ok := s.oidcFlowOf(r)
	// The flow is used once, whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: s.oidcCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	name := s.OIDC.Name()
	// refuse shows the sign-in page with what went wrong. The log says
	// why, but never who: no email, name or subject.
	refuse := func(status int, reason, msg string, attrs ...any) error {
		s.Log.Warn("single sign-on refused", append([]any{"reason", reason}, attrs...)...)
		next := "/"
		if ok {
			next = f.Next
		}
		s.render(w, r, status, "sign-in", map[string]any{
			"Title": "Sign in", "Next": next, "Email": "", "SSO": name,
			"Errors": []fieldError{{Field: "sso", Message: msg}},
		})
		return nil
	}
	tryAgain := "Sign in with " + name + " again"
	if e := q.Get("error"); e != "" {
		if len(e) > 64 {
			e = e[:64]
		}
		return refuse(http.StatusUnauthorized, "provider_error", name+" did not sign you in. "+tryAgain+", or ask an admin for help", "provider_error", e)
	}
	if !ok {
		return refuse(http.StatusBadRequest, "no_flow", "Signing in took too long, or was started in another window. "+tryAgain)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return refuse(http.StatusBadRequest, "state_mismatch", "Signing in was started in another window or by another site. "+tryAgain)
	}
	code := q.Get("code")
	if code == "" {
		return refuse(http.StatusBadRequest, "no_code", name+" did not sign you in. "+tryAgain)
	}
	pctx := oidc.ClientContext(ctx, s.OIDC.client)
	tok, err := s.OIDC.oauth.Exchange(pctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			return refuse(http.StatusBadGateway, "token_exchange", name+" did not sign you in. "+tryAgain, "provider_error", re.ErrorCode, "status", re.Response.StatusCode)
		}
		return refuse(http.StatusBadGateway, "token_exchange", "Could not reach "+name+". "+tryAgain, "err", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return refuse(http.StatusBadGateway, "no_id_token", name+" did not sign you in. "+tryAgain)
	}
	idt, err := s.OIDC.verifier.Verify(pctx, raw)
	if err != nil {
		// go-oidc's messages name issuers, audiences and times, not people.
		return refuse(http.StatusUnauthorized, "id_token_invalid", name+" did not sign you in. "+tryAgain, "err", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return refuse(http.StatusUnauthorized, "nonce_mismatch", name+" did not sign you in. "+tryAgain)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return refuse(http.StatusUnauthorized, "claims_invalid", name+" did not sign you in. "+tryAgain)
	}
	if c.AuthorizedParty != "" && c.AuthorizedParty != s.OIDC.oauth.ClientID {
		return refuse(http.StatusUnauthorized, "azp_mismatch", name+" did not sign you in. "+tryAgain)
	}
	email := c.email()
	if email == "" {
		return refuse(http.StatusForbidden, "no_email", name+" did not give an email address for your account. Ask an admin for help")
	}
	if c.unverified() {
		return refuse(http.StatusForbidden, "email_unverified", name+" has not verified the email address of your account. Ask an admin for help")
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return refuse(http.StatusForbidden, "unknown_user", "There is no account for "+email+". Ask an admin to add you, then sign in again")
	}
	if err != nil {
		return err
	}
	id, err := s.startSession(w, r, u)
	if err != nil {
		return err
	}
	return s.signedIn(w, r, u, id, f.Next)
}
