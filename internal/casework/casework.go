// Package casework is what every surface of Redress does with a case on
// a person's behalf: find it as they may see it, log a new contact, and
// apply a command in one transaction. The JSON API and the staff pages
// both call it, so the confidentiality rule, the audit of confidential
// views and the wiring of the rules to storage exist once.
package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/store"
	"github.com/redresshq/redress/internal/tenancy"
)

// Store is what case work needs of storage: cases to find, list, create
// and change (each change and its event in one transaction, as
// store.Decision says), their events, the letters and files that come
// with a change, what a letter is drafted from (the letterhead, the
// landlord's templates and the case's tracking code), and one look-up of
// a user, to check that a line manager a case names can sign in. Nothing
// else: the reports, sign-in and the residents' pages are other
// packages' work, so everything case work can read or change is named
// here, and a store for its tests need have only these. store.Store (the
// SQLite and PostgreSQL stores) satisfies it.
type Store interface {
	GetCase(ctx context.Context, ref string) (complaint.Case, error)
	ListCases(ctx context.Context, f store.CaseFilter) ([]complaint.Case, string, error)
	CaseEvents(ctx context.Context, ref string) ([]complaint.Event, error)
	CreateCase(ctx context.Context, decide func(ref store.NewReference) (complaint.Case, complaint.Event, error)) (complaint.Case, error)
	UpdateCase(ctx context.Context, ref string, ifVersion int, decide store.Decision) (complaint.Case, error)
	IssueLetter(ctx context.Context, ref string, ifVersion int, decide store.Decision, l store.Letter, mail *store.OutboundMessage) (complaint.Case, store.Letter, error)
	AddInformation(ctx context.Context, ref string, ifVersion int, decide store.Decision, files []store.Attachment) (complaint.Case, []store.Attachment, error)
	Letters(ctx context.Context, ref string) ([]store.Letter, error)
	Letterhead(ctx context.Context) (store.Letterhead, bool, error)
	LetterTemplates(ctx context.Context) (map[string]store.LetterTemplate, error)
	// TrackingCode is store.TrackingStore's; the rest of that interface
	// is the residents' pages', which check codes and send links.
	TrackingCode(ctx context.Context, ref string, at time.Time) (string, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	// Picklist is store.PicklistStore's, to check a new case's service
	// area and categories against the lists managers keep.
	Picklist(ctx context.Context, list string) ([]store.PicklistEntry, error)
	// Enqueue is store.Outbox's, for the copies of a response a group's
	// members are emailed (SendGroupCopies).
	Enqueue(ctx context.Context, m store.OutboundMessage, at time.Time) (int64, error)
	// GetTenancy, TenancyCandidates and SearchRegister are
	// store.RegisterStore's, for matching a case to its tenancy
	// (tenancy.go); importing the register is the admin's, not case
	// work's.
	GetTenancy(ctx context.Context, ref string) (tenancy.Tenancy, tenancy.Home, error)
	TenancyCandidates(ctx context.Context, p complaint.Person) ([]tenancy.Candidate, error)
	SearchRegister(ctx context.Context, q string, limit int) ([]tenancy.Candidate, error)
}

// Service does case work against a store under a policy.
type Service struct {
	Store    Store
	Policy   *policy.Policy
	Calendar *calendar.Calendar
	Log      *slog.Logger
	Now      func() time.Time
	// ServiceName is the landlord's name for the service: letters are
	// headed with it until an admin sets a letterhead.
	ServiceName string
}

func (s *Service) env(u store.User, at time.Time, ref store.NewReference) complaint.Env {
	return complaint.Env{
		Now: s.Now(), At: at, Actor: complaint.Actor{Email: u.Email, Role: u.Role},
		Policy: s.Policy, Calendar: s.Calendar, NewReference: ref,
	}
}

// Load returns the case known by ref if u may see it. A confidential case
// is "not found" to anyone else, so its existence does not leak, and
// every view of one is logged. The case's links name only the cases u
// may see (see hideLinks).
func (s *Service) Load(ctx context.Context, u store.User, ref string) (complaint.Case, error) {
	c, err := s.visible(ctx, u, ref)
	if err != nil {
		return c, err
	}
	if c.Confidential {
		s.Log.Info("confidential case viewed", "reference", c.Reference, "user_id", u.ID)
	}
	if err := s.newLinkFilter(u).hideLinks(ctx, &c); err != nil {
		return complaint.Case{}, err
	}
	return c, nil
}

// namedOnly is the policy's confidential-case setting: whether a
// confidential case is kept to the people it names, so that managers it
// does not name do not see it (greatwell-homes, 002).
func (s *Service) namedOnly() bool {
	return s.Policy != nil && s.Policy.Confidential.NamedViewersOnly
}

// canSee is auth.CanSee for u under the policy: the one rule for one case.
func (s *Service) canSee(u store.User, c *complaint.Case) bool {
	return auth.CanSee(auth.Role(u.Role), u.Email, s.namedOnly(), c)
}

// Viewer is u as the store's lists, counts and searches need them for the
// confidential-case rule, under the policy: the same rule as canSee, so
// that a case u cannot open is in none of u's lists or figures either.
func (s *Service) Viewer(u store.User) store.Viewer {
	return store.Viewer{Email: u.Email, AllConfidential: auth.Role(u.Role).SeesAllConfidential(s.namedOnly())}
}

// List returns one page of the cases u may see that match f, and the
// cursor of the next, each case's links naming only cases u may see.
// The filter's viewer is always u.
func (s *Service) List(ctx context.Context, u store.User, f store.CaseFilter) ([]complaint.Case, string, error) {
	f.Viewer = s.Viewer(u)
	cases, next, err := s.Store.ListCases(ctx, f)
	if err != nil {
		return nil, "", err
	}
	lf := s.newLinkFilter(u)
	for i := range cases {
		if err := lf.hideLinks(ctx, &cases[i]); err != nil {
			return nil, "", err
		}
	}
	return cases, next, nil
}

// Events returns the audit trail of c, a case u may see, with the
// reference of every linked case u may not see withheld: a "linked"
// event's data then holds only "withheld", saying why, in place of the
// reference. The event keeps its hashes, which cover what was recorded,
// so a withheld event no longer verifies against them; it is withheld,
// not changed, and those who may see the linked case see it whole.
func (s *Service) Events(ctx context.Context, u store.User, c complaint.Case) ([]complaint.Event, error) {
	evs, err := s.Store.CaseEvents(ctx, c.Reference)
	if err != nil {
		return nil, err
	}
	lf := s.newLinkFilter(u)
	for i, ev := range evs {
		if ev.Kind != complaint.EventLinked {
			continue
		}
		var l complaint.Link
		raw, ok := ev.Data.(json.RawMessage)
		if !ok {
			raw, _ = json.Marshal(ev.Data)
		}
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, fmt.Errorf("linked event %d of %s: %w", ev.Seq, c.Reference, err)
		}
		ok, err := lf.canSee(ctx, l.Reference)
		if err != nil {
			return nil, err
		}
		if !ok {
			evs[i].Data = json.RawMessage(withheldLink)
		}
	}
	return evs, nil
}

// HideLinks leaves in c.Links only the cases u may see, for a surface
// that shows a case it read some other way than Load (after a failed
// command, the latest case as stored).
func (s *Service) HideLinks(ctx context.Context, u store.User, c *complaint.Case) error {
	return s.newLinkFilter(u).hideLinks(ctx, c)
}

// withheldLink is a "linked" event's data when the linked case is one
// the reader may not see.
const withheldLink = `{"withheld":"the linked case is confidential and you may not see it"}`

// linkFilter decides which linked cases one person may see, asking the
// store once for each case however often it is linked.
type linkFilter struct {
	s    *Service
	u    store.User
	seen map[string]bool
}

func (s *Service) newLinkFilter(u store.User) *linkFilter {
	return &linkFilter{s: s, u: u, seen: map[string]bool{}}
}

// canSee reports whether the person may see the case known by ref. A
// linked case that is no longer there is not shown either.
func (f *linkFilter) canSee(ctx context.Context, ref string) (bool, error) {
	if ok, done := f.seen[ref]; done {
		return ok, nil
	}
	c, err := f.s.Store.GetCase(ctx, ref)
	ok := false
	switch {
	case complaint.ErrorCode(err) == complaint.NotFound:
	case err != nil:
		return false, err
	default:
		ok = f.s.canSee(f.u, &c)
	}
	f.seen[ref] = ok
	return ok, nil
}

// hideLinks leaves in c.Links only the cases the person may see. A case
// a person may see can be linked to a confidential one they may not
// (a complaint about a repair and a confidential complaint about the
// officer who did it); its reference, shown as a link, would tell them
// that the confidential case exists and what it is called.
func (f *linkFilter) hideLinks(ctx context.Context, c *complaint.Case) error {
	kept := make([]string, 0, len(c.Links))
	for _, ref := range c.Links {
		ok, err := f.canSee(ctx, ref)
		if err != nil {
			return err
		}
		if ok {
			kept = append(kept, ref)
		}
	}
	c.Links = kept
	return nil
}

// visible returns the case if u may see it, or not_found.
func (s *Service) visible(ctx context.Context, u store.User, ref string) (complaint.Case, error) {
	c, err := s.Store.GetCase(ctx, ref)
	if err != nil {
		return c, err
	}
	if !s.canSee(u, &c) {
		return complaint.Case{}, complaint.Errorf(complaint.NotFound, "there is no case %s", ref)
	}
	return c, nil
}

// Create logs a new contact as u.
func (s *Service) Create(ctx context.Context, u store.User, cmd complaint.Create) (complaint.Case, error) {
	return s.create(ctx, u, cmd)
}

// create is Create keeping the values in keep whether or not the lists
// offer them: a complaint opened from a service request keeps the
// request's service area and categories, which were chosen when it was
// logged (issue 22: a case's existing value is kept).
func (s *Service) create(ctx context.Context, u store.User, cmd complaint.Create, keep ...string) (complaint.Case, error) {
	if err := s.checkLineManager(ctx, cmd.LineManager); err != nil {
		return complaint.Case{}, err
	}
	// Service areas and categories come from the lists managers keep
	// (store.PicklistStore), so that a theme is not split by a new
	// spelling; a list not yet kept takes any value.
	var err error
	if cmd.ServiceArea, cmd.Categories, err = store.CheckListed(ctx, s.Store, cmd.ServiceArea, cmd.Categories, keep...); err != nil {
		return complaint.Case{}, err
	}
	return s.Store.CreateCase(ctx, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, s.env(u, time.Time{}, ref))
	})
}

// listedDetails checks a correction's service area and categories
// against the lists, as Create does, except that the case's own values
// are kept whether or not the lists still offer them.
func (s *Service) listedDetails(ctx context.Context, c complaint.Case, d complaint.EditDetails) (complaint.Command, error) {
	keep := append([]string{c.ServiceArea}, c.Categories...)
	area := ""
	if d.ServiceArea != nil {
		area = *d.ServiceArea
	}
	var cats []string
	if d.Categories != nil {
		cats = *d.Categories
	}
	area, cats, err := store.CheckListed(ctx, s.Store, area, cats, keep...)
	if err != nil {
		return nil, err
	}
	if d.ServiceArea != nil {
		d.ServiceArea = &area
	}
	if d.Categories != nil {
		d.Categories = &cats
	}
	return d, nil
}

// Apply gives cmd to the case ref as u, dated at (zero: now), in one
// transaction. Converting a service request opens a complaint beside it
// instead (see complaintBeside) and returns the complaint, as logging an
// additional complaint returns the new one (additionalComplaint).
// ifVersion is the version u last saw (0: do not check);
// if the case has changed since, nothing is changed and the error is
// complaint.Stale. A command is not a view: the audit trail records it,
// so it adds no "viewed" log line. Visibility is checked before the
// version, so a stale version never reveals that a hidden case exists.
// The case returned links only to cases u may see, as Load's does; the
// command itself is decided on the case as stored.
func (s *Service) Apply(ctx context.Context, u store.User, ref string, ifVersion int, at time.Time, cmd complaint.Command) (complaint.Case, error) {
	seen, err := s.visible(ctx, u, ref)
	if err != nil {
		return complaint.Case{}, err
	}
	if d, ok := cmd.(complaint.EditDetails); ok && d.LineManager != nil {
		if err := s.checkLineManager(ctx, *d.LineManager); err != nil {
			return complaint.Case{}, err
		}
	}
	if d, ok := cmd.(complaint.EditDetails); ok && (d.ServiceArea != nil || d.Categories != nil) {
		if cmd, err = s.listedDetails(ctx, seen, d); err != nil {
			return complaint.Case{}, err
		}
	}
	if ct, ok := cmd.(complaint.ConfirmTenancy); ok {
		if cmd, err = s.tenancyFromRegister(ctx, seen, ct); err != nil {
			return complaint.Case{}, err
		}
	}
	if conv, ok := cmd.(complaint.Convert); ok && seen.Kind == complaint.KindServiceRequest {
		return s.complaintBeside(ctx, u, seen, ifVersion, at, conv)
	}
	if add, ok := cmd.(complaint.LogAdditionalComplaint); ok {
		return s.additionalComplaint(ctx, u, seen, ifVersion, at, add)
	}
	inForce, err := s.refusalEnv(ctx, seen, cmd) // restrictions.go
	if err != nil {
		return complaint.Case{}, err
	}
	c, err := s.Store.UpdateCase(ctx, ref, ifVersion, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		env := s.env(u, at, nr)
		env.RestrictionInForce = inForce
		return complaint.Decide(c, cmd, env)
	})
	if err != nil {
		return c, err
	}
	if err := s.newLinkFilter(u).hideLinks(ctx, &c); err != nil {
		return complaint.Case{}, err
	}
	return c, nil
}

// checkLineManager refuses a line manager who is not a user: the case
// names them as someone who may see it, so they must be able to sign in
// to. An email the rules will refuse anyway is left to them, to be
// reported with every other bad field.
func (s *Service) checkLineManager(ctx context.Context, email string) error {
	e := strings.TrimSpace(email)
	if e == "" || !complaint.ValidEmail(e) {
		return nil
	}
	_, err := s.Store.UserByEmail(ctx, e)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return complaint.InvalidField("line_manager", "%q is not the email of any user of Redress: name the line manager by the email they sign in with", e)
	}
	return err
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

// SendEvidencePack records the evidence pack the caller built as sent to
// the Ombudsman and keeps that copy with the case's files, in one
// transaction, so that what was sent can be shown byte for byte and its
// hash is Redress's, not one typed in (002 §2.6).
func (s *Service) SendEvidencePack(ctx context.Context, u store.User, ref string, ifVersion int, cmd complaint.SendOmbudsmanEvidence, name string, zip []byte) (complaint.Case, error) {
	if _, err := s.visible(ctx, u, ref); err != nil {
		return complaint.Case{}, err
	}
	sum := sha256.Sum256(zip)
	file := store.Attachment{Name: name, ContentType: "application/zip", Data: zip, SHA256: hex.EncodeToString(sum[:]),
		Source: "staff", AddedAt: s.Now(), AddedBy: u.Email}
	cmd.Pack = &complaint.AttachmentRef{Name: file.Name, SHA256: file.SHA256, Size: int64(len(zip))}
	c, _, err := s.Store.AddInformation(ctx, ref, ifVersion, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.Decide(c, cmd, s.env(u, time.Time{}, nr))
	}, []store.Attachment{file})
	return c, err
}
