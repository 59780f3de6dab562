package sar

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/redresshq/redress/internal/store"
)

// Redacted stands in the export's copies for a detail of someone other
// than the person it is for.
const Redacted = "[redacted: another person]"

// redactor takes other people's details out of text. UK GDPR Art. 15(4)
// says the right to a copy "shall not adversely affect the rights and
// freedoms of others", so every name, email address, phone number,
// postal address, postcode and tenancy reference of anyone the included
// cases name besides the person and the landlord's staff is replaced
// wherever it appears in what the export copies: the case, its events,
// notes, letters' text and emails. Names are also taken out word by
// word (a surname alone in a note), except words the person's own names
// share, so that a relative's surname does not blank the person's own.
// It errs towards taking out too much: a word that is also another
// person's name is taken out wherever it is written with a capital.
type redactor struct {
	re *regexp.Regexp
	// own are the person's own details, in small letters, never
	// redacted even where another person shares them (a household's
	// postcode).
	own map[string]bool
}

func newRedactor(own, others []party) *redactor {
	r := &redactor{own: map[string]bool{}}
	ownWords := map[string]bool{}
	for _, p := range own {
		for _, v := range []string{p.Name, p.Email, p.Phone, p.Address, p.Postcode, p.Tenancy} {
			if v = strings.TrimSpace(v); v != "" {
				r.own[strings.ToLower(v)] = true
			}
		}
		for _, w := range strings.FieldsFunc(p.Name, notNameRune) {
			ownWords[strings.ToLower(w)] = true
		}
	}
	var whole, words, phones []string
	for _, p := range others {
		for _, v := range []string{p.Name, p.Email, p.Address, p.Postcode, p.Tenancy} {
			v = strings.TrimSpace(v)
			if len([]rune(v)) < 2 || r.own[strings.ToLower(v)] {
				continue
			}
			whole = append(whole, literal(v))
		}
		if pc := strings.Join(strings.Fields(p.Postcode), ""); len(pc) >= 5 && !r.own[strings.ToLower(p.Postcode)] {
			// A postcode however it is spaced.
			var parts []string
			for _, c := range pc {
				parts = append(parts, regexp.QuoteMeta(string(c)))
			}
			whole = append(whole, `\b`+strings.Join(parts, `\s*`)+`\b`)
		}
		for _, w := range strings.FieldsFunc(p.Name, notNameRune) {
			if len([]rune(w)) >= 3 && !ownWords[strings.ToLower(w)] {
				words = append(words, `\b`+regexp.QuoteMeta(w)+`\b`)
			}
		}
		if k := store.PhoneKey(p.Phone); len(k) >= minPhoneDigits && !r.own[strings.ToLower(strings.TrimSpace(p.Phone))] {
			// The number however it is written: spaced, with +44,
			// 0044, (0) or its leading 0 (store.PhoneKey's forms).
			var ds []string
			for _, c := range k {
				ds = append(ds, string(c))
			}
			phones = append(phones, `(?:(?:\+|00)\s*44\s*(?:\(0\)\s*)?|0)?`+strings.Join(ds, `[\s\-().]*`))
		}
	}
	if len(whole)+len(words)+len(phones) == 0 {
		return r
	}
	// Longest first, so that a whole name goes before its words.
	slices.SortFunc(whole, func(a, b string) int { return len(b) - len(a) })
	var alts []string
	if len(whole) > 0 {
		alts = append(alts, `(?i:`+strings.Join(whole, `|`)+`)`)
	}
	alts = append(alts, phones...)
	alts = append(alts, words...)
	r.re = regexp.MustCompile(strings.Join(alts, `|`))
	return r
}

// literal matches v as written, in any case, and not inside a longer
// word where it begins or ends with a letter or digit.
func literal(v string) string {
	q := regexp.QuoteMeta(v)
	rs := []rune(v)
	if isWord(rs[0]) {
		q = `\b` + q
	}
	if isWord(rs[len(rs)-1]) {
		q += `\b`
	}
	return q
}

func isWord(r rune) bool { return r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

func notNameRune(r rune) bool { return !(unicode.IsLetter(r) || r == '\'' || r == '-') }

// text returns s with other people's details replaced.
func (r *redactor) text(s string) string {
	if r.re == nil || s == "" {
		return s
	}
	return r.re.ReplaceAllString(s, Redacted)
}

// unredacted are the fields that hold hashes: never anyone's details,
// and hex long enough that a short phone number could turn up in it by
// chance.
var unredacted = map[string]bool{"hash": true, "prev_hash": true, "sha256": true}

// value redacts every string within v, a value as encoding/json decodes
// into any, keys left alone: keys are the record's field names.
func (r *redactor) value(v any) any {
	switch x := v.(type) {
	case string:
		return r.text(x)
	case []any:
		for i := range x {
			x[i] = r.value(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			if !unredacted[k] {
				x[k] = r.value(x[k])
			}
		}
		return x
	}
	return v
}

// json encodes v as indented JSON with every string redacted.
func (r *redactor) json(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, err
	}
	return json.MarshalIndent(r.value(generic), "", "  ")
}
