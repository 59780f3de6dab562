package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/casework"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
	"github.com/redresshq/redress/internal/store"
)

// Letters over the API do what the staff pages do, through the same
// casework steps, so that a client can complete a case: every step
// re-drafts the letter from the case as it is now and applies the
// client's edits, and issuing refuses a letter that leaves out what the
// Code requires, exactly as the pages do.

// letterKindBody is the body of a request for a fresh draft.
type letterKindBody struct {
	Kind string `json:"kind"`
}

// letterEditBody is a draft as a client edited it. A field left out (or
// null) keeps what the draft says, so a client may check or issue the
// draft as drafted by naming only its kind.
type letterEditBody struct {
	Kind           string    `json:"kind"`
	Body           *string   `json:"body"`
	Address        *[]string `json:"address"`
	LargePrint     *bool     `json:"large_print"`
	PlainTextEmail *bool     `json:"plain_text_email"`
}

func (b letterEditBody) edits() casework.LetterEdits {
	return casework.LetterEdits{Body: b.Body, Address: b.Address, LargePrint: b.LargePrint, PlainTextEmail: b.PlainTextEmail}
}

// issueLetterBody is an edited draft to issue, how it goes, and the
// version of the case the client last saw (0 or left out: If-Match, or
// do not check), since the letter is decided on what the client read.
// A letter of a kind already issued at the stage goes again only with
// a reissue_reason and confirm_reissue true, so that a client retrying
// or repeating itself never sends the resident a second copy.
type issueLetterBody struct {
	letterEditBody
	Channel        string `json:"channel"`
	IfVersion      int    `json:"if_version"`
	ReissueReason  string `json:"reissue_reason"`
	ConfirmReissue bool   `json:"confirm_reissue"`
}

// letterJSON is an issued letter as a client lists it: its record, not
// its text or PDF, which Download gives exactly as issued. Status is
// always "issued", since only issued letters are stored, and says so in
// so many words beside when (issued_at), how (channel), to whom
// (recipient) and by whom (issued_by). Reissue and ReissueReason say a
// letter is a second copy of its kind at the stage, and why it went.
type letterJSON struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	Stage         int       `json:"stage"`
	Status        string    `json:"status"`
	IssuedAt      time.Time `json:"issued_at"`
	IssuedBy      string    `json:"issued_by"`
	Channel       string    `json:"channel"`
	Recipient     string    `json:"recipient"`
	Subject       string    `json:"subject"`
	SHA256        string    `json:"sha256"`
	LargePrint    bool      `json:"large_print"`
	Reissue       bool      `json:"reissue"`
	ReissueReason string    `json:"reissue_reason"`
	Download      string    `json:"download"`
}

func letterMeta(ref string, l store.Letter) letterJSON {
	return letterJSON{ID: l.ID, Kind: l.Kind, Title: l.Title, Stage: l.Stage, Status: "issued", IssuedAt: l.IssuedAt, IssuedBy: l.IssuedBy,
		Channel: l.Channel, Recipient: l.Recipient, Subject: l.Subject, SHA256: l.SHA256, LargePrint: l.LargePrint,
		Reissue: l.ReissueReason != "", ReissueReason: l.ReissueReason, Download: letterPath(ref, l.ID)}
}

// letterPath is where an issued letter's PDF is downloaded from.
func letterPath(ref string, id int64) string {
	return fmt.Sprintf("/api/v1/cases/%s/letters/%d/pdf", url.PathEscape(ref), id)
}

// kindJSON is a kind of letter the case calls for now. Issued says one
// has already gone at the stage, so that a client shows it as done and
// knows another needs a reissue_reason.
type kindJSON struct {
	Kind   letters.Kind `json:"kind"`
	Title  string       `json:"title"`
	Issued bool         `json:"issued"`
}

// recipientJSON always has every field, so a client need not tell a
// missing address from an empty one.
type recipientJSON struct {
	Name    string   `json:"name"`
	Address []string `json:"address"`
	Email   string   `json:"email"`
}

// draftJSON is a draft for a client to edit, with what the Code requires
// that it still lacks.
type draftJSON struct {
	Kind           letters.Kind      `json:"kind"`
	Title          string            `json:"title"`
	Reference      string            `json:"reference"`
	Date           calendar.Date     `json:"date"`
	Subject        string            `json:"subject"`
	Recipient      recipientJSON     `json:"recipient"`
	Body           string            `json:"body"`
	LargePrint     bool              `json:"large_print"`
	PlainTextEmail bool              `json:"plain_text_email"`
	Missing        []letters.Missing `json:"missing"`
}

// missingOf is what the draft lacks, as an array even when empty, since
// an empty array is what "may be issued" looks like to a client.
func missingOf(d casework.LetterDraft) []letters.Missing {
	m := d.Missing()
	if m == nil {
		m = []letters.Missing{}
	}
	return m
}

func (s *Server) listLetters(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	ls, err := s.Store.Letters(r.Context(), c.Reference)
	if err != nil {
		return err
	}
	out := make([]letterJSON, 0, len(ls))
	for _, l := range ls {
		out = append(out, letterMeta(c.Reference, l))
	}
	kinds := []kindJSON{}
	for _, k := range letters.Applicable(c) {
		kinds = append(kinds, kindJSON{k, k.Title(), casework.Repeated(c, k, ls) != nil})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"reference": c.Reference, "letters": out, "applicable": kinds})
}

// letterPDF downloads a letter exactly as it was issued: the bytes whose
// SHA-256 the case's audit trail holds.
func (s *Server) letterPDF(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return complaint.Errorf(complaint.NotFound, "case %s has no letter %q", c.Reference, r.PathValue("id"))
	}
	l, err := s.Store.Letter(r.Context(), c.Reference, id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(l.SHA256))
	return writePDF(w, http.StatusOK, fmt.Sprintf("%s-%s-%d.pdf", c.Reference, l.Kind, l.ID), l.PDF)
}

func writePDF(w http.ResponseWriter, status int, name string, pdf []byte) error {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename=%q`, name))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, err := w.Write(pdf)
	return err
}

func (s *Server) draftLetter(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	var body letterKindBody
	if err := decode(r, &body, false); err != nil {
		return err
	}
	d, err := s.cases().EditedDraft(r.Context(), c, body.Kind, casework.LetterEdits{})
	if err != nil {
		return err
	}
	l := d.Letter
	address := l.Recipient.Address
	if address == nil {
		address = []string{}
	}
	return writeJSON(w, http.StatusOK, draftJSON{
		Kind: l.Kind, Title: l.Kind.Title(), Reference: l.Reference, Date: l.Date, Subject: l.Subject,
		Recipient: recipientJSON{Name: l.Recipient.Name, Address: address, Email: l.Recipient.Email},
		Body:      l.Body, LargePrint: l.LargePrint, PlainTextEmail: l.PlainTextEmail, Missing: missingOf(d),
	})
}

// editedDraft loads the case, reads the edited draft in the request's
// body, and re-drafts the letter with the edits. The case is loaded
// first, so a case the caller may not see is not found whatever the body.
func (s *Server) editedDraft(r *http.Request) (casework.LetterDraft, error) {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return casework.LetterDraft{}, err
	}
	var body letterEditBody
	if err := decode(r, &body, false); err != nil {
		return casework.LetterDraft{}, err
	}
	return s.cases().EditedDraft(r.Context(), c, body.Kind, body.edits())
}

func (s *Server) checkLetter(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editedDraft(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"missing": missingOf(d)})
}

func (s *Server) previewLetter(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editedDraft(r)
	if err != nil {
		return err
	}
	pdf, err := d.Render()
	if err != nil {
		return err
	}
	return writePDF(w, http.StatusOK, fmt.Sprintf("draft-%s-%s.pdf", d.Letter.Reference, d.Letter.Kind), pdf)
}

// issueLetter issues the edited draft if nothing the Code requires is
// missing, and answers with the letter's record and the case's new
// version, which the next command's If-Match needs. A kind already
// issued at the stage is a 409 naming reissue_reason unless the body
// gives one and confirms it, so a first issue retried is that 409, and
// a reissue retried issues nothing more: it answers 200 with the letter
// the first request issued.
func (s *Server) issueLetter(w http.ResponseWriter, r *http.Request) error {
	c, err := s.load(r, r.PathValue("ref"))
	if err != nil {
		return err
	}
	var body issueLetterBody
	if err := decode(r, &body, false); err != nil {
		return err
	}
	version := body.IfVersion
	switch {
	case version < 0:
		return complaint.InvalidField("if_version", "want the case's version, such as 3, or leave it out")
	case version == 0:
		if version, err = ifMatch(r); err != nil {
			return err
		}
	}
	d, err := s.cases().EditedDraft(r.Context(), c, body.Kind, body.edits())
	if err != nil {
		return err
	}
	d.Reissue = casework.Reissue{Reason: body.ReissueReason, Confirmed: body.ConfirmReissue}
	after, l, err := s.cases().IssueDraft(r.Context(), userOf(r), c, d, body.Channel, version)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if after.Version == c.Version {
		// Nothing was recorded: the letter is the one an earlier,
		// identical request issued.
		status = http.StatusOK
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(after.Version)))
	w.Header().Set("Location", letterPath(c.Reference, l.ID))
	return writeJSON(w, status, map[string]any{"letter": letterMeta(c.Reference, l), "reference": c.Reference, "version": after.Version})
}
