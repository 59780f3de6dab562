package clock

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseSkew(t *testing.T) {
	now := time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"", now},
		{"+2y", time.Date(2030, 3, 1, 12, 0, 0, 0, time.UTC)},
		{"2y", time.Date(2030, 3, 1, 12, 0, 0, 0, time.UTC)},
		{"-1y", time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)},
		{"-400d", time.Date(2027, 1, 25, 12, 0, 0, 0, time.UTC)},
		{"90d", time.Date(2028, 5, 29, 12, 0, 0, 0, time.UTC)},
		{"-36h", time.Date(2028, 2, 28, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		d, err := ParseSkew(tt.in, now)
		if err != nil {
			t.Errorf("ParseSkew(%q): %v", tt.in, err)
			continue
		}
		if got := now.Add(d); !got.Equal(tt.want) {
			t.Errorf("ParseSkew(%q) moves %s to %s, want %s", tt.in, now, got, tt.want)
		}
	}
	for _, bad := range []string{"2w", "y", "+-2y", "two years", "1.5y", "6mo"} {
		if _, err := ParseSkew(bad, now); err == nil {
			t.Errorf("ParseSkew(%q) accepted it", bad)
		}
	}
}

// TestNothingElseReadsTheWallClock keeps Wall the only reading of the
// real clock in the module, tests included. A time.Now elsewhere would
// be a time that the skewed runs in .ci/run cannot move, which is how a
// test comes to depend on today's date.
func TestNothingElseReadsTheWallClock(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module root is not two levels up: %v", err)
	}
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Dir(path) == self {
			return nil
		}
		checked++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		name := timeImportName(f)
		if name == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == name {
				switch sel.Sel.Name {
				case "Now", "Since", "Until":
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s:%d: time.%s reads the real clock; use clock.Wall (or the clock you were given)",
						rel, fset.Position(sel.Pos()).Line, sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d Go files; the walk missed the module", checked)
	}
}

// timeImportName returns the name the file gives the time package, or ""
// if it does not import it.
func timeImportName(f *ast.File) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "time"
		}
	}
	return ""
}
