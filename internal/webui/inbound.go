package webui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// inbound returns the store's record of inbound email.
// inboundViews are the lists the inbound page shows, by its show=
// parameter: messages waiting for a person, those dealt with, and those
// ignored as automatic.
var inboundViews = []struct{ Key, Label string }{
	{"waiting", "Waiting for a person"},
	{"resolved", "Resolved"},
	{"ignored", "Ignored as automatic"},
}

// inboundItem is one message on the inbound page.
type inboundItem struct {
	store.InboundMessage
	// Note and Error are a resolve form's value and error, after a
	// refused post.
	Note, Error string
}

// inboundPage lists the messages that reached the feedback address but
// opened no case: those quarantined for a person (unreadable, a refused
// file, a reference from someone not on the case) and, on request, those
// dealt with and those ignored as auto-replies and bounces.
func (s *Server) inboundPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInbound(w, r, http.StatusOK, r.URL.Query().Get("show"), 0, "", nil)
}

func (s *Server) renderInbound(w http.ResponseWriter, r *http.Request, status int, show string, formID int64, note string, errs []fieldError) error {
	in := s.Store
	f := store.InboundFilter{Outcome: store.InboundQuarantined, Limit: 200}
	switch show {
	case "resolved":
		f.Resolved = true
	case "ignored":
		f.Outcome = store.InboundIgnored
	default:
		show = "waiting"
	}
	list, err := in.InboundMessages(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]inboundItem, 0, len(list))
	for _, m := range list {
		if show == "resolved" && m.ResolvedAt.IsZero() {
			continue
		}
		it := inboundItem{InboundMessage: m}
		if m.ID == formID {
			it.Note = note
			for _, e := range errs {
				it.Error = e.Message
			}
		}
		items = append(items, it)
	}
	var resolved int64
	if v := r.URL.Query().Get("resolved"); v != "" {
		resolved, _ = strconv.ParseInt(v, 10, 64)
	}
	s.render(w, r, status, "inbound", map[string]any{
		"Title": "Inbound email", "Nav": "inbound", "Errors": errs,
		"Show": show, "Views": inboundViews, "Items": items, "Resolved": resolved,
	})
	return nil
}

func inboundID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, complaint.Errorf(complaint.NotFound, "there is no inbound message %q", r.PathValue("id"))
	}
	return id, nil
}

// inboundRaw downloads a kept message as it arrived, to open in a mail
// program. Only managers and admins may, as a message may be about
// anyone; each download is logged.
func (s *Server) inboundRaw(w http.ResponseWriter, r *http.Request) error {
	in := s.Store
	id, err := inboundID(r)
	if err != nil {
		return err
	}
	m, err := in.InboundMessage(r.Context(), id)
	if err != nil {
		return err
	}
	if m.Raw == nil {
		return complaint.Errorf(complaint.NotFound, "inbound message %d is no longer kept: only its record remains", id)
	}
	s.Log.Info("inbound message downloaded", "inbound_id", id, "outcome", m.Outcome, "user_id", userOf(r).ID)
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", `attachment; filename="inbound-`+strconv.FormatInt(id, 10)+`.eml"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.Raw)))
	_, err = w.Write(m.Raw)
	return err
}

// resolveInbound records that a person dealt with a quarantined message,
// and how: logged it as a case by hand, added it to one, or decided it
// needs nothing.
func (s *Server) resolveInbound(w http.ResponseWriter, r *http.Request) error {
	in := s.Store
	id, err := inboundID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	field := "note-" + strconv.FormatInt(id, 10)
	var errs []fieldError
	switch {
	case note == "":
		errs = []fieldError{{field, "Say what you did with the message, such as the case you logged it as"}}
	case len(note) > 2000:
		errs = []fieldError{{field, "The note must be 2,000 characters or fewer"}}
	default:
		err = in.ResolveInbound(r.Context(), id, userOf(r).Email, note, s.Now())
		if e, ok := domainErrors(err, field); ok && complaint.ErrorCode(err) != complaint.Invalid {
			errs = e
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderInbound(w, r, http.StatusBadRequest, "waiting", id, note, errs)
	}
	s.Log.Info("inbound message resolved", "inbound_id", id, "user_id", userOf(r).ID)
	http.Redirect(w, r, "/inbound?resolved="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
