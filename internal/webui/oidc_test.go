package webui_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/redresshq/redress/internal/policy/policytest"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/store/sqldb"
	"github.com/redresshq/redress/internal/store/testdb"
	"github.com/redresshq/redress/internal/webui"
)

const (
	ssoClientID     = "redress-test-client"
	ssoClientSecret = "test-client-secret"
)

// ssoProvider is an OpenID Connect provider in the test process. It
// signs in whoever claims says, and checks what a real provider checks
// of the client: the redirect URL, the client's secret and PKCE.
type ssoProvider struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey
	// signer is the key ID tokens are signed with: key, unless a test
	// forges one.
	signer *rsa.PrivateKey

	mu sync.Mutex
	// claims are the ID token's claims beyond iss, aud, sub, exp, iat and
	// nonce; edit changes the finished claims just before signing.
	claims map[string]any
	edit   func(map[string]any)
	codes  map[string]ssoGrant
	// now is the clock of the site signing in with it: a real provider
	// and Redress share a clock, give or take a few seconds.
	now func() time.Time
}

type ssoGrant struct {
	challenge, nonce, redirectURI string
}

func newSSOProvider(t *testing.T) *ssoProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &ssoProvider{t: t, key: key, signer: key, codes: map[string]ssoGrant{},
		claims: map[string]any{"email": "manager@example.org"}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                p.srv.URL,
			"authorization_endpoint":                p.srv.URL + "/authorize",
			"token_endpoint":                        p.srv.URL + "/token",
			"jwks_uri":                              p.srv.URL + "/jwks",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported":      []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "test-key", Algorithm: string(jose.RS256), Use: "sig"},
		}})
	})
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux) // 127.0.0.1, port chosen by the system
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (p *ssoProvider) set(f func(p *ssoProvider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// authorize signs the browser in at once and sends it back with a code.
func (p *ssoProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("response_type") != "code", q.Get("client_id") != ssoClientID,
		!strings.Contains(" "+q.Get("scope")+" ", " openid "), q.Get("state") == "", q.Get("nonce") == "":
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		http.Error(w, "PKCE with S256 is required", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	p.mu.Lock()
	p.codes[code] = ssoGrant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirectURI: q.Get("redirect_uri")}
	p.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code for an ID token, once, and only with the PKCE
// verifier whose challenge came with the authorization.
func (p *ssoProvider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != ssoClientID || secret != ssoClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	g, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	claims := map[string]any{}
	for k, v := range p.claims {
		claims[k] = v
	}
	edit, signer := p.edit, p.signer
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || !found:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	case r.PostForm.Get("code_verifier") == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "redirect_uri differs"})
		return
	}
	now := p.now()
	claims["iss"] = p.srv.URL
	claims["aud"] = ssoClientID
	claims["sub"] = "subject-1234"
	claims["iat"] = now.Unix()
	claims["exp"] = now.Add(time.Hour).Unix()
	claims["nonce"] = g.nonce
	if edit != nil {
		edit(claims)
	}
	token, err := p.sign(signer, claims)
	if err != nil {
		p.t.Errorf("the test provider could not sign an ID token: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": "access-token", "token_type": "Bearer", "expires_in": 3600,
		"id_token": token,
	})
}

// sign signs claims as an ID token. It runs in the provider's handler,
// not the test's goroutine, so it reports a failure as an error for the
// handler to answer with, not with t.Fatal.
func (p *ssoProvider) sign(key *rsa.PrivateKey, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "test-key"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// ssoSite is the staff pages on a real SQLite file, with single sign-on
// through p when p is not nil.
type ssoSite struct {
	t   *testing.T
	srv *httptest.Server
	h   http.Handler
	st  *sqldb.DB
	mu  sync.Mutex
	now time.Time
	log strings.Builder // guarded by mu
}

func (s *ssoSite) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.Write(b)
}

// logged returns what the server has logged so far.
func (s *ssoSite) logged() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// wantRefused checks the server logged a refusal for reason, at warn,
// without the email address of anyone involved.
func (s *ssoSite) wantRefused(reason string) {
	s.t.Helper()
	log := s.logged()
	if !strings.Contains(log, `level=WARN msg="single sign-on refused" reason=`+reason) {
		s.t.Errorf("log lacks a refusal for %s:\n%s", reason, log)
	}
	if strings.Contains(log, "@") {
		s.t.Errorf("log holds an email address:\n%s", log)
	}
}

func newSSOSite(t *testing.T, p *ssoProvider) *ssoSite {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, sqldb.Options{})
	pol, cal := policytest.Code(t)
	s := &ssoSite{t: t, st: st, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	// The server's address is needed for the redirect URL before the
	// server can be built, so the handler is set after.
	var h http.Handler
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(s.srv.Close)
	ws := &webui.Server{Store: st, Policy: pol, Calendar: cal, Log: slog.New(slog.NewTextHandler(s, nil)),
		Now: func() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.now }, ServiceName: "Test complaints"}
	if p != nil {
		p.now = ws.Now
		var err error
		ws.OIDC, err = webui.NewOIDC(ctx, webui.OIDCConfig{
			Issuer: p.srv.URL, ClientID: ssoClientID, ClientSecret: ssoClientSecret,
			RedirectURL: s.srv.URL + "/sign-in/oidc/callback", Name: "Microsoft",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	web, err := webui.New(ws)
	if err != nil {
		t.Fatal(err)
	}
	h = web.Handler()
	s.h = h
	for _, u := range []store.User{
		{Email: "manager@example.org", Name: "Morgan Manager", Role: "manager"},
		{Email: "handler@example.org", Name: "Hana Handler", Role: "handler"},
	} {
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *ssoSite) advance(d time.Duration) { s.mu.Lock(); s.now = s.now.Add(d); s.mu.Unlock() }

// client keeps cookies and does not follow redirects, so that each step
// of the flow can be seen and tampered with.
func (s *ssoSite) client() *http.Client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *ssoSite) fetch(c *http.Client, target string) (*http.Response, string) {
	s.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = s.srv.URL + target
	}
	resp, err := c.Get(target)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("GET %s: reading the response: %v", target, err)
	}
	return resp, string(b)
}

// toProvider starts single sign-on and follows the browser to the
// provider and back as far as the callback URL, which it returns
// without visiting.
func (s *ssoSite) toProvider(c *http.Client, next string) *url.URL {
	s.t.Helper()
	resp, body := s.fetch(c, "/sign-in/oidc?next="+url.QueryEscape(next))
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("start: %d\n%s", resp.StatusCode, body)
	}
	auth, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		s.t.Fatalf("start: the redirect to the provider: %v", err)
	}
	if q := auth.Query(); q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" {
		s.t.Fatalf("authorization request lacks PKCE, nonce or state: %s", auth)
	}
	resp, body = s.fetch(c, auth.String())
	if resp.StatusCode != http.StatusFound {
		s.t.Fatalf("provider: %d\n%s", resp.StatusCode, body)
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		s.t.Fatalf("provider: the redirect back: %v", err)
	}
	if back.Path != "/sign-in/oidc/callback" {
		s.t.Fatalf("provider sent the browser to %s", back)
	}
	return back
}

// signedInAs returns the name on a signed-in page, or "" if the client
// is not signed in.
func (s *ssoSite) signedInAs(c *http.Client) string {
	s.t.Helper()
	resp, body := s.fetch(c, "/")
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	_, after, _ := strings.Cut(body, "Signed in as ")
	name, _, _ := strings.Cut(after, " (")
	return name
}

func TestOIDCSignsInExistingUserAndLandsOnNext(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	c := s.client()
	back := s.toProvider(c, "/cases?status=open")
	resp, body := s.fetch(c, back.String())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases?status=open" {
		t.Fatalf("callback: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if got := s.signedInAs(c); got != "Morgan Manager" {
		t.Errorf("signed in as %q, want Morgan Manager", got)
	}
	// The flow is used once: the same callback again is refused.
	if resp, _ := s.fetch(s.client(), back.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed callback in a fresh browser: %d, want 400", resp.StatusCode)
	}
}

func TestOIDCMatchesEmailWhateverItsCaseAndFallsBackToPreferredUsername(t *testing.T) {
	for name, claims := range map[string]map[string]any{
		"email in another case":    {"email": "Handler@Example.ORG", "email_verified": true},
		"entra upn, no email":      {"preferred_username": "handler@example.org"},
		"email verified as string": {"email": "handler@example.org", "email_verified": "true"},
	} {
		t.Run(name, func(t *testing.T) {
			p := newSSOProvider(t)
			p.set(func(p *ssoProvider) { p.claims = claims })
			s := newSSOSite(t, p)
			c := s.client()
			if resp, body := s.fetch(c, s.toProvider(c, "/").String()); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("callback: %d\n%s", resp.StatusCode, body)
			}
			if got := s.signedInAs(c); got != "Hana Handler" {
				t.Errorf("signed in as %q, want Hana Handler", got)
			}
		})
	}
}

func TestOIDCRefusesUnknownEmail(t *testing.T) {
	p := newSSOProvider(t)
	p.set(func(p *ssoProvider) { p.claims = map[string]any{"email": "stranger@example.org"} })
	s := newSSOSite(t, p)
	c := s.client()
	resp, body := s.fetch(c, s.toProvider(c, "/cases").String())
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unknown email: %d, want 403\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"govuk-error-summary", "There is no account for stranger@example.org", "Ask an admin", `href="#sso"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refusal page lacks %q", want)
		}
	}
	if got := s.signedInAs(c); got != "" {
		t.Errorf("signed in as %q", got)
	}
	s.wantRefused("unknown_user")
	if n, err := s.st.CountUsers(context.Background()); err != nil {
		t.Errorf("counting users: %v", err)
	} else if n != 2 {
		t.Errorf("%d users after an unknown email signed in, want 2: no account is made", n)
	}
}

func TestOIDCRefusesWrongState(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	c := s.client()
	back := s.toProvider(c, "/")
	q := back.Query()
	q.Set("state", "forged-state")
	back.RawQuery = q.Encode()
	resp, body := s.fetch(c, back.String())
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "govuk-error-summary") {
		t.Fatalf("wrong state: %d, want 400 with an error summary\n%s", resp.StatusCode, body)
	}
	s.wantRefused("state_mismatch")
	if got := s.signedInAs(c); got != "" {
		t.Errorf("signed in as %q", got)
	}
}

func TestOIDCRefusesACallbackWithoutItsFlowCookieOrAfterTenMinutes(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	// A callback in a browser that did not start the flow: login CSRF.
	back := s.toProvider(s.client(), "/")
	other := s.client()
	if resp, _ := s.fetch(other, back.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback in another browser: %d, want 400", resp.StatusCode)
	}
	if got := s.signedInAs(other); got != "" {
		t.Errorf("other browser signed in as %q", got)
	}
	s.wantRefused("no_flow")
	c := s.client()
	back = s.toProvider(c, "/")
	s.advance(11 * time.Minute)
	if resp, body := s.fetch(c, back.String()); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "took too long") {
		t.Errorf("callback after 11 minutes: %d, want 400 saying it took too long", resp.StatusCode)
	}
	if got := s.signedInAs(c); got != "" {
		t.Errorf("signed in as %q after the flow expired", got)
	}
}

func TestOIDCRefusesProviderError(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	c := s.client()
	back := s.toProvider(c, "/")
	q := url.Values{"error": {"access_denied"}, "error_description": {"The user cancelled"}, "state": {back.Query().Get("state")}}
	resp, body := s.fetch(c, "/sign-in/oidc/callback?"+q.Encode())
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Microsoft did not sign you in") {
		t.Fatalf("provider error: %d, want 401 saying Microsoft did not sign you in\n%s", resp.StatusCode, body)
	}
	s.wantRefused("provider_error")
}

func TestOIDCRefusesBadIDToken(t *testing.T) {
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		edit   func(map[string]any)
		forge  bool
		status int
		reason string
	}{
		"wrong nonce":         {edit: func(c map[string]any) { c["nonce"] = "another-nonce" }, status: http.StatusUnauthorized, reason: "nonce_mismatch"},
		"no nonce":            {edit: func(c map[string]any) { delete(c, "nonce") }, status: http.StatusUnauthorized, reason: "nonce_mismatch"},
		"wrong audience":      {edit: func(c map[string]any) { c["aud"] = "another-client" }, status: http.StatusUnauthorized, reason: "id_token_invalid"},
		"wrong issuer":        {edit: func(c map[string]any) { c["iss"] = "https://issuer.invalid" }, status: http.StatusUnauthorized, reason: "id_token_invalid"},
		"expired":             {edit: func(c map[string]any) { c["exp"] = c["iat"].(int64) - 60 }, status: http.StatusUnauthorized, reason: "id_token_invalid"},
		"for another party":   {edit: func(c map[string]any) { c["aud"] = []string{ssoClientID, "x"}; c["azp"] = "x" }, status: http.StatusUnauthorized, reason: "azp_mismatch"},
		"signed by a forger":  {forge: true, status: http.StatusUnauthorized, reason: "id_token_invalid"},
		"email not verified":  {edit: func(c map[string]any) { c["email_verified"] = false }, status: http.StatusForbidden, reason: "email_unverified"},
		"unverified, string":  {edit: func(c map[string]any) { c["email_verified"] = "false" }, status: http.StatusForbidden, reason: "email_unverified"},
		"no email at all":     {edit: func(c map[string]any) { delete(c, "email") }, status: http.StatusForbidden, reason: "no_email"},
		"username not email":  {edit: func(c map[string]any) { delete(c, "email"); c["preferred_username"] = "manager" }, status: http.StatusForbidden, reason: "no_email"},
		"blank email, no upn": {edit: func(c map[string]any) { c["email"] = " " }, status: http.StatusForbidden, reason: "no_email"},
	} {
		t.Run(name, func(t *testing.T) {
			p := newSSOProvider(t)
			p.set(func(p *ssoProvider) {
				p.edit = tc.edit
				if tc.forge {
					p.signer = forger
				}
			})
			s := newSSOSite(t, p)
			c := s.client()
			resp, body := s.fetch(c, s.toProvider(c, "/").String())
			if resp.StatusCode != tc.status || !strings.Contains(body, "govuk-error-summary") {
				t.Fatalf("%d, want %d with an error summary\n%s", resp.StatusCode, tc.status, body)
			}
			if got := s.signedInAs(c); got != "" {
				t.Errorf("signed in as %q", got)
			}
			s.wantRefused(tc.reason)
		})
	}
}

func TestOIDCSignInPageShowsButtonOnlyWhenConfigured(t *testing.T) {
	button := `<a href="/sign-in/oidc?next=%2fcases" id="sso" role="button" draggable="false" class="govuk-button" data-module="govuk-button">Sign in with Microsoft</a>`
	with := newSSOSite(t, newSSOProvider(t))
	_, body := with.fetch(with.client(), "/sign-in?next=/cases")
	if !strings.Contains(body, button) || !strings.Contains(body, "Or sign in with your email address and password") {
		t.Errorf("sign-in page with single sign-on lacks the button\n%s", body)
	}
	// A wrong password keeps the button on the page shown again.
	req, err := http.NewRequest("POST", with.srv.URL+"/sign-in", strings.NewReader(url.Values{"email": {"manager@example.org"}, "password": {"wrong"}, "next": {"/cases"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := with.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the sign-in page: %v", err)
	}
	if !strings.Contains(string(b), button) {
		t.Errorf("sign-in page after a wrong password lacks the button")
	}

	without := newSSOSite(t, nil)
	_, body = without.fetch(without.client(), "/sign-in?next=/cases")
	if strings.Contains(body, "/sign-in/oidc") || strings.Contains(body, "Sign in with") {
		t.Errorf("sign-in page without single sign-on offers it\n%s", body)
	}
	for _, path := range []string{"/sign-in/oidc", "/sign-in/oidc/callback?code=x&state=y"} {
		if resp, _ := without.fetch(without.client(), path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s without single sign-on: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestOIDCStartKeepsNextOnThisSite(t *testing.T) {
	p := newSSOProvider(t)
	s := newSSOSite(t, p)
	c := s.client()
	resp, body := s.fetch(c, s.toProvider(c, "https://evil.example/").String())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback with an off-site next: %d to %q, want / \n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func TestNewOIDCFailsWhenDiscoveryFailsOrSettingsAreMissing(t *testing.T) {
	ctx := context.Background()
	dead := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(dead.Close)
	p := newSSOProvider(t)
	good := webui.OIDCConfig{Issuer: p.srv.URL, ClientID: ssoClientID, RedirectURL: "https://complaints.example/sign-in/oidc/callback"}
	for name, edit := range map[string]func(*webui.OIDCConfig){
		"discovery fails":        func(c *webui.OIDCConfig) { c.Issuer = dead.URL },
		"issuer differs":         func(c *webui.OIDCConfig) { c.Issuer = p.srv.URL + "/" },
		"no client id":           func(c *webui.OIDCConfig) { c.ClientID = "" },
		"no redirect URL":        func(c *webui.OIDCConfig) { c.RedirectURL = "" },
		"redirect URL elsewhere": func(c *webui.OIDCConfig) { c.RedirectURL = "https://complaints.example/callback" },
	} {
		c := good
		edit(&c)
		if _, err := webui.NewOIDC(ctx, c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := webui.NewOIDC(ctx, good); err != nil {
		t.Errorf("good settings: %v", err)
	}
}

func TestOIDCFlowCookieIsShortLivedHttpOnlyLaxAndHostOnlyOverTLS(t *testing.T) {
	s := newSSOSite(t, newSSOProvider(t))
	for target, want := range map[string][]string{
		"https://complaints.example/sign-in/oidc?next=/cases": {"__Host-redress_oidc=", "Path=/", "Max-Age=600", "HttpOnly", "Secure", "SameSite=Lax"},
		"http://127.0.0.1/sign-in/oidc?next=/cases":           {"redress_oidc=", "Path=/", "Max-Age=600", "HttpOnly", "SameSite=Lax"},
	} {
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		cookie := rec.Header().Get("Set-Cookie")
		for _, w := range want {
			if !strings.Contains(cookie, w) {
				t.Errorf("%s: flow cookie %q lacks %q", target, cookie, w)
			}
		}
		if strings.HasPrefix(target, "http:") && strings.Contains(cookie, "Secure") {
			t.Errorf("%s: flow cookie %q is Secure over plain HTTP, so the browser would not send it back", target, cookie)
		}
	}
}
