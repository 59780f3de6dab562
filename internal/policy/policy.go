// Package policy holds a landlord's complaints policy as data: the
// timescales of each stage and what they count from, extension caps, the
// escalation window, exclusions, the kinds of contact a landlord handles
// outside the complaint stages, its holiday division and closure days,
// homes by tenure, and the Ombudsman's contact text.
//
// Policies are YAML, validated on load with every problem named by line
// and field. The default policy is the Housing Ombudsman's Complaint
// Handling Code (2024) itself, and Check compares any policy with it.
// Apart from Open, which reads a policy file, the package is pure: it
// reads no clock, and its presets are embedded.
package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
)

// Anchor is the event a timescale counts from.
type Anchor string

// The events a timescale may count from.
const (
	Received            Anchor = "received"
	Acknowledged        Anchor = "acknowledged"
	EscalationRequested Anchor = "escalation_requested"
	Responded           Anchor = "responded"
)

// Step is one timescale: within N units of an anchor event, with where
// the landlord's document says so.
type Step struct {
	Within int           `yaml:"within" json:"within"`
	Unit   calendar.Unit `yaml:"unit" json:"unit"`
	From   Anchor        `yaml:"from" json:"from"`
	// Assumed is true where the source document is silent and the value
	// is the Code's. The compliance check reports it.
	Assumed bool `yaml:"assumed,omitempty" json:"assumed,omitempty"`
	// Source quotes or cites the document, or says why a value is assumed.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Duration returns the step's length without its anchor.
func (s Step) Duration() calendar.Duration { return calendar.Duration{N: s.Within, Unit: s.Unit} }

// String describes the step as a complaints manager would: "10 working
// days from acknowledged".
func (s Step) String() string { return fmt.Sprintf("%s from %s", s.Duration(), s.From) }

// When the Ombudsman's details are given with an extension.
const (
	OmbudsmanAlways        = "always"
	OmbudsmanWhenNotAgreed = "when_not_agreed"
	OmbudsmanNotStated     = "not_stated"
)

// Extension is a stage's rule for extending the response deadline.
type Extension struct {
	// CapWorkingDays is the most that extensions may add, in total, without
	// the resident's agreement. Beyond it Redress requires agreement and
	// flags the case. Extensions are counted in working days from the
	// current due date, whatever unit the response is counted in.
	CapWorkingDays int `yaml:"cap_working_days" json:"cap_working_days"`
	// OmbudsmanDetails says when the document promises the Ombudsman's
	// details with an extension: always, when_not_agreed or not_stated.
	// Redress itself requires them with every extension.
	OmbudsmanDetails string `yaml:"ombudsman_details" json:"ombudsman_details"`
	Assumed          bool   `yaml:"assumed,omitempty" json:"assumed,omitempty"`
	Source           string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Stage is one of the two complaint stages.
type Stage struct {
	Acknowledge Step      `yaml:"acknowledge" json:"acknowledge"`
	Respond     Step      `yaml:"respond" json:"respond"`
	Extension   Extension `yaml:"extension" json:"extension"`
	// NewReference is whether the stage gives the complaint a new
	// reference, linked to the first. Only stage 2 may.
	NewReference bool `yaml:"new_reference,omitempty" json:"new_reference,omitempty"`
}

// Escalation is how a resident moves a complaint from stage 1 to stage 2.
type Escalation struct {
	// Window, if set, is how long after the stage 1 response a resident
	// may ask for stage 2. Redress still accepts a later request, with a
	// recorded reason. Nil means no limit.
	Window *Step `yaml:"window,omitempty" json:"window,omitempty"`
	// RequiresReasons records that the document makes residents explain
	// why they want stage 2, which the Code forbids.
	RequiresReasons bool `yaml:"requires_reasons,omitempty" json:"requires_reasons,omitempty"`
	// RefusalGrounds lists grounds, other than exclusions, on which the
	// document lets the landlord refuse to escalate.
	RefusalGrounds []string `yaml:"refusal_grounds,omitempty" json:"refusal_grounds,omitempty"`
	Source         string   `yaml:"source,omitempty" json:"source,omitempty"`
}

// The grounds of exclusion the Code names as acceptable (provision 2.2),
// and "other" for a landlord's own.
const (
	GroundTimeLimit            = "time_limit"
	GroundLegalProceedings     = "legal_proceedings"
	GroundPreviouslyConsidered = "previously_considered"
	GroundOther                = "other"
)

// Exclusion is a reason the landlord may refuse to take a complaint.
type Exclusion struct {
	// Code identifies the exclusion on refusals, in reports and letters.
	Code string `yaml:"code" json:"code"`
	// Reason is the text staff choose and residents read.
	Reason string `yaml:"reason" json:"reason"`
	Ground string `yaml:"ground" json:"ground"`
	// Months is the time limit of a time_limit exclusion.
	Months int `yaml:"months,omitempty" json:"months,omitempty"`
	// Assumed marks an exclusion the document does not list, taken from
	// the Code's examples so that refusals have a ground to cite.
	Assumed bool   `yaml:"assumed,omitempty" json:"assumed,omitempty"`
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`
}

// The kinds of contact other than a complaint.
const (
	KindServiceRequest = "service_request"
	KindCompliment     = "compliment"
	KindSuggestion     = "suggestion"
	KindFeedback       = "feedback"
	KindEnquiry        = "enquiry"
)

// Kind is a kind of contact the landlord handles outside the two complaint
// stages, under its own name, such as a "concern" resolved within three
// working days.
type Kind struct {
	Kind string `yaml:"kind" json:"kind"`
	Name string `yaml:"name" json:"name"`
	// ResolveWithin is the target for resolving a service request.
	ResolveWithin *Step `yaml:"resolve_within,omitempty" json:"resolve_within,omitempty"`
	// HandlesDissatisfaction is true where the landlord uses the kind for
	// residents' expressions of dissatisfaction ("concerns") rather than
	// for plain requests, which is where an informal stage can creep in.
	HandlesDissatisfaction bool `yaml:"handles_dissatisfaction,omitempty" json:"handles_dissatisfaction,omitempty"`
	// ConvertsOnRequest and ConvertsWhenUnresolved say when the contact
	// becomes a stage 1 complaint.
	ConvertsOnRequest      bool   `yaml:"converts_on_request,omitempty" json:"converts_on_request,omitempty"`
	ConvertsWhenUnresolved bool   `yaml:"converts_when_unresolved,omitempty" json:"converts_when_unresolved,omitempty"`
	Source                 string `yaml:"source,omitempty" json:"source,omitempty"`
}

// ExtraStage records a stage the source document has besides the Code's
// two, so that the compliance check can name it. Redress never runs one.
type ExtraStage struct {
	Name string `yaml:"name" json:"name"`
	// Position is before_stage1, between or after_stage2.
	Position string `yaml:"position" json:"position"`
	Source   string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Milestone is a promise the landlord's document makes within a stage
// besides the acknowledgement and the response, such as a call from a
// manager within five working days. It is data, like every other
// timescale, so that Deadlines computes its date and the policy page and
// the case can show it; the Code sets no such step, so Check ignores it.
type Milestone struct {
	// Code identifies the milestone in deadlines and on the case.
	Code string `yaml:"code" json:"code"`
	// Name is what staff read, such as "Call from the manager".
	Name string `yaml:"name" json:"name"`
	// Stage is the stage the milestone belongs to: 1 or 2.
	Stage int `yaml:"stage" json:"stage"`
	// Due is the milestone's timescale and what it counts from, with
	// where the document says so.
	Due Step `yaml:"due" json:"due"`
}

// Letters are what the landlord's document promises its letters say
// beyond what the Code requires. The built-in letter templates honour
// each setting and letters.Check requires it, so that a promise in the
// document is kept in every letter rather than left to memory.
type Letters struct {
	// OfferPolicyCopy is true where the document promises residents a
	// copy of the full complaints policy at each stage.
	OfferPolicyCopy bool `yaml:"offer_policy_copy,omitempty" json:"offer_policy_copy,omitempty"`
	// LearningAtStages lists the stages (1, 2) whose response letter
	// must tell the resident what the landlord learnt, where learning was
	// recorded.
	LearningAtStages []int `yaml:"learning_at_stages,omitempty" json:"learning_at_stages,omitempty"`
	// FinalResponseRoutes are the routes, besides the Housing Ombudsman,
	// that the document tells a resident still unhappy after the final
	// response to take, worded as the letter prints them ("your MP").
	FinalResponseRoutes []string `yaml:"final_response_routes,omitempty" json:"final_response_routes,omitempty"`
	// Source cites where the document makes these promises.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// LearningAt reports whether the policy promises that stage n's response
// letter tells the resident what was learnt.
func (l Letters) LearningAt(n int) bool { return slices.Contains(l.LearningAtStages, n) }

// Confidential is who may see a confidential case: a complaint about a
// member of staff.
type Confidential struct {
	// NamedViewersOnly keeps a confidential case to the people it names:
	// whoever logged it, the people who handled it and the line manager
	// named on it, with admins for administration. Managers who are none
	// of these do not see it, and a confidential complaint cannot be
	// logged without naming the line manager. Without it, every manager
	// sees every confidential case, as the Code leaves it.
	NamedViewersOnly bool `yaml:"named_viewers_only,omitempty" json:"named_viewers_only,omitempty"`
	// Source cites where the document says so.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Homes is the number of homes by tenure for a reporting year, which runs
// from 1 April of Year to 31 March of the year after. The Tenant
// Satisfaction Measures divide complaint counts by it.
type Homes struct {
	Year                 int `yaml:"year" json:"year"`
	LowCostRental        int `yaml:"low_cost_rental" json:"low_cost_rental"`
	LowCostHomeOwnership int `yaml:"low_cost_home_ownership" json:"low_cost_home_ownership"`
}

// Policy is a landlord's complaints policy.
type Policy struct {
	Name   string `yaml:"name" json:"name"`
	Title  string `yaml:"title" json:"title"`
	Source string `yaml:"source,omitempty" json:"source,omitempty"`

	Division    calendar.Division `yaml:"division" json:"division"`
	ClosureDays []calendar.Date   `yaml:"closure_days,omitempty" json:"closure_days,omitempty"`

	Stage1      Stage        `yaml:"stage1" json:"stage1"`
	Stage2      Stage        `yaml:"stage2" json:"stage2"`
	Escalation  Escalation   `yaml:"escalation" json:"escalation"`
	ExtraStages []ExtraStage `yaml:"extra_stages,omitempty" json:"extra_stages,omitempty"`
	Exclusions  []Exclusion  `yaml:"exclusions,omitempty" json:"exclusions,omitempty"`
	Kinds       []Kind       `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Homes       []Homes      `yaml:"homes,omitempty" json:"homes,omitempty"`
	// Milestones are the document's own promises within a stage besides
	// the acknowledgement and the response.
	Milestones []Milestone `yaml:"milestones,omitempty" json:"milestones,omitempty"`
	// Letters are what the document promises its letters say beyond the
	// Code.
	Letters Letters `yaml:"letters,omitempty" json:"letters,omitempty"`
	// Confidential is who may see a confidential case.
	Confidential Confidential `yaml:"confidential,omitempty" json:"confidential,omitempty"`
	// Hazards are the landlord's times for hazards under Awaab's Law;
	// unset, the regulations' (see HazardRules).
	Hazards Hazards `yaml:"hazards,omitempty" json:"hazards"`
	// OmbudsmanStage is what the document adds to the Ombudsman stage.
	OmbudsmanStage OmbudsmanStage `yaml:"ombudsman_stage,omitempty" json:"ombudsman_stage,omitzero"`
	// SignOff and Mediation are what happens within a stage (withinstage.go).
	SignOff   SignOff   `yaml:"sign_off,omitempty" json:"sign_off,omitzero"`
	Mediation Mediation `yaml:"mediation,omitempty" json:"mediation,omitzero"`
	// Restrictions are the settings for restricted contact (restrictions.go).
	Restrictions Restrictions `yaml:"restrictions,omitempty" json:"restrictions"`
	// Retention is how long closed contacts are kept before they are
	// anonymised (retention.go).
	Retention Retention `yaml:"retention,omitempty" json:"retention"`
	// AgreeResponse is whether the document promises to agree with the
	// resident how they would like to be answered (003).
	AgreeResponse ResponseAgreement `yaml:"agree_response,omitempty" json:"agree_response"`
	// MemberEnquiries is how enquiries from MPs and councillors on a
	// resident's behalf are taken (002 §3, 001).
	MemberEnquiries MemberEnquiries `yaml:"member_enquiries,omitempty" json:"member_enquiries"`
	// Compliments is what the document promises to do with compliments.
	Compliments Compliments `yaml:"compliments,omitempty" json:"compliments,omitzero"`
	// Groups is what the document promises group complaints and petitions.
	Groups Groups `yaml:"groups,omitempty" json:"groups,omitzero"`

	// Ombudsman is the contact text every letter that must give the
	// Ombudsman's details uses.
	Ombudsman string `yaml:"ombudsman" json:"ombudsman"`
}

// StageOf returns stage 1 or 2 of p.
func (p *Policy) StageOf(n int) (*Stage, error) {
	switch n {
	case 1:
		return &p.Stage1, nil
	case 2:
		return &p.Stage2, nil
	}
	return nil, fmt.Errorf("stage %d does not exist: there are two stages", n)
}

// KindName returns the landlord's own name for a kind of contact, such as
// "Own it, fix it" for a service request, and false if the policy does
// not list the kind. Staff read the landlord's names in its documents, so
// the pages use them. Where a policy lists a kind twice, the first name
// is the one shown.
func (p *Policy) KindName(kind string) (string, bool) {
	i := slices.IndexFunc(p.Kinds, func(k Kind) bool { return k.Kind == kind })
	if i < 0 {
		return "", false
	}
	return p.Kinds[i].Name, true
}

// Calendar returns the policy's working-day calendar: its division's bank
// holidays from h (the built-in table if nil) and its closure days.
func (p *Policy) Calendar(h *calendar.Holidays) (*calendar.Calendar, error) {
	return calendar.New(h, p.Division, p.ClosureDays)
}

// HomesIn returns the homes for the reporting year starting 1 April year.
func (p *Policy) HomesIn(year int) (Homes, bool) {
	i := slices.IndexFunc(p.Homes, func(h Homes) bool { return h.Year == year })
	if i < 0 {
		return Homes{}, false
	}
	return p.Homes[i], true
}

// FieldError is one problem with a policy: where it is and what is wrong.
type FieldError struct {
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// InvalidError lists every problem found in a policy, in line order.
type InvalidError struct {
	Name   string // the file or preset
	Fields []FieldError
}

func (e *InvalidError) Error() string {
	s := fmt.Sprintf("policy %s is not valid", e.Name)
	for _, f := range e.Fields {
		s += "\n  " + f.Error()
	}
	return s
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,62}$`)
)

// Limits on values no real policy would have; past them a value is a typo.
const (
	maxWorkingDays  = 260
	maxCalendarDays = 366
	maxHours        = 24 * 366
	maxHomes        = 10_000_000
)

// validate returns every problem with p, each naming its field path.
func (p *Policy) validate() []FieldError {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !nameRE.MatchString(p.Name) {
		bad("name", "%q must be 1 to 63 lower-case letters, digits and hyphens", p.Name)
	}
	if p.Title == "" {
		bad("title", "is required")
	}
	errs = append(errs, p.Hazards.validate()...)
	errs = append(errs, p.OmbudsmanStage.validate()...)
	errs = append(errs, p.validateWithinStage()...)
	errs = append(errs, p.validateRestrictions()...)
	errs = append(errs, p.Retention.validate()...)
	errs = append(errs, p.MemberEnquiries.validate()...)
	errs = append(errs, p.Compliments.validate()...)
	errs = append(errs, p.Groups.validate()...)
	if _, err := calendar.ParseDivision(string(p.Division)); err != nil {
		bad("division", "%v", err)
	}
	seenDay := map[calendar.Date]bool{}
	for i, d := range p.ClosureDays {
		if seenDay[d] {
			bad(fmt.Sprintf("closure_days[%d]", i), "%s is listed twice", d)
		}
		seenDay[d] = true
	}

	step := func(field string, s *Step, anchors ...Anchor) {
		if s.Within == 0 && s.Unit == "" && s.From == "" {
			bad(field, "is required: give within, unit and from")
			return
		}
		if _, err := calendar.ParseUnit(string(s.Unit)); err != nil {
			bad(field+".unit", "%v", err)
		} else {
			limit := map[calendar.Unit]int{calendar.WorkingDays: maxWorkingDays, calendar.CalendarDays: maxCalendarDays, calendar.Hours: maxHours}[s.Unit]
			if s.Within < 1 || s.Within > limit {
				bad(field+".within", "%d %s is impossible: want 1 to %d", s.Within, s.Unit, limit)
			}
		}
		if !slices.Contains(anchors, s.From) {
			bad(field+".from", "%q is not allowed here: want %s", s.From, enum.List(anchors))
		}
	}
	extension := func(field string, e *Extension) {
		if e.CapWorkingDays < 0 || e.CapWorkingDays > maxWorkingDays {
			bad(field+".cap_working_days", "%d is impossible: want 0 to %d", e.CapWorkingDays, maxWorkingDays)
		}
		if _, err := enum.Parse(e.OmbudsmanDetails, []string{OmbudsmanAlways, OmbudsmanWhenNotAgreed, OmbudsmanNotStated}, "allowed"); err != nil {
			bad(field+".ombudsman_details", "%v", err)
		}
	}
	step("stage1.acknowledge", &p.Stage1.Acknowledge, Received)
	step("stage1.respond", &p.Stage1.Respond, Received, Acknowledged)
	extension("stage1.extension", &p.Stage1.Extension)
	if p.Stage1.NewReference {
		bad("stage1.new_reference", "only stage 2 can take a new reference")
	}
	step("stage2.acknowledge", &p.Stage2.Acknowledge, EscalationRequested)
	step("stage2.respond", &p.Stage2.Respond, EscalationRequested, Acknowledged)
	extension("stage2.extension", &p.Stage2.Extension)
	for _, n := range []int{1, 2} {
		st, _ := p.StageOf(n)
		a, r := st.Acknowledge, st.Respond
		if a.From == r.From && a.Unit == r.Unit && r.Within < a.Within {
			bad(fmt.Sprintf("stage%d.respond.within", n), "the response (%s) would be due before the acknowledgement (%s)", r, a)
		}
	}

	if w := p.Escalation.Window; w != nil {
		step("escalation.window", w, Responded)
	}
	for i, g := range p.Escalation.RefusalGrounds {
		if g == "" {
			bad(fmt.Sprintf("escalation.refusal_grounds[%d]", i), "is empty")
		}
	}

	for i, x := range p.ExtraStages {
		f := fmt.Sprintf("extra_stages[%d]", i)
		if x.Name == "" {
			bad(f+".name", "is required")
		}
		if _, err := enum.Parse(x.Position, []string{"before_stage1", "between", "after_stage2"}, "allowed"); err != nil {
			bad(f+".position", "%v", err)
		}
	}

	seenCode := map[string]bool{}
	for i, x := range p.Exclusions {
		f := fmt.Sprintf("exclusions[%d]", i)
		if !codeRE.MatchString(x.Code) {
			bad(f+".code", "%q must be 1 to 63 lower-case letters, digits and underscores", x.Code)
		} else if seenCode[x.Code] {
			bad(f+".code", "%q is used twice", x.Code)
		}
		seenCode[x.Code] = true
		if x.Reason == "" {
			bad(f+".reason", "is required: it is the text residents read")
		}
		switch x.Ground {
		case GroundTimeLimit:
			if x.Months < 1 || x.Months > 120 {
				bad(f+".months", "%d is impossible for a time limit: want 1 to 120", x.Months)
			}
		case GroundLegalProceedings, GroundPreviouslyConsidered, GroundOther:
			if x.Months != 0 {
				bad(f+".months", "applies only to a time_limit exclusion")
			}
		default:
			_, err := enum.Parse(x.Ground, []string{GroundTimeLimit, GroundLegalProceedings, GroundPreviouslyConsidered, GroundOther}, "allowed")
			bad(f+".ground", "%v", err)
		}
	}

	seenKind := map[string]bool{}
	for i, k := range p.Kinds {
		f := fmt.Sprintf("kinds[%d]", i)
		if _, err := enum.Parse(k.Kind, []string{KindServiceRequest, KindCompliment, KindSuggestion, KindFeedback, KindEnquiry, KindMemberEnquiry}, "allowed"); err != nil {
			bad(f+".kind", "%v (complaints are the stages)", err)
		}
		if k.Name == "" {
			bad(f+".name", "is required")
		} else if seenKind[k.Name] {
			bad(f+".name", "%q is used twice", k.Name)
		}
		seenKind[k.Name] = true
		if k.ResolveWithin != nil {
			if k.Kind != KindServiceRequest {
				bad(f+".resolve_within", "only a service_request has a resolution target")
			}
			step(f+".resolve_within", k.ResolveWithin, Received)
		}
		if (k.ConvertsOnRequest || k.ConvertsWhenUnresolved) && k.Kind != KindServiceRequest && k.Kind != KindFeedback && k.Kind != KindEnquiry {
			bad(f+".converts_on_request", "a %s cannot become a complaint", k.Kind)
		}
	}

	seenYear := map[int]bool{}
	for i, h := range p.Homes {
		f := fmt.Sprintf("homes[%d]", i)
		if h.Year < 2000 || h.Year > 2100 {
			bad(f+".year", "%d is impossible: want 2000 to 2100", h.Year)
		} else if seenYear[h.Year] {
			bad(f+".year", "%d is listed twice", h.Year)
		}
		seenYear[h.Year] = true
		if h.LowCostRental < 0 || h.LowCostRental > maxHomes {
			bad(f+".low_cost_rental", "%d is impossible: want 0 to %d", h.LowCostRental, maxHomes)
		}
		if h.LowCostHomeOwnership < 0 || h.LowCostHomeOwnership > maxHomes {
			bad(f+".low_cost_home_ownership", "%d is impossible: want 0 to %d", h.LowCostHomeOwnership, maxHomes)
		}
	}
	seenMilestone := map[string]bool{}
	for i, m := range p.Milestones {
		f := fmt.Sprintf("milestones[%d]", i)
		if !codeRE.MatchString(m.Code) {
			bad(f+".code", "%q must be 1 to 63 lower-case letters, digits and underscores", m.Code)
		} else if seenMilestone[m.Code] {
			bad(f+".code", "%q is used twice", m.Code)
		}
		seenMilestone[m.Code] = true
		if m.Name == "" {
			bad(f+".name", "is required: it is what staff read")
		}
		switch m.Stage {
		case 1:
			step(f+".due", &m.Due, Received, Acknowledged)
		case 2:
			step(f+".due", &m.Due, EscalationRequested, Acknowledged)
		default:
			bad(f+".stage", "%d is not a stage: want 1 or 2", m.Stage)
		}
	}
	seenStage := map[int]bool{}
	for i, n := range p.Letters.LearningAtStages {
		f := fmt.Sprintf("letters.learning_at_stages[%d]", i)
		if n != 1 && n != 2 {
			bad(f, "%d is not a stage: want 1 or 2", n)
		} else if seenStage[n] {
			bad(f, "stage %d is listed twice", n)
		}
		seenStage[n] = true
	}
	for i, r := range p.Letters.FinalResponseRoutes {
		if strings.TrimSpace(r) == "" {
			bad(fmt.Sprintf("letters.final_response_routes[%d]", i), "is empty: give the route as the letter should print it")
		}
	}
	if p.Ombudsman == "" {
		bad("ombudsman", "is required: letters must give the Ombudsman's contact details")
	}
	return errs
}
