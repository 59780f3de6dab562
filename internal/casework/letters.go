package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Letters: a person picks a kind of letter the case calls for, gets a
// draft filled from the case, edits it, checks and previews it, and
// issues it. Issuing stores the exact PDF with its hash, records the
// letter on the case's audit chain, and queues the email (if it goes by
// email) in the same transaction; an issued letter never changes. The
// staff pages and the JSON API both write letters through what follows,
// so a letter issued either way is checked against the Code and kept the
// same way.

// defaultServiceName names the service on a letterhead when neither an
// admin nor the configuration has named it, so that a letter always says
// who it is from.
const defaultServiceName = "Complaints"

// Letterhead returns the landlord's letterhead, or one made of the
// service's name until an admin sets it, so that letters can be written
// from the first day.
func (s *Service) Letterhead(ctx context.Context) (letters.Letterhead, error) {
	lh, ok, err := s.Store.Letterhead(ctx)
	if err != nil {
		return letters.Letterhead{}, err
	}
	if !ok {
		name := s.ServiceName
		if name == "" {
			name = defaultServiceName
		}
		return letters.Letterhead{Name: name}, nil
	}
	return letters.Letterhead{Name: lh.Name, Address: lh.Address, Contact: lh.Contact, Logo: lh.Logo}, nil
}

// LetterTemplate returns the landlord's own wording for the kind, or nil
// for the built-in one. Wording that no longer parses (a template saved
// before a rule it breaks existed) is a conflict an admin must resolve,
// not a reason to fall back silently to other words.
func (s *Service) LetterTemplate(ctx context.Context, kind letters.Kind) (*letters.Template, error) {
	ts, err := s.Store.LetterTemplates(ctx)
	if err != nil {
		return nil, err
	}
	t, ok := ts[string(kind)]
	if !ok {
		return nil, nil
	}
	tmpl, err := letters.ParseTemplate(kind, t.Source)
	if err != nil {
		return nil, complaint.Errorf(complaint.Conflict, "the landlord's wording for the %s no longer works (%v); an admin must correct it under Letters", kind.Title(), err)
	}
	return tmpl, nil
}

// TrackingCode is the case's tracking code as people read it, made the
// first time it is needed. Staff read it to a resident without email who
// rings to follow their case online, and the acknowledgement letter
// prints it (see store.TrackingStore and the residents' pages).
func (s *Service) TrackingCode(ctx context.Context, c complaint.Case) (string, error) {
	code, err := s.Store.TrackingCode(ctx, c.Reference, s.Now())
	if err != nil {
		return "", err
	}
	return store.FormatTrackingCode(code), nil
}

// LetterDraft is a letter being written and the letterhead it is printed
// under. It is made afresh from the case for every step (draft, check,
// preview, issue), so the data a letter is checked against always comes
// from the case as it is now, never from what a client sent back.
type LetterDraft struct {
	Letter     letters.Letter
	Letterhead letters.Letterhead
}

// DraftLetter fills a letter of the kind from the case c, which the
// caller has loaded as the person may see it, with the landlord's
// letterhead, its wording for the kind and the case's tracking code. A
// kind the case's position does not call for is a conflict.
func (s *Service) DraftLetter(ctx context.Context, c complaint.Case, kind letters.Kind) (LetterDraft, error) {
	lh, err := s.Letterhead(ctx)
	if err != nil {
		return LetterDraft{Letterhead: lh}, err
	}
	tmpl, err := s.LetterTemplate(ctx, kind)
	if err != nil {
		return LetterDraft{Letterhead: lh}, err
	}
	code, err := s.TrackingCode(ctx, c)
	if err != nil {
		return LetterDraft{Letterhead: lh}, err
	}
	l, err := letters.DraftWith(kind, c, letters.Options{TrackingCode: code}, s.Policy, s.Calendar, lh, tmpl, calendar.DateOf(s.Now()))
	return LetterDraft{Letter: l, Letterhead: lh}, err
}

// LetterEdits are a person's changes to a draft. A nil field keeps what
// the draft says, so an API client may issue the draft as drafted; the
// staff pages send every field, as their form always holds them all.
type LetterEdits struct {
	Body           *string
	Address        *[]string
	LargePrint     *bool
	PlainTextEmail *bool
}

// EditedDraft drafts a letter of the kind named by kind (a field error
// on "kind" if it is no kind of letter) from c and applies the edits.
func (s *Service) EditedDraft(ctx context.Context, c complaint.Case, kind string, e LetterEdits) (LetterDraft, error) {
	k, err := letters.ParseKind(kind)
	if err != nil {
		return LetterDraft{}, complaint.InvalidField("kind", "%v", err)
	}
	d, err := s.DraftLetter(ctx, c, k)
	if err != nil {
		return d, err
	}
	d.Edit(e)
	return d, nil
}

// Edit applies the edits to the draft. Line endings are made "\n", as a
// browser's textarea sends "\r\n", so the same words check and render
// the same whichever surface sent them.
func (d *LetterDraft) Edit(e LetterEdits) {
	if e.Body != nil {
		d.Letter.Body = strings.ReplaceAll(*e.Body, "\r\n", "\n")
	}
	if e.Address != nil {
		d.Letter.Recipient.Address = *e.Address
	}
	if e.LargePrint != nil {
		d.Letter.LargePrint = *e.LargePrint
	}
	if e.PlainTextEmail != nil {
		d.Letter.PlainTextEmail = *e.PlainTextEmail
	}
}

// Missing is what the Code requires of the letter that its body leaves
// out, and what the case itself still lacks; nil means it may be issued.
func (d LetterDraft) Missing() []letters.Missing {
	return letters.Check(d.Letter.Kind, d.Letter.Data, d.Letter.Body)
}

// Render prints the draft as a PDF. A body that cannot be printed is the
// writer's to correct, so it is a field error on "body".
func (d LetterDraft) Render() ([]byte, error) {
	pdf, err := letters.Render(d.Letter, d.Letterhead)
	if err != nil {
		return nil, complaint.InvalidField("body", "the letter cannot be printed: %v", err)
	}
	return pdf, nil
}

// The channels a letter is issued by.
const (
	ChannelEmail = "email"
	ChannelPrint = "print"
)

// LetterProblem is one reason a letter was not issued, naming the field
// at fault: body, channel or address.
type LetterProblem struct {
	Field string
	// Message is a sentence in lower case, for a surface to capitalise
	// or to put after the field's name.
	Message string
}

// LetterRefused is why a letter was not issued: Missing is what the Code
// requires that the body leaves out (as letters.Check gives it), and
// Problems the other faults, with how it is to be sent or printed. It
// unwraps to the API's one error model, an invalid-input error naming
// each field.
type LetterRefused struct {
	Missing  []letters.Missing
	Problems []LetterProblem
}

// All is every reason, in the order a reader meets them: each thing the
// body leaves out, as a problem with the body, then the rest. The staff
// pages list each one.
func (e *LetterRefused) All() []LetterProblem {
	out := make([]LetterProblem, 0, len(e.Missing)+len(e.Problems))
	for _, m := range e.Missing {
		out = append(out, LetterProblem{"body", m.Message})
	}
	return append(out, e.Problems...)
}

func (e *LetterRefused) Error() string { return e.Unwrap().Error() }

// Unwrap is the refusal as a complaint.Error, each field's problems
// joined, so that surfaces which know nothing of letters report it as
// they report any invalid input.
func (e *LetterRefused) Unwrap() error {
	fields := map[string]string{}
	var missing []string
	for _, m := range e.Missing {
		missing = append(missing, m.Message)
	}
	if len(missing) > 0 {
		fields["body"] = "leaves out what the Code requires: " + strings.Join(missing, "; ")
	}
	for _, p := range e.Problems {
		if old, ok := fields[p.Field]; ok {
			fields[p.Field] = old + "; " + p.Message
		} else {
			fields[p.Field] = p.Message
		}
	}
	msg := "the request has invalid fields"
	if len(missing) > 0 {
		msg = "the letter cannot be issued: it leaves out what the Code requires"
	}
	return &complaint.Error{Code: complaint.Invalid, Message: msg, Fields: fields}
}

// IssueDraft issues the draft of a letter about c (a case u may see) by
// channel, "email" or "print", if nothing the Code requires is missing
// and it can go that way: the PDF, its hash, the letter as stored and
// its email if it goes by email are recorded together by IssueLetter.
// Anything missing, a bad channel or no address to send it to is a
// *LetterRefused and stores nothing. ifVersion is the version of the
// case u last saw (0: do not check).
func (s *Service) IssueDraft(ctx context.Context, u store.User, c complaint.Case, d LetterDraft, channel string, ifVersion int) (complaint.Case, store.Letter, error) {
	l := d.Letter
	refused := &LetterRefused{Missing: d.Missing()}
	switch {
	case channel != ChannelEmail && channel != ChannelPrint:
		refused.Problems = append(refused.Problems, LetterProblem{"channel", "choose whether the letter goes by email or by post"})
	case channel == ChannelEmail && l.Recipient.Email == "":
		refused.Problems = append(refused.Problems, LetterProblem{"channel", "there is no email address on the case: send it by post"})
	case channel == ChannelPrint && len(l.Recipient.Address) == 0:
		refused.Problems = append(refused.Problems, LetterProblem{"address", "enter the postal address the letter goes to"})
	}
	var pdf []byte
	if len(refused.Missing) == 0 && len(refused.Problems) == 0 {
		var err error
		if pdf, err = letters.Render(l, d.Letterhead); err != nil {
			refused.Problems = append(refused.Problems, LetterProblem{"body", "the letter cannot be printed: " + err.Error()})
		}
	}
	if len(refused.Missing) > 0 || len(refused.Problems) > 0 {
		return c, store.Letter{}, refused
	}
	sum := sha256.Sum256(pdf)
	hash := hex.EncodeToString(sum[:])
	issued := store.Letter{Kind: string(l.Kind), Title: l.Kind.Title(), Stage: c.Stage, IssuedAt: s.Now(), IssuedBy: u.Email,
		Channel: channel, Recipient: l.Recipient.Name, Subject: l.Subject, Body: l.Body, PDF: pdf, SHA256: hash, LargePrint: l.LargePrint}
	var mail *store.OutboundMessage
	if channel == ChannelEmail {
		mail = &store.OutboundMessage{To: l.Recipient.Email, Subject: l.Subject + " (" + l.Reference + ")", TextBody: letters.EmailText(l),
			Kind: "letter", DedupeKey: "letter:" + hash}
		if !l.PlainTextEmail {
			mail.Attachments = []store.OutboundAttachment{{Name: fmt.Sprintf("%s-%s.pdf", l.Reference, l.Kind), ContentType: "application/pdf", Data: pdf}}
		}
	}
	after, stored, err := s.IssueLetter(ctx, u, c.Reference, ifVersion, issued, mail)
	if err != nil {
		return after, stored, err
	}
	s.Log.Info("letter issued", "reference", c.Reference, "kind", string(l.Kind), "channel", channel, "user_id", u.ID)
	return after, stored, nil
}
