// Package httpapi is Redress's JSON API under /api/v1, documented by the
// OpenAPI document served at /api/openapi.json. Handlers parse requests,
// call the domain and the store, and write JSON; they hold no rules. Every
// handler returns an error, and one function turns errors into statuses.
package httpapi

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
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

// routes is the API's one flat route table: Handler mounts it, and
// Routes lists it, so the permission tests walk the routes served and
// cannot drift from them.
func (s *Server) routes() []route {
	return []route{
		{Route{"POST /api/v1/users", Admins}, s.createUser},
		{Route{"GET /api/v1/users", Admins}, s.listUsers},
		{Route{"POST /api/v1/users/{id}/tokens", Admins}, s.createToken},
		{Route{"GET /api/v1/reports/tsm", Managers}, s.tsm},
		{Route{"GET /api/v1/reports/tsm/cases", Managers}, s.tsmCases},
		{Route{"GET /api/v1/reports/hazards", Managers}, s.hazards},
		{Route{"POST /api/v1/cases", Actors}, s.createCase},
		{Route{"GET /api/v1/cases", Anyone}, s.listCases},
		{Route{"GET /api/v1/cases/{ref}", Anyone}, s.getCase},
		{Route{"GET /api/v1/cases/{ref}/events", Anyone}, s.caseEvents},
		{Route{"POST /api/v1/cases/{ref}/remedies/{id}/done", Actors}, s.completeRemedy},
		{Route{"GET /api/v1/cases/{ref}/letters", Anyone}, s.listLetters},
		{Route{"GET /api/v1/cases/{ref}/letters/{id}/pdf", Anyone}, s.letterPDF},
		{Route{"POST /api/v1/cases/{ref}/letters/draft", Actors}, s.draftLetter},
		{Route{"POST /api/v1/cases/{ref}/letters/check", Actors}, s.checkLetter},
		{Route{"POST /api/v1/cases/{ref}/letters/preview", Actors}, s.previewLetter},
		{Route{"POST /api/v1/cases/{ref}/letters", Actors}, s.issueLetter},
		{Route{"POST /api/v1/cases/{ref}/{command}", Actors}, s.command},
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
		mux.Handle(rt.Pattern, s.serve(rt.h, rt.Access.allows))
	}
	mux.Handle("/api/", s.serve(func(w http.ResponseWriter, r *http.Request) error {
		return complaint.Errorf(complaint.NotFound, "there is no %s %s in this API; see /api/openapi.json", r.Method, r.URL.Path)
	}, nil))
	return mux
}

type ctxKey int

const userKey ctxKey = 0

func userOf(r *http.Request) store.User { u, _ := r.Context().Value(userKey).(store.User); return u }

// serve wraps a handler with what every request gets: a request id, a
// body limit, authentication, the permission check, panic recovery,
// logging and error mapping.
func (s *Server) serve(h handlerFunc, need func(store.User) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := clock.Wall()
		id := requestID()
		w.Header().Set("X-Request-Id", id)
		log := s.Log.With("request_id", id)
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		rw := &statusWriter{ResponseWriter: w}
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			if need != nil {
				u, err := s.authenticate(r)
				if err != nil {
					return err
				}
				if err := need(u); err != nil {
					return err
				}
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
				log = log.With("user_id", u.ID)
			}
			return h(rw, r)
		}()
		if err != nil {
			s.writeError(rw, log, id, err)
		}
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rw.status, "duration_ms", clock.Wall().Sub(start).Milliseconds())
	})
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

func requestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

var statusOf = map[string]int{
	complaint.Invalid:      http.StatusBadRequest,
	complaint.Unauthorized: http.StatusUnauthorized,
	complaint.Forbidden:    http.StatusForbidden,
	complaint.NotFound:     http.StatusNotFound,
	complaint.Conflict:     http.StatusConflict,
	complaint.Stale:        http.StatusPreconditionFailed,
	complaint.TooLarge:     http.StatusRequestEntityTooLarge,
	complaint.Unavailable:  http.StatusServiceUnavailable,
}

// writeError is the one place an error becomes a status and a body. An
// error nobody classified is a 500: it is logged, and the caller sees
// only the request id to quote, never its text.
func (s *Server) writeError(w http.ResponseWriter, log *slog.Logger, id string, err error) {
	var e *complaint.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		e = complaint.Errorf(complaint.TooLarge, "the request body is over %d bytes", MaxBody)
	case errors.As(err, &e) && e.Code != complaint.Internal:
	default:
		log.Error("internal error", "err", err)
		e = complaint.Errorf(complaint.Internal, "something went wrong on our side; quote request %s", id)
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if e.Code == complaint.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
