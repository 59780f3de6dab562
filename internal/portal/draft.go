package portal

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// draftCookie holds the random id of the resident's form in progress.
const draftCookie = "redress_form"

// answers are what the resident has said so far. They are kept as JSON
// in the draft, opaque to storage.
type answers struct {
	// Kind is what they want to tell us: unhappy, compliment or
	// suggestion; Formal (yes or no) whether something that went wrong
	// is to be a complaint or feedback.
	Kind   string `json:"kind,omitempty"`
	Formal string `json:"formal,omitempty"`
	// Who is self or someone_else: a representative fills in the form.
	Who string `json:"who,omitempty"`
	// Danger (yes or no) is whether anything in the home is a danger to
	// health or safety now, and DangerDetails the resident's words about
	// it when it is (Awaab's Law, issue 14).
	Danger        string `json:"danger,omitempty"`
	DangerDetails string `json:"danger_details,omitempty"`

	// The resident.
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Address    string `json:"address,omitempty"`
	Postcode   string `json:"postcode,omitempty"`
	TenancyRef string `json:"tenancy_ref,omitempty"`

	// The representative, when Who is someone_else.
	RepName         string `json:"rep_name,omitempty"`
	RepRelationship string `json:"rep_relationship,omitempty"`
	RepEmail        string `json:"rep_email,omitempty"`
	RepPhone        string `json:"rep_phone,omitempty"`
	RepConsent      bool   `json:"rep_consent,omitempty"`

	Summary     string `json:"summary,omitempty"`
	Description string `json:"description,omitempty"`
	Outcome     string `json:"outcome,omitempty"`

	// ContactBy is email, phone or post; Adjust the help chosen, with
	// the language of a translation and any other help in words.
	ContactBy   string   `json:"contact_by,omitempty"`
	Adjust      []string `json:"adjust,omitempty"`
	Language    string   `json:"language,omitempty"`
	AdjustOther string   `json:"adjust_other,omitempty"`

	// Done names the pages answered; ReachedCheck is set once the check
	// page has been seen, after which each page returns to it.
	Done         map[string]bool `json:"done,omitempty"`
	ReachedCheck bool            `json:"reached_check,omitempty"`
	// Bot is set when the hidden field that people never see was filled
	// in: the form is then dropped when sent.
	Bot bool `json:"bot,omitempty"`
}

func (a *answers) clone() *answers {
	n := *a
	n.Adjust = slices.Clone(a.Adjust)
	n.Done = map[string]bool{}
	for k, v := range a.Done {
		n.Done[k] = v
	}
	return &n
}

// kind is the kind of case the answers make.
func (a *answers) kind() complaint.Kind {
	switch {
	case a.Kind == "compliment":
		return complaint.KindCompliment
	case a.Kind == "suggestion":
		return complaint.KindSuggestion
	case a.Formal == "no":
		return complaint.KindFeedback
	}
	return complaint.KindComplaint
}

// Unhappy reports whether the resident is unhappy about something, for
// the templates' wording.
func (a *answers) Unhappy() bool { return a.Kind == "unhappy" }

// InDanger reports whether the resident said something in the home is a
// danger to health or safety now.
func (a *answers) InDanger() bool { return a.Danger == "yes" }

// dangerMark starts the description of a case whose resident said
// something in the home is a danger now, before their words about it.
const dangerMark = "DANGER TO HEALTH OR SAFETY NOW, in the resident's words: "

// ForSomeoneElse reports whether a representative fills in the form.
func (a *answers) ForSomeoneElse() bool { return a.Who == "someone_else" }

// adjustmentText is each kind of help as staff read it on the case.
// Letters look for "large print" and "plain text" in these.
var adjustmentText = map[string]string{
	"large_print":   "Large print letters",
	"plain_text":    "Emails in plain text",
	"phone_call":    "A phone call to explain our reply",
	"translation":   "Translation or interpreter",
	"named_contact": "One named person to deal with",
	"other":         "Other help",
}

// adjustmentOrder is the order the help is offered in.
var adjustmentOrder = []string{"large_print", "plain_text", "phone_call", "translation", "named_contact", "other"}

var contactText = map[string]string{"email": "Contact by email", "phone": "Contact by phone", "post": "Contact by post",
	"text_message": "Contact by text message", "face_to_face": "Contact face to face"}

// adjustments are the contact preference and the help chosen, as the
// case's reasonable adjustments.
func (a *answers) adjustments() []string {
	var out []string
	if t, ok := contactText[a.ContactBy]; ok {
		out = append(out, t)
	}
	for _, k := range adjustmentOrder {
		if !slices.Contains(a.Adjust, k) {
			continue
		}
		t := adjustmentText[k]
		switch k {
		case "translation":
			t += ": " + a.Language
		case "other":
			t += ": " + a.AdjustOther
		}
		out = append(out, t)
	}
	return out
}

// create is the new case the answers make.
func (a *answers) create() complaint.Create {
	c := complaint.Create{
		Kind: a.kind(), Channel: "web",
		Complainant: complaint.Person{Name: a.Name, Email: a.Email, Phone: a.Phone, Address: a.Address, Postcode: a.Postcode, TenancyRef: a.TenancyRef},
		Summary:     a.Summary, Description: a.Description, Adjustments: a.adjustments(),
		ResponseMethod: responseMethodOf(a.ContactBy),
	}
	if a.InDanger() {
		// The flag alerts the senior managers; the resident's words go
		// first in the description, marked as theirs, so that whoever
		// triages the case reads the danger before anything else.
		c.HealthAndSafety = true
		c.Description = dangerMark + a.DangerDetails + "\n\n" + a.Description
	}
	if a.Kind == "unhappy" {
		c.DesiredOutcome = a.Outcome
	}
	if a.ForSomeoneElse() {
		c.Representative = &complaint.Representative{Name: a.RepName, Relationship: a.RepRelationship,
			ConsentRecorded: a.RepConsent, Email: a.RepEmail, Phone: a.RepPhone}
	}
	return c
}

// draft is a form in progress as a request sees it.
type draft struct {
	token string // from the cookie
	hash  string
	store.Draft
	a *answers
}

// loadDraft returns the request's draft, sent or not, or nil if it has
// none that is live.
func (s *Server) loadDraft(r *http.Request) (*draft, error) {
	ck, err := r.Cookie(draftCookie)
	if err != nil || len(ck.Value) < 40 || len(ck.Value) > 64 {
		return nil, nil
	}
	d := &draft{token: ck.Value, hash: auth.SecretHash(ck.Value), a: &answers{}}
	d.Draft, err = s.Drafts.Draft(r.Context(), d.hash, s.Now())
	if complaint.ErrorCode(err) == complaint.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(d.Answers, d.a); err != nil {
		return nil, err
	}
	if d.a.Done == nil {
		d.a.Done = map[string]bool{}
	}
	return d, nil
}

// newDraft starts a form for the request, within the limit of new forms
// per client, and sets its cookie.
func (s *Server) newDraft(w http.ResponseWriter, r *http.Request) (*draft, error) {
	if err := s.limit(s.forms, r); err != nil {
		return nil, err
	}
	now := s.Now()
	// Expired drafts go as new ones come, so that the table holds
	// about a day of forms without a separate job.
	if n, err := s.Drafts.DeleteExpiredDrafts(r.Context(), now); err != nil {
		return nil, err
	} else if n > 0 {
		s.Log.Info("expired forms deleted", "count", n)
	}
	d := &draft{token: auth.NewSecret(), a: &answers{Done: map[string]bool{}}}
	d.hash = auth.SecretHash(d.token)
	d.Draft = store.Draft{IDHash: d.hash, Answers: []byte("{}"), CreatedAt: now, ExpiresAt: now.Add(draftTTL)}
	if err := s.Drafts.CreateDraft(r.Context(), d.Draft); err != nil {
		return nil, err
	}
	s.setDraftCookie(w, d.token)
	return d, nil
}

// saveDraft stores the answers and gives the form another day.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request, d *draft, a *answers) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	now := s.Now()
	if err := s.Drafts.SaveDraft(r.Context(), d.hash, b, now, now.Add(draftTTL)); err != nil {
		return err
	}
	d.a = a
	s.setDraftCookie(w, d.token)
	return nil
}

func (s *Server) setDraftCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: token, Path: "/complain", MaxAge: int(draftTTL.Seconds()),
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearDraftCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: "", Path: "/complain", MaxAge: -1,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode})
}

// honeypot is the name of the field hidden from people: only a program
// filling in every field it finds puts anything in it.
const honeypot = "website"

func filledHoneypot(v url.Values) bool { return v.Get(honeypot) != "" }
