package loadgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Weight is one op's share of a mix.
type Weight struct {
	Op     string
	Weight int
}

// Mix is how often each op is chosen: an op of weight 4 is chosen four
// times as often as one of weight 1. Ops of weight 0 are never sent.
type Mix []Weight

// ParseMix reads a mix written as op=weight pairs separated by commas,
// such as "create=1,read=4". Every op must be one of known, at most once;
// a weight is a whole number, 0 or more; ops left out have weight 0; and
// at least one weight must be more than 0, or there is nothing to send.
// The mix keeps the order of known, so results print in the same order
// whatever order the mix was written in.
func ParseMix(s string, known []string) (Mix, error) {
	given := map[string]int{}
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			return nil, fmt.Errorf("%q has an empty entry; write op=weight pairs separated by commas, such as create=1,read=4", s)
		}
		name, value, ok := strings.Cut(entry, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok {
			return nil, fmt.Errorf("%q has no weight; write it as %s=1", entry, name)
		}
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("unknown op %q; the ops are %s", name, list(known))
		}
		if _, dup := given[name]; dup {
			return nil, fmt.Errorf("%s is given twice", name)
		}
		w, err := strconv.Atoi(value)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: the weight %q is not a whole number", name, value, value)
		}
		if w < 0 {
			return nil, fmt.Errorf("%s=%s: a weight may not be negative", name, value)
		}
		given[name] = w
	}
	var m Mix
	for _, name := range known {
		m = append(m, Weight{Op: name, Weight: given[name]})
	}
	if m.total() == 0 {
		return nil, errors.New("every weight is 0, so there is nothing to send; give at least one op a weight of 1 or more")
	}
	return m, nil
}

// String writes the mix as ParseMix reads it, leaving out ops of weight 0.
func (m Mix) String() string {
	var parts []string
	for _, w := range m {
		if w.Weight > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", w.Op, w.Weight))
		}
	}
	return strings.Join(parts, ",")
}

// Ops returns the ops the mix sends: those of weight more than 0.
func (m Mix) Ops() []string {
	var ops []string
	for _, w := range m {
		if w.Weight > 0 {
			ops = append(ops, w.Op)
		}
	}
	return ops
}

func (m Mix) total() int {
	t := 0
	for _, w := range m {
		t += w.Weight
	}
	return t
}

// pick chooses an op at random by weight and returns its index in m.
func (m Mix) pick(rng *rand.Rand, total int) int {
	n := rng.IntN(total)
	for i, w := range m {
		if n < w.Weight {
			return i
		}
		n -= w.Weight
	}
	panic("loadgen: pick ran past the mix") // total is m.total(), so unreachable
}

// list writes names as "a, b and c".
func list(names []string) string {
	switch len(names) {
	case 0:
		return "none"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
