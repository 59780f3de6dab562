package notify

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Audience is who a notice is for.
type Audience string

// The audiences.
const (
	Resident Audience = "resident"
	Officer  Audience = "officer"
)

// Facts is everything Notices reads about one event.
type Facts struct {
	// EventID is the event's id in the log of every case, which makes
	// the notices' dedupe keys.
	EventID int64
	Event   complaint.Event
	// Case is the case as it is now, which may be past the event: its
	// deadlines are the latest, so "by when" is never out of date.
	Case complaint.Case
	// Trail is the case's events in order, the event among them. What
	// came before tells the event's stage; what came after tells whether
	// a letter or a later notice makes this one unnecessary.
	Trail []complaint.Event
	// Handler is the user an assigned event names, or for a withdrawn
	// event the case's handler, if that is a user; the zero User
	// otherwise.
	Handler store.User
	// Manager is the user a compliment passed on names as the manager of
	// those it praises, if that is a user; the zero User otherwise.
	Manager store.User
	// SurveyToken is the token of the survey link a closed complaint's
	// notice carries; without one (or without a BaseURL) there is no link.
	SurveyToken string
	// Now is when the notices are decided.
	Now time.Time
}

// Settings are what every notice shares.
type Settings struct {
	// ServiceName signs every notice: the landlord's name, from the
	// letterhead where one is set (package brand), so that a resident
	// knows whose mail it is.
	ServiceName string
	// BaseURL is where Redress is reached, without a trailing slash; it
	// makes the survey link and the links to case pages. Without it
	// notices carry no links.
	BaseURL string
	// Ombudsman is the Housing Ombudsman's contact text, quoted where a
	// resident may go to the Ombudsman.
	Ombudsman string
	// MaxAge is how long after an event a notice about it is still worth
	// sending; older events (an import, a step recorded late from paper)
	// have reached the resident by other means.
	MaxAge time.Duration
	// SurveyValidFor is how long a survey link works.
	SurveyValidFor time.Duration
	// PassOnCompliments is the policy's promise to pass compliments on
	// (000, 003 §2): only then does a resident's thanks promise it.
	PassOnCompliments bool
}

// Notice is one message an event calls for, ready for the outbox, with
// the survey invitation its link needs, if any.
type Notice struct {
	Audience Audience
	Message  store.OutboundMessage
	Invite   *store.SurveyInvite
}

// Notices decides the notices an event calls for, and says why it sends
// none where it might have. It is pure: the relay gathers the facts.
//
// Residents hear of each step of their case: the contact received
// (whatever the channel, as staff may log a phone call the resident has
// no written record of), acknowledged, extended, responded to, escalated,
// converted into a complaint, closed (with the satisfaction survey for a
// complaint), withdrawn or refused. Officers hear that a case has been
// assigned to them by someone else, and that a case they handle was
// withdrawn by someone else, such as the resident online. Nothing goes:
//
//   - for an event older than MaxAge;
//   - to a resident with no email address, or whose reasonable
//     adjustments ask for no email ("post only", "no email", ...); a
//     representative with consent on record gets it instead of the
//     resident, as letters do;
//   - to a resident when a later event on the case, already recorded,
//     calls for its own notice: the later notice says where the case is
//     now, and two minutes apart the first is noise;
//   - to a resident when the formal letter for the same step has gone by
//     email (its email is the notice); a letter sent by post is mentioned
//     instead;
//   - to an officer about a confidential case (a complaint about a member
//     of staff), about a case they assigned to themselves, or once they
//     are no longer its handler.
//
// A notice never holds the complaint's words, names of other people, or
// anything a person reading over the resident's shoulder should not see:
// the reference, what happened, what happens next and by when.
func Notices(f Facts, s Settings) (notices []Notice, skipped []string) {
	ev := f.Event
	if ev.Kind == complaint.EventComplimentPassedOn {
		return complimentNotices(f, s)
	}
	if !residentEvent(noticeKind(ev)) && ev.Kind != complaint.EventAssigned {
		return nil, nil
	}
	if s.MaxAge > 0 && f.Now.Sub(ev.At) > s.MaxAge {
		return nil, []string{fmt.Sprintf("the event happened more than %s ago", s.MaxAge)}
	}
	if ev.Kind == complaint.EventAssigned {
		n, why := officerNotice(f, s)
		if why != "" {
			return nil, []string{why}
		}
		return []Notice{n}, nil
	}
	n, why := residentNotice(f, s)
	if why != "" {
		skipped = append(skipped, why)
	} else {
		notices = append(notices, n)
	}
	if ev.Kind == complaint.EventWithdrawn {
		if n, why := withdrawnNotice(f, s); why != "" {
			skipped = append(skipped, why)
		} else {
			notices = append(notices, n)
		}
	}
	return notices, skipped
}

// noticeKind is the kind of step an event is for the notices: the
// event's kind, except that issuing a stage's response letter is the
// response (issue 12, rule 1: a stage is responded when its written
// response goes, and recording the decisions is a draft no one hears
// of). A "responded" event recorded before then was the response itself.
func noticeKind(ev complaint.Event) complaint.EventKind {
	if ev.Kind != complaint.EventLetterIssued {
		return ev.Kind
	}
	var l complaint.RecordLetter
	decode(ev.Data, &l)
	if l.Kind == complaint.ResponseLetterKind(1) || l.Kind == complaint.ResponseLetterKind(2) {
		return complaint.EventResponded
	}
	return ev.Kind
}

// residentEvent reports whether an event of this kind can call for a
// notice to the resident.
func residentEvent(kind complaint.EventKind) bool {
	switch kind {
	case complaint.EventCreated, complaint.EventAcknowledged, complaint.EventExtended, complaint.EventResponded, complaint.EventEscalated, complaint.EventClosed, complaint.EventWithdrawn, complaint.EventRefused, complaint.EventConverted:
		return true
	}
	return false
}

// position is where a case stood just after an event: what kind of
// contact it was and, for a complaint, its stage.
type position struct {
	kind  complaint.Kind
	stage int
}

// positionAt replays the trail up to and including event seq. Without a
// trail it takes the case as it is now.
func positionAt(c *complaint.Case, trail []complaint.Event, seq int) position {
	if len(trail) == 0 {
		return position{kind: c.Kind, stage: c.Stage}
	}
	var p position
	for _, ev := range trail {
		if ev.Seq > seq {
			break
		}
		switch ev.Kind {
		case complaint.EventCreated:
			var d struct {
				Kind complaint.Kind `json:"kind"`
			}
			decode(ev.Data, &d)
			p = position{kind: d.Kind}
			if d.Kind == complaint.KindComplaint {
				p.stage = 1
			}
		case complaint.EventConverted:
			p = position{kind: complaint.KindComplaint, stage: 1}
		case complaint.EventEscalated:
			p.stage = 2
		}
	}
	if p.kind == "" {
		p.kind = c.Kind
	}
	return p
}

// sendsResidentNotice reports whether an event at position p is one a
// resident hears about at all, letters and addresses aside: closing a
// compliment, a suggestion or feedback says nothing they need to know.
func sendsResidentNotice(kind complaint.EventKind, p position) bool {
	if !residentEvent(kind) || p.kind == complaint.KindMemberEnquiry {
		// A member enquiry is answered to the elected member who made
		// it, and to the resident only by the copy the member asks for
		// (002 §3): no notice goes to the resident on its own.
		return false
	}
	if kind == complaint.EventClosed {
		switch p.kind {
		case complaint.KindCompliment, complaint.KindSuggestion, complaint.KindFeedback:
			return false
		}
	}
	return true
}

// letterFor is the kind of letter that makes the notice of an event at
// position p unnecessary when it goes by email, or "" if none does.
func letterFor(kind complaint.EventKind, p position) letters.Kind {
	switch kind {
	case complaint.EventCreated:
		if p.kind == complaint.KindCompliment {
			return letters.ComplimentThanks
		}
	case complaint.EventAcknowledged:
		if p.stage == 2 {
			return letters.Stage2Acknowledgement
		}
		return letters.Acknowledgement
	case complaint.EventExtended:
		return letters.Extension
	case complaint.EventResponded:
		if p.stage == 2 {
			return letters.Stage2Response
		}
		return letters.Stage1Response
	case complaint.EventWithdrawn:
		return letters.Withdrawal
	case complaint.EventRefused:
		return letters.Refusal
	}
	return ""
}

// residentRecipient is who a resident's notices go to: a representative
// with the resident's consent on record, else the resident.
func residentRecipient(c *complaint.Case) (name, email string, representative bool) {
	if r := c.Representative; r != nil && r.ConsentRecorded && strings.TrimSpace(r.Name) != "" {
		return r.Name, strings.TrimSpace(r.Email), true
	}
	return c.Complainant.Name, strings.TrimSpace(c.Complainant.Email), false
}

// noEmailPhrases are the ways staff write that a resident does not want
// email, as folded by noEmail.
var noEmailPhrases = []string{
	"no email", "not by email", "not email", "do not email", "don't email", "dont email", "never email",
	"post only", "by post only", "letters only", "letter only", "phone only", "telephone only",
}

// noEmail reports whether any reasonable adjustment asks for no email.
func noEmail(adjustments []string) bool {
	for _, a := range adjustments {
		a = strings.ToLower(a)
		a = strings.NewReplacer("e-mail", "email", "’", "'", "-", " ").Replace(a)
		a = strings.Join(strings.Fields(a), " ")
		for _, p := range noEmailPhrases {
			if strings.Contains(a, p) {
				return true
			}
		}
	}
	return false
}

// residentNotice builds the resident's notice of f.Event, or says why
// there is none.
func residentNotice(f Facts, s Settings) (Notice, string) {
	c, ev := &f.Case, f.Event
	p := positionAt(c, f.Trail, ev.Seq)
	kind := noticeKind(ev)
	if !sendsResidentNotice(kind, p) {
		return Notice{}, fmt.Sprintf("closing a %s needs no notice", p.kind)
	}
	name, email, rep := residentRecipient(c)
	switch {
	case email == "" && rep:
		return Notice{}, "the representative has no email address"
	case email == "":
		return Notice{}, "the resident has no email address"
	case noEmail(c.Adjustments):
		return Notice{}, "the case's adjustments ask for no email"
	}
	letterKind := letterFor(kind, p)
	posted := false
	if kind != ev.Kind {
		// The event is the response letter itself: by email it is its
		// own notice; by post the resident is told it is on its way.
		var l complaint.RecordLetter
		decode(ev.Data, &l)
		if l.Channel == "email" {
			return Notice{}, fmt.Sprintf("the %s letter went by email", l.Kind)
		}
		posted = true
	}
	for _, later := range f.Trail {
		if later.Seq <= ev.Seq {
			continue
		}
		if lk := noticeKind(later); sendsResidentNotice(lk, positionAt(c, f.Trail, later.Seq)) {
			return Notice{}, fmt.Sprintf("a later %s event has its own notice", lk)
		}
		if later.Kind == complaint.EventLetterIssued && letterKind != "" {
			var l complaint.RecordLetter
			decode(later.Data, &l)
			if l.Kind == string(letterKind) {
				if l.Channel == "email" {
					return Notice{}, fmt.Sprintf("the %s letter went by email", l.Kind)
				}
				posted = true
			}
		}
	}
	to := (&mail.Address{Name: name, Address: email}).String()
	w := residentWriter{c: c, p: p, s: s, name: name, rep: rep, posted: posted, f: f}
	subject, body, invite := w.write(kind)
	return Notice{
		Audience: Resident,
		Message: store.OutboundMessage{
			CaseRef: c.Reference, To: to, Subject: subject, TextBody: body,
			Kind: "notice_" + string(kind), DedupeKey: dedupeKey(f.EventID, email),
		},
		Invite: invite,
	}, ""
}

// dedupeKey makes a notice once per event and recipient, however often
// the event is read.
func dedupeKey(eventID int64, email string) string {
	return fmt.Sprintf("notice:%d:%s", eventID, strings.ToLower(email))
}

// officerNotice builds the notice to the officer a case was assigned to,
// or says why there is none.
func officerNotice(f Facts, s Settings) (Notice, string) {
	c, ev := &f.Case, f.Event
	var a complaint.Assign
	decode(ev.Data, &a)
	h := f.Handler
	switch {
	case c.Confidential:
		return Notice{}, "the case is confidential: officers are not emailed about it"
	case h.Email == "" || !strings.EqualFold(h.Email, a.Handler):
		return Notice{}, "the new handler is not a user"
	case !auth.Role(h.Role).CanAct():
		return Notice{}, "the new handler cannot act on cases"
	case strings.EqualFold(ev.Actor, h.Email):
		return Notice{}, "the officer assigned the case to themselves"
	case !strings.EqualFold(c.Handler, h.Email):
		return Notice{}, "the officer is no longer the case's handler"
	}
	ref := stageRef(c, c.Stage)
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", firstNonEmpty(h.Name, h.Email))
	fmt.Fprintf(&b, "%s %s has been assigned to you.\n\n", capitalise(caseNoun(c.Kind, c.Stage)), ref)
	received := c.ReceivedAt
	if st := c.Current(); st != nil {
		received = st.ReceivedAt
	}
	fmt.Fprintf(&b, "Received: %s\n", longDate(calendar.DateOf(received)))
	if what, due := nextStep(c); !due.IsZero() {
		fmt.Fprintf(&b, "Next: %s by %s\n", what, longDate(due))
	}
	if s.BaseURL != "" {
		fmt.Fprintf(&b, "Open it: %s/cases/%s\n", s.BaseURL, ref)
	}
	b.WriteString("\nThe resident's details are on the case page, not in email.\n")
	sign(&b, s)
	return Notice{
		Audience: Officer,
		Message: store.OutboundMessage{
			CaseRef: c.Reference, To: (&mail.Address{Name: h.Name, Address: h.Email}).String(),
			Subject:  fmt.Sprintf("Case %s has been assigned to you", ref),
			TextBody: b.String(), Kind: "notice_assigned", DedupeKey: dedupeKey(f.EventID, h.Email),
		},
	}, ""
}

// withdrawnNotice tells a case's handler it was withdrawn by someone else,
// such as the resident on the residents' pages, so that nobody goes on
// working on a case that has ended; or says why there is none. It follows
// the assignment notice's rules, and like it names no resident and
// quotes no reason: those are on the case page.
func withdrawnNotice(f Facts, s Settings) (Notice, string) {
	c, ev, h := &f.Case, f.Event, f.Handler
	switch {
	case c.Confidential:
		return Notice{}, "the case is confidential: officers are not emailed about it"
	case h.Email == "" || !strings.EqualFold(h.Email, c.Handler):
		return Notice{}, "the case's handler is not a user"
	case !auth.Role(h.Role).CanAct():
		return Notice{}, "the case's handler cannot act on cases"
	case strings.EqualFold(ev.Actor, h.Email):
		return Notice{}, "the handler withdrew the case themselves"
	}
	ref := stageRef(c, c.Stage)
	// Staff are recorded by their email address; residents, who sign in
	// to nothing, by a description such as "resident (web form)".
	by := "the resident"
	if _, err := mail.ParseAddress(ev.Actor); err == nil {
		by = ev.Actor
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", firstNonEmpty(h.Name, h.Email))
	fmt.Fprintf(&b, "%s %s, which you handle, was withdrawn on %s by %s.\n\n", capitalise(caseNoun(c.Kind, c.Stage)), ref, longDate(calendar.DateOf(ev.At)), by)
	b.WriteString("Nothing more is due on it; the reason given is on the case page. The resident is emailed a confirmation if they have an address; if not, send them the withdrawal confirmation letter.\n")
	if s.BaseURL != "" {
		fmt.Fprintf(&b, "Open it: %s/cases/%s\n", s.BaseURL, ref)
	}
	sign(&b, s)
	return Notice{
		Audience: Officer,
		Message: store.OutboundMessage{
			CaseRef: c.Reference, To: (&mail.Address{Name: h.Name, Address: h.Email}).String(),
			Subject:  fmt.Sprintf("Case %s has been withdrawn", ref),
			TextBody: b.String(), Kind: "notice_withdrawn_handler", DedupeKey: dedupeKey(f.EventID, h.Email),
		},
	}, ""
}

// nextStep is what is due next on an open case and by when.
func nextStep(c *complaint.Case) (string, calendar.Date) {
	due := c.NextDue()
	switch {
	case due.IsZero():
		return "", due
	case c.Current() == nil:
		return "resolve it", due
	case c.Status == complaint.StatusReceived:
		return "acknowledge it", due
	}
	return "respond", due
}

// stageRef is the reference of a stage: its own, if the policy gave it
// one, else the case's.
func stageRef(c *complaint.Case, stage int) string {
	if stage >= 1 && stage <= len(c.Stages) && c.Stages[stage-1].Reference != "" {
		return c.Stages[stage-1].Reference
	}
	return c.Reference
}

// stageOf returns stage n of the case, or nil.
func stageOf(c *complaint.Case, n int) *complaint.Stage {
	if n >= 1 && n <= len(c.Stages) {
		return &c.Stages[n-1]
	}
	return nil
}

// decode reads event data, which is JSON when read from storage and the
// command itself when an event is made in memory. Data that does not
// decode leaves v as it was: a notice then says less, never fails.
func decode(data, v any) {
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return
		}
	}
	_ = json.Unmarshal(raw, v)
}

// kindNoun is how a notice names a kind of contact.
func kindNoun(k complaint.Kind) string {
	switch k {
	case complaint.KindServiceRequest:
		return "request"
	case "":
		return "contact"
	}
	return string(k)
}

// caseNoun names a case to staff: "stage 1 complaint", "service request".
func caseNoun(k complaint.Kind, stage int) string {
	if k == complaint.KindComplaint && stage > 0 {
		return fmt.Sprintf("stage %d complaint", stage)
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// longDate writes a date as residents read it: Monday 30 November 2026.
func longDate(d calendar.Date) string {
	return fmt.Sprintf("%s %d %s %d", d.Weekday(), d.Day(), d.Month(), d.Year())
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// sign ends a message with the service's name.
func sign(b *strings.Builder, s Settings) {
	if s.ServiceName != "" {
		fmt.Fprintf(b, "\n%s\n", s.ServiceName)
	}
}
