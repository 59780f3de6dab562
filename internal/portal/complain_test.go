package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/letters"
)

func TestStartPageLeadsToTheFirstQuestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	r := c.get("/complain")
	wantStatus(t, "start page", r, 200)
	wantText(t, "start page", r, "Tell us what you think of our services", "Start now", "Follow your complaint or feedback")
	if !strings.Contains(r.Body, `href="/complain/kind" role="button"`) {
		t.Errorf("the start button does not lead to the first question")
	}
	for h, want := range map[string]string{
		"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	wantRedirect(t, "start page with a slash", c.get("/complain/"), "/complain")

	r = c.get("/complain/kind")
	wantStatus(t, "first question", r, 200)
	wantText(t, "first question", r, "What do you want to tell us about?", "Something has gone wrong and I'm unhappy about it", "I want to praise someone", "I have an idea")
	noText(t, "first question", r, "complaint?")
	if c.draftHash() != "" {
		t.Errorf("looking at the first question started a form")
	}

	// A later question needs a form in progress.
	r = c.get("/complain/about")
	wantStatus(t, "a later question with no form", r, 200)
	wantText(t, "a later question with no form", r, "You need to start again")
	r = c.post("/complain/about", url.Values{"name": {"Jo"}})
	wantText(t, "answering a later question with no form", r, "You need to start again")

	// The assets are served, and unknown pages are 404 pages.
	if !strings.Contains(r.Body, `href="/assets/`) {
		t.Errorf("the page links no stylesheet")
	}
	css := c.get("/assets/govuk-frontend.min.css")
	wantStatus(t, "stylesheet", css, 200)
	r = c.get("/complain/nonsense")
	wantStatus(t, "unknown page", r, 404)
	wantText(t, "unknown page", r, "Page not found")
}

func TestComplaintByAResidentIsStoredWithItsFilesAndDates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("files", goodAnswers())

	// The cookie is HttpOnly and Lax, and only for the form.
	r := c.post("/complain/kind", url.Values{"kind": {"unhappy"}})
	var cookie string
	for _, sc := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "redress_form=") {
			cookie = sc
		}
	}
	for _, want := range []string{"Path=/complain", "HttpOnly", "SameSite=Lax", "Max-Age=86400"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("form cookie %q lacks %s", cookie, want)
		}
	}
	wantRedirect(t, "going back to an answered page goes on", r, "/complain/danger")

	// Two files, one at a time, and one removed.
	r = c.get("/complain/files")
	wantStatus(t, "files page", r, 200)
	wantText(t, "files page", r, "Do you want to send photos or documents?", "Up to 10 files")
	wantRedirect(t, "upload a photo", c.postFiles("/complain/files", url.Values{"action": {"upload"}}, upload{"boiler.png", pngFile}), "/complain/files")
	wantRedirect(t, "upload a letter", c.postFiles("/complain/files", url.Values{"action": {"upload"}}, upload{"letter.pdf", pdfFile}, upload{"notes.txt", []byte("Engineer came on 3 November.")}), "/complain/files")
	d := c.draft()
	if len(d.Files) != 3 {
		t.Fatalf("draft has %d files, want 3", len(d.Files))
	}
	r = c.get("/complain/files")
	wantText(t, "files page with files", r, "Files added", "boiler.png", "letter.pdf", "notes.txt", "Remove notes.txt")
	wantRedirect(t, "remove a file", c.post("/complain/files/"+itoa(d.Files[2].ID)+"/remove", nil), "/complain/files")
	wantStatus(t, "remove it again", c.post("/complain/files/"+itoa(d.Files[2].ID)+"/remove", nil), 404)
	wantRedirect(t, "continue", c.postFiles("/complain/files", url.Values{"action": {"continue"}}), "/complain/check")

	// Check your answers: every answer, each with a change link.
	r = c.get("/complain/check")
	wantStatus(t, "check page", r, 200)
	wantText(t, "check page", r, "Check your answers before sending",
		"What it is about Something has gone wrong and I'm unhappy about it",
		"Deal with it as a complaint Yes, deal with it as a complaint",
		"Full name Jo Whitfield", "Email address Jo.Whitfield@example.org", "Postcode RV1 2AB",
		"Address 12 Mill Lane Riverside", "Tenancy reference Not given",
		"Summary Boiler keeps failing", "What would put things right A new boiler",
		"Contact by Email", "Help you need Large print letters Translation or interpreter: Polish",
		"Files boiler.png letter.pdf", "Send your complaint")
	for _, slug := range []string{"kind", "danger", "formal", "who", "about", "what-happened", "put-right", "contact", "files"} {
		if !strings.Contains(r.Body, `href="/complain/`+slug+`">Change<span class="govuk-visually-hidden">`) {
			t.Errorf("the check page has no change link to %s", slug)
		}
	}

	k := c.send()
	if k.Kind != complaint.KindComplaint || k.Channel != "web" || k.Stage != 1 || k.Status != complaint.StatusReceived {
		t.Errorf("stored case: %s by %s at stage %d, %s", k.Kind, k.Channel, k.Stage, k.Status)
	}
	if k.CreatedBy != "resident (web form)" || k.Complainant.Name != "Jo Whitfield" || k.Complainant.Postcode != "RV1 2AB" || k.Representative != nil {
		t.Errorf("stored case: created by %q, complainant %+v, representative %+v", k.CreatedBy, k.Complainant, k.Representative)
	}
	if k.DesiredOutcome != "A new boiler" || k.Summary != "Boiler keeps failing" {
		t.Errorf("stored case: summary %q, outcome %q", k.Summary, k.DesiredOutcome)
	}
	wantAdj := []string{"Contact by email", "Large print letters", "Translation or interpreter: Polish"}
	if !slices.Equal(k.Adjustments, wantAdj) {
		t.Errorf("adjustments %q, want %q", k.Adjustments, wantAdj)
	}
	if !letters.LargePrint(k.Adjustments) || letters.PlainTextEmail(k.Adjustments) {
		t.Errorf("letters read adjustments %q wrongly", k.Adjustments)
	}
	atts, err := e.db.Attachments(context.Background(), k.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 2 || atts[0].Name != "boiler.png" || atts[0].ContentType != "image/png" || atts[1].Name != "letter.pdf" || atts[0].Source != "portal" {
		t.Errorf("attachments: %+v", atts)
	}
	if d := c.draft(); len(d.Files) != 0 {
		t.Errorf("the draft still holds %d files once they are with the case", len(d.Files))
	}

	// The confirmation gives the reference and the dates from Stages[0].
	r = c.get("/complain/confirmation")
	wantStatus(t, "confirmation", r, 200)
	today := calendar.DateOf(monday)
	ack := workingDaysAfter(t, e.cal, today, 5)
	if k.Stages[0].AcknowledgeBy != ack {
		t.Fatalf("acknowledge by %s, want %s", k.Stages[0].AcknowledgeBy, ack)
	}
	wantText(t, "confirmation", r, "We have your complaint", "Your reference "+k.Reference,
		"We will acknowledge your complaint by "+pageDate(ack),
		"full reply by "+pageDate(k.Stages[0].RespondBy), "follow it online")

	// A second click on send creates nothing more.
	wantRedirect(t, "send again", c.post("/complain/check", nil), "/complain/confirmation")
	if cases := e.listCases(); len(cases) != 1 {
		t.Errorf("%d cases after sending twice, want 1", len(cases))
	}
	// A sent form cannot be changed; the first question starts afresh.
	wantRedirect(t, "files after sending", c.get("/complain/files"), "/complain/confirmation")
	wantStatus(t, "first question after sending", c.get("/complain/kind"), 200)
}

func TestRepresentativeComplaintRecordsConsent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	a := goodAnswers()
	a["who"] = url.Values{"who": {"someone_else"}}
	a["about"] = url.Values{"name": {"Ada Whitfield"}}
	a["contact"] = url.Values{"contact-by": {"email"}}
	c.fillTo("about", a)
	r := c.get("/complain/about")
	wantText(t, "about them", r, "About the person you are acting for", "Their email address (optional)")
	c.fillTo("check", a)
	r = c.get("/complain/check")
	wantText(t, "check page", r, "About the person you are acting for", "Full name Ada Whitfield",
		"Your full name Sam Whitfield", "How you know them Son", "Their agreement They have agreed to me acting for them")
	k := c.send()
	want := complaint.Representative{Name: "Sam Whitfield", Relationship: "Son", ConsentRecorded: true, Email: "sam@example.org"}
	if k.Representative == nil || *k.Representative != want {
		t.Errorf("representative %+v, want %+v", k.Representative, want)
	}
	if k.Complainant.Name != "Ada Whitfield" || k.Complainant.Email != "" {
		t.Errorf("complainant %+v", k.Complainant)
	}
}

func TestKindsWithoutTheWordComplaint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, formal string
		want         complaint.Kind
		asked        []string
		confirmation string
	}{
		{"unhappy", "no", complaint.KindFeedback, []string{"kind", "danger", "formal", "who", "about", "what-happened", "put-right", "contact", "files"}, "We have your feedback"},
		{"compliment", "", complaint.KindCompliment, []string{"kind", "danger", "who", "about", "what-happened", "contact", "files"}, "We have your compliment"},
		{"suggestion", "", complaint.KindSuggestion, []string{"kind", "danger", "who", "about", "what-happened", "contact", "files"}, "We have your suggestion"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+tt.formal, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			a := goodAnswers()
			a["kind"] = url.Values{"kind": {tt.kind}}
			a["formal"] = url.Values{"formal": {tt.formal}}
			var asked []string
			path := "/complain/kind"
			for path != "/complain/check" {
				slug := strings.TrimPrefix(path, "/complain/")
				asked = append(asked, slug)
				wantStatus(t, slug, c.get(path), 200)
				var r response
				if slug == "files" {
					r = c.postFiles(path, url.Values{"action": {"continue"}})
				} else {
					r = c.post(path, a[slug])
				}
				if r.Status != 303 {
					t.Fatalf("%s: HTTP %d: %s", slug, r.Status, text(r.Body))
				}
				path = r.Location
			}
			if !slices.Equal(asked, tt.asked) {
				t.Errorf("pages asked %q, want %q", asked, tt.asked)
			}
			k := c.send()
			if k.Kind != tt.want || len(k.Stages) != 0 {
				t.Errorf("kind %s with %d stages, want %s with none", k.Kind, len(k.Stages), tt.want)
			}
			if tt.want != complaint.KindFeedback && k.DesiredOutcome != "" {
				t.Errorf("a %s has a desired outcome %q", k.Kind, k.DesiredOutcome)
			}
			r := c.get("/complain/confirmation")
			wantText(t, "confirmation", r, tt.confirmation, k.Reference)
			noText(t, "confirmation", r, "acknowledge")
		})
	}
}

// TestEveryBadAnswerShowsTheErrorSummaryAndChangesNothing sends each
// page a bad answer: the page comes back with the GOV.UK error summary
// naming the field, what was typed, and the stored answers unchanged.
func TestEveryBadAnswerShowsTheErrorSummaryAndChangesNothing(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 201)
	tests := []struct {
		name, page string
		who        string
		form       url.Values
		want       map[string]string
	}{
		{"no kind", "kind", "", url.Values{}, map[string]string{"kind": "Select what you want to tell us about"}},
		{"unknown kind", "kind", "", url.Values{"kind": {"complaint"}}, map[string]string{"kind": "Select what you want to tell us about"}},
		{"no answer about danger", "danger", "", url.Values{}, map[string]string{"danger": "Select yes if anything in your home is a danger to health or safety right now"}},
		{"a danger not described", "danger", "", url.Values{"danger": {"yes"}, "danger-details": {"  "}}, map[string]string{"danger-details": "Tell us what the danger is"}},
		{"no choice of formal", "formal", "", url.Values{}, map[string]string{"formal": "Select yes if you want us to deal with this as a complaint"}},
		{"no who", "who", "", url.Values{"who": {"me"}}, map[string]string{"who": "Select whether you are telling us for yourself or for someone else"}},
		{"no name or way to reply", "about", "", url.Values{"name": {"  "}}, map[string]string{
			"name": "Enter your full name", "email": "Enter an email address, telephone number or postal address so we can reply to you"}},
		{"bad email", "about", "", url.Values{"name": {"Jo"}, "email": {"jo at example.org"}}, map[string]string{"email": "Enter an email address in the correct format, like name@example.com"}},
		{"bad phone", "about", "", url.Values{"name": {"Jo"}, "phone": {"12345"}}, map[string]string{"phone": "Enter a telephone number"}},
		{"bad postcode", "about", "", url.Values{"name": {"Jo"}, "address": {"1 Road"}, "postcode": {"NOT A CODE"}}, map[string]string{"postcode": "Enter a full UK postcode"}},
		{"long name", "about", "", url.Values{"name": {long}, "address": {"1 Road"}}, map[string]string{"name": "Full name must be 200 characters or fewer"}},
		{"their name", "about", "someone_else", url.Values{}, map[string]string{"name": "Enter their full name"}},
		{"representative with nothing", "representative", "someone_else", url.Values{}, map[string]string{
			"rep-name": "Enter your full name", "rep-relationship": "Enter how you know the person",
			"rep-email": "Enter an email address or telephone number", "rep-consent": "Confirm that the person has agreed to you acting for them"}},
		{"representative without consent", "representative", "someone_else", url.Values{"rep-name": {"Sam"}, "rep-relationship": {"Son"}, "rep-phone": {"07700 900982"}},
			map[string]string{"rep-consent": "Confirm that the person has agreed"}},
		{"nothing happened", "what-happened", "", url.Values{"summary": {""}, "description": {" "}}, map[string]string{"summary": "Enter a short summary", "description": "Tell us what happened"}},
		{"long summary", "what-happened", "", url.Values{"summary": {long}, "description": {"x"}}, map[string]string{"summary": "The summary must be 200 characters or fewer"}},
		{"long outcome", "put-right", "", url.Values{"outcome": {strings.Repeat("y", 10001)}}, map[string]string{"outcome": "What would put things right must be 10000 characters or fewer"}},
		{"no contact", "contact", "", url.Values{}, map[string]string{"contact-by": "Select how you would like us to contact you"}},
		{"post with no address", "contact", "", url.Values{"contact-by": {"post"}}, map[string]string{"contact-by": "You have not given us a postal address"}},
		{"translation with no language", "contact", "", url.Values{"contact-by": {"email"}, "adjust": {"translation"}}, map[string]string{"language": "Enter the language you need"}},
		{"other help not said", "contact", "", url.Values{"contact-by": {"email"}, "adjust": {"other"}}, map[string]string{"other-help": "Tell us what help you need"}},
		{"unknown help", "contact", "", url.Values{"contact-by": {"email"}, "adjust": {"a pony"}}, map[string]string{"adjust": "Select the help you need from the list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.client()
			a := goodAnswers()
			a["about"] = url.Values{"name": {"Jo Whitfield"}, "email": {"jo@example.org"}}
			if tt.who != "" {
				a["who"] = url.Values{"who": {tt.who}}
				a["about"] = url.Values{"name": {"Ada"}}
			}
			var before []byte
			if tt.page != "kind" {
				c.fillTo(tt.page, a)
				before = c.draft().Answers
			}
			r := c.post("/complain/"+tt.page, tt.form)
			wantStatus(t, "bad answer", r, http.StatusBadRequest)
			wantErrors(t, tt.name, r, tt.want)
			// What was typed is shown again.
			for k, vs := range tt.form {
				if v := strings.TrimSpace(vs[0]); k != "adjust" && v != "" && len(v) < 100 && !strings.Contains(r.Body, v) {
					t.Errorf("the page does not show the %s typed, %q", k, v)
				}
			}
			if tt.page == "kind" {
				if c.draftHash() != "" {
					t.Errorf("a bad first answer started a form")
				}
				return
			}
			if after := c.draft().Answers; !bytes.Equal(before, after) {
				t.Errorf("a bad answer changed the draft:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestFilesAreCheckedByTheirContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("files", goodAnswers())
	tests := []struct {
		name   string
		form   url.Values
		files  []upload
		status int
		want   string
	}{
		{"a program called photo.jpg", url.Values{"action": {"continue"}}, []upload{{"photo.jpg", exeFile}}, 400, "photo.jpg is not a file we can accept"},
		{"one bad file among good ones", url.Values{"action": {"upload"}}, []upload{{"a.png", pngFile}, {"photo.jpg", exeFile}}, 400, "photo.jpg is not a file we can accept"},
		{"an empty file", url.Values{"action": {"upload"}}, []upload{{"empty.png", nil}}, 400, "empty.png is empty"},
		{"upload with nothing chosen", url.Values{"action": {"upload"}}, nil, 400, "Select a file to upload"},
		{"eleven files", url.Values{"action": {"upload"}}, repeat(upload{"a.png", pngFile}, 11), 400, "11 files were sent; send at most 10 at once"},
		{"a file over 10 MB", url.Values{"action": {"upload"}}, []upload{{"big.png", append(slices.Clone(pngFile), make([]byte, 10<<20)...)}}, 400, "each file must be 10.0 MB or smaller"},
		{"more than the upload limit", url.Values{"action": {"upload"}}, repeat(upload{"big.png", append(slices.Clone(pngFile), make([]byte, 9<<20)...)}, 3), 413, "The files must come to 25 MB or less in all"},
	}
	for _, tt := range tests {
		r := c.postFiles("/complain/files", tt.form, tt.files...)
		wantStatus(t, tt.name, r, tt.status)
		wantErrors(t, tt.name, r, map[string]string{"files": tt.want})
		if d := c.draft(); len(d.Files) != 0 || d.Answers == nil || strings.Contains(string(d.Answers), `"files":true`) {
			t.Errorf("%s: the draft changed: %d files, answers %s", tt.name, len(d.Files), d.Answers)
		}
	}
	// The draft holds at most ten files and 25 MB across uploads.
	for i := 0; i < 10; i++ {
		wantRedirect(t, "upload", c.postFiles("/complain/files", url.Values{"action": {"upload"}}, upload{"a.png", pngFile}), "/complain/files")
	}
	r := c.postFiles("/complain/files", url.Values{"action": {"upload"}}, upload{"eleventh.png", pngFile})
	wantStatus(t, "an eleventh file", r, 400)
	wantErrors(t, "an eleventh file", r, map[string]string{"files": "You can send at most 10 files; you have 10 already"})

	// Files can only be sent as a form with files.
	wantStatus(t, "not multipart", c.post("/complain/files", url.Values{"action": {"continue"}}), 400)
}

func repeat(u upload, n int) []upload {
	out := make([]upload, n)
	for i := range out {
		out[i] = u
	}
	return out
}

func TestChangeLinksReturnToTheCheckPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	a := goodAnswers()
	c.fillTo("check", a)
	wantStatus(t, "check page", c.get("/complain/check"), 200)

	r := c.get("/complain/what-happened")
	if !strings.Contains(r.Body, `<a href="/complain/check" class="govuk-back-link">Back</a>`) {
		t.Errorf("changing an answer: the back link does not lead to the check page")
	}
	if !strings.Contains(r.Body, `value="Boiler keeps failing"`) {
		t.Errorf("changing an answer: the page does not show the answer given")
	}
	wantRedirect(t, "change the summary", c.post("/complain/what-happened", url.Values{"summary": {"Boiler broken again"}, "description": {"It failed."}}), "/complain/check")
	wantText(t, "check page", c.get("/complain/check"), "Summary Boiler broken again")

	// Acting for someone else now: the representative's page is asked
	// before the check page comes back.
	wantRedirect(t, "change who", c.post("/complain/who", url.Values{"who": {"someone_else"}}), "/complain/representative")
	wantRedirect(t, "check page with a page missing", c.get("/complain/check"), "/complain/representative")
	wantRedirect(t, "answer it", c.post("/complain/representative", a["representative"]), "/complain/check")

	// Back to "for myself" with no way to reply on file: about again.
	wantRedirect(t, "about them", c.post("/complain/about", url.Values{"name": {"Ada"}}), "/complain/check")
	wantRedirect(t, "for myself again", c.post("/complain/who", url.Values{"who": {"self"}}), "/complain/about")
}

func TestPagesOutOfTurnLeadToTheFirstUnanswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("who", goodAnswers())
	wantRedirect(t, "check page too early", c.get("/complain/check"), "/complain/who")
	wantRedirect(t, "contact page too early", c.get("/complain/contact"), "/complain/who")
	wantRedirect(t, "send too early", c.post("/complain/check", nil), "/complain/who")
	wantRedirect(t, "answer too early", c.post("/complain/contact", url.Values{"contact-by": {"email"}}), "/complain/who")
	// A page that does not apply to the answers.
	c.post("/complain/kind", url.Values{"kind": {"compliment"}})
	wantRedirect(t, "formal for a compliment", c.get("/complain/formal"), "/complain/who")
	wantRedirect(t, "confirmation before sending", c.get("/complain/confirmation"), "/complain/check")
}

func TestFormExpiresAfterADay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.fillTo("about", goodAnswers())
	e.clock.advance(23 * time.Hour)
	wantStatus(t, "a day less an hour later", c.get("/complain/about"), 200)
	e.clock.advance(25 * time.Hour)
	r := c.get("/complain/about")
	wantText(t, "two days later", r, "You need to start again")
	// A new form clears out the old ones.
	c2 := e.client()
	c2.fillTo("formal", goodAnswers())
	if n, err := e.db.DeleteExpiredDrafts(context.Background(), e.clock.Now()); err != nil {
		t.Errorf("deleting expired forms: %v", err)
	} else if n != 0 {
		t.Errorf("%d expired forms were left", n)
	}
}

func TestTextIsNeverRenderedUnescaped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	a := goodAnswers()
	a["what-happened"] = url.Values{"summary": {`<script>alert("x")</script>`}, "description": {`<img src=x onerror=alert(1)>`}}
	c.fillTo("check", a)
	r := c.get("/complain/check")
	if strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, "<img src=x") {
		t.Fatalf("the check page has markup from the answers")
	}
	if !strings.Contains(r.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Errorf("the summary is not shown escaped")
	}
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, "cross-site post", c.post("/complain/kind", url.Values{"kind": {"unhappy"}}), http.StatusForbidden)
	wantStatus(t, "cross-site get", c.get("/complain/kind"), 200)
}

// Text pasted from another program can carry control or bidi characters
// the case rules refuse. The resident cannot see them, so the form keeps
// their words without them instead of failing at the last step.
func TestPastedInvisibleCharactersDoNotStopAComplaint(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	a := goodAnswers()
	a["about"] = url.Values{"name": {"Jo \u202eWhitfield"}, "email": {"Jo.Whitfield@example.org"}, "address": {"12 Mill Lane"}, "postcode": {"rv1 2ab"}}
	a["what-happened"] = url.Values{"summary": {"Boiler\u0007 keeps failing"}, "description": {"The boiler\u0000 has failed \u2066three\u2069 times."}}
	c.fillTo("check", a)
	k := c.send()
	if k.Complainant.Name != "Jo Whitfield" || k.Summary != "Boiler keeps failing" || k.Description != "The boiler has failed three times." {
		t.Errorf("the case has name %q, summary %q, description %q; want the resident's words without the invisible characters",
			k.Complainant.Name, k.Summary, k.Description)
	}
}
