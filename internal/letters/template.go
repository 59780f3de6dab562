package letters

import (
	"embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/redresshq/redress/internal/complaint"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// Limits on a template. A landlord's template is code that runs every time
// a letter is drafted, so what it may do is bounded four ways: its source
// size; the steps it may take (each turn of a {{range}} and each call of a
// template is a step, so a loop over a huge number stops); the size of
// what it writes; and the size of any string its functions make (see
// funcs). With those bounds no timeout is needed.
const (
	// MaxTemplateSize is the largest template source accepted, in bytes.
	MaxTemplateSize = 20 << 10
	// maxOutput is the most a template may write, in bytes, beyond four
	// times the text of the data itself: a letter that quotes a long
	// complaint in full is long for a good reason.
	maxOutput = 100 << 10
	// maxSteps is the most loop turns and template calls one execution
	// may take. A letter about 50 points and 50 remedies takes a few
	// hundred.
	maxSteps = 100_000
	// maxWidth bounds the width and precision printf may pad to, which
	// would otherwise build a string of any size before it is written.
	maxWidth = 200
)

// tickFunc is the function the sandbox calls at every step. A template that
// calls it itself only uses up its own steps.
const tickFunc = "step"

var (
	errTooLong     = errors.New("too long")
	errTooMuchWork = errors.New("too much work")
)

// Template is a parsed, checked letter template for one kind of letter.
// It is safe for concurrent use.
type Template struct {
	kind   Kind
	source string
	tmpl   *template.Template
}

// Kind is the kind of letter the template writes.
func (t *Template) Kind() Kind { return t.kind }

// Source is the template's text, as the landlord wrote it.
func (t *Template) Source() string { return t.source }

// TemplateError says why a template was refused or failed. It unwraps to a
// complaint.Error with code invalid, so that it reaches a person as a
// problem with what they typed.
type TemplateError struct {
	Kind Kind
	// Line is the line of the template the problem is on, or 0.
	Line    int
	Message string
	// Missing lists what the template's letter leaves out that the Code
	// requires, when that is the problem.
	Missing []Missing
}

// Error names the template, the line and the problem, and lists what is
// missing.
func (e *TemplateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the %s template", e.Kind.Title())
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	b.WriteString(": " + e.Message)
	for i, m := range e.Missing {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + m.Message)
	}
	return b.String()
}

// Unwrap returns the error as Redress's one error model.
func (e *TemplateError) Unwrap() error {
	return &complaint.Error{Code: complaint.Invalid, Message: e.Error()}
}

// funcs returns the functions a template may call besides text/template's
// built-ins: pure formatting of the values passed to them. Every function
// that makes a string is bounded to limit bytes, the built-ins that make
// strings (print, println, printf, html, js and urlquery) included, which
// these replace: otherwise a template could double a string in a variable
// in a loop and run out of memory without writing a byte. printf also
// refuses large padding, which would do the same in one call. step is
// replaced at each execution by the step counter.
func funcs(limit int) template.FuncMap {
	bound := func(s string) (string, error) {
		if len(s) > limit {
			return "", fmt.Errorf("%w: a value of %d KB", errTooLong, len(s)>>10)
		}
		return s, nil
	}
	return template.FuncMap{
		"join":     func(items []string, sep string) (string, error) { return bound(strings.Join(items, sep)) },
		"list":     func(items []string) (string, error) { return bound(list(items)) },
		"plural":   plural,
		"lower":    func(s string) (string, error) { return bound(strings.ToLower(s)) },
		"upper":    func(s string) (string, error) { return bound(strings.ToUpper(s)) },
		"print":    func(args ...any) (string, error) { return bound(fmt.Sprint(args...)) },
		"println":  func(args ...any) (string, error) { return bound(fmt.Sprintln(args...)) },
		"html":     func(args ...any) (string, error) { return bound(template.HTMLEscaper(args...)) },
		"js":       func(args ...any) (string, error) { return bound(template.JSEscaper(args...)) },
		"urlquery": func(args ...any) (string, error) { return bound(template.URLQueryEscaper(args...)) },
		"printf": func(format string, args ...any) (string, error) {
			s, err := printf(format, args...)
			if err != nil {
				return "", err
			}
			return bound(s)
		},
		tickFunc: func() string { return "" },
	}
}

// list joins items as a sentence does: "a", "a and b", "a, b and c".
func list(items []string) string {
	switch n := len(items); n {
	case 0:
		return ""
	case 1:
		return items[0]
	default:
		return strings.Join(items[:n-1], ", ") + " and " + items[n-1]
	}
}

// plural returns n and the word for it: "1 working day", "3 working days".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

var (
	widthRE    = regexp.MustCompile(`%[-+# 0]*(\*|\d+)?(?:\.(\*|\d+))?`)
	argIndexRE = regexp.MustCompile(`\[\d*\]`)
)

// printf is fmt.Sprintf without unbounded padding. Argument indexes such
// as %[1]d are dropped before the widths are read, since a width may follow
// one.
func printf(format string, args ...any) (string, error) {
	for _, m := range widthRE.FindAllStringSubmatch(argIndexRE.ReplaceAllString(format, ""), -1) {
		for _, w := range m[1:] {
			if n, err := strconv.Atoi(w); w == "*" || (w != "" && (err != nil || n > maxWidth)) {
				return "", fmt.Errorf("printf width or precision %q is not allowed: at most %d", w, maxWidth)
			}
		}
	}
	return fmt.Sprintf(format, args...), nil
}

// ParseTemplate parses and checks a landlord's template for a kind of
// letter. It refuses, with a *TemplateError naming the line where it can, a
// template that is too big, does not parse, calls a template that does not
// exist or calls itself, fails to run against sample data for the kind, or
// writes a letter that leaves out something the Code requires (it is run
// against two samples, one with every optional part and one with none, and
// its letters checked with Check). Conditions that depend on values the
// samples do not have can still hide an element; Check at issue time is the
// final word.
func ParseTemplate(kind Kind, source string) (*Template, error) {
	if _, err := ParseKind(string(kind)); err != nil {
		return nil, complaint.Errorf(complaint.Invalid, "%v", err)
	}
	fail := func(line int, format string, args ...any) (*Template, error) {
		return nil, &TemplateError{Kind: kind, Line: line, Message: fmt.Sprintf(format, args...)}
	}
	if len(source) > MaxTemplateSize {
		return fail(0, "it is %d KB; at most %d KB is allowed", (len(source)+1023)>>10, MaxTemplateSize>>10)
	}
	if strings.TrimSpace(source) == "" {
		return fail(0, "it is empty")
	}
	tm, err := template.New(string(kind)).Funcs(funcs(maxOutput)).Parse(source)
	if err != nil {
		line, msg := splitError(err)
		return fail(line, "%s", msg)
	}
	if err := checkCalls(tm, source); err != nil {
		return nil, &TemplateError{Kind: kind, Line: err.line, Message: err.msg}
	}
	for _, t := range tm.Templates() {
		if t.Tree != nil && t.Root != nil {
			instrument(t.Root)
			t.Root.Nodes = append([]parse.Node{stepNode(t.Root.Pos)}, t.Root.Nodes...)
		}
	}
	t := &Template{kind: kind, source: source, tmpl: tm}
	for _, sample := range samples(kind) {
		body, err := t.Execute(sample)
		if err != nil {
			return nil, err
		}
		if missing := Check(kind, sample, body); len(missing) > 0 {
			return nil, &TemplateError{Kind: kind, Message: "its letter leaves out what the Code requires:", Missing: missing}
		}
	}
	return t, nil
}

// Execute fills the template with d and returns the body of the letter.
func (t *Template) Execute(d Data) (body string, err error) {
	tm, err := t.tmpl.Clone()
	if err != nil {
		return "", fmt.Errorf("letters: cloning template: %w", err)
	}
	w := &limitedWriter{limit: maxOutput + 4*d.size()}
	fm := funcs(w.limit)
	steps := 0
	fm[tickFunc] = func() (string, error) {
		if steps++; steps > maxSteps {
			return "", errTooMuchWork
		}
		return "", nil
	}
	tm.Funcs(fm)
	defer func() {
		// text/template passes on a runtime panic; a template must
		// never take the process down with it.
		if v := recover(); v != nil {
			body, err = "", &TemplateError{Kind: t.kind, Message: fmt.Sprintf("it failed: %v", v)}
		}
	}()
	if err := tm.Execute(w, d); err != nil {
		line, msg := splitError(err)
		switch {
		case errors.Is(err, errTooLong):
			msg = fmt.Sprintf("it makes more than %d KB of text: is something repeated in a loop?", w.limit>>10)
		case errors.Is(err, errTooMuchWork):
			msg = fmt.Sprintf("it takes more than %d steps: a {{range}} over a large number, or a template that calls itself?", maxSteps)
		}
		return "", &TemplateError{Kind: t.kind, Line: line, Message: msg}
	}
	return w.b.String(), nil
}

// DefaultTemplate returns Redress's own template for a kind of letter,
// written in plain English and including everything the Code requires.
func DefaultTemplate(kind Kind) (*Template, error) {
	t, ok := defaults()[kind]
	if !ok {
		_, err := ParseKind(string(kind))
		return nil, complaint.Errorf(complaint.Invalid, "%v", err)
	}
	return t, nil
}

// defaults parses the built-in templates once. They are checked as every
// landlord's are, so a built-in template that fails is a bug the tests
// catch; at run time it panics rather than send letters without it.
var defaults = sync.OnceValue(func() map[Kind]*Template {
	m := map[Kind]*Template{}
	for _, k := range Kinds {
		src, err := templateFiles.ReadFile("templates/" + string(k) + ".tmpl")
		if err != nil {
			panic("letters: no built-in template for " + string(k))
		}
		t, err := ParseTemplate(k, string(src))
		if err != nil {
			panic("letters: built-in template: " + err.Error())
		}
		m[k] = t
	}
	return m
})

var errorRE = regexp.MustCompile(`(?s)^template: [^:]*:(\d+)(?::\d+)?: (?:executing "[^"]*" )?(.*)$`)

// splitError takes text/template's error apart into the line and the
// message, so the message can name the line as a landlord counts it.
func splitError(err error) (int, string) {
	m := errorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, err.Error()
	}
	line, _ := strconv.Atoi(m[1])
	// An unclosed action is reported where the template ends; where it
	// started is where to look.
	msg := m[2]
	if s := startedRE.FindStringSubmatch(msg); s != nil {
		line, _ = strconv.Atoi(s[1])
		msg = startedRE.ReplaceAllString(msg, "started on line $1")
	}
	return line, msg
}

var startedRE = regexp.MustCompile(`started at [^:]*:(\d+)`)

// stepNode is {{step}}, placed at pos so that an error it raises names the
// loop's line.
func stepNode(pos parse.Pos) parse.Node {
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Pipe: &parse.PipeNode{
		NodeType: parse.NodePipe, Pos: pos,
		Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{
			&parse.IdentifierNode{NodeType: parse.NodeIdentifier, Pos: pos, Ident: tickFunc},
		}}},
	}}
}

// instrument puts a step at the start of every {{range}} body under n.
func instrument(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			instrument(c)
		}
	case *parse.IfNode:
		instrument(n.List)
		instrument(n.ElseList)
	case *parse.WithNode:
		instrument(n.List)
		instrument(n.ElseList)
	case *parse.RangeNode:
		instrument(n.List)
		instrument(n.ElseList)
		if n.List == nil {
			n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
		}
		n.List.Nodes = append([]parse.Node{stepNode(n.Pos)}, n.List.Nodes...)
	}
}

type callError struct {
	line int
	msg  string
}

// checkCalls refuses a {{template}} call of a template that is not
// defined, and any template that calls itself, directly or through others:
// a letter has no need of recursion, and refusing it names the line, where
// the step limit would only say that the template ran too long.
func checkCalls(tm *template.Template, source string) *callError {
	type call struct {
		name string
		pos  parse.Pos
	}
	calls := map[string][]call{}
	defined := map[string]bool{}
	for _, t := range tm.Templates() {
		if t.Tree == nil || t.Root == nil {
			continue
		}
		defined[t.Name()] = true
		var walk func(parse.Node)
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n != nil {
					for _, c := range n.Nodes {
						walk(c)
					}
				}
			case *parse.IfNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.WithNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.RangeNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.TemplateNode:
				calls[t.Name()] = append(calls[t.Name()], call{n.Name, n.Pos})
			}
		}
		walk(t.Root)
	}
	line := func(pos parse.Pos) int { return 1 + strings.Count(source[:min(int(pos), len(source))], "\n") }
	for _, cs := range calls {
		for _, c := range cs {
			if !defined[c.name] {
				return &callError{line(c.pos), fmt.Sprintf("it calls template %q, which is not defined", c.name)}
			}
		}
	}
	// Depth-first search for a cycle, from each template in turn.
	state := map[string]int{} // 1 on the current path, 2 done
	var visit func(name string) *callError
	visit = func(name string) *callError {
		state[name] = 1
		for _, c := range calls[name] {
			switch state[c.name] {
			case 1:
				return &callError{line(c.pos), fmt.Sprintf("template %q calls %q, which leads back to itself: templates may not call themselves", name, c.name)}
			case 0:
				if err := visit(c.name); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		return nil
	}
	for _, t := range tm.Templates() {
		if state[t.Name()] == 0 {
			if err := visit(t.Name()); err != nil {
				return err
			}
		}
	}
	return nil
}

// limitedWriter keeps what is written, up to limit bytes.
type limitedWriter struct {
	b     strings.Builder
	limit int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.limit {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

// size is about how many bytes of text d holds.
func (d *Data) size() int {
	n := len(d.Summary) + len(d.Description) + len(d.Learning) + len(d.Ombudsman) + len(d.Extension.Reason) +
		len(d.Exclusion.Reason) + len(d.Exclusion.Explanation) + len(d.WithdrawalReason) + len(d.Escalation.Reason) +
		len(d.Hazard.Description) + len(d.Hazard.Findings) + len(d.Hazard.NotPracticable)
	for _, p := range d.Points {
		n += len(p.Text) + len(p.Reasons)
	}
	for _, s := range d.OutcomesSought {
		n += len(s)
	}
	for _, s := range d.OtherRoutes {
		n += len(s)
	}
	for _, rs := range [][]Remedy{d.Remedies, d.EarlierActions, d.OpenActions, d.DoneActions} {
		for _, r := range rs {
			n += len(r.Description) + len(r.DoneNote)
		}
	}
	return n
}
