package tenancy

import (
	"cmp"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
)

// MatchedBy says how a contact was matched to a tenancy. The order of
// the constants is the order of trust: a tenancy reference the resident
// gave names one tenancy; an email or phone number may be shared by a
// household that moved; a postcode and a surname may be a neighbour's.
type MatchedBy string

// The ways a contact is matched to a tenancy, most trusted first.
const (
	ByReference    MatchedBy = "reference"
	ByEmail        MatchedBy = "email"
	ByPhone        MatchedBy = "phone"
	ByPostcodeName MatchedBy = "postcode_name"
)

// rank orders the ways of matching: lower is more trusted.
var rank = map[MatchedBy]int{ByReference: 0, ByEmail: 1, ByPhone: 2, ByPostcodeName: 3}

// MaxCandidates bounds the tenancies a contact is matched against and
// the matches returned: an officer chooses among a few, and a common
// surname in a large block of flats must not make every case's
// look-up read the whole postcode.
const MaxCandidates = 10

// Candidate is a tenancy a look-up found for a contact, with its home.
type Candidate struct {
	Tenancy Tenancy
	Home    Home
}

// Match is a candidate ranked: by what it matched the contact.
type Match struct {
	Candidate
	By MatchedBy
}

// Rank returns the candidates that match p, best first, each saying by
// what it matched: reference, then email, then phone, then postcode and
// name. A candidate that matches by none (a postcode shared with no name
// in common) is left out. Among equal matches, a tenancy running on
// today comes before one that has ended (a resident who moved home keeps
// their email), then the most recently started. At most MaxCandidates
// are returned.
func Rank(p complaint.Person, cands []Candidate, today calendar.Date) []Match {
	var out []Match
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.Tenancy.Ref] {
			continue
		}
		if by, ok := matchedBy(p, c); ok {
			seen[c.Tenancy.Ref] = true
			out = append(out, Match{Candidate: c, By: by})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		if d := cmp.Compare(rank[a.By], rank[b.By]); d != 0 {
			return d
		}
		if la, lb := a.Tenancy.LiveOn(today), b.Tenancy.LiveOn(today); la != lb {
			if la {
				return -1
			}
			return 1
		}
		if d := b.Tenancy.Start.Compare(a.Tenancy.Start); d != 0 {
			return d
		}
		return strings.Compare(a.Tenancy.Ref, b.Tenancy.Ref)
	})
	if len(out) > MaxCandidates {
		out = out[:MaxCandidates]
	}
	return out
}

// matchedBy returns the most trusted way c matches p.
func matchedBy(p complaint.Person, c Candidate) (MatchedBy, bool) {
	if r := RefKey(p.TenancyRef); r != "" && r == RefKey(c.Tenancy.Ref) {
		return ByReference, true
	}
	if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" &&
		slices.ContainsFunc(c.Tenancy.People, func(q Person) bool { return strings.ToLower(strings.TrimSpace(q.Email)) == e }) {
		return ByEmail, true
	}
	if ph := PhoneKey(p.Phone); ph != "" &&
		slices.ContainsFunc(c.Tenancy.People, func(q Person) bool { return PhoneKey(q.Phone) == ph }) {
		return ByPhone, true
	}
	if pc := PostcodeKey(p.Postcode); pc != "" && pc == PostcodeKey(c.Home.Postcode) &&
		slices.ContainsFunc(c.Tenancy.People, func(q Person) bool { return SameName(p.Name, q.Name) }) {
		return ByPostcodeName, true
	}
	return "", false
}

// RefKey is a tenancy reference as it is compared: capitals, no spaces,
// so that "t 000 123" typed from a letter finds T000123.
func RefKey(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// PostcodeKey is a postcode as it is compared: capitals, no spaces.
func PostcodeKey(s string) string { return RefKey(s) }

// PhoneKey is a phone number as it is compared: its digits, without the
// UK's international prefix (+44 or 0044) or its leading 0, so that
// "07700 900123" and "+44 7700 900123" are one number; a number abroad
// keeps its country code. It is the store's key for phone numbers, so
// that what the index finds, Rank agrees with; "" for no digits.
func PhoneKey(s string) string {
	s = strings.TrimSpace(s)
	abroad := strings.HasPrefix(s, "+")
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if !abroad && strings.HasPrefix(d, "00") {
		d, abroad = d[2:], true
	}
	if strings.HasPrefix(d, "44") && (abroad || len(d) >= 11) {
		d, abroad = d[2:], false
	}
	if !abroad {
		d = strings.TrimPrefix(d, "0")
	}
	return d
}

// SameName reports whether two names are the same person's for
// matching by postcode: the same words, case and spacing folded, or the
// same surname (the last word), since a form says "Mrs J. Smith" where
// the register says "Jane Smith". A name of one word matches only a name
// ending in that word.
func SameName(a, b string) bool {
	fa, fb := strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b))
	if len(fa) == 0 || len(fb) == 0 {
		return false
	}
	if slices.Equal(fa, fb) {
		return true
	}
	return strings.Trim(fa[len(fa)-1], ".,") == strings.Trim(fb[len(fb)-1], ".,")
}

// AddressText is a home's address, one line per part, for a case's
// complainant, who has one address field.
func (h Home) AddressText() string {
	var parts []string
	for _, l := range h.Address {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "\n")
}

// MatchFor is the match a case records for m: the tenancy, its home's
// address and postcode, and the tenure a complaint from it counts under.
// It is a suggestion until an officer confirms it.
func MatchFor(t Tenancy, h Home, by MatchedBy) complaint.TenancyMatch {
	return complaint.TenancyMatch{
		Ref: t.Ref, HomeRef: h.Ref, Tenure: t.Tenure.CaseTenure(), RegisterTenure: string(t.Tenure),
		Address: h.AddressText(), Postcode: h.Postcode, MatchedBy: string(by),
	}
}
