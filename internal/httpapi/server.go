// Package httpapi is Redress's JSON API under /api/v1, documented by the
// OpenAPI document served at /api/openapi.json. Handlers parse requests,
// call the domain and the store, and write JSON; they hold no rules. Every
// handler returns an error, and web.Describe turns errors into statuses.
package httpapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/web"
)

// MaxBody is the largest request body accepted: 1 MiB.
const MaxBody = 1 << 20

//go:embed openapi.json
var openAPI []byte

// Server serves the API.
type Server struct {
	Store    store.Store
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger
	// Now is the clock; tests may fix it.
	Now func() time.Time
	// ServiceName is the landlord's name for the service: letters are
	// headed with it until an admin sets a letterhead.
	ServiceName string
	// BaseURL is where staff reach Redress, for the password reset links
	// an admin has emailed; without it none can be.
	BaseURL string
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Access says who may use a route. Every caller is authenticated by an
// API token first; Access is what their role must allow on top.
type Access string

// The levels of access, from widest to narrowest.
const (
	// Anyone is any user with a token: reading is limited by what each
	// case lets them see.
	Anyone Access = "anyone"
	// Actors are the roles that may log contacts and give commands.
	Actors Access = "actors"
	// Managers (and admins) read the year's measures.
	Managers Access = "managers"
	// Admins manage users and tokens.
	Admins Access = "admins"
)

// allows returns a forbidden error unless u's role has the access.
func (a Access) allows(u store.User) error {
	switch a {
	case Anyone:
		return nil
	case Actors:
		if !auth.Role(u.Role).CanAct() {
			return complaint.Errorf(complaint.Forbidden, "a %s may read cases but not change them", u.Role)
		}
		return nil
	case Managers:
		if r := auth.Role(u.Role); r != auth.Manager && r != auth.Admin {
			return complaint.Errorf(complaint.Forbidden, "only managers and admins may read the measures")
		}
		return nil
	case Admins:
		if auth.Role(u.Role) != auth.Admin {
			return complaint.Errorf(complaint.Forbidden, "only an admin may manage users")
		}
		return nil
	}
	return complaint.Errorf(complaint.Internal, "route with unknown access %q", a)
}

// Route is one of the API's routes and who may use it.
type Route struct {
	Pattern string
	Access  Access
}

type route struct {
	Route
	h handlerFunc
}

// uploadLimits are the routes that take files, with the largest body
// each reads: a file upload is far larger than any command, and only its
// route should read that much. Every other route reads at most MaxBody.
var uploadLimits = map[string]int64{"POST /api/v1/cases/{ref}/files": MaxUpload}

// routes is the API's one flat route table: Handler mounts it, and
// Routes lists it, so the permission tests walk the routes served and
// cannot drift from them.
func (s *Server) routes() []route {
	return []route{
		{Route{"POST /api/v1/users", Admins}, s.createUser},
		{Route{"GET /api/v1/users", Admins}, s.listUsers},
		{Route{"POST /api/v1/users/{id}/tokens", Admins}, s.createToken},
		{Route{"GET /api/v1/users/audit", Admins}, s.userAudit},
		{Route{"GET /api/v1/users/{id}", Admins}, s.getUser},
		{Route{"POST /api/v1/users/{id}/deactivate", Admins}, s.deactivateUser},
		{Route{"POST /api/v1/users/{id}/reactivate", Admins}, s.reactivateUser},
		{Route{"POST /api/v1/users/{id}/role", Admins}, s.changeRole},
		{Route{"POST /api/v1/users/{id}/password-reset", Admins}, s.resetPassword},
		{Route{"GET /api/v1/reports/tsm", Managers}, s.tsm},
		{Route{"GET /api/v1/reports/tsm/cases", Managers}, s.tsmCases},
		{Route{"GET /api/v1/reports/hazards", Managers}, s.hazards},
		{Route{"POST /api/v1/cases", Actors}, s.createCase},
		{Route{"GET /api/v1/cases", Anyone}, s.listCases},
		{Route{"GET /api/v1/cases/{ref}", Anyone}, s.getCase},
		{Route{"GET /api/v1/cases/{ref}/events", Anyone}, s.caseEvents},
		{Route{"POST /api/v1/cases/{ref}/remedies/{id}/done", Actors}, s.completeRemedy},
		{Route{"POST /api/v1/cases/{ref}/remedies/{id}/supersede", Actors}, s.supersedeRemedy},
		{Route{"POST /api/v1/cases/{ref}/files", Actors}, s.uploadFiles},
		{Route{"GET /api/v1/cases/{ref}/letters", Anyone}, s.listLetters},
		{Route{"GET /api/v1/cases/{ref}/letters/{id}/pdf", Anyone}, s.letterPDF},
		{Route{"POST /api/v1/cases/{ref}/letters/draft", Actors}, s.draftLetter},
		{Route{"POST /api/v1/cases/{ref}/letters/check", Actors}, s.checkLetter},
		{Route{"POST /api/v1/cases/{ref}/letters/preview", Actors}, s.previewLetter},
		{Route{"POST /api/v1/cases/{ref}/letters", Actors}, s.issueLetter},
		{Route{"POST /api/v1/cases/{ref}/group-copies", Actors}, s.sendGroupCopies},
		{Route{"POST /api/v1/cases/{ref}/{command}", Actors}, s.command},
		{Route{"GET /api/v1/restrictions", Anyone}, s.listRestrictions},
		{Route{"POST /api/v1/restrictions", Actors}, s.startRestriction},
		{Route{"GET /api/v1/restrictions/{id}", Anyone}, s.getRestriction},
		{Route{"POST /api/v1/restrictions/{id}/decide", Actors}, s.restrictionCommand("decide")},
		{Route{"POST /api/v1/restrictions/{id}/review", Actors}, s.restrictionCommand("review")},
		{Route{"POST /api/v1/restrictions/{id}/lift", Actors}, s.restrictionCommand("lift")},
		{Route{"POST /api/v1/restrictions/{id}/letter", Actors}, s.restrictionLetter},
	}
}

// Routes lists every authenticated route the API serves with its access.
func Routes() []Route {
	var out []Route
	for _, r := range (&Server{}).routes() {
		out = append(out, r.Route)
	}
	return out
}

// Handler returns the API's routes, one flat table.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	for _, rt := range s.routes() {
		limit, ok := uploadLimits[rt.Pattern]
		if !ok {
			limit = MaxBody
		}
		mux.Handle(rt.Pattern, s.serveWithin(rt.h, rt.Access.allows, limit))
	}
	mux.Handle("/api/", s.serve(func(w http.ResponseWriter, r *http.Request) error {
		return complaint.Errorf(complaint.NotFound, "there is no %s %s in this API; see /api/openapi.json", r.Method, r.URL.Path)
	}, nil))
	return mux
}

type ctxKey int

const userKey ctxKey = 0

func userOf(r *http.Request) store.User { u, _ := r.Context().Value(userKey).(store.User); return u }

// serve wraps a handler with authentication and the permission check
// (when need is not nil), inside what every request of every surface gets
// (web.Surface.Wrap): a request id, a body limit, panic recovery, the
// access log and the one error mapping.
func (s *Server) serve(h handlerFunc, need func(store.User) error) http.Handler {
	return s.serveWithin(h, need, MaxBody)
}

// serveWithin is serve reading a body of at most limit bytes.
func (s *Server) serveWithin(h handlerFunc, need func(store.User) error, limit int64) http.Handler {
	surface := &web.Surface{Log: s.Log, Access: "request", Render: renderError}
	return surface.Wrap(func(w http.ResponseWriter, r *http.Request) error {
		if need != nil {
			u, err := s.authenticate(r)
			if err != nil {
				return err
			}
			if err := need(u); err != nil {
				return err
			}
			r = web.With(r, context.WithValue(r.Context(), userKey, u), "user_id", u.ID)
		}
		return h(w, r)
	}, limit)
}

func (s *Server) authenticate(r *http.Request) (store.User, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return store.User{}, complaint.Errorf(complaint.Unauthorized, "send an API token as Authorization: Bearer TOKEN")
	}
	u, err := s.Store.UserByToken(r.Context(), auth.HashToken(token))
	if complaint.ErrorCode(err) == complaint.NotFound {
		return store.User{}, complaint.Errorf(complaint.Unauthorized, "the API token is not valid")
	}
	return u, err
}

// renderError writes an error as the API's JSON body; web.Describe has
// decided its status and what the caller may read.
func renderError(w http.ResponseWriter, r *http.Request, p web.Problem, err error) {
	if p.Public.Code == complaint.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
	}
	writeJSON(w, p.Status, map[string]any{"error": p.Public})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
