package notify

import (
	"fmt"
	"net/mail"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Colleague is the audience of a compliment notice: someone a compliment
// praises, or their manager.
const Colleague Audience = "colleague"

// complimentNotices emails the compliment notice to everyone a compliment
// passed on names (those praised who have an address, and their manager),
// once each (000: "we offer individual feedback to colleagues when a
// compliment is received"; 003 §2: "Feedback on compliments is given to
// staff"). Unlike a resident's notice it quotes the compliment: the
// resident's words are the point of it, and it goes only to those they
// praise. It names no resident.
func complimentNotices(f Facts, s Settings) ([]Notice, []string) {
	c, ev := f.Case, f.Event
	if s.MaxAge > 0 && f.Now.Sub(ev.At) > s.MaxAge {
		return nil, []string{fmt.Sprintf("the event happened more than %s ago", s.MaxAge)}
	}
	if c.Praise == nil {
		return nil, []string{"the compliment has not been passed on"}
	}
	ls, err := letters.ComplimentNotices(c, letters.Letterhead{Name: s.ServiceName}, calendar.DateOf(ev.At), f.Manager.Name)
	if err != nil {
		return nil, []string{err.Error()}
	}
	var out []Notice
	for _, l := range ls {
		out = append(out, Notice{
			Audience: Colleague,
			Message: store.OutboundMessage{
				CaseRef: c.Reference, To: (&mail.Address{Name: l.Recipient.Name, Address: l.Recipient.Email}).String(),
				Subject:  fmt.Sprintf("%s (%s)", l.Subject, l.Reference),
				TextBody: letters.EmailText(l), Kind: "notice_" + string(letters.ComplimentNotice),
				DedupeKey: dedupeKey(f.EventID, l.Recipient.Email),
			},
		})
	}
	return out, nil
}

// passedOnTo is the email of the manager a compliment passed on names,
// for the relay to look up their name.
func passedOnTo(ev complaint.Event) string {
	var p complaint.PassOnCompliment
	decode(ev.Data, &p)
	return p.Manager
}
