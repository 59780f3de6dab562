package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// StaffNoticeKind is what an in-app notice tells a member of staff. The
// kinds are few and fixed, so that the notices page words each one and a
// notice holds no text of its own: nothing personal is copied out of the
// case into it.
type StaffNoticeKind string

// The kinds of in-app notice (issue 22, item 2).
const (
	// NoticeAssigned: a case was assigned to the recipient by someone
	// else.
	NoticeAssigned StaffNoticeKind = "assigned"
	// NoticeNewInformation: the resident (or someone for them) sent new
	// information about a case the recipient handles.
	NoticeNewInformation StaffNoticeKind = "new_information"
	// NoticeStage2Requested: a complaint was escalated to stage 2; the
	// recipient handles it or, when nobody does, manages.
	NoticeStage2Requested StaffNoticeKind = "stage2_requested"
	// NoticeDueTomorrow: a case the recipient handles has its
	// acknowledgement or response due the next working day (Due).
	NoticeDueTomorrow StaffNoticeKind = "due_tomorrow"
)

// StaffNoticeKinds lists every kind, for checks and tests.
var StaffNoticeKinds = []StaffNoticeKind{NoticeAssigned, NoticeNewInformation, NoticeStage2Requested, NoticeDueTomorrow}

// StaffNotice is one in-app notice to one user about one case.
type StaffNotice struct {
	ID      int64
	UserID  int64
	CaseRef string
	Kind    StaffNoticeKind
	// EventID is the case event the notice was made from; 0 for a
	// notice made by the daily sweep of deadlines.
	EventID int64
	// Due is the deadline a NoticeDueTomorrow is about; zero otherwise.
	Due calendar.Date
	// Key makes the notice once only: a notice whose key is already
	// stored is not stored again, so that reading the same events twice
	// or sweeping the same day twice adds nothing.
	Key       string
	CreatedAt time.Time
	// ReadAt is when the recipient opened it or marked all read; zero
	// while unread.
	ReadAt time.Time
}

// StaffNoticeStore keeps the staff's in-app notices (package inapp) and
// the cursor of the processor that makes them from the log of case
// events. Notices are kept apart from the outbox so that they appear
// whether or not a mail server is configured. Store embeds it; the
// inapp processor and the staff pages are its consumers.
//
// Every read is for one user and takes that user as a Viewer, so that a
// notice about a confidential case the user cannot see (auth.Sees) is
// neither listed nor counted: a notice never reveals a case.
type StaffNoticeStore interface {
	// StaffNoticeCursor returns the id of the last event whose notices
	// have been recorded.
	StaffNoticeCursor(ctx context.Context) (int64, error)
	// RecordStaffNotices, in one transaction, stores every notice whose
	// Key (required) is not already stored and moves the cursor from
	// from to to. If the cursor is no longer at from (another processor
	// moved it) it is a conflict error and nothing is saved. It returns
	// how many notices were new.
	RecordStaffNotices(ctx context.Context, from, to int64, ns []StaffNotice, at time.Time) (added int, err error)
	// AddStaffNotices stores, in one transaction, every notice whose Key
	// (required) is not already stored, and returns how many were new.
	AddStaffNotices(ctx context.Context, ns []StaffNotice, at time.Time) (added int, err error)
	// StaffNotices returns up to limit (1 to 500) of the user's notices
	// about cases v may see, newest first.
	StaffNotices(ctx context.Context, userID int64, v Viewer, limit int) ([]StaffNotice, error)
	// UnreadStaffNotices counts the user's unread notices about cases v
	// may see.
	UnreadStaffNotices(ctx context.Context, userID int64, v Viewer) (int, error)
	// ReadStaffNotice marks the user's notice id read at at (once: a
	// notice read before keeps its first ReadAt) and returns it. Another
	// user's notice is not found.
	ReadStaffNotice(ctx context.Context, userID, id int64, at time.Time) (StaffNotice, error)
	// ReadAllStaffNotices marks every unread notice of the user read at
	// at and returns how many it marked.
	ReadAllStaffNotices(ctx context.Context, userID int64, at time.Time) (int, error)
}
