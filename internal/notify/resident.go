package notify

import (
	"fmt"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// residentWriter writes the notices residents get. Each says what has
// happened, what happens next and by when, and how to reach the landlord,
// in plain words and plain text: no HTML part is sent, which is what a
// "plain text" adjustment asks for and what screen readers read best.
type residentWriter struct {
	c      *complaint.Case
	p      position
	s      Settings
	f      Facts
	name   string
	rep    bool // writing to a representative
	posted bool // the formal letter for the step went by post
	b      strings.Builder
}

func (w *residentWriter) para(format string, args ...any) {
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteString("\n\n")
}

// your is "your" to the resident and "the" to their representative.
func (w *residentWriter) your() string {
	if w.rep {
		return "the"
	}
	return "your"
}

// write returns the subject and body of the notice of an event of kind,
// and the survey invitation its link needs, if any.
func (w *residentWriter) write(kind complaint.EventKind) (subject, body string, invite *store.SurveyInvite) {
	c, p := w.c, w.p
	ref := stageRef(c, p.stage)
	noun := kindNoun(p.kind)
	st := stageOf(c, p.stage)
	fmt.Fprintf(&w.b, "Dear %s,\n\n", firstNonEmpty(w.name, "Sir or Madam"))

	switch kind {
	case complaint.EventCreated:
		received := longDate(calendar.DateOf(c.ReceivedAt))
		switch p.kind {
		case complaint.KindComplaint:
			subject = fmt.Sprintf("We have received %s complaint (%s)", w.your(), ref)
			w.para("We received %s complaint on %s. Its reference is %s.", w.your(), received, ref)
			if st != nil && !st.AcknowledgeBy.IsZero() {
				w.para("What happens next: we will acknowledge the complaint by %s, and tell you then when to expect our full response.", longDate(st.AcknowledgeBy))
			}
		case complaint.KindCompliment:
			subject = fmt.Sprintf("Thank you for %s compliment (%s)", w.your(), ref)
			w.para("Thank you for %s compliment, which we received on %s. Its reference is %s.", w.your(), received, ref)
			if w.s.PassOnCompliments {
				w.para("We will pass it on to the people it is about.")
			}
		case complaint.KindServiceRequest:
			subject = fmt.Sprintf("We have received %s request (%s)", w.your(), ref)
			w.para("We received %s request on %s. Its reference is %s.", w.your(), received, ref)
			if !c.ResolveBy.IsZero() {
				w.para("What happens next: we aim to sort it out by %s.", longDate(c.ResolveBy))
			} else {
				w.para("What happens next: we will be in touch about it.")
			}
			w.para("If you are unhappy with how we deal with it, you can ask us at any time to treat it as a complaint.")
		case complaint.KindEnquiry:
			subject = fmt.Sprintf("We have received %s enquiry (%s)", w.your(), ref)
			w.para("We received %s enquiry on %s. Its reference is %s.", w.your(), received, ref)
			w.para("What happens next: we will reply as soon as we can.")
		default:
			subject = fmt.Sprintf("Thank you for %s %s (%s)", w.your(), noun, ref)
			w.para("Thank you for %s %s, which we received on %s. Its reference is %s.", w.your(), noun, received, ref)
			w.para("We record every %s we receive and use them to improve our services. If you would like us to treat it as a complaint, tell us and quote the reference.", noun)
		}

	case complaint.EventConverted:
		before := positionAt(c, w.f.Trail, w.f.Event.Seq-1)
		subject = fmt.Sprintf("We are treating %s %s as a complaint (%s)", w.your(), kindNoun(before.kind), ref)
		w.para("We are now handling %s %s %s as a formal complaint, at stage 1 of our complaints procedure.", w.your(), kindNoun(before.kind), ref)
		if st != nil && !st.AcknowledgeBy.IsZero() {
			w.para("What happens next: we will acknowledge the complaint by %s, and tell you then when to expect our full response.", longDate(st.AcknowledgeBy))
		}

	case complaint.EventAcknowledged:
		subject = fmt.Sprintf("We have acknowledged %s complaint (%s)", w.your(), ref)
		w.para("We have acknowledged %s stage %d complaint %s and recorded what it is about and what you would like us to do.", w.your(), p.stage, ref)
		w.letterNote()
		if st != nil && !st.RespondBy.IsZero() {
			w.para("What happens next: we will send you our response by %s. If we need longer, we will tell you why and when to expect it.", longDate(st.RespondBy))
		}

	case complaint.EventExtended:
		subject = fmt.Sprintf("We need more time to respond to %s complaint (%s)", w.your(), ref)
		w.para("We need more time to respond properly to %s stage %d complaint %s.", w.your(), p.stage, ref)
		w.letterNote()
		if st != nil && !st.RespondBy.IsZero() {
			w.para("What happens next: we will now send you our response by %s.", longDate(st.RespondBy))
		}
		w.ombudsman("If you are unhappy about the delay, you can contact the Housing Ombudsman at any time:")

	case complaint.EventResponded:
		if p.stage == 2 {
			subject = fmt.Sprintf("Our final response to %s complaint (%s)", w.your(), ref)
			w.para("We have completed our stage 2 response to %s complaint %s. Our letter explains our decision on each point and our reasons.", w.your(), ref)
		} else {
			subject = fmt.Sprintf("We have responded to %s complaint (%s)", w.your(), ref)
			w.para("We have completed our stage 1 response to %s complaint %s. Our letter explains our decision on each point and our reasons.", w.your(), ref)
		}
		if w.posted {
			w.para("We have sent the letter by post.")
		}
		w.whatNext()

	case complaint.EventEscalated:
		first := stageRef(c, 1)
		subject = fmt.Sprintf("%s complaint has moved to stage 2 (%s)", capitalise(w.your()), ref)
		if ref != first {
			w.para("We have received the request to take %s complaint to stage 2 of our complaints procedure. Its stage 2 reference is %s (it was %s at stage 1).", w.your(), ref, first)
		} else {
			w.para("We have received the request to take %s complaint %s to stage 2 of our complaints procedure.", w.your(), ref)
		}
		w.para("Someone who was not involved at stage 1 will review it.")
		if st != nil && !st.AcknowledgeBy.IsZero() {
			w.para("What happens next: we will acknowledge it by %s, and tell you then when to expect our response.", longDate(st.AcknowledgeBy))
		}

	case complaint.EventClosed:
		subject = fmt.Sprintf("We have closed %s %s (%s)", w.your(), noun, ref)
		switch p.kind {
		case complaint.KindComplaint:
			w.para("We have closed %s complaint %s.", w.your(), ref)
			if openActions(c) {
				w.para("Closing the complaint does not stop the actions we promised: we will do them and tell you when they are done.")
			}
			w.whatNext()
			if link, inv := w.survey(); link != "" {
				subject = fmt.Sprintf("We have closed %s complaint: tell us how we did (%s)", w.your(), ref)
				w.para("Please tell us how we handled %s complaint. It takes a minute and helps us improve:\n%s\nThe link works once, until %s.", w.your(), link, longDate(calendar.DateOf(inv.ExpiresAt)))
				invite = inv
			}
		case complaint.KindServiceRequest:
			w.para("We have closed %s request %s as dealt with.", w.your(), ref)
			w.para("If it is not sorted out, or you are unhappy with how we dealt with it, contact us quoting the reference: you can make a complaint at any time.")
		default:
			w.para("We have closed %s %s %s.", w.your(), noun, ref)
			w.para("If you need anything more, contact us quoting the reference.")
		}

	case complaint.EventWithdrawn:
		subject = fmt.Sprintf("%s %s has been withdrawn (%s)", capitalise(w.your()), noun, ref)
		w.para("We have withdrawn %s %s %s, as we were asked to.", w.your(), noun, ref)
		w.letterNote()
		w.para("If you did not ask for this, or you change your mind, contact us quoting the reference.")

	case complaint.EventRefused:
		subject = fmt.Sprintf("We cannot take %s complaint forward (%s)", w.your(), ref)
		w.para("We have decided that we cannot take %s complaint %s forward under our complaints policy. Our letter explains why.", w.your(), ref)
		if w.posted {
			w.para("We have sent the letter by post.")
		}
		w.ombudsman("If you disagree with our decision, you can ask the Housing Ombudsman to look at it:")
	}

	if w.s.BaseURL != "" && !w.rep {
		w.para("You can follow it online at %s/track: give the reference, and we will email you a link to it.", w.s.BaseURL)
	}
	w.para("Please quote %s if you contact us about this.", ref)
	body = strings.TrimRight(w.b.String(), "\n") + "\n"
	if w.s.ServiceName != "" {
		body += "\n" + w.s.ServiceName + "\n"
	}
	return subject, body, invite
}

// letterNote mentions the formal letter for the step, if it went by post.
func (w *residentWriter) letterNote() {
	if w.posted {
		w.para("We have also sent you a letter about this by post.")
	}
}

// whatNext says what a resident may do after a response or closure: ask
// for stage 2 after stage 1, go to the Ombudsman after stage 2.
func (w *residentWriter) whatNext() {
	if w.p.stage == 1 {
		if st := stageOf(w.c, 1); st != nil && !st.EscalateBy.IsZero() {
			w.para("What happens next: if you are not happy with our response, you can ask us to look at %s complaint again at stage 2, by %s. Reply to this email or contact us quoting the reference.", w.your(), longDate(st.EscalateBy))
		} else {
			w.para("What happens next: if you are not happy with our response, you can ask us to look at %s complaint again at stage 2. Reply to this email or contact us quoting the reference.", w.your())
		}
		return
	}
	if w.p.stage == 2 {
		w.ombudsman("This is the end of our complaints procedure. If you are still unhappy, you can ask the Housing Ombudsman to look at the complaint:")
	}
}

// ombudsman quotes the Ombudsman's contact details after lead, when the
// policy gives them.
func (w *residentWriter) ombudsman(lead string) {
	if text := strings.TrimSpace(w.s.Ombudsman); text != "" {
		w.para("%s\n%s", lead, text)
	}
}

// survey returns the survey link and its invitation, or "" when the
// notice cannot carry one.
func (w *residentWriter) survey() (string, *store.SurveyInvite) {
	if w.f.SurveyToken == "" || w.s.BaseURL == "" {
		return "", nil
	}
	link, inv := SurveyLink(w.s.BaseURL, w.f.SurveyToken, w.c.Reference, w.f.Now, w.s.SurveyValidFor)
	return link, &inv
}

// openActions reports whether the case has actions still owed: not yet
// done, and not superseded by a later stage.
func openActions(c *complaint.Case) bool {
	for _, r := range c.Remedies {
		if r.Kind == complaint.RemedyAction && r.Outstanding() {
			return true
		}
	}
	return false
}
