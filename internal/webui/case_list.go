package webui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/csvsafe"
	"github.com/redresshq/redress/internal/enum"
	"github.com/redresshq/redress/internal/store"
)

// listFilter reads the case list's filters from the query, the same ones
// the API takes, and says which are not valid.
func (s *Server) listFilter(r *http.Request) (store.CaseFilter, []fieldError) {
	q := r.URL.Query()
	f := store.CaseFilter{
		Viewer: s.viewer(userOf(r)), Handler: q.Get("handler"), ServiceArea: strings.TrimSpace(q.Get("service_area")),
		Q: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Today: calendar.DateOf(s.Now()), Limit: 25,
		Sort: q.Get("sort"),
	}
	var errs []fieldError
	if v := q.Get("kind"); v != "" {
		if _, err := enum.Parse(v, complaint.Kinds, "a kind"); err != nil {
			errs = append(errs, fieldError{"kind", "Choose a kind from the list"})
		}
		f.Kind = complaint.Kind(v)
	}
	if v := q.Get("status"); v != "" {
		if _, err := enum.Parse(v, complaint.Statuses, "a status"); err != nil {
			errs = append(errs, fieldError{"status", "Choose a status from the list"})
		}
		f.Status = complaint.Status(v)
	}
	if v := q.Get("stage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || (n != 1 && n != 2) {
			errs = append(errs, fieldError{"stage", "Choose stage 1 or 2"})
		}
		f.Stage = n
	}
	if f.Sort != "" && f.Sort != "oldest" && f.Sort != "due" {
		errs = append(errs, fieldError{"sort", "Choose an order from the list"})
	}
	f.Overdue = q.Get("overdue") == "true" || q.Get("overdue") == "yes"
	f.OpenOnly = q.Get("open") == "true" || q.Get("open") == "yes"
	f.OpenActions = q.Get("actions") == "open"
	if v := q.Get("queue"); v != "" {
		qu, ok := queueNamed(v)
		if !ok {
			errs = append(errs, fieldError{"queue", "Choose a queue from the list"})
		} else {
			qu.apply(&f)
		}
	}
	if v := strings.TrimSpace(q.Get("due_within")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDueWithin {
			errs = append(errs, fieldError{"due_within", "Enter a number of working days from 1 to 60"})
		} else {
			// Due from today to n working days ahead: overdue cases are
			// their own count, not "due".
			f.DueFrom, f.OpenOnly = f.Today, true
			if f.DueBefore, err = s.Calendar.AddWorkingDays(f.Today, n); err != nil {
				return f, append(errs, fieldError{"due_within", "The calendar does not reach that far: enter fewer working days"})
			}
		}
	}
	f.NoTenure = q.Get("no_tenure") == "true" || q.Get("no_tenure") == "yes"
	for key, dst := range map[string]*time.Time{"received_from": &f.ReceivedFrom, "received_to": &f.ReceivedTo} {
		if v := strings.TrimSpace(q.Get(key)); v != "" {
			iso, msg := parseUKDate(v, "date")
			if msg != "" {
				errs = append(errs, fieldError{key, "Enter a real date, like 23 11 2026"})
				continue
			}
			d := calendar.MustParseDate(iso)
			if key == "received_to" {
				d = d.AddDays(1) // To the end of that day.
			}
			*dst = d.Start()
		}
	}
	return f, errs
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	return s.renderCaseList(w, r, nil, nil)
}

// renderCaseList shows the case list for r's query. A form sent from the
// list (saving a view, a bulk assign) that has problems passes them as
// extra, with what was typed as form, and the list is shown again with
// them, as a 400.
func (s *Server) renderCaseList(w http.ResponseWriter, r *http.Request, extra []fieldError, form url.Values) error {
	ctx := r.Context()
	u := userOf(r)
	f, errs := s.listFilter(r)
	var cases []complaint.Case
	next := ""
	total := 0
	if len(errs) == 0 {
		var err error
		cases, next, err = s.Store.ListCases(ctx, f)
		if err != nil && complaint.ErrorCode(err) != complaint.Invalid {
			return err
		}
		if err != nil {
			errs = append(errs, fieldError{"cursor", "That page no longer exists; start again"})
		}
		if total, err = s.Store.CountCases(ctx, f); err != nil {
			return err
		}
	}
	sortBy := f.Sort
	today := calendar.DateOf(s.Now())
	rows := make([]dueRow, len(cases))
	for i, c := range cases {
		rows[i] = s.dueRow(c, today)
	}
	q := r.URL.Query()
	q.Del("cursor")
	nextURL := ""
	if next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("cursor", next)
		nextURL = "/cases?" + nq.Encode()
	}
	queues, err := s.queueCounts(ctx, s.viewer(u), q.Get("queue"))
	if err != nil {
		return err
	}
	views, err := s.savedViewsFor(ctx, u)
	if err != nil {
		return err
	}
	var handlers []store.User
	canAct := auth.Role(u.Role).CanAct()
	if canAct {
		if handlers, err = s.actors(ctx); err != nil {
			return err
		}
	}
	errs = append(errs, extra...)
	if form == nil {
		form = url.Values{}
	}
	queueTitle := ""
	if qu, ok := queueNamed(q.Get("queue")); ok {
		queueTitle = qu.Title
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "cases", map[string]any{
		"Title": "Cases", "Nav": "cases", "Wide": true, "QueueTitle": queueTitle, "Rows": rows, "Total": total, "Query": q, "Sort": sortBy,
		"NextURL": nextURL, "FirstURL": "/cases?" + q.Encode(), "Paged": f.Cursor != "",
		"CSVURL": "/cases.csv?" + q.Encode(), "Errors": errs, "Form": form,
		"Kinds": complaint.Kinds, "Statuses": complaint.Statuses,
		"CanAct": canAct, "Queues": queues, "Views": views, "ViewQuery": viewQuery(q),
		"CanShare": Managers.Allows(auth.Role(u.Role)), "Handlers": handlers, "Carried": carried(q),
	})
	return nil
}

// caseListCSV exports every case matching the filters, not one page.
func (s *Server) caseListCSV(w http.ResponseWriter, r *http.Request) error {
	f, errs := s.listFilter(r)
	if len(errs) > 0 {
		return complaint.InvalidField(errs[0].Field, "%s", errs[0].Message)
	}
	f.Limit = 500
	f.Cursor = ""
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="cases.csv"`)
	// Every cell goes through the one guard: the handler, the service area
	// and the summary are typed by people and must not run as formulas.
	cw := csvsafe.NewWriter(w)
	cw.Write([]string{"reference", "kind", "channel", "stage", "status", "received", "next_due", "handler", "service_area", "tenure", "summary"})
	for {
		cases, next, err := s.Store.ListCases(r.Context(), f)
		if err != nil {
			return err
		}
		for _, c := range cases {
			cw.Write([]string{c.Reference, string(c.Kind), string(c.Channel), strconv.Itoa(c.Stage), string(c.Status),
				c.ReceivedAt.In(calendar.London).Format(time.RFC3339), c.NextDue().String(), c.Handler, c.ServiceArea,
				string(c.Tenure), c.Summary})
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return cw.Flush()
}

// maxDueWithin is the most working days ahead the list's due_within
// filter looks: enough for a month and a half of planning.
const maxDueWithin = 60

// queue is one of the team's queues of the case list (issue 22, item 2):
// a name for the address (/cases?queue=name), a title, and the filter it
// applies, so that a queue's count and its list are the same cases.
type queue struct {
	Name, Title string
	apply       func(*store.CaseFilter)
}

// queues are the case list's queues, in the order the list shows them.
var queues = []queue{
	{"unassigned", "Unassigned", func(f *store.CaseFilter) { f.OpenOnly, f.Unassigned = true, true }},
	{"awaiting_reviewer", "Stage 2 awaiting a reviewer", func(f *store.CaseFilter) { f.Stage, f.OpenOnly, f.Unassigned = 2, true, true }},
	{"safety", "Health and safety", func(f *store.CaseFilter) { f.SafetyFlagged, f.OpenOnly = true, true }},
	{"new_from_resident", "New from the resident", func(f *store.CaseFilter) { f.UnreadFromResident = true }},
}

func queueNamed(name string) (queue, bool) {
	for _, q := range queues {
		if q.Name == name {
			return q, true
		}
	}
	return queue{}, false
}

// queueCount is a queue as the list and the dashboard show it: its
// cases' number for the viewer, and whether it is the one shown.
type queueCount struct {
	Name, Title, URL string
	N                int
	Current          bool
}

// queueCounts counts each queue's cases that the viewer may see: a
// confidential case is in no count of someone it does not name.
func (s *Server) queueCounts(ctx context.Context, v store.Viewer, current string) ([]queueCount, error) {
	out := make([]queueCount, len(queues))
	for i, qu := range queues {
		f := store.CaseFilter{Viewer: v}
		qu.apply(&f)
		n, err := s.Store.CountCases(ctx, f)
		if err != nil {
			return nil, err
		}
		out[i] = queueCount{Name: qu.Name, Title: qu.Title, URL: "/cases?queue=" + qu.Name, N: n, Current: qu.Name == current}
	}
	return out, nil
}

// actors are the users who may handle cases, for the bulk assign's
// choice: every role but viewers.
func (s *Server) actors(ctx context.Context) ([]store.User, error) {
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.User
	for _, u := range users {
		if auth.Role(u.Role).CanAct() {
			out = append(out, u)
		}
	}
	return out, nil
}

// hiddenField is a filter the list's form carries unseen.
type hiddenField struct{ Name, Value string }

// carried are the filters the list's form has no field for (a queue, the
// workload page's) that applying the others keeps.
func carried(q url.Values) []hiddenField {
	var out []hiddenField
	for _, k := range []string{"queue", "open", "due_within", "actions"} {
		if v := q.Get(k); v != "" {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}
