package webui

// A user's own sessions (issue 22, item 1): each browser they are signed
// in on, when it signed in and was last used, the one they are using
// marked, and a button to end any of them, for a browser left signed in
// somewhere or lost. Sessions are named by an opaque id
// (store.SessionRowID), never by their id hash.

import (
	"net/http"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	sessions, err := s.Store.UserSessions(r.Context(), u.ID, sessionOf(r).idHash, s.Now())
	if err != nil {
		return err
	}
	msg := ""
	if r.URL.Query().Get("ended") == "1" {
		msg = "The session is ended: that browser is signed out."
	}
	s.render(w, r, http.StatusOK, "account-sessions", map[string]any{
		"Title": "Your sessions", "Sessions": sessions, "Ended": msg,
		"IdleMinutes": int(s.IdleTimeout.Minutes()),
	})
	return nil
}

// endSession ends one of the user's own sessions; ending the one in use
// signs this browser out.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	id := r.PathValue("id")
	current := s.currentRowID(r)
	err := s.Store.EndUserSession(r.Context(), s.change(r), u.ID, id)
	if complaint.ErrorCode(err) == complaint.NotFound {
		// Ended already (in another tab, say): the outcome is the one
		// asked for.
		http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	s.Log.Info("session ended by its user")
	if id == current {
		s.clearCookie(w, r)
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/account/sessions?ended=1", http.StatusSeeOther)
	return nil
}

// currentRowID is the opaque id of the session r is made in.
func (s *Server) currentRowID(r *http.Request) string {
	if h := sessionOf(r).idHash; len(h) > 0 {
		return store.SessionRowID(h)
	}
	return ""
}
