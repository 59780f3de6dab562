package webui_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/poppler"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

var textareaRe = regexp.MustCompile(`(?s)<textarea[^>]*name="body"[^>]*>(.*?)</textarea>`)

// draftBody is the letter text the draft page fills in.
func draftBody(t *testing.T, body string) string {
	t.Helper()
	m := textareaRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no letter on the draft page:\n%.500s", pageText(body))
	}
	return htmlUnescape(m[1])
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(s)
}

// respondedCase is a stage 1 complaint acknowledged and answered, with an
// action to come, for Ada who has an email address.
func respondedCase(s *site) string {
	s.t.Helper()
	ref := s.newCase("officer", "Boiler keeps failing", false)
	for _, cmd := range []complaint.Command{
		complaint.Acknowledge{Points: []string{"The boiler failed three times in November"}},
		complaint.Respond{Decisions: []complaint.Decision{{Point: 1, Outcome: "upheld", Reasons: "The repairs did not last."}},
			Remedies: []complaint.RemedyInput{{Kind: complaint.RemedyAction, Description: "Replace the boiler", Owner: "Repairs", Due: "2026-12-18"}}},
	} {
		cal, err := s.p.Calendar(nil)
		if err != nil {
			s.t.Fatalf("the policy's calendar: %v", err)
		}
		_, err = s.st.UpdateCase(context.Background(), ref, 0, func(c complaint.Case, nr store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.Decide(c, cmd, complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"}, Policy: s.p, Calendar: cal, NewReference: nr})
		})
		if err != nil {
			s.t.Fatal(err)
		}
	}
	return ref
}

func issueForm(kind, body, channel string) url.Values {
	return url.Values{"kind": {kind}, "body": {body}, "address": {"1 Mill Lane\nSunderland\nSR3 3XR"}, "channel": {channel}}
}

// A stage 1 response is drafted from the case, refused while it leaves out
// what the Code requires, then issued: kept exactly, its hash on the audit
// trail, and its email with the PDF queued in the outbox.
func TestLetterIsCheckedThenIssuedAndKept(t *testing.T) {
	s := newSite(t)
	if err := s.st.SetLetterhead(context.Background(), store.Letterhead{Name: "Riverside Vale Homes", Address: []string{"1 River Street", "Sunderland"},
		Contact: []string{"Phone 0191 000 0000", "complaints@example.org"}, UpdatedAt: s.now}); err != nil {
		t.Fatal(err)
	}
	ref := respondedCase(s)
	c := s.signIn("officer")
	_, page := s.get(c, "/cases/"+ref+"/letters/new")
	wantContains(t, "the choice of letters", page, "/cases/"+ref+"/letters/new?kind=stage1_response")
	resp, page := s.get(c, "/cases/"+ref+"/letters/new?kind=stage1_response")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("draft: %d", resp.StatusCode)
	}
	body := draftBody(t, page)
	wantContains(t, "the draft", body, "The boiler failed three times in November", "The repairs did not last.", "Replace the boiler", "stage 2")

	// Without the reasons, the letter cannot be issued, and says why.
	cut := strings.Replace(body, "The repairs did not last.", "", 1)
	resp, page = s.post(c, "/cases/"+ref+"/letters/preview", issueForm("stage1_response", cut, "email"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="missing"`) || !strings.Contains(page, "The repairs did not last.") {
		t.Errorf("preview of a letter without its reasons: %d\n%.600s", resp.StatusCode, pageText(page))
	}
	resp, page = s.post(c, "/cases/"+ref+"/letters", issueForm("stage1_response", cut, "email"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText(page), "There is a problem") {
		t.Errorf("issuing a letter without its reasons: %d", resp.StatusCode)
	}
	if ls, err := s.st.Letters(context.Background(), ref); err != nil {
		t.Fatalf("the case's letters: %v", err)
	} else if len(ls) != 0 {
		t.Fatal("a refused letter was stored")
	}
	// A letter the case no longer calls for is refused too.
	if resp, page := s.get(c, "/cases/"+ref+"/letters/new?kind=refusal"); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "no Refusal to accept a complaint letter for "+ref) {
		t.Errorf("a refusal letter for a case that was not refused: %d\n%.400s", resp.StatusCode, pageText(page))
	}

	resp, page = s.post(c, "/cases/"+ref+"/letters/preview", issueForm("stage1_response", body, "email"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="checked"`) {
		t.Errorf("the full draft does not pass the check:\n%.800s", pageText(page))
	}
	resp, _ = s.post(c, "/cases/"+ref+"/letters", issueForm("stage1_response", body, "email"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases/"+ref+"?letter=issued#letters" {
		t.Fatalf("issuing: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ls, err := s.st.Letters(context.Background(), ref)
	if err != nil || len(ls) != 1 {
		t.Fatalf("letters: %d, %v", len(ls), err)
	}
	l, err := s.st.Letter(context.Background(), ref, ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(l.PDF)
	if hex.EncodeToString(sum[:]) != l.SHA256 || l.Channel != "email" || l.IssuedBy != "officer@example.org" || !bytes.HasPrefix(l.PDF, []byte("%PDF")) {
		t.Errorf("stored letter: %+v", l)
	}
	evs, err := s.st.CaseEvents(context.Background(), ref)
	if err != nil || len(evs) == 0 {
		t.Fatalf("the case's events: %d, %v", len(evs), err)
	}
	last := evs[len(evs)-1]
	var rec complaint.RecordLetter
	if data, ok := last.Data.(json.RawMessage); !ok {
		t.Errorf("the %s event's data is %T, want JSON", last.Kind, last.Data)
	} else if err := json.Unmarshal(data, &rec); err != nil {
		t.Errorf("the %s event's data: %v", last.Kind, err)
	}
	if last.Kind != complaint.EventLetterIssued || rec.SHA256 != l.SHA256 || rec.Kind != "stage1_response" {
		t.Errorf("the letter's event: %s %+v", last.Kind, rec)
	}
	out, err := s.st.Outbox(context.Background(), ref)
	if err != nil {
		t.Fatalf("the outbox: %v", err)
	}
	if len(out) != 1 || out[0].To != "ada@example.org" || len(out[0].Attachments) != 1 || out[0].Attachments[0].ContentType != "application/pdf" ||
		!strings.Contains(out[0].TextBody, "The repairs did not last.") {
		t.Errorf("outbox: %+v", out)
	}
	_, page = s.get(c, "/cases/"+ref+"?letter=issued")
	wantContains(t, "the case page", pageText(page), "The letter is issued and kept exactly as sent.", "Stage 1 response", "Email: waiting to be sent")
	if len(out) == 0 {
		t.Fatal("no email in the outbox to find on the case page")
	}
	emails := tableOf(t, page, "Emails about this case")
	needRows(t, "the emails about the case", emails, 1)
	wantRows(t, "emails about the case", emails[1:], [][]string{
		{s.now.In(calendar.London).Format("2 January 2006 at 3:04pm"), "Letter " + out[0].Subject, "ada@example.org", "waiting to be sent"},
	})
	resp, pdf := s.get(c, "/cases/"+ref+"/letters/"+strconv.FormatInt(l.ID, 10)+".pdf")
	if resp.StatusCode != http.StatusOK || pdf != string(l.PDF) {
		t.Errorf("downloading the issued letter: %d, %d bytes", resp.StatusCode, len(pdf))
	}
	if resp, _ := s.get(s.signIn("reviewer"), "/cases/"+ref+"/letters/999.pdf"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown letter: %d", resp.StatusCode)
	}
	if resp, _ := s.post(s.signIn("viewer"), "/cases/"+ref+"/letters", issueForm("stage1_response", body, "print")); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer issuing a letter: %d", resp.StatusCode)
	}
}

// An admin edits a template, a letter is issued with it, the template is
// edited again: the issued letter does not change, and new drafts use the
// new wording. Wording that drops what the Code requires is refused.
func TestEditingATemplateNeverChangesAnIssuedLetter(t *testing.T) {
	s := newSite(t)
	ref := respondedCase(s)
	admin, officer := s.signIn("admin"), s.signIn("officer")
	_, page := s.get(admin, "/letters/templates/stage1_response")
	m := regexp.MustCompile(`(?s)<textarea[^>]*name="source"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
	if len(m) < 2 {
		t.Fatalf("the template's wording not found in %.500q", pageText(page))
	}
	source := htmlUnescape(m[1])
	if !strings.Contains(source, "{{") {
		t.Fatalf("the template page does not show the built-in template:\n%.300s", source)
	}
	// Wording without the Ombudsman or escalation is refused, and not saved.
	resp, page := s.post(admin, "/letters/templates/stage1_response", url.Values{"source": {"Dear {{.Recipient.Name}}, we have decided."}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText(page), "There is a problem") {
		t.Errorf("a template that drops what the Code requires: %d\n%.500s", resp.StatusCode, pageText(page))
	}
	resp, page = s.post(admin, "/letters/templates/stage1_response", url.Values{"source": {source + "\n{{if .Nope"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText(page), "Line ") {
		t.Errorf("a template that does not parse: %d\n%.500s", resp.StatusCode, pageText(page))
	}
	if ts, err := s.st.LetterTemplates(context.Background()); err != nil {
		t.Fatalf("the templates: %v", err)
	} else if len(ts) != 0 {
		t.Fatal("a refused template was saved")
	}

	save := func(marker string) {
		t.Helper()
		resp, page := s.post(admin, "/letters/templates/stage1_response", url.Values{"source": {strings.Replace(source, "Yours sincerely,", marker+"\n\nYours sincerely,", 1)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving wording %s: %d\n%.500s", marker, resp.StatusCode, pageText(page))
		}
	}
	save("Our first wording.")
	_, page = s.get(officer, "/cases/"+ref+"/letters/new?kind=stage1_response")
	body := draftBody(t, page)
	if !strings.Contains(body, "Our first wording.") {
		t.Fatal("the draft does not use the landlord's wording")
	}
	if resp, _ := s.post(officer, "/cases/"+ref+"/letters", issueForm("stage1_response", body, "print")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issuing: %d", resp.StatusCode)
	}
	before, err := s.st.Letters(context.Background(), ref)
	if err != nil || len(before) == 0 {
		t.Fatalf("the issued letter not found: %d letters, %v", len(before), err)
	}
	first, err := s.st.Letter(context.Background(), ref, before[0].ID)
	if err != nil {
		t.Fatalf("the issued letter: %v", err)
	}

	save("Our second wording.")
	after, err := s.st.Letters(context.Background(), ref)
	if err != nil {
		t.Fatalf("the letters after editing the template: %v", err)
	}
	again, err := s.st.Letter(context.Background(), ref, before[0].ID)
	if err != nil {
		t.Fatalf("the issued letter after editing the template: %v", err)
	}
	if len(after) != 1 || len(first.PDF) == 0 || !bytes.Equal(first.PDF, again.PDF) || after[0].Body != before[0].Body || after[0].SHA256 != before[0].SHA256 {
		t.Error("editing the template changed an issued letter")
	}
	_, page = s.get(officer, "/cases/"+ref+"/letters/new?kind=stage1_response")
	if body := draftBody(t, page); !strings.Contains(body, "Our second wording.") || strings.Contains(body, "Our first wording.") {
		t.Error("a new draft does not use the new wording")
	}
	// Going back to the built-in wording.
	if resp, _ := s.post(admin, "/letters/templates/stage1_response", url.Values{"restore": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("restoring: %d", resp.StatusCode)
	}
	if ts, err := s.st.LetterTemplates(context.Background()); err != nil {
		t.Errorf("the templates after restoring: %v", err)
	} else if len(ts) != 0 {
		t.Error("restoring kept the landlord's wording")
	}
	if resp, _ := s.get(admin, "/letters/templates/no_such_letter"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown kind of letter: %d", resp.StatusCode)
	}
	// Last, as it skips where poppler is missing: the issued PDF's words.
	if text := poppler.Text(t, again.PDF); !strings.Contains(text, "Our first wording.") || strings.Contains(text, "Our second wording.") {
		t.Errorf("the issued PDF's text changed:\n%s", text)
	}
}

// A letter goes once. Issued, it shows as issued: on the case page's
// letters with when, how and by whom, and on the choice of letters and
// its draft page with when, how, to whom and by whom. Issued again
// without a reason (a second submit of the same form, as a double click
// sends it), the form comes back as a conflict asking for the reason and
// a confirmation, each labelled, and nothing is stored or sent. With
// both, the letter goes again, with its reason, and a second email.
func TestAnIssuedLetterShowsAsIssuedAndGoesAgainOnlyWithAReason(t *testing.T) {
	s := newSite(t)
	ref := respondedCase(s)
	c := s.signIn("officer")
	ctx := context.Background()
	_, page := s.get(c, "/cases/"+ref+"/letters/new?kind=stage1_response")
	body := draftBody(t, page)
	if strings.Contains(page, `name="reissue_reason"`) {
		t.Error("the first draft asks why the letter is going again")
	}
	form := issueForm("stage1_response", body, "email")
	if resp, _ := s.post(c, "/cases/"+ref+"/letters", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issuing: %d", resp.StatusCode)
	}
	when := s.now.In(calendar.London).Format("2 January 2006 at 3:04pm")

	_, page = s.get(c, "/cases/"+ref)
	rows := tableOf(t, page, "Letters issued")
	needRows(t, "the letters issued", rows, 2)
	if row := strings.Join(rows[1], " | "); !strings.Contains(row, when+" by officer@example.org") || !strings.Contains(row, "Stage 1 response") || !strings.Contains(row, "Email: waiting to be sent") {
		t.Errorf("the issued letter on the case page: %s", row)
	}
	_, page = s.get(c, "/cases/"+ref+"/letters/new")
	wantContains(t, "the choice of letters", pageText(page), "Stage 1 response Issued "+when+" by officer@example.org, by email to Ada")

	// The same form again is refused, and the form asks for a reason.
	resp, page := s.post(c, "/cases/"+ref+"/letters", form)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("issuing the same letter again: %d, want %d", resp.StatusCode, http.StatusConflict)
	}
	text := pageText(page)
	wantContains(t, "the form asking for a reason", text, "There is a problem", "This letter was already issued at this stage: "+when+" by officer@example.org, by email to Ada",
		"give the reason for sending it again", "Confirm that the resident is to be sent this letter again")
	for _, want := range []string{`<label class="govuk-label" for="reissue-reason">`, `name="reissue_reason"`,
		`<label class="govuk-label govuk-checkboxes__label" for="confirm-reissue">`, `id="confirm-reissue" name="confirm_reissue" type="checkbox"`,
		`href="#reissue-reason"`, `href="#confirm-reissue"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form has no %s", want)
		}
	}
	if ls, _ := s.st.Letters(ctx, ref); len(ls) != 1 {
		t.Errorf("%d letters after the refused second submit, want 1", len(ls))
	}
	if out, _ := s.st.Outbox(ctx, ref); len(out) != 1 {
		t.Errorf("%d emails after the refused second submit, want 1", len(out))
	}

	const why = "Ada rang: the first email never arrived"
	form.Set("reissue_reason", why)
	form.Set("confirm_reissue", "yes")
	if resp, page := s.post(c, "/cases/"+ref+"/letters", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issuing again with a reason: %d\n%.600s", resp.StatusCode, pageText(page))
	}
	ls, _ := s.st.Letters(ctx, ref)
	out, _ := s.st.Outbox(ctx, ref)
	if len(ls) != 2 || ls[1].ReissueReason != why || len(out) != 2 {
		t.Errorf("after the reissue: %d letters (reason %q), %d emails; want 2, %q, 2", len(ls), ls[len(ls)-1].ReissueReason, len(out), why)
	}
	// The same reissue submitted twice sends nothing more.
	if resp, _ := s.post(c, "/cases/"+ref+"/letters", form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the same reissue again: %d", resp.StatusCode)
	}
	if out, _ := s.st.Outbox(ctx, ref); len(out) != 2 {
		t.Errorf("%d emails after the same reissue twice, want 2", len(out))
	}
}
