package webui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/report"
)

// The TP09 form on the measures page: a manager records the year's TP09
// from the landlord's tenant perception survey, which is the only source
// of TP09 the measures and the return use.

// tp09Fields are the form's numbers, named as report.TP09Result.Validate
// names its fields, so the store's errors land on them.
var tp09Fields = []struct{ name, label, what string }{
	{"lcra_respondents", "Low-cost rental: respondents who had complained in the last 12 months", "low-cost rental respondents"},
	{"lcra_satisfied", "Low-cost rental: of them, very or fairly satisfied with complaints handling", "satisfied low-cost rental respondents"},
	{"lcho_respondents", "Low-cost home ownership: respondents who had complained in the last 12 months", "low-cost home ownership respondents"},
	{"lcho_satisfied", "Low-cost home ownership: of them, very or fairly satisfied with complaints handling", "satisfied low-cost home ownership respondents"},
}

// tp09Form is the form as given, its errors, and whether it was just
// saved.
type tp09Form struct {
	Values map[string]string
	Errors []fieldError
	Saved  bool
}

// tp09View is what the page shows of TP09: the form's fields and the
// year's entries, latest (the one that counts) first.
type tp09View struct {
	Year    report.Year
	YearKey string
	Fields  []formField
	Errors  []fieldError
	Saved   bool
	Entries []report.TP09Result
}

// tp09FormData puts the TP09 form and the year's entries into the page.
// A form not yet filled in shows the latest entry's figures, so a
// correction starts from them.
func (s *Server) tp09FormData(r *http.Request, y report.Year, tf tp09Form, data map[string]any) error {
	entries, err := s.Store.TP09Results(r.Context(), y)
	if err != nil {
		return err
	}
	values := tf.Values
	if len(values) == 0 && len(entries) > 0 {
		e := entries[0]
		values = map[string]string{
			"lcra_respondents": strconv.Itoa(e.LowCostRental.Respondents), "lcra_satisfied": strconv.Itoa(e.LowCostRental.Satisfied),
			"lcho_respondents": strconv.Itoa(e.LowCostHomeOwnership.Respondents), "lcho_satisfied": strconv.Itoa(e.LowCostHomeOwnership.Satisfied),
		}
	}
	v := tp09View{Year: y, YearKey: strconv.Itoa(int(y)), Errors: tf.Errors, Saved: tf.Saved, Entries: entries}
	form := url.Values{}
	for k, val := range values {
		form.Set(k, val)
	}
	for _, f := range tp09Fields {
		field := newField(f.name, f.label, "", form, tf.Errors)
		field.Class = "govuk-input--width-10"
		field.Type = "text"
		v.Fields = append(v.Fields, field)
	}
	data["TP09"] = v
	return nil
}

// recordTP09 records the year's TP09 from the perception survey. Bad
// input re-renders the measures page with each bad field named, status
// 400, and records nothing.
func (s *Server) recordTP09(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	values := map[string]string{}
	for _, f := range tp09Fields {
		values[f.name] = strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get(f.name), ",", ""))
	}
	var errs []fieldError
	f, yearErrs := s.parseTSMFilter(url.Values{"year": {r.PostForm.Get("year")}})
	if len(yearErrs) > 0 {
		// The year comes from the page the form is on; a bad one is a
		// stale or altered form, said plainly on the page's year field.
		return s.renderTSMPage(w, r, http.StatusBadRequest, f,
			[]fieldError{{"year", "Choose the reporting year again and then record TP09: the form's year was not one of the list"}}, tp09Form{})
	}
	counts := map[string]int{}
	for _, fd := range tp09Fields {
		n, err := strconv.Atoi(values[fd.name])
		if err != nil || n < 0 {
			errs = append(errs, fieldError{fd.name, "Enter the number of " + fd.what + ", a whole number like 420 (0 if none)"})
			continue
		}
		counts[fd.name] = n
	}
	if len(errs) == 0 {
		res := report.TP09Result{Year: f.Year,
			LowCostRental:        report.TP09Count{Satisfied: counts["lcra_satisfied"], Respondents: counts["lcra_respondents"]},
			LowCostHomeOwnership: report.TP09Count{Satisfied: counts["lcho_satisfied"], Respondents: counts["lcho_respondents"]},
			RecordedBy:           userOf(r).Email, RecordedAt: s.Now()}
		err := s.Store.RecordTP09(r.Context(), res)
		var e *complaint.Error
		switch {
		case errors.As(err, &e) && e.Code == complaint.Invalid:
			errs = tp09Errors(e)
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderTSMPage(w, r, http.StatusBadRequest, f, nil, tp09Form{Values: values, Errors: errs})
	}
	s.Log.Info("TP09 recorded", "year", int(f.Year), "user_id", userOf(r).ID)
	http.Redirect(w, r, "/reports?"+url.Values{"year": {strconv.Itoa(int(f.Year))}, "tp09": {"saved"}}.Encode()+"#tp09", http.StatusSeeOther)
	return nil
}

// tp09Errors words the store's refusal of a result for the form, each
// on its own field, in the form's order.
func tp09Errors(e *complaint.Error) []fieldError {
	var out []fieldError
	for _, f := range tp09Fields {
		if msg, ok := e.Fields[f.name]; ok {
			out = append(out, fieldError{f.name, "The number of " + f.what + " " + msg})
		}
	}
	if msg, ok := e.Fields["year"]; ok {
		out = append(out, fieldError{"year", "The year " + msg})
	}
	if len(out) == 0 {
		out = append(out, fieldError{"lcra_respondents", capitalise(e.Message)})
	}
	return out
}
