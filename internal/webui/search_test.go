package webui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// headerSearch is the search form in a page's header: where it goes, how,
// and the name of what is typed into it; ok is false if the header has
// none. It reads the form as a browser would, so the test submits what
// the page offers rather than a URL of its own.
type headerSearch struct {
	action, method, input, label string
	ok                           bool
}

func findHeaderSearch(t *testing.T, page string) headerSearch {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var find func(n *html.Node, pred func(*html.Node) bool) *html.Node
	find = func(n *html.Node, pred func(*html.Node) bool) *html.Node {
		if pred(n) {
			return n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if f := find(c, pred); f != nil {
				return f
			}
		}
		return nil
	}
	header := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "header" })
	if header == nil {
		t.Fatal("the page has no header")
	}
	form := find(header, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "form" && attr(n, "role") == "search"
	})
	if form == nil {
		return headerSearch{}
	}
	input := find(form, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "input" && attr(n, "type") == "search"
	})
	if input == nil {
		t.Fatal("the header's search form has no search input")
	}
	// The input's label is a <label for> it, so that it is named by
	// more than a placeholder.
	label := find(form, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "label" && attr(n, "for") == attr(input, "id") && attr(input, "id") != ""
	})
	hs := headerSearch{action: attr(form, "action"), method: strings.ToUpper(attr(form, "method")), input: attr(input, "name"), ok: true}
	if label != nil && label.FirstChild != nil {
		hs.label = strings.TrimSpace(label.FirstChild.Data)
	}
	return hs
}

// submit sends what the header's form sends for text typed into it.
func (hs headerSearch) submit(s *site, c *http.Client, text string) (*http.Response, string) {
	s.t.Helper()
	if hs.method != "GET" {
		s.t.Fatalf("the header's search form sends %q, want GET: a search changes nothing and its results can be linked to", hs.method)
	}
	return s.get(c, hs.action+"?"+url.Values{hs.input: {text}}.Encode())
}

// Issue 16, item 7: every staff page has a search box in its header, a
// labelled GET form to the case list that needs no JavaScript. Typed
// into it, a phone number finds its case however it is spaced or
// prefixed, and so does a postcode however it is spaced or capitalised;
// a confidential case is not found by someone who may not see it. A
// signed-out page has no search box.
func TestTheHeaderSearchFindsACaseByPhoneNumberAndPostcode(t *testing.T) {
	s := newSite(t)
	cal, err := s.p.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	create := func(cmd complaint.Create) string {
		t.Helper()
		recv := s.now.Add(-time.Hour)
		cmd.Kind, cmd.Channel, cmd.ReceivedAt = "complaint", "phone", &recv
		c, err := s.st.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(cmd, complaint.Env{Now: s.now, Actor: complaint.Actor{Email: "officer@example.org", Role: "officer"},
				Policy: s.p, Calendar: cal, NewReference: ref})
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.Reference
	}
	ada := create(complaint.Create{Summary: "Leaking roof",
		Complainant: complaint.Person{Name: "Ada Lovelace", Phone: "07700 900123", Postcode: "SW1A 1AA"}})
	other := create(complaint.Create{Summary: "Broken gate",
		Complainant: complaint.Person{Name: "Bo Resident", Phone: "0161 496 0000", Postcode: "M1 1AE"}})
	secret := create(complaint.Create{Summary: "About a housing officer", Confidential: true,
		Complainant: complaint.Person{Name: "Dee Hidden", Phone: "020 7946 0018", Postcode: "E1 6AN"}})

	_, signInPage := s.get(s.browser(), "/sign-in")
	if findHeaderSearch(t, signInPage).ok {
		t.Error("the sign-in page has a search box: only signed-in staff may search cases")
	}

	officer := s.signIn("officer")
	for _, path := range []string{"/", "/cases", "/cases/" + ada, "/actions"} {
		resp, page := s.get(officer, path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if hs := findHeaderSearch(t, page); !hs.ok || hs.label != "Search cases" {
			t.Errorf("GET %s: header search %+v, want a form with an input labelled Search cases", path, hs)
		}
	}
	_, dashboard := s.get(officer, "/")
	hs := findHeaderSearch(t, dashboard)
	if !hs.ok {
		t.Fatal("the dashboard's header has no search form")
	}
	found := func(c *http.Client, text string) (adaFound, otherFound, secretFound bool) {
		t.Helper()
		resp, body := hs.submit(s, c, text)
		if resp.StatusCode != 200 {
			t.Fatalf("searching %q from the header: %d\n%.2000s", text, resp.StatusCode, body)
		}
		return strings.Contains(body, `href="/cases/`+ada+`"`), strings.Contains(body, `href="/cases/`+other+`"`),
			strings.Contains(body, `href="/cases/`+secret+`"`)
	}
	for _, text := range []string{"07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700-900-123", "0770 090 0123",
		"sw1a1aa", "SW1A 1AA", "Sw1a 1Aa"} {
		a, o, _ := found(officer, text)
		if !a || o {
			t.Errorf("searching %q from the header: finds Ada's case %v and another %v; want hers only", text, a, o)
		}
	}

	// Whoever logged the confidential case finds it by its number; a
	// viewer, whom it does not name, does not, by number or postcode.
	if _, _, sec := found(officer, "+44 20 7946 0018"); !sec {
		t.Error("the officer who logged the confidential case does not find it by its phone number")
	}
	viewer := s.signIn("viewer")
	for _, text := range []string{"02079460018", "+44 20 7946 0018", "e16an", "E1 6AN", secret} {
		if _, _, sec := found(viewer, text); sec {
			t.Errorf("a viewer the confidential case does not name finds it searching %q", text)
		}
	}
}

// The header's search box in a real browser with no page script, checked
// by axe on the page it is typed into and on the results: a contact is
// logged with a phone number and a postcode written one way, and found
// by each typed another way into the header of another page.
func TestTheHeaderSearchWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.DisableJavaScript()
	tb.WantStatus("open", tb.Open("/"), 200)
	tb.WantStatus("sign in", tb.signIn("officer"), 200)

	tb.WantStatus("log a contact", tb.Open("/cases/new"), 200)
	tb.TypeInto("complainant-name", "Sam Okafor")
	tb.TypeInto("complainant-phone", "01632 960456")
	tb.TypeInto("complainant-postcode", "SW1A 1AA")
	tb.TypeInto("summary", "Damp in the back bedroom")
	tb.WantStatus("log the complaint", tb.Submit(`main form[action="/cases/new"] button[type="submit"]`), 200)
	ref := strings.TrimSuffix(strings.TrimPrefix(browsertest.Eval[string](tb.Tab, `document.querySelector(".govuk-notification-banner__heading").innerText`), "Logged as "), ".")
	if !strings.HasPrefix(ref, "C-") {
		t.Fatalf("logged contact's reference %q", ref)
	}

	for i, typed := range []string{"+44 1632 960 456", "sw1a1aa"} {
		tb.WantStatus("open the actions page", tb.Open("/actions"), 200)
		if i == 0 {
			tb.Look("header-search")
		}
		tb.TypeInto("search-cases", typed)
		tb.WantStatus("search "+typed, tb.Submit(`header form[role="search"] button[type="submit"]`), 200)
		tb.WantPath("search "+typed, "/cases?"+url.Values{"q": {typed}}.Encode())
		tb.WantText("search "+typed, ref, "Damp in the back bedroom")
		if i == 0 {
			tb.Look("header-search-results")
		}
	}
}
