package webui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/store"
)

// NUL and bidi-override characters typed into the staff forms were
// stored and shown as typed. The forms now refuse them, naming the field,
// and keep nothing.
func TestStaffFormsRefuseControlAndBidiCharactersNamingTheField(t *testing.T) {
	s := newSite(t)
	officer := s.signIn("officer")
	resp, page := s.post(officer, "/cases/new", url.Values{
		"kind": {"complaint"}, "channel": {"phone"},
		"received.day": {"20"}, "received.month": {"11"}, "received.year": {"2026"},
		"complainant.name": {"Ada Resident"}, "complainant.phone": {"0191 496 0000"},
		"summary": {"Roof leak \u202eevif dnuof"}, "service_area": {"Repairs\x00"},
	})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a contact with a bidi override and a NUL: %d, want 400", resp.StatusCode)
	}
	text := html.UnescapeString(pageText(page))
	for _, want := range []string{"Summary contains an invisible character that reorders the text around it (U+202E)",
		"Service area contains a NUL character (U+0000)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	if cases, _, err := s.st.ListCases(context.Background(), store.CaseFilter{Viewer: store.Viewer{AllConfidential: true}}); err != nil || len(cases) != 0 {
		t.Errorf("refused contact stored: %d cases, %v", len(cases), err)
	}

	ref := s.newCase("officer", "Roof leak", false)
	resp, page = s.post(officer, "/cases/"+ref+"/notes", url.Values{"text": {"Called\x00 back"}, "version": {"1"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(pageText(page)), "contains a NUL character") {
		t.Errorf("a note with a NUL: %d, want 400 saying so", resp.StatusCode)
	}
	if evs, err := s.st.CaseEvents(context.Background(), ref); err != nil || len(evs) != 1 {
		t.Errorf("refused note stored: %d events, %v", len(evs), err)
	}

	// A user's name is shown on every case they touch: an admin cannot
	// give one a bidi override either.
	admin := s.signIn("admin")
	resp, page = s.post(admin, "/users", url.Values{"email": {"new@example.org"}, "name": {"Eve \u202eNimda"}, "role": {"officer"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(pageText(page)), "The name contains an invisible character") {
		t.Errorf("a user named with a bidi override: %d, want 400 naming the name", resp.StatusCode)
	}
	if _, err := s.st.UserByEmail(context.Background(), "new@example.org"); err == nil {
		t.Error("the refused user was created")
	}
}
