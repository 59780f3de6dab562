package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/browsertest"
	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// TestAManagerKeepsTheListsInTheBrowser: a manager opens the lists,
// empty, seeds them from the values already on cases, is refused a
// duplicate on its field, merges "contractor" into "contractor conduct"
// and sees the merge in the list and among the changes with their name;
// then an officer logging a contact is offered the merged list as
// checkboxes. Each page is axe clean, and the forms work without
// JavaScript.
func TestAManagerKeepsTheListsInTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.DisableJavaScript()
	received := clock.Wall().Add(-time.Hour).Truncate(time.Minute)
	for _, cats := range [][]string{{"contractor"}, {"contractor conduct", "damp"}} {
		if _, err := tb.app.Store.CreateCase(context.Background(), func(ref store.NewReference) (complaint.Case, complaint.Event, error) {
			return complaint.NewCase(complaint.Create{Kind: complaint.KindComplaint, Channel: "phone", ReceivedAt: &received,
				Complainant: complaint.Person{Name: "Ada Resident", Phone: "0191 496 0000"}, Summary: "The contractor was rude",
				ServiceArea: "Repairs", Categories: cats},
				complaint.Env{Now: clock.Wall(), Actor: complaint.Actor{Email: tb.users["officer"].Email, Role: "officer"}, Policy: tb.app.Policy, Calendar: tb.app.Cal, NewReference: ref})
		}); err != nil {
			t.Fatal(err)
		}
	}

	tb.WantStatus("open the lists signed out", tb.Open("/admin/lists"), 200)
	tb.WantStatus("sign in as the manager", tb.signIn("manager"), 200)
	tb.WantText("the empty lists", "Service areas and categories", "The lists are empty", "No changes yet.")
	tb.Look("lists-empty")

	tb.WantStatus("seed from the cases", tb.Submit(`form[action="/admin/lists/seed"] button`), 200)
	tb.WantPath("seeded", "/admin/lists?done=seed")
	tb.WantText("the seeded lists", "The values already on cases are added to the lists.", "Repairs", "contractor conduct", "damp")

	tb.TypeInto("add-categories-name", "Damp")
	tb.WantStatus("add a duplicate", tb.Submit(`form[action="/admin/lists/add"]:has(#add-categories-name) button`), 409)
	errs := tb.ErrorSummary("a duplicate")
	tb.WantFieldError(errs, "add-categories-name", `"Damp" is already on the list`)
	tb.Look("lists-duplicate")

	tb.SelectOption("merge-categories-from", tb.entryValue("merge-categories-from", "contractor"))
	tb.SelectOption("merge-categories-into", tb.entryValue("merge-categories-into", "contractor conduct"))
	tb.WantStatus("merge", tb.Submit(`form[action="/admin/lists/merge"]:has(#merge-categories-from) button`), 200)
	tb.WantPath("merged", "/admin/lists?done=merge")
	tb.WantText("the merged list", "The entries are merged.", "Merged into contractor conduct",
		"Merge: contractor merged into contractor conduct", tb.users["manager"].Email)
	tb.Look("lists-merged")

	tb.signOut()
	tb.WantStatus("open a new contact signed out", tb.Open("/cases/new"), 200)
	tb.WantStatus("sign in as the officer", tb.signIn("officer"), 200)
	if !tb.exists(`input[type="checkbox"][name="categories"][value="contractor conduct"]`) || tb.exists(`input[name="categories"][value="contractor"]`) {
		t.Error("the log-a-contact page does not offer the merged list of categories as checkboxes")
	}
	if !tb.exists(`select#service-area option[value="Repairs"]`) {
		t.Error("the log-a-contact page does not offer Repairs in a select")
	}
	tb.Look("case-new-picklists")
}

// entryValue is the value of the option of select id labelled label.
func (tb *browserTab) entryValue(id, label string) string {
	tb.t.Helper()
	v := browsertest.Eval[string](tb.Tab, `(() => { const o = [...document.querySelectorAll('#`+id+` option')].find(o => o.textContent.trim() === `+jsString(label)+`); return o ? o.value : ''; })()`)
	if v == "" {
		tb.t.Fatalf("select %s has no option %q", id, label)
	}
	return v
}

// exists reports whether the page has an element matching sel.
func (tb *browserTab) exists(sel string) bool {
	tb.t.Helper()
	return browsertest.Eval[bool](tb.Tab, `document.querySelector(`+jsString(sel)+`) !== null`)
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	b := []byte{'\''}
	for _, r := range []byte(s) {
		if r == '\'' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, r)
	}
	return string(append(b, '\''))
}
