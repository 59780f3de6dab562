package webui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/tenancy"
)

// registerDay is the day the register is counted on for a reporting
// year: its last, 31 March, as the Regulator asks for homes owned at the
// end of the year.
func registerDay(y report.Year) calendar.Date {
	return calendar.NewDate(int(y)+1, 3, 31)
}

// homesFromRegister records a year's homes by tenure as the register
// counts them on 31 March at the year's end (HomesByTenureOn): homes
// with a low-cost rental or low-cost home ownership tenancy running that
// day. They are recorded as typed figures are (SetHomes), so the record
// says who took them and when, and a manager can still correct them.
func (s *Server) homesFromRegister(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("year")))
	if err != nil || report.CheckYear(report.Year(year)) != nil {
		return s.renderHomes(w, r, http.StatusBadRequest, report.YearOf(calendar.DateOf(s.Now())), map[string]string{"year": r.PostForm.Get("year")},
			[]fieldError{{"year", "Choose a reporting year"}}, false)
	}
	y := report.Year(year)
	counts, err := s.Store.HomesByTenureOn(r.Context(), registerDay(y))
	if err != nil {
		return err
	}
	h := policy.Homes{Year: year, LowCostRental: counts[tenancy.LowCostRental], LowCostHomeOwnership: counts[tenancy.LowCostHomeOwnership]}
	form := map[string]string{"year": strconv.Itoa(year), "low_cost_rental": strconv.Itoa(h.LowCostRental), "low_cost_home_ownership": strconv.Itoa(h.LowCostHomeOwnership)}
	if h.LowCostRental+h.LowCostHomeOwnership == 0 {
		return s.renderHomes(w, r, http.StatusBadRequest, y, form,
			[]fieldError{{"year", "The register has no low-cost rental or low-cost home ownership tenancy running on " + formatDate(registerDay(y)) + ": import it first"}}, false)
	}
	err = s.Store.SetHomes(r.Context(), h, userOf(r).Email, s.Now())
	if e, ok := domainErrors(err, "year"); ok {
		return s.renderHomes(w, r, http.StatusBadRequest, y, form, e, false)
	} else if err != nil {
		return err
	}
	s.Log.Info("homes recorded from the register", "year", year, "user_id", userOf(r).ID)
	return s.renderHomes(w, r, http.StatusOK, y, form, nil, true)
}
