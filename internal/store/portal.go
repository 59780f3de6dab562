package store

import (
	"context"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// Draft is a resident's web form between its pages: the answers so far
// and the files uploaded, kept on the server so that the form works
// without JavaScript and nothing personal sits in the browser. The
// browser holds only a random id in a cookie; storage keeps the id's
// SHA-256, as with sessions, so a copy of the database cannot resume
// anyone's form.
type Draft struct {
	IDHash string
	// Answers are the portal's own JSON; storage does not read them.
	Answers   []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	// ExpiresAt is when the draft and its files are deleted, whether or
	// not it was sent.
	ExpiresAt time.Time
	// CaseRef is the reference of the case the draft became, "" until
	// it is sent.
	CaseRef string
	// Files are the draft's files without their data, oldest first.
	Files []DraftFile
}

// DraftFile is a file uploaded with a draft, already checked. Data is
// filled only by DraftFileData.
type DraftFile struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	AddedAt     time.Time
	Data        []byte
}

// PortalStore keeps the residents' web form drafts. It is separate from
// Store because only the residents' pages use it; the SQLite store
// implements both.
type PortalStore interface {
	// CreateDraft saves a new draft with no files.
	CreateDraft(ctx context.Context, d Draft) error
	// Draft returns the draft with this id hash and its files' details,
	// or a not_found error if there is none or it expired before now.
	Draft(ctx context.Context, idHash string, now time.Time) (Draft, error)
	// SaveDraft replaces a live, unsent draft's answers and moves its
	// expiry. A sent draft is a conflict; a missing one not_found.
	SaveDraft(ctx context.Context, idHash string, answers []byte, now, expires time.Time) error
	// AddDraftFiles stores checked files with a live, unsent draft, all
	// or none: an invalid error names the files field if they would take
	// the draft over maxFiles files or maxTotal bytes.
	AddDraftFiles(ctx context.Context, idHash string, files []DraftFile, now time.Time, maxFiles int, maxTotal int64) ([]DraftFile, error)
	// RemoveDraftFile removes one file from an unsent draft; not_found if
	// the draft has no such file.
	RemoveDraftFile(ctx context.Context, idHash string, id int64) error
	// DraftFileData returns the draft's files with their data, oldest
	// first.
	DraftFileData(ctx context.Context, idHash string) ([]DraftFile, error)
	// SubmitDraft turns a live, unsent draft into a case in one
	// transaction: decide makes the case, which is saved with its first
	// event, and the draft records the case's reference. A draft already
	// sent is a conflict and creates nothing. The draft's files stay with
	// it until DeleteDraftFiles.
	SubmitDraft(ctx context.Context, idHash string, now time.Time, decide func(NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error)
	// DeleteDraftFiles removes a draft's files, once they are stored with
	// its case.
	DeleteDraftFiles(ctx context.Context, idHash string) error
	// DeleteDraft removes a draft and its files.
	DeleteDraft(ctx context.Context, idHash string) error
	// DeleteExpiredDrafts removes every draft that expired before now,
	// with its files, and returns how many.
	DeleteExpiredDrafts(ctx context.Context, now time.Time) (int, error)
}
