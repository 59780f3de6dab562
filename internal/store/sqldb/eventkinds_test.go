package sqldb

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redresshq/redress/internal/complaint"
)

var (
	// kindEquals and kindIn find a kind column compared with literals:
	// kind = 'x', e.kind <> 'x', NEW.kind IN ('x', 'y').
	kindEquals = regexp.MustCompile(`(?i)\b(?:(\w+)\.)?kind\s*(?:=|<>|!=)\s*'([^']*)'`)
	kindIn     = regexp.MustCompile(`(?i)\b(?:(\w+)\.)?kind\s+(?:NOT\s+)?IN\s*\(([^)]*)\)`)
	quoted     = regexp.MustCompile(`'([^']*)'`)
	// eventsAlias finds "events e" and "events AS e" in a FROM or JOIN.
	eventsAlias = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+events(?:\s+AS)?\s+(\w+)`)
	fromEvents  = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+events\b`)
	// triggerOn finds the table a trigger is on.
	triggerOn = regexp.MustCompile(`(?is)\bCREATE\s+TRIGGER\b.*?\bON\s+(\w+)`)
)

// sqlKeywords are words that can follow "FROM events" without being an
// alias.
var sqlKeywords = map[string]bool{"where": true, "on": true, "join": true, "left": true, "inner": true, "cross": true,
	"natural": true, "order": true, "group": true, "limit": true, "using": true, "indexed": true, "not": true}

// kindLiteral is a literal compared with a kind column in SQL.
type kindLiteral struct {
	where string // the file the SQL is in
	kind  string
	event bool // compared with the events table's kind
}

// TestSQLComparesEventsOnlyWithKnownEventKinds keeps the SQL in step
// with complaint.EventKinds, which SQL cannot import: a trigger or query
// that names an event kind the domain does not record (misspelt, or
// renamed in Go) would compile and silently match nothing. Every literal
// compared with the events table's kind must be an event kind; a literal
// compared with another table's kind must be a kind of contact or of
// remedy, so that an event kind the scan fails to attribute to the
// events table is not let through unchecked.
func TestSQLComparesEventsOnlyWithKnownEventKinds(t *testing.T) {
	var found []kindLiteral
	err := fs.WalkDir(migrationFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrationFiles.ReadFile(path)
		if err != nil {
			return err
		}
		found = append(found, kindLiterals(path, string(b))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range goStrings(t) {
		found = append(found, kindLiterals(s.where, s.text)...)
	}

	other := map[string]bool{}
	for _, k := range complaint.Kinds {
		other[string(k)] = true
	}
	for _, k := range complaint.RemedyKinds {
		other[string(k)] = true
	}
	var eventKinds []string
	for _, f := range found {
		isEvent := slices.Contains(complaint.EventKinds, complaint.EventKind(f.kind))
		switch {
		case f.event && !isEvent:
			t.Errorf("%s compares an event's kind with %q, which is not one of complaint.EventKinds", f.where, f.kind)
		case !f.event && !isEvent && !other[f.kind]:
			t.Errorf("%s compares a kind with %q, which is not an event, contact or remedy kind", f.where, f.kind)
		}
		if f.event {
			eventKinds = append(eventKinds, f.kind)
		}
	}
	// The safety triggers compare these; finding none means the scan
	// has stopped reading the SQL, not that the SQL is right.
	for _, k := range []complaint.EventKind{complaint.EventCreated, complaint.EventSafetyFlagSet, complaint.EventHazardClassified} {
		if !slices.Contains(eventKinds, string(k)) {
			t.Errorf("the scan found no SQL comparing an event's kind with %q: it no longer reads the triggers", k)
		}
	}
}

// kindLiterals finds the literals text compares with a kind column,
// marking those compared with the events table's.
func kindLiterals(where, text string) []kindLiteral {
	aliases := map[string]bool{"events": true}
	for _, m := range eventsAlias.FindAllStringSubmatch(text, -1) {
		if a := strings.ToLower(m[1]); !sqlKeywords[a] {
			aliases[a] = true
		}
	}
	triggers := triggerOn.FindAllStringSubmatchIndex(text, -1)
	isEvent := func(qualifier string, at int) bool {
		q := strings.ToLower(qualifier)
		switch q {
		case "":
			// A bare kind is the events table's when it is the only
			// table named and not aliased.
			return fromEvents.MatchString(text) && len(aliases) == 1 && !strings.Contains(strings.ToUpper(text), " JOIN ")
		case "new", "old":
			table := ""
			for _, tr := range triggers {
				if tr[0] < at {
					table = text[tr[2]:tr[3]]
				}
			}
			return strings.EqualFold(table, "events")
		}
		return aliases[q]
	}
	var out []kindLiteral
	for _, m := range kindEquals.FindAllStringSubmatchIndex(text, -1) {
		q := ""
		if m[2] >= 0 {
			q = text[m[2]:m[3]]
		}
		out = append(out, kindLiteral{where, text[m[4]:m[5]], isEvent(q, m[0])})
	}
	for _, m := range kindIn.FindAllStringSubmatchIndex(text, -1) {
		q := ""
		if m[2] >= 0 {
			q = text[m[2]:m[3]]
		}
		for _, lit := range quoted.FindAllStringSubmatch(text[m[4]:m[5]], -1) {
			out = append(out, kindLiteral{where, lit[1], isEvent(q, m[0])})
		}
	}
	return out
}

// goString is a string literal in the package's Go source.
type goString struct{ where, text string }

// goStrings returns the string literals of the package's non-test Go
// files, where its SQL is.
func goStrings(t *testing.T) []goString {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []goString
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, goString{fset.Position(lit.Pos()).String(), s})
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatal("found no string literals: the test no longer reads the package's source")
	}
	return out
}
