package sar

import (
	"encoding/json"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Subject is the person an export is for, known by one identifier, as
// complaint.Person.Key names people: an email address, else a tenancy
// reference, else a phone number. Exactly one field is set, normalised
// as the people search normalises it (emails in small letters, tenancy
// references in capitals without spaces, phone numbers by
// store.PhoneKey), so that the export finds the person wherever the
// search would.
type Subject struct {
	Email   string
	Tenancy string
	Phone   string
}

// minPhoneDigits is the fewest digits a phone number may have to name a
// person: fewer would match numbers by chance, as Person.Key says.
const minPhoneDigits = 6

// ParseSubject reads a person's key (email:…, tenancy:… or phone:…, as
// complaint.Person.Key writes it) or a bare email address. Anything else
// is an invalid error naming the field "person".
func ParseSubject(s string) (Subject, error) {
	s = strings.TrimSpace(s)
	kind, v, ok := strings.Cut(s, ":")
	if !ok {
		kind, v = "email", s
	}
	v = strings.TrimSpace(v)
	switch kind {
	case "email":
		e := strings.ToLower(v)
		if !complaint.ValidEmail(e) {
			return Subject{}, complaint.InvalidField("person", "%q is not an email address, nor a key such as email:name@example.org, tenancy:T123 or phone:07700900123", s)
		}
		return Subject{Email: e}, nil
	case "tenancy":
		t := tenancyKey(v)
		if t == "" {
			return Subject{}, complaint.InvalidField("person", "tenancy: needs a tenancy reference after it")
		}
		return Subject{Tenancy: t}, nil
	case "phone":
		p := store.PhoneKey(v)
		if len(p) < minPhoneDigits || strings.Trim(v, "0123456789 +-().") != "" {
			return Subject{}, complaint.InvalidField("person", "phone: needs a phone number of at least %d digits after it", minPhoneDigits)
		}
		return Subject{Phone: p}, nil
	}
	return Subject{}, complaint.InvalidField("person", "%q is not an email address, nor a key such as email:name@example.org, tenancy:T123 or phone:07700900123", s)
}

// Key writes the subject back as a key ParseSubject reads: how the
// person's page is addressed and how the export names whom it is for.
func (s Subject) Key() string {
	switch {
	case s.Email != "":
		return "email:" + s.Email
	case s.Tenancy != "":
		return "tenancy:" + s.Tenancy
	}
	return "phone:" + s.Phone
}

func tenancyKey(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

// party is one person a case names besides its staff, in one of the
// parts they may play, with everything the case holds about them.
type party struct {
	Role                                           string
	Name, Email, Phone, Address, Postcode, Tenancy string
}

// The roles a person may play in a case, as the export names them.
const (
	RoleComplainant    = "complainant"
	RoleRepresentative = "representative"
	RoleGroupMember    = "group member"
	RolePointOfContact = "group's point of contact"
	RoleElectedMember  = "elected member"
)

// is reports whether p is the subject: the one identifier the subject is
// known by is p's, normalised alike. A party known only by name (a
// group's point of contact) is never the subject by this test.
func (s Subject) is(p party) bool {
	switch {
	case s.Email != "":
		return strings.EqualFold(strings.TrimSpace(p.Email), s.Email)
	case s.Tenancy != "":
		return p.Tenancy != "" && tenancyKey(p.Tenancy) == s.Tenancy
	case s.Phone != "":
		return p.Phone != "" && store.PhoneKey(p.Phone) == s.Phone
	}
	return false
}

// partiesOf lists everyone the case names besides staff, as it stands.
func partiesOf(c complaint.Case) []party {
	ps := partiesIn(&c.Complainant, c.Representative, c.Group, nil)
	if c.Member != nil {
		ps = append(ps, memberParty(c.Member.Member))
	}
	return ps
}

func partiesIn(p *complaint.Person, r *complaint.Representative, g *complaint.Group, m *complaint.Member) []party {
	var ps []party
	if p != nil && (*p != complaint.Person{}) {
		ps = append(ps, party{Role: RoleComplainant, Name: p.Name, Email: p.Email, Phone: p.Phone, Address: p.Address, Postcode: p.Postcode, Tenancy: p.TenancyRef})
	}
	if r != nil {
		ps = append(ps, party{Role: RoleRepresentative, Name: r.Name, Email: r.Email, Phone: r.Phone})
	}
	if g != nil {
		if g.PointOfContact != "" {
			ps = append(ps, party{Role: RolePointOfContact, Name: g.PointOfContact})
		}
		for _, gm := range g.People {
			ps = append(ps, party{Role: RoleGroupMember, Name: gm.Name, Email: gm.Email, Address: gm.Address})
		}
	}
	if m != nil {
		ps = append(ps, memberParty(*m))
	}
	return ps
}

func memberParty(m complaint.Member) party {
	return party{Role: RoleElectedMember, Name: m.Name, Email: m.Email, Phone: m.Phone, Address: m.Address}
}

// recordedParties lists everyone the case's events have named: the
// details a case was created with and every correction since. A detail
// corrected away is no longer on the case but is still in its audit
// trail, so it must be known to be redacted there.
func recordedParties(evs []complaint.Event) []party {
	var ps []party
	for _, ev := range evs {
		var d struct {
			Complainant    *complaint.Person         `json:"complainant"`
			Representative *complaint.Representative `json:"representative"`
			Group          *complaint.Group          `json:"group"`
			Member         *complaint.Member         `json:"member"`
		}
		// A field of another shape under the same name (a group copy's
		// "member" is a name) fails alone: the rest still decode.
		_ = json.Unmarshal(store.EventData(ev), &d)
		ps = append(ps, partiesIn(d.Complainant, d.Representative, d.Group, d.Member)...)
	}
	return ps
}
