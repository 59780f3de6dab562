package report

import (
	"strconv"
	"strings"
	"testing"
)

func TestCodeHasNineSectionsInOrder(t *testing.T) {
	secs := CodeSections()
	if len(secs) != 9 {
		t.Fatalf("%d sections, want 9", len(secs))
	}
	for i, s := range secs {
		if s.Number != i+1 || strings.TrimSpace(s.Title) == "" {
			t.Errorf("section %d = %+v", i+1, s)
		}
	}
}

func TestProvisionNumbersAreUniqueAndInCodeOrder(t *testing.T) {
	ps := CodeProvisions()
	seen := map[string]bool{}
	for i, p := range ps {
		if seen[p.Number] {
			t.Errorf("%s appears twice", p.Number)
		}
		seen[p.Number] = true
		if i > 0 && CompareProvisions(ps[i-1].Number, p.Number) >= 0 {
			t.Errorf("%s comes after %s", p.Number, ps[i-1].Number)
		}
	}
	if CompareProvisions("6.9", "6.10") >= 0 {
		t.Error("6.9 should come before 6.10")
	}
}

func TestEverySectionHasProvisions(t *testing.T) {
	count := map[int]int{}
	for _, p := range CodeProvisions() {
		count[p.Section]++
	}
	for _, s := range CodeSections() {
		if count[s.Number] == 0 {
			t.Errorf("section %d (%s) has no provisions", s.Number, s.Title)
		}
	}
}

func TestProvisionSectionMatchesItsNumber(t *testing.T) {
	for _, p := range CodeProvisions() {
		sec, item, ok := strings.Cut(p.Number, ".")
		n, err := strconv.Atoi(sec)
		m, err2 := strconv.Atoi(item)
		if !ok || err != nil || err2 != nil || m < 1 || strconv.Itoa(n)+"."+strconv.Itoa(m) != p.Number {
			t.Errorf("%q is not a provision number like 6.10", p.Number)
			continue
		}
		if n != p.Section {
			t.Errorf("%s is in section %d", p.Number, p.Section)
		}
	}
}

func TestRequirementsAreSentences(t *testing.T) {
	for _, p := range CodeProvisions() {
		r := strings.TrimSpace(p.Requirement)
		if r == "" || r != p.Requirement || !strings.HasSuffix(r, ".") {
			t.Errorf("%s: %q should be non-empty, trimmed and end with a full stop", p.Number, p.Requirement)
		}
	}
}

func TestFindProvisionFindsEachAndRefusesUnknown(t *testing.T) {
	for _, p := range CodeProvisions() {
		got, ok := FindProvision(p.Number)
		if !ok || got != p {
			t.Errorf("FindProvision(%q) = %+v, %v", p.Number, got, ok)
		}
	}
	for _, n := range []string{"", "1.1", "6.21", "10.1", "6", "6.02", " 6.2", "99.1"} {
		if got, ok := FindProvision(n); ok {
			t.Errorf("FindProvision(%q) = %+v, want none", n, got)
		}
	}
}

func TestCodeProvisionsIsACopy(t *testing.T) {
	ps := CodeProvisions()
	if len(ps) == 0 {
		t.Fatal("the Code has no provisions")
	}
	ps[0].Requirement = "changed."
	if p, _ := FindProvision(ps[0].Number); p.Requirement == "changed." {
		t.Error("changing the returned slice changed the Code")
	}
	secs := CodeSections()
	if len(secs) == 0 {
		t.Fatal("the Code has no sections")
	}
	secs[0].Title = "changed"
	if again := CodeSections(); len(again) > 0 && again[0].Title == "changed" {
		t.Error("changing the returned sections changed the Code")
	}
}

func TestComplaintDefinitionIsTheCodesWordForWord(t *testing.T) {
	const want = "an expression of dissatisfaction, however made, about the standard of service, actions or lack of action by the landlord, its own staff, or those acting on its behalf, affecting a resident or group of residents."
	if ComplaintDefinition != want {
		t.Errorf("ComplaintDefinition = %q", ComplaintDefinition)
	}
	p, _ := FindProvision("1.2")
	if !strings.HasSuffix(p.Requirement, ": "+want) || !p.Must {
		t.Errorf("1.2 = %+v, want the definition quoted exactly", p)
	}
}

// The spot checks are provisions whose number and substance two published
// sources agreed on.
func TestConfirmedProvisionsSayWhatTheCodeSays(t *testing.T) {
	for _, c := range []struct {
		number string
		want   []string
	}{
		{"1.4", []string{"service request", "recorded, monitored"}},
		{"2.3", []string{"12 months", "discretion"}},
		{"3.3", []string{"high number of complaints"}},
		{"4.1", []string{"complaints officer", "Ombudsman", "governing body"}},
		{"5.3", []string{"more than two stages"}},
		{"6.2", []string{"acknowledged", "stage 1", "five working days"}},
		{"6.3", []string{"stage 1", "10 working days", "acknowledged"}},
		{"6.4", []string{"10 working days"}},
		{"6.5", []string{"Ombudsman's contact details"}},
		{"6.10", []string{"stage 2", "final response"}},
		{"6.11", []string{"stage 2", "five working days"}},
		{"6.12", []string{"must not be required"}},
		{"6.13", []string{"stage 2", "must not be the same person", "stage 1"}},
		{"7.3", []string{"by when", "completion"}},
		{"7.4", []string{"Ombudsman's guidance", "remedies"}},
		{"9.1", []string{"beyond the individual complaint"}},
		{"9.5", []string{"Member Responsible for Complaints", "governing body"}},
	} {
		p, ok := FindProvision(c.number)
		if !ok {
			t.Errorf("%s missing", c.number)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(p.Requirement, w) {
				t.Errorf("%s = %q, want it to mention %q", c.number, p.Requirement, w)
			}
		}
		if !p.Must {
			t.Errorf("%s is a must", c.number)
		}
	}
}

func TestSectionsEndWhereTheCodesDo(t *testing.T) {
	// Sections 4 and 7 were read whole in published self-assessments: three
	// provisions and four.
	last := map[int]string{}
	for _, p := range CodeProvisions() {
		last[p.Section] = p.Number
	}
	if last[4] != "4.3" || last[7] != "7.4" {
		t.Errorf("section 4 ends at %s, section 7 at %s; want 4.3 and 7.4", last[4], last[7])
	}
}
