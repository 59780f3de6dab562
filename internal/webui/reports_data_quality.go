package webui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/store"
)

// The data-quality page lists every event dated more than one working day
// before it was recorded, so that backdating, which can carry a response
// into the Code's timescale or into another reporting year, is seen by a
// manager rather than trusted silently.

// lateEvent is one event recorded late, as the page lists it.
type lateEvent struct {
	store.DatedEvent
	// What is the event's kind in words; WorkingDays how many working
	// days after its date it was recorded.
	What        string
	WorkingDays int
}

// lateList is a year's events recorded late: those the viewer may see,
// and how many more are on cases they may not.
type lateList struct {
	Events []lateEvent
	Hidden int
}

// lateRecorded finds the year's events (by the date they carry) recorded
// more than one working day later, by the landlord's calendar.
func (s *Server) lateRecorded(r *http.Request, y report.Year) (lateList, error) {
	from, to := y.Dates()
	evs, err := s.Store.LateRecordedEvents(r.Context(), store.EventQuery{From: from, To: to, Viewer: s.viewer(userOf(r))})
	if err != nil {
		return lateList{}, err
	}
	var out lateList
	for _, e := range evs {
		days, late := report.RecordedLate(s.Calendar, e.At, e.RecordedAt)
		switch {
		case !late:
		case e.Hidden:
			out.Hidden++
		default:
			out.Events = append(out.Events, lateEvent{DatedEvent: e, What: report.Words(string(e.Kind)), WorkingDays: days})
		}
	}
	return out, nil
}

// dataQualityPage lists the year's events recorded late.
func (s *Server) dataQualityPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	q.Del("tenure") // every event counts, whatever the case's tenure
	f, errs := s.parseTSMFilter(q)
	data := map[string]any{
		"Title": "Events recorded late", "Nav": "reports", "Errors": errs,
		"YearField": newSelect("year", "Reporting year", "Events dated in the year, 1 April to 31 March", f.yearValue(), s.yearOptions(f.Year), errs),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "reports-data-quality", data)
		return nil
	}
	list, err := s.lateRecorded(r, f.Year)
	if err != nil {
		return err
	}
	from, to := f.Year.Dates()
	data["Year"], data["From"], data["To"] = f.Year, from, to
	data["Events"], data["Hidden"] = list.Events, list.Hidden
	data["BackURL"] = "/reports?" + url.Values{"year": {strconv.Itoa(int(f.Year))}}.Encode()
	data["Threshold"] = report.RecordedLateAfter
	s.render(w, r, http.StatusOK, "reports-data-quality", data)
	return nil
}
