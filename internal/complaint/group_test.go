package complaint

import (
	"strings"
	"testing"
)

// Issue 19, item 6 (003: "Where we provide a written response we will
// make this available to all petitioners"): a group lists its members
// with how to reach each, and each copy of a response sent to them is
// recorded.

var petition = Group{Name: "Mill Lane residents", Members: 3, PointOfContact: "Ada Lovelace", People: []GroupMember{
	{Name: "Ada Lovelace", Email: "ada@example.org"},
	{Name: "Bo Chen", Address: "2 Mill Lane, ZZ1 1AA"},
	{Name: "Cy Dee", Email: "cy@example.org", Address: "3 Mill Lane"},
}}

func TestGroupMembersNeedANameAndAWayToReachThem(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	tests := []struct {
		name   string
		group  Group
		fields []string
	}{
		{"members with an email or an address", petition, nil},
		{"a member with neither", Group{Name: "G", PointOfContact: "Ada", People: []GroupMember{{Name: "Ada"}}}, []string{"group.people[0].email"}},
		{"a member without a name, a bad email and a count below the list", Group{Name: "G", PointOfContact: "Ada", Members: 1,
			People: []GroupMember{{Email: "not-an-email"}, {Name: "Bo", Address: "2 Mill Lane"}}},
			[]string{"group.people[0].name", "group.people[0].email", "group.members"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := validCreate()
			g := tt.group
			cmd.Group = &g
			c, _, err := NewCase(cmd, f.env)
			if tt.fields != nil {
				wantError(t, err, Invalid, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Group.People) != 3 || c.Group.People[1].Address != "2 Mill Lane, ZZ1 1AA" {
				t.Errorf("group = %+v", c.Group)
			}
		})
	}
}

func TestEveryCopyOfAResponseToAGroupIsRecordedOncePerMember(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	cmd := validCreate()
	g := petition
	cmd.Group = &g
	c := f.create(cmd, "2026-12-21 10:00")
	sha := strings.Repeat("ab", 32)
	all := []GroupCopyTo{{"Ada Lovelace", CopyByEmail}, {"Bo Chen", CopyByPost}, {"Cy Dee", CopyByEmail}}
	sent := f.must(c, "2026-12-22 10:00", officer, RecordGroupCopies{Letter: "stage1_response", SHA256: sha, Copies: all})
	tests := []struct {
		name   string
		c      Case
		cmd    RecordGroupCopies
		code   string
		fields []string
	}{
		{name: "a copy to each member, each by a way they gave", c: c, cmd: RecordGroupCopies{Letter: "stage1_response", SHA256: sha, Copies: all}},
		{name: "by email to a member with no email, by post to one with no address, to someone not a member, and twice", c: c,
			cmd: RecordGroupCopies{Letter: "stage1_response", SHA256: sha, Copies: []GroupCopyTo{
				{"Bo Chen", CopyByEmail}, {"Ada Lovelace", CopyByPost}, {"Zed", CopyByEmail}, {"Cy Dee", "fax"}, {"Cy Dee", CopyByPost}}},
			code: Invalid, fields: []string{"copies[0].channel", "copies[1].channel", "copies[2].member", "copies[3].channel", "copies[4].member"}},
		{name: "only a response letter", c: c, cmd: RecordGroupCopies{Letter: "acknowledgement", SHA256: sha, Copies: all},
			code: Invalid, fields: []string{"letter"}},
		{name: "a case with no members listed", c: f.received(), cmd: RecordGroupCopies{Letter: "stage1_response", SHA256: sha, Copies: all}, code: Conflict},
		{name: "the same letter to the same member twice", c: sent, cmd: RecordGroupCopies{Letter: "stage1_response", SHA256: sha, Copies: all[:1]}, code: Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, _, err := f.decide(tt.c, "2026-12-23 10:00", officer, tt.cmd)
			if tt.code != "" {
				wantError(t, err, tt.code, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(next.GroupCopies) != 3 || next.GroupCopies[1].Member != "Bo Chen" || next.GroupCopies[1].Channel != CopyByPost {
				t.Errorf("copies = %+v", next.GroupCopies)
			}
			if due := next.GroupCopiesDue(sha); len(due) != 0 {
				t.Errorf("still due: %+v", due)
			}
		})
	}
	if due := c.GroupCopiesDue(sha); len(due) != 3 {
		t.Errorf("before any copy, %d members are due one, want 3", len(due))
	}
}

func TestAGroupIsRecordedOnACaseWithEveryMemberChecked(t *testing.T) {
	f := newFixture(t, "feedback-policy-2018")
	c := f.received()
	tests := []struct {
		name   string
		group  Group
		fields []string
	}{
		{"a petition with its members", Group{Name: " Mill Lane residents ", PointOfContact: "Ada Lovelace", People: petition.People}, nil},
		{"no name, no point of contact, a member unreachable", Group{People: []GroupMember{{Name: "Bo"}}},
			[]string{"group.name", "group.point_of_contact", "group.people[0].email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ev, err := f.decide(c, "2026-12-22 10:00", officer, RecordGroup{Group: tt.group})
			if tt.fields != nil {
				wantError(t, err, Invalid, tt.fields...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := next.Group; g == nil || g.Name != "Mill Lane residents" || g.Members != 3 || len(g.People) != 3 {
				t.Errorf("group = %+v", next.Group)
			}
			if ev.Kind != EventGroupRecorded {
				t.Errorf("event %s", ev.Kind)
			}
		})
	}
}
