package webui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// 003: "we will agree with the customer how they would like us to
// respond". A call logged on the new-contact page records the way; the
// details page and the case page change it; an unknown way is refused on
// its field and changes nothing; a text message is answered in writing by
// the channel the case holds, and the page says which.
func TestTheWayToAnswerIsRecordedFromACallAndChangedOnTheCase(t *testing.T) {
	s := newSite(t)
	officer := s.signIn("officer")
	resp, _ := s.post(officer, "/cases/new", url.Values{
		"kind": {"complaint"}, "channel": {"phone"},
		"received.day": {"20"}, "received.month": {"11"}, "received.year": {"2026"},
		"complainant.name": {"Ada Resident"}, "complainant.phone": {"0191 496 0000"}, "complainant.address": {"1 Mill Lane"},
		"summary": {"Roof leak"}, "response_method": {"phone"},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging a call: %d, want 303; log:\n%s", resp.StatusCode, s.log)
	}
	cases, _, err := s.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}})
	if err != nil || len(cases) != 1 || cases[0].ResponseMethod != complaint.ResponsePhone {
		t.Fatalf("cases %+v, %v: want one answered by phone", cases, err)
	}
	ref := cases[0].Reference

	_, page := s.get(officer, "/cases/"+ref)
	text := html.UnescapeString(pageText(page))
	for _, want := range []string{"How they want to be answered", "By phone", "They asked to be answered by phone.", "record the conversation as a record of contact"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page does not say %q; log:\n%s", want, s.log)
		}
	}
	if !strings.Contains(page, `href="/cases/`+ref+`/files/new?how=phone"`) {
		t.Error("the case page does not link to a record of a phone call")
	}
	_, page = s.get(officer, "/cases/"+ref+"/details")
	if !strings.Contains(page, `action="/cases/`+ref+`/response-method"`) || !strings.Contains(page, `value="phone" checked`) {
		t.Errorf("the details page has no response-method form starting from phone; log:\n%s", s.log)
	}

	resp, page = s.post(officer, "/cases/"+ref+"/response-method", url.Values{"method": {"pigeon"}, "version": {"1"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="response-method-method-error"`) {
		t.Errorf("an unknown way: %d, want 400 with the error on the field", resp.StatusCode)
	}
	if got := s.caseNow(ref).ResponseMethod; got != complaint.ResponsePhone {
		t.Errorf("a refused way changed the case to %q", got)
	}

	resp, _ = s.post(officer, "/cases/"+ref+"/response-method", url.Values{"method": {"text_message"}, "reason": {"Asked on the phone"}, "version": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("changing to a text message: %d, want 303; log:\n%s", resp.StatusCode, s.log)
	}
	_, page = s.get(officer, "/cases/"+ref)
	text = html.UnescapeString(pageText(page))
	for _, want := range []string{"By text message", "Redress does not send text messages", "the written response goes by post", "Answer: By text message", "Was: By phone"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page does not say %q:\n%s", want, text)
		}
	}
}
