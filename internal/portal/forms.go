package portal

import (
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/web/view"
)

// formField is what the input, textarea and checkbox components need.
// Its name is its id, so an error summary link finds it.
type formField struct {
	Name, Label, Hint, Value, Error, Type, Class, Autocomplete string
	Rows                                                       int
	// Heading makes the label the page's heading, as on a question page
	// that asks one thing.
	Heading bool
	// Spellcheck is "false" for fields such as email addresses.
	Spellcheck string
}

// option is a radio or checkbox choice.
type option struct{ Value, Label, Hint string }

// choices is a set of radios or checkboxes as the components need them.
type choices struct {
	Name, Legend, Hint, Error string
	Heading                   bool
	Options                   []option
	Values                    []string
}

// Has reports whether v is chosen.
func (c choices) Has(v string) bool {
	for _, x := range c.Values {
		if x == v {
			return true
		}
	}
	return false
}

// ItemID is the id of an option's input: the first carries the group's
// name, so that the error summary's link to the group lands on it, as
// the Design System does.
func (c choices) ItemID(i int) string {
	if i == 0 {
		return c.Name
	}
	return c.Name + "-" + c.Options[i].Value
}

func errorFor(errs []fieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

func templateFuncs(a *view.Assets) template.FuncMap {
	return template.FuncMap{
		"asset": a.Path,
		"date":  formatDate,
		// field makes a text field from the page's values and errors.
		"field": func(p *page, name, label, hint string) formField {
			f := formField{Name: name, Label: label, Hint: hint, Type: "text", Rows: 5, Error: errorFor(p.Errors, name)}
			if v := p.Form[name]; len(v) > 0 {
				f.Value = v[0]
			}
			return f
		},
		"heading": func(f formField) formField { f.Heading = true; return f },
		"withType": func(f formField, typ, autocomplete string) formField {
			f.Type, f.Autocomplete = typ, autocomplete
			if typ == "email" {
				f.Spellcheck = "false"
			}
			return f
		},
		"withClass": func(f formField, class string) formField { f.Class = class; return f },
		"withRows":  func(f formField, n int) formField { f.Rows = n; return f },
		"withAutocomplete": func(f formField, ac string) formField {
			f.Autocomplete = ac
			return f
		},
		// choose makes radios or checkboxes from options given as
		// value, label, hint triples.
		"choose": func(p *page, name, legend, hint string, opts ...string) choices {
			c := choices{Name: name, Legend: legend, Hint: hint, Error: errorFor(p.Errors, name), Values: p.Form[name]}
			for i := 0; i+2 < len(opts); i += 3 {
				c.Options = append(c.Options, option{Value: opts[i], Label: opts[i+1], Hint: opts[i+2]})
			}
			return c
		},
		"headingChoices": func(c choices) choices { c.Heading = true; return c },
		"errorFor":       func(p *page, name string) string { return errorFor(p.Errors, name) },
		"value": func(p *page, name string) string {
			if v := p.Form[name]; len(v) > 0 {
				return v[0]
			}
			return ""
		},
		"adjustOptions": func() []option {
			return []option{
				{Value: "large_print", Label: "Letters in large print"},
				{Value: "plain_text", Label: "Emails in plain text, with no attachments"},
				{Value: "phone_call", Label: "A phone call to explain our reply"},
				{Value: "translation", Label: "A translation or an interpreter"},
				{Value: "named_contact", Label: "One named person to deal with"},
				{Value: "other", Label: "Something else"},
			}
		},
		"kb": func(n int64) string {
			if n >= 1<<20 {
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			}
			return fmt.Sprintf("%d KB", (n+1023)/1024)
		},
	}
}

func formatDate(v any) string {
	switch d := v.(type) {
	case calendar.Date:
		if d.IsZero() {
			return ""
		}
		return d.Start().Format("Monday 2 January 2006")
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.In(calendar.London).Format("2 January 2006")
	}
	return fmt.Sprint(v)
}

// checker collects the problems with a submitted form, in the order of
// its fields, one per field.
type checker struct {
	v    url.Values
	errs []fieldError
}

// get reads a field trimmed, without the control and bidi characters the
// case rules refuse: a resident who pastes text carrying them keeps their
// words, instead of meeting an error about characters they cannot see.
func (c *checker) get(name string) string {
	return strings.TrimSpace(complaint.CleanText(c.v.Get(name), true))
}

func (c *checker) fail(field, format string, args ...any) {
	if errorFor(c.errs, field) == "" {
		c.errs = append(c.errs, fieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// text reads a trimmed text field: required (with the message to show
// when empty) or not, at most max characters.
func (c *checker) text(name, what, required string, max int) string {
	s := c.get(name)
	switch {
	case s == "" && required != "":
		c.fail(name, "%s", required)
	case utf8.RuneCountInString(s) > max:
		c.fail(name, "%s must be %d characters or fewer", what, max)
	case !utf8.ValidString(s):
		c.fail(name, "%s has characters we cannot read", what)
	}
	return s
}

// choice reads a radio answer, which must be one of the values.
func (c *checker) choice(name, required string, values ...string) string {
	s := c.get(name)
	for _, v := range values {
		if s == v {
			return s
		}
	}
	c.fail(name, "%s", required)
	return ""
}

// email reads an optional email address.
func (c *checker) email(name string) string {
	s := c.text(name, "Email address", "", 200)
	if s != "" && !validEmail(s) {
		c.fail(name, "Enter an email address in the correct format, like name@example.com")
	}
	return s
}

// phone reads an optional telephone number.
func (c *checker) phone(name string) string {
	s := c.text(name, "Telephone number", "", 30)
	if s == "" {
		return s
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-", r):
		default:
			digits = -100
		}
	}
	if digits < 10 || digits > 15 {
		c.fail(name, "Enter a telephone number, like 01632 960 001 or 07700 900 982")
	}
	return s
}

var postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`)

// postcode reads an optional UK postcode and writes it in capitals with
// one space.
func (c *checker) postcode(name string) string {
	s := strings.ToUpper(strings.Join(strings.Fields(c.get(name)), ""))
	if s == "" {
		return ""
	}
	if len(s) > 4 {
		s = s[:len(s)-3] + " " + s[len(s)-3:]
	}
	if !postcodeRE.MatchString(s) {
		c.fail(name, "Enter a full UK postcode, like AA1 1AA")
		return ""
	}
	return s
}

// validEmail reports whether s is a plain email address, as the domain
// checks it.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
