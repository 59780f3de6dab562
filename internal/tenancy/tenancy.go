// Package tenancy is the landlord's register of homes and tenancies, as
// its housing management system (Orchard, Northgate, Civica CX, MRI)
// knows them: each home with its address, postcode and UPRN, each tenancy
// with its reference, tenure, dates and the people on it. Complaints are
// matched to tenancies by it, and the homes by tenure that the Tenant
// Satisfaction Measures divide by can be counted from it. The package is
// pure: it reads and checks an export, and says what an import would do;
// the store applies it.
package tenancy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// Tenure is a tenancy's tenure, as housing management systems record it.
// It is finer than complaint.Tenure: a leaseholder who bought their flat
// outright is neither in low-cost rental nor in low-cost home ownership,
// and counts as "other" in the Regulator's measures.
type Tenure string

// The tenures.
const (
	LowCostRental        Tenure = "low_cost_rental"
	LowCostHomeOwnership Tenure = "low_cost_home_ownership"
	Leasehold            Tenure = "leasehold"
	Other                Tenure = "other"
)

// Tenures lists every tenure, in the order reports show them.
var Tenures = []Tenure{LowCostRental, LowCostHomeOwnership, Leasehold, Other}

// CaseTenure is the tenure a complaint from this tenancy is counted
// under in the Tenant Satisfaction Measures.
func (t Tenure) CaseTenure() complaint.Tenure {
	switch t {
	case LowCostRental, LowCostHomeOwnership:
		return complaint.Tenure(t)
	}
	return "other"
}

// Home is one property.
type Home struct {
	// Ref is the housing management system's property reference, the
	// key a re-import updates by.
	Ref string `json:"ref"`
	// UPRN is the Unique Property Reference Number, where known.
	UPRN     string   `json:"uprn,omitempty"`
	Address  []string `json:"address"`
	Postcode string   `json:"postcode"`
}

// Person is someone named on a tenancy.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Tenancy is one tenancy of one home.
type Tenancy struct {
	// Ref is the tenancy reference, the key a re-import updates by: a
	// tenancy reference imported again updates that tenancy, never adds a
	// second.
	Ref     string        `json:"ref"`
	HomeRef string        `json:"home_ref"`
	Tenure  Tenure        `json:"tenure"`
	Start   calendar.Date `json:"start"`
	// End is zero while the tenancy runs.
	End    calendar.Date `json:"end"`
	People []Person      `json:"people"`
}

// LiveOn reports whether the tenancy runs on d.
func (t Tenancy) LiveOn(d calendar.Date) bool {
	return !t.Start.After(d) && (t.End.IsZero() || !t.End.Before(d))
}

// Equal reports whether two tenancies hold the same facts, so that a
// re-import of an unchanged export changes nothing.
func (t Tenancy) Equal(u Tenancy) bool {
	return t.Ref == u.Ref && t.HomeRef == u.HomeRef && t.Tenure == u.Tenure && t.Start == u.Start && t.End == u.End &&
		slices.Equal(t.People, u.People)
}

// Equal reports whether two homes hold the same facts.
func (h Home) Equal(g Home) bool {
	return h.Ref == g.Ref && h.UPRN == g.UPRN && h.Postcode == g.Postcode && slices.Equal(h.Address, g.Address)
}

// postcodeShape is a UK postcode once spaces are removed: an outward code
// of two to four characters and an inward code of a digit and two
// letters.
var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$`)

// NormalPostcode returns a postcode as Royal Mail writes it (upper case,
// one space before the inward code), or false if it is not one.
func NormalPostcode(s string) (string, bool) {
	p := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if !postcodeShape.MatchString(p) {
		return "", false
	}
	return p[:len(p)-3] + " " + p[len(p)-3:], true
}

// NormalPhone returns a phone number's digits (with a leading + kept),
// so that "0191 000 0000" and "01910000000" match, or false if it holds
// anything but digits, spaces, brackets, dashes and a leading +.
func NormalPhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	if n := len(strings.TrimPrefix(d, "+")); n < 7 || n > 15 {
		return "", false
	}
	return d, true
}

// ParseDate reads a date as exports write them: 2026-04-01, or the
// British 01/04/2026.
func ParseDate(s string) (calendar.Date, error) {
	s = strings.TrimSpace(s)
	if d, err := calendar.ParseDate(s); err == nil {
		return d, nil
	}
	var day, month, year int
	if n, err := fmt.Sscanf(s, "%d/%d/%d", &day, &month, &year); err == nil && n == 3 && year >= 1900 && strings.Count(s, "/") == 2 {
		if d, err := calendar.ParseDate(fmt.Sprintf("%04d-%02d-%02d", year, month, day)); err == nil {
			return d, nil
		}
	}
	return calendar.Date{}, fmt.Errorf("%q is not a date such as 2026-04-01 or 01/04/2026", s)
}
