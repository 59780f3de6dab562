package webui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// The staff's in-app notices (issue 22, item 2): "assigned to you", "new
// information from the resident", "stage 2 requested" and "a case due
// tomorrow", made by package inapp from the log of case events and from
// the deadlines, whether or not mail is set up. The header of every page
// counts the unread ones (page.UnreadNotices); this page lists them, and
// opening one marks it read on the way to its case. Opening and marking
// all read are forms, not links, because they change something: a link
// followed by a prefetcher or a crawler must not mark notices read.

// noticesLimit is how many notices the page lists: the newest. Older ones
// have long been dealt with, and their cases are on the case list.
const noticesLimit = 100

// noticeRow is one notice as the page shows it.
type noticeRow struct {
	store.StaffNotice
	// Text is what the notice says, from its kind: a notice holds no text
	// of its own.
	Text string
}

// noticeText words each kind of notice.
var noticeText = map[store.StaffNoticeKind]string{
	store.NoticeAssigned:        "Assigned to you",
	store.NoticeNewInformation:  "New information from the resident",
	store.NoticeStage2Requested: "Stage 2 requested",
	store.NoticeDueTomorrow:     "Due the next working day",
}

// noticesPage lists the user's notices about the cases they may see,
// newest first.
func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	ns, err := s.Store.StaffNotices(r.Context(), u.ID, s.viewer(u), noticesLimit)
	if err != nil {
		return err
	}
	rows := make([]noticeRow, 0, len(ns))
	unread := 0
	for _, n := range ns {
		rows = append(rows, noticeRow{StaffNotice: n, Text: noticeText[n.Kind]})
		if n.ReadAt.IsZero() {
			unread++
		}
	}
	s.render(w, r, http.StatusOK, "notices", map[string]any{
		"Title": "Notices", "Nav": "notices", "Notices": rows, "Unread": unread, "Limit": noticesLimit,
	})
	return nil
}

// openNotice marks one of the user's notices read and takes them to its
// case. A notice of someone else's is not found, and so is one about a
// case the user cannot see (now): the redirect would name the case.
func (s *Server) openNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return complaint.InvalidField("id", "must be a notice's number")
	}
	n, err := s.Store.ReadStaffNotice(r.Context(), userOf(r).ID, id, s.Now())
	if err != nil {
		return err
	}
	if _, err := s.loadVisible(r, n.CaseRef); err != nil {
		if complaint.ErrorCode(err) == complaint.NotFound {
			return complaint.Errorf(complaint.NotFound, "notice %d not found", id)
		}
		return err
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(n.CaseRef), http.StatusSeeOther)
	return nil
}

// readAllNotices marks every notice of the user read.
func (s *Server) readAllNotices(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Store.ReadAllStaffNotices(r.Context(), userOf(r).ID, s.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/notices", http.StatusSeeOther)
	return nil
}

// unreadNotices is the count in the header of every page for the user
// signed in (0 for nobody). A count that cannot be read is logged and
// shown as none: the page is more use than an error about its header.
func (s *Server) unreadNotices(r *http.Request, u store.User) int {
	if u.ID == 0 {
		return 0
	}
	n, err := s.Store.UnreadStaffNotices(r.Context(), u.ID, s.viewer(u))
	if err != nil {
		s.Log.Warn("could not count unread notices", "user_id", u.ID, "err", err)
		return 0
	}
	return n
}
