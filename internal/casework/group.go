package casework

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// SendGroupCopies sends a copy of the current stage's written response,
// as issued to the group's point of contact, to every member of the
// case's group who has not yet had one, and records each copy on the case
// (complaint.RecordGroupCopies): by email where the member gave one, and
// otherwise by post, which the person sending prints and posts (003: "we
// will ask the group to nominate a single point of contact ... Where we
// provide a written response we will make this available to all
// petitioners").
//
// Each copy is one record per member under the one letter, rather than a
// letter issued per member: the response is one letter, its hash on the
// audit chain, and the members each get that letter's words. The email
// copies carry the body only, not the PDF, whose address block is the
// point of contact's: "telling only those who need to know" (003).
//
// The emails are queued first, each under a key made of the letter's hash
// and the member's address, so that a retry after a failure between the
// two steps sends nothing twice; then the copies are recorded.
func (s *Service) SendGroupCopies(ctx context.Context, u store.User, ref string, ifVersion int) (complaint.Case, error) {
	c, err := s.visible(ctx, u, ref)
	if err != nil {
		return c, err
	}
	if c.Group == nil || len(c.Group.People) == 0 {
		return c, complaint.Errorf(complaint.Conflict, "%s lists no group members: record the group's members first", c.Reference)
	}
	ls, err := s.Store.Letters(ctx, c.Reference)
	if err != nil {
		return c, err
	}
	kind := complaint.ResponseLetterKind(c.Stage)
	var l *store.Letter
	for i := range ls {
		if ls[i].Kind == kind && ls[i].Stage == c.Stage {
			l = &ls[i]
		}
	}
	if l == nil {
		return c, complaint.Errorf(complaint.Conflict, "the stage %d response has not been issued: issue it to the point of contact first", c.Stage)
	}
	due := c.GroupCopiesDue(l.SHA256)
	if len(due) == 0 {
		return c, complaint.Errorf(complaint.Conflict, "every member of %s already has a copy of the stage %d response", c.Group.Name, c.Stage)
	}
	var copies []complaint.GroupCopyTo
	for _, m := range due {
		if m.Email == "" {
			copies = append(copies, complaint.GroupCopyTo{Member: m.Name, Channel: complaint.CopyByPost})
			continue
		}
		msg := store.OutboundMessage{
			CaseRef: c.Reference, To: (&mail.Address{Name: m.Name, Address: m.Email}).String(),
			Subject:  fmt.Sprintf("A copy of our response to %s (%s)", c.Group.Name, c.Reference),
			TextBody: groupCopyText(c, m, *l), Kind: "group_copy",
			DedupeKey: "group_copy:" + l.SHA256 + ":" + strings.ToLower(m.Email),
		}
		if _, err := s.Store.Enqueue(ctx, msg, s.Now()); err != nil {
			return c, err
		}
		copies = append(copies, complaint.GroupCopyTo{Member: m.Name, Channel: complaint.CopyByEmail})
	}
	next, err := s.Apply(ctx, u, c.Reference, ifVersion, time.Time{}, complaint.RecordGroupCopies{Letter: kind, SHA256: l.SHA256, Copies: copies})
	if err != nil {
		return next, err
	}
	s.Log.Info("group copies sent", "reference", c.Reference, "copies", len(copies), "user_id", u.ID)
	return next, nil
}

// groupCopyText is the email a member of a group gets: who it is for,
// why, and the response's words.
func groupCopyText(c complaint.Case, m complaint.GroupMember, l store.Letter) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", m.Name)
	fmt.Fprintf(&b, "You are a member of %s. Below is a copy of our written response to the group's complaint (reference %s), which we have sent to %s, the group's point of contact. We promised to make our written response available to every member of the group.\n\n", c.Group.Name, c.Reference, c.Group.PointOfContact)
	b.WriteString("----\n\n")
	b.WriteString(l.Body)
	b.WriteString("\n")
	return b.String()
}
