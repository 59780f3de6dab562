package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/redresshq/redress/internal/auth"
	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// dueRow is a case in a dashboard list with its next deadline.
type dueRow struct {
	Case     complaint.Case
	Due      calendar.Date
	DaysLeft int
	What     string
}

func (s *Server) dueRow(c complaint.Case, today calendar.Date) dueRow {
	row := dueRow{Case: c, Due: c.NextDue()}
	switch {
	case c.Stage == 0:
		row.What = "Resolve"
	case c.Status == complaint.StatusReceived:
		row.What = "Acknowledge"
	default:
		row.What = "Respond"
	}
	if !row.Due.IsZero() {
		row.DaysLeft, _ = s.Calendar.WorkingDaysBetween(today, row.Due)
	}
	return row
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	v := s.viewer(u)
	today := calendar.DateOf(s.Now())
	soon, err := s.Calendar.AddWorkingDays(today, 2)
	if err != nil {
		soon = today.AddDays(2)
	}
	// Everything due within two working days, overdue included, soonest
	// first: a short list even with many cases, read through the due-date
	// index.
	due, _, err := s.Store.ListCases(ctx, store.CaseFilter{Viewer: v, DueBefore: soon, Limit: 200})
	if err != nil {
		return err
	}
	var overdue, dueToday, dueSoon []dueRow
	for _, c := range due {
		row := s.dueRow(c, today)
		switch {
		case row.Due.Before(today):
			overdue = append(overdue, row)
		case row.Due == today:
			dueToday = append(dueToday, row)
		default:
			dueSoon = append(dueSoon, row)
		}
	}
	for _, rows := range [][]dueRow{overdue, dueToday, dueSoon} {
		slices.SortStableFunc(rows, func(a, b dueRow) int { return a.Due.Compare(b.Due) })
	}
	mine, _, err := s.Store.ListCases(ctx, store.CaseFilter{Viewer: v, Handler: u.Email, Limit: 20})
	if err != nil {
		return err
	}
	var myRows, fresh []dueRow
	for _, c := range mine {
		if c.Status.Open() {
			myRows = append(myRows, s.dueRow(c, today))
		}
		// What a resident sent after their case closed is still news to
		// its handler: a closed case may need reopening or a reply.
		if !c.UnreadFromResident.IsZero() {
			fresh = append(fresh, s.dueRow(c, today))
		}
	}
	unacked, _, err := s.Store.ListCases(ctx, store.CaseFilter{Viewer: v, Kind: complaint.KindComplaint, Status: complaint.StatusReceived, Limit: 20})
	if err != nil {
		return err
	}
	var unackedRows []dueRow
	for _, c := range unacked {
		unackedRows = append(unackedRows, s.dueRow(c, today))
	}
	actions, err := s.Store.OpenActions(ctx, v)
	if err != nil {
		return err
	}
	var lateActions []store.OpenAction
	for _, a := range actions {
		if !a.Remedy.Due.IsZero() && a.Remedy.Due.Before(today) {
			lateActions = append(lateActions, a)
		}
	}
	caseCounts, err := s.Store.CaseCounts(ctx, v)
	if err != nil {
		return err
	}
	// Each count links to the list of the cases it counts.
	counts := make([]countRow, len(caseCounts))
	for i, c := range caseCounts {
		counts[i] = countRow{CaseCount: c, URL: countURL(c)}
	}
	noTenure, err := s.countNoTenure(r, store.CaseFilter{Viewer: v})
	if err != nil {
		return err
	}
	// Every contact flagged as a health-and-safety risk that no senior
	// manager has acknowledged, open or closed, on every staff role's
	// dashboard, whether or not mail is configured (003).
	safety, err := s.Store.SafetyWaiting(ctx, v)
	if err != nil {
		return err
	}
	// Every case under Awaab's Law with a statutory clock not yet met,
	// emergencies first, then by time left, a missed clock first (issue
	// 14), through the store's small index of them.
	hazards, err := s.Store.HazardsDue(ctx, v)
	if err != nil {
		return err
	}
	// Evidence owed to the Housing Ombudsman and its orders overdue
	// (issue 19, item 4).
	ombudsman, err := s.ombudsmanDashboardOf(ctx, v, today)
	if err != nil {
		return err
	}
	praised, err := s.complimentsFor(r, v, u.Email)
	if err != nil {
		return err
	}
	// The team's queues, each count a link to its list (issue 22, item 2).
	queueRows, err := s.queueCounts(ctx, v, "")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard", map[string]any{
		"Queues": queueRows, "Workload": Managers.Allows(auth.Role(u.Role)),
		"OverdueURL": "/cases?overdue=yes&open=yes&sort=due", "MineURL": "/cases?" + url.Values{"handler": {u.Email}, "open": {"yes"}}.Encode(),
		"Title": "Dashboard", "Nav": "dashboard", "Today": today,
		"NewFromResident": fresh, "Overdue": overdue, "DueToday": dueToday, "DueSoon": dueSoon, "Mine": myRows,
		"Unacknowledged": unackedRows, "LateActions": lateActions, "Counts": counts,
		"CanAct": auth.Role(u.Role).CanAct(), "NoTenure": noTenure, "NoTenureURL": noTenureURL(calendar.Date{}, calendar.Date{}),
		"SafetyWaiting": safety, "Hazards": s.hazardRows(hazards, s.Now()),
		"Ombudsman":         ombudsman,
		"ComplimentsForYou": praised,
	})
	return nil
}

func (s *Server) actions(w http.ResponseWriter, r *http.Request) error {
	return s.renderActions(w, r, nil)
}

// renderActions shows the actions tracker, filtered by the action's
// owner or its case's handler (the workload page links here by
// handler); errs are a bulk mark-done's problems, shown as a 400.
func (s *Server) renderActions(w http.ResponseWriter, r *http.Request, errs []fieldError) error {
	actions, err := s.Store.OpenActions(r.Context(), s.viewer(userOf(r)))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	owner, handler := q.Get("owner"), q.Get("handler")
	var rows []store.OpenAction
	owners := map[string]bool{}
	for _, a := range actions {
		if a.Remedy.Owner != "" {
			owners[a.Remedy.Owner] = true
		}
		if (owner == "" || a.Remedy.Owner == owner) && (handler == "" || a.Handler == handler) {
			rows = append(rows, a)
		}
	}
	var ownerList []string
	for o := range owners {
		ownerList = append(ownerList, o)
	}
	slices.Sort(ownerList)
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "actions", map[string]any{
		"Title": "Actions tracker", "Nav": "actions", "Actions": rows, "Owners": ownerList, "Owner": owner, "Handler": handler,
		"Today": calendar.DateOf(s.Now()), "CanAct": auth.Role(userOf(r).Role).CanAct(), "Errors": errs,
	})
	return nil
}

// countRow is one of the dashboard's counts by kind, stage and status,
// with the address of the cases it counts.
type countRow struct {
	store.CaseCount
	URL string
}

// countURL is the case list of the cases one of the dashboard's counts
// counts: its kind, stage (none for a contact with no stages) and
// status.
func countURL(c store.CaseCount) string {
	q := url.Values{"kind": {string(c.Kind)}, "status": {string(c.Status)}}
	if c.Stage != 0 {
		q.Set("stage", strconv.Itoa(c.Stage))
	}
	return "/cases?" + q.Encode()
}
