package complaint

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// GroupMember is one resident of a group complaint or petition, with how
// to reach them: 003 ("Complaints received through petitions") promises
// that "Where we provide a written response we will make this available to
// all petitioners", which needs each petitioner's email or address, not
// only a count.
type GroupMember struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// maxGroupMembers bounds a group's list: a large petition, not a mailing
// list.
const maxGroupMembers = 1000

// checkGroupMembers names every member without a name or a way to reach
// them, and every malformed address, and a count smaller than the list.
func checkGroupMembers(fe fieldErrors, g Group) {
	if len(g.People) > maxGroupMembers {
		fe.add("group.people", "has more than %d members", maxGroupMembers)
	}
	for i, m := range g.People {
		field := func(f string) string { return fmt.Sprintf("group.people[%d].%s", i, f) }
		checkLine(fe, field("name"), m.Name, maxShort, true)
		checkLine(fe, field("email"), m.Email, maxShort, false)
		checkEmail(fe, field("email"), m.Email)
		checkText(fe, field("address"), m.Address, 500, false)
		if strings.TrimSpace(m.Email) == "" && strings.TrimSpace(m.Address) == "" {
			fe.add(field("email"), "give an email or a postal address, so that the response can reach them")
		}
	}
	if g.Members > 0 && g.Members < len(g.People) {
		fe.add("group.members", "is %d, fewer than the %d people listed", g.Members, len(g.People))
	}
}

// trimMembers trims each member's details.
func trimMembers(ms []GroupMember) []GroupMember {
	if len(ms) == 0 {
		return nil
	}
	out := make([]GroupMember, len(ms))
	for i, m := range ms {
		out[i] = GroupMember{Name: strings.TrimSpace(m.Name), Email: strings.TrimSpace(m.Email), Address: strings.TrimSpace(m.Address)}
	}
	return out
}

// The channels a copy of a response goes to a group member by.
const (
	CopyByEmail = "email"
	CopyByPost  = "post"
)

// GroupCopy is a copy of a written response sent to one member of a
// group: which letter (its kind and SHA-256, as its letter_issued event
// records it), to whom, how and when.
type GroupCopy struct {
	Letter  string    `json:"letter"`
	SHA256  string    `json:"sha256"`
	Member  string    `json:"member"`
	Channel string    `json:"channel"`
	SentAt  time.Time `json:"sent_at"`
}

// RecordGroupCopies records that a response letter, already issued to the
// group's point of contact, went to every member of the group too, one
// copy each, by email where they gave one and by post otherwise (003: "we
// will ask the group to nominate a single point of contact ... Where we
// provide a written response we will make this available to all
// petitioners"). The caller sends the copies; this keeps the record, one
// entry per member, on the audit chain.
type RecordGroupCopies struct {
	Letter string `json:"letter"`
	SHA256 string `json:"sha256"`
	// Copies name each member (as listed on the group) and the channel.
	Copies []GroupCopyTo `json:"copies"`
}

// GroupCopyTo is one member a copy goes to, and how.
type GroupCopyTo struct {
	Member  string `json:"member"`
	Channel string `json:"channel"`
}

func (RecordGroupCopies) event() EventKind { return EventGroupCopiesSent }

func (cmd RecordGroupCopies) decide(d *decision) error {
	c, fe := &d.before, d.fe
	if cmd.Letter != ResponseLetterKind(1) && cmd.Letter != ResponseLetterKind(2) {
		fe.add("letter", "must be %s or %s: a group is sent copies of a written response", ResponseLetterKind(1), ResponseLetterKind(2))
	}
	if len(cmd.SHA256) != 64 || strings.Trim(cmd.SHA256, "0123456789abcdef") != "" {
		fe.add("sha256", "must be the letter's SHA-256 in lower-case hex")
	}
	if len(cmd.Copies) == 0 {
		fe.add("copies", "name at least one member")
	}
	if err := fe.err(); err != nil {
		return err
	}
	if c.Group == nil || len(c.Group.People) == 0 {
		return Errorf(Conflict, "%s lists no group members to send copies to", c.Reference)
	}
	seen := map[string]bool{}
	var copies []GroupCopy
	for i, to := range cmd.Copies {
		field := func(f string) string { return fmt.Sprintf("copies[%d].%s", i, f) }
		j := slices.IndexFunc(c.Group.People, func(m GroupMember) bool { return m.Name == to.Member })
		switch {
		case j < 0:
			fe.add(field("member"), "%q is not a member of the group", to.Member)
			continue
		case seen[to.Member]:
			fe.add(field("member"), "%q is listed twice", to.Member)
			continue
		}
		seen[to.Member] = true
		m := c.Group.People[j]
		switch to.Channel {
		case CopyByEmail:
			if m.Email == "" {
				fe.add(field("channel"), "%s gave no email address: send their copy by post", m.Name)
			}
		case CopyByPost:
			if m.Address == "" {
				fe.add(field("channel"), "%s gave no postal address: send their copy by email", m.Name)
			}
		default:
			fe.add(field("channel"), "must be email or post")
		}
		copies = append(copies, GroupCopy{Letter: cmd.Letter, SHA256: cmd.SHA256, Member: m.Name, Channel: to.Channel, SentAt: d.at})
	}
	if err := fe.err(); err != nil {
		return err
	}
	for _, g := range c.GroupCopies {
		if g.SHA256 == cmd.SHA256 && seen[g.Member] {
			return Errorf(Conflict, "%s was already sent a copy of this letter on %s", g.Member, g.SentAt.Format("2 January 2006"))
		}
	}
	d.next.GroupCopies = append(slices.Clone(c.GroupCopies), copies...)
	return nil
}

// GroupCopiesDue lists the members of the group who have not been sent a
// copy of the response letter with this SHA-256.
func (c *Case) GroupCopiesDue(sha string) []GroupMember {
	if c.Group == nil {
		return nil
	}
	var out []GroupMember
	for _, m := range c.Group.People {
		if !slices.ContainsFunc(c.GroupCopies, func(g GroupCopy) bool { return g.SHA256 == sha && g.Member == m.Name }) {
			out = append(out, m)
		}
	}
	return out
}

// RecordGroup records that a case is a group complaint or petition, or
// corrects its group: its name, its point of contact (003: "we will ask
// the group to nominate a single point of contact") and its members with
// how to reach each. It replaces the group whole; copies of responses
// already sent stay on record.
type RecordGroup struct {
	Group Group `json:"group"`
}

func (RecordGroup) event() EventKind { return EventGroupRecorded }

func (cmd RecordGroup) decide(d *decision) error {
	g := cmd.Group
	checkLine(d.fe, "group.name", g.Name, maxShort, true)
	checkLine(d.fe, "group.point_of_contact", g.PointOfContact, maxShort, true)
	if g.Members < 0 {
		d.fe.add("group.members", "is negative")
	}
	checkGroupMembers(d.fe, g)
	if err := d.fe.err(); err != nil {
		return err
	}
	next := trimGroup(&g)
	next.Members = max(next.Members, len(next.People))
	d.next.Group = next
	d.recorded = RecordGroup{Group: *next}
	return nil
}
