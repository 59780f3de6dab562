package webui

import (
	"errors"
	"net/url"
	"sort"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// formField is what the input, textarea and checkbox components need.
type formField struct {
	Name, ID, Label, Hint, Value, Error, Type, Class, Autocomplete string
	Rows                                                           int
}

// newField makes a form field from the submitted form and its errors.
// Field names follow the domain's field paths (complainant.name), so a
// domain error lands on the right field; ids swap dots for hyphens.
func newField(name, label, hint string, form url.Values, errs []fieldError) formField {
	f := formField{Name: name, ID: fieldID(name), Label: label, Hint: hint, Type: "text", Rows: 5}
	if form != nil {
		f.Value = form.Get(name)
	}
	for _, e := range errs {
		if e.Field == name {
			f.Error = e.Message
		}
	}
	return f
}

func fieldID(name string) string {
	r := strings.NewReplacer(".", "-", "[", "-", "]", "", "_", "-")
	return r.Replace(name)
}

// domainErrors turns a domain error into the error summary's entries: one
// per invalid field, or one for the whole form (a rule of the Code).
func domainErrors(err error, form string) ([]fieldError, bool) {
	var e *complaint.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	switch e.Code {
	case complaint.Invalid:
		var out []fieldError
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, fieldError{Field: k, Message: humanField(k) + " " + e.Fields[k]})
		}
		if len(out) == 0 {
			out = append(out, fieldError{Field: form, Message: e.Message})
		}
		return out, true
	case complaint.Conflict, complaint.Stale, complaint.Unavailable:
		return []fieldError{{Field: form, Message: capitalise(e.Message)}}, true
	}
	return nil, false
}

func humanField(k string) string {
	k = strings.NewReplacer("complainant.", "Complainant's ", "representative.", "Representative's ", "_", " ", ".", " ").Replace(k)
	return capitalise(k)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// commaList splits "a, b, c".
func commaList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
