package letters

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redresshq/redress/internal/clock"
	"github.com/redresshq/redress/internal/complaint"
)

func defaultSource(t *testing.T, kind Kind) string {
	t.Helper()
	tm, err := DefaultTemplate(kind)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Source()
}

func TestEveryBuiltInTemplateIsAcceptedAndSmall(t *testing.T) {
	for _, k := range Kinds {
		src := defaultSource(t, k)
		if _, err := ParseTemplate(k, src); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if len(src) > MaxTemplateSize/2 {
			t.Errorf("%s: the built-in template is %d bytes, leaving landlords little room under the %d limit", k, len(src), MaxTemplateSize)
		}
		if k.Title() == "" || kindInfo[k].subject == "" {
			t.Errorf("%s has no title or subject", k)
		}
	}
}

// TestParseTemplateRefusesABadTemplateWhenSaved: every way a template can
// go wrong is caught by ParseTemplate, with a message naming the line or
// the element, and the error is an invalid-input error.
func TestParseTemplateRefusesABadTemplateWhenSaved(t *testing.T) {
	stage2 := defaultSource(t, Stage2Response)
	tests := []struct {
		name    string
		kind    Kind
		source  string
		line    int
		message string
	}{
		{"a parse error", Acknowledgement, "{{.Salutation}},\n\nThank you.\n{{if .Points}}\nNo end.\n", 6, "unexpected EOF"},
		{"an unclosed action", Acknowledgement, "{{.Salutation}},\n\n{{.Points\n", 3, "unclosed action"},
		{"an unknown field", Acknowledgement, "{{.Salutation}},\n\nWe will reply by {{.ReplyBy}}.\n", 3, "can't evaluate field ReplyBy"},
		{"an unknown function", Acknowledgement, "{{.Salutation}},\n{{readFile \"/etc/passwd\"}}\n", 2, `function "readFile" not defined`},
		{"a call of itself", Acknowledgement, "{{define \"x\"}}{{template \"x\" .}}{{end}}\n{{template \"x\" .}}", 1, `template "x" calls "x", which leads back to itself`},
		{"calls that go round in a circle", Acknowledgement, "{{define \"a\"}}\n{{template \"b\" .}}{{end}}{{define \"b\"}}\n\n{{template \"a\" .}}{{end}}{{template \"a\" .}}", 0, "which leads back to itself"},
		{"a call of a template that is not there", Acknowledgement, "{{.Salutation}}\n{{template \"footer\" .}}", 2, `it calls template "footer", which is not defined`},
		{"huge output", Acknowledgement, "{{range 1000000}}{{$.Ombudsman}}{{end}}", 0, "KB of text: is something repeated in a loop?"},
		{"a string doubled in a loop", Acknowledgement, "{{$s := .Ombudsman}}\n{{range 60}}{{$s = print $s $s}}{{end}}", 2, "KB of text: is something repeated in a loop?"},
		{"a string doubled by printf", Acknowledgement, "{{$s := .Ombudsman}}{{range 60}}{{$s = printf \"%s%s\" $s $s}}{{end}}", 1, "KB of text: is something repeated in a loop?"},
		{"a string doubled by js", Acknowledgement, "{{$s := \"\\\\\"}}{{range 60}}{{$s = js $s}}{{end}}", 1, "KB of text: is something repeated in a loop?"},
		{"a runaway loop that writes nothing", Acknowledgement, "{{.Salutation}}\n{{range 1000000000}}{{range 1000000000}}{{end}}{{end}}", 2, "it takes more than 100000 steps"},
		{"a loop over an amount of money", Stage1Response, "{{range .Remedies}}{{$a := .Amount}}{{range $a}}{{range $a}}{{end}}{{end}}{{end}}", 1, "it takes more than 100000 steps"},
		{"unbounded padding after an argument index", Acknowledgement, "{{printf \"%[1]999999999d\" 1}}", 1, "printf width or precision"},
		{"unbounded padding", Acknowledgement, "{{printf \"%999999999d\" 1}}", 1, "printf width or precision"},
		{"too big", Acknowledgement, strings.Repeat("Thank you for your complaint. ", 1000), 0, "at most 20 KB is allowed"},
		{"empty", Acknowledgement, " \n", 0, "it is empty"},
		{"no Ombudsman details", Stage2Response, strings.ReplaceAll(stage2, "{{.Ombudsman}}", "the Ombudsman"), 0, "the Housing Ombudsman's contact details are missing"},
		{"no decisions", Stage2Response, strings.ReplaceAll(stage2, "Our decision: {{.Decision}}.", ""), 0, "the decision on point 1"},
		{"the definition only when there is a representative", Acknowledgement, strings.Replace(defaultSource(t, Acknowledgement),
			"{{range .Points}}\n- Point {{.Number}}: {{.Text}}\n{{- end}}",
			"{{if .Representative.Name}}{{range .Points}}\n- Point {{.Number}}: {{.Text}}\n{{- end}}{{end}}", 1), 0, "point 1 of the complaint definition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := clock.Wall()
			tm, err := ParseTemplate(tt.kind, tt.source)
			if elapsed := clock.Wall().Sub(start); elapsed > 5*time.Second {
				t.Errorf("ParseTemplate took %v", elapsed)
			}
			if err == nil {
				t.Fatalf("ParseTemplate accepted the template: %v", tm.Source())
			}
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error %T %v, want a *TemplateError", err, err)
			}
			if te.Kind != tt.kind || (tt.line != 0 && te.Line != tt.line) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error = %v (line %d)\nwant line %d and %q", err, te.Line, tt.line, tt.message)
			}
			if complaint.ErrorCode(err) != complaint.Invalid {
				t.Errorf("error code = %s, want invalid", complaint.ErrorCode(err))
			}
		})
	}
}

func TestALandlordsRewordedTemplateDraftsLetters(t *testing.T) {
	f := newFixture(t, "code-2024")
	src := strings.Replace(defaultSource(t, Stage1Response), "Thank you for your patience while we looked into it.", "Thanks for bearing with us, {{.Resident}}.", 1)
	src = strings.Replace(src, "Complaints team", "{{upper \"Customer Voice\"}} team, {{list .Landlord.Contact}}", 1)
	tm, err := ParseTemplate(Stage1Response, src)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Draft(Stage1Response, f.responded(), f.p, f.cal, letterhead, tm, day("2027-01-05"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Thanks for bearing with us, Margaret Pemberton.", "CUSTOMER VOICE team, Telephone 0300 123 4567 and Email complaints@riversidevale.example"} {
		if !strings.Contains(l.Body, want) {
			t.Errorf("the letter lacks %q:\n%s", want, l.Body)
		}
	}
	if _, err := Draft(Acknowledgement, f.responded(), f.p, f.cal, letterhead, tm, day("2027-01-05")); err == nil {
		t.Error("a stage 1 response template drafted an acknowledgement")
	}
}

func TestTemplateErrorsAtDraftTimeNameTheLine(t *testing.T) {
	// A template can pass the samples and still fail on a case the samples
	// do not cover: here, a case with fewer than three points.
	src := defaultSource(t, Acknowledgement) + "\n{{with index .Points 2}}{{.Text}}{{end}}\n"
	tm, err := ParseTemplate(Acknowledgement, src)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, "code-2024")
	c := f.do(f.received(), "2026-12-23 10:00", officer, complaint.Acknowledge{Points: []string{"Boiler"}})
	_, err = Draft(Acknowledgement, c, f.p, f.cal, letterhead, tm, day("2026-12-23"))
	var te *TemplateError
	if !errors.As(err, &te) || te.Line != strings.Count(src, "\n") || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("error = %v, want a template error on line %d", err, strings.Count(src, "\n"))
	}
}
