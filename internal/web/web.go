// Package web is what Redress's three HTTP surfaces (the JSON API, the
// staff pages and the residents' portal) share about a request: the one
// mapping from an error to a status, a log line and a message a person
// may see; the one request wrapper (request id, body limit, panic
// recovery, access log); and the one reading of the client's address,
// behind the proxies the deployment trusts (Proxies).
//
// It exists so that the surfaces cannot disagree: before it, each had its
// own copy of these, and a conflict was a 409 in one and a 400 in
// another. Each surface still renders an error its own way (JSON, or the
// GOV.UK error page), but from the same Problem.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
)

// Problem is what an error means for a response: its status, whether
// and how it is logged, and what the person who made the request may be
// told. Surfaces render it; they do not decide it.
type Problem struct {
	// Status is the HTTP status.
	Status int
	// Public is the error as the caller may see it: for a classified
	// error its code, message and fields; for anything else an internal
	// error whose message only gives the request id to quote, never the
	// error's text.
	Public *complaint.Error
	// Log says whether the error is worth a log line of its own, and
	// Level at what level.
	Log   bool
	Level slog.Level
	// Stack is the stack of a recovered panic, logged with it.
	Stack []byte
	// RequestID is the request's id, which a person may quote.
	RequestID string
}

// status is the one table from an error code to an HTTP status.
var status = map[string]int{
	complaint.Invalid:      http.StatusBadRequest,
	complaint.Unauthorized: http.StatusUnauthorized,
	complaint.Forbidden:    http.StatusForbidden,
	complaint.NotFound:     http.StatusNotFound,
	complaint.Conflict:     http.StatusConflict,
	complaint.Stale:        http.StatusPreconditionFailed,
	complaint.TooLarge:     http.StatusRequestEntityTooLarge,
	complaint.Unavailable:  http.StatusServiceUnavailable,
	complaint.Internal:     http.StatusInternalServerError,
}

// Status returns the HTTP status of an error code; an unknown code is a
// 500, since nobody decided it was the caller's fault.
func Status(code string) int {
	if s, ok := status[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// InternalMessage is what a person is told of an error nobody
// classified: only the request id, to quote to the landlord.
func InternalMessage(requestID string) string {
	return "something went wrong on our side; quote request " + requestID
}

// Describe maps err, met while serving the request with id requestID, to
// its Problem. A body over its limit is too_large. An error that is not
// a *complaint.Error, an internal one, an unknown code, and a recovered
// panic are all 500s logged at error level (a panic with its stack), and
// the caller sees only the request id. Unavailable (a deadline past the
// known holidays) is the service's fault, not the caller's: it is logged
// as a warning. The other codes are the caller's to fix and are logged at
// debug level only.
func Describe(err error, requestID string) Problem {
	p := describe(err, requestID)
	p.RequestID = requestID
	return p
}

func describe(err error, requestID string) Problem {
	var e *complaint.Error
	var mbe *http.MaxBytesError
	var pe *panicError
	switch {
	case errors.As(err, &pe):
		return Problem{Status: http.StatusInternalServerError, Public: internal(requestID), Log: true, Level: slog.LevelError, Stack: pe.stack}
	case errors.As(err, &mbe):
		e = complaint.Errorf(complaint.TooLarge, "the request body is over %d bytes", mbe.Limit)
	case errors.As(err, &e) && e.Code != complaint.Internal && status[e.Code] != 0:
	default:
		return Problem{Status: http.StatusInternalServerError, Public: internal(requestID), Log: true, Level: slog.LevelError}
	}
	p := Problem{Status: Status(e.Code), Public: e, Level: slog.LevelDebug}
	if e.Code == complaint.Unavailable {
		p.Log, p.Level = true, slog.LevelWarn
	}
	return p
}

func internal(requestID string) *complaint.Error {
	return complaint.Errorf(complaint.Internal, "%s", InternalMessage(requestID))
}

// logProblem writes err's log line at p's level: the error's text, and a
// panic's stack, go to the log and never to the caller.
func logProblem(ctx context.Context, log *slog.Logger, p Problem, err error) {
	args := []any{"err", err, "code", p.Public.Code, "status", p.Status}
	if p.Stack != nil {
		args = append(args, "stack", string(p.Stack))
	}
	msg := "request error"
	switch {
	case p.Level >= slog.LevelError:
		msg = "internal error"
	case p.Level >= slog.LevelWarn:
		msg = "service unavailable"
	}
	log.Log(ctx, p.Level, msg, args...)
}

// panicError is a recovered panic with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// Handler is a handler of a surface: it returns an error rather than
// writing one, so that one place, the wrapper, turns it into a response.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Renderer writes the response for an error on one surface: JSON for
// the API, the GOV.UK error page for the HTML surfaces. err is the error
// itself, for headers a surface adds (such as Retry-After); r is the
// request as the handler last made it (see With).
type Renderer func(w http.ResponseWriter, r *http.Request, p Problem, err error)

// Surface is what a surface gives the request wrapper: its logger, how it
// renders errors, and optionally errors only it knows.
type Surface struct {
	// Log receives the access line of every request and the line of
	// every error worth one.
	Log *slog.Logger
	// Access is the message of the access line, naming the surface
	// ("request", "page", "portal page").
	Access string
	// Render writes an error's response.
	Render Renderer
	// Describe, if set, is asked first about an error: it returns the
	// Problem of an error only this surface knows (the portal's rate
	// limit) and true, or false to leave it to the shared Describe.
	Describe func(err error, requestID string) (Problem, bool)
	// LogPath, if set, turns the path into what the access line may hold:
	// the portal leaves out secret tokens and case references.
	LogPath func(string) string
}

type stateKey struct{}

// state is the wrapper's own record of a request, which the handlers
// inside it add to through With.
type state struct {
	r     *http.Request
	attrs []any
}

// With returns r with ctx, and makes it the request the wrapper renders
// an error for; attrs (such as "user_id", 7) are added to the request's
// log lines. A surface calls it once it knows who is asking.
func With(r *http.Request, ctx context.Context, attrs ...any) *http.Request {
	r = r.WithContext(ctx)
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		st.r = r
		st.attrs = append(st.attrs, attrs...)
	}
	return r
}

// Wrap gives h what every request of every surface gets: a request id
// (the X-Request-Id header, made here unless the request brings a sound
// one), a body limit of limit bytes, recovery from a panic (logged with
// its stack and answered as a 500), the error response through Describe
// and the surface's renderer, and one access log line.
func (s *Surface) Wrap(h Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := clock.Wall()
		id := RequestID(r)
		w.Header().Set("X-Request-Id", id)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		st := &state{}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		st.r = r
		sw := &statusWriter{ResponseWriter: w}
		err := call(h, sw, r)
		log := s.Log.With("request_id", id).With(st.attrs...)
		if err != nil {
			p, ok := Problem{}, false
			if s.Describe != nil {
				p, ok = s.Describe(err, id)
			}
			if !ok {
				p = Describe(err, id)
			}
			p.RequestID = id
			if p.Log || log.Enabled(r.Context(), p.Level) {
				logProblem(r.Context(), log, p, err)
			}
			if sw.status == 0 {
				s.Render(sw, st.r, p, err)
			}
		}
		path := r.URL.Path
		if s.LogPath != nil {
			path = s.LogPath(path)
		}
		log.Info(s.Access, "method", r.Method, "path", path, "status", sw.code(), "duration_ms", clock.Wall().Sub(start).Milliseconds())
	})
}

// call runs h, turning a panic into an error that keeps its stack. A
// panic with http.ErrAbortHandler is the handler's way to abort the
// response, and is let through.
func call(h Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return h(w, r)
}

// RequestID returns the request's id: the X-Request-Id it brings, if it
// is one a log line can hold safely (1 to 64 letters, digits, '-', '_'
// or '.'), or else a new random one.
func RequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); soundID(id) {
		return id
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func soundID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// statusWriter remembers the status written, for the access line, and so
// that an error after the response has begun is logged but not written
// into the middle of it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
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

// Unwrap lets http.ResponseController reach the connection (the portal
// extends an upload's deadlines through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
