package portal

import (
	"net/http"
	"net/url"
	"slices"
)

// question is one page of the form that asks in words: its address under
// /complain/, when it is asked, the values it shows, and how it reads
// and checks what is sent.
type question struct {
	slug    string
	title   func(a *answers) string
	applies func(a *answers) bool
	values  func(a *answers) url.Values
	// read checks the form and applies it to a (a copy, thrown away if
	// the checker has errors).
	read func(a *answers, c *checker)
}

func always(*answers) bool { return true }

func fixed(t string) func(*answers) string { return func(*answers) string { return t } }

// questions are the form's question pages in order; the files page comes
// after them and then the check page.
var questions = []question{
	{
		slug: "kind", title: fixed("What do you want to tell us about?"), applies: always,
		values: func(a *answers) url.Values { return url.Values{"kind": {a.Kind}} },
		read: func(a *answers, c *checker) {
			a.Kind = c.choice("kind", "Select what you want to tell us about", "unhappy", "compliment", "suggestion")
		},
	},
	{
		// Asked of every contact, and early, so that someone in danger
		// is told at once whom to call (Awaab's Law, issue 14).
		slug: "danger", title: fixed("Is anything in your home a danger to your health or safety right now?"), applies: always,
		values: func(a *answers) url.Values {
			return url.Values{"danger": {a.Danger}, "danger-details": {a.DangerDetails}}
		},
		read: func(a *answers, c *checker) {
			a.Danger = c.choice("danger", "Select yes if anything in your home is a danger to health or safety right now", "yes", "no")
			a.DangerDetails = ""
			if a.Danger == "yes" {
				a.DangerDetails = c.text("danger-details", "What the danger is", "Tell us what the danger is", 2000)
			}
		},
	},
	{
		slug: "formal", title: fixed("Do you want us to deal with this as a complaint?"), applies: (*answers).Unhappy,
		values: func(a *answers) url.Values { return url.Values{"formal": {a.Formal}} },
		read: func(a *answers, c *checker) {
			a.Formal = c.choice("formal", "Select yes if you want us to deal with this as a complaint", "yes", "no")
		},
	},
	{
		slug: "who", title: fixed("Are you telling us for yourself or for someone else?"), applies: always,
		values: func(a *answers) url.Values { return url.Values{"who": {a.Who}} },
		read: func(a *answers, c *checker) {
			a.Who = c.choice("who", "Select whether you are telling us for yourself or for someone else", "self", "someone_else")
		},
	},
	{
		slug: "about",
		title: func(a *answers) string {
			if a.ForSomeoneElse() {
				return "About the person you are acting for"
			}
			return "About you"
		},
		applies: always,
		values: func(a *answers) url.Values {
			return url.Values{"name": {a.Name}, "email": {a.Email}, "phone": {a.Phone}, "address": {a.Address},
				"postcode": {a.Postcode}, "tenancy-ref": {a.TenancyRef}}
		},
		read: func(a *answers, c *checker) {
			required := "Enter your full name"
			if a.ForSomeoneElse() {
				required = "Enter their full name"
			}
			a.Name = c.text("name", "Full name", required, 200)
			a.Email = c.email("email")
			a.Phone = c.phone("phone")
			a.Address = c.text("address", "Address", "", 1000)
			a.Postcode = c.postcode("postcode")
			a.TenancyRef = c.text("tenancy-ref", "Tenancy reference", "", 50)
			if !a.ForSomeoneElse() && c.get("email") == "" && c.get("phone") == "" && c.get("address") == "" {
				c.fail("email", "Enter an email address, telephone number or postal address so we can reply to you")
			}
		},
	},
	{
		slug: "representative", title: fixed("About you"), applies: (*answers).ForSomeoneElse,
		values: func(a *answers) url.Values {
			v := url.Values{"rep-name": {a.RepName}, "rep-relationship": {a.RepRelationship}, "rep-email": {a.RepEmail}, "rep-phone": {a.RepPhone}}
			if a.RepConsent {
				v.Set("rep-consent", "yes")
			}
			return v
		},
		read: func(a *answers, c *checker) {
			a.RepName = c.text("rep-name", "Your full name", "Enter your full name", 200)
			a.RepRelationship = c.text("rep-relationship", "How you know them", "Enter how you know the person, for example daughter, advocate or councillor", 100)
			a.RepEmail = c.email("rep-email")
			a.RepPhone = c.phone("rep-phone")
			if c.get("rep-email") == "" && c.get("rep-phone") == "" {
				c.fail("rep-email", "Enter an email address or telephone number so we can reply to you")
			}
			a.RepConsent = c.get("rep-consent") == "yes"
			if !a.RepConsent {
				c.fail("rep-consent", "Confirm that the person has agreed to you acting for them")
			}
		},
	},
	{
		slug: "what-happened",
		title: func(a *answers) string {
			switch a.Kind {
			case "compliment":
				return "Tell us who or what you want to praise"
			case "suggestion":
				return "Tell us your idea"
			}
			return "Tell us what happened"
		},
		applies: always,
		values: func(a *answers) url.Values {
			return url.Values{"summary": {a.Summary}, "description": {a.Description}}
		},
		read: func(a *answers, c *checker) {
			a.Summary = c.text("summary", "The summary", "Enter a short summary", 200)
			required := "Tell us what happened"
			switch a.Kind {
			case "compliment":
				required = "Tell us more about who or what you want to praise"
			case "suggestion":
				required = "Tell us more about your idea"
			}
			a.Description = c.text("description", "The details", required, 10000)
		},
	},
	{
		slug: "put-right", title: fixed("What would put things right?"), applies: (*answers).Unhappy,
		values: func(a *answers) url.Values { return url.Values{"outcome": {a.Outcome}} },
		read: func(a *answers, c *checker) {
			a.Outcome = c.text("outcome", "What would put things right", "", 10000)
		},
	},
	{
		slug: "contact", title: fixed("How should we contact you?"), applies: always,
		values: func(a *answers) url.Values {
			return url.Values{"contact-by": {a.ContactBy}, "adjust": a.Adjust, "language": {a.Language}, "other-help": {a.AdjustOther}}
		},
		read: func(a *answers, c *checker) {
			a.ContactBy = c.choice("contact-by", "Select how you would like us to contact you", "email", "phone", "text_message", "face_to_face", "post")
			switch {
			case a.ContactBy == "email" && a.Email == "" && (!a.ForSomeoneElse() || a.RepEmail == ""):
				c.fail("contact-by", "You have not given us an email address: choose another way, or go back and add one")
			case (a.ContactBy == "phone" || a.ContactBy == "text_message") && a.Phone == "" && (!a.ForSomeoneElse() || a.RepPhone == ""):
				c.fail("contact-by", "You have not given us a telephone number: choose another way, or go back and add one")
			case a.ContactBy == "post" && a.Address == "":
				c.fail("contact-by", "You have not given us a postal address: choose another way, or go back and add one")
			}
			a.Adjust = nil
			for _, k := range c.v["adjust"] {
				if _, ok := adjustmentText[k]; !ok {
					c.fail("adjust", "Select the help you need from the list")
					continue
				}
				if !slices.Contains(a.Adjust, k) {
					a.Adjust = append(a.Adjust, k)
				}
			}
			a.Language, a.AdjustOther = "", ""
			if slices.Contains(a.Adjust, "translation") {
				a.Language = c.text("language", "The language", "Enter the language you need", 100)
			}
			if slices.Contains(a.Adjust, "other") {
				a.AdjustOther = c.text("other-help", "The help you need", "Tell us what help you need", 150)
			}
		},
	},
}

// The files page and the check page, by their place in the form.
const (
	filesStep = "files"
	checkStep = "check"
)

// flow is the pages that apply to these answers, in order.
func flow(a *answers) []string {
	var out []string
	for _, q := range questions {
		if q.applies(a) {
			out = append(out, q.slug)
		}
	}
	return append(out, filesStep)
}

func questionBySlug(slug string) (question, bool) {
	for _, q := range questions {
		if q.slug == slug {
			return q, true
		}
	}
	return question{}, false
}

// complete reports whether a page has been answered and its answers
// still hold: changing an earlier answer (who fills in the form, say) can
// make a later one incomplete.
func complete(a *answers, slug string) bool {
	if !a.Done[slug] {
		return false
	}
	q, ok := questionBySlug(slug)
	if !ok {
		return true
	}
	c := &checker{v: q.values(a)}
	q.read(a.clone(), c)
	return len(c.errs) == 0
}

// firstIncomplete is the first page still to answer, or the check page.
func firstIncomplete(a *answers) string {
	for _, slug := range flow(a) {
		if !complete(a, slug) {
			return slug
		}
	}
	return checkStep
}

// nextAfter is where the form goes once a page is answered: straight on,
// or, once the check page has been seen, back to it unless something is
// now missing.
func nextAfter(a *answers, slug string) string {
	if a.ReachedCheck {
		return firstIncomplete(a)
	}
	f := flow(a)
	if i := slices.Index(f, slug); i >= 0 && i+1 < len(f) {
		return f[i+1]
	}
	return firstIncomplete(a)
}

// previous is the back link of a page.
func previous(a *answers, slug string) string {
	if a.ReachedCheck {
		return "/complain/check"
	}
	f := flow(a)
	if i := slices.Index(f, slug); i > 0 {
		return "/complain/" + f[i-1]
	}
	return "/complain"
}

// allowed reports where to send someone who asks for a page out of turn:
// a page that does not apply to their answers, or one whose earlier
// pages are unanswered. "" means the page may be shown.
func allowed(a *answers, slug string) string {
	if slug == checkStep {
		if to := firstIncomplete(a); to != checkStep {
			return to
		}
		return ""
	}
	f := flow(a)
	i := slices.Index(f, slug)
	if i < 0 {
		return firstIncomplete(a)
	}
	for _, earlier := range f[:i] {
		if !complete(a, earlier) {
			return earlier
		}
	}
	return ""
}

// startPage is the start page.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path == "/complain/" {
		return seeOther(w, r, "/complain")
	}
	s.render(w, http.StatusOK, "start", &page{Title: "Tell us what you think of our services"})
	return nil
}

// startAgain is the page for someone whose form has expired or who never
// started one.
func (s *Server) startAgain(w http.ResponseWriter) error {
	s.render(w, http.StatusOK, "start-again", &page{Title: "You need to start again"})
	return nil
}

// questionPage shows a question with the answer given so far.
func (s *Server) questionPage(q question) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, err := s.loadDraft(r)
		if err != nil {
			return err
		}
		a := &answers{Done: map[string]bool{}}
		switch {
		case d != nil && d.CaseRef == "":
			a = d.a
		case q.slug != "kind":
			// Only the first question can start a form.
			if d == nil {
				return s.startAgain(w)
			}
			return seeOther(w, r, "/complain")
		}
		if to := allowed(a, q.slug); to != "" {
			return seeOther(w, r, "/complain/"+to)
		}
		s.render(w, http.StatusOK, q.slug, s.withDanger(r, a, &page{Title: q.title(a), Back: previous(a, q.slug), Form: q.values(a), Data: a}))
		return nil
	}
}

// answerQuestion checks an answer and, if it is good, saves it and goes
// on. A bad answer changes nothing: the page comes back with the error
// summary and what was typed.
func (s *Server) answerQuestion(q question) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return err
		}
		d, err := s.loadDraft(r)
		if err != nil {
			return err
		}
		a := &answers{Done: map[string]bool{}}
		switch {
		case d != nil && d.CaseRef == "":
			a = d.a
		case q.slug != "kind":
			return s.startAgain(w)
		}
		if to := allowed(a, q.slug); to != "" {
			return seeOther(w, r, "/complain/"+to)
		}
		next := a.clone()
		c := &checker{v: r.PostForm}
		q.read(next, c)
		if len(c.errs) > 0 {
			s.render(w, http.StatusBadRequest, q.slug, s.withDanger(r, a, &page{Title: q.title(a), Back: previous(a, q.slug), Errors: c.errs, Form: r.PostForm, Data: next}))
			return nil
		}
		if filledHoneypot(r.PostForm) {
			next.Bot = true
		}
		next.Done[q.slug] = true
		if d == nil || d.CaseRef != "" {
			if d, err = s.newDraft(w, r); err != nil {
				return err
			}
		}
		if err := s.saveDraft(w, r, d, next); err != nil {
			return err
		}
		return seeOther(w, r, "/complain/"+nextAfter(next, q.slug))
	}
}
