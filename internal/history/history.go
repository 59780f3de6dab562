// Package history reads a landlord's earlier complaints log, the
// spreadsheet kept before Redress, so that its complaints can be brought
// in as cases and count in the reports for their years. It is pure: it
// reads and checks the file, naming every bad cell by line and column,
// and leaves building the cases to the domain (complaint.NewImportedCase)
// and saving them to storage.
package history

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/tenancy"
)

// Column is one of the columns of a complaints log.
type Column struct {
	Name     string
	Required bool
	Help     string
}

// Columns are the columns of a complaints log, one row per complaint.
var Columns = []Column{
	{"reference", true, "the complaint's reference in the log; kept beside the new Redress reference"},
	{"received", true, "the day the complaint was received, 2026-04-01 or 01/04/2026"},
	{"acknowledged", false, "the day stage 1 was acknowledged"},
	{"stage1_responded", false, "the day the stage 1 response was sent"},
	{"escalated", false, "the day the request to escalate to stage 2 was received"},
	{"stage2_acknowledged", false, "the day stage 2 was acknowledged"},
	{"stage2_responded", false, "the day the stage 2 response was sent"},
	{"outcome", false, "the final response's outcome: upheld, partly upheld or not upheld"},
	{"compensation", false, "compensation paid, in pounds and pence: £250.00 or 250"},
	{"tenure", false, "low_cost_rental, low_cost_home_ownership, leasehold or other (general needs, social rent, shared ownership and the like are read too)"},
	{"channel", false, "how the complaint reached the landlord: email, phone, web, letter, in person or social media"},
	{"service_area", false, "the service the complaint was about"},
	{"category", false, "one or several categories, separated by ;"},
	{"name", false, "the complainant's name, where the log keeps it"},
	{"email", false, "their email address"},
	{"phone", false, "their phone number"},
	{"postcode", false, "their postcode"},
}

// Template is the first line of a complaints log, for a landlord to
// start from.
func Template() string {
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ",") + "\n"
}

// RowError is a problem with one cell (or row) of a file.
type RowError = tenancy.RowError

// Row is one complaint of the log, read and checked.
type Row struct {
	Line               int               `json:"-"`
	Ref                string            `json:"reference"`
	Received           calendar.Date     `json:"received"`
	Acknowledged       calendar.Date     `json:"acknowledged,omitzero"`
	Responded          calendar.Date     `json:"stage1_responded,omitzero"`
	Escalated          calendar.Date     `json:"escalated,omitzero"`
	Stage2Acknowledged calendar.Date     `json:"stage2_acknowledged,omitzero"`
	Stage2Responded    calendar.Date     `json:"stage2_responded,omitzero"`
	Outcome            complaint.Outcome `json:"outcome,omitempty"`
	CompensationPence  int64             `json:"compensation_pence,omitempty"`
	Tenure             complaint.Tenure  `json:"tenure,omitempty"`
	Channel            complaint.Channel `json:"channel,omitempty"`
	ServiceArea        string            `json:"service_area,omitempty"`
	Categories         []string          `json:"categories,omitempty"`
	Name               string            `json:"name,omitempty"`
	Email              string            `json:"email,omitempty"`
	Phone              string            `json:"phone,omitempty"`
	Postcode           string            `json:"postcode,omitempty"`
}

// SHA256 fingerprints the row's values, whatever line they are on, so
// that a re-import can tell a row unchanged since the last import from
// one edited in the meantime.
func (r Row) SHA256() string {
	b, _ := json.Marshal(r) // a Row always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Command returns the domain's command that imports the row from the
// file whose SHA-256 is fileSHA256.
func (r Row) Command(fileSHA256 string) complaint.ImportCase {
	return complaint.ImportCase{
		OriginalRef: r.Ref, FileSHA256: fileSHA256, Line: r.Line, RowSHA256: r.SHA256(),
		Received: r.Received, Acknowledged: r.Acknowledged, Responded: r.Responded,
		Escalated: r.Escalated, Stage2Acknowledged: r.Stage2Acknowledged, Stage2Responded: r.Stage2Responded,
		Outcome: r.Outcome, CompensationPence: r.CompensationPence, Tenure: r.Tenure, Channel: r.Channel,
		ServiceArea: r.ServiceArea, Categories: r.Categories,
		Complainant: complaint.Person{Name: r.Name, Email: r.Email, Phone: r.Phone, Postcode: r.Postcode},
	}
}

// File is a complaints log read and checked.
type File struct {
	Rows   []Row
	Errors []RowError
	// Lines is how many rows the file has, good and bad.
	Lines int
}

// Mapping maps each column to the header the landlord's log gives it,
// where the two differ (reference to "Complaint No", say). Headers match
// whatever their case, spaces and underscores.
type Mapping map[string]string

// ParseMapping reads column=header pairs, comma-separated.
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for pair := range strings.SplitSeq(s, ",") {
		col, header, ok := strings.Cut(pair, "=")
		col, header = strings.TrimSpace(col), strings.TrimSpace(header)
		if !ok || header == "" {
			return nil, fmt.Errorf("%q is not column=header, such as reference=Complaint No", pair)
		}
		if !slices.ContainsFunc(Columns, func(c Column) bool { return c.Name == col }) {
			return nil, fmt.Errorf("%q is not a column of a complaints log", col)
		}
		m[col] = header
	}
	return m, nil
}

func fold(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "", "\ufeff", "").Replace(s))
}

// outcomeWords are the outcomes as logs and the Code's reports write
// them.
var outcomeWords = map[string]complaint.Outcome{
	"upheld": "upheld", "fully upheld": "upheld", "justified": "upheld",
	"partly upheld": "partly_upheld", "partly_upheld": "partly_upheld", "partially upheld": "partly_upheld",
	"part upheld": "partly_upheld", "partly justified": "partly_upheld",
	"not upheld": "not_upheld", "not_upheld": "not_upheld", "unjustified": "not_upheld", "not justified": "not_upheld",
}

// ParseOutcome reads an outcome as a log writes it.
func ParseOutcome(s string) (complaint.Outcome, error) {
	if o, ok := outcomeWords[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		return o, nil
	}
	return "", fmt.Errorf("%q is not an outcome: want upheld, partly upheld or not upheld", s)
}

// channelWords are the channels as logs write them.
var channelWords = map[string]complaint.Channel{
	"email": "email", "e-mail": "email", "phone": "phone", "telephone": "phone", "call": "phone",
	"web": "web", "online": "web", "website": "web", "web form": "web", "online form": "web",
	"letter": "letter", "post": "letter", "in person": "in_person", "in_person": "in_person", "face to face": "in_person",
	"social media": "social_media", "social_media": "social_media",
}

// ParseChannel reads a channel as a log writes it.
func ParseChannel(s string) (complaint.Channel, error) {
	if c, ok := channelWords[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%q is not a channel: want email, phone, web, letter, in person or social media", s)
}

// amount is pounds, optionally with pence: "£1,250.50", "250", "250.5".
var amount = regexp.MustCompile(`^£?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?$`)

// ParsePence reads an amount of money in pounds and pence as pence.
func ParsePence(s string) (int64, error) {
	m := amount.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not an amount in pounds and pence, such as £250.00 or 250", s)
	}
	pounds, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	if err != nil || pounds > 1_000_000 {
		return 0, fmt.Errorf("%q is more than £1,000,000", s)
	}
	pence := int64(0)
	if m[2] != "" {
		p, _ := strconv.ParseInt(m[2], 10, 64)
		if len(m[2]) == 1 {
			p *= 10
		}
		pence = p
	}
	return pounds*100 + pence, nil
}

// redressRef is the shape of Redress's own references: a log's reference
// of that shape would be taken for one of them.
var redressRef = regexp.MustCompile(`^C-[0-9]{4}-[0-9]{6}$`)

// ReadCSV reads a complaints log, checking every row against today, the
// day of the import in London: no date may be after it. Every problem is
// kept as a RowError naming its line and column; a file that cannot be
// read as CSV at all, or lacks a required column, is an error. progress,
// if not nil, is called with the rows read so far every 1,000 rows and at
// the end.
func ReadCSV(r io.Reader, m Mapping, today calendar.Date, progress func(rows int)) (*File, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: its first line must name the columns")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	at := map[string]int{}
	for i, h := range header {
		at[fold(h)] = i
	}
	index := map[string]int{}
	var missing []string
	for _, c := range Columns {
		want := c.Name
		if h, ok := m[c.Name]; ok {
			want = h
		}
		if i, ok := at[fold(want)]; ok {
			index[c.Name] = i
		} else if c.Required {
			missing = append(missing, fmt.Sprintf("%s (looked for %q)", c.Name, want))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: the file has no column %s; name them in the first line, or map them with --map column=header", strings.Join(missing, ", "))
	}
	f := &File{}
	seen := map[string]int{} // reference -> line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if !errors.Is(err, csv.ErrFieldCount) {
				return f, fmt.Errorf("line %d: the file cannot be read as CSV from here: %w", line, err)
			}
			f.Lines++
			f.Errors = append(f.Errors, RowError{Line: line, Message: fmt.Sprintf("has %d cells, and the first line names %d columns: wrong number of fields", len(rec), len(header))})
			continue
		}
		line, _ := cr.FieldPos(0)
		f.Lines++
		if progress != nil && f.Lines%1000 == 0 {
			progress(f.Lines)
		}
		rr := rowReader{rec: rec, index: index, line: line, today: today}
		row := rr.read()
		if first, ok := seen[row.Ref]; ok && row.Ref != "" {
			rr.fail("reference", "%s is repeated: it is on line %d too", row.Ref, first)
		} else if row.Ref != "" {
			seen[row.Ref] = line
		}
		if len(rr.errs) > 0 {
			f.Errors = append(f.Errors, rr.errs...)
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	if progress != nil {
		progress(f.Lines)
	}
	return f, nil
}

// rowReader reads one row's cells, keeping a RowError for each bad one.
type rowReader struct {
	rec   []string
	index map[string]int
	line  int
	today calendar.Date
	errs  []RowError
}

func (r *rowReader) cell(col string) string {
	i, ok := r.index[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *rowReader) fail(col, format string, args ...any) {
	r.errs = append(r.errs, RowError{Line: r.line, Column: col, Message: fmt.Sprintf(format, args...)})
}

func (r *rowReader) text(col string, max int) string {
	v := r.cell(col)
	if len([]rune(v)) > max {
		r.fail(col, "is longer than %d characters", max)
	}
	return v
}

// date reads a date cell, which must not be before the year 2000 nor
// after today, nor before the date in the column named after (if any).
func (r *rowReader) date(col string, after calendar.Date, afterCol string) calendar.Date {
	v := r.cell(col)
	if v == "" {
		return calendar.Date{}
	}
	d, err := tenancy.ParseDate(v)
	switch {
	case err != nil:
		r.fail(col, "%v", err)
		return calendar.Date{}
	case d.Year() < 2000:
		r.fail(col, "%s is before the year 2000", d)
	case d.After(r.today):
		r.fail(col, "%s is in the future", d)
	case !after.IsZero() && d.Before(after):
		r.fail(col, "%s is before %s (%s)", d, afterCol, after)
	}
	return d
}

func (r *rowReader) read() Row {
	row := Row{Line: r.line, Ref: r.text("reference", 64)}
	switch {
	case row.Ref == "":
		r.fail("reference", "is empty; it is required")
	case redressRef.MatchString(row.Ref):
		r.fail("reference", "%s has the shape of a Redress reference, and would be taken for one; prefix it in the file", row.Ref)
	}
	if r.cell("received") == "" {
		r.fail("received", "is empty; it is required")
	}
	row.Received = r.date("received", calendar.Date{}, "")
	row.Acknowledged = r.date("acknowledged", row.Received, "received")
	row.Responded = r.date("stage1_responded", latest(row.Received, row.Acknowledged), "received or acknowledged")
	row.Escalated = r.date("escalated", row.Responded, "stage1_responded")
	if !row.Escalated.IsZero() && row.Responded.IsZero() {
		r.fail("escalated", "is given, and stage1_responded is empty: a complaint is escalated after its stage 1 response")
	}
	row.Stage2Acknowledged = r.date("stage2_acknowledged", row.Escalated, "escalated")
	row.Stage2Responded = r.date("stage2_responded", latest(row.Escalated, row.Stage2Acknowledged), "escalated or stage2_acknowledged")
	for _, col := range []string{"stage2_acknowledged", "stage2_responded"} {
		if r.cell(col) != "" && r.cell("escalated") == "" {
			r.fail(col, "is given, and escalated is empty")
		}
	}
	final, finalCol := row.Responded, "stage1_responded"
	if r.cell("escalated") != "" {
		final, finalCol = row.Stage2Responded, "stage2_responded"
	}
	if v := r.cell("outcome"); v != "" {
		o, err := ParseOutcome(v)
		switch {
		case err != nil:
			r.fail("outcome", "%v", err)
		case final.IsZero():
			r.fail("outcome", "is given, and %s is empty: an outcome is the final response's", finalCol)
		}
		row.Outcome = o
	}
	if v := r.cell("compensation"); v != "" {
		p, err := ParsePence(v)
		switch {
		case err != nil:
			r.fail("compensation", "%v", err)
		case p > 0 && final.IsZero():
			r.fail("compensation", "is given, and %s is empty: compensation is offered in the final response", finalCol)
		}
		row.CompensationPence = p
	}
	if v := r.cell("tenure"); v != "" {
		t, err := tenancy.ParseTenure(v)
		if err != nil {
			r.fail("tenure", "%v", err)
		}
		row.Tenure = t.CaseTenure()
	}
	if v := r.cell("channel"); v != "" {
		c, err := ParseChannel(v)
		if err != nil {
			r.fail("channel", "%v", err)
		}
		row.Channel = c
	}
	row.ServiceArea = r.text("service_area", 200)
	if v := r.cell("category"); v != "" {
		for c := range strings.SplitSeq(v, ";") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if len([]rune(c)) > 200 {
				r.fail("category", "%.20q… is longer than 200 characters", c)
			}
			if !slices.Contains(row.Categories, c) {
				row.Categories = append(row.Categories, c)
			}
		}
		if len(row.Categories) > 50 {
			r.fail("category", "has more than 50 categories")
		}
	}
	row.Name = r.text("name", 200)
	if v := r.text("email", 254); v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			r.fail("email", "%q is not an email address", v)
		} else {
			row.Email = strings.ToLower(v)
		}
	}
	if v := r.cell("phone"); v != "" {
		if n, ok := tenancy.NormalPhone(v); ok {
			row.Phone = n
		} else {
			r.fail("phone", "%q is not a phone number", v)
		}
	}
	if v := r.cell("postcode"); v != "" {
		if n, ok := tenancy.NormalPostcode(v); ok {
			row.Postcode = n
		} else {
			r.fail("postcode", "%q is not a UK postcode", v)
		}
	}
	return row
}

func latest(a, b calendar.Date) calendar.Date {
	if b.After(a) {
		return b
	}
	return a
}
