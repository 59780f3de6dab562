package webui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/store"
)

// Workload by officer (issue 22, item 2), for managers and admins: for
// each person who may handle cases, their open caseload, what is due in
// the next five working days, what is overdue and the actions still
// outstanding on their cases. Each number is a link to the list of the
// very cases (or actions) it counts, read with the same filter, so a
// manager can go from "Olivia has 4 overdue" to the four.

// workloadDays is how many working days ahead "due soon" looks.
const workloadDays = 5

// workloadCell is one number of the workload table and where it leads.
type workloadCell struct {
	N   int
	URL string
}

// workloadRow is one officer's line of the workload table.
type workloadRow struct {
	User                          store.User
	Open, DueSoon, Overdue, Items workloadCell
}

func (s *Server) workload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := s.viewer(userOf(r))
	today := calendar.DateOf(s.Now())
	soon, err := s.Calendar.AddWorkingDays(today, workloadDays)
	if err != nil {
		return err
	}
	people, err := s.actors(ctx)
	if err != nil {
		return err
	}
	actions, err := s.Store.OpenActions(ctx, v)
	if err != nil {
		return err
	}
	items := map[string]int{}
	for _, a := range actions {
		items[a.Handler]++
	}
	count := func(f store.CaseFilter, q url.Values) (workloadCell, error) {
		f.Viewer, f.Today = v, today
		n, err := s.Store.CountCases(ctx, f)
		return workloadCell{N: n, URL: "/cases?" + q.Encode()}, err
	}
	rows := make([]workloadRow, 0, len(people))
	for _, u := range people {
		row := workloadRow{User: u}
		h := u.Email
		if row.Open, err = count(store.CaseFilter{Handler: h, OpenOnly: true}, url.Values{"handler": {h}, "open": {"yes"}}); err != nil {
			return err
		}
		if row.DueSoon, err = count(store.CaseFilter{Handler: h, OpenOnly: true, DueFrom: today, DueBefore: soon},
			url.Values{"handler": {h}, "due_within": {strconv.Itoa(workloadDays)}, "sort": {"due"}}); err != nil {
			return err
		}
		if row.Overdue, err = count(store.CaseFilter{Handler: h, OpenOnly: true, Overdue: true},
			url.Values{"handler": {h}, "open": {"yes"}, "overdue": {"yes"}, "sort": {"due"}}); err != nil {
			return err
		}
		row.Items = workloadCell{N: items[h], URL: "/actions?" + url.Values{"handler": {h}}.Encode()}
		rows = append(rows, row)
	}
	unassigned, err := count(store.CaseFilter{Unassigned: true, OpenOnly: true}, url.Values{"queue": {"unassigned"}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "workload", map[string]any{
		"Title": "Workload by officer", "Nav": "workload", "Wide": true, "Rows": rows, "Unassigned": unassigned,
		"Days": workloadDays, "Today": today,
	})
	return nil
}
