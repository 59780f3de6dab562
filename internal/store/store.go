// Package store declares what Redress needs from storage, in the domain's
// terms, so that the embedded SQLite store and the PostgreSQL store are
// interchangeable and are held to the same conformance suite
// (store/storetest).
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
)

// NewReference allocates the next case reference for a year, inside the
// transaction that will save the case.
type NewReference func(year int) (string, error)

// Decision makes the new state of a case and the event recording it.
// Storage calls it inside a write transaction, with the current case, and
// saves both or neither.
type Decision func(c complaint.Case, ref NewReference) (complaint.Case, complaint.Event, error)

// Viewer is who is asking, for the confidential-case rule (auth.Sees): a
// confidential case is visible to the people it names (auth.Named: its
// handlers, whoever logged it and its line manager), matched by email
// whatever its case, and to viewers who see every confidential case.
type Viewer struct {
	Email string
	// AllConfidential is auth.Role.SeesAllConfidential under the policy:
	// admins; managers too unless the policy keeps confidential cases to
	// the people they name (policy.Confidential.NamedViewersOnly).
	AllConfidential bool
}

// CaseFilter selects cases for a list. Zero fields do not filter.
type CaseFilter struct {
	Viewer      Viewer
	Kind        complaint.Kind
	Stage       int
	Status      complaint.Status
	Handler     string
	ServiceArea string
	// NoTenure keeps only the cases with no tenure recorded: a complaint
	// from the resident's form or email arrives without one, and is in
	// no tenure's measures until an officer sets it.
	NoTenure     bool
	Overdue      bool
	Today        calendar.Date // what "overdue" is judged against
	DueBefore    calendar.Date // next deadline on or before this date
	ReceivedFrom time.Time
	ReceivedTo   time.Time
	Q            string // words to search for
	Sort         string // "" newest first, "oldest" first, or "due": next deadline first, none last
	Cursor       string // from the previous page
	Limit        int

	// The team's queues (issue 22, item 2). OpenOnly keeps the cases
	// still open (received, acknowledged or responded); Unassigned the
	// cases with no handler; SafetyFlagged those flagged as a health and
	// safety risk; UnreadFromResident those with something new from the
	// resident not yet marked read; OpenActions those with a remedy not
	// yet done. DueFrom keeps the cases whose next deadline is on or
	// after it, for "due in the next five working days" with DueBefore.
	OpenOnly           bool
	Unassigned         bool
	SafetyFlagged      bool
	UnreadFromResident bool
	OpenActions        bool
	DueFrom            calendar.Date
}

// TSMQuery names one count behind a measure: its numerator or its
// denominator, for one tenure (report.NotRecorded for none recorded) or,
// with Tenure nil, "All": the Regulator's tenures together, as
// report.ComputeTSM counts it.
type TSMQuery struct {
	Measure   string // report.CH01Stage1 ... report.TP09
	Numerator bool
	Tenure    *complaint.Tenure
	From, To  calendar.Date
	Viewer    Viewer
}

// CaseCount is the number of cases of one kind, stage and status.
type CaseCount struct {
	Kind   complaint.Kind   `json:"kind"`
	Stage  int              `json:"stage"`
	Status complaint.Status `json:"status"`
	N      int              `json:"n"`
}

// OpenAction is a remedy or action not yet done, with its case.
type OpenAction struct {
	Reference string           `json:"reference"`
	Summary   string           `json:"summary"`
	Handler   string           `json:"handler"`
	Remedy    complaint.Remedy `json:"remedy"`
}

// User is a person who signs in or holds an API token.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// Deactivated marks a leaver (UserAdminStore.DeactivateUser): they
	// cannot sign in, and no case or action may be given to them.
	Deactivated bool `json:"deactivated,omitempty"`
}

// AuditReport is the result of checking the event hash chain.
type AuditReport struct {
	Events   int      `json:"events"`
	Cases    int      `json:"cases"` // how many cases were rebuilt from their events
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
	// Anonymised lists the cases whose personal data was removed, when
	// and under which retention rule or erasure request, as their
	// chained anonymisation events record it.
	Anonymised []AnonymisationEntry `json:"anonymised,omitempty"`
}

// Store is Redress's storage. Every method that changes data commits
// durably before it returns: a nil error means the change is on disk.
type Store interface {
	Outbox
	InboundStore
	SignInStore
	TrackingStore
	Auditor
	TrustStore
	SafetyStore
	HazardStore
	HazardFactsStore
	OmbudsmanStore
	PendingFormStore
	RateLimitStore
	RestrictionStore
	RegisterStore
	StaffNoticeStore
	PackStore
	PicklistStore
	SavedViewStore
	UserAdminStore
	// CreateCase saves a new case and its first event.
	CreateCase(ctx context.Context, decide func(ref NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error)
	// UpdateCase loads the case known by ref, checks its version against
	// ifVersion (0 skips the check), calls decide and saves the result
	// with its event, all in one transaction. A version mismatch is a
	// complaint.Stale error and changes nothing.
	UpdateCase(ctx context.Context, ref string, ifVersion int, decide Decision) (complaint.Case, error)
	// GetCase returns the case known by ref (its own reference or any
	// stage's), or a not_found error.
	GetCase(ctx context.Context, ref string) (complaint.Case, error)
	// ListCases returns one page of cases in the filter's order (newest
	// first unless it says otherwise) and the cursor of the next page (""
	// at the end).
	ListCases(ctx context.Context, f CaseFilter) ([]complaint.Case, string, error)
	// CountCases counts the cases ListCases would list for the filter
	// across all its pages (its Limit, Cursor and Sort do not matter).
	CountCases(ctx context.Context, f CaseFilter) (int, error)
	// CaseCounts counts the cases the viewer may see by kind, stage and
	// status.
	CaseCounts(ctx context.Context, v Viewer) ([]CaseCount, error)
	// OpenActions returns every remedy not yet done, on cases the viewer
	// may see, earliest due first (undated last).
	OpenActions(ctx context.Context, v Viewer) ([]OpenAction, error)
	// TSMCounts counts what the Tenant Satisfaction Measures need over the
	// London dates from..to, both included, across every case.
	TSMCounts(ctx context.Context, from, to calendar.Date) (report.TSMCounts, error)
	// TSMCases lists the references behind one count of TSMCounts, and
	// how many more the viewer may not see.
	TSMCases(ctx context.Context, q TSMQuery) (refs []string, hidden int, err error)
	// ManagementFigures counts the management figures over the filter's
	// period, across every case, from the report facts alone. Each figure
	// counts by the date of the thing it measures: volumes, categories
	// and repeat complainants by the date a contact was received; a
	// stage's received count, refusals and withdrawals by the date the
	// stage was received (refused ones left out of received, withdrawn
	// ones in, as CH01); acknowledgement times by the acknowledgement's
	// date; response times, responses within the Code, extensions and
	// outcomes by the response's date (as CH02); compensation and actions
	// by the date they were offered (the response), each open or done as
	// it is now; the learning log by the response's date, newest first,
	// at most 200. The service area and tenure filters apply to every
	// figure; the stage filter to the stage figures and the learning log.
	// An invalid filter is an invalid error.
	ManagementFigures(ctx context.Context, f report.Filter) (report.Management, error)
	// SetHomes records the homes by tenure for a reporting year, replacing
	// any recorded before; HomesIn returns them, and false if none are
	// recorded for that year.
	SetHomes(ctx context.Context, h policy.Homes, by string, at time.Time) error
	HomesIn(ctx context.Context, year int) (policy.Homes, bool, error)
	// Review returns what has been written for a year's annual report:
	// the self-assessment, the improvements and the governing body's
	// response. A year with nothing written is an empty review.
	Review(ctx context.Context, year report.Year) (report.Review, error)
	// SaveAssessments records the self-assessment of some provisions,
	// replacing earlier answers for them; all or none are saved, and an
	// invalid one is an invalid error naming the provision's fields.
	SaveAssessments(ctx context.Context, year report.Year, as []report.Assessment, by string, at time.Time) error
	// AddImprovement records a service improvement ("you said, we did")
	// and returns its id; RemoveImprovement removes one from its year.
	AddImprovement(ctx context.Context, year report.Year, im report.Improvement, by string, at time.Time) (int64, error)
	RemoveImprovement(ctx context.Context, year report.Year, id int64) error
	// SetResponse records the governing body's response to a year's
	// report, replacing any earlier one.
	SetResponse(ctx context.Context, year report.Year, r report.Response, by string, at time.Time) error
	// IssueLetter records a letter as issued in one transaction: decide
	// (which records the letter_issued event) is applied to the case, the
	// letter is stored beside it with the event's number, and mail, if
	// given, is queued in the outbox. The letter must carry its PDF and
	// the PDF's SHA-256.
	IssueLetter(ctx context.Context, ref string, ifVersion int, decide Decision, l Letter, mail *OutboundMessage) (complaint.Case, Letter, error)
	// AddInformation records information sent about a case in one
	// transaction: decide (which records the information_added event) is
	// applied, and the files are stored beside the case with the event's
	// number. Each file must carry its data and the data's SHA-256.
	AddInformation(ctx context.Context, ref string, ifVersion int, decide Decision, files []Attachment) (complaint.Case, []Attachment, error)
	// Attachments lists a case's files, oldest first, without their data;
	// Attachment reads one with its data.
	Attachments(ctx context.Context, ref string) ([]Attachment, error)
	Attachment(ctx context.Context, ref string, id int64) (Attachment, error)
	// Letters lists a case's letters, oldest first, without their PDFs;
	// Letter reads one with its PDF.
	Letters(ctx context.Context, ref string) ([]Letter, error)
	Letter(ctx context.Context, ref string, id int64) (Letter, error)
	// LetterTemplates returns the landlord's own templates by kind.
	LetterTemplates(ctx context.Context) (map[string]LetterTemplate, error)
	// SetLetterTemplate saves a landlord's wording for a kind; the caller
	// has checked it renders. An empty source goes back to the built-in.
	SetLetterTemplate(ctx context.Context, t LetterTemplate) error
	// Letterhead returns the letterhead, and false if none is set.
	Letterhead(ctx context.Context) (Letterhead, bool, error)
	SetLetterhead(ctx context.Context, lh Letterhead) error
	// InviteToSurvey stores a survey link's token hash for a case.
	InviteToSurvey(ctx context.Context, inv SurveyInvite) error
	// SurveyInviteByHash finds an invitation; not found if unknown.
	SurveyInviteByHash(ctx context.Context, tokenHash string) (SurveyInvite, error)
	// AnswerSurvey records the answer given through an invitation and
	// uses it up, in one transaction: a used or expired invitation is a
	// conflict and records nothing.
	AnswerSurvey(ctx context.Context, tokenHash, answer, comment string, at time.Time) (SurveyInvite, error)
	// RecordSurvey records a resident's answer to the satisfaction survey.
	RecordSurvey(ctx context.Context, ref, answer, comment string, at time.Time) error
	// CaseEvents returns the case's audit trail in order.
	CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error)
	// VerifyAudit recomputes the hash chain over every event.
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// FiguresAsOf says how current the report figures and searches are:
	// with a reporting replica that is behind the primary, behind is true
	// and asOf the moment the replica has reached; otherwise they are as
	// of now (behind false).
	FiguresAsOf(ctx context.Context) (asOf time.Time, behind bool, err error)

	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u User) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// ListUsers lists the users who may sign in (not the deactivated),
	// oldest first; UserStates lists everyone.
	ListUsers(ctx context.Context) ([]User, error)
	// AddToken stores an API token's SHA-256 hash for a user.
	AddToken(ctx context.Context, userID int64, hash []byte, label string) error
	// UserByToken returns the user holding the token with this hash.
	UserByToken(ctx context.Context, hash []byte) (User, error)

	// SetPassword stores a user's argon2id password hash (PHC string
	// form). mustChange makes them choose a new one at next sign-in, as
	// after a one-time password.
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error
	// UserPassword returns the user with this email and their password
	// hash ("" if they have none, such as single sign-on users).
	UserPassword(ctx context.Context, email string) (User, PasswordInfo, error)

	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the live session with this id hash and its
	// user, and records the time it was used (to the minute): a session idle since before
	// idleSince, or past its expiry at now, is not_found (and removed),
	// and the Session returned with that error still names its UserID,
	// so that a form arriving on it can be kept for its user. A session
	// not stored at all is not_found with a zero Session.
	SessionUser(ctx context.Context, idHash []byte, now, idleSince time.Time) (User, Session, error)
	// DeleteSession signs one session out.
	DeleteSession(ctx context.Context, idHash []byte) error
	// DeleteUserSessions signs a user out everywhere.
	DeleteUserSessions(ctx context.Context, userID int64) error

	Close() error
}

// PasswordInfo is what sign-in needs to know of a user's password.
type PasswordInfo struct {
	Hash       string
	MustChange bool
}

// Session is a signed-in browser. Only the SHA-256 hash of its id is
// stored, so a copy of the database cannot be used to sign in.
type Session struct {
	IDHash    []byte
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	// ExpiresAt is the absolute timeout: the session ends then, however
	// active.
	ExpiresAt time.Time
	// MustChangePassword is read with the session (it is the user's, not
	// stored on the session), so that every page can send someone holding
	// a one-time password to change it without a second query.
	MustChangePassword bool
}

// EventHash returns the hash that chains an event to the one before it.
// Every store computes it the same way, over the stored text of the
// event, so that an audit can recompute it from the rows alone.
func EventHash(prev, reference string, seq int, kind, actor string, at, recordedAt time.Time, data string) string {
	b, _ := json.Marshal([]any{prev, reference, seq, kind, actor, FormatTime(at), FormatTime(recordedAt), data})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// FormatTime is the one text form of an instant in storage: UTC,
// nanoseconds, sortable.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// ParseTime reads FormatTime's form.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// FormatReference writes a case reference: C-2026-000123.
func FormatReference(year int, n int64) string { return fmt.Sprintf("C-%04d-%06d", year, n) }

// ---------------------------------------------------------------------
// Figures that can be trusted (issue 12, rules 8 and 9): TP09 as the
// landlord's perception survey found it, both questions of Redress's own
// survey, and the events recorded long after the date they carry.
// ---------------------------------------------------------------------

// TrustStore is what the reports need to be honest about their figures.
// Store embeds it; the report pages are its consumers.
type TrustStore interface {
	// RecordTP09 records a reporting year's TP09 result from the
	// landlord's perception survey, by whom and when. Every entry is
	// kept, so a replaced figure stays on record; the latest counts. An
	// invalid result is an invalid error naming its fields (as
	// report.TP09Result.Validate names them) and records nothing.
	RecordTP09(ctx context.Context, r report.TP09Result) error
	// TP09Results returns the year's recorded TP09 results, latest first
	// (none if never recorded).
	TP09Results(ctx context.Context, year report.Year) ([]report.TP09Result, error)
	// AnswerSurveyQuestions records the answers given through a survey
	// invitation to both questions, about the handling and about the
	// outcome, and uses the invitation up, in one transaction, as
	// AnswerSurvey does: an answer that is not one of
	// report.SurveyAnswers is an invalid error naming "answer" or
	// "outcome", and a used or expired invitation is a conflict; either
	// records nothing.
	AnswerSurveyQuestions(ctx context.Context, tokenHash string, a SurveyAnswers, at time.Time) (SurveyInvite, error)
	// RecordSurveyAnswers records a resident's answers to both questions
	// of the survey for a case, as staff may when told them.
	RecordSurveyAnswers(ctx context.Context, ref string, a SurveyAnswers, at time.Time) error
	// LateRecordedEvents returns the events dated (At, in London) in
	// q.From..q.To that may have been recorded more than one working day
	// after that date: every event recorded more than 22 hours after its
	// date, a superset that report.RecordedLate narrows by the
	// landlord's calendar. An event of a case the viewer may not see
	// comes with Hidden set and only its two times, so it can be counted
	// but not named. Oldest first; an empty or reversed period is an
	// invalid error.
	LateRecordedEvents(ctx context.Context, q EventQuery) ([]DatedEvent, error)
	// CountLateRecorded counts the events dated in from..to, of every
	// case whoever asks, for which late(at, recordedAt) holds, reading
	// only the candidates' two times (as LateRecordedEvents finds them),
	// so that the measures page can say how many there are without
	// reading each one's case. An empty or reversed period is an invalid
	// error.
	CountLateRecorded(ctx context.Context, from, to calendar.Date, late func(at, recordedAt time.Time) bool) (int, error)
}

// SurveyAnswers are a resident's answers to Redress's post-closure
// survey: each one of report.SurveyAnswers; Outcome may be "" for
// answers given before the survey asked it.
type SurveyAnswers struct {
	Handling string
	Outcome  string
	Comment  string
}

// EventQuery selects events by the London date they are dated, for the
// viewer.
type EventQuery struct {
	From, To calendar.Date
	Viewer   Viewer
}

// DatedEvent is an event with the two times it carries: when it says it
// happened and when it was recorded.
type DatedEvent struct {
	Reference  string              `json:"reference"`
	Seq        int                 `json:"seq"`
	Kind       complaint.EventKind `json:"kind"`
	Actor      string              `json:"actor"`
	At         time.Time           `json:"at"`
	RecordedAt time.Time           `json:"recorded_at"`
	// Hidden marks an event of a case the viewer may not see: it carries
	// nothing but At and RecordedAt.
	Hidden bool `json:"hidden,omitempty"`
}

// ---------------------------------------------------------------------
// No lost work (issue 16, item 5): a form sent after its session ended is
// kept until its sender signs in again, and then sent as them.
// ---------------------------------------------------------------------

// PendingFormStore keeps forms that arrived after their session had
// ended. Store embeds it; the staff pages' sign-in is its consumer.
type PendingFormStore interface {
	// TouchSession records that a live session was used at now, whatever
	// the minute SessionUser rounds to: it is how a person who asks to
	// stay signed in is kept signed in for a whole idle timeout more. A
	// session that is not stored is not_found.
	TouchSession(ctx context.Context, idHash []byte, now time.Time) error
	// SavePendingForm keeps a form, and deletes every pending form that
	// has expired by f.CreatedAt, so the table holds only live ones. Of
	// the forms whose sender is not known (UserID 0) it keeps only the
	// latest MaxOwnerlessForms, since anyone signed out may leave one.
	SavePendingForm(ctx context.Context, f PendingForm) error
	// PendingForm returns the pending form with this id hash that has not
	// expired at now, or not_found.
	PendingForm(ctx context.Context, idHash []byte, now time.Time) (PendingForm, error)
	// TakePendingForm returns the pending form with this id hash that has
	// not expired at now and deletes it, in one transaction, so that of
	// two requests taking the same form only one gets it (and sends it);
	// the other is not_found.
	TakePendingForm(ctx context.Context, idHash []byte, now time.Time) (PendingForm, error)
}

// PendingForm is a form that was sent after its session had ended, kept
// so that its sender loses nothing they typed. Only the SHA-256 hash of
// its id is stored, as for sessions: the id itself is in the browser's
// cookie, so a copy of the database cannot be used to send it.
type PendingForm struct {
	IDHash []byte
	// Method and Path are the request's, Path with its query if any.
	Method string
	Path   string
	// ContentType and Body are the form as it was sent.
	ContentType string
	Body        []byte
	// UserID is the user whose ended session sent it, or 0 when that is
	// not known (no session cookie, or the session was already removed).
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// MaxOwnerlessForms bounds the kept forms whose sender is not known: a
// few hundred covers every officer whose session ended in the same two
// hours, and caps what a stranger can make the server keep.
const MaxOwnerlessForms = 200
