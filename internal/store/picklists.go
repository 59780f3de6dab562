package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/complaint"
)

// The two lists a manager keeps, as PicklistStore names them. Their
// values are the case fields they fill, so that an error can name the
// field.
const (
	ListServiceAreas = "service_area"
	ListCategories   = "categories"
)

// Lists are the lists PicklistStore keeps, in the order the page shows
// them.
var Lists = []string{ListServiceAreas, ListCategories}

// PicklistEntry is one service area or category on a list.
type PicklistEntry struct {
	ID   int64  `json:"id"`
	List string `json:"list"`
	Name string `json:"name"`
	// Retired is when the entry was taken off the picklists; zero while
	// it is offered. Cases that have it keep it.
	Retired time.Time `json:"retired,omitzero"`
	// MergedInto is the entry this one was merged into, 0 if none:
	// reports count its cases as that entry's.
	MergedInto int64 `json:"merged_into,omitempty"`
	// OtherNames are the names the entry had before it was renamed, and
	// those of the entries merged into it: cases that have them count as
	// this entry in the reports.
	OtherNames []string  `json:"other_names,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Active reports whether the entry is offered on the picklists: neither
// retired nor merged into another.
func (e PicklistEntry) Active() bool { return e.Retired.IsZero() && e.MergedInto == 0 }

// PicklistChange is one audited change to a list.
type PicklistChange struct {
	List    string `json:"list"`
	EntryID int64  `json:"entry_id"`
	// Action is add, rename, retire, merge or seed.
	Action string    `json:"action"`
	Detail string    `json:"detail"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
}

// PicklistStore keeps the service areas and categories that staff choose
// from when they log or correct a case, so that a theme is one row in
// the reports rather than several spellings of it. Store embeds it; the
// staff pages and the API are its consumers.
//
// Merging does not rewrite cases: their events are immutable and hash
// chained, and a case records the value it was given. Instead every
// name an entry has had, and every name merged into it, stays with it
// (PicklistAliases), and the report queries count a case under the
// entry its value now belongs to.
//
// Names are compared without regard to case or surrounding spaces: a
// list cannot hold "Repairs" and "repairs". Every change is audited with
// who made it and when, in the same transaction as the change.
type PicklistStore interface {
	// Picklist returns every entry of the list, offered, retired and
	// merged, by name.
	Picklist(ctx context.Context, list string) ([]PicklistEntry, error)
	// AddPicklistEntry adds a name to a list. A name the list already
	// has, or once had, is refused naming the field "name".
	AddPicklistEntry(ctx context.Context, list, name, actor string, at time.Time) (PicklistEntry, error)
	// RenamePicklistEntry gives an entry a new name; its old name stays
	// with it, so that cases recorded with it count as the entry.
	RenamePicklistEntry(ctx context.Context, id int64, name, actor string, at time.Time) error
	// RetirePicklistEntry takes an entry off the picklists; cases keep it.
	RetirePicklistEntry(ctx context.Context, id int64, actor string, at time.Time) error
	// MergePicklistEntries merges the entry from into the entry into, of
	// the same list: from leaves the picklists, and its cases count as
	// into's in the reports. Neither may already be merged.
	MergePicklistEntries(ctx context.Context, from, into int64, actor string, at time.Time) error
	// SeedPicklists adds to the lists every service area and category
	// already on a case that no entry has as a name, and returns how
	// many it added.
	SeedPicklists(ctx context.Context, actor string, at time.Time) (int, error)
	// PicklistAliases maps every name of the list, by NameKey, to the
	// current name of the entry it now counts as: an entry's own name
	// (so that "repairs" counts as "Repairs"), a renamed entry's old
	// names and a merged entry's names.
	PicklistAliases(ctx context.Context, list string) (map[string]string, error)
	// PicklistChanges returns the latest changes to the lists, newest
	// first, up to limit.
	PicklistChanges(ctx context.Context, limit int) ([]PicklistChange, error)
}

// NameKey is how list names are compared: trimmed, with runs of spaces
// as one, ignoring case.
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// CheckPicklistName checks a name for a list as it will be kept: one
// line, not blank, no longer than the case fields it fills allow (200
// characters).
func CheckPicklistName(name string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return complaint.InvalidField("name", "is required")
	case strings.ContainsAny(name, "\r\n"):
		return complaint.InvalidField("name", "must be one line")
	case len([]rune(name)) > 200:
		return complaint.InvalidField("name", "is longer than 200 characters")
	case strings.Contains(name, ","):
		// The log-a-contact form once took categories separated by
		// commas; a comma in a name would split it.
		return complaint.InvalidField("name", "must not contain a comma")
	}
	return nil
}

// CheckList checks that list names one of Lists.
func CheckList(list string) error {
	for _, l := range Lists {
		if l == list {
			return nil
		}
	}
	return complaint.InvalidField("list", "%q is not a list: use service_area or categories", list)
}

// Canonical returns the name value counts as under aliases
// (PicklistAliases): the entry's current name, or value itself.
func Canonical(aliases map[string]string, value string) string {
	if to, ok := aliases[NameKey(value)]; ok {
		return to
	}
	return value
}

// PicklistReader is the part of PicklistStore that checking a value
// needs: case work declares it, and a test's store need have only it.
type PicklistReader interface {
	Picklist(ctx context.Context, list string) ([]PicklistEntry, error)
}

// Offered returns the names of the list's entries that staff may choose:
// neither retired nor merged. An empty answer means the list is not
// kept yet, and any value is accepted (CheckListed).
func Offered(ctx context.Context, ps PicklistReader, list string) ([]string, error) {
	es, err := ps.Picklist(ctx, list)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		if e.Active() {
			out = append(out, e.Name)
		}
	}
	return out, nil
}

// CheckListed checks a new case's service area and categories against
// the lists, and returns them as the lists spell them. A list with no
// entry offered is not kept yet, and takes any value, as before lists
// were kept; once it is kept, a value off it (retired, merged or never
// listed) is refused naming the field, so that themes are not split by
// new spellings. keep is a value that is accepted whatever the lists say:
// a case's existing value, which a correction leaves as it is.
func CheckListed(ctx context.Context, ps PicklistReader, area string, cats []string, keep ...string) (string, []string, error) {
	kept := map[string]bool{}
	for _, k := range keep {
		kept[NameKey(k)] = true
	}
	fields := map[string]string{}
	check := func(field, list, value string) string {
		if strings.TrimSpace(value) == "" || kept[NameKey(value)] {
			return value
		}
		offered, err := Offered(ctx, ps, list)
		if err != nil {
			fields[field] = err.Error()
			return value
		}
		if len(offered) == 0 {
			return value
		}
		for _, o := range offered {
			if NameKey(o) == NameKey(value) {
				return o
			}
		}
		fields[field] = fmt.Sprintf("%q is not on the list of %s: choose one of %s", strings.TrimSpace(value), listWords(list), strings.Join(offered, "; "))
		return value
	}
	area = check("service_area", ListServiceAreas, area)
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = check(fmt.Sprintf("categories[%d]", i), ListCategories, c)
	}
	if len(fields) > 0 {
		return area, out, &complaint.Error{Code: complaint.Invalid, Message: "the request has invalid fields", Fields: fields}
	}
	return area, out, nil
}

// listWords names a list in a sentence.
func listWords(list string) string {
	if list == ListServiceAreas {
		return "service areas"
	}
	return "categories"
}
