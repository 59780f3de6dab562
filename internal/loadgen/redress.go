package loadgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/redresshq/redress/internal/complaint"
)

// The ops of Redress's JSON API (APIOps), by their names in a mix.
const (
	// OpCreate logs a new complaint: POST /api/v1/cases.
	OpCreate = "create"
	// OpCommand adds a note to a case the run created: POST
	// /api/v1/cases/{ref}/notes. A note is a command like any other (the
	// case is loaded, the rules decide, the event and the case commit in
	// one transaction) that can be given any number of times to the same
	// case without being refused, so it measures commands without the mix
	// running out of cases in the right state.
	OpCommand = "command"
	// OpRead reads one case the run created: GET /api/v1/cases/{ref}.
	OpRead = "read"
	// OpSearch searches the case list for a word of the complaints'
	// summaries: GET /api/v1/cases?q=WORD.
	OpSearch = "search"
)

// DefaultMix is the mix of API ops `redress bench` sends unless told
// otherwise: reads outnumber writes, as at a landlord's, where a case is
// looked at several times for each thing done to it.
const DefaultMix = "create=1,command=1,read=4,search=1"

// APIOpNames returns the names of the API ops, in the order results are
// printed.
func APIOpNames() []string { return []string{OpCreate, OpCommand, OpRead, OpSearch} }

// Cases holds the references of the cases a run has created, for the ops
// that work on a case to choose from. It is safe for concurrent use.
type Cases struct {
	mu   sync.Mutex
	refs []string
}

// Add adds a case's reference.
func (c *Cases) Add(ref string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refs = append(c.refs, ref)
}

// Len returns the number of cases held.
func (c *Cases) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.refs)
}

// pick returns one of the cases at random.
func (c *Cases) pick(rng *rand.Rand) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.refs) == 0 {
		return "", errors.New("no case has been created yet to work on; creates come first")
	}
	return c.refs[rng.IntN(len(c.refs))], nil
}

// issues are what the complaints a run makes are about, each with a word
// of its summary that the search op looks for, so every search finds
// cases and pays for listing them.
var issues = []struct{ word, summary string }{
	{"roof", "Roof still leaking after the repair visit"},
	{"damp", "Damp and mould in the back bedroom"},
	{"boiler", "Boiler broken, no heating or hot water"},
	{"window", "Window frame rotten and letting in draughts"},
	{"lift", "Lift out of order for the third week"},
	{"rent", "Rent account shows a payment that was never taken"},
	{"appointment", "Repair appointment missed without notice"},
	{"neighbour", "Noise from a neighbour reported several times"},
}

var (
	forenames = []string{"Ada", "Bilal", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hamza", "Iris", "Jon"}
	surnames  = []string{"Resident", "Okafor", "Patel", "Nowak", "Campbell", "Hughes", "Ahmed", "Murphy"}
	channels  = []complaint.Channel{"phone", "email", "web", "letter"}
)

// APIOps returns the ops of Redress's JSON API (OpCreate, OpCommand,
// OpRead and OpSearch). Creates add the cases they make to cases; the
// command and read ops choose among them, so a run must create some
// before it sends those. The bodies are the API's own types
// (complaint.Create, complaint.Note), so a change to the API's fields
// breaks the build rather than every request of a bench.
func APIOps(cases *Cases) []Op {
	var seq atomic.Int64 // makes each complaint and note a little different
	return []Op{
		{
			Name: OpCreate,
			Next: func(rng *rand.Rand) (Request, error) {
				n := seq.Add(1)
				issue := issues[rng.IntN(len(issues))]
				body, err := json.Marshal(complaint.Create{
					Kind: complaint.KindComplaint, Channel: channels[rng.IntN(len(channels))],
					Complainant: complaint.Person{
						Name:       forenames[rng.IntN(len(forenames))] + " " + surnames[rng.IntN(len(surnames))],
						Phone:      fmt.Sprintf("0191 496 %04d", n%10000),
						Postcode:   "ZZ1 1AA",
						TenancyRef: fmt.Sprintf("T-%05d", n%100000),
					},
					Summary:     fmt.Sprintf("%s (bench %d)", issue.summary, n),
					Description: "Logged by redress bench to measure the server; not a real complaint.",
					ServiceArea: "repairs", Categories: []string{issue.word}, Tenure: "low_cost_rental",
				})
				return Request{Method: "POST", Path: "/api/v1/cases", Body: body}, err
			},
			Done: func(body []byte) error {
				var c struct {
					Reference string `json:"reference"`
				}
				if err := json.Unmarshal(body, &c); err != nil || c.Reference == "" {
					return fmt.Errorf("the created case's answer has no reference: %.80q", body)
				}
				cases.Add(c.Reference)
				return nil
			},
		},
		{
			Name: OpCommand,
			Next: func(rng *rand.Rand) (Request, error) {
				ref, err := cases.pick(rng)
				if err != nil {
					return Request{}, err
				}
				body, err := json.Marshal(complaint.Note{Text: fmt.Sprintf("Called the resident back (bench note %d).", seq.Add(1))})
				return Request{Method: "POST", Path: "/api/v1/cases/" + url.PathEscape(ref) + "/notes", Body: body}, err
			},
		},
		{
			Name: OpRead,
			Next: func(rng *rand.Rand) (Request, error) {
				ref, err := cases.pick(rng)
				return Request{Method: "GET", Path: "/api/v1/cases/" + url.PathEscape(ref)}, err
			},
		},
		{
			Name: OpSearch,
			Next: func(rng *rand.Rand) (Request, error) {
				word := issues[rng.IntN(len(issues))].word
				return Request{Method: "GET", Path: "/api/v1/cases?q=" + url.QueryEscape(word)}, nil
			},
		},
	}
}
