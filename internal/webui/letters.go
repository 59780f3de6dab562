package webui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Letters: an officer picks a kind of letter the case calls for, gets a
// draft filled from the case, edits it, checks and previews it, and issues
// it. Issuing stores the exact PDF with its hash, records the letter on the
// case's audit chain, and queues the email (if it goes by email) in the
// same transaction; an issued letter never changes.

// letterhead returns the landlord's letterhead, or one made of the
// service's name until an admin sets it.
func (s *Server) letterhead(r *http.Request) (letters.Letterhead, error) {
	lh, ok, err := s.Store.Letterhead(r.Context())
	if err != nil {
		return letters.Letterhead{}, err
	}
	if !ok {
		return letters.Letterhead{Name: s.ServiceName}, nil
	}
	return letters.Letterhead{Name: lh.Name, Address: lh.Address, Contact: lh.Contact, Logo: lh.Logo}, nil
}

// template returns the landlord's template for the kind, or nil for the
// built-in one.
func (s *Server) letterTemplate(r *http.Request, kind letters.Kind) (*letters.Template, error) {
	ts, err := s.Store.LetterTemplates(r.Context())
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

// draft fills a letter of the kind from the case.
func (s *Server) draft(r *http.Request, c complaint.Case, kind letters.Kind) (letters.Letter, letters.Letterhead, error) {
	lh, err := s.letterhead(r)
	if err != nil {
		return letters.Letter{}, lh, err
	}
	tmpl, err := s.letterTemplate(r, kind)
	if err != nil {
		return letters.Letter{}, lh, err
	}
	code, err := s.trackingCode(r, c)
	if err != nil {
		return letters.Letter{}, lh, err
	}
	l, err := letters.DraftWith(kind, c, letters.Options{TrackingCode: code}, s.Policy, s.Calendar, lh, tmpl, calendar.DateOf(s.Now()))
	return l, lh, err
}

// letterForm is what the draft page's form carries between steps.
type letterForm struct {
	Kind    letters.Kind
	Body    formField
	Address formField
	Channel string
	// Large and Plain are the formats, from the case's adjustments at
	// first and as the officer set them after.
	Large, Plain bool
}

// fromForm applies the officer's edits to a fresh draft, so the data a
// letter is checked against always comes from the case as it is now.
func fromForm(l letters.Letter, form url.Values) letters.Letter {
	l.Body = strings.ReplaceAll(form.Get("body"), "\r\n", "\n")
	l.Recipient.Address = lines(form.Get("address"))
	l.LargePrint = form.Get("large_print") == "yes"
	l.PlainTextEmail = form.Get("plain_text_email") == "yes"
	return l
}

func (s *Server) newLetterPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	kind := letters.Kind(r.URL.Query().Get("kind"))
	if kind == "" {
		s.render(w, r, http.StatusOK, "letter-new", map[string]any{
			"Title": "Write a letter", "Nav": "cases", "Case": c, "Kinds": letters.Applicable(c)})
		return nil
	}
	if _, err := letters.ParseKind(string(kind)); err != nil {
		return complaint.InvalidField("kind", "%v", err)
	}
	l, _, err := s.draft(r, c, kind)
	if err != nil {
		return err
	}
	form := url.Values{"body": {l.Body}, "address": {strings.Join(l.Recipient.Address, "\n")}}
	if l.LargePrint {
		form.Set("large_print", "yes")
	}
	if l.PlainTextEmail {
		form.Set("plain_text_email", "yes")
	}
	form.Set("channel", "print")
	if l.Recipient.Email != "" {
		form.Set("channel", "email")
	}
	return s.renderDraft(w, r, http.StatusOK, c, l, form, nil, false)
}

func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, status int, c complaint.Case, l letters.Letter, form url.Values, errs []fieldError, preview bool) error {
	lf := letterForm{Kind: l.Kind, Channel: form.Get("channel"),
		Body:    rows(newField("body", "The letter", "A line starting # is a heading, - a bullet; a blank line starts a new paragraph", form, errs), 24),
		Address: rows(newField("address", "Postal address", "One line each, as it shows in the envelope's window", form, errs), 5),
		Large:   form.Get("large_print") == "yes", Plain: form.Get("plain_text_email") == "yes"}
	var missing []letters.Missing
	if preview {
		missing = letters.Check(l.Kind, l.Data, l.Body)
	}
	s.render(w, r, status, "letter-new", map[string]any{
		"Title": l.Kind.Title() + " for " + c.Reference, "Nav": "cases", "Case": c, "Letter": l, "Form": lf, "Errors": errs,
		"Preview": preview, "Missing": missing, "Paragraphs": letters.Blocks(l.Body), "Email": l.Recipient.Email,
	})
	return nil
}

// letterStep is the draft's preview, PDF preview and issue: each re-drafts
// from the case and applies the officer's edits.
func (s *Server) letterStep(r *http.Request) (complaint.Case, letters.Letter, letters.Letterhead, error) {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return c, letters.Letter{}, letters.Letterhead{}, err
	}
	if err := r.ParseForm(); err != nil {
		return c, letters.Letter{}, letters.Letterhead{}, err
	}
	kind, err := letters.ParseKind(r.PostForm.Get("kind"))
	if err != nil {
		return c, letters.Letter{}, letters.Letterhead{}, complaint.InvalidField("kind", "%v", err)
	}
	l, lh, err := s.draft(r, c, kind)
	if err != nil {
		return c, l, lh, err
	}
	return c, fromForm(l, r.PostForm), lh, nil
}

func (s *Server) previewLetter(w http.ResponseWriter, r *http.Request) error {
	c, l, _, err := s.letterStep(r)
	if err != nil {
		return err
	}
	return s.renderDraft(w, r, http.StatusOK, c, l, r.PostForm, nil, true)
}

func (s *Server) previewLetterPDF(w http.ResponseWriter, r *http.Request) error {
	_, l, lh, err := s.letterStep(r)
	if err != nil {
		return err
	}
	pdf, err := letters.Render(l, lh)
	if err != nil {
		return complaint.InvalidField("body", "the letter cannot be printed: %v", err)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="draft-%s-%s.pdf"`, l.Reference, l.Kind))
	_, err = w.Write(pdf)
	return err
}

// issueLetter issues the letter if nothing the Code requires is missing.
func (s *Server) issueLetter(w http.ResponseWriter, r *http.Request) error {
	c, l, lh, err := s.letterStep(r)
	if err != nil {
		return err
	}
	channel := r.PostForm.Get("channel")
	var errs []fieldError
	for _, m := range letters.Check(l.Kind, l.Data, l.Body) {
		errs = append(errs, fieldError{"body", capitalise(m.Message)})
	}
	switch {
	case channel != "email" && channel != "print":
		errs = append(errs, fieldError{"channel-email", "Choose whether the letter goes by email or by post"})
	case channel == "email" && l.Recipient.Email == "":
		errs = append(errs, fieldError{"channel-email", "There is no email address on the case: send it by post"})
	case channel == "print" && len(l.Recipient.Address) == 0:
		errs = append(errs, fieldError{"address", "Enter the postal address the letter goes to"})
	}
	var pdf []byte
	if len(errs) == 0 {
		if pdf, err = letters.Render(l, lh); err != nil {
			errs = append(errs, fieldError{"body", "The letter cannot be printed: " + err.Error()})
		}
	}
	if len(errs) > 0 {
		return s.renderDraft(w, r, http.StatusBadRequest, c, l, r.PostForm, errs, true)
	}
	sum := sha256.Sum256(pdf)
	hash := hex.EncodeToString(sum[:])
	u := userOf(r)
	now := s.Now()
	issued := store.Letter{Kind: string(l.Kind), Title: l.Kind.Title(), Stage: c.Stage, IssuedAt: now, IssuedBy: u.Email,
		Channel: channel, Recipient: l.Recipient.Name, Subject: l.Subject, Body: l.Body, PDF: pdf, SHA256: hash, LargePrint: l.LargePrint}
	var mail *store.OutboundMessage
	if channel == "email" {
		mail = &store.OutboundMessage{To: l.Recipient.Email, Subject: l.Subject + " (" + l.Reference + ")", TextBody: letters.EmailText(l),
			Kind: "letter", DedupeKey: "letter:" + hash}
		if !l.PlainTextEmail {
			mail.Attachments = []store.OutboundAttachment{{Name: fmt.Sprintf("%s-%s.pdf", l.Reference, l.Kind), ContentType: "application/pdf", Data: pdf}}
		}
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, _, err = s.cases().IssueLetter(r.Context(), u, c.Reference, version, issued, mail)
	if e, ok := domainErrors(err, "body"); ok {
		return s.renderDraft(w, r, http.StatusConflict, c, l, r.PostForm, e, true)
	} else if err != nil {
		return err
	}
	s.Log.Info("letter issued", "reference", c.Reference, "kind", string(l.Kind), "channel", channel, "user_id", u.ID)
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.Reference)+"?letter=issued#letters", http.StatusSeeOther)
	return nil
}

// issuedLetterPDF downloads a letter exactly as it was issued.
func (s *Server) issuedLetterPDF(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("file"), ".pdf"), 10, 64)
	if err != nil {
		return complaint.Errorf(complaint.NotFound, "case %s has no letter %q", c.Reference, r.PathValue("file"))
	}
	l, err := s.Store.Letter(r.Context(), c.Reference, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%s-%d.pdf"`, c.Reference, l.Kind, l.ID))
	_, err = w.Write(l.PDF)
	return err
}
