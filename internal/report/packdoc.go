package report

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/money"
)

// PackDocument is a board pack laid out once, as words and figures, for
// every medium: the staff page renders it as HTML and the download as
// PDF, so a change to a pack is made here and nowhere else.
type PackDocument struct {
	Title string
	// Summary says what the pack covers and compares it with.
	Summary  string
	Sections []PackSection
}

// PackSection is one part of a pack: a heading and what follows it.
type PackSection struct {
	// ID is the section's anchor on the page.
	ID, Heading string
	// NewPage starts the section on a new page when printed.
	NewPage bool
	Blocks  []PackBlock
}

// PackBlock is a paragraph, a table, a bar chart or a list.
type PackBlock interface{ packBlock() }

// PackParagraph is a paragraph of text.
type PackParagraph struct {
	Text string
	// Warning marks something the Code requires that is missing.
	Warning bool
	// Missing names the part of the year's review that would supply
	// what the paragraph says is missing ("improvements", "response"),
	// so that a screen can lead to it.
	Missing string
}

// PackTable is a table with a caption. When RowHeaders is set the first
// cell of each row names the row. A cell's lines are separated by "\n".
type PackTable struct {
	Caption        string
	Header         []string // none for a table of labelled counts
	Rows           [][]string
	NumericColumns []int
	RowHeaders     bool
}

// Numeric reports whether column i holds numbers, aligned right.
func (t PackTable) Numeric(i int) bool {
	for _, c := range t.NumericColumns {
		if c == i {
			return true
		}
	}
	return false
}

// PackBarChart is a horizontal bar chart and the table of its data,
// which is shown beside it so that the figures are there as text.
type PackBarChart struct {
	Title  string
	Labels []string
	Values []float64
	Texts  []string // each value as people read it
	Data   PackTable
}

// PackList is a bulleted list, with a heading when it has one.
type PackList struct {
	Heading string
	Items   []string
}

func (PackParagraph) packBlock() {}
func (PackTable) packBlock()     {}
func (PackBarChart) packBlock()  {}
func (PackList) packBlock()      {}

// PackTitle names a pack as boards and the Code do.
func PackTitle(p Period) string {
	if p.Quarter == 0 {
		return "Annual complaints performance and service improvement report " + p.Year.String()
	}
	return "Complaints board pack, " + p.String()
}

// chartBars is how many themes the chart shows; the table shows all.
const chartBars = 10

// Document lays the pack out: the same sections, in the same order, on
// screen and on paper. The annual report adds the self-assessment and
// the governing body's response.
func (pk Pack) Document() PackDocument {
	p := pk.Period
	d := PackDocument{Title: PackTitle(p),
		Summary: fmt.Sprintf("The figures for %s, each compared with %s. This report names no resident and no case, so it can be published as it is.", p, pk.Previous)}
	add := func(s PackSection) { d.Sections = append(d.Sections, s) }

	add(PackSection{ID: "tsm", Heading: "Tenant Satisfaction Measures, year to date", Blocks: []PackBlock{pk.tsmTable()}})

	trends := PackTable{Caption: "Each measure against the same period a year before", RowHeaders: true,
		Header: []string{"Measure", pk.Previous.String(), p.String(), "Change"}, NumericColumns: []int{1, 2, 3}}
	for _, t := range pk.Trends {
		prev, cur, change := t.Texts()
		trends.Rows = append(trends.Rows, []string{t.Label, prev, cur, change})
	}
	add(PackSection{ID: "trends", Heading: "Trends against " + pk.Previous.String(), Blocks: []PackBlock{trends}})

	themes := PackSection{ID: "themes", Heading: "Themes"}
	if len(pk.Themes) > 0 {
		chart := PackBarChart{Title: "Complaints by category, " + p.String(), Data: pk.themeTable("Complaints by category", "Category", pk.Themes)}
		for _, t := range pk.Themes[:min(chartBars, len(pk.Themes))] {
			chart.Labels = append(chart.Labels, t.Label)
			chart.Values = append(chart.Values, float64(t.Current))
			chart.Texts = append(chart.Texts, strconv.Itoa(t.Current))
		}
		themes.Blocks = append(themes.Blocks, chart)
	} else {
		themes.Blocks = append(themes.Blocks, PackParagraph{Text: "No complaints were categorised in either period."})
	}
	if len(pk.ServiceAreas) > 0 {
		themes.Blocks = append(themes.Blocks, pk.themeTable("Complaints by service area", "Service area", pk.ServiceAreas))
	}
	add(themes)

	refusals := PackSection{ID: "refusals", Heading: "Complaints we did not accept"}
	if len(pk.Refusals) > 0 {
		refusals.Blocks = []PackBlock{pk.themeTable("Refusals by the exclusion in the policy, both stages", "Reason", pk.Refusals)}
	} else {
		refusals.Blocks = []PackBlock{PackParagraph{Text: "No complaint was refused in either period."}}
	}
	add(refusals)

	hazards := PackSection{ID: "hazards", Heading: "Hazards under Awaab's Law"}
	if h := pk.Hazards; h.Reported > 0 {
		hazards.Blocks = []PackBlock{PackTable{Caption: fmt.Sprintf("Hazards reported in %s so far", p.Year), NumericColumns: []int{1}, RowHeaders: true,
			Rows: [][]string{
				{"Reported", strconv.Itoa(h.Reported)}, {"Emergency hazards", strconv.Itoa(h.Emergency)}, {"Significant hazards", strconv.Itoa(h.Significant)},
				{"Reported in a complaint", strconv.Itoa(h.ViaComplaint)}, {"Statutory clocks met", strconv.Itoa(h.Met)},
				{"Statutory clocks missed", strconv.Itoa(h.Missed)}, {"Statutory clocks still running", strconv.Itoa(h.Running)},
			}}}
	} else {
		hazards.Blocks = []PackBlock{PackParagraph{Text: fmt.Sprintf("No hazard was reported in %s so far.", p.Year)}}
	}
	add(hazards)
	add(pk.ombudsmanSection())

	right := PackSection{ID: "putting-right", Heading: "Putting things right"}
	if len(pk.Current.Compensation) > 0 {
		comp := PackTable{Caption: "Compensation, " + p.String(), Header: []string{"Kind", "Offered", "Paid"}, NumericColumns: []int{1, 2}, RowHeaders: true}
		for _, m := range pk.Current.Compensation {
			comp.Rows = append(comp.Rows, []string{Words(m.Label),
				fmt.Sprintf("%d, %s", m.Offered, money.Pence(m.OfferedPence).Fixed()), fmt.Sprintf("%d, %s", m.Paid, money.Pence(m.PaidPence).Fixed())})
		}
		right.Blocks = append(right.Blocks, comp)
	} else {
		right.Blocks = append(right.Blocks, PackParagraph{Text: "No compensation was offered in " + p.String() + "."})
	}
	right.Blocks = append(right.Blocks, PackParagraph{Text: fmt.Sprintf("Actions promised to residents: %d done, %d open, of which %d overdue at the end of the period.",
		pk.Current.ActionsDone, pk.Current.ActionsOpen, pk.Current.ActionsOverdue)})
	add(right)

	learning := PackSection{ID: "learning", Heading: "Learning and service improvement"}
	if len(pk.Review.Improvements) > 0 {
		ys := PackTable{Caption: "You said, we did: " + p.Year.String(), Header: []string{"Service area", "You said", "We did"}}
		for _, im := range pk.Review.Improvements {
			ys.Rows = append(ys.Rows, []string{im.ServiceArea, im.YouSaid, im.WeDid})
		}
		learning.Blocks = append(learning.Blocks, ys)
	} else {
		learning.Blocks = append(learning.Blocks, PackParagraph{Text: "No service improvements are recorded for " + p.Year.String() + " yet.", Missing: "improvements"})
	}
	if len(pk.Learning) > 0 {
		l := PackList{Heading: "Learning recorded on responses, " + p.String()}
		for _, le := range pk.Learning {
			item := le.Text
			if le.ServiceArea != "" {
				item = fmt.Sprintf("%s, stage %d: %s", le.ServiceArea, le.Stage, le.Text)
			}
			l.Items = append(l.Items, item)
		}
		learning.Blocks = append(learning.Blocks, l)
	}
	add(learning)

	add(pk.restrictionsSection())

	if p.Quarter == 0 {
		add(pk.selfAssessmentSection())
		add(pk.responseSection())
		add(pk.memberSection())
	}

	notes := append(append([]string{}, pk.Notes...), pk.TSM.Notes...)
	add(PackSection{ID: "notes", Heading: "How the figures are counted", Blocks: []PackBlock{PackList{Items: notes}}})
	return d.withoutBlankRows()
}

// packTenures are the measures' columns: all homes, then each tenure
// the Regulator asks for.
var packTenures = append([]complaint.Tenure{""}, Tenures...)

// packMeasures are the rows of the measures in a pack.
var packMeasures = []string{CH01Stage1, CH01Stage2, CH02Stage1, CH02Stage2, TP09, SurveyHandling, SurveyOutcome}

func (pk Pack) tsmTable() PackTable {
	t := PackTable{Caption: fmt.Sprintf("%s: %s", pk.Period.Year, isoRangeText(pk.TSM.From, pk.TSM.To)),
		Header: []string{"Measure"}, RowHeaders: true}
	for _, tenure := range packTenures {
		t.Header = append(t.Header, TenureLabel(tenure))
	}
	for _, id := range packMeasures {
		row := []string{id}
		title := ""
		for _, tenure := range packTenures {
			f, _ := pk.TSM.Find(id, tenure)
			title = cmp.Or(title, f.Title)
			row = append(row, strings.TrimSpace(fmt.Sprintf("%s\n%s of %s %s", f.Text(), Thousands(f.Numerator), Thousands(f.Denominator), f.DenominatorLabel)))
		}
		row[0] = id + "\n" + title
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (pk Pack) themeTable(caption, first string, ts []Theme) PackTable {
	t := PackTable{Caption: caption, Header: []string{first, pk.Period.String(), pk.Previous.String()}, NumericColumns: []int{1, 2}, RowHeaders: true}
	for _, th := range ts {
		t.Rows = append(t.Rows, []string{th.Label, strconv.Itoa(th.Current), strconv.Itoa(th.Previous)})
	}
	return t
}

func (pk Pack) selfAssessmentSection() PackSection {
	sa := pk.SelfAssessment
	s := PackSection{ID: "self-assessment", Heading: "Self-assessment against the Complaint Handling Code", NewPage: true}
	summary := fmt.Sprintf("Of %d provisions: %d met, %d partly met, %d not met", len(sa.Rows), sa.Yes, sa.Partly, sa.No)
	if sa.NotAssessed > 0 {
		summary += fmt.Sprintf(", and %d not yet assessed", sa.NotAssessed)
	}
	s.Blocks = append(s.Blocks, PackParagraph{Text: summary + "."})
	if len(sa.NotMet) > 0 {
		nm := PackTable{Caption: "Provisions not fully met", Header: []string{"Provision", "Complies", "Explanation"}, RowHeaders: true}
		for _, r := range sa.NotMet {
			nm.Rows = append(nm.Rows, []string{r.Number, r.Assessment.Complies, r.Assessment.Commentary})
		}
		s.Blocks = append(s.Blocks, nm)
	}
	all := PackTable{Caption: "Every provision", Header: []string{"Provision", "Requirement", "Complies", "Evidence and commentary"}, RowHeaders: true}
	for _, r := range sa.Rows {
		complies := "not assessed"
		if r.Assessed {
			complies = r.Assessment.Complies
		}
		ev := r.Assessment.Evidence
		if r.Assessment.Commentary != "" {
			ev += "\n" + r.Assessment.Commentary
		}
		all.Rows = append(all.Rows, []string{r.Number, r.Requirement, complies, ev})
	}
	s.Blocks = append(s.Blocks, all)
	return s
}

func (pk Pack) responseSection() PackSection {
	s := PackSection{ID: "response", Heading: "The governing body's response"}
	r := pk.Review.Response
	if r.Text == "" {
		s.Blocks = []PackBlock{PackParagraph{Text: "Not yet recorded. The Code (8.2) requires the governing body's response to be published with this report.", Warning: true, Missing: "response"}}
		return s
	}
	s.Blocks = []PackBlock{PackParagraph{Text: "Agreed on " + LongDate(r.Date) + "."}}
	for _, para := range strings.Split(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			s.Blocks = append(s.Blocks, PackParagraph{Text: para})
		}
	}
	return s
}

// Texts writes the trend for a table: the previous and current values
// with their units, a dash for a period with nothing to measure, and the
// change with its verdict.
func (t Trend) Texts() (previous, current, change string) {
	previous = trendValue(t.Previous, t.Unit, t.PreviousValid)
	current = trendValue(t.Current, t.Unit, t.CurrentValid)
	if !t.Valid() {
		return previous, current, "no comparison"
	}
	c := t.Change()
	if c == 0 {
		return previous, current, "no change"
	}
	sign := "+"
	if c < 0 {
		sign, c = "−", -c
	}
	return previous, current, fmt.Sprintf("%s%s (%s)", sign, trendValue(c, t.Unit, true), t.Verdict())
}

func trendValue(v float64, unit string, valid bool) string {
	switch {
	case !valid:
		return "–"
	case unit == "£":
		return money.Pence(int64(v*100 + 0.5)).Fixed()
	case unit == "%":
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case unit == "working days":
		return strconv.FormatFloat(v, 'f', -1, 64) + " working days"
	case unit == "":
		return Thousands(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
}

// Text writes a measure's value with its unit, or why it has none, as
// every page, file and pack shows it.
func (f Figure) Text() string {
	if f.Unit == "complaints" {
		if f.Numerator == 1 {
			return "1 complaint"
		}
		return Thousands(f.Numerator) + " complaints"
	}
	if !f.Valid {
		switch {
		case strings.HasPrefix(f.ID, "CH01"):
			return "No homes recorded"
		case f.ID == TP09 && f.Denominator == 0 && f.Numerator == 0:
			return "Not recorded"
		}
		return "Nothing to count"
	}
	v := strconv.FormatFloat(f.Value, 'f', 1, 64)
	if f.Unit == "%" {
		return v + "%"
	}
	return v + " " + f.Unit
}

// TenureLabel names a tenure's line of the measures as people read it.
func TenureLabel(t complaint.Tenure) string {
	switch t {
	case "":
		return "All homes"
	case "low_cost_rental":
		return "Low-cost rental"
	case "low_cost_home_ownership":
		return "Low-cost home ownership"
	case "other":
		return "Other tenures"
	case NotRecorded:
		return "Tenure not recorded"
	}
	return Words(string(t))
}

// Thousands writes n with commas: 12,000.
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Words turns an identifier such as partly_upheld into "Partly upheld".
func Words(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// LongDate writes a date as people write it, "1 April 2026": a board
// reads a pack, and an ISO date there reads as a code, not a day.
func LongDate(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Start().Format("2 January 2006")
}
