package policy

import (
	"errors"
	"strings"
	"testing"
)

// edit returns the code-2024 preset's YAML with old replaced by new, so
// each bad input differs from a good policy in one place.
func edit(t testing.TB, old, new string) []byte {
	t.Helper()
	data, err := PresetYAML(Default)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, old) {
		t.Fatalf("preset has no %q", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

// lineOfText returns the 1-based line of the first line containing sub.
func lineOfText(t testing.TB, data []byte, sub string) int {
	t.Helper()
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	t.Fatalf("no line contains %q", sub)
	return 0
}

func TestBadPoliciesAreRefusedWithLineAndField(t *testing.T) {
	tests := []struct {
		name    string
		data    func(t *testing.T) []byte
		lineOf  string // text on the line the error must name; "" to skip
		field   string
		message string
	}{
		{"unknown key", func(t *testing.T) []byte {
			return edit(t, "    within: 5\n    unit: working_days\n    from: received\n", "    withn: 5\n    unit: working_days\n    from: received\n")
		}, "withn", "stage1.acknowledge.withn", "unknown field; allowed here: within, unit, from, assumed, source"},
		{"wrong unit", func(t *testing.T) []byte {
			return edit(t, "    within: 10\n    unit: working_days", "    within: 10\n    unit: weeks")
		}, "unit: weeks", "stage1.respond.unit", `"weeks" is not a unit`},
		{"words for a number", func(t *testing.T) []byte { return edit(t, "within: 20", "within: twenty") }, "twenty", "stage2.respond.within", `want a whole number, got "twenty"`},
		{"zero days", func(t *testing.T) []byte { return edit(t, "within: 5", "within: 0") }, "within: 0", "stage1.acknowledge.within", "0 working_days is impossible"},
		{"negative days", func(t *testing.T) []byte { return edit(t, "within: 20", "within: -3") }, "within: -3", "stage2.respond.within", "impossible"},
		{"a year of working days", func(t *testing.T) []byte { return edit(t, "within: 10", "within: 400") }, "within: 400", "stage1.respond.within", "want 1 to 260"},
		{"acknowledgement from acknowledgement", func(t *testing.T) []byte {
			return edit(t, "    from: received", "    from: acknowledged")
		}, "from: acknowledged", "stage1.acknowledge.from", `"acknowledged" is not allowed here: want received`},
		{"unknown division", func(t *testing.T) []byte { return edit(t, "division: england-and-wales", "division: wales") }, "division: wales", "division", `"wales" is not a division`},
		{"impossible closure day", func(t *testing.T) []byte {
			return edit(t, "division: england-and-wales\n", "division: england-and-wales\nclosure_days:\n  - 2026-12-29\n  - 2026-02-30\n")
		}, "2026-02-30", "closure_days[1]", `"2026-02-30" is not a date`},
		{"closure day twice", func(t *testing.T) []byte {
			return edit(t, "division: england-and-wales\n", "division: england-and-wales\nclosure_days: [2026-12-29, 2026-12-29]\n")
		}, "closure_days", "closure_days[1]", "listed twice"},
		{"key given twice", func(t *testing.T) []byte { return edit(t, "name: code-2024\n", "name: code-2024\nname: other\n") }, "name: other", "name", "is given twice"},
		{"missing stage", func(t *testing.T) []byte {
			data := edit(t, "stage2:", "stage2_removed:")
			return data
		}, "stage2_removed", "stage2_removed", "unknown field"},
		{"bad exclusion ground", func(t *testing.T) []byte { return edit(t, "ground: legal_proceedings", "ground: court") }, "ground: court", "exclusions[1].ground", `"court" is not allowed`},
		{"time limit without months", func(t *testing.T) []byte { return edit(t, "    months: 12\n", "") }, "code: older_than_12_months", "exclusions[0].months", "0 is impossible"},
		{"new reference at stage 1", func(t *testing.T) []byte {
			return edit(t, "\n\nstage2:", "\n  new_reference: true\n\nstage2:")
		}, "new_reference", "stage1.new_reference", "only stage 2"},
		{"response due before acknowledgement", func(t *testing.T) []byte {
			return edit(t, "    within: 10\n    unit: working_days\n    from: acknowledged", "    within: 2\n    unit: working_days\n    from: received")
		}, "within: 2", "stage1.respond.within", "would be due before the acknowledgement"},
		{"yes is not a boolean", func(t *testing.T) []byte {
			return edit(t, "\n\nescalation:", "\n  new_reference: yes\n\nescalation:")
		}, "new_reference: yes", "stage2.new_reference", `want true or false, got "yes"`},
		{"list where a mapping belongs", func(t *testing.T) []byte { return edit(t, "escalation:\n", "escalation: [1, 2]\nunused:\n") }, "escalation: [1, 2]", "escalation", "want a mapping"},
		{"resolution target on a compliment", func(t *testing.T) []byte {
			return edit(t, "    name: Compliment\n", "    name: Compliment\n    resolve_within: {within: 1, unit: hours, from: received}\n")
		}, "resolve_within", "kinds[1].resolve_within", "only a service_request"},
		{"complaint as a kind", func(t *testing.T) []byte { return edit(t, "kind: enquiry", "kind: complaint") }, "kind: complaint", "kinds[4].kind", "complaints are the stages"},
		{"negative homes", func(t *testing.T) []byte {
			return edit(t, "kinds:\n", "homes:\n  - year: 2026\n    low_cost_rental: -5\n    low_cost_home_ownership: 10\nkinds:\n")
		}, "low_cost_rental: -5", "homes[0].low_cost_rental", "-5 is impossible"},
		{"no Ombudsman text", func(t *testing.T) []byte {
			data := edit(t, "ombudsman: |-", "ombudsman: \"\"\nunused: |-")
			return data
		}, "unused", "unused", "unknown field"},
		{"syntax error", func(t *testing.T) []byte { return edit(t, "title: Housing", "title: [Housing") }, "", "(syntax)", ""},
		{"aliases", func(t *testing.T) []byte {
			return edit(t, "  extension:\n    cap_working_days: 10\n", "  extension: &ext\n    cap_working_days: 10\n")
		}, "&ext", "stage1.extension", "anchors and aliases are not supported"},
		{"two documents", func(t *testing.T) []byte {
			d, err := PresetYAML(Default)
			if err != nil {
				t.Fatal(err)
			}
			return append(d, []byte("\n---\nname: x\n")...)
		}, "name: x", "(file)", "more than one YAML document"},
		{"empty", func(t *testing.T) []byte { return nil }, "", "(file)", "is empty"},
		{"just a comment", func(t *testing.T) []byte { return []byte("# nothing\n") }, "", "(file)", "is empty"},
		{"a bare word", func(t *testing.T) []byte { return []byte("policy\n") }, "policy", "(document)", "want a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			p, err := Parse("test.yaml", data)
			if err == nil {
				t.Fatal("accepted")
			}
			if p != nil {
				t.Error("returned a policy with the error")
			}
			var inv *InvalidError
			if !errors.As(err, &inv) || len(inv.Fields) == 0 {
				t.Fatalf("error %v is not an InvalidError", err)
			}
			var hit *FieldError
			for i, f := range inv.Fields {
				if f.Field == tt.field && strings.Contains(f.Message, tt.message) {
					hit = &inv.Fields[i]
				}
			}
			if hit == nil {
				t.Fatalf("no error for field %s with %q in:\n%v", tt.field, tt.message, err)
			}
			if tt.lineOf != "" {
				if want := lineOfText(t, data, tt.lineOf); hit.Line != want {
					t.Errorf("line %d, want %d: %v", hit.Line, want, hit)
				}
			} else if tt.field == "(syntax)" && hit.Line == 0 {
				t.Errorf("syntax error without a line: %v", hit)
			}
			if !strings.HasPrefix(err.Error(), "policy test.yaml is not valid") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

func TestEveryProblemIsReportedAtOnceInLineOrder(t *testing.T) {
	data := edit(t, "within: 5", "within: 0")
	data = []byte(strings.Replace(string(data), "division: england-and-wales", "division: mars", 1))
	data = []byte(strings.Replace(string(data), "ground: legal_proceedings", "ground: court", 1))
	_, err := Parse("x", data)
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Fields) != 3 {
		t.Fatalf("want three problems, got %v", err)
	}
	for i := 1; i < len(inv.Fields); i++ {
		if inv.Fields[i].Line < inv.Fields[i-1].Line {
			t.Errorf("not in line order: %v", err)
		}
	}
}

func TestOpen(t *testing.T) {
	p, err := Open("gentoo")
	if err != nil || p.Name != "gentoo" {
		t.Fatalf("Open(gentoo) = %v, %v", p, err)
	}
	dir := t.TempDir()
	file := dir + "/mine.yaml"
	if err := writeFile(file, edit(t, "name: code-2024", "name: mine")); err != nil {
		t.Fatal(err)
	}
	if p, err := Open(file); err != nil || p.Name != "mine" {
		t.Fatalf("Open(file) = %v, %v", p, err)
	}
	if _, err := Open(dir + "/missing.yaml"); err == nil || !strings.Contains(err.Error(), "policy file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Open("gentooo"); err == nil || !strings.Contains(err.Error(), "the presets are") {
		t.Errorf("misspelt preset: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range Presets() {
		data, err := PresetYAML(name)
		if err != nil {
			f.Fatalf("preset %s: %v", name, err)
		}
		f.Add(data)
	}
	f.Add([]byte("name: x\nstage1: {acknowledge: {within: 1, unit: hours, from: received}}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz", data)
		if err != nil {
			var inv *InvalidError
			if p != nil || !errors.As(err, &inv) || len(inv.Fields) == 0 {
				t.Fatalf("bad error shape: %v, %v", p, err)
			}
			return
		}
		// Anything accepted must be usable: checked, and its deadlines
		// computed, without a panic.
		Check(p)
		cal, err := p.Calendar(nil)
		if err != nil {
			t.Fatalf("valid policy has no calendar: %v", err)
		}
		for n := 1; n <= 2; n++ {
			_, _ = p.Deadlines(cal, n, Timeline{Received: fuzzTime, Responded: fuzzTime})
		}
	})
}
