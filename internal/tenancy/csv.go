package tenancy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
)

// Column is one of the columns an import reads.
type Column struct {
	Name     string
	Required bool
	Help     string
}

// Columns are the columns of a homes file, one row per person on a
// tenancy: a joint tenancy is two rows with the same tenancy_ref, and
// the home's and the tenancy's columns must agree between them.
var Columns = []Column{
	{"home_ref", true, "the property reference in the housing management system"},
	{"uprn", false, "the Unique Property Reference Number, where known"},
	{"address_1", true, "the first line of the address"},
	{"address_2", false, "the second line of the address"},
	{"address_3", false, "the third line of the address"},
	{"town", false, "the town or city"},
	{"postcode", true, "the postcode"},
	{"tenancy_ref", true, "the tenancy reference"},
	{"tenure", true, "low_cost_rental, low_cost_home_ownership, leasehold or other (general needs, social rent, affordable rent, supported housing and shared ownership are read too)"},
	{"tenancy_start", true, "the day the tenancy started, 2026-04-01 or 01/04/2026"},
	{"tenancy_end", false, "the day it ended; empty while it runs"},
	{"name", true, "the name of a person on the tenancy"},
	{"email", false, "their email address"},
	{"phone", false, "their phone number"},
}

// Template is the first line of a homes file, for a landlord to start
// from.
func Template() string {
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ",") + "\n"
}

// tenureWords are the tenures' names as exports write them.
var tenureWords = map[string]Tenure{
	"low_cost_rental": LowCostRental, "low cost rental": LowCostRental, "general needs": LowCostRental,
	"social rent": LowCostRental, "affordable rent": LowCostRental, "supported housing": LowCostRental,
	"housing for older people": LowCostRental,
	"low_cost_home_ownership":  LowCostHomeOwnership, "low cost home ownership": LowCostHomeOwnership,
	"shared ownership": LowCostHomeOwnership,
	"leasehold":        Leasehold, "other": Other,
}

// ParseTenure reads a tenure as exports write it.
func ParseTenure(s string) (Tenure, error) {
	if t, ok := tenureWords[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		return t, nil
	}
	return "", fmt.Errorf("%q is not a tenure: want low_cost_rental, low_cost_home_ownership, leasehold or other", s)
}

// RowError is a problem with one cell (or row) of a file.
type RowError struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Message)
}

// File is a homes file read and checked.
type File struct {
	Homes     []Home
	Tenancies []Tenancy
	// Lines says on which line each home and tenancy was first read, for
	// the import's report.
	HomeLines, TenancyLines map[string]int
	Errors                  []RowError
	Rows                    int
}

// Mapping maps each column to the header the landlord's export gives it,
// where the two differ (tenancy_ref to "Tenancy No", say). Headers match
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
			return nil, fmt.Errorf("%q is not column=header, such as tenancy_ref=Tenancy No", pair)
		}
		if !slices.ContainsFunc(Columns, func(c Column) bool { return c.Name == col }) {
			return nil, fmt.Errorf("%q is not a column of a homes file", col)
		}
		m[col] = header
	}
	return m, nil
}

func fold(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "", "\ufeff", "").Replace(s))
}

// ReadCSV reads a homes file. Every problem is kept as a RowError naming
// its line and column; a file that cannot be read as CSV at all, or lacks
// a required column, is an error. progress, if not nil, is called with
// the rows read so far every 1,000 rows and at the end.
func ReadCSV(r io.Reader, m Mapping, progress func(rows int)) (*File, error) {
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
	f := &File{HomeLines: map[string]int{}, TenancyLines: map[string]int{}}
	homes := map[string]int{}     // ref -> index in f.Homes
	tenancies := map[string]int{} // ref -> index in f.Tenancies
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
			f.Rows++
			f.Errors = append(f.Errors, RowError{Line: line, Message: fmt.Sprintf("has %d cells, and the first line names %d columns: wrong number of fields", len(rec), len(header))})
			continue
		}
		line, _ := cr.FieldPos(0)
		f.Rows++
		if progress != nil && f.Rows%1000 == 0 {
			progress(f.Rows)
		}
		row := rowReader{rec: rec, index: index, line: line}
		h, t := row.read()
		if len(row.errs) > 0 {
			f.Errors = append(f.Errors, row.errs...)
			continue
		}
		if i, ok := homes[h.Ref]; ok {
			if !f.Homes[i].Equal(h) {
				f.Errors = append(f.Errors, RowError{line, "home_ref", fmt.Sprintf("home %s has another address, postcode or UPRN on line %d", h.Ref, f.HomeLines[h.Ref])})
				continue
			}
		} else {
			homes[h.Ref] = len(f.Homes)
			f.Homes = append(f.Homes, h)
			f.HomeLines[h.Ref] = line
		}
		if i, ok := tenancies[t.Ref]; ok {
			prev := &f.Tenancies[i]
			if prev.HomeRef != t.HomeRef || prev.Tenure != t.Tenure || prev.Start != t.Start || prev.End != t.End {
				f.Errors = append(f.Errors, RowError{line, "tenancy_ref", fmt.Sprintf("tenancy %s has another home, tenure or dates on line %d", t.Ref, f.TenancyLines[t.Ref])})
				continue
			}
			if !slices.Contains(prev.People, t.People[0]) {
				prev.People = append(prev.People, t.People[0])
			}
			continue
		}
		tenancies[t.Ref] = len(f.Tenancies)
		f.Tenancies = append(f.Tenancies, t)
		f.TenancyLines[t.Ref] = line
	}
	if progress != nil {
		progress(f.Rows)
	}
	return f, nil
}

// rowReader reads one row's cells, keeping a RowError for each bad one.
type rowReader struct {
	rec   []string
	index map[string]int
	line  int
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

// required returns a cell that must not be empty, at most max runes.
func (r *rowReader) required(col string, max int) string {
	v := r.cell(col)
	if v == "" {
		r.fail(col, "is empty; it is required")
	}
	return r.limit(col, v, max)
}

func (r *rowReader) limit(col, v string, max int) string {
	if len([]rune(v)) > max {
		r.fail(col, "is longer than %d characters", max)
	}
	return v
}

func (r *rowReader) read() (Home, Tenancy) {
	h := Home{Ref: r.required("home_ref", 64), UPRN: r.cell("uprn")}
	if h.UPRN != "" && (len(h.UPRN) > 12 || strings.Trim(h.UPRN, "0123456789") != "") {
		r.fail("uprn", "%q is not a UPRN: up to 12 digits", h.UPRN)
	}
	h.Address = append(h.Address, r.required("address_1", 200))
	for _, col := range []string{"address_2", "address_3", "town"} {
		if v := r.limit(col, r.cell(col), 200); v != "" {
			h.Address = append(h.Address, v)
		}
	}
	if pc := r.required("postcode", 200); pc != "" {
		if n, ok := NormalPostcode(pc); ok {
			h.Postcode = n
		} else {
			r.fail("postcode", "%q is not a UK postcode", pc)
		}
	}
	t := Tenancy{Ref: r.required("tenancy_ref", 64), HomeRef: h.Ref}
	if v := r.required("tenure", 64); v != "" {
		var err error
		if t.Tenure, err = ParseTenure(v); err != nil {
			r.fail("tenure", "%v", err)
		}
	}
	if v := r.required("tenancy_start", 20); v != "" {
		var err error
		if t.Start, err = ParseDate(v); err != nil {
			r.fail("tenancy_start", "%v", err)
		}
	}
	if v := r.cell("tenancy_end"); v != "" {
		var err error
		if t.End, err = ParseDate(v); err != nil {
			r.fail("tenancy_end", "%v", err)
		} else if !t.Start.IsZero() && t.End.Before(t.Start) {
			r.fail("tenancy_end", "%s is before the tenancy started (%s)", t.End, t.Start)
		}
	}
	p := Person{Name: r.required("name", 200)}
	if v := r.limit("email", r.cell("email"), 254); v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			r.fail("email", "%q is not an email address", v)
		} else {
			p.Email = strings.ToLower(v)
		}
	}
	if v := r.cell("phone"); v != "" {
		if n, ok := NormalPhone(v); ok {
			p.Phone = n
		} else {
			r.fail("phone", "%q is not a phone number", v)
		}
	}
	t.People = []Person{p}
	return h, t
}
