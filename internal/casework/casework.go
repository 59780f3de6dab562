// Package casework is what every surface of Redress does with a case on
// a person's behalf: find it as they may see it, log a new contact, and
// apply a command in one transaction. The JSON API and the staff pages
// both call it, so the confidentiality rule, the audit of confidential
// views and the wiring of the rules to storage exist once.
package casework

import (
	"context"
	"log/slog"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
)

// Service does case work against a store under a policy.
type Service struct {
	Store    store.Store
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger
	Now      func() time.Time
}

func (s *Service) env(u store.User, at time.Time, ref store.NewReference) complaint.Env {
	return complaint.Env{
		Now: s.Now(), At: at, Actor: complaint.Actor{Email: u.Email, Role: u.Role},
		Policy: s.Policy, Calendar: s.Calendar, NewReference: ref,
	}
}

// Load returns the case known by ref if u may see it. A confidential case
// is "not found" to anyone else, so its existence does not leak, and
// every view of one is logged.
func (s *Service) Load(ctx context.Context, u store.User, ref string) (complaint.Case, error) {
	c, err := s.visible(ctx, u, ref)
	if err == nil && c.Confidential {
		s.Log.Info("confidential case viewed", "reference", c.Reference, "user_id", u.ID)
	}
	return c, err
}

// visible returns the case if u may see it, or not_found.
func (s *Service) visible(ctx context.Context, u store.User, ref string) (complaint.Case, error) {
	c, err := s.Store.GetCase(ctx, ref)
	if err != nil {
		return c, err
	}
	if !auth.CanSee(auth.Role(u.Role), u.Email, &c) {
		return complaint.Case{}, complaint.Errorf(complaint.NotFound, "there is no case %s", ref)
	}
	return c, nil
}

// Create logs a new contact as u.
func (s *Service) Create(ctx context.Context, u store.User, cmd complaint.Create) (complaint.Case, error) {
	return s.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, s.env(u, time.Time{}, ref))
	})
}

// Apply gives cmd to the case ref as u, dated at (zero: now), in one
// transaction. ifVersion is the version u last saw (0: do not check);
// if the case has changed since, nothing is changed and the error is
// complaint.Stale. A command is not a view: the audit trail records it,
// so it adds no "viewed" log line. Visibility is checked before the
// version, so a stale version never reveals that a hidden case exists.
func (s *Service) Apply(ctx context.Context, u store.User, ref string, ifVersion int, at time.Time, cmd complaint.Command) (complaint.Case, error) {
	if _, err := s.visible(ctx, u, ref); err != nil {
		return complaint.Case{}, err
	}
	return s.Store.UpdateCase(ctx, ref, ifVersion, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, s.env(u, at, nr))
	})
}

// IssueLetter records a letter as issued on the case the person may see:
// the letter_issued event with the PDF's hash, the letter itself, and its
// email if it goes by email, in one transaction.
func (s *Service) IssueLetter(ctx context.Context, u store.User, ref string, ifVersion int, l store.Letter, mail *store.OutboundMessage) (complaint.Case, store.Letter, error) {
	if _, err := s.visible(ctx, u, ref); err != nil {
		return complaint.Case{}, l, err
	}
	cmd := complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}
	return s.Store.IssueLetter(ctx, ref, ifVersion, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, s.env(u, l.IssuedAt, nr))
	}, l, mail)
}

// Receive records information sent about a case from outside: by the
// resident through their pages, or by email. The caller has established
// who sent it (the resident proved the case is theirs, or the message was
// matched to the case by its reference); actor names them on the record.
// The files are stored with the case in the same transaction as the event.
func (s *Service) Receive(ctx context.Context, actor complaint.Actor, ref string, at time.Time, info complaint.AddInformation, files []attach.File) (complaint.Case, error) {
	info.Attachments = nil
	stored := make([]store.Attachment, len(files))
	for i, f := range files {
		info.Attachments = append(info.Attachments, f.Ref())
		stored[i] = store.Attachment{Name: f.Name, ContentType: f.ContentType, Data: f.Data, SHA256: f.SHA256,
			Source: info.Source, AddedAt: at, AddedBy: actor.Email}
	}
	c, _, err := s.Store.AddInformation(ctx, ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		env := s.env(store.User{Email: actor.Email, Role: actor.Role}, at, nr)
		return complaint.Decide(c, info, env)
	}, stored)
	return c, err
}
