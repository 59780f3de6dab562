package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Letters: an officer picks a kind of letter the case calls for, gets a
// draft filled from the case, edits it, checks and previews it, and issues
// it. Issuing stores the exact PDF with its hash, records the letter on the
// case's audit chain, and queues the email (if it goes by email) in the
// same transaction; an issued letter never changes. The steps themselves
// are casework's, which the JSON API calls too; these pages are their form.

// letterForm is what the draft page's form carries between steps.
type letterForm struct {
	Kind    letters.Kind
	Body    formField
	Address formField
	Channel string
	// Large and Plain are the formats, from the case's adjustments at
	// first and as the officer set them after.
	Large, Plain bool
	// Issued is the letter of the kind already issued at the stage, or
	// nil. With it the form asks why the letter is going again
	// (ReissueReason) and for a confirmation (ConfirmReissue), which
	// casework requires before a resident gets a second copy.
	Issued                        *store.Letter
	ReissueReason, ConfirmReissue formField
}

// issuedLetter is an issued letter as the case page lists it: when, how,
// to whom and by whom it went, and, for a second copy, why.
type issuedLetter struct {
	ID                    int64
	Title, Issued, By, To string
	Sent, SHA, ReissueWhy string
}

// letterSection is the case page's letters section: the letters issued,
// the letters the case is waiting for (Due, each a prompt until it has
// gone), and the kinds that may be written now, which for a kind already
// issued means sending it again with a reason.
type letterSection struct {
	Reference  string
	CanAct     bool
	JustIssued bool
	Letters    []issuedLetter
	Due        []letters.Kind
	Kinds      []letters.Kind
	// Issued holds the kinds among Kinds already issued at the stage.
	Issued map[letters.Kind]bool
}

// newLetterSection builds the case page's letters section from the case,
// its letters (oldest first) and its outbox. A kind the case calls for is
// due until a letter of it has gone at the stage (casework.Repeated):
// that is the prompt the page shows, and it goes once the letter has.
// An action update is never due: it is news to send when there is some.
func newLetterSection(c complaint.Case, issued []store.Letter, outbox []store.OutboundMessage, canAct, justIssued bool) letterSection {
	sec := letterSection{Reference: c.Reference, CanAct: canAct, JustIssued: justIssued, Kinds: letters.Applicable(c), Issued: map[letters.Kind]bool{}}
	earlier := map[string]int{}
	for _, l := range issued {
		row := issuedLetter{ID: l.ID, Title: l.Title, Issued: formatTime(l.IssuedAt), By: l.IssuedBy, To: l.Recipient,
			Sent: "Post: for printing and posting", SHA: l.SHA256[:min(12, len(l.SHA256))], ReissueWhy: l.ReissueReason}
		key := l.Kind + "/" + strconv.Itoa(l.Stage)
		if l.Channel == casework.ChannelEmail {
			row.Sent = "Email: not sent yet"
			dedupe := casework.LetterEmailKey(l.SHA256, l.ReissueReason != "", earlier[key])
			for _, m := range outbox {
				if m.DedupeKey == dedupe {
					row.Sent = "Email: " + emailStatus(m)
					if m.To != "" {
						row.To += " (" + m.To + ")"
					}
				}
			}
		}
		earlier[key]++
		sec.Letters = append(sec.Letters, row)
	}
	for _, k := range sec.Kinds {
		if casework.Repeated(c, k, issued) != nil {
			sec.Issued[k] = true
		} else if k != letters.ActionUpdate {
			sec.Due = append(sec.Due, k)
		}
	}
	return sec
}

// formEdits are the officer's edits as the draft page's form carries
// them: every field, always, since an unticked box is sent as nothing.
func formEdits(form url.Values) casework.LetterEdits {
	body := form.Get("body")
	address := lines(form.Get("address"))
	large := form.Get("large_print") == "yes"
	plain := form.Get("plain_text_email") == "yes"
	return casework.LetterEdits{Body: &body, Address: &address, LargePrint: &large, PlainTextEmail: &plain}
}

func (s *Server) newLetterPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	kind := letters.Kind(r.URL.Query().Get("kind"))
	if kind == "" {
		// Each kind already issued at the stage says when, so that
		// choosing it is choosing to send it again.
		all, err := s.Store.Letters(r.Context(), c.Reference)
		if err != nil {
			return err
		}
		kinds := letters.Applicable(c)
		issued := map[letters.Kind]*store.Letter{}
		for _, k := range kinds {
			if prior := casework.Repeated(c, k, all); prior != nil {
				issued[k] = &prior[len(prior)-1]
			}
		}
		s.render(w, r, http.StatusOK, "letter-new", map[string]any{
			"Title": "Write a letter", "Nav": "cases", "Case": c, "Kinds": kinds, "Issued": issued})
		return nil
	}
	if _, err := letters.ParseKind(string(kind)); err != nil {
		return complaint.InvalidField("kind", "%v", err)
	}
	d, err := s.cases().DraftLetter(r.Context(), c, kind)
	if err != nil {
		return err
	}
	l := d.Letter
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
	prior, err := s.cases().LettersIssued(r.Context(), c, l.Kind)
	if err != nil {
		return err
	}
	if len(prior) > 0 {
		lf.Issued = &prior[len(prior)-1]
		lf.ReissueReason = rows(newField(casework.FieldReissueReason, "Why is it being sent again?",
			"Kept with the letter and on the case's record, such as: the resident asked for another copy", form, errs), 3)
		lf.ConfirmReissue = newField(casework.FieldConfirmReissue, "Send the resident this letter again", "", form, errs)
	}
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
func (s *Server) letterStep(r *http.Request) (complaint.Case, casework.LetterDraft, error) {
	c, err := s.loadVisible(r, r.PathValue("ref"))
	if err != nil {
		return c, casework.LetterDraft{}, err
	}
	if err := r.ParseForm(); err != nil {
		return c, casework.LetterDraft{}, err
	}
	d, err := s.cases().EditedDraft(r.Context(), c, r.PostForm.Get("kind"), formEdits(r.PostForm))
	return c, d, err
}

func (s *Server) previewLetter(w http.ResponseWriter, r *http.Request) error {
	c, d, err := s.letterStep(r)
	if err != nil {
		return err
	}
	return s.renderDraft(w, r, http.StatusOK, c, d.Letter, r.PostForm, nil, true)
}

func (s *Server) previewLetterPDF(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.letterStep(r)
	if err != nil {
		return err
	}
	pdf, err := d.Render()
	if err != nil {
		return err
	}
	l := d.Letter
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="draft-%s-%s.pdf"`, l.Reference, l.Kind))
	_, err = w.Write(pdf)
	return err
}

// issueLetter issues the letter if nothing the Code requires is missing.
// A kind already issued at the stage goes again only with the form's
// reason and confirmation; without them the form comes back, now asking
// for both, and nothing is sent. So the same form sent twice (a double
// click) sends once: a first issue sent again is that refusal, and a
// reissue sent again issues nothing more and shows the letter issued.
func (s *Server) issueLetter(w http.ResponseWriter, r *http.Request) error {
	c, d, err := s.letterStep(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	d.Reissue = casework.Reissue{Reason: r.PostForm.Get(casework.FieldReissueReason), Confirmed: r.PostForm.Get(casework.FieldConfirmReissue) == "yes"}
	_, _, err = s.cases().IssueDraft(r.Context(), u, c, d, r.PostForm.Get("channel"), version)
	var refused *casework.LetterRefused
	if errors.As(err, &refused) {
		var errs []fieldError
		for _, p := range refused.All() {
			field := p.Field
			if field == "channel" {
				// The error links to the first of the channel's radios.
				field = "channel-email"
			}
			errs = append(errs, fieldError{field, capitalise(p.Message)})
		}
		status := http.StatusBadRequest
		if complaint.ErrorCode(err) == complaint.Conflict {
			status = http.StatusConflict
		}
		return s.renderDraft(w, r, status, c, d.Letter, r.PostForm, errs, true)
	}
	if e, ok := domainErrors(err, "body"); ok {
		return s.renderDraft(w, r, http.StatusConflict, c, d.Letter, r.PostForm, e, true)
	} else if err != nil {
		return err
	}
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
