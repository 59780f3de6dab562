package webui

import (
	"net/url"
	"testing"
)

// A view keeps the list's filters in a fixed order and nothing else: not
// the page it was on, and not the search words, which are often a
// resident's name and would outlive the case's retention.
func TestAViewKeepsTheFiltersButNotTheSearchWords(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"queue=unassigned&sort=due", "queue=unassigned&sort=due"},
		{"sort=due&queue=unassigned", "queue=unassigned&sort=due"},
		{"q=Pat+Jones&status=received", "status=received"},
		{"q=SW1A+1AA", ""},
		{"cursor=abc&stage=2&stray=1", "stage=2"},
		{"service_area=+Repairs+&overdue=", "service_area=Repairs"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := viewQuery(q); got != tc.want {
			t.Errorf("viewQuery(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}
