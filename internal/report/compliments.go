package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/redresshq/redress/internal/complaint"
)

// ComplimentFigures are the compliments received in the period that were
// passed on, counted by whom they praised: colleagues, teams and
// contractors (000: "we aim to recognise the good work of our colleagues
// and contractors"; 003 §2: compliments are publicised "in recognition of
// the outstanding customer service delivered by our teams"). A compliment
// praising two colleagues counts once for each.
type ComplimentFigures struct {
	// PassedOn is how many compliments received in the period have been
	// passed on.
	PassedOn     int   `json:"passed_on"`
	ByColleague  []Row `json:"by_colleague,omitempty"`
	ByTeam       []Row `json:"by_team,omitempty"`
	ByContractor []Row `json:"by_contractor,omitempty"`
}

// ComplimentTally counts compliments passed on, one at a time, for
// storage to feed as it reads them.
type ComplimentTally struct {
	passedOn int
	counts   map[string]map[string]int // kind, then label
	labels   map[string]string         // a colleague's key (email) to the name first seen
}

// Add counts one compliment passed on, praising those given. A colleague
// is counted by their email, so that a name spelt two ways is one
// person; a team or contractor by its name, ignoring case.
func (t *ComplimentTally) Add(praised []complaint.Praised) {
	if t.counts == nil {
		t.counts, t.labels = map[string]map[string]int{}, map[string]string{}
	}
	t.passedOn++
	seen := map[string]bool{}
	for _, p := range praised {
		key := strings.ToLower(strings.TrimSpace(p.Name))
		if p.Kind == complaint.PraisedColleague && p.Email != "" {
			key = strings.ToLower(p.Email)
		}
		if seen[p.Kind+"\x00"+key] {
			continue
		}
		seen[p.Kind+"\x00"+key] = true
		if _, ok := t.labels[p.Kind+"\x00"+key]; !ok {
			t.labels[p.Kind+"\x00"+key] = p.Name
		}
		if t.counts[p.Kind] == nil {
			t.counts[p.Kind] = map[string]int{}
		}
		t.counts[p.Kind][key]++
	}
}

// Figures returns the counts, each list most praised first, then by name.
func (t *ComplimentTally) Figures() ComplimentFigures {
	rows := func(kind string) []Row {
		var out []Row
		for key, n := range t.counts[kind] {
			out = append(out, Row{Label: t.labels[kind+"\x00"+key], N: n})
		}
		slices.SortFunc(out, func(a, b Row) int { return cmp.Or(b.N-a.N, strings.Compare(a.Label, b.Label)) })
		return out
	}
	return ComplimentFigures{PassedOn: t.passedOn, ByColleague: rows(complaint.PraisedColleague),
		ByTeam: rows(complaint.PraisedTeam), ByContractor: rows(complaint.PraisedContractor)}
}
