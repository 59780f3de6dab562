package complaint

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/redresshq/redress/internal/calendar"
)

// The kinds of people a compliment can praise. Gentoo (000) recognises
// "the good work of our colleagues and contractors"; feedback-policy-2018
// (003 §2) credits "our teams".
const (
	PraisedColleague  = "colleague"
	PraisedTeam       = "team"
	PraisedContractor = "contractor"
)

// PraisedKinds lists the kinds of people a compliment can praise.
var PraisedKinds = []string{PraisedColleague, PraisedTeam, PraisedContractor}

// Praised is one person or team a compliment praises. A colleague is a
// user, named by their email; a team is a service area or team name, with
// its mailbox if it has one; a contractor is a firm or person outside the
// landlord, with the email their feedback goes to.
type Praised struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Praise is what a compliment records once it has been passed on: who it
// praised, the manager told with them, and when and by whom it was passed
// on. The users have no manager field, so the manager is the email of the
// user chosen when the compliment is passed on, kept here.
type Praise struct {
	Praised []Praised `json:"praised"`
	Manager string    `json:"manager"`
	// Quote is the compliment as the landlord may publish it, written by
	// staff without the resident's name or anything else that identifies
	// them; empty, the compliment is published without words (003 §2:
	// compliments are "publicised").
	Quote      string    `json:"quote,omitempty"`
	PassedOnAt time.Time `json:"passed_on_at"`
	PassedOnBy string    `json:"passed_on_by"`
}

// Names lists the names of those praised, for letters and lists.
func (p *Praise) Names() []string {
	out := make([]string, 0, len(p.Praised))
	for _, x := range p.Praised {
		out = append(out, x.Name)
	}
	return out
}

// Praises reports whether the compliment praises, or was passed on to,
// the user with this email: as a colleague named, or as the manager told.
// The dashboard lists such compliments as "compliments for you" (000: "we
// offer individual feedback to colleagues when a compliment is received").
func (p *Praise) Praises(email string) bool {
	if p == nil || email == "" {
		return false
	}
	if strings.EqualFold(p.Manager, email) {
		return true
	}
	for _, x := range p.Praised {
		if strings.EqualFold(x.Email, email) {
			return true
		}
	}
	return false
}

// PassOnCompliment records who a compliment praises and passes it on to
// them and their manager: the relay then emails each of them a compliment
// notice (000: "we offer individual feedback to colleagues when a
// compliment is received"; 003 §2: "Feedback on compliments is given to
// staff"). Until it is recorded, the thanks letter may not say the
// compliment was passed on.
type PassOnCompliment struct {
	Praised []Praised `json:"praised"`
	// Manager is the email of the manager told with those praised.
	Manager string `json:"manager"`
	// Quote is the compliment's words as they may be published; optional.
	Quote string `json:"quote,omitempty"`
}

func (PassOnCompliment) event() EventKind { return EventComplimentPassedOn }

func (cmd PassOnCompliment) decide(d *decision) error {
	fe := d.fe
	if len(cmd.Praised) == 0 {
		fe.add("praised", "name at least one colleague, team or contractor the compliment praises")
	}
	if len(cmd.Praised) > maxList {
		fe.add("praised", "has more than %d entries", maxList)
	}
	praised := make([]Praised, 0, len(cmd.Praised))
	for i, p := range cmd.Praised {
		field := func(f string) string { return fmt.Sprintf("praised[%d].%s", i, f) }
		p = Praised{Kind: strings.TrimSpace(p.Kind), Name: strings.TrimSpace(p.Name), Email: strings.TrimSpace(p.Email)}
		switch p.Kind {
		case PraisedColleague, PraisedContractor:
			if p.Email == "" {
				fe.add(field("email"), "is required for a %s, so that they can be told", p.Kind)
			}
		case PraisedTeam:
		case "":
			fe.add(field("kind"), "is required: colleague, team or contractor")
		default:
			fe.add(field("kind"), "%q is not colleague, team or contractor", p.Kind)
		}
		checkLine(fe, field("name"), p.Name, maxShort, true)
		checkLine(fe, field("email"), p.Email, maxShort, false)
		checkEmail(fe, field("email"), p.Email)
		praised = append(praised, p)
	}
	manager := strings.TrimSpace(cmd.Manager)
	if manager == "" {
		fe.add("manager", "is required: choose the manager who is told with those praised")
	}
	checkLine(fe, "manager", manager, maxShort, false)
	checkEmail(fe, "manager", manager)
	quote := strings.TrimSpace(cmd.Quote)
	checkLine(fe, "quote", quote, 500, false)
	if name := residentNameIn(quote, d.before.Complainant.Name); name != "" {
		fe.add("quote", "names the resident (%q): a published compliment must not identify them", name)
	}
	if err := fe.err(); err != nil {
		return err
	}
	c := &d.before
	switch {
	case c.Kind != KindCompliment:
		return Errorf(Conflict, "%s is a %s, not a compliment: only a compliment is passed on", c.Reference, c.Kind)
	case c.Praise != nil:
		return Errorf(Conflict, "the compliment was already passed on, on %s by %s", c.Praise.PassedOnAt.In(calendar.London).Format("2 January 2006"), c.Praise.PassedOnBy)
	}
	d.next.Praise = &Praise{Praised: praised, Manager: manager, Quote: quote, PassedOnAt: d.at, PassedOnBy: d.env.Actor.Email}
	d.recorded = PassOnCompliment{Praised: praised, Manager: manager, Quote: quote}
	return nil
}

// residentNameIn returns the part of the resident's name (a word of three
// letters or more) that the quote holds as a word, ignoring case, or "".
func residentNameIn(quote, name string) string {
	words := strings.FieldsFunc(strings.ToLower(quote), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' })
	for _, part := range strings.Fields(name) {
		part = strings.Trim(part, ".,")
		if len([]rune(part)) < 3 {
			continue
		}
		if slices.Contains(words, strings.ToLower(part)) {
			return part
		}
	}
	return ""
}
