package letters

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/money"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
)

// Data is everything a letter template can use. It is plain values: no
// pointers, maps, functions or times, and the only methods reachable from
// it (Date's and money.Pence's) format their value. That is half of the
// sandbox: a template can reach nothing that Data does not hold.
//
// Every field is filled for every kind, so a template that shows a value
// the case does not have prints nothing rather than failing.
type Data struct {
	Kind     Kind     `json:"kind"`
	Landlord Landlord `json:"landlord"`
	// Recipient is who the letter goes to: the representative when there
	// is one with consent recorded, else the complainant.
	Recipient Recipient `json:"recipient"`
	// Salutation is "Dear" and the recipient's full name: Redress does not
	// record titles, and guessing one is worse than using the name.
	Salutation string `json:"salutation"`
	// Resident is the complainant's name.
	Resident string `json:"resident"`
	// Representative is set when the letter goes to a representative.
	Representative Representative `json:"representative"`
	// Group is the name of the group or petition the complaint is from.
	Group string `json:"group,omitempty"`
	// Reference is the reference the letter is about; OtherReferences are
	// the case's others, such as stage 1's where stage 2 took a new one.
	Reference       string   `json:"reference"`
	OtherReferences []string `json:"other_references,omitempty"`
	// Date is the letter's date.
	Date Date `json:"date"`
	// Stage is the stage the letter is about: 1 or 2, or 0 for a contact
	// that is not a complaint.
	Stage        int    `json:"stage"`
	Received     Date   `json:"received"`
	Acknowledged Date   `json:"acknowledged"`
	Summary      string `json:"summary"`
	Description  string `json:"description,omitempty"`
	// Points and OutcomesSought are the stage's complaint definition
	// (Code 5.6): the points of complaint, each with its decision once
	// there is one, and the outcomes the resident wants.
	Points         []Point  `json:"points"`
	OutcomesSought []string `json:"outcomes_sought"`
	// RespondBy is when the stage's response is promised, extensions
	// included.
	RespondBy Date `json:"respond_by"`
	// Remedies are the stage's remedies. EarlierActions are actions from
	// an earlier stage not yet done, which a stage 2 response must report
	// (Code 6.19). OpenActions and DoneActions are every action on the
	// case, for an action update.
	Remedies       []Remedy `json:"remedies"`
	EarlierActions []Remedy `json:"earlier_actions"`
	OpenActions    []Remedy `json:"open_actions"`
	DoneActions    []Remedy `json:"done_actions"`
	// Compensation is the total of the stage's compensation.
	Compensation money.Pence `json:"compensation"`
	// Learning is what the landlord learnt from the stage.
	Learning string `json:"learning,omitempty"`
	// PrintLearning is true where the policy promises that this stage's
	// response tells the resident what was learnt (policy.Letters); Check
	// then requires Learning in a response letter, if any was recorded.
	PrintLearning bool `json:"print_learning,omitempty"`
	// OfferPolicyCopy is true where the policy promises residents a copy
	// of the full complaints policy at each stage; Check then requires the
	// offer in the letters of each stage (see Check).
	OfferPolicyCopy bool `json:"offer_policy_copy,omitempty"`
	// OtherRoutes are the routes besides the Ombudsman that the policy
	// names for a resident still unhappy after the final response, such
	// as "your MP"; Check requires each in a stage 2 response.
	OtherRoutes []string      `json:"other_routes,omitempty"`
	Extension   ExtensionData `json:"extension"`
	Escalation  Escalation    `json:"escalation"`
	// Ombudsman is the Housing Ombudsman's contact details, from the
	// policy.
	Ombudsman string    `json:"ombudsman"`
	Exclusion Exclusion `json:"exclusion"`
	// WithdrawalReason is the reason recorded when the complaint was
	// withdrawn.
	WithdrawalReason string `json:"withdrawal_reason,omitempty"`
	// TrackingCode is the case's tracking code as people read it
	// ("7KQ2M-XR4TD"), which the acknowledgement prints so that a resident
	// without email can follow the case online with its reference. It is
	// kept apart from the case, so the caller gives it (Options); empty,
	// the letter leaves it out.
	TrackingCode string `json:"tracking_code,omitempty"`
	// CodeDefinition is the Code's definition of a complaint (1.2), for a
	// template that explains what a complaint is. The Code requires it
	// word for word.
	CodeDefinition string `json:"code_definition"`
	// Hazard is the case's hazard under Awaab's Law, for the summary of
	// its investigation; empty on a case without one.
	Hazard HazardData `json:"hazard"`
	// Restriction is the restriction a restriction letter is about
	// (restriction.go).
	Restriction RestrictionData `json:"restriction"`
	// Member is the elected member of a member enquiry, for the response
	// to them and its copy to the resident (002 §3).
	Member MemberData `json:"member"`
	// Compliment is who a compliment praises and whether it was passed on.
	Compliment ComplimentData `json:"compliment"`
	// GroupCopies is true where a response goes to every member of the
	// group the case lists, as the policy promises (003).
	GroupCopies bool `json:"group_copies,omitempty"`
}

// HazardData is what the written summary of a hazard investigation says:
// what was found, what works are needed and by when, and the law that
// sets those times.
type HazardData struct {
	// Description is the hazard as it was reported or classified.
	Description string `json:"description,omitempty"`
	// Aware is the day the landlord became aware of the hazard, and
	// Investigated the day its investigation ended.
	Aware        Date `json:"aware,omitempty"`
	Investigated Date `json:"investigated,omitempty"`
	// Findings are what the investigation found.
	Findings string `json:"findings,omitempty"`
	// SafetyWorksBy is the day the safety work must be done by, and
	// SafetyWorksDone the day it was done, if it was.
	SafetyWorksBy   Date `json:"safety_works_by,omitempty"`
	SafetyWorksDone Date `json:"safety_works_done,omitempty"`
	// FurtherWorksBy is the day any further (preventative) works must
	// begin by, and FurtherWorksBegun the day they began, if they did.
	// NotPracticable is the reason recorded where beginning them within
	// the short time is not reasonably practicable; FurtherWorksBy is
	// then the longer limit.
	FurtherWorksBy    Date   `json:"further_works_by,omitempty"`
	FurtherWorksBegun Date   `json:"further_works_begun,omitempty"`
	NotPracticable    string `json:"not_practicable,omitempty"`
	// SafetyWorksLate and FurtherWorksLate are true where the work is not
	// done (or begun) and its date is before the letter's: the letter
	// must then say it is late, never that "we will" do it by a day gone.
	SafetyWorksLate  bool `json:"safety_works_late,omitempty"`
	FurtherWorksLate bool `json:"further_works_late,omitempty"`
	// Law names the regulations that set the times, from the policy.
	Law string `json:"law,omitempty"`
}

// Landlord is the letterhead's text, without the logo.
type Landlord struct {
	Name    string   `json:"name"`
	Address []string `json:"address"`
	Contact []string `json:"contact"`
}

// Representative is the person a letter goes to on the resident's behalf.
type Representative struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
}

// Point is one point of the complaint definition and its decision.
type Point struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
	// Outcome is upheld, partly_upheld or not_upheld; Decision is the same
	// in words ("partly upheld"). Both are empty until decided.
	Outcome  string `json:"outcome,omitempty"`
	Decision string `json:"decision,omitempty"`
	Reasons  string `json:"reasons,omitempty"`
}

// Remedy is one way of putting things right.
type Remedy struct {
	Number int    `json:"number"`
	Stage  int    `json:"stage"`
	Kind   string `json:"kind"`
	// KindName is the kind in words: "Apology", "Compensation".
	KindName    string      `json:"kind_name"`
	Description string      `json:"description"`
	Amount      money.Pence `json:"amount,omitempty"`
	// CompensationKind is what compensation is for, in words, such as
	// "time and trouble".
	CompensationKind string `json:"compensation_kind,omitempty"`
	// Owner is who will do an action. It is often an internal mailbox, so
	// the default templates leave it out.
	Owner string `json:"owner,omitempty"`
	Due   Date   `json:"due,omitempty"`
	// Overdue is true for an action not done whose due date is before
	// the letter's date: the letter must say it is late, never that "we
	// will do this by" a date already past.
	Overdue  bool   `json:"overdue,omitempty"`
	Done     bool   `json:"done"`
	DoneOn   Date   `json:"done_on,omitempty"`
	DoneNote string `json:"done_note,omitempty"`
}

// ExtensionData is the latest extension of the stage.
type ExtensionData struct {
	WorkingDays int    `json:"working_days,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// NewDate is the response date with this extension; PreviousDate is
	// the one it replaces.
	NewDate      Date `json:"new_date,omitempty"`
	PreviousDate Date `json:"previous_date,omitempty"`
	Agreed       bool `json:"agreed"`
}

// Escalation is how a resident asks for stage 2.
type Escalation struct {
	// Window is the policy's time for asking, such as "15 working days",
	// and By the last day, once stage 1 has been responded to; both are
	// empty where the policy sets no limit, as the Code sets none.
	Window string `json:"window,omitempty"`
	By     Date   `json:"by,omitempty"`
	// Reason is the resident's reason for asking for stage 2, if they
	// gave one (Code 6.12: they need not).
	Reason string `json:"reason,omitempty"`
}

// Exclusion is why a complaint was refused.
type Exclusion struct {
	Code string `json:"code,omitempty"`
	// Reason is the policy's text for the exclusion; Explanation is the
	// officer's, about this complaint.
	Reason      string `json:"reason,omitempty"`
	Explanation string `json:"explanation,omitempty"`
}

// Date is a date in a letter, held as YYYY-MM-DD and printed as people
// write dates in letters: "14 January 2027". The empty Date is false in a
// template's {{if}}.
type Date string

// NewDate returns d as a letter's Date; the zero date gives "".
func NewDate(d calendar.Date) Date { return Date(d.String()) }

func (d Date) parse() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// String returns the date as "14 January 2027", or d itself if it is not a
// date.
func (d Date) String() string {
	if t, ok := d.parse(); ok {
		return t.Format("2 January 2006")
	}
	return string(d)
}

// Long returns the date with its weekday: "Thursday 14 January 2027".
func (d Date) Long() string {
	if t, ok := d.parse(); ok {
		return t.Format("Monday 2 January 2006")
	}
	return string(d)
}

// NewData fills a letter's Data from the case, the policy, the calendar
// (used only to say which date an extension replaces; nil leaves that
// out), the letterhead and the letter's date. It refuses with a conflict
// error when the case's position does not call for the kind of letter
// (see Kind.Applies). It does not refuse a case that lacks something the
// letter must say: Check names that, so that the officer sees the draft and
// what is missing together.
func NewData(kind Kind, c complaint.Case, p *policy.Policy, cal *calendar.Calendar, lh Letterhead, today calendar.Date) (Data, error) {
	if err := kind.applies(&c); err != nil {
		return Data{}, err
	}
	if p == nil {
		return Data{}, fmt.Errorf("letters: no policy")
	}
	d := Data{
		Kind:            kind,
		Landlord:        Landlord{Name: lh.Name, Address: slices.Clone(lh.Address), Contact: slices.Clone(lh.Contact)},
		Resident:        c.Complainant.Name,
		Reference:       c.Reference,
		Date:            NewDate(today),
		Received:        NewDate(calendar.DateOf(c.ReceivedAt)),
		Summary:         c.Summary,
		Description:     c.Description,
		Points:          []Point{},
		OutcomesSought:  []string{},
		Remedies:        []Remedy{},
		EarlierActions:  []Remedy{},
		OpenActions:     []Remedy{},
		DoneActions:     []Remedy{},
		Ombudsman:       strings.TrimSpace(p.Ombudsman),
		CodeDefinition:  report.ComplaintDefinition,
		OfferPolicyCopy: p.Letters.OfferPolicyCopy,
		OtherRoutes:     slices.Clone(p.Letters.FinalResponseRoutes),
	}
	d.Recipient, d.Representative = recipient(&c)
	d.Salutation = "Dear " + d.Recipient.Name
	if c.Group != nil {
		d.Group = c.Group.Name
	}

	st := stageFor(kind, &c)
	if st != nil {
		d.Stage = st.Stage
		if st.Reference != "" {
			d.Reference = st.Reference
		}
		d.Received = NewDate(calendar.DateOf(st.ReceivedAt))
		if !st.AcknowledgedAt.IsZero() {
			d.Acknowledged = NewDate(calendar.DateOf(st.AcknowledgedAt))
		}
		d.RespondBy = NewDate(st.RespondBy)
		d.OutcomesSought = slices.Clone(st.OutcomesSought)
		d.Learning = st.Learning
		d.PrintLearning = p.Letters.LearningAt(st.Stage)
		for i, text := range st.Points {
			pt := Point{Number: i + 1, Text: text}
			if j := slices.IndexFunc(st.Decisions, func(dc complaint.Decision) bool { return dc.Point == i+1 }); j >= 0 {
				dc := st.Decisions[j]
				pt.Outcome, pt.Decision, pt.Reasons = string(dc.Outcome), inWords(string(dc.Outcome)), dc.Reasons
			}
			d.Points = append(d.Points, pt)
		}
		if n := len(st.Extensions); n > 0 {
			d.Extension = extension(st, p, cal)
		}
		if st.Stage == 1 {
			d.Escalation.By = NewDate(st.EscalateBy)
			if w := p.Escalation.Window; w != nil {
				d.Escalation.Window = w.Duration().String()
			}
		} else {
			d.Escalation.Reason = st.Reason
		}
	}
	for _, ref := range c.References() {
		if ref != d.Reference {
			d.OtherReferences = append(d.OtherReferences, ref)
		}
	}

	for _, r := range c.Remedies {
		lr := remedy(r)
		// A remedy a later stage superseded is no longer owed, so it is
		// never late.
		lr.Overdue = r.Outstanding() && overdue(lr, d.Date)
		if st != nil && r.Stage == st.Stage {
			d.Remedies = append(d.Remedies, lr)
			d.Compensation += lr.Amount
		}
		if r.Kind != complaint.RemedyAction {
			continue
		}
		switch {
		case r.Done:
			d.DoneActions = append(d.DoneActions, lr)
		case r.Superseded():
			// Replaced at a later stage: neither open nor done, and not
			// the earlier action a stage 2 response must report.
		case st != nil && r.Stage < st.Stage:
			d.EarlierActions = append(d.EarlierActions, lr)
			d.OpenActions = append(d.OpenActions, lr)
		default:
			d.OpenActions = append(d.OpenActions, lr)
		}
	}

	if kind == HazardSummary {
		d.Hazard = hazardData(c.Hazard, p, d.Date)
	}
	if kind == MemberResponse || kind == MemberResponseCopy {
		memberLetter(&d, kind, &c, p.MemberEnquiries.NomineeTitle)
	}
	d.Compliment = complimentData(&c)
	d.GroupCopies = groupCopies(kind, &c, p)
	if kind == ComplimentNotice {
		noticeRecipient(&d, &c)
	}

	switch c.Status {
	case complaint.StatusRefused:
		d.Exclusion = Exclusion{Code: c.Exclusion, Explanation: c.EndReason}
		if i := slices.IndexFunc(p.Exclusions, func(x policy.Exclusion) bool { return x.Code == c.Exclusion }); i >= 0 {
			d.Exclusion.Reason = p.Exclusions[i].Reason
		}
	case complaint.StatusWithdrawn:
		d.WithdrawalReason = c.EndReason
	}
	return d, nil
}

// stageFor returns the stage a letter of kind k is about, or nil for a
// contact with no stages.
func stageFor(k Kind, c *complaint.Case) *complaint.Stage {
	if n := stageOf(k); n > 0 && n <= len(c.Stages) {
		return &c.Stages[n-1]
	}
	return c.Current()
}

// recipient chooses who the letter goes to. A representative gets it only
// with the resident's consent on record: writing to one without it would
// disclose the resident's complaint to someone they have not authorised.
func recipient(c *complaint.Case) (Recipient, Representative) {
	if r := c.Representative; r != nil && r.ConsentRecorded && r.Name != "" {
		return Recipient{Name: r.Name, Address: []string{}, Email: r.Email}, Representative{Name: r.Name, Relationship: r.Relationship}
	}
	p := c.Complainant
	return Recipient{Name: p.Name, Address: addressLines(p.Address, p.Postcode), Email: p.Email}, Representative{}
}

// addressLines splits a free-text address into lines: at line breaks if it
// has them, else at commas, as people type addresses into one box. The
// postcode is added on its own line unless the address already ends with
// it.
func addressLines(address, postcode string) []string {
	sep := "\n"
	if !strings.Contains(address, "\n") {
		sep = ","
	}
	lines := []string{}
	for l := range strings.SplitSeq(address, sep) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	postcode = strings.TrimSpace(postcode)
	if postcode != "" && (len(lines) == 0 || !strings.HasSuffix(strings.ToUpper(lines[len(lines)-1]), strings.ToUpper(postcode))) {
		lines = append(lines, postcode)
	}
	return lines
}

// extension describes the stage's latest extension. The date it replaces
// is the previous extension's, or the response date without extensions,
// which needs the calendar to work out.
func extension(st *complaint.Stage, p *policy.Policy, cal *calendar.Calendar) ExtensionData {
	n := len(st.Extensions)
	e := st.Extensions[n-1]
	out := ExtensionData{WorkingDays: e.WorkingDays, Reason: e.Reason, NewDate: NewDate(e.NewRespondBy), Agreed: e.AgreedWithResident}
	if out.NewDate == "" {
		out.NewDate = NewDate(st.RespondBy)
	}
	switch {
	case n > 1:
		out.PreviousDate = NewDate(st.Extensions[n-2].NewRespondBy)
	case cal != nil:
		dl, err := p.Deadlines(cal, st.Stage, policy.Timeline{Received: st.ReceivedAt, Acknowledged: st.AcknowledgedAt})
		if err == nil {
			out.PreviousDate = NewDate(dl.RespondBy.Date)
		}
	}
	return out
}

// remedy turns a case's remedy into a letter's.
func remedy(r complaint.Remedy) Remedy {
	out := Remedy{
		Number: r.ID, Stage: r.Stage, Kind: string(r.Kind), KindName: remedyNames[r.Kind],
		Description: r.Description, Amount: money.Pence(r.AmountPence), CompensationKind: inWords(r.CompensationKind),
		Owner: r.Owner, Due: NewDate(r.Due), Done: r.Done, DoneNote: r.DoneNote,
	}
	if out.KindName == "" {
		out.KindName = inWords(string(r.Kind))
	}
	if r.Done && !r.DoneAt.IsZero() {
		out.DoneOn = NewDate(calendar.DateOf(r.DoneAt))
	}
	return out
}

// overdue reports whether an action is not done and was due before the
// letter's date. Both dates are YYYY-MM-DD, which sort as text.
func overdue(r Remedy, letterDate Date) bool {
	return r.Kind == string(complaint.RemedyAction) && !r.Done && r.Due != "" && letterDate != "" && r.Due < letterDate
}

var remedyNames = map[complaint.RemedyKind]string{
	complaint.RemedyApology:      "Apology",
	complaint.RemedyExplanation:  "Explanation",
	complaint.RemedyCompensation: "Compensation",
	complaint.RemedyAction:       "Action",
	complaint.RemedyPolicyChange: "Change to a policy or practice",
}

// inWords turns a code such as partly_upheld into words: "partly upheld".
func inWords(code string) string { return strings.ReplaceAll(code, "_", " ") }

// hazardData describes the case's hazard for its summary letter: the
// findings, and the due dates of the clocks the works must meet.
func hazardData(h *complaint.Hazard, p *policy.Policy, letterDate Date) HazardData {
	if h == nil {
		return HazardData{}
	}
	day := func(t time.Time) Date {
		if t.IsZero() {
			return ""
		}
		return NewDate(calendar.DateOf(t))
	}
	out := HazardData{
		Description: h.Description, Aware: day(h.AwareAt), Investigated: day(h.InvestigatedAt), Findings: h.Findings,
		SafetyWorksDone: day(h.MadeSafeAt), FurtherWorksBegun: day(h.PreventativeAt), NotPracticable: h.NotPracticable,
		Law: p.HazardRules().Source,
	}
	for _, k := range h.Clocks {
		switch k.Code {
		case "safety_works":
			out.SafetyWorksBy = NewDate(k.DueDate)
		case "preventative_works":
			out.FurtherWorksBy = NewDate(k.DueDate)
		}
	}
	out.late(letterDate)
	return out
}

// late marks each work not done whose date is before the letter's. Both
// dates are YYYY-MM-DD, which sort as text.
func (h *HazardData) late(letterDate Date) {
	h.SafetyWorksLate = h.SafetyWorksDone == "" && h.SafetyWorksBy != "" && h.SafetyWorksBy < letterDate
	h.FurtherWorksLate = h.FurtherWorksBegun == "" && h.FurtherWorksBy != "" && h.FurtherWorksBy < letterDate
}
