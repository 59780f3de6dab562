package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/redresshq/redress/internal/calendar"
	"github.com/redresshq/redress/internal/complaint"
	"github.com/redresshq/redress/internal/policy"
)

// Rebuilder rebuilds cases from their events, to check the stored case
// against them. It keeps the policies and calendars it has built, so one
// Rebuilder should check every case of an audit. The zero value is ready.
//
// A case is rebuilt by replaying: complaint.NewCase with the created
// event's data (complaint.NewImportedCase with the imported event's, for
// a case from an earlier complaints log), then complaint.Decide with each later event's data, its
// At as the command's time, its RecordedAt as now, and its actor. That is
// exactly how the case was made, except for the policy and calendar,
// which no event records: a case names the policy it was logged under,
// but Decide uses the policy in force at each command, which the landlord
// may have changed (or edited, under the same name) since, and the
// calendar may have gained a newer holidays file. So a case is replayed
// under the preset its policy names (or the Code's, for a policy of the
// landlord's own), loosened so that no command it once accepted is
// refused for the policy's sake: extension caps and the escalation window
// are lifted, every exclusion a refusal cites is allowed, and stage 2
// takes a new reference exactly when the stored case has one. What the
// policy and calendar decide is then left out of the comparison:
//
//   - compared: everything the events determine: the kind, channel,
//     stage, status, handler, who logged the case and when, every
//     resident's detail, the summary and the other free text, the
//     categories, tenure and service area, the health-and-safety and
//     confidential flags and the line manager, adjustments and vulnerabilities, each stage's
//     dates, handlers, points, outcomes sought, decisions, learning,
//     reasons and extensions (their days, reasons, agreement, who and
//     when), the remedies and whether each is done, the links, and when
//     and why the case ended;
//   - not compared: each stage's deadlines (acknowledge, respond,
//     escalate and the Code's respond-by dates), the working days taken,
//     each extension's new date, whether it went over the cap and whether
//     it came after the Code's deadline (its good reason is compared), and a
//     service request's target date, all of which depend on the policy
//     and calendar; the policy's name and a stage 2 reference, which no
//     event records (they are taken from the stored case); and the
//     version, which is checked against the count of events instead.
type Rebuilder struct {
	policies  map[string]*policy.Policy
	calendars map[string]*calendar.Calendar
}

// Rebuilt is a case as its events make it, with everyone who could see it
// as it went (whoever logged it, every handler it had and every line
// manager named on it), for checking who storage lets see a confidential
// case.
type Rebuilt struct {
	Case   complaint.Case
	People []string
}

// Rebuild replays the events of the stored case. An event that cannot be
// replayed (an unknown kind, data that does not decode, or a command the
// rules refuse) is an error naming it: the case cannot be checked beyond
// it.
func (rb *Rebuilder) Rebuild(stored complaint.Case, evs []complaint.Event) (Rebuilt, error) {
	if len(evs) == 0 || (evs[0].Kind != complaint.EventCreated && evs[0].Kind != complaint.EventImported) {
		return Rebuilt{}, fmt.Errorf("its first event is not its creation or import")
	}
	p, cal, err := rb.rules(stored, evs)
	if err != nil {
		return Rebuilt{}, err
	}
	people := map[string]bool{}
	note := func(c complaint.Case) {
		for _, e := range append([]string{c.CreatedBy, c.Handler, c.LineManager}, stageHandlers(c)...) {
			if e != "" {
				people[strings.ToLower(e)] = true
			}
		}
	}
	var c complaint.Case
	for i, ev := range evs {
		env := complaint.Env{
			Now: ev.RecordedAt, At: ev.At, Actor: complaint.Actor{Email: ev.Actor}, Policy: p, Calendar: cal,
			NewReference: replayReference(stored, i == 0),
			// What was accepted when it was recorded is replayed as it
			// was, even if input rules have been tightened since.
			Replay: true,
		}
		data := EventData(ev)
		if i == 0 && ev.Kind == complaint.EventImported {
			// A case from an earlier complaints log is made whole by
			// its import event.
			var cmd complaint.ImportCase
			if err := json.Unmarshal(data, &cmd); err != nil {
				return Rebuilt{}, fmt.Errorf("event #%d (imported) does not decode: %v", ev.Seq, err)
			}
			c, _, err = complaint.NewImportedCase(cmd, env)
		} else if i == 0 {
			var cmd complaint.Create
			if err := json.Unmarshal(data, &cmd); err != nil {
				return Rebuilt{}, fmt.Errorf("event #%d (created) does not decode: %v", ev.Seq, err)
			}
			c, _, err = complaint.NewCase(cmd, env)
		} else {
			var cmd complaint.Command
			if cmd, err = decodeCommand(ev.Kind, data); err != nil {
				return Rebuilt{}, fmt.Errorf("event #%d (%s) %v", ev.Seq, ev.Kind, err)
			}
			c, _, err = complaint.Decide(c, cmd, env)
		}
		if err != nil {
			return Rebuilt{}, fmt.Errorf("event #%d (%s) is refused when replayed: %v", ev.Seq, ev.Kind, err)
		}
		note(c)
	}
	c.ID, c.Version = stored.ID, len(evs)
	return Rebuilt{Case: c, People: slices.Sorted(maps.Keys(people))}, nil
}

func stageHandlers(c complaint.Case) []string {
	var out []string
	for _, st := range c.Stages {
		out = append(out, st.Handlers...)
	}
	return out
}

// replayReference gives the case the references it was given: no event
// records them. The created event's is chained all the same, since every
// event's hash covers its case's reference.
func replayReference(stored complaint.Case, creating bool) NewReference {
	return func(int) (string, error) {
		if !creating && len(stored.Stages) > 1 && stored.Stages[1].Reference != "" {
			return stored.Stages[1].Reference, nil
		}
		return stored.Reference, nil
	}
}

// rules returns the policy and calendar to replay the case under (see
// Rebuilder).
func (rb *Rebuilder) rules(stored complaint.Case, evs []complaint.Event) (*policy.Policy, *calendar.Calendar, error) {
	if rb.policies == nil {
		rb.policies, rb.calendars = map[string]*policy.Policy{}, map[string]*calendar.Calendar{}
	}
	base, ok := rb.policies[stored.Policy]
	if !ok {
		var err error
		if base, err = policy.Preset(stored.Policy); err != nil {
			base = policy.Code()
		}
		rb.policies[stored.Policy] = base
	}
	cal, ok := rb.calendars[base.Name]
	if !ok {
		var err error
		if cal, err = base.Calendar(nil); err != nil {
			return nil, nil, fmt.Errorf("the calendar of policy %s: %v", base.Name, err)
		}
		rb.calendars[base.Name] = cal
	}
	p := *base
	p.Name = stored.Policy
	p.Stage1.Extension.CapWorkingDays = 1 << 30
	p.Stage2.Extension.CapWorkingDays = 1 << 30
	p.Stage2.NewReference = len(stored.Stages) > 1 && stored.Stages[1].Reference != stored.Reference
	p.Escalation.Window = nil
	p.Exclusions = slices.Clone(base.Exclusions)
	for _, ev := range evs {
		if ev.Kind != complaint.EventRefused {
			continue
		}
		var r complaint.Refuse
		if json.Unmarshal(EventData(ev), &r) == nil && !slices.ContainsFunc(p.Exclusions, func(x policy.Exclusion) bool { return x.Code == r.Exclusion }) {
			p.Exclusions = append(p.Exclusions, policy.Exclusion{Code: r.Exclusion, Reason: r.Exclusion, Ground: policy.GroundOther})
		}
	}
	return &p, cal, nil
}

// decodeCommand reads a stored event's data back into the command that
// recorded it.
func decodeCommand(kind complaint.EventKind, data []byte) (complaint.Command, error) {
	return complaint.DecodeCommand(kind, data)
}

// CheckCase rebuilds the stored case from its events and returns what
// differs, as problems naming the case; rebuilt is the case its events
// make (zero if they cannot be replayed).
func (rb *Rebuilder) CheckCase(stored complaint.Case, evs []complaint.Event) (rebuilt Rebuilt, problems []string) {
	if stored.Version != len(evs) {
		problems = append(problems, fmt.Sprintf("case %s: it is at version %d but has %d events: its version or its events were changed", stored.Reference, stored.Version, len(evs)))
	}
	rebuilt, err := rb.Rebuild(stored, evs)
	if err != nil {
		return Rebuilt{}, append(problems, fmt.Sprintf("case %s: %v, so the stored case cannot be checked against its events", stored.Reference, err))
	}
	if diffs := CaseDifferences(stored, rebuilt.Case); len(diffs) > 0 {
		problems = append(problems, fmt.Sprintf("case %s: its stored %s differ from what its events record: the case was changed behind the application's back", stored.Reference, strings.Join(diffs, ", ")))
	}
	return rebuilt, problems
}

// CaseDifferences names the fields in which the stored case differs from
// the rebuilt one, leaving out what Rebuilder says is not compared. Times
// compare as instants, whatever their zone. Values are given only for
// flags, numbers and the status, never for free text, so that an audit's
// output carries no resident's words.
func CaseDifferences(stored, rebuilt complaint.Case) []string {
	// Who acted on each stage has been kept on the case only since the
	// Code's stage 2 independence rule came to cover them (6.13): a case
	// stored before then names only those who acted since, or nobody,
	// which its events do not contradict. A name its events do not
	// record is a difference.
	rebuilt.Stages = slices.Clone(rebuilt.Stages)
	for i := range rebuilt.Stages {
		if i < len(stored.Stages) && !slices.ContainsFunc(stored.Stages[i].Involved, func(e string) bool {
			return !slices.Contains(rebuilt.Stages[i].Involved, e)
		}) {
			rebuilt.Stages[i].Involved = stored.Stages[i].Involved
		}
	}
	var out []string
	diffJSON("", comparable(stored), comparable(rebuilt), &out)
	const most = 12
	if len(out) > most {
		out = append(out[:most], fmt.Sprintf("%d more fields", len(out)-most))
	}
	return out
}

// comparable is the case as JSON values without what is not compared.
func comparable(c complaint.Case) any {
	c.ID, c.Version, c.Policy, c.ResolveBy = 0, 0, "", calendar.Date{}
	// A tenancy suggested when the case was logged is storage's guess
	// from the register, which no event records; a confirmed one is.
	if c.Tenancy != nil && !c.Tenancy.Confirmed {
		c.Tenancy = nil
	}
	// A hazard's clocks are computed from its steps, as deadlines are.
	if c.Hazard != nil {
		h := *c.Hazard
		h.Clocks = nil
		c.Hazard = &h
	}
	stages := make([]complaint.Stage, len(c.Stages))
	for i, st := range c.Stages {
		st.AcknowledgeBy, st.RespondBy, st.EscalateBy, st.CodeRespondBy = calendar.Date{}, calendar.Date{}, calendar.Date{}, calendar.Date{}
		st.AcknowledgeWorkingDays, st.RespondWorkingDays = 0, 0
		// A milestone's due date is computed, as the deadlines are; only
		// its being met is recorded.
		var met []complaint.Milestone
		for _, m := range st.Milestones {
			if !m.MetAt.IsZero() {
				m.Due = calendar.Date{}
				met = append(met, m)
			}
		}
		st.Milestones = met
		st.Extensions = slices.Clone(st.Extensions)
		for j := range st.Extensions {
			st.Extensions[j].NewRespondBy, st.Extensions[j].OverCap, st.Extensions[j].Late = calendar.Date{}, false, false
		}
		stages[i] = st
	}
	c.Stages = stages
	b, _ := json.Marshal(c)
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

func diffJSON(path string, a, b any, out *[]string) {
	if empty(a) && empty(b) {
		return
	}
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, path)
			return
		}
		keys := slices.Sorted(maps.Keys(a))
		for k := range bm {
			if _, ok := a[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			diffJSON(p, a[k], bm[k], out)
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			*out = append(*out, path)
			return
		}
		for i := range a {
			diffJSON(fmt.Sprintf("%s[%d]", path, i), a[i], bs[i], out)
		}
	case string:
		bs, ok := b.(string)
		if ok && (a == bs || sameInstant(a, bs)) {
			return
		}
		if ok && path == "status" {
			*out = append(*out, fmt.Sprintf("status (stored %q, events %q)", a, bs))
			return
		}
		*out = append(*out, path)
	default:
		if reflect.DeepEqual(a, b) {
			return
		}
		switch a.(type) {
		case bool, float64:
			*out = append(*out, fmt.Sprintf("%s (stored %v, events %v)", path, a, b))
		default:
			*out = append(*out, path)
		}
	}
}

// empty is true of what JSON writes for nothing: null, "", [] and {}.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

func sameInstant(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

// CheckLetters checks a case's issued letters against the letter_issued
// events that recorded them: each letter's PDF must match its stored
// SHA-256 and the one its event recorded, with the same kind, title and
// channel, and every letter an event recorded must be there. It returns
// the problems, naming letters by id and event, never by content.
func CheckLetters(ref string, evs []complaint.Event, letters []Letter) []string {
	removed := anonymisedIn(evs)
	recorded := map[int]complaint.RecordLetter{}
	for _, ev := range evs {
		if ev.Kind == complaint.EventLetterIssued {
			var d complaint.RecordLetter
			_ = json.Unmarshal(EventData(ev), &d)
			recorded[ev.Seq] = d
		}
	}
	var problems []string
	found := map[int]bool{}
	for _, l := range letters {
		d, ok := recorded[l.EventSeq]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("case %s: letter %d (%s) claims event #%d, which issued no letter", ref, l.ID, l.Kind, l.EventSeq))
		case found[l.EventSeq]:
			problems = append(problems, fmt.Sprintf("case %s: letter %d (%s) claims event #%d, which another letter claims", ref, l.ID, l.Kind, l.EventSeq))
		case l.SHA256 != d.SHA256 || sha256Hex(l.PDF) != l.SHA256 && !(removed && len(l.PDF) == 0):
			problems = append(problems, fmt.Sprintf("case %s: letter %d (%s, event #%d): its PDF does not match the hash recorded when it was issued", ref, l.ID, l.Kind, l.EventSeq))
		case l.Kind != d.Kind || l.Title != d.Title || l.Channel != d.Channel:
			problems = append(problems, fmt.Sprintf("case %s: letter %d (%s, event #%d): its kind, title or channel is not what its event recorded", ref, l.ID, l.Kind, l.EventSeq))
		}
		found[l.EventSeq] = true
	}
	for _, seq := range slices.Sorted(maps.Keys(recorded)) {
		if !found[seq] {
			problems = append(problems, fmt.Sprintf("case %s: the letter that event #%d issued (%s) is missing", ref, seq, recorded[seq].Kind))
		}
	}
	return problems
}

// CheckAttachments checks a case's files against the information_added
// events that named them: each file's data must match its stored SHA-256
// and a file of that name, hash and size its event named, and every file
// an event named must be there.
func CheckAttachments(ref string, evs []complaint.Event, files []Attachment) []string {
	type key struct {
		seq        int
		name, hash string
		size       int64
	}
	named := map[key]int{}
	for _, ev := range evs {
		switch ev.Kind {
		case complaint.EventInformationAdded:
			var d complaint.AddInformation
			_ = json.Unmarshal(EventData(ev), &d)
			for _, a := range d.Attachments {
				named[key{ev.Seq, a.Name, a.SHA256, a.Size}]++
			}
		case complaint.EventOmbudsmanEvidenceSent:
			// The evidence pack Redress built and kept as sent.
			var d complaint.SendOmbudsmanEvidence
			_ = json.Unmarshal(EventData(ev), &d)
			if a := d.Pack; a != nil {
				named[key{ev.Seq, a.Name, a.SHA256, a.Size}]++
			}
		}
	}
	removed := anonymisedIn(evs)
	var problems []string
	for _, f := range files {
		k := key{f.EventSeq, f.Name, f.SHA256, f.Size}
		if named[k] == 0 {
			problems = append(problems, fmt.Sprintf("case %s: attachment %d claims event #%d, which received no such file", ref, f.ID, f.EventSeq))
			continue
		}
		named[k]--
		if removed && len(f.Data) == 0 {
			continue // its bytes were removed when the case was anonymised
		}
		if sha256Hex(f.Data) != f.SHA256 || int64(len(f.Data)) != f.Size {
			problems = append(problems, fmt.Sprintf("case %s: attachment %d (event #%d): its content does not match the hash recorded when it was received", ref, f.ID, f.EventSeq))
		}
	}
	var missing []int
	for k, n := range named {
		for range n {
			missing = append(missing, k.seq)
		}
	}
	slices.Sort(missing)
	for _, seq := range missing {
		problems = append(problems, fmt.Sprintf("case %s: a file that event #%d received is missing", ref, seq))
	}
	return problems
}

// anonymisedIn reports whether the case was anonymised, which removes
// its letters' and files' bytes but keeps the hashes their events
// recorded: the events themselves are checked against the anonymisation.
func anonymisedIn(evs []complaint.Event) bool {
	return slices.ContainsFunc(evs, func(ev complaint.Event) bool { return ev.Kind == complaint.EventAnonymised })
}

// EventData is an event's data as stored: the JSON it was read back as,
// or its command written as JSON when the event has just been made.
func EventData(ev complaint.Event) []byte {
	switch d := ev.Data.(type) {
	case json.RawMessage:
		return d
	case []byte:
		return d
	}
	b, _ := json.Marshal(ev.Data)
	return b
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
