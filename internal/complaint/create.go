package complaint

import (
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/policy"
)

// Create logs a new contact of any kind.
type Create struct {
	Kind    Kind    `json:"kind"`
	Channel Channel `json:"channel"`
	// ReceivedAt defaults to now; it may be in the past, never the future.
	ReceivedAt      *time.Time      `json:"received_at"`
	Complainant     Person          `json:"complainant"`
	Representative  *Representative `json:"representative"`
	Group           *Group          `json:"group"`
	Summary         string          `json:"summary"`
	Description     string          `json:"description"`
	DesiredOutcome  string          `json:"desired_outcome"`
	ServiceArea     string          `json:"service_area"`
	Categories      []string        `json:"categories"`
	Tenure          Tenure          `json:"tenure"`
	HealthAndSafety bool            `json:"health_and_safety"`
	Confidential    bool            `json:"confidential"`
	// LineManager is the email of the user who line-manages the member
	// of staff a confidential complaint is about. Where the policy keeps
	// confidential cases to the people they name, a confidential
	// complaint needs one.
	LineManager     string   `json:"line_manager,omitempty"`
	Adjustments     []string `json:"adjustments"`
	Vulnerabilities []string `json:"vulnerabilities"`
	// ResponseMethod is how the resident wants to be answered (003);
	// optional.
	ResponseMethod ResponseMethod `json:"response_method,omitempty"`
	// Member is the elected member of a member enquiry (002 §3).
	Member *Member `json:"member,omitempty"`
}

func (Create) event() EventKind { return EventCreated }

// decide refuses: a case is created by NewCase, never decided on one
// that exists.
func (cmd Create) decide(*decision) error {
	return Errorf(Internal, "unknown command %T", cmd)
}

// NewCase checks a new contact and returns the case and its first event.
// A complaint starts at stage 1 with its deadlines; a service request
// gets the policy's resolution target.
func NewCase(cmd Create, env Env) (Case, Event, error) {
	fe := newFieldErrors(env)
	if _, err := enum.Parse(string(cmd.Kind), Kinds, "a kind of contact"); err != nil {
		fe.add("kind", "%v", err)
	}
	if _, err := enum.Parse(string(cmd.Channel), Channels, "a channel"); err != nil {
		fe.add("channel", "%v", err)
	}
	received := env.Now
	if cmd.ReceivedAt != nil {
		received = *cmd.ReceivedAt
		if received.After(env.Now) {
			fe.add("received_at", "is in the future")
		}
		if received.Year() < 2000 {
			fe.add("received_at", "is before the year 2000")
		}
	}
	p := cmd.Complainant
	checkPerson(fe, p, cmd.Representative != nil)
	if r := cmd.Representative; r != nil {
		checkRepresentative(fe, *r)
	}
	if g := cmd.Group; g != nil {
		checkLine(fe, "group.name", g.Name, maxShort, true)
		checkLine(fe, "group.point_of_contact", g.PointOfContact, maxShort, true)
		if g.Members < 0 {
			fe.add("group.members", "is negative")
		}
		checkGroupMembers(fe, *g)
	}
	checkLine(fe, "summary", cmd.Summary, 500, true)
	checkText(fe, "description", cmd.Description, maxText, false)
	checkText(fe, "desired_outcome", cmd.DesiredOutcome, maxText, false)
	checkLine(fe, "service_area", cmd.ServiceArea, maxShort, false)
	if cmd.Tenure != "" {
		if _, err := enum.Parse(string(cmd.Tenure), Tenures, "a tenure"); err != nil {
			fe.add("tenure", "%v", err)
		}
	}
	checkLineManager(fe, env, cmd.Confidential, cmd.LineManager)
	checkResponseMethod(fe, "response_method", cmd.ResponseMethod)
	checkMember(fe, env, cmd.Kind, cmd.Member)
	for field, list := range map[string][]string{"categories": cmd.Categories, "adjustments": cmd.Adjustments, "vulnerabilities": cmd.Vulnerabilities} {
		if len(list) > maxList {
			fe.add(field, "has more than %d entries", maxList)
		}
		for i, s := range list {
			checkLine(fe, fmt.Sprintf("%s[%d]", field, i), s, maxShort, true)
		}
	}
	if err := fe.err(); err != nil {
		return fail(err)
	}

	ref, err := env.NewReference(calendar.DateOf(received).Year())
	if err != nil {
		return fail(err)
	}
	c := Case{
		Reference: ref, Kind: cmd.Kind, Channel: cmd.Channel, Status: StatusReceived,
		Policy: env.Policy.Name, CreatedBy: env.Actor.Email,
		ReceivedAt: received, LastEventAt: received,
		Complainant: trimPerson(p), Representative: trimRepresentative(cmd.Representative), Group: trimGroup(cmd.Group),
		Summary: strings.TrimSpace(cmd.Summary), Description: strings.TrimSpace(cmd.Description),
		DesiredOutcome: strings.TrimSpace(cmd.DesiredOutcome), ServiceArea: strings.TrimSpace(cmd.ServiceArea),
		Categories: nonNil(trimAll(cmd.Categories)), Tenure: cmd.Tenure,
		HealthAndSafety: cmd.HealthAndSafety, Confidential: cmd.Confidential, LineManager: strings.TrimSpace(cmd.LineManager),
		Adjustments: nonNil(trimAll(cmd.Adjustments)), Vulnerabilities: nonNil(trimAll(cmd.Vulnerabilities)),
		Stages: []Stage{}, Remedies: []Remedy{}, Links: []string{}, ResponseMethod: cmd.ResponseMethod,
	}
	switch cmd.Kind {
	case KindComplaint:
		c.Stage = 1
		c.Stages = []Stage{{Stage: 1, Reference: ref, ReceivedAt: received, Handlers: []string{}, Extensions: []Extension{}}}
		if err := deadlines(&c, env); err != nil {
			return fail(err)
		}
	case KindMemberEnquiry:
		if err := newMemberEnquiry(&c, *cmd.Member, env); err != nil {
			return fail(err)
		}
	case KindServiceRequest:
		for _, k := range env.Policy.Kinds {
			if k.Kind == policy.KindServiceRequest && k.ResolveWithin != nil {
				dl, err := env.Calendar.Due(received, k.ResolveWithin.Duration())
				if err != nil {
					return fail(Errorf(Unavailable, "%v", err))
				}
				c.ResolveBy = dl.Date
				break
			}
		}
	}
	return c, Event{Kind: cmd.event(), Actor: env.Actor.Email, At: received, RecordedAt: env.Now, Data: cmd}, nil
}

// checkEmail checks an optional email address, as it will be kept:
// trimmed.
func checkEmail(fe fieldErrors, field, email string) {
	if e := strings.TrimSpace(email); e != "" && !ValidEmail(e) {
		fe.add(field, "%q is not an email address", e)
	}
}

func trimPerson(p Person) Person {
	return Person{
		Name: strings.TrimSpace(p.Name), Email: strings.TrimSpace(p.Email), Phone: strings.TrimSpace(p.Phone),
		Address: strings.TrimSpace(p.Address), Postcode: strings.ToUpper(strings.TrimSpace(p.Postcode)),
		TenancyRef: strings.TrimSpace(p.TenancyRef),
	}
}

func trimRepresentative(r *Representative) *Representative {
	if r == nil {
		return nil
	}
	return &Representative{
		Name: strings.TrimSpace(r.Name), Relationship: strings.TrimSpace(r.Relationship), ConsentRecorded: r.ConsentRecorded,
		Email: strings.TrimSpace(r.Email), Phone: strings.TrimSpace(r.Phone),
	}
}

func trimGroup(g *Group) *Group {
	if g == nil {
		return nil
	}
	return &Group{Name: strings.TrimSpace(g.Name), Members: g.Members, PointOfContact: strings.TrimSpace(g.PointOfContact), People: trimMembers(g.People)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
