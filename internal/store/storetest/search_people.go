package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/store"
)

// testSearchPeople is issue 16, item 7: the case list's search finds a
// case by its reference (whole or its beginning, in any case), by the
// names of the people in it, by their emails whole or in part, by their
// phone numbers however they are spaced and whether written with +44,
// 0044 or the leading 0, and by its postcode however it is spaced or
// capitalised, as well as by its words as before. A confidential case is
// found only by those who may see it, however it is searched for.
func testSearchPeople(t *testing.T, s store.Store) {
	w := newWorld(t, "code-2024")
	at := w.now.Add(-3600e9)

	ada := complaintCmd("Leaking roof", at)
	ada.Complainant = complaint.Person{Name: "Ada Lovelace", Email: "Ada.Lovelace@Example.org", Phone: "07700 900123", Postcode: "SW1A 1AA"}
	a := w.create(t, s, ada)

	bo := complaintCmd("Noise from the flat above", at)
	bo.Complainant = complaint.Person{Name: "Bo Resident", Email: "bo@example.net", Phone: "+44 (0)161 496 0000", Postcode: "m1 1ae"}
	bo.Representative = &complaint.Representative{Name: "Cleo Advocate", Relationship: "advocate", ConsentRecorded: true,
		Email: "cleo@advice.example", Phone: "0113 496 0999"}
	b := w.create(t, s, bo)

	secretCmd := complaintCmd("About a staff member", at)
	secretCmd.Confidential = true
	secretCmd.Complainant = complaint.Person{Name: "Dee Hidden", Email: "dee.hidden@example.com", Phone: "020 7946 0018", Postcode: "E1 6AN"}
	secret := w.create(t, s, secretCmd) // logged by officer@example.org

	other := w.create(t, s, complaintCmd("Broken gate", at)) // Ada Resident, ada@example.org, SR3 3XR, no phone

	everyone := store.Viewer{Email: "admin@example.org", AllConfidential: true}
	search := func(t *testing.T, v store.Viewer, q string) []string {
		t.Helper()
		f := store.CaseFilter{Viewer: v, Q: q}
		found, _, err := s.ListCases(ctx, f)
		if err != nil {
			t.Fatalf("searching %q: %v", q, err)
		}
		got := refsOf(found)
		slices.Sort(got)
		if n, err := s.CountCases(ctx, f); err != nil || n != len(got) {
			t.Errorf("searching %q: CountCases = %d, %v; want %d, the cases listed", q, n, err, len(got))
		}
		return got
	}

	tests := []struct {
		name, q string
		want    []string
	}{
		{"a reference, whole", a.Reference, []string{a.Reference}},
		{"a reference in small letters", strings.ToLower(b.Reference), []string{b.Reference}},
		{"the beginning of a reference", other.Reference[:len(other.Reference)-1], []string{a.Reference, b.Reference, secret.Reference, other.Reference}},
		{"a surname", "lovelace", []string{a.Reference}},
		{"the beginnings of a name's words", "ad lovel", []string{a.Reference}},
		{"a representative's name", "Cleo Advocate", []string{b.Reference}},
		{"an email, whole", "ada.lovelace@example.org", []string{a.Reference}},
		{"an email in capitals", "ADA.LOVELACE@EXAMPLE.ORG", []string{a.Reference}},
		{"part of an email, within a word", "velace@exam", []string{a.Reference}},
		{"an email's domain", "example.net", []string{b.Reference}},
		{"a representative's email, in part", "@advice", []string{b.Reference}},
		{"a phone number as stored", "07700 900123", []string{a.Reference}},
		{"a phone number without spaces", "07700900123", []string{a.Reference}},
		{"a phone number with +44", "+44 7700 900123", []string{a.Reference}},
		{"a phone number with +44 and no spaces", "+447700900123", []string{a.Reference}},
		{"a phone number with 0044", "0044 7700 900123", []string{a.Reference}},
		{"a phone number with +44 (0)", "+44 (0)7700 900123", []string{a.Reference}},
		{"a phone number without its 0, spaced otherwise", "7700 900 123", []string{a.Reference}},
		{"a phone number's last digits", "900123", []string{a.Reference}},
		{"a number stored with +44 (0), typed nationally", "0161 496 0000", []string{b.Reference}},
		{"a number stored with +44 (0), typed with hyphens", "0161-496-0000", []string{b.Reference}},
		{"a representative's phone number", "01134960999", []string{b.Reference}},
		{"a postcode without its space", "sw1a1aa", []string{a.Reference}},
		{"a postcode as written", "SW1A 1AA", []string{a.Reference}},
		{"a postcode spaced otherwise", "sw1a1 aa", []string{a.Reference}},
		{"a postcode stored in small letters", "M1 1AE", []string{b.Reference}},
		{"words, as before", "roof", []string{a.Reference}},
		{"a phone number no case holds", "07700 900999", nil},
		{"a postcode no case holds", "zz9 9zz", nil},
		{"FTS syntax in a phone-like search is just text", `07700" NOT "zebra`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if got := search(t, everyone, tt.q); !slices.Equal(got, want) {
				t.Errorf("searching %q finds %q, want %q", tt.q, got, want)
			}
		})
	}

	// The confidential case: whoever it does not name never finds it, by
	// any of the ways it can be searched for; whoever logged it does.
	ways := []string{secret.Reference, strings.ToLower(secret.Reference), "Dee Hidden", "hidden", "dee.hidden@example.com",
		"hidden@exa", "020 7946 0018", "+44 20 7946 0018", "02079460018", "e16an", "E1 6AN", "staff"}
	for _, v := range []store.Viewer{{Email: "someone@example.org"}, {}} {
		for _, q := range ways {
			if got := search(t, v, q); slices.Contains(got, secret.Reference) {
				t.Errorf("%+v, who may not see %s, finds it searching %q", v, secret.Reference, q)
			}
		}
	}
	for _, v := range []store.Viewer{{Email: "Officer@Example.org"}, everyone} {
		for _, q := range ways {
			if got := search(t, v, q); !slices.Equal(got, []string{secret.Reference}) {
				t.Errorf("%+v, who may see %s, searching %q finds %q", v, secret.Reference, q, got)
			}
		}
	}

	// Corrected details replace what the case is found by: the old number
	// and postcode no longer find it, the new ones do.
	moved := complaint.Person{Name: "Ada Lovelace", Email: "ada.lovelace@example.org", Phone: "07700 900456", Postcode: "SW1A 2AA"}
	w.do(t, s, a.Reference, "officer@example.org", complaint.EditDetails{Complainant: &moved})
	for q, want := range map[string][]string{
		"07700900123": nil, "sw1a1aa": nil,
		"+44 7700 900456": {a.Reference}, "sw1a2aa": {a.Reference},
	} {
		if got := search(t, everyone, q); !slices.Equal(got, want) {
			t.Errorf("after correcting the details, searching %q finds %q, want %q", q, got, want)
		}
	}
}
