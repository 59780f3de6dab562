package letters

import (
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// groupCopies reports whether a letter of the kind goes, in copy, to
// every member of the case's group: a stage response, on a case that
// lists its members, under a policy that makes written responses
// "available to all petitioners" (003).
func groupCopies(k Kind, c *complaint.Case, p *policy.Policy) bool {
	return (k == Stage1Response || k == Stage2Response) && c.Group != nil && len(c.Group.People) > 0 && p.Groups.RespondToEveryMember
}

// checkGroup requires a response to a group that is copied to every
// member to say so, so that the point of contact knows the others have
// it, and each member reading their copy knows it is the group's.
func (c *checker) checkGroup(kind Kind, d Data) {
	if d.GroupCopies && (kind == Stage1Response || kind == Stage2Response) && !c.has("every member") {
		c.missing("group_copies", "the letter does not say that a copy goes to every member of %s, as our policy promises", d.Group)
	}
}
