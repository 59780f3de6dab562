package portal

import (
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// Tracking by email: the resident gives their reference, and a single-use
// link goes to the email address on the case (never one typed in, which
// anyone may know). The pages say the same whether or not the reference
// exists or has an address, so they tell nobody anything.

// linkTTL is how long an emailed tracking link works.
const linkTTL = 30 * time.Minute

const emailLinkTitle = "Get a link to your case by email"

// emailLinkPage asks for the reference to send a link for.
func (s *Server) emailLinkPage(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{"reference": {r.URL.Query().Get("reference")}}
	s.render(w, http.StatusOK, "track-email", &page{Title: emailLinkTitle, Back: "/track", Form: form})
	return nil
}

// emailLink sends a link to each address on the case, if the reference is
// a case's and the reference has not had its links for the hour, and
// then says the same thing either way.
func (s *Server) emailLink(w http.ResponseWriter, r *http.Request) error {
	if err := s.limit(s.tracks, r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ch := &checker{v: r.PostForm}
	ref := normalRef(ch.text("reference", "Your reference", "Enter your reference", 40))
	if len(ch.errs) > 0 {
		s.render(w, http.StatusBadRequest, "track-email", &page{Title: emailLinkTitle, Back: "/track", Errors: ch.errs, Form: r.PostForm})
		return nil
	}
	if err := s.sendLinks(r, ref); err != nil {
		return err
	}
	return seeOther(w, r, "/track/email/sent")
}

// sendLinks queues a tracking link to each address on the case known by
// ref. Nothing it finds out (no such case, no address, too many links)
// reaches the page; the log says why nothing went, without the reference.
func (s *Server) sendLinks(r *http.Request, ref string) error {
	now := s.Now()
	ok, _, err := s.take(r.Context(), s.links, ref, now)
	if err != nil {
		return err
	}
	if !ok {
		s.Log.Warn("tracking links over the limit for a reference: none sent")
		return nil
	}
	c, err := s.Store.GetCase(r.Context(), ref)
	if complaint.ErrorCode(err) == complaint.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	to := linkRecipients(c)
	if len(to) == 0 {
		return nil
	}
	if s.BaseURL == "" {
		s.Log.Warn("a tracking link was asked for, but no base URL is set (REDRESS_BASE_URL): none sent")
		return nil
	}
	for _, a := range to {
		token := auth.NewSecret()
		link := store.TrackingLink{TokenHash: auth.SecretHash(token), CaseRef: c.Reference, CreatedAt: now, ExpiresAt: now.Add(linkTTL)}
		if err := s.Store.SendTrackingLink(r.Context(), link, s.linkMessage(s.Brand.Name(r.Context()), c, ref, a, token), now); err != nil {
			return err
		}
	}
	if s.Queued != nil {
		s.Queued()
	}
	return nil
}

// linkRecipients are the addresses a tracking link for the case goes to:
// the resident's, and their representative's where the resident's consent
// to them acting is on record, as with letters.
func linkRecipients(c complaint.Case) []*mail.Address {
	var out []*mail.Address
	add := func(name, email string) {
		email = strings.TrimSpace(email)
		if email == "" {
			return
		}
		for _, a := range out {
			if strings.EqualFold(a.Address, email) {
				return
			}
		}
		out = append(out, &mail.Address{Name: name, Address: email})
	}
	add(c.Complainant.Name, c.Complainant.Email)
	if rep := c.Representative; rep != nil && rep.ConsentRecorded {
		add(rep.Name, rep.Email)
	}
	return out
}

// linkMessage is the email carrying a tracking link: the reference asked
// for, the link, how long it works, and what to do if it was not asked
// for, signed with the landlord's name. It holds nothing of the case
// itself.
func (s *Server) linkMessage(signature string, c complaint.Case, ref string, to *mail.Address, token string) store.OutboundMessage {
	base := strings.TrimRight(s.BaseURL, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", cmpOr(to.Name, "Sir or Madam"))
	fmt.Fprintf(&b, "You asked to see %s online. Open this link within %d minutes to see it:\n\n%s/track/link?token=%s\n\n",
		ref, int(linkTTL.Minutes()), base, url.QueryEscape(token))
	fmt.Fprintf(&b, "The link works once. If you need another, ask for one at %s/track/email.\n\n", base)
	b.WriteString("If you did not ask for this, you can ignore this email: nobody can see the case without the link.\n")
	fmt.Fprintf(&b, "\n%s\n", signature)
	return store.OutboundMessage{
		CaseRef: c.Reference, To: to.String(), Subject: "Your link to follow " + ref,
		TextBody: b.String(), Kind: "tracking_link",
	}
}

func cmpOr(s, otherwise string) string {
	if strings.TrimSpace(s) == "" {
		return otherwise
	}
	return s
}

// emailSent says a link has gone if there was one to send.
func (s *Server) emailSent(w http.ResponseWriter, r *http.Request) error {
	s.render(w, http.StatusOK, "track-email-sent", &page{Title: "Check your email", Data: int(linkTTL.Minutes())})
	return nil
}

// linkPage is where an emailed link lands. It shows a button rather than
// using the link up: mail systems open the links in email to check them,
// and a link used up by a checker would leave the resident locked out.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	if token == "" {
		return s.linkGone(w, http.StatusNotFound)
	}
	s.render(w, http.StatusOK, "track-link", &page{Title: "Open your case", Data: token})
	return nil
}

// useLink uses the link up and keeps the proof that the browser may see
// its case, or says it no longer works.
func (s *Server) useLink(w http.ResponseWriter, r *http.Request) error {
	if err := s.limit(s.tracks, r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	if token == "" {
		return s.linkGone(w, http.StatusNotFound)
	}
	link, err := s.Store.UseTrackingLink(r.Context(), auth.SecretHash(token), s.Now())
	switch {
	case complaint.ErrorCode(err) == complaint.NotFound:
		return s.linkGone(w, http.StatusNotFound)
	case complaint.ErrorCode(err) == complaint.Conflict:
		return s.linkGone(w, http.StatusGone)
	case err != nil:
		return err
	}
	s.keepProof(w, link.CaseRef)
	return seeOther(w, r, "/track/"+url.PathEscape(link.CaseRef))
}

func (s *Server) linkGone(w http.ResponseWriter, status int) error {
	s.render(w, status, "track-link-gone", &page{Title: "This link does not work", Data: int(linkTTL.Minutes())})
	return nil
}
