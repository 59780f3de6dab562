package webui

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/money"
	"github.com/redresshq/redress/internal/policy"
	"github.com/redresshq/redress/internal/report"
	"github.com/redresshq/redress/internal/web/view"
)

// option is a radio or select choice.
type option struct{ Value, Label string }

// tenureOptions are the tenures as people read them.
var tenureOptions = []option{{"low_cost_rental", "Low-cost rental"}, {"low_cost_home_ownership", "Low-cost home ownership"}, {"other", "Other"}, {"", "Not known"}}

// templateFuncsFor are the helpers templates may call. They build view
// data; none of them holds a rule. The policy gives the landlord's own
// names for its kinds of contact (issue 12, rule 10: staff read "Own it,
// fix it", not "Service request", because that is what their documents
// and their residents call it); nil shows the plain names.
func templateFuncsFor(a *view.Assets, p *policy.Policy) template.FuncMap {
	kindName := kindNamer(p)
	return template.FuncMap{
		// kindName shows a kind of contact under the policy's name for
		// it, falling back to the plain name.
		"kindName": kindName,
		"asset":    a.Path,
		"date":     formatDate,
		"time":     formatTime,
		"pounds":   func(pence int64) string { return money.Pence(pence).Fixed() },
		"join":     joinStrings,
		"field":    newField,
		"picks":    func(f formField, c []picklistChoice) pickedField { return pickedField{f, c} },
		"fieldID":  fieldID,
		"add":      func(a, b int) int { return a + b },
		// paragraphs splits text people typed at its blank lines.
		"paragraphs": paragraphs,
		"lowerFirst": lowerFirst,
		"clip":       clip,
		// secondary names a secondary action on the case page: its
		// disclosure's id and title, open when its form was just sent.
		"secondary": func(id, title, active string) secondaryAction {
			return secondaryAction{ID: id, Title: title, Open: id == active || strings.HasPrefix(id, "milestone-") && active == "milestone"}
		},
		"kb": func(n int64) string { return fmt.Sprintf("%d KB", (n+1023)/1024) },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"title": report.Words,
		// restrictions.go: a restriction's channels, and a form's checkbox.
		"channelList": channelList, "hasValue": hasValue,
		"navItem": func(current, key, href, text string) map[string]any {
			return map[string]any{"Current": current == key, "Href": href, "Text": text}
		},
		"withType": func(f formField, typ, autocomplete string) formField {
			f.Type, f.Autocomplete = typ, autocomplete
			return f
		},
		"withClass": withClass,
		"rows":      rows,
		"table": func(caption string, rows []dueRow) map[string]any {
			return map[string]any{"Caption": caption, "Rows": rows}
		},
		"dueTag": func(r dueRow) deadlineRow { return deadlineRow{Open: !r.Due.IsZero(), DaysLeft: r.DaysLeft} },
		"kinds": func() []option {
			opts := []option{
				{"complaint", "Complaint: the resident is unhappy with a service, an action or a lack of action"},
				{"service_request", "Service request: a request to put something right"},
				{"compliment", "Compliment"}, {"suggestion", "Suggestion"},
				{"feedback", "Feedback about a policy or service"}, {"enquiry", "Enquiry"},
				{"member_enquiry", "Member enquiry: an MP or councillor asks on a resident's behalf"},
			}
			// A kind the policy names differently is offered under its
			// name, with the plain name beside it so that staff moving
			// between landlords still know what it is.
			for i, o := range opts {
				if name := kindName(o.Value); name != report.Words(o.Value) {
					plain, rest, _ := strings.Cut(o.Label, ":")
					opts[i].Label = name + " (" + strings.ToLower(plain) + ")"
					if rest != "" {
						opts[i].Label += ":" + rest
					}
				}
			}
			return opts
		},
		"tenure": func(t string) string {
			for _, o := range tenureOptions {
				if o.Value == t {
					return o.Label
				}
			}
			return report.Words(t)
		},
		"tenures": func() []option {
			return tenureOptions
		},
		// How the resident wants to be answered (response_method.go).
		"responseMethods":     func() []option { return responseMethodOptions },
		"responseMethod":      responseMethodLabel,
		"contactWayFor":       contactWayFor,
		"responseMethodField": responseMethodField,
		"offices":             func() []option { return officeOptions },
		"withValue":           withValue,
		"matchedBy":           matchedBy,
		// cf makes a field of one case page form: its id carries the
		// form's name (the page has many forms), and it shows what was
		// typed and its error only for the form just sent.
		"cf": func(form, name, label, hint, active string, values url.Values, errs []fieldError) formField {
			f := formField{Name: name, ID: fieldID(form + "-" + name), Label: label, Hint: hint, Type: "text", Rows: 5}
			if form == active {
				f.Value = values.Get(name)
				f.Parts = partsOf(values, name)
				for _, e := range errs {
					if e.Field == form+"."+name {
						f.Error = e.Message
					}
				}
			}
			return f
		},
		"formCtx": func(c complaint.Case, name string) map[string]any { return map[string]any{"Case": c, "Name": name} },
		"fieldMap": func(name, label, hint string, values map[string]string, errs []fieldError) formField {
			v := url.Values{}
			if s, ok := values[name]; ok {
				v.Set(name, s)
			}
			return newField(name, label, hint, v, errs)
		},
		"overdueForm": func(q url.Values) url.Values {
			if q.Get("overdue") == "true" || q.Get("overdue") == "yes" {
				return url.Values{"overdue": {"yes"}}
			}
			return nil
		},
	}
}

// kindNamer returns the function that names a kind of contact (a
// complaint.Kind or its string) for staff: the policy's own name where it
// lists the kind and names it, else the plain name ("Service request").
func kindNamer(p *policy.Policy) func(kind any) string {
	return func(kind any) string {
		k := fmt.Sprint(kind)
		if p != nil {
			if name, ok := p.KindName(k); ok && strings.TrimSpace(name) != "" {
				return name
			}
		}
		return report.Words(k)
	}
}

// paragraphs splits text at blank lines, trimming each paragraph.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
