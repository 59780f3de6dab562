package portal

import (
	"errors"
	"net/http"
	"strings"

	"github.com/redresshq/redress/internal/attach"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// summaryRow is one row of a GOV.UK summary list, with its change link.
type summaryRow struct {
	Key    string
	Lines  []string
	Href   string
	Hidden string // the change link's hidden words: "Change <what>"
}

// summarySection is a heading and its summary list.
type summarySection struct {
	Title string
	Rows  []summaryRow
}

var kindLabels = map[string]string{
	"unhappy":    "Something has gone wrong and I'm unhappy about it",
	"compliment": "I want to praise someone or say thank you",
	"suggestion": "I have an idea to make things better",
}

func orNotGiven(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{"Not given"}
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// checkSections are the answers as the check page lists them.
func checkSections(a *answers, files []store.DraftFile) []summarySection {
	row := func(key, value, slug, hidden string) summaryRow {
		return summaryRow{Key: key, Lines: orNotGiven(value), Href: "/complain/" + slug, Hidden: hidden}
	}
	yesNo := map[string]string{"yes": "Yes, deal with it as a complaint", "no": "No, I only want you to know about it"}
	who := map[string]string{"self": "For myself", "someone_else": "For someone else"}
	first := summarySection{Title: "What you are telling us", Rows: []summaryRow{row("What it is about", kindLabels[a.Kind], "kind", "what it is about")}}
	if a.Unhappy() {
		first.Rows = append(first.Rows, row("Deal with it as a complaint", yesNo[a.Formal], "formal", "whether to deal with it as a complaint"))
	}
	danger := "No"
	if a.InDanger() {
		danger = "Yes: " + a.DangerDetails
	}
	first.Rows = append(first.Rows, row("A danger to health or safety now", danger, "danger", "whether anything in your home is a danger to health or safety now"))
	first.Rows = append(first.Rows, row("Who it is for", who[a.Who], "who", "who it is for"))
	out := []summarySection{first}

	title := "About you"
	if a.ForSomeoneElse() {
		title = "About the person you are acting for"
	}
	out = append(out, summarySection{Title: title, Rows: []summaryRow{
		row("Full name", a.Name, "about", "full name"),
		row("Email address", a.Email, "about", "email address"),
		row("Telephone number", a.Phone, "about", "telephone number"),
		row("Address", a.Address, "about", "address"),
		row("Postcode", a.Postcode, "about", "postcode"),
		row("Tenancy reference", a.TenancyRef, "about", "tenancy reference"),
	}})
	if a.ForSomeoneElse() {
		consent := ""
		if a.RepConsent {
			consent = "They have agreed to me acting for them"
		}
		out = append(out, summarySection{Title: "About you", Rows: []summaryRow{
			row("Your full name", a.RepName, "representative", "your full name"),
			row("How you know them", a.RepRelationship, "representative", "how you know them"),
			row("Your email address", a.RepEmail, "representative", "your email address"),
			row("Your telephone number", a.RepPhone, "representative", "your telephone number"),
			row("Their agreement", consent, "representative", "their agreement"),
		}})
	}

	what := summarySection{Title: "What you told us", Rows: []summaryRow{
		row("Summary", a.Summary, "what-happened", "summary"),
		row("Details", a.Description, "what-happened", "details"),
	}}
	if a.Unhappy() {
		what.Rows = append(what.Rows, row("What would put things right", a.Outcome, "put-right", "what would put things right"))
	}
	out = append(out, what)

	help := a.adjustments()
	ways := map[string]string{"email": "Email", "phone": "Telephone", "post": "Post", "text_message": "Text message", "face_to_face": "Face to face"}
	contact := summaryRow{Key: "Contact by", Lines: orNotGiven(ways[a.ContactBy]), Href: "/complain/contact", Hidden: "how to contact you"}
	helpRow := summaryRow{Key: "Help you need", Lines: []string{"None"}, Href: "/complain/contact", Hidden: "the help you need"}
	if len(help) > 1 {
		helpRow.Lines = help[1:]
	}
	out = append(out, summarySection{Title: "Contact and help", Rows: []summaryRow{contact, helpRow}})

	names := []string{"None"}
	if len(files) > 0 {
		names = nil
		for _, f := range files {
			names = append(names, f.Name)
		}
	}
	out = append(out, summarySection{Title: "Photos and documents", Rows: []summaryRow{{Key: "Files", Lines: names, Href: "/complain/files", Hidden: "photos and documents"}}})
	return out
}

func sendLabel(a *answers) string {
	switch a.kind() {
	case complaint.KindComplaint:
		return "Send your complaint"
	case complaint.KindCompliment:
		return "Send your compliment"
	case complaint.KindSuggestion:
		return "Send your suggestion"
	}
	return "Send your feedback"
}

// checkPage lists every answer with a link to change it.
func (s *Server) checkPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.liveDraft(w, r, checkStep)
	if d == nil {
		return err
	}
	if to := firstIncomplete(d.a); to != checkStep {
		return seeOther(w, r, "/complain/"+to)
	}
	if !d.a.ReachedCheck {
		next := d.a.clone()
		next.ReachedCheck = true
		if err := s.saveDraft(w, r, d, next); err != nil {
			return err
		}
	}
	s.renderCheck(w, r, http.StatusOK, d, nil)
	return nil
}

func (s *Server) renderCheck(w http.ResponseWriter, r *http.Request, status int, d *draft, errs []fieldError) {
	s.render(w, status, "check", s.withDanger(r, d.a, &page{Title: "Check your answers before sending", Back: "/complain/files", Errors: errs,
		Data: map[string]any{"Sections": checkSections(d.a, d.Files), "Send": sendLabel(d.a), "Complaint": d.a.kind() == complaint.KindComplaint}}))
}

// send makes the case from the answers, then stores the files with it,
// and only then says so: a confirmation means it is all on disk. A form
// already sent (a second click) goes to its confirmation. A form a
// program filled in gets a confirmation with no reference, and nothing
// is kept.
func (s *Server) send(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if d == nil {
		return s.startAgain(w)
	}
	if d.CaseRef != "" {
		return seeOther(w, r, "/complain/confirmation")
	}
	if err := s.limit(s.submits, r); err != nil {
		return err
	}
	if d.a.Bot || filledHoneypot(r.PostForm) {
		s.Log.Warn("form dropped: the hidden field was filled in")
		if err := s.Drafts.DeleteDraft(r.Context(), d.hash); err != nil {
			return err
		}
		s.clearDraftCookie(w)
		s.render(w, http.StatusOK, "confirmation", &page{Title: "We have your " + kindWords[d.a.kind()], Data: confirmation{Kind: d.a.kind()}})
		return nil
	}
	if to := firstIncomplete(d.a); to != checkStep {
		return seeOther(w, r, "/complain/"+to)
	}
	now := s.Now()
	cmd := d.a.create()
	c, err := s.Drafts.SubmitDraft(r.Context(), d.hash, now, func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
		return complaint.NewCase(cmd, complaint.Env{Now: now, Actor: resident, Policy: s.Policy, Calendar: s.Calendar, NewReference: ref})
	})
	var e *complaint.Error
	if errors.As(err, &e) && e.Code == complaint.Invalid {
		// The pages check more than the rules, so this is a bug; say so
		// on the page rather than lose the answers.
		s.Log.Error("web form refused by the rules", "err", err)
		s.renderCheck(w, r, http.StatusBadRequest, d, []fieldError{{Field: "send", Message: capitalise(e.Error())}})
		return nil
	}
	if err != nil {
		return err
	}
	d.CaseRef = c.Reference
	s.Log.Info("web form sent", "reference", c.Reference, "kind", string(c.Kind))
	if err := s.moveFiles(r, d, d.a.Name); err != nil {
		return err
	}
	return seeOther(w, r, "/complain/confirmation")
}

// moveFiles stores a sent draft's files with its case and deletes them
// from the draft. If it fails, the files stay with the draft and the
// confirmation page tries again.
func (s *Server) moveFiles(r *http.Request, d *draft, from string) error {
	if len(d.Files) == 0 {
		return nil
	}
	stored, err := s.Drafts.DraftFileData(r.Context(), d.hash)
	if err != nil {
		return err
	}
	files := make([]attach.File, len(stored))
	for i, f := range stored {
		files[i] = attach.File{Name: f.Name, ContentType: f.ContentType, Data: f.Data, SHA256: f.SHA256}
	}
	info := complaint.AddInformation{Source: "portal", From: from, Text: "Photos and documents sent with the web form."}
	if _, err := s.cases.Receive(r.Context(), resident, d.CaseRef, s.Now(), info, files); err != nil {
		return err
	}
	if err := s.Drafts.DeleteDraftFiles(r.Context(), d.hash); err != nil {
		return err
	}
	d.Files = nil
	return nil
}

// confirmation is what the confirmation page shows: no reference for a
// dropped form.
type confirmation struct {
	Reference     string
	Kind          complaint.Kind
	AcknowledgeBy calendar.Date
	RespondBy     calendar.Date
	// TrackingCode is the case's tracking code as people read it: with
	// the reference, it lets the resident follow the case online without
	// an email address.
	TrackingCode string
	// Email is whether the case has an address a tracking link can go to.
	Email bool
	Files int
}

// confirmation shows the reference and the dates the policy promises.
func (s *Server) confirmation(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if d == nil {
		return s.startAgain(w)
	}
	if d.CaseRef == "" {
		return seeOther(w, r, "/complain/check")
	}
	if err := s.moveFiles(r, d, d.a.Name); err != nil {
		return err
	}
	c, err := s.Store.GetCase(r.Context(), d.CaseRef)
	if err != nil {
		return err
	}
	code, err := s.Store.TrackingCode(r.Context(), c.Reference, s.Now())
	if err != nil {
		return err
	}
	conf := confirmation{Reference: c.Reference, Kind: c.Kind, TrackingCode: store.FormatTrackingCode(code), Email: len(linkRecipients(c)) > 0}
	if len(c.Stages) > 0 {
		conf.AcknowledgeBy, conf.RespondBy = c.Stages[0].AcknowledgeBy, c.Stages[0].RespondBy
	}
	title := "We have your " + kindWords[c.Kind]
	s.render(w, http.StatusOK, "confirmation", s.withDanger(r, d.a, &page{Title: title, Data: conf}))
	return nil
}

// kindWords name each kind of case to residents.
var kindWords = map[complaint.Kind]string{
	complaint.KindComplaint:      "complaint",
	complaint.KindFeedback:       "feedback",
	complaint.KindCompliment:     "compliment",
	complaint.KindSuggestion:     "suggestion",
	complaint.KindServiceRequest: "request",
	complaint.KindEnquiry:        "enquiry",
}
