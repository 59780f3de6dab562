package webui

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// formField is what the input, textarea and checkbox components need.
type formField struct {
	Name, ID, Label, Hint, Value, Error, Type, Class, Autocomplete string
	Rows                                                           int
	// Parts is a date field's day, month and year, for the Design
	// System's date input (the "dateInput" component).
	Parts dateParts
}

// secondaryAction is a case page action shown as a disclosure.
type secondaryAction struct {
	ID, Title string
	Open      bool
}

// clip shortens s to about n characters at a word, for a folded text's
// summary line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut <= 0 {
		cut = n
	}
	return s[:cut] + "…"
}

// newField makes a form field from the submitted form and its errors.
// Field names follow the domain's field paths (complainant.name), so a
// domain error lands on the right field; ids swap dots for hyphens.
func newField(name, label, hint string, form url.Values, errs []fieldError) formField {
	f := formField{Name: name, ID: fieldID(name), Label: label, Hint: hint, Type: "text", Rows: 5}
	if form != nil {
		f.Value = form.Get(name)
		f.Parts = partsOf(form, name)
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
// per invalid field, or one for the whole form (a rule of the Code). The
// messages speak to the officer in the page's words: a field is named as
// the page labels it (remedy 3, not remedies[2]).
func domainErrors(err error, form string) ([]fieldError, bool) {
	var e *complaint.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	switch e.Code {
	case complaint.Invalid, complaint.Conflict:
		// A rule about one field (the Ombudsman's details not given)
		// is shown on that field, as invalid input is.
		var out []fieldError
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, fieldError{Field: k, Message: fieldMessage(k, e.Fields[k])})
		}
		if len(out) == 0 {
			msg := e.Message
			if e.Code == complaint.Conflict {
				msg = capitalise(msg)
			}
			out = append(out, fieldError{Field: form, Message: msg})
		}
		return out, true
	case complaint.Stale:
		return []fieldError{{Field: form, Message: staleMessage}}, true
	case complaint.Unavailable:
		return []fieldError{{Field: form, Message: capitalise(e.Message)}}, true
	}
	return nil, false
}

// staleMessage is what an officer is told when someone else changed the
// case between their loading the page and submitting it: the page shows
// the case as it now is, with what they typed kept.
const staleMessage = "Someone else changed this case while you were working on it. What you typed is kept: check the case as it is now, then submit again"

// fieldLabels names the domain's fields as the case page labels them.
var fieldLabels = map[string]string{
	"ombudsman_details_given": "The Housing Ombudsman's contact details",
	"agreed_with_resident":    "The resident's agreement",
	"working_days":            "Working days to add",
	"respond_by":              "The response date agreed with the resident",
	"good_reason":             "The good reason",
	"points":                  "Points of complaint",
	"outcomes_sought":         "Outcomes the resident wants",
	"late_reason":             "Why a late request is accepted",
	"dissatisfied_at":         "The date the resident said they were dissatisfied",
	"aware_at":                "The date and time the landlord became aware",
	"received_at":             "The date and time it was received",
	"service_area":            "Service area",
	"tenancy_ref":             "Tenancy reference",
	"complainant":             "The resident's contact details",
}

// remedyParts names the parts of a remedy as the response form does.
var remedyParts = map[string]string{
	"kind": "kind", "description": "description", "amount_pence": "compensation amount",
	"compensation_kind": "kind of compensation", "owner": "owner", "due": "due date",
}

// fieldMessage is the message for field k with the domain's problem msg.
func fieldMessage(k, msg string) string {
	return humanField(k) + " " + msg
}

// humanField names a domain field path as the page labels it:
// decisions[0].reasons is "Reasons for point 1", remedies[2].due is
// "Remedy 3 due date".
func humanField(k string) string {
	if rest, ok := strings.CutPrefix(k, "decisions["); ok {
		i, tail, _ := strings.Cut(rest, "].")
		if n, err := strconv.Atoi(i); err == nil {
			if tail == "reasons" {
				return "Reasons for point " + strconv.Itoa(n+1)
			}
			return "The decision on point " + strconv.Itoa(n+1)
		}
	}
	if rest, ok := strings.CutPrefix(k, "remedies["); ok {
		i, tail, _ := strings.Cut(rest, "].")
		if n, err := strconv.Atoi(i); err == nil {
			part := remedyParts[tail]
			if part == "" {
				part = strings.ReplaceAll(tail, "_", " ")
			}
			return "Remedy " + strconv.Itoa(n+1) + " " + part
		}
	}
	if l, ok := fieldLabels[k]; ok {
		return l
	}
	if l, ok := ombudsmanField(k); ok {
		return l
	}
	if _, last, ok := strings.Cut(k, "."); ok {
		if l, ok := fieldLabels[last]; ok {
			k = strings.TrimSuffix(k, last) + lowerFirst(l)
		}
	}
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
