package webui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// decideAs applies commands to a case straight through the store, as
// role, for the tests that need a case at a given point of its life.
func (s *site) decideAs(ref, role string, cmds ...complaint.Command) complaint.Case {
	s.t.Helper()
	cal, err := s.p.Calendar(nil)
	if err != nil {
		s.t.Fatalf("the policy's calendar: %v", err)
	}
	var c complaint.Case
	for _, cmd := range cmds {
		c, err = s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, complaint.Env{Now: s.now, Actor: complaint.Actor{Email: role + "@example.org", Role: role}, Policy: s.p, Calendar: cal, NewReference: nr})
		})
		if err != nil {
			s.t.Fatalf("%T as %s: %v", cmd, role, err)
		}
	}
	return c
}

// caseNow reads a case straight from the store.
func (s *site) caseNow(ref string) complaint.Case {
	s.t.Helper()
	c, err := s.st.GetCase(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// wantUnchanged fails the test if the case changed from before: a refused
// form must record nothing.
func wantUnchanged(t *testing.T, what string, before, after complaint.Case) {
	t.Helper()
	if after.Version != before.Version || !reflect.DeepEqual(after, before) {
		t.Errorf("%s changed the case: version %d, was %d", what, after.Version, before.Version)
	}
}

// wantFieldError checks a refused page: its status, and the error summary
// linking to the field's id with the error shown on the field.
func wantFieldError(t *testing.T, what string, resp *http.Response, page string, status int, ids ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: %d, want %d\n%s", what, resp.StatusCode, status, pageText(page))
	}
	if !strings.Contains(page, `class="govuk-error-summary"`) {
		t.Errorf("%s: the page has no error summary", what)
	}
	for _, id := range ids {
		if !strings.Contains(page, `href="#`+id+`"`) || !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("%s: the error summary does not link to the field #%s, or there is no such field\n%s", what, id, pageText(page))
		}
		if !strings.Contains(page, `id="`+id+`-error"`) {
			t.Errorf("%s: the field #%s shows no error", what, id)
		}
	}
}

// wantRedirect checks a form was accepted and where it led.
func wantRedirect(t *testing.T, what string, resp *http.Response, page, to string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != to {
		t.Fatalf("%s: %d to %q, want 303 to %q\n%s", what, resp.StatusCode, resp.Header.Get("Location"), to, pageText(page))
	}
}

// acknowledgedWithPoints is a stage 1 complaint acknowledged by the
// officer with three points and an outcome sought.
func acknowledgedWithPoints(s *site) string {
	s.t.Helper()
	ref := s.newCase("officer", "Damp in the bedroom", false)
	s.decideAs(ref, "officer", complaint.Acknowledge{Points: []string{"The damp was not treated", "Nobody called back", "The letter was late"},
		OutcomesSought: []string{"Treat the damp"}})
	return ref
}

func TestDefinitionPageRewordsWithdrawsAndAddsPointsWithARequiredReason(t *testing.T) {
	s := newSite(t)
	ref := acknowledgedWithPoints(s)
	officer := s.signIn("officer")
	path := "/cases/" + ref + "/definition"

	resp, page := s.get(officer, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, pageText(page))
	}
	wantContains(t, "the definition page", page, "Amend the complaint definition", `href="/cases/`+ref+`" class="govuk-back-link"`,
		`<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Point 1</legend>`, `>Point 3</legend>`,
		`name="point.2"`, ">Nobody called back</textarea>", `name="withdraw" type="checkbox" value="3"`, `id="withdraw-3"`,
		`name="add"`, ">Treat the damp</textarea>", `name="reason"`, `name="tell_resident"`, `name="version" value="`)

	// A point emptied and no reason: each named as the page numbers it,
	// and nothing recorded.
	before := s.caseNow(ref)
	v := strconv.Itoa(before.Version)
	form := url.Values{"version": {v}, "point.1": {"The damp was not treated"}, "point.2": {"  "}, "point.3": {"The letter was late"},
		"outcomes_sought": {"Treat the damp"}, "add": {"The surveyor did not come"}, "no_unreasonable_delay": {"yes"}}
	resp, page = s.post(officer, path, form)
	wantFieldError(t, "an emptied point and no reason", resp, page, http.StatusBadRequest, "point-2", "reason")
	wantContains(t, "the refused definition", pageText(page), "Enter the wording of point 2, or tick it to be withdrawn", "Enter why the definition is changing")
	if !strings.Contains(page, ">The surveyor did not come</textarea>") {
		t.Errorf("the new point typed was not kept")
	}
	wantUnchanged(t, "a refused amendment", before, s.caseNow(ref))

	// A point both withdrawn and reworded.
	form = url.Values{"version": {v}, "point.1": {"Reworded"}, "withdraw": {"1"}, "reason": {"The resident called"}}
	resp, page = s.post(officer, path, form)
	wantFieldError(t, "a point withdrawn and reworded", resp, page, http.StatusBadRequest, "point-1")
	wantContains(t, "the refused definition", pageText(page), "Point 1 is ticked to be withdrawn")
	wantUnchanged(t, "a refused amendment", before, s.caseNow(ref))

	// Every point withdrawn.
	form = url.Values{"version": {v}, "withdraw": {"1", "2", "3"}, "reason": {"The resident called"}}
	resp, page = s.post(officer, path, form)
	wantFieldError(t, "every point withdrawn", resp, page, http.StatusBadRequest, "withdraw-1")
	wantUnchanged(t, "a refused amendment", before, s.caseNow(ref))

	// Nothing changed.
	resp, page = s.post(officer, path, url.Values{"version": {v}, "point.1": {"The damp was not treated"}, "reason": {"Checked"}})
	wantFieldError(t, "nothing changed", resp, page, http.StatusBadRequest, "definition")
	wantUnchanged(t, "a refused amendment", before, s.caseNow(ref))

	// Sent from a page older than the case: the message, what was typed kept.
	form = url.Values{"version": {strconv.Itoa(before.Version - 1)}, "point.2": {"Nobody called back within a week"}, "reason": {"The resident called"}}
	resp, page = s.post(officer, path, form)
	wantFieldError(t, "a stale amendment", resp, page, http.StatusConflict, "definition")
	wantContains(t, "the stale page", page, "Someone else changed this case", ">Nobody called back within a week</textarea>")
	wantUnchanged(t, "a stale amendment", before, s.caseNow(ref))

	// Reworded, withdrawn, added, and the outcomes changed.
	form = url.Values{"version": {v}, "point.1": {"The damp was not treated"}, "point.2": {"Nobody called back within a week"},
		"point.3": {"The letter was late"}, "withdraw": {"3"}, "add": {"The surveyor did not come\n\nThe mould came back"}, "no_unreasonable_delay": {"yes"},
		"outcomes_sought": {"Treat the damp\nAn apology"}, "reason": {"The resident called on 20 November"}}
	resp, page = s.post(officer, path, form)
	wantRedirect(t, "the amendment", resp, page, "/cases/"+ref+"?done=definition")
	amended := s.caseNow(ref)
	st := amended.Current()
	if want := []string{"The damp was not treated", "Nobody called back within a week", "The surveyor did not come", "The mould came back"}; !reflect.DeepEqual(st.Points, want) {
		t.Errorf("points %q, want %q", st.Points, want)
	}
	if want := []string{"Treat the damp", "An apology"}; !reflect.DeepEqual(st.OutcomesSought, want) {
		t.Errorf("outcomes sought %q, want %q", st.OutcomesSought, want)
	}
	if len(st.Withdrawn) != 1 || st.Withdrawn[0].Point != 3 || st.Withdrawn[0].Reason != "The resident called on 20 November" || st.Withdrawn[0].By != "officer@example.org" {
		t.Errorf("withdrawn %+v, want point 3 kept with the reason and who", st.Withdrawn)
	}

	// Asked to tell the resident: the page says it is saved and offers
	// the letter.
	c := s.caseNow(ref)
	form = url.Values{"version": {strconv.Itoa(c.Version)}, "point.4": {"The mould came back twice"}, "reason": {"Corrected"}, "tell_resident": {"yes"}}
	resp, page = s.post(officer, path, form)
	wantRedirect(t, "the amendment to tell the resident of", resp, page, path+"?saved=tell")
	_, page = s.get(officer, path+"?saved=tell")
	wantContains(t, "the page after saving", page, "The complaint definition is amended", `href="/cases/`+ref+`/letters/new"`, "Point 3 when withdrawn: The letter was late", ">The mould came back twice</textarea>")
}

func TestSupersedePageReplacesAnEarlierStagesRemedyWithAReason(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Compensation too low", false)
	s.decideAs(ref, "officer",
		complaint.Acknowledge{Points: []string{"The repair took months"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "It took too long"}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "For the delay", AmountPence: 5000}}},
		complaint.RecordLetter{Kind: complaint.ResponseLetterKind(1), Title: "Stage 1 response", Channel: "email", SHA256: strings.Repeat("ab", 32)},
		complaint.Escalate{Reason: "The compensation is too low"})
	s.decideAs(ref, "reviewer",
		complaint.Acknowledge{Points: []string{"The compensation is too low"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "Stage 1 did not apply the policy"}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyCompensation, Description: "At the policy's rate", AmountPence: 30000}}})
	c := s.caseNow(ref)
	if len(c.Remedies) != 2 || c.Remedies[0].Stage != 1 || c.Remedies[1].Stage != 2 {
		t.Fatalf("remedies %+v, want one from each stage", c.Remedies)
	}
	old, later := c.Remedies[0].ID, c.Remedies[1].ID
	path := "/cases/" + ref + "/remedies/" + strconv.Itoa(old) + "/supersede"
	reviewer := s.signIn("reviewer")

	resp, page := s.get(reviewer, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, pageText(page))
	}
	wantContains(t, "the supersede page", pageText(page), "Supersede remedy "+strconv.Itoa(old), "For the delay", "Stage 1", "Remedy "+strconv.Itoa(later)+": Compensation £300.00: At the policy's rate", "None of them")
	wantContains(t, "the supersede page", page, `class="govuk-back-link"`, `name="replaced_by" type="radio" value="`+strconv.Itoa(later)+`"`, `name="reason"`)
	if resp, _ := s.get(reviewer, "/cases/"+ref+"/remedies/99/supersede"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a remedy not on the case: %d, want 404", resp.StatusCode)
	}

	// No reason: refused, on its field.
	v := strconv.Itoa(c.Version)
	resp, page = s.post(reviewer, path, url.Values{"version": {v}, "replaced_by": {strconv.Itoa(later)}})
	wantFieldError(t, "no reason", resp, page, http.StatusBadRequest, "reason")
	wantContains(t, "the refused page", pageText(page), "Enter why the remedy is superseded")
	if !strings.Contains(page, `value="`+strconv.Itoa(later)+`" checked`) {
		t.Errorf("the replacement chosen was not kept")
	}
	wantUnchanged(t, "a refused supersession", c, s.caseNow(ref))

	// A replacement that is not a later stage's: the domain's rule, on
	// the radios.
	resp, page = s.post(reviewer, path, url.Values{"version": {v}, "reason": {"x"}, "replaced_by": {strconv.Itoa(old)}})
	wantFieldError(t, "a replacement from the same stage", resp, page, http.StatusBadRequest, "replaced-by")
	wantUnchanged(t, "a refused supersession", c, s.caseNow(ref))

	// The stage 1 officer may not (Code 6.13): the rule, on the page.
	officer := s.signIn("officer")
	resp, page = s.post(officer, path, url.Values{"version": {v}, "reason": {"Stage 2 offers more"}})
	wantFieldError(t, "the stage 1 officer", resp, page, http.StatusConflict, "supersede")
	wantUnchanged(t, "a refused supersession", c, s.caseNow(ref))

	resp, page = s.post(reviewer, path, url.Values{"version": {v}, "reason": {"Stage 2 offers more"}, "replaced_by": {strconv.Itoa(later)}})
	wantRedirect(t, "the supersession", resp, page, "/cases/"+ref+"?done=supersede")
	r := s.caseNow(ref).Remedies[0]
	if !r.Superseded() || r.SupersedeReason != "Stage 2 offers more" || r.ReplacedBy != later || r.SupersededBy != "reviewer@example.org" {
		t.Errorf("remedy %+v, want superseded by the reviewer, with the reason, replaced by %d", r, later)
	}

	// Again, from the page as it was: the case has moved on.
	resp, page = s.post(reviewer, path, url.Values{"version": {v}, "reason": {"Again"}})
	wantFieldError(t, "a stale supersession", resp, page, http.StatusConflict, "supersede")
	wantContains(t, "the stale page", page, "Someone else changed this case")
}

func TestDetailsPageCorrectsTheDescriptionAndTheRepresentative(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Noise from next door", false)
	officer := s.signIn("officer")
	path := "/cases/" + ref + "/details"
	resp, page := s.get(officer, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, pageText(page))
	}
	wantContains(t, "the details page", page, "Correct the details", `class="govuk-back-link"`, `action="/cases/`+ref+`/details"`,
		`id="details-description"`, `id="details-representative-name"`, `id="details-representative-relationship"`,
		`id="details-representative-consent-recorded"`, `id="details-representative-email"`, `id="details-representative-phone"`,
		`id="details-tenure"`, `value="Ada Resident"`, `value="Noise from next door"`)

	form := func() url.Values {
		c := s.caseNow(ref)
		return url.Values{"version": {strconv.Itoa(c.Version)}, "tenure": {""}, "summary": {c.Summary}, "description": {c.Description},
			"complainant.name": {c.Complainant.Name}, "complainant.email": {c.Complainant.Email}, "line_manager": {""},
			"representative.name": {""}, "representative.relationship": {""}, "representative.email": {""}, "representative.phone": {""}}
	}

	// A representative with no relationship and a bad email.
	before := s.caseNow(ref)
	f := form()
	f.Set("representative.name", "Sam Advocate")
	f.Set("representative.email", "not an email")
	f.Set("description", "The neighbours play music at night.")
	resp, page = s.post(officer, path, f)
	wantFieldError(t, "a representative without a relationship", resp, page, http.StatusBadRequest, "details-representative-relationship", "details-representative-email")
	if !strings.Contains(page, `value="Sam Advocate"`) || !strings.Contains(page, ">The neighbours play music at night.</textarea>") {
		t.Errorf("what was typed was not kept")
	}
	wantUnchanged(t, "refused details", before, s.caseNow(ref))

	// Nothing changed.
	resp, page = s.post(officer, path, form())
	wantFieldError(t, "nothing changed", resp, page, http.StatusBadRequest, "details")
	wantUnchanged(t, "refused details", before, s.caseNow(ref))

	f.Set("representative.relationship", "Advocate")
	f.Set("representative.email", "sam@example.org")
	f.Set("representative.consent_recorded", "yes")
	f.Set("reason", "The advocate wrote in")
	resp, page = s.post(officer, path, f)
	wantRedirect(t, "the details", resp, page, "/cases/"+ref+"?done=details")
	c := s.caseNow(ref)
	if want := (complaint.Representative{Name: "Sam Advocate", Relationship: "Advocate", ConsentRecorded: true, Email: "sam@example.org"}); c.Representative == nil || *c.Representative != want {
		t.Errorf("representative %+v, want %+v", c.Representative, want)
	}
	if c.Description != "The neighbours play music at night." {
		t.Errorf("description %q", c.Description)
	}
	_, page = s.get(officer, "/cases/"+ref)
	wantContains(t, "the case's timeline", pageText(page), "What happened: (none) changed to The neighbours play music at night.",
		"Representative's name: (none) changed to Sam Advocate", "Representative's consent recorded: (none) changed to yes")

	// The form on the case page, which has neither the description nor
	// the representative, leaves them as they are.
	c = s.caseNow(ref)
	resp, page = s.post(officer, path, url.Values{"version": {strconv.Itoa(c.Version)}, "tenure": {"low_cost_rental"}, "summary": {c.Summary},
		"complainant.name": {"Ada Resident"}, "complainant.email": {"ada@example.org"}})
	wantRedirect(t, "the case page's details form", resp, page, "/cases/"+ref+"?done=details")
	after := s.caseNow(ref)
	if after.Tenure != "low_cost_rental" || after.Description != c.Description || !reflect.DeepEqual(after.Representative, c.Representative) {
		t.Errorf("the case page's form changed what it does not show: %q, %+v", after.Description, after.Representative)
	}
}

// postFiles posts a multipart form with files in the field "files".
func (s *site) postFiles(c *http.Client, path string, fields url.Values, files map[string][]byte) (*http.Response, string) {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	for name, data := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			s.t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.srv.URL+path, &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", s.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		s.t.Fatalf("POST %s: reading the response: %v", path, err)
	}
	return resp, b.String()
}

// pngOf is n bytes that read as a PNG image by their content.
func pngOf(n int) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func TestFilePageRecordsAContactWithFilesCheckedAsTheResidentsAre(t *testing.T) {
	s := newSite(t)
	ref := s.newCase("officer", "Leaking roof", false)
	officer := s.signIn("officer")
	path := "/cases/" + ref + "/files/new"
	resp, page := s.get(officer, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, pageText(page))
	}
	wantContains(t, "the file page", page, `enctype="multipart/form-data"`, `class="govuk-back-link"`, `name="files" type="file" multiple`,
		"Up to 10 files, each 10 MB or smaller and 25 MB in all", `id="how"`, `id="how-inspection"`, `name="text"`)

	attachments := func() []store.Attachment {
		a, err := s.st.Attachments(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	before := s.caseNow(ref)
	v := strconv.Itoa(before.Version)

	// A program named as a photo: refused by its content, nothing kept.
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "how": {"visit"}, "text": {"Photos of the ceiling"}},
		map[string][]byte{"ceiling.jpg": append([]byte("MZ\x90\x00"), make([]byte, 100)...)})
	wantFieldError(t, "a program", resp, page, http.StatusBadRequest, "files")
	wantContains(t, "the refused upload", pageText(page), "ceiling.jpg")
	if !strings.Contains(page, ">Photos of the ceiling</textarea>") || !strings.Contains(page, `value="visit" checked`) {
		t.Errorf("what was typed was not kept")
	}
	wantUnchanged(t, "a refused upload", before, s.caseNow(ref))
	if a := attachments(); len(a) != 0 {
		t.Errorf("a refused upload kept %d files", len(a))
	}

	// How it came is required; and with no file, what was said.
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "text": {"Called about the roof"}}, nil)
	wantFieldError(t, "no way chosen", resp, page, http.StatusBadRequest, "how")
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "how": {"other"}}, nil)
	wantFieldError(t, "another way, not said", resp, page, http.StatusBadRequest, "other-way")
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "how": {"phone"}}, nil)
	wantFieldError(t, "no text and no file", resp, page, http.StatusBadRequest, "text")
	wantUnchanged(t, "a refused record", before, s.caseNow(ref))

	// Sent from a page older than the case.
	before = s.decideAs(ref, "manager", complaint.Note{Text: "Chased the roofer"})
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "how": {"phone"}, "text": {"Called"}}, nil)
	wantFieldError(t, "a stale record", resp, page, http.StatusConflict, "file")
	wantContains(t, "the stale page", page, "Someone else changed this case", ">Called</textarea>")
	wantUnchanged(t, "a stale record", before, s.caseNow(ref))
	v = strconv.Itoa(before.Version)

	// A photo over the 1 MB any other form may send.
	photo := pngOf(3 << 20)
	resp, page = s.postFiles(officer, path, url.Values{"version": {v}, "how": {"inspection"}, "from": {"the surveyor"}, "text": {"The roof over the bedroom"}},
		map[string][]byte{"roof.png": photo})
	wantRedirect(t, "the upload", resp, page, "/cases/"+ref+"?done=file")
	a := attachments()
	if len(a) != 1 || a[0].Name != "roof.png" || a[0].Source != "staff" || a[0].AddedBy != "officer@example.org" || a[0].Size != int64(len(photo)) {
		t.Fatalf("attachments %+v, want roof.png from staff", a)
	}
	events, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	raw, _ := json.Marshal(last.Data)
	var info complaint.AddInformation
	if err := json.Unmarshal(raw, &info); err != nil {
		t.Fatal(err)
	}
	if last.Kind != complaint.EventInformationAdded || info.Source != "staff" || info.From != "Inspection from the surveyor" || info.Text != "The roof over the bedroom" || len(info.Attachments) != 1 {
		t.Errorf("the event %s %+v, want the inspection recorded with its file", last.Kind, info)
	}
	if !s.caseNow(ref).UnreadFromResident.IsZero() {
		t.Errorf("what staff added tags the case as new from the resident")
	}

	// A record of a call, with no file.
	c := s.caseNow(ref)
	resp, page = s.postFiles(officer, path, url.Values{"version": {strconv.Itoa(c.Version)}, "how": {"other"}, "other_way": {"Text message"}, "text": {"The leak is worse"}}, nil)
	wantRedirect(t, "a record of contact", resp, page, "/cases/"+ref+"?done=file")

	// More than the resident could send at once.
	resp, page = s.postFiles(officer, path, url.Values{"version": {strconv.Itoa(s.caseNow(ref).Version)}, "how": {"letter"}},
		map[string][]byte{"a.png": pngOf(9 << 20), "b.png": pngOf(9 << 20), "c.png": pngOf(9 << 20)})
	wantFieldError(t, "too much at once", resp, page, http.StatusRequestEntityTooLarge, "files")
	if a := attachments(); len(a) != 1 {
		t.Errorf("an upload over the limit kept files: %d now", len(a))
	}
}

// Viewers may not use any of the correction pages, and what they send
// changes nothing.
func TestCorrectionPagesAreForbiddenToViewers(t *testing.T) {
	s := newSite(t)
	ref := acknowledgedWithPoints(s)
	viewer := s.signIn("viewer")
	before := s.caseNow(ref)
	v := strconv.Itoa(before.Version)
	for _, path := range []string{"/definition", "/details", "/files/new", "/remedies/1/supersede"} {
		if resp, _ := s.get(viewer, "/cases/"+ref+path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as a viewer: %d, want 403", path, resp.StatusCode)
		}
	}
	for path, form := range map[string]url.Values{
		"/definition":           {"version": {v}, "add": {"A new point"}, "reason": {"Viewer"}},
		"/details":              {"version": {v}, "summary": {"Changed by a viewer"}, "complainant.name": {"Ada Resident"}, "complainant.email": {"ada@example.org"}},
		"/remedies/1/supersede": {"version": {v}, "reason": {"Viewer"}},
	} {
		if resp, _ := s.post(viewer, "/cases/"+ref+path, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s as a viewer: %d, want 403", path, resp.StatusCode)
		}
	}
	if resp, _ := s.postFiles(viewer, "/cases/"+ref+"/files/new", url.Values{"version": {v}, "how": {"phone"}, "text": {"Viewer"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /files/new as a viewer: %d, want 403", resp.StatusCode)
	}
	wantUnchanged(t, "a viewer's forms", before, s.caseNow(ref))
}
