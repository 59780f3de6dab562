package webui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/csvsafe"
	"github.com/redresshq/redress/internal/money"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/reports"
	"github.com/redresshq/redress/internal/store"
)

// The report pages: the Tenant Satisfaction Measures for a reporting
// year, the cases behind each of their counts, and the management
// figures for any period. They are for managers and admins, who report
// to the board; every table can be downloaded as CSV.

// selectField is a select with its choices, for the report filters.
type selectField struct {
	formField
	Options []option
}

func newSelect(name, label, hint, value string, options []option, errs []fieldError) selectField {
	f := newField(name, label, hint, url.Values{name: {value}}, errs)
	return selectField{formField: f, Options: options}
}

// measures are the rows of the measures table: the Tenant Satisfaction
// Measures on complaints, in the order the Regulator lists them, then
// the two questions of Redress's own survey under their own names. Each
// CH02 row carries its figure against the landlord's own policy beside
// it (report.PolicyFigureOf).
var measures = []string{report.CH01Stage1, report.CH01Stage2, report.CH02Stage1, report.CH02Stage2, report.TP09,
	report.SurveyHandling, report.SurveyOutcome}

// returnMeasures are the measures the Regulator collects, the only rows
// of the return file: Redress's own survey and the policy figures are
// not TSMs and are never sent as one.
var returnMeasures = []string{report.CH01Stage1, report.CH01Stage2, report.CH02Stage1, report.CH02Stage2, report.TP09}

// csvMeasures are the rows of the measures CSV: every figure on the page.
var csvMeasures = []string{report.CH01Stage1, report.CH01Stage2, report.CH02Stage1, report.PolicyStage1, report.CH02Stage2,
	report.PolicyStage2, report.TP09, report.SurveyHandling, report.SurveyOutcome}

// caseMeasures are the figures with cases behind them.
var caseMeasures = report.CaseMeasures

// measureName is how a figure's row is headed: the Regulator's code for
// its measures, plain words for the others.
func measureName(id string) string {
	switch id {
	case report.SurveyHandling, report.SurveyOutcome:
		return "Our survey"
	case report.PolicyStage1, report.PolicyStage2:
		return "Our policy"
	}
	return id
}

// tsmTenures are the columns of the measures: all homes, then each tenure
// the Regulator asks for.
var tsmTenures = append([]complaint.Tenure{""}, report.Tenures...)

// tsmReturnTenure names a tenure as the Regulator's data collection does.
func tsmReturnTenure(t complaint.Tenure) string {
	switch t {
	case "":
		return "All"
	case "low_cost_rental":
		return "LCRA"
	case "low_cost_home_ownership":
		return "LCHO"
	}
	return string(t)
}

// tsmFilter is what the measures pages are asked for.
type tsmFilter struct {
	Year   report.Year
	Tenure *complaint.Tenure // nil: every column
	// Values are the filters as given, to show in the form.
	YearValue, TenureValue string
}

// parseTSMFilter reads the year (the current reporting year if none) and
// the tenure.
func (s *Server) parseTSMFilter(q url.Values) (tsmFilter, []fieldError) {
	current := report.YearOf(calendar.DateOf(s.Now()))
	f := tsmFilter{Year: current, YearValue: strings.TrimSpace(q.Get("year")), TenureValue: q.Get("tenure")}
	var errs []fieldError
	if f.YearValue != "" {
		y, err := strconv.Atoi(f.YearValue)
		if err != nil || y < 2000 || report.Year(y) > current {
			errs = append(errs, fieldError{"year", fmt.Sprintf("Choose a reporting year from the list, from 2000/01 to %s", current)})
		} else {
			f.Year = report.Year(y)
		}
	}
	if f.TenureValue != "" {
		// The lines beside the measures may be asked for too, for the
		// cases behind them.
		if !slices.Contains(report.Tenures, complaint.Tenure(f.TenureValue)) && !slices.Contains(report.Outside, complaint.Tenure(f.TenureValue)) {
			errs = append(errs, fieldError{"tenure", "Choose a tenure from the list"})
		} else {
			t := complaint.Tenure(f.TenureValue)
			f.Tenure = &t
		}
	}
	return f, errs
}

// yearOptions are the recent reporting years, newest first, and the
// chosen one if it is older.
func (s *Server) yearOptions(chosen report.Year) []option {
	current := report.YearOf(calendar.DateOf(s.Now()))
	var out []option
	for y := current; y > current-6; y-- {
		out = append(out, option{strconv.Itoa(int(y)), y.String()})
	}
	if chosen <= current-6 && chosen >= 2000 {
		out = append(out, option{strconv.Itoa(int(chosen)), chosen.String()})
	}
	return out
}

func tenureFilterOptions() []option {
	out := []option{{"", "All homes"}}
	for _, t := range report.Tenures {
		out = append(out, option{string(t), report.TenureLabel(t)})
	}
	for _, t := range report.Outside {
		out = append(out, option{string(t), report.TenureLabel(t) + " (not in the measures)"})
	}
	return out
}

// yearValue is the year to show chosen in the form: as given, or the
// one shown when none was.
func (f tsmFilter) yearValue() string {
	if f.YearValue == "" {
		return strconv.Itoa(int(f.Year))
	}
	return f.YearValue
}

// columns are the tenures the filter shows.
func (f tsmFilter) columns() []complaint.Tenure {
	if f.Tenure != nil {
		return []complaint.Tenure{*f.Tenure}
	}
	return tsmTenures
}

// tsm computes the year's measures.
func (s *Server) tsm(r *http.Request, y report.Year) (report.TSM, error) {
	from, to := y.Dates()
	return s.tsmOver(r.Context(), y, from, to)
}

// tsmOver computes a year's measures over part of it (a board pack's year
// to date) or all of it.
func (s *Server) tsmOver(ctx context.Context, y report.Year, from, to calendar.Date) (report.TSM, error) {
	return s.reports().TSMOver(ctx, y, from, to)
}

// reports is the reports service over the server's store and policy.
func (s *Server) reports() *reports.Service {
	return &reports.Service{Store: s.Store, Policy: s.Policy}
}

// tsmCell is one figure in the table of measures.
type tsmCell struct {
	Figure report.Figure
	Value  string // with its unit, or why there is none
	// NumeratorURL and DenominatorURL lead to the cases behind the
	// counts; DenominatorURL is empty when the denominator is homes.
	NumeratorURL, DenominatorURL string
	// Tenure names the column, for the links' hidden text.
	Tenure string
	// Numerator and Denominator are the counts with their thousands
	// marked: homes are counted in thousands.
	Numerator, Denominator string
	// Policy is, beside a CH02 figure, the same responses against the
	// landlord's own deadlines.
	Policy *tsmCell
}

type tsmRow struct {
	ID, Name, Title string
	Cells           []tsmCell
}

// figureNumber is a figure's value for a CSV: blank when there is none.
func figureNumber(f report.Figure) string {
	if !f.Valid {
		return ""
	}
	return strconv.FormatFloat(f.Value, 'f', 1, 64)
}

func tsmCasesURL(y report.Year, measure string, numerator bool, tenure complaint.Tenure) string {
	q := url.Values{"year": {strconv.Itoa(int(y))}, "measure": {measure}, "part": {"denominator"}}
	if numerator {
		q.Set("part", "numerator")
	}
	if tenure != "" {
		q.Set("tenure", string(tenure))
	}
	return "/reports/cases?" + q.Encode()
}

// newTSMCell is one figure with its counts and the links to the cases
// behind them: none for TP09, which has no cases, and no denominator link
// for CH01, whose denominator is homes.
func newTSMCell(t report.TSM, id string, tenure complaint.Tenure) tsmCell {
	f, _ := t.Find(id, tenure)
	cell := tsmCell{Figure: f, Value: f.Text(), Tenure: strings.ToLower(report.TenureLabel(tenure)),
		Numerator: report.Thousands(f.Numerator), Denominator: report.Thousands(f.Denominator)}
	if id == report.TP09 {
		return cell
	}
	cell.NumeratorURL = tsmCasesURL(t.Year, id, true, tenure)
	if !strings.HasPrefix(id, "CH01") {
		cell.DenominatorURL = tsmCasesURL(t.Year, id, false, tenure)
	}
	return cell
}

func tsmRows(t report.TSM, columns []complaint.Tenure) []tsmRow {
	// TP09 is the perception survey's, by the Regulator's tenures only: it
	// has no line for other tenures or for complaints with none recorded.
	regulators := slices.ContainsFunc(columns, func(c complaint.Tenure) bool { return c == "" || slices.Contains(report.Tenures, c) })
	var rows []tsmRow
	for _, id := range measures {
		if id == report.TP09 && !regulators {
			continue
		}
		row := tsmRow{ID: id, Name: measureName(id)}
		for _, tenure := range columns {
			cell := newTSMCell(t, id, tenure)
			row.Title = cell.Figure.Title
			if pid, ok := report.PolicyFigureOf(id); ok {
				p := newTSMCell(t, pid, tenure)
				cell.Policy = &p
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

// ch02Chart is CH02 by stage, for one tenure or all homes.
func ch02Chart(t report.TSM, tenure complaint.Tenure) barChart {
	c := barChart{ID: "ch02-chart", Max: 100,
		Title: fmt.Sprintf("CH02: share of complaints responded to within the Code's timescale, by stage, %s, %s", t.Year, strings.ToLower(report.TenureLabel(tenure)))}
	for _, id := range []string{report.CH02Stage1, report.CH02Stage2} {
		f, _ := t.Find(id, tenure)
		b := bar{Label: "Stage " + id[5:6], Value: f.Value, Text: "no responses"}
		if f.Valid {
			b.Text = fmt.Sprintf("%s (%d of %d)", f.Text(), f.Numerator, f.Denominator)
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// tsmPage shows the year's measures.
func (s *Server) tsmPage(w http.ResponseWriter, r *http.Request) error {
	f, errs := s.parseTSMFilter(r.URL.Query())
	return s.renderTSMPage(w, r, http.StatusOK, f, errs, tp09Form{Values: map[string]string{}, Saved: r.URL.Query().Get("tp09") == "saved"})
}

// renderTSMPage shows the measures for f with the TP09 form as given: a
// TP09 entry refused re-renders the page with its errors and status 400.
func (s *Server) renderTSMPage(w http.ResponseWriter, r *http.Request, status int, f tsmFilter, errs []fieldError, tf tp09Form) error {
	data := map[string]any{
		"Title": "Tenant Satisfaction Measures", "Nav": "reports", "Errors": errs,
		"YearField":   newSelect("year", "Reporting year", "1 April to 31 March", f.yearValue(), s.yearOptions(f.Year), errs),
		"TenureField": newSelect("tenure", "Tenure", "", f.TenureValue, tenureFilterOptions(), errs),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "reports", data)
		return nil
	}
	t, err := s.tsm(r, f.Year)
	if err != nil {
		return err
	}
	columns := f.columns()
	chartTenure := complaint.Tenure("")
	if f.Tenure != nil {
		chartTenure = *f.Tenure
	}
	q := url.Values{"year": {strconv.Itoa(int(f.Year))}}
	if f.Tenure != nil {
		q.Set("tenure", string(*f.Tenure))
	}
	var headers []string
	for _, c := range columns {
		headers = append(headers, report.TenureLabel(c))
	}
	chart := ch02Chart(t, chartTenure)
	data["TSM"] = t
	data["From"], data["To"] = f.Year.Dates()
	data["Headers"] = headers
	data["Rows"] = tsmRows(t, columns)
	if f.Tenure == nil {
		// Other tenures and complaints with no tenure recorded, on
		// their own lines beside the measures, never in them.
		data["OutsideHeaders"] = outsideHeaders()
		data["OutsideRows"] = outsideRows(t)
	}
	from, to := f.Year.Dates()
	noTenure, err := s.countNoTenure(r, store.CaseFilter{Viewer: s.viewer(userOf(r)), ReceivedFrom: from.Start(), ReceivedTo: to.AddDays(1).Start()})
	if err != nil {
		return err
	}
	data["NoTenure"] = noTenure
	data["NoTenureURL"] = noTenureURL(from, to)
	data["Chart"] = chart.SVG()
	data["ChartTitle"] = chart.Title
	var ch02 []tsmCell
	for _, id := range []string{report.CH02Stage1, report.CH02Stage2} {
		fig, _ := t.Find(id, chartTenure)
		ch02 = append(ch02, tsmCell{Figure: fig, Value: fig.Text()})
	}
	data["CH02"] = ch02
	data["CSVURL"] = "/reports.csv?" + q.Encode()
	data["ReturnURL"] = "/reports/tsm-return.csv?" + url.Values{"year": {strconv.Itoa(int(f.Year))}}.Encode()
	// The same year in the management report, to today if it is not over.
	if today := calendar.DateOf(s.Now()); today.Before(to) {
		to = today
	}
	data["ManagementURL"] = "/reports/management?" + url.Values{"from": {from.String()}, "to": {to.String()}}.Encode()
	if err := s.tp09FormData(r, f.Year, tf, data); err != nil {
		return err
	}
	if len(tf.Errors) > 0 {
		data["Errors"] = tf.Errors // for the error summary
	}
	lateCount, err := s.Store.CountLateRecorded(r.Context(), from, to, func(at, recorded time.Time) bool {
		_, late := report.RecordedLate(s.Calendar, at, recorded)
		return late
	})
	if err != nil {
		return err
	}
	data["LateRecorded"] = lateCount
	data["DataQualityURL"] = "/reports/data-quality?" + url.Values{"year": {strconv.Itoa(int(f.Year))}}.Encode()
	s.render(w, r, status, "reports", data)
	return nil
}

// firstInvalid turns the first filter error into the error a download
// returns: a 400 page saying what to fix.
func firstInvalid(errs []fieldError) error {
	return complaint.InvalidField(errs[0].Field, "%s", errs[0].Message)
}

// csvWriter starts a CSV download. Every cell goes through csvsafe's one
// guard, so nothing a resident or a member of staff typed runs as a
// spreadsheet formula, while the figures stay numbers.
type csvWriter struct{ w *csvsafe.Writer }

func newCSV(w http.ResponseWriter, filename string) csvWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	return csvWriter{csvsafe.NewWriter(w)}
}

func (c csvWriter) row(cells ...string) {
	c.w.Write(cells)
}

func (c csvWriter) close() error {
	return c.w.Flush()
}

func yearFile(y report.Year) string { return fmt.Sprintf("%d-%02d", int(y), (int(y)+1)%100) }

// tsmCSV is the table of measures as on the page: one row per measure, a
// value, numerator and denominator for each column.
func (s *Server) tsmCSV(w http.ResponseWriter, r *http.Request) error {
	f, errs := s.parseTSMFilter(r.URL.Query())
	if len(errs) > 0 {
		return firstInvalid(errs)
	}
	t, err := s.tsm(r, f.Year)
	if err != nil {
		return err
	}
	columns := f.columns()
	header := []string{"measure", "description", "unit"}
	for _, c := range columns {
		name := string(c)
		if c == "" {
			name = "all"
		}
		header = append(header, name+"_value", name+"_numerator", name+"_denominator")
	}
	cw := newCSV(w, "tsm-"+yearFile(f.Year)+".csv")
	cw.row(header...)
	for _, id := range csvMeasures {
		var cells []string
		for i, c := range columns {
			fig, _ := t.Find(id, c)
			if i == 0 {
				cells = append(cells, id, fig.Title, fig.Unit)
			}
			cells = append(cells, figureNumber(fig), strconv.Itoa(fig.Numerator), strconv.Itoa(fig.Denominator))
		}
		cw.row(cells...)
	}
	return cw.close()
}

// tsmReturnCSV is the year's measures in the long shape of the
// Regulator's data collection: one row per measure and tenure.
func (s *Server) tsmReturnCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	q.Del("tenure") // the return always has every tenure
	f, errs := s.parseTSMFilter(q)
	if len(errs) > 0 {
		return firstInvalid(errs)
	}
	t, err := s.tsm(r, f.Year)
	if err != nil {
		return err
	}
	results, err := s.Store.TP09Results(r.Context(), f.Year)
	if err != nil {
		return err
	}
	cw := newCSV(w, "tsm-return-"+yearFile(f.Year)+".csv")
	cw.row("measure_id", "description", "tenure", "numerator", "denominator", "value", "unit", "reporting_year", "note")
	for _, id := range returnMeasures {
		for _, c := range tsmTenures {
			fig, _ := t.Find(id, c)
			num, den, note := strconv.Itoa(fig.Numerator), strconv.Itoa(fig.Denominator), ""
			if id == report.TP09 {
				// TP09 is the perception survey's, never Redress's own
				// survey's: blank, and saying why, until it is recorded.
				switch {
				case len(results) == 0:
					num, den, note = "", "", "Not recorded: TP09 comes from the landlord's tenant perception survey; enter its result on the measures page. Redress's post-closure survey is not TP09."
				case fig.Denominator == 0:
					num, den, note = "", "", "No respondents of this tenure in the perception survey."
				default:
					r := results[0]
					note = fmt.Sprintf("From the tenant perception survey, recorded by %s on %s.", r.RecordedBy, r.RecordedAt.In(calendar.London).Format("2006-01-02"))
				}
			}
			cw.row(id, fig.Title, tsmReturnTenure(c), num, den, figureNumber(fig), fig.Unit, f.Year.String(), note)
		}
	}
	return cw.close()
}

// tsmCases lists the cases behind one count of the measures.
func (s *Server) tsmCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, errs := s.parseTSMFilter(q)
	measure, part := q.Get("measure"), q.Get("part")
	switch {
	case measure == report.TP09:
		errs = append(errs, fieldError{"measure", "TP09 comes from your tenant perception survey, so no cases are behind it: choose another measure"})
	case !slices.Contains(caseMeasures, measure):
		errs = append(errs, fieldError{"measure", "Choose a measure from the list"})
	case part != "numerator" && part != "denominator":
		errs = append(errs, fieldError{"part", "Choose the numerator or the denominator"})
	case strings.HasPrefix(measure, "CH01") && part == "denominator":
		errs = append(errs, fieldError{"part", "CH01 is divided by the number of homes, not by cases: choose the numerator"})
	}
	// The measures' titles, from an empty year.
	titles := report.ComputeTSM(f.Year, report.TSMCounts{}, policy.Homes{}, false)
	var measureOptions []option
	for _, id := range caseMeasures {
		fig, _ := titles.Find(id, "")
		measureOptions = append(measureOptions, option{id, measureName(id) + ": " + fig.Title})
	}
	data := map[string]any{
		"Title": "Cases behind a measure", "Nav": "reports", "Errors": errs,
		"YearField":    newSelect("year", "Reporting year", "", f.yearValue(), s.yearOptions(f.Year), errs),
		"TenureField":  newSelect("tenure", "Tenure", "", f.TenureValue, tenureFilterOptions(), errs),
		"MeasureField": newSelect("measure", "Measure", "", measure, measureOptions, errs),
		"PartField": newSelect("part", "Count", "", part,
			[]option{{"numerator", "Numerator: the cases counted"}, {"denominator", "Denominator: the cases counted against"}}, errs),
		"BackURL": "/reports?year=" + strconv.Itoa(int(f.Year)),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "reports-cases", data)
		return nil
	}
	t, err := s.tsm(r, f.Year)
	if err != nil {
		return err
	}
	tenure := complaint.Tenure("")
	if f.Tenure != nil {
		tenure = *f.Tenure
	}
	fig, _ := t.Find(measure, tenure)
	from, to := f.Year.Dates()
	refs, hidden, err := s.Store.TSMCases(r.Context(), store.TSMQuery{Measure: measure, Numerator: part == "numerator",
		Tenure: f.Tenure, From: from, To: to, Viewer: s.viewer(userOf(r))})
	if err != nil {
		return err
	}
	label, count := fig.NumeratorLabel, fig.Numerator
	if part == "denominator" {
		label, count = fig.DenominatorLabel, fig.Denominator
	}
	data["Title"] = measure + ": " + label
	data["Figure"] = fig
	data["Year"] = f.Year
	data["Tenure"] = report.TenureLabel(tenure)
	data["Part"] = part
	data["Label"] = label
	data["Count"] = count
	data["Refs"] = refs
	data["Hidden"] = hidden
	data["Value"] = fig.Text()
	s.render(w, r, http.StatusOK, "reports-cases", data)
	return nil
}

// managementQuery is the management report's filter and the values to
// show in its form.
type managementQuery struct {
	Filter report.Filter
	Form   url.Values
}

// maxReportDays bounds the management report's period, so a mistyped
// year cannot ask for centuries of months.
const maxReportDays = 10 * 366

// managementTenureOptions are the tenure filter's choices; "none" is
// the cases with no tenure recorded.
func managementTenureOptions() []option {
	out := []option{{"", "Any"}}
	for _, t := range complaint.Tenures {
		out = append(out, option{string(t), report.TenureLabel(t)})
	}
	return append(out, option{"none", "Not recorded"})
}

// parseManagementFilter reads the period (this reporting year to date if
// none), stage, service area and tenure.
func (s *Server) parseManagementFilter(q url.Values) (managementQuery, []fieldError) {
	today := calendar.DateOf(s.Now())
	start, _ := report.YearOf(today).Dates()
	mq := managementQuery{Filter: report.Filter{From: start, To: today}, Form: url.Values{}}
	var errs []fieldError
	for _, d := range []struct {
		key string
		dst *calendar.Date
	}{{"from", &mq.Filter.From}, {"to", &mq.Filter.To}} {
		v := strings.TrimSpace(q.Get(d.key))
		if v == "" {
			mq.Form.Set(d.key, d.dst.String())
			continue
		}
		mq.Form.Set(d.key, v)
		// Typed as UK staff type dates (readDate), or as the links
		// between the report pages write them.
		iso, msg := parseUKDate(v, "date")
		if msg != "" {
			errs = append(errs, fieldError{d.key, "Enter a real date, like 1 4 2026"})
			continue
		}
		*d.dst = calendar.MustParseDate(iso)
	}
	if len(errs) == 0 {
		switch {
		case mq.Filter.To.Before(mq.Filter.From):
			errs = append(errs, fieldError{"to", "The last day must be the same as or after the first day"})
		case mq.Filter.To.Sub(mq.Filter.From) > maxReportDays:
			errs = append(errs, fieldError{"to", "Choose a period of 10 years or less"})
		}
	}
	switch v := q.Get("stage"); v {
	case "":
	case "1", "2":
		mq.Filter.Stage = int(v[0] - '0')
		mq.Form.Set("stage", v)
	default:
		mq.Form.Set("stage", v)
		errs = append(errs, fieldError{"stage", "Choose stage 1, stage 2 or both"})
	}
	if v := strings.TrimSpace(q.Get("service_area")); v != "" {
		mq.Form.Set("service_area", v)
		mq.Filter.ServiceArea = v
		if len(v) > 200 {
			errs = append(errs, fieldError{"service_area", "Enter a service area of 200 characters or fewer"})
		}
	}
	switch v := q.Get("tenure"); {
	case v == "":
	case v == "none":
		none := complaint.Tenure("")
		mq.Filter.Tenure = &none
		mq.Form.Set("tenure", v)
	case slices.Contains(complaint.Tenures, complaint.Tenure(v)):
		t := complaint.Tenure(v)
		mq.Filter.Tenure = &t
		mq.Form.Set("tenure", v)
	default:
		mq.Form.Set("tenure", v)
		errs = append(errs, fieldError{"tenure", "Choose a tenure from the list"})
	}
	return mq, errs
}

// countTable is a table of counts with its CSV.
type countTable struct {
	Name    string // the CSV's table name
	Caption string
	Header  string // the label column's heading
	Rows    []report.Row
	// Labels are the rows' labels as people read them.
	Labels []string
	CSV    csvLink
}

// csvLink is a table's download link and what the table is, for the
// link's hidden text.
type csvLink struct{ URL, What string }

func monthLabel(m string) string {
	d, err := calendar.ParseDate(m + "-01")
	if err != nil {
		return m
	}
	return d.Start().Format("January 2006")
}

// managementTables are the count tables of the report, in page order.
func managementTables(m report.Management, csvURL func(string) string) []countTable {
	human := func(s string) string {
		if s == "" {
			return "Not recorded"
		}
		return s
	}
	tables := []countTable{
		{Name: "by_kind", Caption: "Contacts by kind", Header: "Kind", Rows: m.ByKind},
		{Name: "by_channel", Caption: "Contacts by channel", Header: "Channel", Rows: m.ByChannel},
		{Name: "by_service_area", Caption: "Contacts by service area", Header: "Service area", Rows: m.ByServiceArea},
		{Name: "by_category", Caption: "Contacts by category", Header: "Category", Rows: m.ByCategory},
		{Name: "by_month", Caption: "Contacts by month received", Header: "Month", Rows: m.ByMonth},
	}
	for i := range tables {
		t := &tables[i]
		t.CSV = csvLink{URL: csvURL(t.Name), What: strings.ToLower(t.Caption)}
		for _, r := range t.Rows {
			switch t.Name {
			case "by_kind", "by_channel":
				t.Labels = append(t.Labels, report.Words(r.Label))
			case "by_month":
				t.Labels = append(t.Labels, monthLabel(r.Label))
			default:
				t.Labels = append(t.Labels, human(r.Label))
			}
		}
	}
	return tables
}

// stageTable is the stage figures, a row per figure and a column per
// stage.
type stageTable struct {
	Stages []int
	Rows   []stageRow
}

type stageRow struct {
	Label string
	Cells []string
}

func formatDays(t report.Times) string {
	if t.N == 0 {
		return "None"
	}
	return strconv.FormatFloat(t.Median, 'f', -1, 64)
}

func formatP90(t report.Times) string {
	if t.N == 0 {
		return "None"
	}
	return strconv.FormatFloat(t.P90, 'f', -1, 64)
}

func formatRate(r report.Rate) string {
	if r.Den == 0 {
		return "None"
	}
	return fmt.Sprintf("%s%% (%d of %d)", strconv.FormatFloat(r.Value, 'f', 1, 64), r.Num, r.Den)
}

func refusals(st report.StageFigures) int {
	n := 0
	for _, r := range st.Refusals {
		n += r.N
	}
	return n
}

func stageFiguresTable(stages []report.StageFigures) stageTable {
	t := stageTable{}
	for _, st := range stages {
		t.Stages = append(t.Stages, st.Stage)
	}
	add := func(label string, cell func(report.StageFigures) string) {
		row := stageRow{Label: label}
		for _, st := range stages {
			row.Cells = append(row.Cells, cell(st))
		}
		t.Rows = append(t.Rows, row)
	}
	n := strconv.Itoa
	add("Received", func(s report.StageFigures) string { return n(s.Received) })
	add("Acknowledged", func(s report.StageFigures) string { return n(s.Acknowledge.N) })
	add("Working days to acknowledge: median", func(s report.StageFigures) string { return formatDays(s.Acknowledge) })
	add("Working days to acknowledge: 90th percentile", func(s report.StageFigures) string { return formatP90(s.Acknowledge) })
	add("Acknowledged within the Code's 5 working days", func(s report.StageFigures) string { return formatRate(s.AcknowledgedOnTime) })
	add("Responded to", func(s report.StageFigures) string { return n(s.Respond.N) })
	add("Working days to respond: median", func(s report.StageFigures) string { return formatDays(s.Respond) })
	add("Working days to respond: 90th percentile", func(s report.StageFigures) string { return formatP90(s.Respond) })
	add("Responded to within the Code's timescale", func(s report.StageFigures) string { return formatRate(s.RespondedOnTime) })
	add("Extended", func(s report.StageFigures) string { return n(s.Extended) })
	add("Extended beyond the Code's cap", func(s report.StageFigures) string { return n(s.OverCodeCap) })
	add("Points upheld", func(s report.StageFigures) string { return n(s.Upheld) })
	add("Points partly upheld", func(s report.StageFigures) string { return n(s.PartlyUpheld) })
	add("Points not upheld", func(s report.StageFigures) string { return n(s.NotUpheld) })
	add("Refused", func(s report.StageFigures) string { return n(refusals(s)) })
	add("Withdrawn", func(s report.StageFigures) string { return n(s.Withdrawn) })
	return t
}

// refusalRow is one exclusion's refusals at one stage.
type refusalRow struct {
	Stage     int
	Exclusion string
	Reason    string
	N         int
}

func (s *Server) refusalRows(stages []report.StageFigures) []refusalRow {
	var out []refusalRow
	for _, st := range stages {
		for _, r := range st.Refusals {
			row := refusalRow{Stage: st.Stage, Exclusion: r.Label, Reason: r.Label, N: r.N}
			for _, e := range s.Policy.Exclusions {
				if e.Code == r.Label {
					row.Reason = e.Reason
				}
			}
			out = append(out, row)
		}
	}
	return out
}

// compensationTotal adds up every kind of compensation.
func compensationTotal(ms []report.Money) report.Money {
	t := report.Money{Label: "Total"}
	for _, m := range ms {
		t.Offered += m.Offered
		t.OfferedPence += m.OfferedPence
		t.Paid += m.Paid
		t.PaidPence += m.PaidPence
	}
	return t
}

// actionRows are the actions and repeat complainants, as a table.
func actionRows(m report.Management) []report.Row {
	return []report.Row{
		{Label: "Actions open", N: m.ActionsOpen},
		{Label: "Actions done", N: m.ActionsDone},
		{Label: "Actions open and past their due date at the end of the period", N: m.ActionsOverdue},
		{Label: "People who made two or more complaints", N: m.RepeatComplainants},
	}
}

// managementFigures reads the figures, turning an invalid filter the
// page did not catch into the form's errors.
func (s *Server) managementFigures(r *http.Request, f report.Filter) (report.Management, []fieldError, error) {
	m, err := s.Store.ManagementFigures(r.Context(), f)
	if errs, ok := domainErrors(err, "from"); ok {
		return m, errs, nil
	}
	return m, nil, err
}

// managementPage shows the management figures for a period.
func (s *Server) managementPage(w http.ResponseWriter, r *http.Request) error {
	mq, errs := s.parseManagementFilter(r.URL.Query())
	var m report.Management
	if len(errs) == 0 {
		var err error
		if m, errs, err = s.managementFigures(r, mq.Filter); err != nil {
			return err
		}
	}
	data := map[string]any{
		"Title": "Management report", "Nav": "reports", "Errors": errs,
		"FromField":        newField("from", "From", "For example, 1 4 2026", mq.Form, errs),
		"ToField":          newField("to", "To", "For example, 31 3 2027", mq.Form, errs),
		"ServiceAreaField": newField("service_area", "Service area", "", mq.Form, errs),
		"StageField":       newSelect("stage", "Stage", "For the stage figures and the learning log", mq.Form.Get("stage"), []option{{"", "Both stages"}, {"1", "Stage 1"}, {"2", "Stage 2"}}, errs),
		"TenureField":      newSelect("tenure", "Tenure", "", mq.Form.Get("tenure"), managementTenureOptions(), errs),
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "reports-management", data)
		return nil
	}
	csvURL := func(table string) string {
		q := url.Values{"table": {table}}
		for k, v := range mq.Form {
			q[k] = v
		}
		return "/reports/management.csv?" + q.Encode()
	}
	tables := managementTables(m, csvURL)
	months := tables[len(tables)-1]
	chart := barChart{ID: "month-chart", Title: fmt.Sprintf("Contacts received by month, %s to %s", formatDate(mq.Filter.From), formatDate(mq.Filter.To))}
	for i, row := range months.Rows {
		chart.Bars = append(chart.Bars, bar{Label: months.Labels[i], Value: float64(row.N), Text: strconv.Itoa(row.N)})
	}
	data["Filter"] = mq.Filter
	data["Volumes"] = tables[:len(tables)-1]
	data["Months"] = months
	data["Chart"] = chart.SVG()
	data["ChartTitle"] = chart.Title
	data["Stages"] = stageFiguresTable(m.Stages)
	data["StagesCSV"] = csvLink{csvURL("stages"), "complaints by stage"}
	data["Refusals"] = s.refusalRows(m.Stages)
	data["RefusalsCSV"] = csvLink{csvURL("refusals"), "refusals by exclusion"}
	data["Compensation"] = m.Compensation
	data["CompensationTotal"] = compensationTotal(m.Compensation)
	data["CompensationCSV"] = csvLink{csvURL("compensation"), "compensation"}
	data["Actions"] = actionRows(m)
	data["ActionsCSV"] = csvLink{csvURL("actions"), "actions and repeat complainants"}
	data["Learning"] = m.Learning
	data["LearningCSV"] = csvLink{csvURL("learning"), "learning log"}
	counts, err := s.reports().RestrictionCounts(r.Context(), mq.Filter.From, mq.Filter.To) // restrictions.go
	if err != nil {
		return err
	}
	data["Restrictions"] = counts
	data["Compliments"] = newComplimentFigures(m.Compliments, csvLink{csvURL("compliments"), "compliments passed on"})
	s.render(w, r, http.StatusOK, "reports-management", data)
	return nil
}

// managementTableNames are the tables the management CSV offers.
var managementTableNames = []string{"by_kind", "by_channel", "by_service_area", "by_category", "by_month", "stages", "refusals", "compensation", "actions", "learning", "compliments"}

// managementCSV downloads one table of the management report.
func (s *Server) managementCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	table := q.Get("table")
	if !slices.Contains(managementTableNames, table) {
		return complaint.InvalidField("table", "choose a table: %s", strings.Join(managementTableNames, ", "))
	}
	mq, errs := s.parseManagementFilter(q)
	if len(errs) > 0 {
		return firstInvalid(errs)
	}
	m, errs, err := s.managementFigures(r, mq.Filter)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return firstInvalid(errs)
	}
	cw := newCSV(w, fmt.Sprintf("management-%s-%s-to-%s.csv", strings.ReplaceAll(table, "_", "-"), mq.Filter.From, mq.Filter.To))
	switch table {
	case "by_kind", "by_channel", "by_service_area", "by_category", "by_month":
		tables := managementTables(m, func(string) string { return "" })
		t := tables[slices.IndexFunc(tables, func(t countTable) bool { return t.Name == table })]
		cw.row(strings.TrimPrefix(table, "by_"), "count")
		for _, row := range t.Rows {
			cw.row(row.Label, strconv.Itoa(row.N))
		}
	case "stages":
		cw.row("stage", "received", "acknowledged", "acknowledge_median_working_days", "acknowledge_p90_working_days",
			"acknowledged_within_code", "acknowledged_within_code_of", "acknowledged_within_code_percent",
			"responded", "respond_median_working_days", "respond_p90_working_days",
			"responded_within_code", "responded_within_code_of", "responded_within_code_percent",
			"extended", "extended_beyond_code_cap", "points_upheld", "points_partly_upheld", "points_not_upheld", "refused", "withdrawn")
		n, f := strconv.Itoa, func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		pc := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
		for _, st := range m.Stages {
			cw.row(n(st.Stage), n(st.Received), n(st.Acknowledge.N), f(st.Acknowledge.Median), f(st.Acknowledge.P90),
				n(st.AcknowledgedOnTime.Num), n(st.AcknowledgedOnTime.Den), pc(st.AcknowledgedOnTime.Value),
				n(st.Respond.N), f(st.Respond.Median), f(st.Respond.P90),
				n(st.RespondedOnTime.Num), n(st.RespondedOnTime.Den), pc(st.RespondedOnTime.Value),
				n(st.Extended), n(st.OverCodeCap), n(st.Upheld), n(st.PartlyUpheld), n(st.NotUpheld), n(refusals(st)), n(st.Withdrawn))
		}
	case "refusals":
		cw.row("stage", "exclusion", "reason", "count")
		for _, row := range s.refusalRows(m.Stages) {
			cw.row(strconv.Itoa(row.Stage), row.Exclusion, row.Reason, strconv.Itoa(row.N))
		}
	case "compensation":
		cw.row("kind", "offered", "offered_pounds", "paid", "paid_pounds")
		for _, c := range append(m.Compensation, compensationTotal(m.Compensation)) {
			cw.row(c.Label, strconv.Itoa(c.Offered), money.Pence(c.OfferedPence).Decimal(), strconv.Itoa(c.Paid), money.Pence(c.PaidPence).Decimal())
		}
	case "actions":
		cw.row("figure", "count")
		for _, row := range actionRows(m) {
			cw.row(row.Label, strconv.Itoa(row.N))
		}
	case "compliments":
		cw.row("praised", "name", "count")
		for _, t := range newComplimentFigures(m.Compliments, csvLink{}).Tables {
			for _, row := range t.Rows {
				cw.row(t.Praised, row.Label, strconv.Itoa(row.N))
			}
		}
	case "learning":
		cw.row("reference", "stage", "responded", "service_area", "learning")
		for _, l := range m.Learning {
			cw.row(l.Reference, strconv.Itoa(l.Stage), l.Responded.String(), l.ServiceArea, l.Text)
		}
	}
	return cw.close()
}
