package webui

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Server serves the staff pages.
type Server struct {
	Store    store.Store
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger
	Now      func() time.Time
	// ServiceName is the landlord's name for the service, shown in the
	// header of every page.
	ServiceName string
	// Secure marks the session cookie Secure; set it when served over TLS.
	Secure bool
	// IdleTimeout and AbsoluteTimeout end sessions: after this long
	// unused, and this long after sign-in whatever the use.
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// OIDC, if set, offers single sign-on with an OpenID Connect
	// provider beside email and password.
	OIDC *OIDC

	assets *Assets
	pages  map[string]*template.Template
}

// New checks the server's settings, parses every template once and
// fails at start-up, not on the first request, if one is broken.
func New(s *Server) (*Server, error) {
	if s.Now == nil {
		s.Now = clock.Wall
	}
	if s.OIDC != nil {
		s.OIDC.now = s.Now
	}
	if s.ServiceName == "" {
		s.ServiceName = "Complaints"
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = 30 * time.Minute
	}
	if s.AbsoluteTimeout == 0 {
		s.AbsoluteTimeout = 12 * time.Hour
	}
	a, err := NewAssets()
	if err != nil {
		return nil, err
	}
	s.assets = a
	if s.pages, err = ParsePages(templateFiles, "templates", templateFuncs(a)); err != nil {
		return nil, err
	}
	return s, nil
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler returns the staff pages' routes, one flat table. Every form is
// protected from cross-site request forgery by Go's cross-origin
// protection, which refuses non-safe requests a browser marks as coming
// from another site.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	open := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.serve(h, nil)) }
	page := func(pattern string, h handlerFunc, need func(store.User) bool) {
		mux.Handle(pattern, s.serve(h, needOr(need)))
	}
	mux.Handle("GET /assets/", s.assets.Handler())
	open("GET /sign-in", s.signInPage)
	open("POST /sign-in", s.signIn)
	open("GET /sign-in/oidc", s.oidcStart)
	open("GET /sign-in/oidc/callback", s.oidcCallback)
	page("POST /sign-out", s.signOut, anyone)
	page("POST /sign-out-everywhere", s.signOutEverywhere, anyone)
	page("GET /change-password", s.changePasswordPage, anyone)
	page("POST /change-password", s.changePassword, anyone)
	page("GET /{$}", s.dashboard, anyone)
	page("GET /cases", s.caseList, anyone)
	page("GET /cases.csv", s.caseListCSV, anyone)
	page("GET /cases/new", s.newCasePage, actor)
	page("POST /cases/new", s.newCase, actor)
	page("GET /cases/{ref}", s.casePage, anyone)
	page("GET /cases/{ref}/evidence.zip", s.evidencePack, actor)
	page("GET /cases/{ref}/attachments/{id}", s.attachment, anyone)
	page("GET /cases/{ref}/letters/new", s.newLetterPage, actor)
	page("POST /cases/{ref}/letters/preview", s.previewLetter, actor)
	page("POST /cases/{ref}/letters/preview.pdf", s.previewLetterPDF, actor)
	page("POST /cases/{ref}/letters", s.issueLetter, actor)
	page("GET /cases/{ref}/letters/{file}", s.issuedLetterPDF, anyone)
	page("POST /cases/{ref}/remedies/{id}/done", s.completeRemedy, actor)
	page("POST /cases/{ref}/{command}", s.caseCommand, actor)
	page("GET /actions", s.actions, anyone)
	page("GET /users", s.usersPage, admin)
	page("POST /users", s.createUser, admin)
	page("GET /letters/templates", s.letterTemplatesPage, admin)
	page("GET /letters/templates/{kind}", s.letterTemplatePage, admin)
	page("POST /letters/templates/{kind}", s.saveLetterTemplate, admin)
	page("GET /letters/letterhead", s.letterheadPage, admin)
	page("POST /letters/letterhead", s.setLetterhead, admin)
	page("GET /policy", s.policyPage, manager)
	page("GET /inbound", s.inboundPage, manager)
	page("GET /inbound/{id}/raw", s.inboundRaw, manager)
	page("POST /inbound/{id}/resolve", s.resolveInbound, manager)
	// The published summary: figures only, for anyone.
	open("GET /summary", s.publicSummary)
	page("GET /reports", s.tsmPage, manager)
	page("GET /reports/homes", s.homesPage, manager)
	page("POST /reports/homes", s.setHomes, manager)
	page("GET /reports.csv", s.tsmCSV, manager)
	page("GET /reports/tsm-return.csv", s.tsmReturnCSV, manager)
	page("GET /reports/cases", s.tsmCases, manager)
	page("GET /reports/management", s.managementPage, manager)
	page("GET /reports/management.csv", s.managementCSV, manager)
	page("GET /reports/pack", s.packPage, manager)
	page("GET /reports/pack.pdf", s.packPDF, manager)
	page("GET /reports/review", s.reviewPage, manager)
	page("POST /reports/review/response", s.setResponse, manager)
	page("POST /reports/review/improvements", s.addImprovement, manager)
	page("POST /reports/review/improvements/{id}/remove", s.removeImprovement, manager)
	page("GET /reports/review/section/{n}", s.assessmentPage, manager)
	page("POST /reports/review/section/{n}", s.saveAssessments, manager)
	// Unknown addresses are for signed-in people only, so the 404 page has
	// the usual header and nothing is learnt by probing signed out.
	page("/", func(w http.ResponseWriter, r *http.Request) error {
		return complaint.Errorf(complaint.NotFound, "there is no page at %s", r.URL.Path)
	}, anyone)
	return http.NewCrossOriginProtection().Handler(securityHeaders(mux))
}

// Who may use a page.
func anyone(store.User) bool  { return true }
func actor(u store.User) bool { return auth.Role(u.Role).CanAct() }
func admin(u store.User) bool { return auth.Role(u.Role) == auth.Admin }
func manager(u store.User) bool {
	return auth.Role(u.Role) == auth.Admin || auth.Role(u.Role) == auth.Manager
}

func needOr(need func(store.User) bool) func(store.User) error {
	return func(u store.User) error {
		if !need(u) {
			return complaint.Errorf(complaint.Forbidden, "your role (%s) cannot use this page", u.Role)
		}
		return nil
	}
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

func userOf(r *http.Request) store.User {
	u, _ := r.Context().Value(userKey).(store.User)
	return u
}

// serve wraps a handler with the session check (when need is not nil),
// body limits, panic recovery, logging and the error page.
func (s *Server) serve(h handlerFunc, need func(store.User) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := clock.Wall()
		id := requestID()
		log := s.Log.With("request_id", id)
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		w.Header().Set("Cache-Control", "no-store")
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			if need != nil {
				u, sess, err := s.session(r)
				if err != nil {
					return err
				}
				if u.ID == 0 {
					http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return nil
				}
				if sess.mustChange && r.URL.Path != "/change-password" && r.URL.Path != "/sign-out" {
					http.Redirect(w, r, "/change-password", http.StatusSeeOther)
					return nil
				}
				if err := need(u); err != nil {
					return err
				}
				ctx := context.WithValue(r.Context(), userKey, u)
				r = r.WithContext(context.WithValue(ctx, sessionKey, sess))
				log = log.With("user_id", u.ID)
			}
			return h(w, r)
		}()
		if err != nil {
			s.errorPage(w, r, log, id, err)
		}
		log.Info("page", "method", r.Method, "path", r.URL.Path, "duration_ms", clock.Wall().Sub(start).Milliseconds())
	})
}

func requestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// errorPage shows an error as a page. Unknown errors are logged and
// shown only as a request id.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, log *slog.Logger, id string, err error) {
	var e *complaint.Error
	var mbe *http.MaxBytesError
	status, title, msg := http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later. If it keeps happening, quote reference "+id+"."
	switch {
	case errors.As(err, &mbe):
		status, title, msg = http.StatusRequestEntityTooLarge, "What you sent is too large", "Send less at once."
	case errors.As(err, &e) && e.Code == complaint.NotFound:
		status, title, msg = http.StatusNotFound, "Page not found", capitalise(e.Message)+". If you typed the web address, check it is correct."
	case errors.As(err, &e) && e.Code == complaint.Forbidden:
		status, title, msg = http.StatusForbidden, "You cannot use this page", e.Message+"."
	case errors.As(err, &e) && e.Code != complaint.Internal:
		status, title, msg = http.StatusBadRequest, "There is a problem", e.Error()
	default:
		log.Error("internal error", "err", err)
	}
	s.render(w, r, status, "error", map[string]any{"Title": title, "Message": msg})
}

// page is what every template gets.
type page struct {
	ServiceName string
	User        store.User
	Nav         string
	Title       string
	Errors      []fieldError
	Data        any
}

type fieldError struct {
	Field   string
	Message string
}

// render executes a page template into a buffer first, so a template
// error becomes an error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	p := page{ServiceName: s.ServiceName, User: userOf(r), Data: data}
	if m, ok := data.(map[string]any); ok {
		p.Title, _ = m["Title"].(string)
		p.Nav, _ = m["Nav"].(string)
		p.Errors, _ = m["Errors"].([]fieldError)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Log.Error("template", "name", name, "err", err)
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func formatDate(v any) string {
	switch d := v.(type) {
	case calendar.Date:
		if d.IsZero() {
			return ""
		}
		return d.Start().Format("2 January 2006")
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.In(calendar.London).Format("2 January 2006")
	}
	return fmt.Sprint(v)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.London).Format("2 January 2006 at 3:04pm")
}

func joinStrings(s []string, sep string) string { return strings.Join(s, sep) }

// humanWord turns an identifier such as partly_upheld into "Partly upheld".
func humanWord(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func formatPounds(pence int64) string {
	return fmt.Sprintf("£%d.%02d", pence/100, pence%100)
}
