package webui

// No lost work (issue 16, item 5). A form that arrives after its session
// has ended is kept in the store, named by a cookie, and sent again once
// its sender has signed in: nothing typed is lost to the idle timeout.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

const (
	// pendingFormTTL is how long a kept form waits for its sender to sign
	// in again: long enough for a lunch break, short enough that what it
	// says is still what they meant.
	pendingFormTTL = 2 * time.Hour
	// maxKeptUpload is the largest form with files that is kept. Any
	// urlencoded form the server reads (at most 1 MiB) is kept, but files
	// can be far larger, and a store of half-sent uploads would be a store
	// of documents nobody filed; the sign-in page says when one was not
	// kept, so the officer knows to attach it again.
	maxKeptUpload = 256 << 10
	// resumePath is where a kept form whose sender is not known is shown,
	// to be sent or discarded, after signing in.
	resumePath = "/session/resume"
)

// neverKept are the forms about the session itself, which are not kept:
// sent after signing in again, signing out would undo it at once, and
// staying signed in or sending a kept form mean nothing in a new
// session; and passwords are never stored.
var neverKept = map[string]bool{
	"/sign-out": true, "/sign-out-everywhere": true, "/change-password": true,
	"/session/refresh": true, resumePath: true,
}

// pendingCookieName uses the __Host- prefix when it can (over TLS), as
// the single sign-on cookie does, so that a neighbouring subdomain cannot
// plant a kept form of its own.
func (s *Server) pendingCookieName(r *http.Request) string {
	if s.Secure || r.TLS != nil {
		return "__Host-redress_pending"
	}
	return "redress_pending"
}

func (s *Server) clearPendingCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.pendingCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// isForm reports whether r sends something to be done, not a page to
// read: only such a request has anything to keep.
func isForm(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

// toSignIn sends a request that found no live session to sign in, and
// keeps the form it sent, if any, for when that is done. next is a page
// that answers GET (see returnTo), never the form's own address.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request, owner int64) error {
	to := "/sign-in?next=" + url.QueryEscape(returnTo(r))
	if isForm(r) {
		kept, err := s.keepForm(w, r, owner)
		if err != nil {
			return err
		}
		if kept == tooLarge {
			to += "&kept=no"
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// keeping is what became of a form sent after its session ended.
type keeping int

const (
	// notKept is a form that is not kept by design: one about the session
	// itself, or a body that is no form.
	notKept keeping = iota
	// kept is a form kept to be sent after signing in.
	kept
	// tooLarge is an upload too large to keep, which the sign-in page
	// must tell its sender about.
	tooLarge
)

// keepForm stores the form r sent and gives the browser the cookie that
// names it. It keeps nothing for a form about the session itself, a body
// that is not a form, or an upload over maxKeptUpload.
func (s *Server) keepForm(w http.ResponseWriter, r *http.Request, owner int64) (keeping, error) {
	if neverKept[r.URL.Path] {
		return notKept, nil
	}
	// A form from a browser that never had a session is no officer's
	// typed work: only a stranger's, which is not kept.
	if c, err := r.Cookie(sessionCookie); owner == 0 && (err != nil || c.Value == "") {
		return notKept, nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	var limit int64
	switch mt {
	case "application/x-www-form-urlencoded":
		limit = maxBody
	case "multipart/form-data":
		limit = maxKeptUpload
	default:
		return notKept, nil
	}
	if r.ContentLength > limit {
		return tooLarge, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig || int64(len(body)) > limit {
		return tooLarge, nil
	}
	if err != nil {
		return notKept, err
	}
	now := s.Now()
	// One kept form per browser: the latest replaces any before it.
	if c, err := r.Cookie(s.pendingCookieName(r)); err == nil && c.Value != "" {
		if _, err := s.Store.TakePendingForm(r.Context(), hashID(c.Value), now); err != nil && complaint.ErrorCode(err) != complaint.NotFound {
			return notKept, err
		}
	}
	id := randomString()
	if err := s.Store.SavePendingForm(r.Context(), store.PendingForm{
		IDHash: hashID(id), Method: r.Method, Path: r.URL.RequestURI(), ContentType: ct, Body: body,
		UserID: owner, CreatedAt: now, ExpiresAt: now.Add(pendingFormTTL),
	}); err != nil {
		return notKept, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.pendingCookieName(r), Value: id, Path: "/", HttpOnly: true, Secure: s.Secure || r.TLS != nil,
		// Lax: the browser may come back from single sign-on by a
		// top-level navigation from the provider's site.
		SameSite: http.SameSiteLaxMode, MaxAge: int(pendingFormTTL / time.Second),
	})
	s.Log.Info("kept a form sent after its session ended", "path", r.URL.Path, "owner_known", owner != 0)
	return kept, nil
}

// pendingOf returns the kept form the browser's cookie names, if it has
// one that has not expired.
func (s *Server) pendingOf(r *http.Request) (store.PendingForm, bool, error) {
	return s.pending(r, s.Store.PendingForm)
}

// takePending takes the kept form the browser's cookie names, so that it
// is sent at most once, and clears the cookie.
func (s *Server) takePending(w http.ResponseWriter, r *http.Request) (store.PendingForm, bool, error) {
	if c, err := r.Cookie(s.pendingCookieName(r)); err == nil && c.Value != "" {
		s.clearPendingCookie(w, r)
	}
	return s.pending(r, s.Store.TakePendingForm)
}

// pending reads the kept form the browser's cookie names with read (the
// store's PendingForm, or TakePendingForm to use it up): none, if the
// browser names none or it has gone.
func (s *Server) pending(r *http.Request, read func(context.Context, []byte, time.Time) (store.PendingForm, error)) (store.PendingForm, bool, error) {
	c, err := r.Cookie(s.pendingCookieName(r))
	if err != nil || c.Value == "" {
		return store.PendingForm{}, false, nil
	}
	p, err := read(r.Context(), hashID(c.Value), s.Now())
	if complaint.ErrorCode(err) == complaint.NotFound {
		return store.PendingForm{}, false, nil
	}
	if err != nil {
		return store.PendingForm{}, false, err
	}
	return p, true, nil
}

// signedIn finishes every sign-in (with a password, by single sign-on,
// or on changing a one-time password), once u's new session sessionID is
// set: it sends the browser to next, unless a form it sent after its last
// session ended is waiting.
//
// A form is sent at once, as u, only if u's own session sent it: the
// browser then held u's session, so the form is what u typed. If who sent
// it is not known (the browser had no session, or its session had gone),
// it is shown first, and sent only if u chooses to: anyone can make a
// browser keep a form by sending one while signed out, and a form nobody
// reviewed must never act with the authority of whoever signs in next. A
// form another user's session sent is left for them, unseen.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, u store.User, sessionID, next string) error {
	p, ok, err := s.pendingOf(r)
	if err != nil {
		return err
	}
	switch {
	case ok && p.UserID == u.ID:
		if p, ok, err = s.takePending(w, r); err != nil {
			return err
		}
		if ok {
			s.replay(w, r, p, sessionID, next)
			return nil
		}
	case ok && p.UserID == 0:
		next = resumePath
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// replay sends a kept form again, through the server's own handler, as
// the holder of session sessionID, and writes what that answers, but for
// a redirect to the page next names (see replayWriter). It goes
// through every check a form from the browser would (the session, the
// route's access, the body limit, the version the page was showing), so
// a case changed meanwhile shows the case page's usual conflict, with
// what was typed kept. Go's cross-origin protection lets it through as it
// carries no browser's Sec-Fetch-Site or Origin: it never left the
// server.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, p store.PendingForm, sessionID, next string) {
	req, err := http.NewRequestWithContext(r.Context(), p.Method, p.Path, bytes.NewReader(p.Body))
	if err != nil {
		// Kept from a request this server parsed, so it cannot fail.
		s.Log.Error("replay a kept form", "err", err)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	req.Host, req.RemoteAddr, req.TLS = r.Host, r.RemoteAddr, r.TLS
	for _, h := range []string{"User-Agent", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id"} {
		if v := r.Header.Values(h); len(v) > 0 {
			req.Header[h] = v
		}
	}
	req.Header.Set("Content-Type", p.ContentType)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sessionID})
	s.Log.Info("sending a kept form", "path", req.URL.Path)
	handlerOf(s).ServeHTTP(replayWriter{w, next}, req)
}

// handlerOf is (*Server).Handler, set by init: the route table refers to
// the sign-in handlers, which replay through Handler, which reads the
// route table, and Go refuses such a cycle among package variables'
// initialisers but not through init.
var handlerOf func(*Server) http.Handler

func init() { handlerOf = (*Server).Handler }

// replayWriter is the response to a replayed form. A redirect the form's
// handler answers to the page next names (as a case page's forms answer
// with the case page) goes to next itself: sign-in returns the officer
// to the page they were on, as every sign-in does (issue 13, item 4),
// where what they sent now shows. A redirect anywhere else, such as to
// the case a new-contact form created, is followed as it is, and any
// other answer (a page of errors, a conflict) is shown as it is.
type replayWriter struct {
	http.ResponseWriter
	next string
}

func (w replayWriter) WriteHeader(code int) {
	if code >= 300 && code < 400 && w.next != "" {
		to, err := url.Parse(w.Header().Get("Location"))
		if n, nerr := url.Parse(w.next); err == nil && nerr == nil && to.Host == "" && to.Path == n.Path {
			w.Header().Set("Location", w.next)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w replayWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// resumePage shows a kept form whose sender is not known, for the
// signed-in user to send or discard.
func (s *Server) resumePage(w http.ResponseWriter, r *http.Request) error {
	p, ok, err := s.pendingOf(r)
	if err != nil {
		return err
	}
	if !ok || (p.UserID != 0 && p.UserID != userOf(r).ID) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	fields, files := keptFields(p)
	s.render(w, r, http.StatusOK, "resume", map[string]any{
		"Title": "Send what you were sending?", "Path": strings.SplitN(p.Path, "?", 2)[0],
		"Fields": fields, "Files": files, "Expires": p.ExpiresAt,
	})
	return nil
}

// resume sends or discards the kept form the resume page showed.
func (s *Server) resume(w http.ResponseWriter, r *http.Request) error {
	p, ok, err := s.takePending(w, r)
	if err != nil {
		return err
	}
	if !ok {
		return complaint.Errorf(complaint.NotFound, "there is no form waiting to be sent: it was sent, discarded, or kept for longer than %d hours", int(pendingFormTTL/time.Hour))
	}
	if p.UserID != 0 && p.UserID != userOf(r).ID {
		return complaint.Errorf(complaint.Forbidden, "the form waiting to be sent is another user's")
	}
	if r.PostForm.Get("action") != "send" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return err
	}
	s.replay(w, r, p, c.Value, "")
	return nil
}

// keptField is one field of a kept form, as the resume page shows it.
type keptField struct{ Name, Value string }

// keptFields lists a kept form's fields and the names of its files, for
// the resume page: the person deciding whether to send it sees all of it.
func keptFields(p store.PendingForm) (fields []keptField, files []string) {
	mt, params, _ := mime.ParseMediaType(p.ContentType)
	switch mt {
	case "application/x-www-form-urlencoded":
		// In the order sent, which is the page's order.
		for pair := range strings.SplitSeq(string(p.Body), "&") {
			k, v, _ := strings.Cut(pair, "=")
			k, kerr := url.QueryUnescape(k)
			v, verr := url.QueryUnescape(v)
			if kerr == nil && verr == nil && k != "" {
				fields = append(fields, keptField{k, v})
			}
		}
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(p.Body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FileName() != "" {
				files = append(files, part.FileName())
				continue
			}
			b, _ := io.ReadAll(io.LimitReader(part, maxKeptUpload))
			fields = append(fields, keptField{part.FormName(), string(b)})
		}
	}
	// The version the page was showing means nothing to the reader.
	fields = slices.DeleteFunc(fields, func(f keptField) bool { return f.Name == "version" })
	return fields, files
}

// refreshSession keeps the session signed in for a whole idle timeout
// more: it is what the "Stay signed in" button of the warning before the
// timeout (static/session.js) asks for. serve has already found the
// session live; SessionUser records use only to the minute, so this
// records it to the moment.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.Store.TouchSession(r.Context(), sessionOf(r).idHash, s.Now()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
