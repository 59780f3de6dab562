package webui

import "testing"

// safeNext follows a post-sign-in next only to a page of this site that
// can be fetched with GET. Each refused one either leaves the site in a
// browser (which reads a backslash as a slash and drops tabs and line
// breaks), or is not a page.
func TestSafeNextAcceptsOnlyPagesOfThisSite(t *testing.T) {
	for _, tt := range []struct{ next, want string }{
		{"/", "/"},
		{"/cases", "/cases"},
		{"/cases?q=damp&sort=due", "/cases?q=damp&sort=due"},
		{"/cases/C-2026-000001", "/cases/C-2026-000001"},
		{"/reports/review/section/6", "/reports/review/section/6"},
		{"/cases/C-2026-000001#timeline", "/cases/C-2026-000001"},
		{"/cases/C-2026-000001/notes", "/"},   // takes only POST
		{"/cases/C-2026-000001/letters", "/"}, // takes only POST
		{"/sign-out", "/"},                    // takes only POST
		{"/no-such-page", "/"},                // the catch-all is no page
		{"", "/"},                             // nothing
		{"cases", "/"},                        // relative
		{"//evil.example", "/"},               // another host
		{"//evil.example/cases", "/"},         //
		{`/\evil.example`, "/"},               // a backslash is a slash to browsers
		{`\/evil.example`, "/"},               //
		{`\\evil.example`, "/"},               //
		{`/cases\..\..\evil`, "/"},            //
		{"/\t/evil.example", "/"},             // browsers drop tabs ...
		{"/\n/evil.example", "/"},             // ... and line breaks
		{"/\r\nLocation: x", "/"},             //
		{"/ /evil.example", "/"},              // spaces
		{"/\x00", "/"},                        // control characters
		{"/\x7f", "/"},                        //
		{"/cases\u2215evil", "/"},             // not ASCII
		{"https://evil.example/", "/"},        // a scheme
		{"http:/evil.example", "/"},           //
		{"javascript:alert(1)", "/"},          //
		{"/%2F/evil.example", "/"},            // a slash in disguise
		{"/%5Cevil.example", "/"},             // a backslash in disguise
		{"/%0d%0aSet-Cookie:x=1", "/"},        // no such page
		{"/cases/%2E%2E/users", "/"},          // no such page once decoded
		{"/@evil.example", "/"},               // no such page
		{"/users", "/users"},                  // a page (whoever may see it)
		{"/assets/x.css", "/assets/x.css"},    // a GET route
		{"/reports.csv?year=2026", "/reports.csv?year=2026"},
	} {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
