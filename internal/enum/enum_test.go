package enum

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	all := []string{"a", "b", "c"}
	if v, err := Parse("b", all, "a letter"); v != "b" || err != nil {
		t.Errorf("Parse(b) = %q, %v", v, err)
	}
	_, err := Parse("d", all, "a letter")
	if err == nil || err.Error() != `"d" is not a letter: want a, b or c` {
		t.Errorf("Parse(d) error = %v", err)
	}
}

func TestList(t *testing.T) {
	for in, want := range map[string]string{"": "", "x": "x", "x y": "x or y", "x y z w": "x, y, z or w"} {
		if got := List(strings.Fields(in)); got != want {
			t.Errorf("List(%q) = %q, want %q", in, got, want)
		}
	}
}
