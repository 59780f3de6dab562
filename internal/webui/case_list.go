package webui

import (
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
	f, errs := s.listFilter(r)
	var cases []complaint.Case
	next := ""
	if len(errs) == 0 {
		var err error
		cases, next, err = s.Store.ListCases(r.Context(), f)
		if err != nil && complaint.ErrorCode(err) != complaint.Invalid {
			return err
		}
		if err != nil {
			errs = append(errs, fieldError{"cursor", "That page no longer exists; start again"})
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
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "cases", map[string]any{
		"Title": "Cases", "Nav": "cases", "Rows": rows, "Query": q, "Sort": sortBy,
		"NextURL": nextURL, "FirstURL": "/cases?" + q.Encode(), "Paged": f.Cursor != "",
		"CSVURL": "/cases.csv?" + q.Encode(), "Errors": errs,
		"Kinds": complaint.Kinds, "Statuses": complaint.Statuses,
		"CanAct": auth.Role(userOf(r).Role).CanAct(),
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
