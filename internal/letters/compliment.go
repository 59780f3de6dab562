package letters

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// ComplimentNotice is the notice that passes a compliment on to those it
// praises and their manager (000: "we offer individual feedback to
// colleagues when a compliment is received"; 003 §2: "Feedback on
// compliments is given to staff"). The relay emails it to each of them
// when the compliment is passed on; staff may also issue it from the case
// (by post to a contractor, say), when it is addressed to the first
// person praised.
const ComplimentNotice Kind = "compliment_notice"

// ComplimentData is what a compliment's letters say about passing it on.
type ComplimentData struct {
	// PassedOn is true once the compliment has been passed on to those it
	// praises: only then may the thanks letter say so.
	PassedOn bool `json:"passed_on"`
	// Praised are the names of those praised, and PassedOnDate the day
	// the compliment was passed on.
	Praised      []string `json:"praised"`
	PassedOnDate Date     `json:"passed_on_date,omitempty"`
}

// complimentData fills ComplimentData from the case.
func complimentData(c *complaint.Case) ComplimentData {
	p := c.Praise
	if p == nil {
		return ComplimentData{Praised: []string{}}
	}
	return ComplimentData{PassedOn: true, Praised: p.Names(), PassedOnDate: NewDate(calendar.DateOf(p.PassedOnAt))}
}

// complimentApplies says whether a compliment letter fits the case: any
// compliment is thanked; a notice needs the compliment passed on, as it
// names those it praises.
func complimentApplies(k Kind, c *complaint.Case, no func(string, ...any) error) error {
	if c.Kind != complaint.KindCompliment {
		return no("the case is a %s, not a compliment", c.Kind)
	}
	if k == ComplimentNotice && c.Praise == nil {
		return no("the compliment has not been passed on: record who it praises first")
	}
	return nil
}

// noticeRecipient addresses a compliment notice issued from the case to
// the first person it praises; the relay's emails are addressed to each.
func noticeRecipient(d *Data, c *complaint.Case) {
	if c.Praise == nil || len(c.Praise.Praised) == 0 {
		return
	}
	p := c.Praise.Praised[0]
	d.Recipient = Recipient{Name: p.Name, Address: []string{}, Email: p.Email}
	d.Representative = Representative{}
	d.Salutation = "Dear " + p.Name
}

// NoticeTo is the compliment notice's data addressed to one person the
// relay emails: someone praised or their manager.
func (d Data) NoticeTo(name, email string) Data {
	d.Recipient = Recipient{Name: name, Address: []string{}, Email: email}
	d.Salutation = "Dear " + name
	return d
}

// passedOnRE finds a letter saying the compliment was passed on or
// shared with those it praises.
var passedOnRE = regexp.MustCompile(`\b(passed|shared|forwarded)\b`)

// checkCompliment is what the compliment letters must say: a thanks letter
// may say the compliment was passed on only once it was (issue 19: the
// letter "must no longer claim something that did not happen"); a notice
// must quote the compliment, give its reference and name everyone it
// praises.
func (c *checker) checkCompliment(kind Kind, d Data) {
	switch kind {
	case ComplimentThanks:
		// The resident's own words are quoted, and may say anything.
		text := strings.ReplaceAll(c.text, fold(d.Summary), "")
		if !d.Compliment.PassedOn && passedOnRE.MatchString(text) {
			c.missing("passed_on", "the letter says the compliment was passed on, but it has not been: pass it on first, or take that sentence out")
		}
	case ComplimentNotice:
		if !d.Compliment.PassedOn {
			c.missing("case.praise", "the compliment has not been passed on: record who it praises first")
			return
		}
		c.need("reference", d.Reference, "the compliment's reference (%s) is missing", d.Reference)
		c.need("summary", d.Summary, "the compliment itself (%q) is missing", short(d.Summary))
		for _, name := range d.Compliment.Praised {
			c.need("praised", name, "%s, whom the compliment praises, is not named", name)
		}
	}
}

// sampleCompliment fills the compliment letters' samples: the full one
// passed on to a colleague, a team and a contractor, the bare one (for a
// thanks letter) not yet passed on.
func sampleCompliment(kind Kind, full, bare *Data) {
	if kind != ComplimentThanks && kind != ComplimentNotice {
		full.Compliment = ComplimentData{Praised: []string{}}
		bare.Compliment = full.Compliment
		return
	}
	full.Compliment = ComplimentData{PassedOn: true, Praised: []string{"Dave Okafor", "the Repairs team", "Acme Plumbing"}, PassedOnDate: "2026-12-22"}
	bare.Compliment = ComplimentData{PassedOn: true, Praised: []string{"Dave Okafor"}, PassedOnDate: "2026-12-22"}
	if kind == ComplimentThanks {
		bare.Compliment = ComplimentData{Praised: []string{}}
	}
	if kind == ComplimentNotice {
		for _, d := range []*Data{full, bare} {
			d.Stage, d.Date, d.Points, d.OutcomesSought, d.RespondBy, d.Escalation = 0, "2026-12-22", []Point{}, []string{}, "", Escalation{}
			d.Summary = "Thank you to Dave, the plumber, who fixed my boiler on Christmas Eve"
			d.Recipient = Recipient{Name: "Dave Okafor", Address: []string{}, Email: "dave.okafor@riversidevale.example"}
			d.Salutation, d.Representative = "Dear Dave Okafor", Representative{}
		}
	}
}

// ComplimentNotices drafts the compliment notice for each person a
// compliment passed on goes to: everyone it praises who has an email
// address (a colleague, a contractor, a team's mailbox) and the manager
// (managerName is the manager's name as the users list holds it; empty,
// the email address stands in). Each is checked as an issued letter is;
// a notice the check refuses is an error rather than an email that leaves
// out whom it praises. The relay emails them; they are built on the
// built-in wording, since the relay reads no landlord's templates.
func ComplimentNotices(c complaint.Case, lh Letterhead, today calendar.Date, managerName string) ([]Letter, error) {
	if c.Praise == nil {
		return nil, complaint.Errorf(complaint.Conflict, "the compliment %s has not been passed on", c.Reference)
	}
	tmpl, err := DefaultTemplate(ComplimentNotice)
	if err != nil {
		return nil, err
	}
	// The notice reads nothing from the policy: an empty one stands in.
	first, err := DraftWith(ComplimentNotice, c, Options{}, &policy.Policy{}, nil, lh, tmpl, today)
	if err != nil {
		return nil, err
	}
	type to struct{ name, email string }
	var tos []to
	seen := map[string]bool{}
	add := func(name, email string) {
		if email == "" || seen[strings.ToLower(email)] {
			return
		}
		seen[strings.ToLower(email)] = true
		tos = append(tos, to{name, email})
	}
	for _, p := range c.Praise.Praised {
		add(p.Name, p.Email)
	}
	add(cmp.Or(strings.TrimSpace(managerName), c.Praise.Manager), c.Praise.Manager)
	out := make([]Letter, 0, len(tos))
	for _, t := range tos {
		d := first.Data.NoticeTo(t.name, t.email)
		body, err := tmpl.Execute(d)
		if err != nil {
			return nil, err
		}
		if missing := Check(ComplimentNotice, d, body); len(missing) > 0 {
			return nil, fmt.Errorf("letters: the compliment notice to %s leaves out %s", t.email, missing[0].Message)
		}
		l := first
		l.Recipient, l.Body, l.Data, l.LargePrint, l.PlainTextEmail = d.Recipient, body, d, false, false
		out = append(out, l)
	}
	return out, nil
}
