package webui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
)

// homesIn returns the homes for a year: those a manager recorded, else
// those in the policy file.
func (s *Server) homesIn(ctx context.Context, y report.Year) (policy.Homes, bool, error) {
	return s.reports().HomesIn(ctx, y)
}

func (s *Server) homesPage(w http.ResponseWriter, r *http.Request) error {
	f, errs := s.parseTSMFilter(r.URL.Query())
	if len(errs) > 0 {
		return firstInvalid(errs)
	}
	h, _, err := s.homesIn(r.Context(), f.Year)
	if err != nil {
		return err
	}
	form := map[string]string{"year": strconv.Itoa(int(f.Year))}
	if h.LowCostRental+h.LowCostHomeOwnership > 0 {
		form["low_cost_rental"] = strconv.Itoa(h.LowCostRental)
		form["low_cost_home_ownership"] = strconv.Itoa(h.LowCostHomeOwnership)
	}
	return s.renderHomes(w, r, http.StatusOK, f.Year, form, nil, false)
}

func (s *Server) renderHomes(w http.ResponseWriter, r *http.Request, status int, y report.Year, form map[string]string, errs []fieldError, saved bool) error {
	s.render(w, r, status, "homes", map[string]any{
		"Title": "Homes by tenure", "Nav": "reports", "Year": y, "Form": form, "Errors": errs, "Saved": saved,
		"RegisterDay": formatDate(registerDay(y)), // homes_register.go
		"YearField":   newSelect("year", "Reporting year", "1 April to 31 March", form["year"], s.yearOptions(y), errs),
	})
	return nil
}

// setHomes records a year's homes, which CH01 divides by.
func (s *Server) setHomes(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := map[string]string{}
	for _, k := range []string{"year", "low_cost_rental", "low_cost_home_ownership"} {
		form[k] = strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get(k), ",", ""))
	}
	var errs []fieldError
	num := func(k, what string) int {
		n, err := strconv.Atoi(form[k])
		if err != nil || n < 0 {
			errs = append(errs, fieldError{k, "Enter the number of " + what + ", like 12000"})
		}
		return n
	}
	year, err := strconv.Atoi(form["year"])
	if err != nil {
		errs = append(errs, fieldError{"year", "Choose a reporting year"})
	}
	h := policy.Homes{Year: year, LowCostRental: num("low_cost_rental", "low-cost rental homes"),
		LowCostHomeOwnership: num("low_cost_home_ownership", "low-cost home ownership homes")}
	if len(errs) == 0 {
		err = s.Store.SetHomes(r.Context(), h, userOf(r).Email, s.Now())
		if e, ok := domainErrors(err, "year"); ok {
			errs = e
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderHomes(w, r, http.StatusBadRequest, report.Year(max(year, 2000)), form, errs, false)
	}
	s.Log.Info("homes recorded", "year", year, "user_id", userOf(r).ID)
	return s.renderHomes(w, r, http.StatusOK, report.Year(year), form, nil, true)
}
