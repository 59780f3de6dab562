package loadgen

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseMix(t *testing.T) {
	known := APIOpNames()
	tests := []struct {
		in   string
		want string // the mix as String writes it
	}{
		{DefaultMix, "create=1,command=1,read=4,search=1"},
		{"read=4,create=1", "create=1,read=4"}, // the known order, whatever the written one
		{" create = 2 , search=0 ", "create=2"},
		{"read=1", "read=1"},
		{"create=0,read=3", "read=3"},
	}
	for _, tt := range tests {
		m, err := ParseMix(tt.in, known)
		if err != nil {
			t.Errorf("ParseMix(%q): %v", tt.in, err)
			continue
		}
		if got := m.String(); got != tt.want {
			t.Errorf("ParseMix(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if len(m) != len(known) {
			t.Errorf("ParseMix(%q) has %d ops, want every known op (%d), the unnamed at 0", tt.in, len(m), len(known))
		}
	}
}

func TestParseMixRefusesWhatItCannotSend(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"create=1,delete=1", `unknown op "delete"; the ops are create, command, read and search`},
		{"create=-1,read=1", "create=-1: a weight may not be negative"},
		{"create=0,read=0", "every weight is 0"},
		{"create=1.5", `the weight "1.5" is not a whole number`},
		{"create=many", `the weight "many" is not a whole number`},
		{"create", `"create" has no weight`},
		{"create=1,,read=1", "has an empty entry"},
		{"", "has an empty entry"},
		{"read=1,read=2", "read is given twice"},
	}
	for _, tt := range tests {
		_, err := ParseMix(tt.in, APIOpNames())
		if err == nil {
			t.Errorf("ParseMix(%q) accepted it", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseMix(%q): %v\nwant it to say %q", tt.in, err, tt.want)
		}
	}
}

// TestPickHonoursTheWeights draws many times from a fixed seed: each op
// comes up in proportion to its weight, and an op of weight 0 never.
func TestPickHonoursTheWeights(t *testing.T) {
	m := Mix{{"a", 1}, {"never", 0}, {"b", 3}}
	rng := rand.New(rand.NewPCG(7, 7))
	counts := make([]int, len(m))
	const draws = 40000
	for range draws {
		counts[m.pick(rng, m.total())]++
	}
	if counts[1] != 0 {
		t.Errorf("the op of weight 0 was picked %d times", counts[1])
	}
	// Expected 10000 and 30000; the bounds are many standard deviations
	// (about 87) wide.
	if counts[0] < 9000 || counts[0] > 11000 || counts[2] < 29000 || counts[2] > 31000 {
		t.Errorf("picked a %d and b %d times in %d, want about 10000 and 30000", counts[0], counts[2], draws)
	}
}
