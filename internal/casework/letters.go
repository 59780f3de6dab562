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
	// Reissue is the person's reason and confirmation for sending again
	// a letter of a kind already issued at the stage; the zero value
	// asks for a first issue, which IssueDraft refuses for a kind that
	// has gone, so a resident is never sent a duplicate by accident.
	Reissue Reissue
}

// Reissue is what sending a letter again takes: a reason, kept with the
// letter and on the audit trail, and an explicit confirmation, so that
// neither a reason typed in passing nor a ticked box alone sends a second
// copy. Either without the other is refused.
type Reissue struct {
	Reason    string
	Confirmed bool
}

// asked reports whether the person asked for a reissue at all.
func (r Reissue) asked() bool { return strings.TrimSpace(r.Reason) != "" || r.Confirmed }

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
// at fault: body, channel, address, or reissue_reason and
// confirm_reissue when the kind was already issued at the stage.
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
	// Issued is the letter of the kind already issued at the stage, when
	// a reason is wanted for sending it again: its problems are then on
	// reissue_reason and confirm_reissue, and a refusal for that alone is
	// a conflict with what the case holds rather than bad input.
	Issued *store.Letter
}

// The fields a reissue's problems name, as the API and the pages' form
// spell them.
const (
	FieldReissueReason  = "reissue_reason"
	FieldConfirmReissue = "confirm_reissue"
)

// onlyReissue reports whether the refusal is only that the letter was
// already issued: everything else about it would go.
func (e *LetterRefused) onlyReissue() bool {
	if e.Issued == nil || len(e.Missing) > 0 {
		return false
	}
	for _, p := range e.Problems {
		if p.Field != FieldReissueReason && p.Field != FieldConfirmReissue {
			return false
		}
	}
	return true
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
	if e.onlyReissue() {
		return &complaint.Error{Code: complaint.Conflict, Fields: fields, Message: fmt.Sprintf(
			"the %s was already issued at this stage on %s by %s: give a reason for sending it again and confirm it, or do not send it",
			e.Issued.Title, e.Issued.IssuedAt.In(calendar.London).Format("2 January 2006 at 3:04pm"), e.Issued.IssuedBy)}
	}
	return &complaint.Error{Code: complaint.Invalid, Message: msg, Fields: fields}
}

// LettersIssued is the letters of the kind already issued about c at its
// current stage that a new one would repeat, oldest first: nil when a
// letter of the kind would be its first (or, for the kinds that recur,
// the next one the case calls for). The pages and the API use it to show
// a letter as issued and to ask for a reason before it goes again.
func (s *Service) LettersIssued(ctx context.Context, c complaint.Case, kind letters.Kind) ([]store.Letter, error) {
	ls, err := s.Store.Letters(ctx, c.Reference)
	if err != nil {
		return nil, err
	}
	return Repeated(c, kind, ls), nil
}

// Repeated is the letters among ls (a case's letters, oldest first) that
// a new letter of the kind about c at its stage would repeat, or nil if
// it repeats none. A letter is issued once at a stage, except where the
// case's record calls for another: an extension notice for each
// extension of the stage, and an action update whenever there is news of
// the actions, which is each update's point.
func Repeated(c complaint.Case, kind letters.Kind, ls []store.Letter) []store.Letter {
	if kind == letters.ActionUpdate {
		return nil
	}
	var same []store.Letter
	first := 0
	for _, l := range ls {
		if l.Kind == string(kind) && l.Stage == c.Stage {
			same = append(same, l)
			if l.ReissueReason == "" {
				first++
			}
		}
	}
	want := 1
	if st := c.Current(); kind == letters.Extension && st != nil {
		want = len(st.Extensions)
	}
	if first < want {
		return nil
	}
	return same
}

// duplicateOf returns the letter among ls that the reissue about to go
// would only duplicate, as a double-clicked button or a retried request
// sends it: the same kind at the same stage, the same bytes, by the same
// channel, with the same reason.
func duplicateOf(ls []store.Letter, l store.Letter) (store.Letter, bool) {
	for i := len(ls) - 1; i >= 0; i-- {
		p := ls[i]
		if p.Kind == l.Kind && p.Stage == l.Stage && p.SHA256 == l.SHA256 && p.Channel == l.Channel && p.ReissueReason == l.ReissueReason {
			return p, true
		}
	}
	return store.Letter{}, false
}

// LetterEmailKey is the outbox's dedupe key for the email of a letter
// whose PDF has the SHA-256 sum: a retried issue queues nothing more. A
// reissue's key also counts the letters of its kind at the stage before
// it (earlier), so a confirmed reissue is sent even when its bytes are
// those of the letter it repeats, while two copies of one reissue
// racing each other still send once.
func LetterEmailKey(sum string, reissue bool, earlier int) string {
	if !reissue {
		return "letter:" + sum
	}
	return fmt.Sprintf("letter:%s:reissue:%d", sum, earlier)
}

// reissuedLetter is the letter_issued event's data for a letter sent
// again: what every letter's event records, and that it was a reissue
// and why, so that the audit trail explains a second copy without the
// letter beside it. The names are those RecordLetter would give the same
// facts, and a replay reads the event as the RecordLetter it embeds.
type reissuedLetter struct {
	complaint.RecordLetter
	Reissue       bool   `json:"reissue"`
	ReissueReason string `json:"reissue_reason"`
}

// checkReissue adds to refused what stops the letter l going given the
// letters of its kind already issued (prior, from Repeated), or returns
// the reason to record with it: empty for a first issue.
func checkReissue(refused *LetterRefused, prior []store.Letter, r Reissue) string {
	reason := strings.TrimSpace(r.Reason)
	if len(prior) == 0 {
		if r.asked() {
			refused.Problems = append(refused.Problems, LetterProblem{FieldReissueReason, "this letter has not been issued at this stage, so there is nothing to send again: leave the reason out"})
		}
		return ""
	}
	last := prior[len(prior)-1]
	refused.Issued = &last
	if reason == "" {
		refused.Problems = append(refused.Problems, LetterProblem{FieldReissueReason, "this letter was already issued: give the reason for sending it again, such as the resident asking for another copy"})
	}
	if !r.Confirmed {
		refused.Problems = append(refused.Problems, LetterProblem{FieldConfirmReissue, "confirm that the resident is to be sent this letter again"})
	}
	if len(reason) > maxReissueReason {
		refused.Problems = append(refused.Problems, LetterProblem{FieldReissueReason, fmt.Sprintf("must be %d characters or fewer", maxReissueReason)})
	}
	return reason
}

// maxReissueReason bounds a reissue's reason: a sentence or two for the
// record, not a letter of its own.
const maxReissueReason = 1000

// IssueDraft issues the draft of a letter about c (a case u may see) by
// channel, "email" or "print", if nothing the Code requires is missing
// and it can go that way: the PDF, its hash, the letter as stored and
// its email if it goes by email are recorded together by IssueLetter.
// Anything missing, a bad channel or no address to send it to is a
// *LetterRefused and stores nothing. ifVersion is the version of the
// case u last saw (0: do not check).
//
// A letter goes once: a kind already issued at the stage (see Repeated)
// is refused, as a conflict on reissue_reason, unless d.Reissue gives a
// reason and confirms it, and the reason is then kept with the letter
// and on its event. So the same request made twice (a double click, a
// retry) never sends twice: a first issue made again is that conflict,
// and a reissue made again issues nothing, returning the letter the
// first one issued and the case unchanged.
func (s *Service) IssueDraft(ctx context.Context, u store.User, c complaint.Case, d LetterDraft, channel string, ifVersion int) (complaint.Case, store.Letter, error) {
	l := d.Letter
	all, err := s.Store.Letters(ctx, c.Reference)
	if err != nil {
		return c, store.Letter{}, err
	}
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
	sum := sha256.Sum256(pdf)
	hash := hex.EncodeToString(sum[:])
	issued := store.Letter{Kind: string(l.Kind), Title: l.Kind.Title(), Stage: c.Stage, IssuedAt: s.Now(), IssuedBy: u.Email,
		Channel: channel, Recipient: l.Recipient.Name, Subject: l.Subject, Body: l.Body, PDF: pdf, SHA256: hash, LargePrint: l.LargePrint,
		ReissueReason: strings.TrimSpace(d.Reissue.Reason)}
	if issued.ReissueReason != "" && len(refused.Missing) == 0 && len(refused.Problems) == 0 {
		// A first issue sent twice is refused below as a repeat; a
		// reissue sent twice would pass that check, so it is caught
		// here, by its bytes and its reason, before a third copy goes.
		if dup, ok := duplicateOf(all, issued); ok {
			s.Log.Info("letter already issued: the same request again issues nothing", "reference", c.Reference, "kind", string(l.Kind), "letter_id", dup.ID, "user_id", u.ID)
			return c, dup, nil
		}
	}
	issued.ReissueReason = checkReissue(refused, Repeated(c, l.Kind, all), d.Reissue)
	if len(refused.Missing) > 0 || len(refused.Problems) > 0 {
		return c, store.Letter{}, refused
	}
	reissue := issued.ReissueReason != ""
	var mail *store.OutboundMessage
	if channel == ChannelEmail {
		earlier := 0
		for _, p := range all {
			if p.Kind == issued.Kind && p.Stage == issued.Stage {
				earlier++
			}
		}
		mail = &store.OutboundMessage{To: l.Recipient.Email, Subject: l.Subject + " (" + l.Reference + ")", TextBody: letters.EmailText(l),
			Kind: "letter", DedupeKey: LetterEmailKey(hash, reissue, earlier)}
		if !l.PlainTextEmail {
			mail.Attachments = []store.OutboundAttachment{{Name: fmt.Sprintf("%s-%s.pdf", l.Reference, l.Kind), ContentType: "application/pdf", Data: pdf}}
		}
	}
	var after complaint.Case
	var stored store.Letter
	if reissue {
		after, stored, err = s.reissueLetter(ctx, u, c.Reference, ifVersion, issued, mail)
	} else {
		after, stored, err = s.IssueLetter(ctx, u, c.Reference, ifVersion, issued, mail)
	}
	if err != nil {
		return after, stored, err
	}
	s.Log.Info("letter issued", "reference", c.Reference, "kind", string(l.Kind), "channel", channel, "reissue", reissue, "user_id", u.ID)
	return after, stored, nil
}

// reissueLetter is IssueLetter for a letter sent again: the same
// transaction, with the event's data saying it is a reissue and why.
// RecordLetter itself has no place for the reason, so the event carries
// it beside the command's fields (see reissuedLetter).
func (s *Service) reissueLetter(ctx context.Context, u store.User, ref string, ifVersion int, l store.Letter, mail *store.OutboundMessage) (complaint.Case, store.Letter, error) {
	if _, err := s.visible(ctx, u, ref); err != nil {
		return complaint.Case{}, l, err
	}
	cmd := complaint.RecordLetter{Kind: l.Kind, Title: l.Title, Channel: l.Channel, SHA256: l.SHA256}
	return s.Store.IssueLetter(ctx, ref, ifVersion, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
		next, ev, err := complaint.Decide(c, cmd, s.env(u, l.IssuedAt, nr))
		if err == nil {
			ev.Data = reissuedLetter{RecordLetter: cmd, Reissue: true, ReissueReason: l.ReissueReason}
		}
		return next, ev, err
	}, l, mail)
}
