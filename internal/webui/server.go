package webui

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/brand"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/web"
	"github.com/redresshq/redress/internal/web/view"
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
	// header of every page while no letterhead is set (see Brand).
	ServiceName string
	// Brand is the landlord's name and logo for the header of every page
	// and the published summary, shared with the residents' pages and
	// email so that all of them change together when the letterhead is
	// saved. Nil, New makes one from Store and ServiceName.
	Brand *brand.Cache
	// BaseURL is where staff reach Redress ("https://complaints.example"):
	// password reset links are made from it, and without it none can be
	// emailed.
	BaseURL string
	// Secure marks the session cookie Secure; set it when served over TLS.
	Secure bool
	// IdleTimeout and AbsoluteTimeout end sessions: after this long
	// unused, and this long after sign-in whatever the use.
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// OIDC, if set, offers single sign-on with an OpenID Connect
	// provider beside email and password.
	OIDC *OIDC
	// DeviceKey signs the device cookies that let a browser which has
	// signed in to an account before keep signing in to it while the
	// account is under attack from elsewhere. It must be secret and at
	// least 32 bytes; without one, New makes a random key, and device
	// cookies then last only until the server restarts.
	DeviceKey []byte
	// PolicyBreaches are the breaches of the Code that the policy's
	// compliance check found and that were accepted at start-up. Every
	// staff page shows them to managers and admins, who can fix the
	// policy, until it is fixed.
	PolicyBreaches []policy.Finding
	// SignInFailed, if set, is called on each failed staff sign-in with
	// a password, with SignInBadCredentials, SignInThrottled or SignInDeactivated, for the
	// operator's metrics: a rise is the first sign of guessing. It is
	// given no email or address. It must be quick and safe for
	// concurrent use.
	SignInFailed func(reason string)

	assets *view.Assets
	pages  view.Pages
	// handler is the route table as a handler, built once (Handler): a
	// kept form is replayed through it (resume.go).
	handler     http.Handler
	handlerOnce sync.Once
	// imports are the background imports of large homes files.
	imports homesJobs
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
		s.ServiceName = brand.DefaultName
	}
	if s.Brand == nil {
		s.Brand = brand.New(s.Store, s.ServiceName, s.Log)
	}
	if s.IdleTimeout == 0 {
		s.IdleTimeout = 30 * time.Minute
	}
	if s.AbsoluteTimeout == 0 {
		s.AbsoluteTimeout = 12 * time.Hour
	}
	if err := s.checkDeviceKey(); err != nil {
		return nil, err
	}
	a, err := view.NewAssets()
	if err != nil {
		return nil, err
	}
	s.assets = a
	if s.pages, err = view.ParsePages(templateFiles, "templates", templateFuncsFor(a, s.Policy)); err != nil {
		return nil, err
	}
	return s, nil
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Access says who may use a route of the staff pages.
type Access string

// The kinds of access, from the most open.
const (
	// Public routes are for anyone, signed in or not.
	Public Access = "public"
	// SignedIn routes are for every signed-in user, whatever their role.
	SignedIn Access = "signed in"
	// Actors are the roles that may log contacts and give commands: all
	// but viewers.
	Actors Access = "actors"
	// Managers are managers and admins.
	Managers Access = "managers"
	// Admins are admins only.
	Admins Access = "admins"
)

// Allows reports whether a signed-in user with role may use a route with
// this access.
func (a Access) Allows(role auth.Role) bool {
	switch a {
	case Public, SignedIn:
		return true
	case Actors:
		return role.CanAct()
	case Managers:
		return role == auth.Admin || role == auth.Manager
	case Admins:
		return role == auth.Admin
	}
	return false
}

// Route is one route the staff pages' server mounts: an http.ServeMux
// pattern, such as "GET /cases/{ref}" ("/" is the catch-all), and who may
// use it.
type Route struct {
	Pattern string
	Access  Access
}

// Routes lists every route the server mounts, in the order it mounts
// them, so that a test can check each against every role: it is read
// from the same table Handler mounts, so the two cannot drift apart.
func Routes() []Route {
	out := make([]Route, len(routes))
	for i, rt := range routes {
		out[i] = Route{rt.pattern, rt.access}
	}
	return out
}

type route struct {
	pattern string
	access  Access
	// page serves the route; nil is the static assets, served as they are.
	page func(*Server, http.ResponseWriter, *http.Request) error
}

// routes is the staff pages' one flat table. Every form is protected from
// cross-site request forgery by Go's cross-origin protection, which
// Handler puts in front of them all.
var routes = []route{
	{"GET /assets/", Public, nil},
	{"GET " + brand.LogoPath, Public, (*Server).brandLogo},
	{"GET /sign-in", Public, (*Server).signInPage},
	{"POST /sign-in", Public, (*Server).signIn},
	{"GET /sign-in/oidc", Public, (*Server).oidcStart},
	{"GET /sign-in/oidc/callback", Public, (*Server).oidcCallback},
	{"POST /sign-out", SignedIn, (*Server).signOut},
	{"POST /sign-out-everywhere", SignedIn, (*Server).signOutEverywhere},
	// No lost work (issue 16, item 5): staying signed in when warned of
	// the idle timeout, and a kept form whose sender is not known, shown
	// to be sent or discarded.
	{"POST /session/refresh", SignedIn, (*Server).refreshSession},
	{"GET /session/resume", SignedIn, (*Server).resumePage},
	{"POST /session/resume", SignedIn, (*Server).resume},
	{"GET /change-password", SignedIn, (*Server).changePasswordPage},
	{"POST /change-password", SignedIn, (*Server).changePassword},
	{"GET /{$}", SignedIn, (*Server).dashboard},
	{"GET /cases", SignedIn, (*Server).caseList},
	{"GET /cases.csv", SignedIn, (*Server).caseListCSV},
	{"GET /cases/new", Actors, (*Server).newCasePage},
	{"POST /cases/new", Actors, (*Server).newCase},
	{"GET /cases/{ref}", SignedIn, (*Server).casePage},
	{"GET /cases/{ref}/evidence.zip", Actors, (*Server).evidencePack},
	{"GET /cases/{ref}/attachments/{id}", SignedIn, (*Server).attachment},
	{"GET /cases/{ref}/letters/new", Actors, (*Server).newLetterPage},
	{"POST /cases/{ref}/letters/preview", Actors, (*Server).previewLetter},
	{"POST /cases/{ref}/letters/preview.pdf", Actors, (*Server).previewLetterPDF},
	{"POST /cases/{ref}/letters", Actors, (*Server).issueLetter},
	{"GET /cases/{ref}/letters/{file}", SignedIn, (*Server).issuedLetterPDF},
	{"POST /cases/{ref}/remedies/{id}/done", Actors, (*Server).completeRemedy},
	// Corrections and staff uploads, each on its own small page (issue
	// 16, item 3). POST /cases/{ref}/details is more specific than the
	// generic command route, so it answers the case page's details form
	// too: same fields, same command.
	{"GET /cases/{ref}/definition", Actors, (*Server).definitionPage},
	{"POST /cases/{ref}/definition", Actors, (*Server).amendDefinition},
	{"GET /cases/{ref}/remedies/{id}/supersede", Actors, (*Server).supersedePage},
	{"POST /cases/{ref}/remedies/{id}/supersede", Actors, (*Server).supersedeRemedy},
	{"GET /cases/{ref}/details", Actors, (*Server).detailsPage},
	{"POST /cases/{ref}/details", Actors, (*Server).saveDetails},
	{"GET /cases/{ref}/files/new", Actors, (*Server).newFilePage},
	{"POST /cases/{ref}/files/new", Actors, (*Server).addFile},
	{"POST /cases/{ref}/group-copies", Actors, (*Server).sendGroupCopies},
	{"POST /cases/{ref}/{command}", Actors, (*Server).caseCommand},
	{"GET /actions", SignedIn, (*Server).actions},
	// In-app notices (issue 22, item 2; notices.go).
	{"GET /notices", SignedIn, (*Server).noticesPage},
	{"POST /notices/read", SignedIn, (*Server).readAllNotices},
	{"POST /notices/{id}/open", SignedIn, (*Server).openNotice},
	// Team work (issue 22, item 2): saved views of the case list, bulk
	// assign and bulk mark-done, and workload by officer (views.go,
	// bulk.go, workload.go).
	{"POST /views", SignedIn, (*Server).saveView},
	{"POST /views/{id}/delete", SignedIn, (*Server).deleteView},
	{"POST /cases/bulk-assign", Actors, (*Server).bulkAssign},
	{"POST /actions/done", Actors, (*Server).bulkDone},
	{"GET /workload", Managers, (*Server).workload},
	// The person's page and their subject access export (issue 20,
	// item 5; people.go).
	{"GET /people", Managers, (*Server).peoplePage},
	{"POST /people/export", Managers, (*Server).subjectAccessExport},
	{"GET /restrictions", Managers, (*Server).restrictionsPage},
	{"GET /restrictions/new", Actors, (*Server).newRestrictionPage},
	{"POST /restrictions/new", Actors, (*Server).newRestriction},
	{"GET /restrictions/{id}", SignedIn, (*Server).restrictionPage},
	{"POST /restrictions/{id}/{command}", Actors, (*Server).restrictionCommand},
	{"GET /users", Admins, (*Server).usersPage},
	{"POST /users", Admins, (*Server).createUser},
	{"POST /users/{id}/sign-in-failures/clear", Admins, (*Server).clearSignInFailures},
	// User administration (issue 22, item 1; useradmin.go, account.go,
	// password_reset.go).
	{"GET /users/left", Managers, (*Server).ownerLeftPage},
	{"GET /users/{id}", Admins, (*Server).userPage},
	{"POST /users/{id}/role", Admins, (*Server).changeRole},
	{"POST /users/{id}/deactivate", Admins, (*Server).deactivateUser},
	{"POST /users/{id}/reactivate", Admins, (*Server).reactivateUser},
	{"POST /users/{id}/password-reset", Admins, (*Server).resetPassword},
	{"GET /account/sessions", SignedIn, (*Server).sessionsPage},
	{"POST /account/sessions/{id}/end", SignedIn, (*Server).endSession},
	{"GET /forgot-password", Public, (*Server).forgotPasswordPage},
	{"POST /forgot-password", Public, (*Server).forgotPassword},
	{"GET /reset-password", Public, (*Server).resetPasswordPage},
	{"POST /reset-password", Public, (*Server).setPasswordByLink},
	{"GET /letters/templates", Admins, (*Server).letterTemplatesPage},
	{"GET /letters/templates/{kind}", Admins, (*Server).letterTemplatePage},
	{"POST /letters/templates/{kind}", Admins, (*Server).saveLetterTemplate},
	{"GET /letters/letterhead", Admins, (*Server).letterheadPage},
	{"POST /letters/letterhead", Admins, (*Server).setLetterhead},
	{"GET /policy", Managers, (*Server).policyPage},
	// Service areas and categories as lists managers keep (issue 22,
	// item 3; lists.go).
	{"GET /admin/lists", Managers, (*Server).listsPage},
	{"POST /admin/lists/{command}", Managers, (*Server).listCommand},
	// Retention and legal holds (issue 20, item 4; retention.go).
	{"GET /retention", Managers, (*Server).retentionPage},
	{"POST /retention/erasure", Managers, (*Server).newErasureRequest},
	{"POST /retention/erasure/{id}", Managers, (*Server).decideErasureRequest},
	{"POST /retention/{command}", Managers, (*Server).retentionHold},
	{"GET /inbound", Managers, (*Server).inboundPage},
	{"GET /inbound/{id}/raw", Managers, (*Server).inboundRaw},
	{"POST /inbound/{id}/resolve", Managers, (*Server).resolveInbound},
	// The published summary: figures only, for anyone.
	{"GET /summary", Public, (*Server).publicSummary},
	// Recent compliments, where the policy publishes them (003 §2).
	{"GET /compliments", Public, (*Server).publicCompliments},
	{"GET /reports", Managers, (*Server).tsmPage},
	{"GET /reports/homes", Managers, (*Server).homesPage},
	{"POST /reports/homes", Managers, (*Server).setHomes},
	{"POST /reports/homes/register", Managers, (*Server).homesFromRegister},
	{"GET /admin/homes", Managers, (*Server).homesImportPage},
	{"POST /admin/homes", Managers, (*Server).importHomes},
	{"GET /admin/homes/template.csv", Managers, (*Server).homesTemplate},
	{"GET /admin/homes/import/{id}", Managers, (*Server).homesJobPage},
	{"GET /reports.csv", Managers, (*Server).tsmCSV},
	{"GET /reports/tsm-return.csv", Managers, (*Server).tsmReturnCSV},
	{"POST /reports/tp09", Managers, (*Server).recordTP09},
	{"GET /reports/data-quality", Managers, (*Server).dataQualityPage},
	{"GET /reports/hazards", Managers, (*Server).hazardsPage},
	{"GET /reports/cases", Managers, (*Server).tsmCases},
	{"GET /reports/management", Managers, (*Server).managementPage},
	{"GET /reports/management.csv", Managers, (*Server).managementCSV},
	{"GET /reports/pack", Managers, (*Server).packPage},
	{"GET /reports/pack.pdf", Managers, (*Server).packPDF},
	{"POST /reports/pack/summary", Managers, (*Server).savePackSummary},
	{"POST /reports/pack/signoff", Managers, (*Server).signOffPack},
	{"GET /reports/review", Managers, (*Server).reviewPage},
	{"POST /reports/review/response", Managers, (*Server).setResponse},
	{"POST /reports/review/member", Managers, (*Server).setComplaintsMember},
	{"POST /reports/review/improvements", Managers, (*Server).addImprovement},
	{"POST /reports/review/improvements/{id}/remove", Managers, (*Server).removeImprovement},
	{"GET /reports/review/section/{n}", Managers, (*Server).assessmentPage},
	{"POST /reports/review/section/{n}", Managers, (*Server).saveAssessments},
	// Unknown addresses are for signed-in people only, so the 404 page has
	// the usual header and nothing is learnt by probing signed out.
	{"/", SignedIn, (*Server).notFound},
}

// getPages matches the paths that have a page to GET, so that nobody is
// sent after signing in to an address that only takes a form (which
// would be a 404). It is filled from routes by init, since routes refers
// to the handlers that use it.
var getPages = http.NewServeMux()

func init() {
	for _, rt := range routes {
		if strings.HasPrefix(rt.pattern, "GET ") {
			getPages.Handle(rt.pattern, http.NotFoundHandler())
		}
	}
}

// hasPage reports whether path, already checked to be on this site, has a
// page to GET.
func hasPage(path string) bool {
	_, pattern := getPages.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}})
	return pattern != ""
}

// Handler returns the staff pages: every route of the table, behind Go's
// cross-origin protection and the security headers. It is built once.
func (s *Server) Handler() http.Handler {
	s.handlerOnce.Do(func() { s.handler = s.routeTable() })
	return s.handler
}

func (s *Server) routeTable() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := func(w http.ResponseWriter, r *http.Request) error { return rt.page(s, w, r) }
		switch {
		case rt.page == nil:
			mux.Handle(rt.pattern, s.assets.Handler())
		case rt.access == Public:
			mux.Handle(rt.pattern, s.serve(h, nil))
		default:
			mux.Handle(rt.pattern, s.serveWithin(h, needOr(rt.access), bodyLimit(rt.pattern)))
		}
	}
	return http.NewCrossOriginProtection().Handler(securityHeaders(mux))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return complaint.Errorf(complaint.NotFound, "there is no page at %s", r.URL.Path)
}

func needOr(a Access) func(store.User) error {
	return func(u store.User) error {
		if !a.Allows(auth.Role(u.Role)) {
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

// serve wraps a handler with the session check (when need is not nil)
// and the form parsing, inside what every request of every surface gets
// (web.Surface.Wrap): a request id, a 1 MiB body limit, panic recovery,
// the access log and the one error mapping, shown as the error page.
func (s *Server) serve(h handlerFunc, need func(store.User) error) http.Handler {
	return s.serveWithin(h, need, maxBody)
}

// maxBody is the most any form but an upload may send.
const maxBody = 1 << 20

// uploadLimits are the routes that take files, with the largest body
// each reads: an upload is far larger than any form, and only its route
// should read that much. Every other route reads at most maxBody.
var uploadLimits = map[string]int64{"POST /cases/{ref}/files/new": maxUpload, "POST /admin/homes": maxHomesFile}

// bodyLimit is the largest body the route with this pattern reads.
func bodyLimit(pattern string) int64 {
	if n, ok := uploadLimits[pattern]; ok {
		return n
	}
	return maxBody
}

// serveWithin is serve reading a body of at most limit bytes.
func (s *Server) serveWithin(h handlerFunc, need func(store.User) error, limit int64) http.Handler {
	surface := &web.Surface{Log: s.Log, Access: "page", Render: s.errorPage}
	return surface.Wrap(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		if need != nil {
			u, sess, err := s.session(r)
			if err != nil {
				return err
			}
			if u.ID == 0 {
				return s.toSignIn(w, r, sess.endedOwner)
			}
			if sess.mustChange && r.URL.Path != "/change-password" && r.URL.Path != "/sign-out" {
				http.Redirect(w, r, "/change-password", http.StatusSeeOther)
				return nil
			}
			if err := need(u); err != nil {
				return err
			}
			ctx := context.WithValue(r.Context(), userKey, u)
			r = web.With(r, context.WithValue(ctx, sessionKey, sess), "user_id", u.ID)
		}
		if err := view.ReadForm(r); err != nil {
			return err
		}
		return h(w, r)
	}, limit)
}

// errorPage shows an error as a page, with the status and message
// web.Describe gave it. Unknown errors are shown only as a request id.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p web.Problem, err error) {
	e := p.Public
	var title, msg string
	switch e.Code {
	case complaint.Internal:
		title, msg = "Sorry, there is a problem with the service", "Try again later. If it keeps happening, quote reference "+p.RequestID+"."
	case complaint.TooLarge:
		title, msg = "What you sent is too large", "Send less at once."
	case complaint.NotFound:
		title, msg = "Page not found", capitalise(e.Message)+". If you typed the web address, check it is correct."
	case complaint.Forbidden:
		title, msg = "You cannot use this page", e.Message+"."
	default:
		title, msg = "There is a problem", e.Error()
	}
	s.render(w, r, p.Status, "error", map[string]any{"Title": title, "Message": msg})
}

// page is what every template gets.
type page struct {
	// ServiceName is the brand's name (Brand.Name), which older templates
	// know by this name.
	ServiceName string
	// Brand is the landlord's name and logo, for the header.
	Brand brand.Brand
	User  store.User
	// IdleSeconds is the idle timeout, for the warning before it
	// (static/session.js).
	IdleSeconds int
	Nav         string
	Title       string
	Errors      []fieldError
	// PolicyBreaches are the policy's accepted breaches of the Code, for
	// the users who see the policy page; empty for everyone else.
	PolicyBreaches []policy.Finding
	// FiguresAsOf is when the figures on a report page, or a search's
	// results, are as of, when they were read from a reporting replica
	// that is behind ("" when they are current).
	FiguresAsOf string
	// UnreadNotices is the signed-in user's unread in-app notices, for
	// the header's link to them (notices.go).
	UnreadNotices int
	// Wide pages (the case list, the workload table) use the full width
	// of the window, so that their columns fit.
	Wide bool
	Data any
}

type fieldError struct {
	Field   string
	Message string
}

// render executes a page template into a buffer first, so a template
// error becomes an error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	b := s.Brand.Get(r.Context())
	p := page{ServiceName: b.Name, Brand: b, User: userOf(r), IdleSeconds: int(s.IdleTimeout / time.Second), Data: data}
	if p.User.ID != 0 && Managers.Allows(auth.Role(p.User.Role)) {
		p.PolicyBreaches = s.PolicyBreaches
	}
	p.UnreadNotices = s.unreadNotices(r, p.User)
	if m, ok := data.(map[string]any); ok {
		p.Title, _ = m["Title"].(string)
		p.Nav, _ = m["Nav"].(string)
		p.Errors, _ = m["Errors"].([]fieldError)
		p.Wide, _ = m["Wide"].(bool)
	}
	if p.Nav == "reports" || r.URL.Query().Get("q") != "" {
		p.FiguresAsOf = s.figuresAsOf(r)
	}
	s.pages.Render(w, s.Log, status, name, p)
}

// figuresAsOf says, for a page of figures or search results, when they
// are as of if the reporting replica is behind; "" if they are current.
// Not knowing is logged and shown as current: the page's figures are
// still right as of some moment, and the page is more use than an error.
func (s *Server) figuresAsOf(r *http.Request) string {
	at, behind, err := s.Store.FiguresAsOf(r.Context())
	if err != nil {
		s.Log.Warn("could not tell how far behind the reporting replica is", "err", err)
		return ""
	}
	if !behind {
		return ""
	}
	return at.In(calendar.London).Format("15:04:05 on 2 January 2006")
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
