package complaint

import (
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
)

// Kind is what a contact is. Only a complaint has stages; a resident never
// has to say "complaint" for staff to convert any other kind into one.
type Kind string

// The kinds of contact.
const (
	KindComplaint      Kind = "complaint"
	KindServiceRequest Kind = "service_request"
	KindCompliment     Kind = "compliment"
	KindSuggestion     Kind = "suggestion"
	KindFeedback       Kind = "feedback"
	KindEnquiry        Kind = "enquiry"
)

// Kinds lists every kind.
var Kinds = []Kind{KindComplaint, KindServiceRequest, KindCompliment, KindSuggestion, KindFeedback, KindEnquiry, KindMemberEnquiry}

// Channel is how a contact reached the landlord.
type Channel string

// Channels lists every channel.
var Channels = []Channel{"email", "phone", "web", "letter", "in_person", "social_media"}

// Status is where a case is in its lifecycle.
type Status string

// The statuses. A case is open until closed, refused or withdrawn.
const (
	StatusReceived     Status = "received"
	StatusAcknowledged Status = "acknowledged"
	StatusResponded    Status = "responded"
	StatusClosed       Status = "closed"
	StatusRefused      Status = "refused"
	StatusWithdrawn    Status = "withdrawn"
)

// Statuses lists every status.
var Statuses = []Status{StatusReceived, StatusAcknowledged, StatusResponded, StatusClosed, StatusRefused, StatusWithdrawn}

// Open reports whether a case in status s can still change course.
func (s Status) Open() bool {
	return s == StatusReceived || s == StatusAcknowledged || s == StatusResponded
}

// Tenure splits the Tenant Satisfaction Measures.
type Tenure string

// Tenures lists every tenure; "" means not recorded.
var Tenures = []Tenure{"low_cost_rental", "low_cost_home_ownership", "other"}

// Outcome is the decision on one point of complaint.
type Outcome string

// Outcomes lists every decision.
var Outcomes = []Outcome{"upheld", "partly_upheld", "not_upheld"}

// RemedyKind is a kind of putting things right.
type RemedyKind string

// The remedy kinds. Compensation has an amount; an action has an owner and
// a due date and stays open after the case closes until marked done.
const (
	RemedyApology      RemedyKind = "apology"
	RemedyExplanation  RemedyKind = "explanation"
	RemedyCompensation RemedyKind = "compensation"
	RemedyAction       RemedyKind = "action"
	RemedyPolicyChange RemedyKind = "policy_change"
)

// CompensationKinds are the kinds of compensation, as the Ombudsman's
// remedies guidance groups them.
var CompensationKinds = []string{"goodwill", "time_and_trouble", "distress_and_inconvenience", "financial_loss", "rent_or_charge_refund"}

// RemedyKinds lists every remedy kind.
var RemedyKinds = []RemedyKind{RemedyApology, RemedyExplanation, RemedyCompensation, RemedyAction, RemedyPolicyChange}

// Person is the complainant.
type Person struct {
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Address    string `json:"address,omitempty"`
	Postcode   string `json:"postcode,omitempty"`
	TenancyRef string `json:"tenancy_ref,omitempty"`
}

// Key identifies the same person across contacts, for counting repeat
// complainants: their email, else their tenancy reference, else their
// phone number's digits; "" if none is known.
func (p Person) Key() string {
	switch {
	case p.Email != "":
		return "email:" + strings.ToLower(p.Email)
	case p.TenancyRef != "":
		return "tenancy:" + strings.ToUpper(strings.ReplaceAll(p.TenancyRef, " ", ""))
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p.Phone)
	if len(digits) >= 6 {
		return "phone:" + digits
	}
	return ""
}

// Representative acts for the complainant: an advocate, relative, MP,
// councillor or residents' group. Their consent must be on record.
type Representative struct {
	Name            string `json:"name"`
	Relationship    string `json:"relationship"`
	ConsentRecorded bool   `json:"consent_recorded"`
	Email           string `json:"email,omitempty"`
	Phone           string `json:"phone,omitempty"`
}

// Group is a complaint made by several residents or a petition, handled
// through one point of contact.
type Group struct {
	Name           string `json:"name"`
	Members        int    `json:"members,omitempty"`
	PointOfContact string `json:"point_of_contact"`
	// People are the members with how to reach each, where listed.
	People []GroupMember `json:"people,omitempty"`
}

// Extension is one extension of a stage's response deadline.
type Extension struct {
	WorkingDays           int           `json:"working_days"`
	Reason                string        `json:"reason"`
	AgreedWithResident    bool          `json:"agreed_with_resident"`
	OmbudsmanDetailsGiven bool          `json:"ombudsman_details_given"`
	At                    time.Time     `json:"at"`
	By                    string        `json:"by"`
	NewRespondBy          calendar.Date `json:"new_respond_by"`
	OverCap               bool          `json:"over_cap"`
	// GoodReason is the recorded good reason for extending beyond the
	// Code's cap (Code 6.4, 6.15); with it the whole extension counts
	// towards the Code's deadline.
	GoodReason string `json:"good_reason,omitempty"`
	// Late is true when the extension was given after the Code's response
	// deadline had passed. The resident's new date still stands, but the
	// Code's deadline does not move: the response is already outside the
	// Code's timescale and counts as late in CH02.
	Late bool `json:"late,omitempty"`
}

// Decision is the outcome, with reasons, on one numbered point.
type Decision struct {
	Point   int     `json:"point"`
	Outcome Outcome `json:"outcome"`
	Reasons string  `json:"reasons"`
}

// Remedy is one way of putting things right.
type Remedy struct {
	ID          int        `json:"id"`
	Stage       int        `json:"stage"`
	Kind        RemedyKind `json:"kind"`
	Description string     `json:"description"`
	AmountPence int64      `json:"amount_pence,omitempty"`
	// CompensationKind says what compensation is for; paid once done.
	CompensationKind string        `json:"compensation_kind,omitempty"`
	Owner            string        `json:"owner,omitempty"`
	Due              calendar.Date `json:"due,omitzero"`
	Done             bool          `json:"done"`
	DoneAt           time.Time     `json:"done_at,omitzero"`
	DoneNote         string        `json:"done_note,omitempty"`
	// PaidOn is the day an apology was sent or compensation paid, as
	// recorded when it was marked done (CompleteRemedy.PaidOn); zero for
	// other remedies and for those done before it was recorded.
	PaidOn calendar.Date `json:"paid_on,omitzero"`
	// SupersededAt, SupersededBy and SupersedeReason say when, by whom
	// and why a later stage replaced the remedy (SupersedeRemedy); zero
	// unless it was. ReplacedBy is the later stage's remedy that took
	// its place, if one did.
	SupersededAt    time.Time `json:"superseded_at,omitzero"`
	SupersededBy    string    `json:"superseded_by,omitempty"`
	SupersedeReason string    `json:"supersede_reason,omitempty"`
	ReplacedBy      int       `json:"replaced_by,omitempty"`
}

// Superseded reports whether a later stage replaced the remedy.
func (r Remedy) Superseded() bool { return !r.SupersededAt.IsZero() }

// Outstanding reports whether the remedy is still owed to the resident:
// not done, and not superseded by a later stage. Letters, reminders and
// the actions tracker count only these as open.
func (r Remedy) Outstanding() bool { return !r.Done && !r.Superseded() }

// Stage is one stage of a complaint with its own dates, deadlines,
// handlers and extensions.
type Stage struct {
	Stage          int           `json:"stage"`
	Reference      string        `json:"reference"`
	ReceivedAt     time.Time     `json:"received_at"`
	AcknowledgedAt time.Time     `json:"acknowledged_at,omitzero"`
	RespondedAt    time.Time     `json:"responded_at,omitzero"`
	AcknowledgeBy  calendar.Date `json:"acknowledge_by"`
	RespondBy      calendar.Date `json:"respond_by"`
	EscalateBy     calendar.Date `json:"escalate_by,omitzero"`
	Extensions     []Extension   `json:"extensions"`
	Handlers       []string      `json:"handlers"`
	Points         []string      `json:"points,omitempty"`
	OutcomesSought []string      `json:"outcomes_sought,omitempty"`
	// Withdrawn are points taken out of the definition since it was
	// first recorded (AmendDefinition). Points is the definition as it
	// stands, which letters and decisions use; these stay for the
	// record.
	Withdrawn []WithdrawnPoint `json:"withdrawn_points,omitempty"`
	Decisions []Decision       `json:"decisions,omitempty"`
	// Learning is what the landlord learnt from the stage and will change.
	Learning string `json:"learning,omitempty"`
	// Involved is everyone who acted on the stage (acknowledged,
	// extended, recorded its decisions or issued a letter), besides its
	// handlers: at stage 1 they may not act on stage 2 (Code 6.13).
	Involved []string `json:"involved,omitempty"`
	// Milestones are the policy's own promises within the stage besides
	// the acknowledgement and the response (001's call from a manager),
	// with their due dates and when each was met.
	Milestones []Milestone `json:"milestones,omitempty"`
	// AgreedRespondBy is a response date agreed with the resident sooner
	// than the policy's (004); with it, RespondBy counts from it.
	AgreedRespondBy calendar.Date `json:"agreed_respond_by,omitzero"`
	// CodeRespondBy is the Code's own response deadline for the stage:
	// the Tenant Satisfaction Measure CH02 asks whether the response met
	// it. It counts from the acknowledgement or from the day it was due,
	// whichever is earlier (Code 6.2 with 6.3, 6.11 with 6.14), and
	// counts only the extensions given before it had passed, up to the
	// Code's cap unless given with good reason (Code 6.4, 6.15).
	CodeRespondBy calendar.Date `json:"code_respond_by,omitzero"`
	// AcknowledgeWorkingDays and RespondWorkingDays are how many working
	// days after receipt the stage was acknowledged and responded to,
	// once it has been.
	AcknowledgeWorkingDays int `json:"acknowledge_working_days,omitempty"`
	RespondWorkingDays     int `json:"respond_working_days,omitempty"`
	// Reason and LateReason are the resident's reason for escalating
	// (optional, as the Code says) and the recorded reason for accepting
	// an escalation after the policy's window.
	Reason     string `json:"reason,omitempty"`
	LateReason string `json:"late_reason,omitempty"`
	// SignOff and Mediation are what happened within the stage besides
	// its steps: the review of its findings, and mediation (withinstage.go).
	SignOff   SignOff   `json:"sign_off,omitzero"`
	Mediation Mediation `json:"mediation,omitzero"`
}

// ExtensionDays is the total working days of the stage's extensions.
func (s *Stage) ExtensionDays() int {
	n := 0
	for _, e := range s.Extensions {
		n += e.WorkingDays
	}
	return n
}

// Case is a contact and, if it is a complaint, its stages. It is the
// state that events produce; storage keeps it whole.
type Case struct {
	ID        int64   `json:"-"`
	Reference string  `json:"reference"`
	Kind      Kind    `json:"kind"`
	Channel   Channel `json:"channel"`
	// Stage is 1 or 2 for a complaint, 0 for other kinds.
	Stage   int    `json:"stage"`
	Status  Status `json:"status"`
	Version int    `json:"version"`
	Policy  string `json:"policy"`
	Handler string `json:"handler,omitempty"`
	// CreatedBy is the user who logged the contact.
	CreatedBy  string    `json:"created_by"`
	ReceivedAt time.Time `json:"received_at"`
	// LastEventAt is when the latest event happened; a command may not be
	// dated before it.
	LastEventAt time.Time `json:"last_event_at"`
	// UnreadFromResident is when the oldest information sent from
	// outside (by the resident through their pages, or by email) arrived
	// that no one has since marked read (MarkRead); zero when there is
	// none. Staff lists and the case page tag such a case "new from
	// resident", so that what a resident sends after the case was logged
	// is seen by its handler rather than waiting for them to look.
	UnreadFromResident time.Time `json:"unread_from_resident,omitzero"`

	Complainant    Person          `json:"complainant"`
	Representative *Representative `json:"representative,omitempty"`
	Group          *Group          `json:"group,omitempty"`
	Summary        string          `json:"summary"`
	Description    string          `json:"description,omitempty"`
	DesiredOutcome string          `json:"desired_outcome,omitempty"`
	ServiceArea    string          `json:"service_area,omitempty"`
	Categories     []string        `json:"categories"`
	Tenure         Tenure          `json:"tenure,omitempty"`
	// Tenancy is the tenancy in the register the case is matched to:
	// suggested by storage when the case is logged, confirmed by an
	// officer (ConfirmTenancy); nil when none matched.
	Tenancy *TenancyMatch `json:"tenancy,omitempty"`
	// ResponseMethod is how the resident wants to be answered (003); ""
	// until agreed.
	ResponseMethod ResponseMethod `json:"response_method,omitempty"`

	HealthAndSafety bool `json:"health_and_safety"`
	// Hazard is a hazard reported in the case, with its Awaab's Law
	// clocks; nil if none has been classified.
	Hazard       *Hazard `json:"hazard,omitempty"`
	Confidential bool    `json:"confidential"`
	// LineManager is the email of the user named as the line manager of
	// the member of staff a confidential complaint is about: besides its
	// handlers and whoever logged it, the one person the case names as
	// able to see it (see auth.CanSee).
	LineManager     string   `json:"line_manager,omitempty"`
	Adjustments     []string `json:"adjustments"`
	Vulnerabilities []string `json:"vulnerabilities"`

	// SafetyAcknowledgedBy and SafetyAcknowledgedAt are the senior
	// manager (a manager or admin) who acknowledged the health-and-safety
	// flag, and when. Until then a flagged contact stays on every staff
	// dashboard (003: a risk is "immediately referred to a senior
	// manager"). Setting the flag again clears both, so each flagging is
	// acknowledged afresh; clearing the flag keeps them on record.
	SafetyAcknowledgedBy string    `json:"safety_acknowledged_by,omitempty"`
	SafetyAcknowledgedAt time.Time `json:"safety_acknowledged_at,omitzero"`

	// ResolveBy is a service request's resolution target.
	ResolveBy calendar.Date `json:"resolve_by,omitzero"`
	Stages    []Stage       `json:"stages"`
	Remedies  []Remedy      `json:"remedies"`
	Links     []string      `json:"links"`

	ClosedAt  time.Time `json:"closed_at,omitzero"`
	Exclusion string    `json:"exclusion,omitempty"`
	// EndReason is why a case was withdrawn or refused.
	EndReason string `json:"end_reason,omitempty"`
	// Ombudsman is the case's referral to the Housing Ombudsman after
	// its final response (ombudsman.go); nil if there is none.
	Ombudsman *OmbudsmanReferral `json:"ombudsman,omitempty"`

	// Member is the elected member of a member enquiry, with its clock
	// (002 §3).
	Member *MemberEnquiry `json:"member,omitempty"`

	// Praise is who a compliment praises, once it has been passed on.
	Praise *Praise `json:"praise,omitempty"`
	// GroupCopies are the copies of responses sent to a group's members.
	GroupCopies []GroupCopy `json:"group_copies,omitempty"`
	// Imported marks a case brought in from an earlier complaints log
	// (imported.go); nil for a case logged in Redress.
	Imported *Imported `json:"imported,omitempty"`

	// LegalHold is a manager's hold on the case under legal proceedings,
	// which keeps it from being anonymised; nil if none stands.
	LegalHold *LegalHold `json:"legal_hold,omitempty"`
	// Anonymisation says when and why the case's personal data was
	// removed; nil while it is kept.
	Anonymisation *Anonymisation `json:"anonymisation,omitempty"`
}

// Current returns the current stage, or nil for a contact with no stages.
func (c *Case) Current() *Stage {
	if len(c.Stages) == 0 {
		return nil
	}
	return &c.Stages[len(c.Stages)-1]
}

// NextDue is the date of the next deadline of an open case: the
// acknowledgement while received, the response while acknowledged, a
// service request's resolution target. It is what "overdue" means.
func (c *Case) NextDue() calendar.Date {
	st := c.Current()
	switch {
	case !c.Status.Open():
		return calendar.Date{}
	case c.Kind == KindMemberEnquiry && c.Member != nil:
		return c.Member.nextDue(c.Status)
	case st == nil:
		return c.ResolveBy
	case c.Status == StatusReceived:
		return st.AcknowledgeBy
	case c.Status == StatusAcknowledged:
		return st.RespondBy
	}
	return calendar.Date{}
}

// HandledBy reports whether email has handled any stage of the case or
// handles it now.
func (c *Case) HandledBy(email string) bool {
	if email == "" {
		return false
	}
	if c.Handler == email {
		return true
	}
	for _, st := range c.Stages {
		for _, h := range st.Handlers {
			if h == email {
				return true
			}
		}
	}
	return false
}

// References returns every reference the case is known by: its own,
// any stage's new one, and, for a case imported from an earlier
// complaints log, the log's reference, so that staff and residents who
// knew it by that find it.
func (c *Case) References() []string {
	refs := []string{c.Reference}
	for _, st := range c.Stages {
		if st.Reference != "" && st.Reference != c.Reference {
			refs = append(refs, st.Reference)
		}
	}
	if c.Imported != nil && c.Imported.OriginalRef != "" {
		refs = append(refs, c.Imported.OriginalRef)
	}
	return refs
}

// Event is one change to a case, as the audit trail records it.
type Event struct {
	Seq        int       `json:"seq"`
	Kind       EventKind `json:"kind"`
	Actor      string    `json:"actor"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	// Data is the command's details: a struct when the event is made, the
	// JSON it was stored as when read back.
	Data     any    `json:"data"`
	PrevHash string `json:"prev_hash,omitempty"`
	Hash     string `json:"hash,omitempty"`
}
