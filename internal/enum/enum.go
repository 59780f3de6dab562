// Package enum checks values against a closed list of allowed words and
// says, in one consistent sentence, which words were allowed. Redress has
// many such lists (divisions, units, anchors, kinds), and people fixing a
// bad value need the list in the message.
package enum

import (
	"fmt"
	"slices"
)

// Parse returns s as a T if it is one of all; otherwise an error such as
// `"wales" is not a division: want england-and-wales, scotland or
// northern-ireland`, what being "a division".
func Parse[T ~string](s string, all []T, what string) (T, error) {
	if i := slices.Index(all, T(s)); i >= 0 {
		return all[i], nil
	}
	return "", fmt.Errorf("%q is not %s: want %s", s, what, List(all))
}

// List joins words as people write a list: "a, b or c".
func List[T ~string](all []T) string {
	s := ""
	for i, v := range all {
		switch {
		case i == 0:
		case i == len(all)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(v)
	}
	return s
}
