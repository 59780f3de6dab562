package webui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// listView is one list on the "Service areas and categories" page.
type listView struct {
	List, Title, Singular, Plural string
	Entries                       []entryRow
	Offered                       []store.PicklistEntry
	Add                           formField
	MergeFrom, MergeInto          formField
}

// entryRow is one entry of a list with its rename field and, while it
// is offered, the retire button's error.
type entryRow struct {
	store.PicklistEntry
	Rename      formField
	RetireError string
	// MergedName is the name of the entry it was merged into.
	MergedName string
}

// listsPage is GET /admin/lists: the service areas and categories staff
// choose from when they log or correct a case, kept by managers so that
// the reports' themes are one row each, not one per spelling.
func (s *Server) listsPage(w http.ResponseWriter, r *http.Request) error {
	msg := ""
	switch r.URL.Query().Get("done") {
	case "add":
		msg = "The entry is added."
	case "rename":
		msg = "The entry is renamed. Cases with its old name count under its new one."
	case "retire":
		msg = "The entry is retired. It is no longer offered; cases that have it keep it."
	case "merge":
		msg = "The entries are merged. The reports count both as one."
	case "seed":
		msg = "The values already on cases are added to the lists."
	}
	return s.renderLists(w, r, http.StatusOK, nil, nil, msg)
}

func (s *Server) renderLists(w http.ResponseWriter, r *http.Request, status int, typed url.Values, errs []fieldError, msg string) error {
	var lists []listView
	empty := true
	for _, l := range store.Lists {
		es, err := s.Store.Picklist(r.Context(), l)
		if err != nil {
			return err
		}
		v := listView{List: l, Title: "Service areas", Singular: "service area", Plural: "service areas"}
		if l == store.ListCategories {
			v.Title, v.Singular, v.Plural = "Categories", "category", "categories"
		}
		names := map[int64]string{}
		for _, e := range es {
			names[e.ID] = e.Name
			if e.Active() {
				v.Offered = append(v.Offered, e)
			}
		}
		for _, e := range es {
			n := strconv.FormatInt(e.ID, 10)
			row := entryRow{PicklistEntry: e, MergedName: names[e.MergedInto]}
			row.Rename = newField("rename."+n+".name", "New name for "+e.Name, "", typed, errs)
			if typed == nil || typed.Get("id") != n {
				row.Rename.Value = e.Name
			}
			for _, fe := range errs {
				if fe.Field == "retire."+n {
					row.RetireError = fe.Message
				}
			}
			v.Entries = append(v.Entries, row)
		}
		empty = empty && len(es) == 0
		v.Add = newField("add."+l+".name", "New "+v.Singular, "", typed, errs)
		v.MergeFrom = newField("merge."+l+".from", "Merge this "+v.Singular, "It is no longer offered, and the reports count its cases under the one you merge it into", typed, errs)
		v.MergeInto = newField("merge."+l+".into", "Into this "+v.Singular, "", typed, errs)
		lists = append(lists, v)
	}
	changes, err := s.Store.PicklistChanges(r.Context(), 50)
	if err != nil {
		return err
	}
	s.render(w, r, status, "lists", map[string]any{
		"Title": "Service areas and categories", "Nav": "policy", "Errors": errs, "Lists": lists,
		"Changes": changes, "Empty": empty, "Message": msg, "Typed": typed,
	})
	return nil
}

// listCommand is POST /admin/lists/{command}: add, rename, retire, merge
// or seed. Each change is made and audited by the store in one
// transaction, as the signed-in manager.
func (s *Server) listCommand(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f, u, now := r.PostForm, userOf(r), s.Now()
	command := r.PathValue("command")
	list := f.Get("list")
	id, _ := strconv.ParseInt(f.Get("id"), 10, 64)
	// form names the field of the page a refusal belongs on.
	var form func(domainField string) string
	var err error
	switch command {
	case "add":
		form = func(string) string { return "add." + list + ".name" }
		if err = store.CheckList(list); err == nil {
			_, err = s.Store.AddPicklistEntry(r.Context(), list, f.Get("add."+list+".name"), u.Email, now)
		}
	case "rename":
		field := "rename." + strconv.FormatInt(id, 10) + ".name"
		form = func(string) string { return field }
		err = s.Store.RenamePicklistEntry(r.Context(), id, f.Get(field), u.Email, now)
	case "retire":
		form = func(string) string { return "retire." + strconv.FormatInt(id, 10) }
		err = s.Store.RetirePicklistEntry(r.Context(), id, u.Email, now)
	case "merge":
		form = func(k string) string {
			if k == "from" || k == "id" {
				return "merge." + list + ".from"
			}
			return "merge." + list + ".into"
		}
		from, ferr := strconv.ParseInt(f.Get("merge."+list+".from"), 10, 64)
		into, ierr := strconv.ParseInt(f.Get("merge."+list+".into"), 10, 64)
		switch {
		case store.CheckList(list) != nil:
			err = store.CheckList(list)
		case ferr != nil:
			err = complaint.InvalidField("from", "choose the entry to merge")
		case ierr != nil:
			err = complaint.InvalidField("into", "choose the entry to merge it into")
		default:
			err = s.Store.MergePicklistEntries(r.Context(), from, into, u.Email, now)
		}
	case "seed":
		form = func(string) string { return "seed" }
		_, err = s.Store.SeedPicklists(r.Context(), u.Email, now)
	default:
		return complaint.Errorf(complaint.NotFound, "there is no list command %q", command)
	}
	if err == nil {
		s.Log.Info("list changed", "command", command, "list", list, "user_id", u.ID)
		http.Redirect(w, r, "/admin/lists?done="+command, http.StatusSeeOther)
		return nil
	}
	var e *complaint.Error
	if !errors.As(err, &e) || (e.Code != complaint.Invalid && e.Code != complaint.Conflict) {
		return err
	}
	var errs []fieldError
	for k, msg := range e.Fields {
		errs = append(errs, fieldError{form(k), listMessage(k, msg)})
	}
	if len(errs) == 0 {
		errs = []fieldError{{form(""), sentence(e.Message)}}
	}
	status := http.StatusBadRequest
	if e.Code == complaint.Conflict {
		status = http.StatusConflict
	}
	return s.renderLists(w, r, status, f, errs, "")
}

// listMessage puts a store refusal in the page's words.
func listMessage(field, msg string) string {
	switch field {
	case "name":
		if msg == "is required" {
			return "Enter a name"
		}
		if strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "must ") {
			return "The name " + msg
		}
	case "list":
		return "Choose service areas or categories"
	}
	return sentence(msg)
}

// sentence starts msg with a capital letter.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// picklistChoice is one service area or category a case form offers.
type picklistChoice struct {
	Value, ID string
	Chosen    bool
	// Unlisted marks the case's own value where the list does not offer
	// it (retired, merged, or from before the list was kept): it is
	// shown, and kept unless the officer changes it.
	Unlisted bool
}

// pickedField is a form field offered as a picklist, for the
// "picklistSelect" and "picklistBoxes" components (components.html),
// which the log-a-contact and change-details pages share.
type pickedField struct {
	F       formField
	Choices []picklistChoice
}

// picklists is what a case form needs to offer the lists: a select of
// service areas and checkboxes of categories for each list that is
// kept, and free text as before for a list that is not.
type picklists struct {
	AreaKept, CatsKept bool
	Areas, Cats        []picklistChoice
}

// casePicklists offers the lists with area and cats chosen, ids
// prefixed by prefix ("" on the log-a-contact page, "details-" on the
// details page): the first category's box takes the field's id, so the
// error summary's link lands on it.
func (s *Server) casePicklists(r *http.Request, prefix, area string, cats []string) (picklists, error) {
	var p picklists
	areas, err := store.Offered(r.Context(), s.Store, store.ListServiceAreas)
	if err != nil {
		return p, err
	}
	categories, err := store.Offered(r.Context(), s.Store, store.ListCategories)
	if err != nil {
		return p, err
	}
	p.AreaKept, p.CatsKept = len(areas) > 0, len(categories) > 0
	p.Areas = choices(areas, []string{area})
	p.Cats = choices(categories, cats)
	for i := range p.Cats {
		p.Cats[i].ID = prefix + "categories"
		if i > 0 {
			p.Cats[i].ID += "-" + strconv.Itoa(i)
		}
	}
	return p, nil
}

// choices is the offered names, with those chosen marked, and any
// chosen value the list does not offer first.
func choices(offered, chosen []string) []picklistChoice {
	isChosen := map[string]bool{}
	for _, c := range chosen {
		if strings.TrimSpace(c) != "" {
			isChosen[store.NameKey(c)] = true
		}
	}
	listed := map[string]bool{}
	var out []picklistChoice
	for _, o := range offered {
		listed[store.NameKey(o)] = true
		out = append(out, picklistChoice{Value: o, Chosen: isChosen[store.NameKey(o)]})
	}
	var unlisted []picklistChoice
	for _, c := range chosen {
		if k := store.NameKey(c); k != "" && !listed[k] {
			listed[k] = true
			unlisted = append(unlisted, picklistChoice{Value: strings.TrimSpace(c), Chosen: true, Unlisted: true})
		}
	}
	return append(unlisted, out...)
}

// formCategories reads the categories a case form sent: the boxes ticked
// where the list is kept (the form says so with categories_picklist),
// each whole, or the free text split by free where it is not.
func formCategories(f url.Values, free func(string) []string) []string {
	out := []string{}
	for _, v := range f["categories"] {
		if f.Get("categories_picklist") == "yes" {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
			continue
		}
		out = append(out, free(v)...)
	}
	return out
}
